"""Pipeline configs (shipped: pipelines/*.yaml at the top of the repository) as pydantic models: a typo in a key
is an error, not a silent default."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from kgreason.errors import ConfigError
from kgreason.plugins import Registry, modes, strategies


def _registered(registry: Registry, value: str) -> str:
    """A config value that names a registry entry (checked when the config is validated, so a
    plugin's names are accepted as well as the built-ins)."""
    if value not in registry:
        raise ValueError(f"unknown {registry.what} {value!r}; use one of: {', '.join(registry.names())} "
                         "(see `kgreason plugins`)")
    return value


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RetrievalConfig(_Strict):
    enabled: bool = True
    k: int = Field(10, ge=1, le=1000, description="evidence facts to retrieve")
    embedder: str | None = Field(None, description="sentence-transformers id or path; None = packaged MiniLM")
    index_dir: str | None = Field(None, description="where the FAISS index lives; None = cache dir")
    include_inferred: bool = Field(False, description="index facts derived by the reasoner too")
    rank_candidates: bool = Field(True, description="rank uncertain question parses by embedding similarity")
    build_on_ask_max_triples: int = Field(
        20_000, ge=0,
        description="a graph with more triples gets no retrieval index inside `ask` (the reasoner and "
        "the label linker answer; build it with `kgreason index build`)")


class ReasoningConfig(_Strict):
    enabled: bool = True
    closed_world: bool = False
    rules: list[str] = Field(default_factory=list, description="user rule files (text syntax)")
    strategy: str = Field(
        "materialize",
        description="materialize: the whole closure up front; query-time: derive per question only "
        "what it needs (graphs too big to materialize); auto: materialize unless the closure "
        "would pass max_facts; or a plugin's strategy (`kgreason plugins`)")
    max_facts: int | None = Field(
        None, ge=1, description="stop a closure above this many facts (None: from the machine's "
        "memory, or KGREASON_MAX_FACTS)")
    background: bool = Field(
        True, description="where a yes/no question needs a class membership the graph lacks ('Is "
        "the sun a star?'), consult WordNet (Debian wordnet-base, when installed; only positive "
        "links, with the synset in the proof)")

    @field_validator("strategy")
    @classmethod
    def _registered_strategy(cls, value: str) -> str:
        return _registered(strategies, value)


class ModelsConfig(_Strict):
    verifier: str | None = Field(None, description='NLI verifier: "default" (shipped), a HF id or a path; None = off')
    generator: str | None = Field(None, description='generator for --explain: "default" (SmolLM2), id or path')
    reader: str | None = Field(
        None,
        description='neural reader for English the controlled parser does not read exactly: "default" '
        "(shipped adapter), a folder from `kgreason train reader`; None = the exact parser only. "
        "Loaded only when a sentence needs it",
    )
    reader_threshold: float = Field(
        0.5, ge=0.0, le=1.0,
        description="a neural reading is confirmed when the NLI verifier's entailment probability "
        "(sentence ⇒ reading) reaches this",
    )
    reader_alternatives: int = Field(
        1, ge=0, le=16,
        description="where a neural reading is refused, up to this many readings in all (the first one "
        "included) are checked, branching at the reader's close calls; 0 or 1 = the first reading only",
    )
    device: str | None = Field(None, description="cuda / mps / cpu; None = auto")
    verifier_threshold: float = Field(
        0.5, ge=0.0, le=1.0,
        description="below this probability of its label the verifier's answer is unknown",
    )
    verifier_min_unread: float = Field(
        0.5, ge=0.0, le=1.0,
        description="hybrid: where the reasoner is undecided over a partly read context, the verifier "
        "decides only when at least this share of the context's sentences was not understood "
        "(over a context read mostly, the reasoner's unknown stands)",
    )


class PipelineConfig(_Strict):
    name: str = "custom"
    description: str = ""
    graphs: list[str] = Field(default_factory=lambda: ["commonsense"])
    mode: str = Field(
        "symbolic",
        description="symbolic: the reasoner decides; neural: the verifier over retrieved facts; "
        "hybrid: the reasoner, and the verifier where the reasoner cannot decide; or a plugin's "
        "mode (`kgreason plugins`)",
    )
    retrieval: RetrievalConfig = Field(default_factory=RetrievalConfig)
    reasoning: ReasoningConfig = Field(default_factory=ReasoningConfig)
    models: ModelsConfig = Field(default_factory=ModelsConfig)
    #: Folder the config file was read from: relative paths in it resolve against this.
    base_dir: str | None = Field(None, exclude=True)

    @field_validator("mode")
    @classmethod
    def _registered_mode(cls, value: str) -> str:
        return _registered(modes, value)


def pipelines_dir() -> Path:
    """The shipped pipelines: the repository's top-level ``pipelines/`` in a checkout or an
    editable install, ``kgreason/data/pipelines/`` in a wheel (:func:`kgreason.files.shipped_data_dir`)."""
    from kgreason.files import shipped_data_dir

    return shipped_data_dir("pipelines")


def shipped_pipelines() -> list[str]:
    return sorted(p.stem for p in pipelines_dir().glob("*.yaml"))


def pipeline_path(ref: str | Path | None = None) -> Path:
    """The YAML file a shipped pipeline name (``default``, ``hybrid`` ...) or a path names."""
    ref = ref or "default"
    path = Path(ref)
    if path.exists():
        return path
    shipped = pipelines_dir() / f"{ref}.yaml"
    if isinstance(ref, str) and shipped.exists():
        return shipped
    raise ConfigError(
        f"no pipeline config {str(ref)!r}",
        hint=f"give a YAML path or a shipped pipeline: {', '.join(shipped_pipelines())}",
    )


def load_config(ref: str | Path | None = None) -> PipelineConfig:
    """A shipped pipeline name (``default``, ``hybrid`` ...) or a YAML path → PipelineConfig."""
    import yaml

    path = pipeline_path(ref)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise ConfigError(f"malformed YAML: {getattr(exc, 'problem', exc)}", where=where,
                          hint="fix the YAML syntax") from None
    if not isinstance(data, dict):
        raise ConfigError("a pipeline config must be a YAML mapping", where=str(path))
    data.setdefault("name", path.stem)
    try:
        config = PipelineConfig(**data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(x) for x in first["loc"])
        raise ConfigError(f"invalid setting {loc!r}: {first['msg']}", where=str(path),
                          hint=f"see the shipped {pipelines_dir() / 'default.yaml'} for the valid keys"
                          ) from None
    config.base_dir = str(path.parent.resolve())
    return config
