"""Registries of the named parts other packages can add: graph formats, reasoning strategies,
decision modes, dataset formats, evaluation engines and readers.

Each :class:`Registry` maps a name to an object (or a factory). kgreason's own entries are
declared here, in code, as lazy ``"module:attribute"`` references (imported on first use, so a
source checkout has them and listing them imports nothing); pyproject.toml declares the same
names as entry points for discoverability. Other packages add names through the entry-point group
``kgreason.<kind>`` (``[project.entry-points."kgreason.dataset_formats"] tiny = "tinyfmt:read"``),
found when a registry is first asked for a name it does not hold, or for its list. A plugin that
fails to import gives a clear error for its own name only. ``kgreason plugins`` lists them all.

This module sits beside ``errors`` (it imports nothing else of kgreason), so every layer, the
pipeline config included, can check a name against a registry. What each kind's object must be
is documented where the built-ins live (see :data:`REGISTRIES`).
"""

from __future__ import annotations

import inspect
import logging
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from kgreason.errors import InputError

log = logging.getLogger(__name__)

BUILTIN = "built-in"


class PluginError(InputError):
    """A name no registry entry has, or a plugin that cannot be loaded."""


@dataclass
class Entry:
    """One registered name: its object (or ``"module:attribute"``, imported on first use), a
    one-line description, and the distribution that declared it (None: built into kgreason)."""

    name: str
    target: Any
    description: str = ""
    dist: str | None = None
    version: str | None = None
    error: str | None = None  # why it cannot be loaded (set on the first failed load)
    _obj: Any = None
    _loaded: bool = False

    @property
    def origin(self) -> str:
        if self.dist is None:
            return BUILTIN
        return f"{self.dist} {self.version}" if self.version else self.dist


@lru_cache(maxsize=1)
def _entry_points():
    """Every installed entry point, read once per process (one scan of sys.path for all groups)."""
    from importlib.metadata import entry_points

    return entry_points()


def _import(spec: str) -> Any:
    """``"package.module:attr.sub"`` → the object."""
    from importlib import import_module

    module, _, attr = spec.partition(":")
    obj = import_module(module)
    for part in filter(None, attr.split(".")):
        obj = getattr(obj, part)
    return obj


def describe(obj: Any) -> str:
    """A one-line description of a loaded plugin: its ``description`` attribute, else the first
    line of its docstring (functions, classes, modules)."""
    text = getattr(obj, "description", None)
    if not isinstance(text, str) and (inspect.isroutine(obj) or inspect.isclass(obj)
                                      or inspect.ismodule(obj)):
        text = inspect.getdoc(obj)
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


class Registry:
    """Named objects of one kind: ``register(name, obj)``, ``get(name)``, ``names()``.

    ``kind`` names the entry-point group (``kgreason.<kind>``); ``what`` is how errors call one
    entry ("dataset format")."""

    def __init__(self, kind: str, what: str):
        self.kind = kind
        self.group = f"kgreason.{kind}"
        self.what = what
        self._entries: dict[str, Entry] = {}
        self._discovered = False
        #: entry points that were not added (a name already taken), as sentences
        self.problems: list[str] = []

    # ------------------------------------------------------------------ registering
    def register(self, name: str, obj_or_factory: Any, *, description: str = "",
                 replace: bool = False) -> None:
        """Add ``name``; ``obj_or_factory`` is the object itself or ``"module:attribute"``
        (imported on first :meth:`get`). A taken name is an error unless ``replace``."""
        if not isinstance(name, str) or not name.strip() or name != name.strip():
            raise PluginError(f"invalid {self.what} name {name!r}", hint="use a non-empty name without spaces")
        taken = self._entries.get(name)
        if taken is not None and not replace:
            raise PluginError(f"{self.what} {name!r} is already registered ({taken.origin})",
                              hint="choose another name, or pass replace=True")
        self._entries[name] = Entry(name, obj_or_factory, description)

    def unregister(self, name: str) -> None:
        self._entries.pop(name, None)

    # ------------------------------------------------------------------ entry points
    def _discover(self) -> None:
        if self._discovered:
            return
        self._discovered = True
        for ep in _entry_points().select(group=self.group):
            dist = getattr(ep, "dist", None)
            dist_name = dist.metadata["Name"] if dist is not None else None
            version = dist.version if dist is not None else None
            taken = self._entries.get(ep.name)
            if taken is not None:
                if taken.dist is None and (dist_name == "kgreason" or taken.target == ep.value):
                    continue  # the built-in, declared in pyproject.toml too
                if taken.target == ep.value:
                    continue  # the same plugin seen twice on sys.path
                self.problems.append(
                    f"{self.what} {ep.name!r} of {dist_name or 'an unknown package'} ({ep.value}) is "
                    f"ignored: the name is taken by {taken.origin}")
                log.warning("%s", self.problems[-1])
                continue
            self._entries[ep.name] = Entry(ep.name, ep.value, dist=dist_name or "unknown package",
                                           version=version)

    # ------------------------------------------------------------------ looking up
    def __contains__(self, name: object) -> bool:
        if name in self._entries:  # the built-ins answer without scanning the installed packages
            return True
        self._discover()
        return name in self._entries

    def names(self) -> list[str]:
        """Every registered name (built-in and installed), sorted; nothing is imported."""
        self._discover()
        return sorted(self._entries)

    def entries(self) -> list[Entry]:
        self._discover()
        return [self._entries[n] for n in sorted(self._entries)]

    def unknown(self, name: str) -> PluginError:
        """The error for a name that is not registered: what is, and how to add one."""
        return PluginError(
            f"unknown {self.what} {name!r}",
            hint=f"use one of: {', '.join(self.names()) or 'none'} (see `kgreason plugins`); a "
                 f"package adds one through the entry-point group \"{self.group}\"")

    def check(self, name: str) -> str:
        """``name`` if registered, else :meth:`unknown`'s error (nothing is imported)."""
        if name not in self:
            raise self.unknown(name)
        return name

    def get(self, name: str) -> Any:
        """The object registered as ``name``, imported on first use. An unknown name or a
        plugin that fails to import raises :class:`PluginError` (the other names still work)."""
        if name not in self:
            raise self.unknown(name)
        entry = self._entries[name]
        if not entry._loaded:
            if entry.error is None:
                try:
                    entry._obj = _import(entry.target) if isinstance(entry.target, str) else entry.target
                    entry._loaded = True
                except Exception as exc:  # any import failure is the plugin's
                    detail = " ".join(str(exc).split()) or type(exc).__name__
                    entry.error = (f"{self.what} {name!r} from {entry.origin} ({entry.target}) cannot "
                                   f"be loaded: {type(exc).__name__}: {detail}")
                    log.debug("loading %s failed", entry.target, exc_info=True)
            if entry.error is not None:
                how = ("install what it needs (see the README's install extras)" if entry.dist is None
                       else f"reinstall or fix the package {entry.dist}, or uninstall it")
                raise PluginError(entry.error, hint=f"{how}; the other {self.what}s still work")
        return entry._obj

    def describe(self, name: str) -> str:
        """The entry's one-line description (loading it if it has none of its own)."""
        entry = self._entries[name]
        if entry.description:
            return entry.description
        return describe(self.get(name))

    def listing(self) -> list[dict[str, Any]]:
        """Every entry as ``{name, origin, description, error}``; plugins without a description
        of their own are loaded to read it, and one that fails says why (nothing is raised)."""
        rows = []
        for entry in self.entries():
            try:
                description = self.describe(entry.name)
            except PluginError:
                description = ""
            rows.append({"name": entry.name, "origin": entry.origin,
                         "distribution": entry.dist, "version": entry.version,
                         "description": description, "error": entry.error})
        return rows


# ---------------------------------------------------------------------------- the registries
#: ``Format`` (kgreason.graph.loaders): name, extensions, loader, description.
graph_formats = Registry("graph_formats", "graph format")
#: ``Strategy`` (kgreason.reasoning.strategies): how a Reasoner derives facts (``--reasoning``).
strategies = Registry("strategies", "reasoning strategy")
#: ``Mode`` (kgreason.pipeline.decide): who decides — the reasoner, the verifier, or both.
modes = Registry("modes", "decision mode")
#: ``read(path, split, skipped) -> Iterable[Example | dict]`` (kgreason.evaluation.datasets).
dataset_formats = Registry("dataset_formats", "dataset format")
#: ``run(batches, config, *, workers, address, on_start) -> Iterator[list[record]]``
#: (kgreason.evaluation.engines).
engines = Registry("engines", "evaluation engine")
#: ``ReaderPlugin`` (kgreason.pipeline.readers): the second path for English the controlled
#: parser does not read exactly.
readers = Registry("readers", "reader")

REGISTRIES = (graph_formats, strategies, modes, dataset_formats, engines, readers)

_BUILTINS: dict[Registry, list[tuple[str, str, str]]] = {
    graph_formats: [
        ("turtle", "kgreason.graph.loaders:TURTLE", "Turtle (.ttl, .turtle)"),
        ("nt", "kgreason.graph.loaders:NTRIPLES", "N-Triples (.nt, .ntriples)"),
        ("nquads", "kgreason.graph.loaders:NQUADS", "N-Quads, graphs merged (.nq, .nquads)"),
        ("trig", "kgreason.graph.loaders:TRIG", "TriG, graphs merged (.trig)"),
        ("json-ld", "kgreason.graph.loaders:JSONLD", "JSON-LD (.jsonld, .json-ld)"),
        ("xml", "kgreason.graph.loaders:RDFXML", "RDF/XML (.rdf, .owl, .xml)"),
        ("csv", "kgreason.graph.loaders:CSV", "CSV edge list: subject,predicate,object (.csv)"),
        ("tsv", "kgreason.graph.loaders:TSV", "TSV edge list: subject,predicate,object (.tsv, .tab)"),
        ("graphml", "kgreason.graph.loaders:GRAPHML", "GraphML via NetworkX (.graphml)"),
        ("node-link", "kgreason.graph.loaders:NODE_LINK",
         "node-link JSON via NetworkX; JSON-LD is detected (.json)"),
        ("english", "kgreason.language.formats:ENGLISH", "controlled English (.txt)"),
    ],
    strategies: [
        ("materialize", "kgreason.reasoning.strategies:MATERIALIZE",
         "the whole closure up front, then every question is a lookup"),
        ("query-time", "kgreason.reasoning.strategies:QUERY_TIME",
         "derive per question only what it needs (graphs too big to materialize)"),
        ("auto", "kgreason.reasoning.strategies:AUTO",
         "materialize, or query-time when the closure would pass max_facts"),
    ],
    modes: [
        ("symbolic", "kgreason.pipeline.decide:SYMBOLIC", "the reasoner decides, with a proof"),
        ("neural", "kgreason.pipeline.decide:NEURAL",
         "the NLI verifier alone over the retrieved or given facts"),
        ("hybrid", "kgreason.pipeline.decide:HYBRID",
         "the reasoner, and the NLI verifier where reading failed"),
    ],
    dataset_formats: [
        ("nli", "kgreason.evaluation.datasets:read_nli",
         "premise/hypothesis/label rows (JSONL, JSON, CSV, TSV, Parquet, HF folder; SNLI/MNLI fields)"),
        ("folio", "kgreason.evaluation.datasets:read_folio", "FOLIO JSONL: premises, conclusion, label"),
        ("logiclm", "kgreason.evaluation.datasets:read_logiclm",
         "Logic-LM JSON: context, question, options, answer letter"),
        ("proofwriter", "kgreason.evaluation.datasets:read_proofwriter",
         "ProofWriter JSONL: theory + questions with answer and QDep"),
        ("questions", "kgreason.evaluation.datasets:read_questions",
         "question/answer(s) JSONL asked against --graph"),
    ],
    engines: [
        ("local", "kgreason.evaluation.engines:local_engine",
         "in this process, or a process pool of --workers on this machine"),
        ("ray", "kgreason.evaluation.engines:ray_engine",
         "Ray Data map_batches with the models held in actors (GPUs for model modes)"),
    ],
    readers: [
        ("exact", "kgreason.pipeline.readers:EXACT",
         "the controlled-English parser alone: what it does not read exactly is not understood"),
        ("neural", "kgreason.pipeline.readers:NEURAL",
         "the shipped neural reader (or a trained folder), each reading confirmed by the NLI verifier"),
    ],
}

for _registry, _rows in _BUILTINS.items():
    for _name, _target, _description in _rows:
        _registry.register(_name, _target, description=_description)


def rediscover() -> None:
    """Forget what the installed packages added and read their entry points again on next use
    (after installing a package in this process, or in tests)."""
    import importlib

    importlib.invalidate_caches()
    _entry_points.cache_clear()
    for reg in REGISTRIES:
        reg._entries = {n: e for n, e in reg._entries.items() if e.dist is None}
        reg._discovered = False
        reg.problems = []


def registry(kind: str) -> Registry:
    """The registry of ``kind`` ("dataset_formats", "strategies", ...)."""
    for reg in REGISTRIES:
        if kind in (reg.kind, reg.group):
            return reg
    raise PluginError(f"no plugin kind {kind!r}",
                      hint=f"use one of: {', '.join(r.kind for r in REGISTRIES)}")


def listing() -> dict[str, Any]:
    """Every registry's entries (``kgreason plugins --json``)."""
    return {reg.kind: {"group": reg.group, "what": reg.what, "entries": reg.listing(),
                       "problems": list(reg.problems)}
            for reg in REGISTRIES}
