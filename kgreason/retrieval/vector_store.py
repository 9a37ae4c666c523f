"""One FAISS index plus the records its ids point to (facts or labels).

Exact search (``IndexIDMap2(IndexFlatIP)``) up to :data:`APPROXIMATE_FROM` vectors, an inverted
file (``IndexIVFFlat``, inner product) above: IVF rather than HNSW because it supports removing
ids (incremental updates) and builds in seconds, where HNSW builds take minutes at 1M vectors on
two cores and cannot remove (see benchmarks/README.md, "Retrieval", for the measurements behind
the threshold and ``nprobe``). Loaded indexes are memory-mapped and read-only; the first change
copies them into memory.
"""

from __future__ import annotations

import hashlib
import logging
import math
from pathlib import Path
from typing import Any

import numpy as np

from kgreason.errors import IndexMismatchError

log = logging.getLogger(__name__)

#: From this many vectors on, build an approximate (IVF) index. Measured on the 2-core machine
#: (benchmarks/README.md): exact search of one 384-d query costs ~0.06 ms per 1k vectors (0.2 ms
#: at 10k, 6 ms at 100k, 128 ms at 1M); 50k keeps it near 3 ms, well inside the 50 ms ``ask``.
APPROXIMATE_FROM = 50_000
#: IVF lists probed per query: at least 16 (recall@10 0.9985 at 100k, 0.9995 at 1M, measured),
#: more for very large indexes (nlist/64).
NPROBE_FRACTION = 1 / 64
MIN_NPROBE = 16
#: Searches of up to this many queries run on one OpenMP thread: on the shared 2-core machine a
#: single query on a 10k flat index took 0.4 ms on one thread and ~40 ms on two (spinning threads).
SINGLE_THREAD_QUERIES = 8


def _faiss():
    from kgreason.extras import require

    require("models", "faiss", what="the retrieval index (FAISS)")
    import faiss

    return faiss


def sha256_file(path: Path) -> str:
    """The file's sha256, read in 1 MiB blocks: ~1 ms for the shipped commonsense index (both
    vector files, 1.5 MB; the whole load takes ~4.5 ms), ~0.1 s per 150 MB (100k 384-d vectors)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def ivf_lists(n: int) -> int:
    """Number of IVF lists: sqrt(n). Measured at 1M: sqrt(n) lists train in 15 s and reach recall
    0.9995 at nprobe 16; 2·sqrt(n) took 52 s for 0.9985; 4·sqrt(n) at 100k took 6x longer to
    train than sqrt(n) for no recall gain. At least 39 training points per list (k-means)."""
    return int(max(1, min(65536, math.sqrt(n), n // 39)))


class VectorStore:
    """A FAISS index keyed by int64 ids, and ``records[id]`` (any JSON-able record object)."""

    def __init__(self, index: Any, records: dict[int, Any], *, index_type: str, next_id: int, nprobe: int | None = None,
                 mmapped: bool = False):
        self.index = index
        self.records = records
        self.index_type = index_type
        self.next_id = next_id
        self.nprobe = nprobe
        self.mmapped = mmapped
        if nprobe is not None:
            self._ivf().nprobe = nprobe

    # ------------------------------------------------------------------ construction
    @classmethod
    def create(cls, vectors: np.ndarray, records: list[Any], dim: int, *, approximate_from: int = APPROXIMATE_FROM,
               index_type: str | None = None) -> VectorStore:
        """Build a new index over ``vectors`` (row i ↔ ``records[i]``, ids 0..n-1)."""
        faiss = _faiss()
        n = len(records)
        index_type = index_type or ("ivf" if n >= approximate_from else "flat")
        nprobe = None
        if index_type == "flat":
            index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
        elif index_type == "ivf":
            nlist = ivf_lists(n)
            index = faiss.IndexIVFFlat(faiss.IndexFlatIP(dim), dim, nlist, faiss.METRIC_INNER_PRODUCT)
            sample = vectors
            if n > 64 * nlist:  # k-means needs ~40-256 points per list; more only costs time
                rng = np.random.default_rng(0)
                sample = vectors[np.sort(rng.choice(n, 64 * nlist, replace=False))]
            log.info("training IVF index: %d lists on %d vectors", nlist, len(sample))
            index.train(np.ascontiguousarray(sample, dtype=np.float32))
            index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct + remove by id
            nprobe = min(nlist, max(MIN_NPROBE, int(nlist * NPROBE_FRACTION)))
        else:
            raise ValueError(f"unknown index type {index_type!r}")
        store = cls(index, {}, index_type=index_type, next_id=0, nprobe=nprobe)
        store.add(vectors, records)
        return store

    def _ivf(self):
        return _faiss().extract_index_ivf(self.index)

    @property
    def dim(self) -> int:
        return int(self.index.d)

    def __len__(self) -> int:
        return int(self.index.ntotal)

    # ------------------------------------------------------------------ changes
    def _writable(self) -> None:
        """Memory-mapped indexes are read-only: copy into memory before the first change."""
        if self.mmapped:
            faiss = _faiss()
            if self.index_type == "ivf":  # copy the mmapped inverted lists into memory
                ivf = self._ivf()
                lists = faiss.ArrayInvertedLists(ivf.nlist, ivf.code_size)
                for i in range(ivf.nlist):
                    n = ivf.invlists.list_size(i)
                    if n:
                        lists.add_entries(i, n, ivf.invlists.get_ids(i), ivf.invlists.get_codes(i))
                ivf.replace_invlists(lists, True)
                lists.this.disown()  # owned by the index now
            else:
                self.index = faiss.deserialize_index(faiss.serialize_index(self.index))
            self.mmapped = False

    def add(self, vectors: np.ndarray, records: list[Any]) -> list[int]:
        if len(records) != len(vectors):
            raise ValueError("one vector per record")
        if not records:
            return []
        self._writable()
        ids = np.arange(self.next_id, self.next_id + len(records), dtype=np.int64)
        self.index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), ids)
        for i, rec in zip(ids.tolist(), records):
            self.records[i] = rec
        self.next_id += len(records)
        return ids.tolist()

    def remove(self, ids: list[int]) -> int:
        ids = [i for i in ids if i in self.records]
        if not ids:
            return 0
        self._writable()
        removed = int(self.index.remove_ids(np.asarray(ids, dtype=np.int64)))
        for i in ids:
            del self.records[i]
        return removed

    # ------------------------------------------------------------------ queries
    def search(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """Top ``k`` (id, inner product) per query row, best first."""
        if len(self) == 0 or k <= 0:
            return [[] for _ in range(len(queries))]
        faiss = _faiss()
        threads = faiss.omp_get_max_threads()
        if len(queries) <= SINGLE_THREAD_QUERIES:
            faiss.omp_set_num_threads(1)
        try:
            scores, ids = self.index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(self)))
        finally:
            faiss.omp_set_num_threads(threads)
        return [
            [(int(i), float(s)) for i, s in zip(row_ids, row_scores) if i >= 0]
            for row_ids, row_scores in zip(ids, scores)
        ]

    def vectors(self, ids: list[int]) -> np.ndarray:
        """Stored vectors by id (exact for both index types)."""
        if not ids:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.vstack([self.index.reconstruct(int(i)) for i in ids]).astype(np.float32)

    # ------------------------------------------------------------------ files
    def write(self, path: Path) -> int:
        """Write the FAISS index to ``path``; returns its size in bytes."""
        _faiss().write_index(self.index, str(path))
        return path.stat().st_size

    @classmethod
    def read(cls, path: Path, records: dict[int, Any], meta: dict[str, Any], *, mmap: bool = True) -> VectorStore:
        """Read an index written by :meth:`write`, checking it against its manifest entry ``meta``."""
        faiss = _faiss()
        where = str(path)
        if not path.exists():
            raise IndexMismatchError("index file is missing", where=where,
                                     hint="rebuild it with `kgreason index build GRAPH -o DIR --rebuild`")
        size = path.stat().st_size
        if size != meta["index_bytes"]:
            raise IndexMismatchError(
                f"index file has {size} bytes, the manifest says {meta['index_bytes']} (truncated or replaced)",
                where=where, hint="rebuild it with `kgreason index build GRAPH -o DIR --rebuild`")
        # one streaming read before FAISS parses or maps the file: flipped bytes of the same size
        # would otherwise load silently (scores of 300+) or make FAISS allocate what a header says
        expected = meta.get("index_sha256")
        if expected is None or sha256_file(path) != expected:
            raise IndexMismatchError(
                "index file was written without a content hash (by an older kgreason)" if expected is None
                else "index file does not match the manifest: its sha256 differs (changed or damaged on disk)",
                where=where, hint="rebuild it with `kgreason index build GRAPH -o DIR --rebuild`")
        index_type = meta["index_type"]
        flags = 0
        if mmap:
            flags = faiss.IO_FLAG_MMAP if index_type == "ivf" else faiss.IO_FLAG_MMAP_IFC
        try:
            index = faiss.read_index(where, flags)
        except RuntimeError as exc:
            raise IndexMismatchError(f"cannot read the FAISS index ({str(exc).splitlines()[0][:160]})", where=where,
                                     hint="the file is corrupt: rebuild with `kgreason index build ... --rebuild`") from None
        if int(index.ntotal) != meta["count"] or len(records) != meta["count"]:
            raise IndexMismatchError(
                f"index holds {index.ntotal} vectors and {len(records)} records, the manifest says {meta['count']}",
                where=where, hint="rebuild it with `kgreason index build GRAPH -o DIR --rebuild`")
        return cls(index, records, index_type=index_type, next_id=meta["next_id"], nprobe=meta.get("nprobe"),
                   mmapped=bool(flags))

    def meta(self) -> dict[str, Any]:
        return {"index_type": self.index_type, "count": len(self), "next_id": self.next_id, "nprobe": self.nprobe}
