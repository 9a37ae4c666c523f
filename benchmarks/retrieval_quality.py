"""Retrieval quality on the shipped commonsense graph: is the fact a question needs in the top k?

Questions: benchmarks/data/retrieval_questions.jsonl ({"question", "needed": [[s, p, o], ...]},
prefixed names). For each question the Retriever (packaged MiniLM, exact index) returns k facts;
we report the fraction of questions with at least one needed fact in the top k, with all needed
facts in the top k, per-fact recall, the mean reciprocal rank of the first needed fact, and warm
latency. The entity bonus and the ancestor weighting are ablated (0:0 = plain cosine similarity)
to show what entity linking adds.

    python benchmarks/retrieval_quality.py --out benchmarks/reports/retrieval_quality.json
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from kgreason.graph.loaders import load_graph
from kgreason.retrieval import Embedder, Retriever
from kgreason.retrieval import retriever as retriever_module

QUESTIONS = Path(__file__).resolve().parent / "data" / "retrieval_questions.jsonl"


def evaluate(retriever: Retriever, kg, rows: list[dict], k: int) -> dict:
    any_hit = all_hit = facts_found = facts_total = 0
    rr, latency, misses = [], [], []
    for row in rows:
        needed = {tuple(kg.resolve(x) for x in triple) for triple in row["needed"]}
        start = time.perf_counter()
        result = retriever.retrieve(row["question"], k=k)
        latency.append((time.perf_counter() - start) * 1000)
        got = [e.triple for e in result.evidence]
        hits = [i for i, t in enumerate(got) if t in needed]
        found = needed & set(got)
        any_hit += bool(found)
        all_hit += found == needed
        facts_found += len(found)
        facts_total += len(needed)
        rr.append(1 / (hits[0] + 1) if hits else 0.0)
        if not found:
            misses.append({"question": row["question"], "needed": row["needed"], "top3": [e.text for e in result.evidence[:3]]})
    n = len(rows)
    return {
        "questions": n, "k": k,
        "any_needed_in_top_k": round(any_hit / n, 4),
        "all_needed_in_top_k": round(all_hit / n, 4),
        "fact_recall_at_k": round(facts_found / facts_total, 4),
        "mrr": round(float(np.mean(rr)), 4),
        "latency_ms_median": round(float(np.median(latency)), 2),
        "latency_ms_p95": round(float(np.percentile(latency, 95)), 2),
        "misses": misses,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=Path, default=QUESTIONS)
    parser.add_argument("--graph", default="commonsense")
    parser.add_argument("-k", type=int, nargs="+", default=[10, 5, 1])
    parser.add_argument("--settings", nargs="+", default=["0.1:0.7", "0.1:0", "0:0", "0.15:0.7", "0.15:0.5"],
                        help="ENTITY_BONUS:ANCESTOR_DECAY pairs (0:0 = plain cosine similarity)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    rows = [json.loads(line) for line in args.questions.read_text().splitlines() if line.strip()]
    kg = load_graph(args.graph)
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        retriever = Retriever(kg, embedder=embedder, index_dir=Path(tmp) / "index")
        start = time.perf_counter()
        retriever.warm_up()
        build_s = time.perf_counter() - start
        print(f"index: {len(retriever.index.facts)} facts, {len(retriever.index.labels)} labels, built in {build_s:.1f}s")
        retriever.retrieve("warm up", k=1)
        results = []
        for setting in args.settings:
            bonus, decay = (float(x) for x in setting.split(":"))
            retriever_module.ENTITY_BONUS, retriever_module.ANCESTOR_DECAY = bonus, decay
            for k in args.k:
                res = evaluate(retriever, kg, rows, k)
                res["entity_bonus"], res["ancestor_decay"] = bonus, decay
                results.append(res)
                print(json.dumps({key: v for key, v in res.items() if key != "misses"}), flush=True)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps({"build_s": round(build_s, 1), "results": results}, indent=1))


if __name__ == "__main__":
    main()
