"""Atomic file and folder writes: a reader (``--resume``, a loader, a dashboard) sees the old
version or the new one, never half of one, even when the writer is killed mid-write."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path


#: The folders shipped with kgreason (top level in the repository, ``kgreason/data/<name>`` in a wheel).
SHIPPED_DATA = ("graphs", "pipelines")


def shipped_data_dir(name: str) -> Path:
    """Where the shipped ``graphs`` or ``pipelines`` are. In a source checkout (and an editable
    install, which imports the checkout) they are the repository's top-level ``graphs/`` and
    ``pipelines/``, the one copy in git; a built wheel carries them as package data
    ``kgreason/data/<name>`` (setup.py copies them there). The checkout wins where both exist."""
    if name not in SHIPPED_DATA:
        raise ValueError(f"no shipped data folder {name!r} (there are: {', '.join(SHIPPED_DATA)})")
    package = Path(__file__).resolve().parent
    checkout = package.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / name).is_dir():
        return checkout / name
    return package / "data" / name


def cache_root() -> Path:
    """Where kgreason keeps its caches (retrieval indexes, compiled graphs, label indexes):
    ``$KGREASON_CACHE``, else ``$XDG_CACHE_HOME/kgreason``, else ``~/.cache/kgreason``."""
    from kgreason.settings import get_settings

    configured = get_settings().cache
    if configured is not None:
        return configured.expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "kgreason"


def _temp_beside(path: Path, tag: str) -> Path:
    return path.with_name(f".{path.name}.{tag}{os.getpid()}")


def write_text_atomic(path: str | Path, text: str) -> None:
    """Write ``text`` (UTF-8) to a temporary file beside ``path``, then rename it over ``path``."""
    write_file_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_file_atomic(path: str | Path, write: Callable[[Path], object]) -> None:
    """``write(tmp)`` writes the content to ``tmp`` (beside ``path``); it then replaces ``path``."""
    path = Path(path)
    tmp = _temp_beside(path, "tmp")
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def replace_dir_atomic(path: str | Path, write: Callable[[Path], object]) -> Path:
    """``write(tmp)`` fills a fresh temporary folder beside ``path``, which then takes its place.
    The old folder is moved aside first, so ``path`` is missing only between two renames."""
    path = Path(path)
    tmp, old = _temp_beside(path, "tmp"), _temp_beside(path, "old")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        write(tmp)
        if path.exists():
            shutil.rmtree(old, ignore_errors=True)
            path.rename(old)
        tmp.rename(path)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    return path


# ---------------------------------------------------------------------- content digests
#: BLAKE2b digest size (bytes) of every checksum kgreason keeps beside a cache.
DIGEST_SIZE = 16
_CONTENT: dict[tuple, str] = {}


def blake2_bytes(data) -> str:
    """BLAKE2b of ``data`` (bytes, or any buffer such as a C-contiguous numpy array)."""
    import hashlib

    return hashlib.blake2b(data, digest_size=DIGEST_SIZE).hexdigest()


def blake2_file(path: str | Path, *, memo: bool = True) -> str:
    """BLAKE2b of a file's content. With ``memo``, hashed once per process per (path, size,
    mtime_ns, inode): a cache checks its source's content cheaply on every later load, and a
    change that keeps size and mtime (``touch -r``) is still seen by the next process."""
    import hashlib

    path = Path(path)
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)  # ctime: no touch -r
    if memo and key in _CONTENT:
        return _CONTENT[key]
    h = hashlib.blake2b(digest_size=DIGEST_SIZE)
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    if memo:
        _CONTENT[key] = digest
    return digest
