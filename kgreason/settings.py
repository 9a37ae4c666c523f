"""kgreason's settings from the environment: every ``KGREASON_*`` variable, typed and checked, read
once per process (:func:`get_settings`). Nothing else reads a ``KGREASON_*`` variable; pipeline
configs (:mod:`kgreason.config`) say what a pipeline does, these say where and how it runs.

``kgreason config show`` prints each setting, its value and where it came from (the default or the
environment variable). A bad value is a :class:`~kgreason.errors.ConfigError` that names the
variable, its value and what it takes, raised where the settings are first read.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kgreason.errors import ConfigError

#: Every setting's variable is this prefix + the field name in capitals (``max_facts`` →
#: ``KGREASON_MAX_FACTS``).
ENV_PREFIX = "KGREASON_"
#: Where Debian's wordnet-base puts the WordNet database.
DEFAULT_WORDNET_DIR = Path("/usr/share/wordnet")
#: Graphs with fewer triples are not kept in the compiled-graph cache (loading them is quick).
DEFAULT_GRAPH_CACHE_MIN_TRIPLES = 20_000
_DEVICE = re.compile(r"auto|cpu|mps|cuda(:\d+)?")


def _hint(text: str) -> dict[str, str]:
    return {"hint": text}


class Settings(BaseSettings):
    """The environment's settings. Field ``x`` is read from ``KGREASON_X``; an empty variable
    counts as unset."""

    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True, extra="ignore",
                                      validate_default=True)

    cache: Path | None = Field(
        None, description="folder of kgreason's caches (retrieval indexes, compiled graphs, label "
        "indexes); unset: $XDG_CACHE_HOME/kgreason, else ~/.cache/kgreason",
        json_schema_extra=_hint("give a folder path, e.g. /tmp/kgreason-cache"))
    max_facts: int | None = Field(
        None, ge=1, description="a closure above this many facts stops with an error (--max-facts "
        "and a pipeline's reasoning.max_facts come first); unset: half the machine's memory at "
        "650 bytes a fact, at most 50M",
        json_schema_extra=_hint("give a whole number of facts of at least 1, e.g. 20000000"))
    graph_cache: bool = Field(
        True, description="keep compiled graphs and closures in the cache for the next run "
        "(0/off/false/no turns it off)",
        json_schema_extra=_hint("give 1 (on) or 0 (off)"))
    graph_cache_min_triples: int = Field(
        DEFAULT_GRAPH_CACHE_MIN_TRIPLES, ge=0,
        description="graphs with fewer triples are not cached (they load quickly)",
        json_schema_extra=_hint("give a whole number of triples, e.g. 20000 (0 caches every graph)"))
    progress: bool | None = Field(
        None, description="progress bars for long closures on stderr: 1 always, 0 never; unset: "
        "when stderr is a terminal",
        json_schema_extra=_hint("give 1 (show) or 0 (never), or unset it"))
    wordnet_dir: Path = Field(
        DEFAULT_WORDNET_DIR, description="folder of the WordNet database (index.noun, data.noun) "
        "consulted for background class memberships",
        json_schema_extra=_hint("give the folder that holds index.noun and data.noun"))
    device: str = Field(
        "auto", description="where models run when no --device is given: auto (CUDA, then MPS, "
        "then CPU), cpu, cuda, cuda:N or mps",
        json_schema_extra=_hint("give one of: auto, cpu, cuda, cuda:N, mps"))
    threads: int | None = Field(
        None, ge=1, description="torch threads within one process (on a busy shared CPU, 1 per "
        "process is fastest); unset: torch's default",
        json_schema_extra=_hint("give a whole number of threads of at least 1, e.g. 1 or 2"))
    token: SecretStr | None = Field(
        None, description="bearer token `kgreason serve` requires of every API request (or "
        "--token-file); never printed",
        json_schema_extra=_hint("give printable ASCII without spaces"))

    @field_validator("device", mode="before")
    @classmethod
    def _device(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower()
            if not _DEVICE.fullmatch(value):
                raise ValueError("not a device")
        return value


def variable(name: str) -> str:
    """The environment variable of setting ``name`` (``max_facts`` → ``KGREASON_MAX_FACTS``)."""
    return ENV_PREFIX + name.upper()


def _bad_setting(exc: ValidationError) -> ConfigError:
    first = exc.errors()[0]
    name = str(first["loc"][0]) if first["loc"] else ""
    field = Settings.model_fields.get(name)
    shown = "(hidden)" if name == "token" else repr(first.get("input"))
    hint = ((field.json_schema_extra or {}).get("hint") if field else None) or "fix the value"
    message = first["msg"].removeprefix("Value error, ")
    return ConfigError(
        f"{variable(name)}={shown} is not a valid setting: {message}",
        hint=f"{hint}, or unset {variable(name)} (`kgreason config show` then lists every setting)")


def load_settings() -> Settings:
    """The settings read from the environment now (not cached; see :func:`get_settings`)."""
    try:
        return Settings()
    except ValidationError as exc:
        raise _bad_setting(exc) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings, read from the environment on the first call and kept for the process.
    :func:`reload_settings` forgets them (tests that change the environment)."""
    return load_settings()


def reload_settings() -> None:
    """Forget the settings read so far: the next :func:`get_settings` reads the environment again."""
    get_settings.cache_clear()


def describe(settings: Settings | None = None) -> list[dict[str, Any]]:
    """Each setting as ``{name, variable, value, source, description}``: ``source`` is
    ``"default"`` or ``"environment variable KGREASON_X"``; the token's value is never shown."""
    settings = settings or get_settings()
    rows = []
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            value = "(set, hidden)"
        elif isinstance(value, Path):
            value = str(value)
        source = f"environment variable {variable(name)}" if name in settings.model_fields_set else "default"
        rows.append({"name": name, "variable": variable(name), "value": value, "source": source,
                     "description": field.description})
    return rows
