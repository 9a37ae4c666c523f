"""The on-disk retrieval index: two FAISS stores (facts, labels) and a JSON manifest beside them.

Layout of an index folder::

    manifest.json                  what built it and which files are current (written last)
    facts-<gen>.faiss / .jsonl     fact vectors / one JSON record per line: id, text, triple (N3)
    labels-<gen>.faiss / .jsonl    label vectors / id, text, node (N3), kind

Saving writes a new generation of files, then atomically replaces ``manifest.json`` (temp file +
``os.replace``), then deletes older generations: a reader sees the old or the new index, never a
mix. Records are JSON (never pickle). Loading checks the manifest against the files (sizes, sha256
of the record and vector files, vector counts) and against the embedder, and raises
:class:`IndexMismatchError` — it never rewrites anything.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import time
import uuid
from collections.abc import Iterable
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kgreason import __version__
from kgreason.errors import IndexMismatchError
from kgreason.retrieval.embedder import Embedder
from kgreason.retrieval.facts import FACTS_VERSION, FactRecord, LabelRecord, TripleKey
from kgreason.retrieval.vector_store import APPROXIMATE_FROM, VectorStore, sha256_file

log = logging.getLogger(__name__)

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
LOCK = ".lock"
STORES = {"facts": FactRecord, "labels": LabelRecord}
#: Index builds show a progress bar from this many facts (or labels) on.
INDEX_PROGRESS_FROM = 64
_REBUILD = "rebuild it with `kgreason index build GRAPH... -o DIR --rebuild` (or delete the folder)"


@contextmanager
def _locked(directory: Path):
    """An exclusive lock on the folder while saving: two processes saving the same index (e.g. two
    ``ask`` runs building the same cache entry) must not delete each other's new files."""
    with (directory / LOCK).open("a") as fh:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - not POSIX: saves are still atomic, just not serialized
            yield
            return
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


class FactIndex:
    """Facts and labels embedded by one embedder, for one graph (``graph_fingerprint``)."""

    def __init__(self, manifest: dict[str, Any], stores: dict[str, VectorStore], path: Path | None = None):
        self.manifest = manifest
        self.stores = stores
        self.path = path
        self._by_identity: dict[tuple[TripleKey, bool], int] | None = None
        self._by_node: dict[str, list[int]] | None = None

    # ------------------------------------------------------------------ properties
    @property
    def facts(self) -> VectorStore:
        return self.stores["facts"]

    @property
    def labels(self) -> VectorStore:
        return self.stores["labels"]

    @property
    def graph_fingerprint(self) -> str:
        return self.manifest["graph_fingerprint"]

    @property
    def rules_fingerprint(self) -> str | None:
        return self.manifest.get("rules_fingerprint")

    @property
    def dim(self) -> int:
        return int(self.manifest["dim"])

    # ------------------------------------------------------------------ building
    @classmethod
    def build(cls, facts: list[FactRecord], labels: list[LabelRecord], embedder: Embedder, *,
              graph_fingerprint: str, rules_fingerprint: str | None = None,
              approximate_from: int = APPROXIMATE_FROM) -> FactIndex:
        """Embed everything and build both stores (facts may switch to IVF when large)."""
        started = time.perf_counter()
        dim = embedder.dim
        stores = {}
        for name, records in (("facts", facts), ("labels", labels)):
            # a progress bar on a terminal (stderr) from INDEX_PROGRESS_FROM texts on: the first
            # `ask` on a new graph embeds its facts, which takes seconds even for a few hundred
            progress = len(records) >= INDEX_PROGRESS_FROM and sys.stderr.isatty()
            vectors = (embedder.encode([r.text for r in records], show_progress=progress)
                       if records else np.zeros((0, dim), np.float32))
            stores[name] = VectorStore.create(vectors, list(records), dim,
                                              approximate_from=approximate_from if name == "facts" else 1 << 62)
        manifest = {
            "format_version": FORMAT_VERSION,
            "kgreason_version": __version__,
            "embedder": {"id": embedder.id, "fingerprint": embedder.fingerprint},
            "dim": dim,
            "metric": "inner_product",
            "graph_fingerprint": graph_fingerprint,
            "rules_fingerprint": rules_fingerprint,
            "inferred": rules_fingerprint is not None,
            "facts_version": FACTS_VERSION,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        }
        log.info("built index: %d facts, %d labels in %.1fs", len(facts), len(labels), time.perf_counter() - started)
        return cls(manifest, stores)

    # ------------------------------------------------------------------ lookups
    def fact(self, fact_id: int) -> FactRecord:
        return self.facts.records[fact_id]

    def fact_ids_by_identity(self) -> dict[tuple[TripleKey, bool], int]:
        if self._by_identity is None:
            self._by_identity = {rec.identity: i for i, rec in self.facts.records.items()}
        return self._by_identity

    def fact_ids_by_node(self) -> dict[str, list[int]]:
        """Subject/object N3 → fact ids (sorted): facts about an entity the question names."""
        if self._by_node is None:
            by_node: dict[str, list[int]] = {}
            for i in sorted(self.facts.records):
                s, _, o = self.facts.records[i].key
                by_node.setdefault(s, []).append(i)
                if o != s:
                    by_node.setdefault(o, []).append(i)
            self._by_node = by_node
        return self._by_node

    # ------------------------------------------------------------------ incremental changes
    def add_facts(self, records: Iterable[FactRecord], embedder: Embedder) -> int:
        """Embed and add facts not already present; returns how many were added."""
        self.check_embedder(embedder)
        known = self.fact_ids_by_identity()
        new: dict[tuple[TripleKey, bool], FactRecord] = {}
        for r in records:
            if r.identity not in known:
                new.setdefault(r.identity, r)
        new = list(new.values())
        if new:
            self.facts.add(embedder.encode([r.text for r in new]), new)
            self._by_identity = self._by_node = None
        return len(new)

    def remove_facts(self, identities: Iterable[tuple[TripleKey, bool]]) -> int:
        """Remove facts by (triple key, negated); returns how many were removed."""
        known = self.fact_ids_by_identity()
        ids = sorted({known[i] for i in identities if i in known})
        removed = self.facts.remove(ids)
        if ids:
            self._by_identity = self._by_node = None
        return removed

    def sync_labels(self, labels: list[LabelRecord], embedder: Embedder) -> tuple[int, int]:
        """Make the label store hold exactly ``labels`` (adds and removes only the difference)."""
        current = {rec: i for i, rec in self.labels.records.items()}
        wanted = set(labels)
        gone = [i for rec, i in current.items() if rec not in wanted]
        new = [rec for rec in labels if rec not in current]
        self.labels.remove(gone)
        if new:
            self.labels.add(embedder.encode([r.text for r in new]), new)
        return len(new), len(gone)

    # ------------------------------------------------------------------ checks
    def check_embedder(self, embedder: Embedder) -> None:
        built = self.manifest["embedder"]
        if built["fingerprint"] != embedder.fingerprint:
            raise IndexMismatchError(
                f"index was built with embedder {built['id']} (dim {self.dim}); this run uses {embedder.id}",
                where=str(self.path) if self.path else None,
                hint=f"use the same --model, or {_REBUILD}",
            )
        if embedder.dim != self.dim:
            raise IndexMismatchError(
                f"index vectors have dimension {self.dim}, the embedder {embedder.id} gives {embedder.dim}",
                where=str(self.path) if self.path else None, hint=_REBUILD)

    # ------------------------------------------------------------------ saving
    def save(self, directory: str | Path) -> Path:
        """Write a new generation of files, then commit it by replacing the manifest atomically."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        with _locked(directory):
            return self._save(directory)

    def _save(self, directory: Path) -> Path:
        gen = uuid.uuid4().hex[:12]
        manifest = dict(self.manifest)
        manifest["kgreason_version"] = __version__
        manifest["updated"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        manifest["generation"] = gen
        manifest["stores"] = {}
        for name, store in self.stores.items():
            index_file, items_file = f"{name}-{gen}.faiss", f"{name}-{gen}.jsonl"
            index_bytes = store.write(directory / index_file)
            with (directory / items_file).open("w", encoding="utf-8") as fh:
                for i in sorted(store.records):
                    fh.write(json.dumps({"id": i, **store.records[i].to_json()}, ensure_ascii=False))
                    fh.write("\n")
                fh.flush()
                os.fsync(fh.fileno())
            manifest["stores"][name] = {
                "index_file": index_file, "items_file": items_file, "index_bytes": index_bytes,
                "index_sha256": sha256_file(directory / index_file),
                "items_sha256": sha256_file(directory / items_file), **store.meta(),
            }
        tmp = directory / f".{MANIFEST}.{gen}.tmp"
        tmp.write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, directory / MANIFEST)  # the commit point
        keep = {f for meta in manifest["stores"].values() for f in (meta["index_file"], meta["items_file"])}
        for old in directory.iterdir():
            if old.name not in keep and old.suffix in (".faiss", ".jsonl") and old.name.split("-")[0] in STORES:
                old.unlink(missing_ok=True)
        self.manifest, self.path = manifest, directory
        log.info("saved index to %s (generation %s)", directory, gen)
        return directory

    @staticmethod
    def remove_files(directory: str | Path) -> None:
        """Delete an index folder's own files (manifest, vector and record files, sub-folders),
        before a rebuild into the same folder; the lock file stays."""
        directory = Path(directory)
        for old in directory.iterdir():
            if old.suffix in (".faiss", ".jsonl") or old.name == MANIFEST:
                old.unlink()
            elif old.is_dir():
                shutil.rmtree(old)

    # ------------------------------------------------------------------ loading
    @staticmethod
    def read_manifest(directory: str | Path) -> dict[str, Any]:
        directory = Path(directory)
        path = directory / MANIFEST
        if not path.exists():
            raise IndexMismatchError("no index here (manifest.json is missing)", where=str(directory),
                                     hint="build one with `kgreason index build GRAPH... -o DIR`")
        try:
            manifest = json.loads(path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise IndexMismatchError(f"manifest.json is not valid JSON ({exc})", where=str(path), hint=_REBUILD) from None
        if not isinstance(manifest, dict) or manifest.get("format_version") != FORMAT_VERSION:
            found = manifest.get("format_version") if isinstance(manifest, dict) else None
            raise IndexMismatchError(f"unsupported index format {found!r} (this kgreason reads {FORMAT_VERSION})",
                                     where=str(path), hint=_REBUILD)
        missing = [k for k in ("embedder", "dim", "metric", "graph_fingerprint", "stores") if k not in manifest]
        if missing or set(manifest.get("stores", {})) != set(STORES):
            raise IndexMismatchError(f"manifest.json lacks {', '.join(missing) or 'its stores'}", where=str(path),
                                     hint=_REBUILD)
        if manifest["metric"] != "inner_product":
            raise IndexMismatchError(f"unsupported metric {manifest['metric']!r}", where=str(path), hint=_REBUILD)
        return manifest

    @classmethod
    def load(cls, directory: str | Path, *, embedder: Embedder | None = None, mmap: bool = True) -> FactIndex:
        """Open an index folder; with ``embedder``, also check it was built by the same model."""
        directory = Path(directory)
        manifest = cls.read_manifest(directory)
        index = cls(manifest, {}, directory)
        if embedder is not None and manifest["embedder"].get("fingerprint") != embedder.fingerprint:
            index.check_embedder(embedder)  # raises with the two names
        stores = {}
        for name, record_cls in STORES.items():
            meta = manifest["stores"][name]
            items_path = directory / meta["items_file"]
            if not items_path.exists() or sha256_file(items_path) != meta["items_sha256"]:
                raise IndexMismatchError(f"{meta['items_file']} is missing or does not match the manifest",
                                         where=str(directory), hint=_REBUILD)
            records: dict[int, Any] = {}
            with items_path.open(encoding="utf-8") as fh:
                for line in fh:
                    data = json.loads(line)
                    records[int(data.pop("id"))] = record_cls.from_json(data)
            stores[name] = VectorStore.read(directory / meta["index_file"], records, meta, mmap=mmap)
            if stores[name].dim != manifest["dim"]:
                raise IndexMismatchError(f"{meta['index_file']} has dimension {stores[name].dim}, the manifest "
                                         f"says {manifest['dim']}", where=str(directory), hint=_REBUILD)
        index.stores = stores
        if embedder is not None:
            index.check_embedder(embedder)
        return index
