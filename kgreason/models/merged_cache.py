"""LoRA adapters merged into their base once, cached as safetensors in the user cache.

Loading the shipped reader or verifier used to import peft (~4 s on 2 cores), rebuild the base and
merge the adapter on every process start. The merged model is the same every time, so it is
saved once (``save_pretrained``: safetensors) under ``<cache>/merged/<name>-<key>`` and later
loaded with plain ``from_pretrained``. The key is a BLAKE2 hash of the adapter's files and the
transformers version, so a retrained or edited adapter never meets an old merge. A manifest
beside the weights records each file's size and a BLAKE2 digest of sampled blocks; a cache that
does not match (damaged, truncated, swapped) or does not load is reported in one line and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kgreason.files import cache_root as cache_dir

log = logging.getLogger(__name__)

MANIFEST = "kgreason_merged.json"
#: Blocks hashed per weights file (spread over the file) and their size: a cheap check that still
#: catches truncation, swapped files and damage anywhere a block falls.
_BLOCKS, _BLOCK = 64, 1 << 16


def _adapter_key(adapter: Path) -> str:
    import transformers

    h = hashlib.blake2b(digest_size=10)
    h.update(transformers.__version__.encode())
    for f in sorted(adapter.iterdir()):
        if f.is_file() and f.suffix in (".json", ".safetensors", ".bin", ".model", ".txt"):
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def merged_dir(adapter: Path, kind: str) -> Path:
    return cache_dir() / "merged" / f"{kind}-{_adapter_key(adapter)}"


def _sampled_digest(path: Path) -> str:
    size = path.stat().st_size
    h = hashlib.blake2b(digest_size=16)
    h.update(str(size).encode())
    with path.open("rb") as fh:
        step = max(1, size // _BLOCKS)
        for off in range(0, size, step):
            fh.seek(off)
            h.update(fh.read(_BLOCK))
    return h.hexdigest()


def _weights(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.safetensors"))


def _intact(folder: Path) -> str | None:
    """Why the cached folder cannot be trusted, or None."""
    manifest = folder / MANIFEST
    if not manifest.exists():
        return "no manifest"
    try:
        recorded = json.loads(manifest.read_text())["files"]
    except (ValueError, KeyError, TypeError):
        return "its manifest is damaged"
    files = {f.name: f for f in _weights(folder)}
    if set(files) != set(recorded):
        return "its weights files differ from the manifest"
    for name, digest in recorded.items():
        if _sampled_digest(files[name]) != digest:
            return f"{name} does not match its checksum"
    return None


def load_or_merge(adapter: Path, kind: str, load_cached: Callable[[Path], tuple[Any, Any]],
                  merge: Callable[[], tuple[Any, Any]]) -> tuple[Any, Any]:
    """(model, tokenizer): from the merged cache of ``adapter`` when it is intact, else built by
    ``merge()`` and cached for the next process. Caching is best effort: a read-only cache
    directory only costs the merge each time."""
    folder = merged_dir(adapter, kind)
    if folder.exists():
        problem = _intact(folder)
        if problem is None:
            try:
                return load_cached(folder)
            except Exception as exc:  # noqa: BLE001 — any failure means: rebuild it
                problem = f"it does not load ({str(exc).splitlines()[0][:120]})"
        log.warning("the merged %s model cached at %s is not usable (%s); rebuilding it", kind,
                    folder, problem)
        shutil.rmtree(folder, ignore_errors=True)
    model, tokenizer = merge()
    try:
        tmp = folder.with_name(folder.name + f".tmp{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        model.save_pretrained(tmp, safe_serialization=True)
        tokenizer.save_pretrained(tmp)
        (tmp / MANIFEST).write_text(json.dumps(
            {"adapter": str(adapter), "kind": kind,
             "files": {f.name: _sampled_digest(f) for f in _weights(tmp)}}, indent=2))
        shutil.rmtree(folder, ignore_errors=True)
        tmp.rename(folder)
    except OSError as exc:
        log.info("could not cache the merged %s model (%s)", kind, exc)
    return model, tokenizer
