"""What a run's predictions depend on, recorded in ``run.json`` so that ``--resume`` never mixes
predictions made with other settings: the dataset (its files' fingerprint and the world it was
read with), every option of :class:`EvalConfig` but the mode (records are kept per mode), the
content of the graph files (and their ``.rules`` sidecars) and of the pipeline file, the
versions of the models (their files' checksums) and of kgreason."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kgreason import __version__
from kgreason.files import blake2_bytes, blake2_file

#: Files above this are identified by size and mtime, not by content (a base model's weights).
_HASH_LIMIT = 256 * 1024 * 1024


def _file_version(path: Path) -> str:
    st = path.stat()
    if st.st_size > _HASH_LIMIT:
        return f"{st.st_size}:{st.st_mtime_ns}"
    return blake2_file(path)


def _folder_version(path: Path) -> str:
    parts = []
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        parts.append(f"{file.relative_to(path)}={_file_version(file)}")
    return blake2_bytes("\n".join(parts).encode("utf-8", "surrogateescape"))


def _path_version(ref: str | Path) -> str:
    """The content of a file or folder, or the reference itself when it is not a local path
    (a hub id: the same id reads the same cached snapshot)."""
    path = Path(ref).expanduser()
    try:
        if path.is_file():
            return _file_version(path)
        if path.is_dir():
            return _folder_version(path)
    except OSError:
        pass
    return f"ref:{ref}"


def _graph_version(ref: str) -> str:
    from kgreason.graph.loaders import resolve_graph_ref

    try:
        path = resolve_graph_ref(ref)
    except Exception:  # noqa: BLE001 - the run itself reports a missing graph
        return f"ref:{ref}"
    version = _path_version(path)
    sidecar = path.with_suffix(".rules")
    if sidecar.is_file():
        version += "+" + _path_version(sidecar)
    return version


def _pipeline_version(ref: str | None) -> str | None:
    if ref is None:
        return None
    from kgreason.config import pipelines_dir

    path = Path(ref)
    if not path.exists():
        path = pipelines_dir() / f"{ref}.yaml"
    return _path_version(path)


def _model_version(ref: str | None, default: Path | None) -> str | None:
    if ref in (None, "default", "default-nli") and default is not None:
        return _path_version(default)
    return None if ref is None else _path_version(ref)


def run_settings(dataset, config) -> dict[str, Any]:
    """Everything that changes a prediction of this run (plain JSON, compared on resume)."""
    from kgreason.models.reader import DEFAULT_READER_DIR
    from kgreason.models.resolve import DEFAULT_NLI_DIR

    options = {k: v for k, v in config.to_dict().items() if k != "mode"}
    pipeline_config = None
    if config.pipeline:
        from kgreason.config import load_config

        try:
            pipeline_config = load_config(config.pipeline)
        except Exception:  # noqa: BLE001 - the run itself reports a bad pipeline
            pipeline_config = None
    graphs = list(config.graphs) or (list(pipeline_config.graphs) if pipeline_config else [])
    return {
        "kgreason": __version__,
        "dataset": dataset.fingerprint,
        "world": getattr(dataset, "closed_world", None),
        "options": options,
        "graphs": {g: _graph_version(str(g)) for g in graphs},
        "pipeline": _pipeline_version(config.pipeline),
        "nli_model": _model_version(config.nli_model, DEFAULT_NLI_DIR),
        "reader": _model_version(config.reader, DEFAULT_READER_DIR) if config.reader else None,
    }


def settings_differences(before: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """What differs between two :func:`run_settings`, as short phrases for one line."""
    out = []
    for key in sorted(set(before) | set(now)):
        a, b = before.get(key), now.get(key)
        if a == b:
            continue
        if key == "options" and isinstance(a, dict) and isinstance(b, dict):
            for option in sorted(set(a) | set(b)):
                if a.get(option) != b.get(option):
                    out.append(f"{option} {a.get(option)!r} → {b.get(option)!r}")
        elif key == "world":
            out.append(f"world {_world(a)} → {_world(b)}")
        elif key == "graphs" and isinstance(a, dict) and isinstance(b, dict) and set(a) == set(b):
            out.append("content of graph " + ", ".join(g for g in b if a[g] != b[g]))
        elif key in ("graphs", "pipeline", "nli_model", "reader"):
            out.append(f"{key.replace('_', ' ')} (files or content)")
        else:
            out.append(f"{key} {a!r} → {b!r}")
    return out


def _world(value) -> str:
    return {True: "closed", False: "open", None: "from ids"}.get(value, repr(value))
