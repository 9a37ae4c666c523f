"""FAISS index benchmark: exact (flat inner product) vs approximate (IVF, HNSW) at 10k-1M vectors.

Embedding a million sentences with MiniLM on a 2-core CPU takes hours, so the index part uses
"real-ish" vectors: real MiniLM embeddings of the commonsense graph's facts and labels as cluster
centres, plus Gaussian noise, L2-normalized (sentence embeddings are clustered; uniform random
vectors would make every approximate index look worse than it is on real data). Queries are drawn
the same way. Embedding throughput is measured separately on real sentences
(``retrieval_embedding.py``).

Measures per size and index: build time (train + add, vectors/s), single-query latency (median
and p95 over --queries queries, one at a time like ``ask``), and recall@10 against exact search.

    python benchmarks/retrieval_index.py --sizes 10000 100000 1000000 --out benchmarks/reports/retrieval_index.json
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import faiss
import numpy as np

DIM = 384


def centres(limit: int = 2000) -> np.ndarray:
    """MiniLM vectors of the commonsense graph's facts and labels (the real part of the data)."""
    from kgreason.graph.loaders import load_graph
    from kgreason.retrieval import Embedder
    from kgreason.retrieval.facts import collect_facts, collect_labels

    kg = load_graph("commonsense")
    texts = [f.text for f in collect_facts(kg)] + [r.text for r in collect_labels(kg)]
    return Embedder().encode(texts[:limit])


def realish(base: np.ndarray, n: int, rng: np.random.Generator, noise: float = 0.02) -> np.ndarray:
    """Points in the span of real sentence vectors: a random mix (Dirichlet weights) of three real
    vectors plus a little noise, normalized. Unlike points around ~1k fixed centres (which every
    index finds trivially), this fills the semantic subspace continuously."""
    out = np.empty((n, base.shape[1]), dtype=np.float32)
    step = 100_000
    for start in range(0, n, step):
        m = min(step, n - start)
        pick = rng.integers(0, len(base), (m, 3))
        weights = rng.dirichlet(np.ones(3), m).astype(np.float32)
        x = np.einsum("mk,mkd->md", weights, base[pick]) + rng.normal(0, noise, (m, base.shape[1])).astype(np.float32)
        faiss.normalize_L2(x)
        out[start:start + m] = x
    return out


def timed_queries(index, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, list[float]]:
    """One query at a time on one OpenMP thread, as VectorStore.search runs a question."""
    ids, lat = [], []
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    for q in queries:
        t = time.perf_counter()
        _, i = index.search(q[None, :], k)
        lat.append((time.perf_counter() - t) * 1000)
        ids.append(i[0])
    faiss.omp_set_num_threads(threads)
    return np.array(ids), lat


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth)]))


def summary(name: str, n: int, build_s: float, lat: list[float], rec: float, **extra) -> dict:
    row = {"index": name, "n": n, "build_s": round(build_s, 2), "vectors_per_s": round(n / build_s),
           "latency_ms_median": round(float(np.median(lat)), 3), "latency_ms_p95": round(float(np.percentile(lat, 95)), 3),
           "recall_at_10": round(rec, 4), **extra}
    print(json.dumps(row), flush=True)
    return row


def run(n: int, base: np.ndarray, args) -> list[dict]:
    rng = np.random.default_rng(n)
    data = realish(base, n, rng)
    queries = realish(base, args.queries, rng)
    rows = []

    t = time.perf_counter()
    flat = faiss.IndexIDMap2(faiss.IndexFlatIP(DIM))
    flat.add_with_ids(data, np.arange(n, dtype=np.int64))
    build = time.perf_counter() - t
    truth, lat = timed_queries(flat, queries)
    rows.append(summary("flat", n, build, lat, 1.0))
    del flat

    for lists_per_sqrt in args.ivf_lists:
        nlist = max(1, min(65536, int(lists_per_sqrt * math.sqrt(n)), n // 39))
        t = time.perf_counter()
        ivf = faiss.IndexIVFFlat(faiss.IndexFlatIP(DIM), DIM, nlist, faiss.METRIC_INNER_PRODUCT)
        per_list = args.train_per_list
        sample = data if n <= per_list * nlist else data[np.sort(rng.choice(n, per_list * nlist, replace=False))]
        ivf.train(sample)
        train = time.perf_counter() - t
        ivf.add_with_ids(data, np.arange(n, dtype=np.int64))
        build = time.perf_counter() - t
        for nprobe in args.nprobe:
            if nprobe > nlist:
                continue
            ivf.nprobe = nprobe
            found, lat = timed_queries(ivf, queries)
            rows.append(summary(f"ivf{nlist}", n, build, lat, recall(found, truth), nlist=nlist, nprobe=nprobe,
                                train_s=round(train, 2)))
        del ivf

    if n <= args.hnsw_max:
        t = time.perf_counter()
        hnsw = faiss.IndexHNSWFlat(DIM, 32, faiss.METRIC_INNER_PRODUCT)
        hnsw.hnsw.efConstruction = 40
        hnsw.add(data)
        build = time.perf_counter() - t
        for ef in (32, 64, 128):
            hnsw.hnsw.efSearch = ef
            found, lat = timed_queries(hnsw, queries)
            rows.append(summary("hnsw32", n, build, lat, recall(found, truth), ef_search=ef))
        del hnsw
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--ivf-lists", type=float, nargs="+", default=[4.0], help="nlist = this × sqrt(n)")
    parser.add_argument("--train-per-list", type=int, default=64, help="k-means training points per list")
    parser.add_argument("--nprobe", type=int, nargs="+", default=[8, 16, 32, 64])
    parser.add_argument("--hnsw-max", type=int, default=100_000, help="skip HNSW above this size (slow build)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    print(f"faiss {faiss.__version__}, threads {faiss.omp_get_max_threads()}", flush=True)
    base = centres()
    rows = []
    for n in args.sizes:
        rows.extend(run(n, base, args))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(rows, indent=1))


if __name__ == "__main__":
    main()
