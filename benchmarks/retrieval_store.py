"""The kgreason index as a whole (FactIndex: FAISS + JSONL records + manifest) at 100k and 1M facts:
create, save, load (memory-mapped or not), first and warm query, and an incremental change
(add 1 / remove 1 fact, then save) against a full rebuild.

Vectors are the "real-ish" ones of ``retrieval_index.py`` (embedding 1M sentences takes hours on
this machine); records are synthetic facts. Embedding time is therefore not included: add
``n / sentences-per-second`` from ``retrieval_embedding.py`` for a real build.

    python benchmarks/retrieval_store.py --sizes 100000 1000000
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from retrieval_index import centres, realish

from kgreason.retrieval.facts import FactRecord
from kgreason.retrieval.index import FactIndex
from kgreason.retrieval.vector_store import APPROXIMATE_FROM, VectorStore


def records(n: int) -> list[FactRecord]:
    return [FactRecord((f"<urn:x:e{i}>", "<urn:x:p>", f"<urn:x:o{i % 997}>"), f"entity {i} relates to object {i % 997}")
            for i in range(n)]


def run(n: int, base: np.ndarray) -> dict:
    rng = np.random.default_rng(n)
    vectors = realish(base, n, rng)
    queries = realish(base, 50, rng)
    facts = records(n)
    row: dict = {"n": n}
    t = time.perf_counter()
    store = VectorStore.create(vectors, facts, vectors.shape[1])
    row["create_s"] = round(time.perf_counter() - t, 2)
    row["index_type"] = store.index_type
    empty = VectorStore.create(np.zeros((0, vectors.shape[1]), np.float32), [], vectors.shape[1], index_type="flat")
    manifest = {"format_version": 1, "embedder": {"id": "synthetic", "fingerprint": "synthetic"}, "dim": vectors.shape[1],
                "metric": "inner_product", "graph_fingerprint": "x", "rules_fingerprint": None, "facts_version": 2}
    index = FactIndex(manifest, {"facts": store, "labels": empty})
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "idx"
        t = time.perf_counter()
        index.save(folder)
        row["save_s"] = round(time.perf_counter() - t, 2)
        row["disk_mb"] = round(sum(p.stat().st_size for p in folder.iterdir()) / 1e6, 1)
        del index, store
        for mmap in (True, False):
            t = time.perf_counter()
            loaded = FactIndex.load(folder, mmap=mmap)
            key = "load_mmap_s" if mmap else "load_s"
            row[key] = round(time.perf_counter() - t, 2)
            t = time.perf_counter()
            loaded.facts.search(queries[:1], 10)
            row[f"first_query_ms_{'mmap' if mmap else 'mem'}"] = round((time.perf_counter() - t) * 1000, 2)
            lat = []
            for q in queries:
                t = time.perf_counter()
                loaded.facts.search(q[None, :], 10)
                lat.append((time.perf_counter() - t) * 1000)
            row[f"query_ms_median_{'mmap' if mmap else 'mem'}"] = round(float(np.median(lat)), 3)
            if mmap:
                t = time.perf_counter()
                new = FactRecord(("<urn:x:new>", "<urn:x:p>", "<urn:x:o1>"), "a new fact")
                loaded.facts.add(queries[:1], [new])  # vector given: embedding time excluded
                loaded.remove_facts([facts[0].identity])
                loaded.save(folder)
                row["add1_remove1_save_s"] = round(time.perf_counter() - t, 2)
            del loaded
    row["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    print(f"approximate (IVF) from {APPROXIMATE_FROM} vectors", flush=True)
    base = centres()
    rows = [run(n, base) for n in args.sizes]
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
