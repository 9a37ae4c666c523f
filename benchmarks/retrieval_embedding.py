"""Embedding throughput and question latency with the packaged MiniLM, on real sentences.

Sentences: every fact of the commonsense graph, asserted and inferred, verbalized (~1.5k). Reports
sentences/s for index building (sentence-transformers, batched) and the latency of embedding one
question (NumPy path, which avoids importing torch, and the sentence-transformers path).

    python benchmarks/retrieval_embedding.py [--device cuda] --out benchmarks/reports/retrieval_embedding.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from kgreason.graph.loaders import load_graph
from kgreason.reasoning import Reasoner
from kgreason.retrieval import Embedder
from kgreason.retrieval.facts import collect_facts

QUESTIONS = Path(__file__).resolve().parent / "data" / "retrieval_questions.jsonl"


def latency(fn, items) -> dict:
    lat = []
    for item in items:
        start = time.perf_counter()
        fn(item)
        lat.append((time.perf_counter() - start) * 1000)
    return {"median_ms": round(float(np.median(lat)), 2), "p95_ms": round(float(np.percentile(lat, 95)), 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", default=None)
    parser.add_argument("--batch-size", type=int, nargs="+", default=[64])
    parser.add_argument("--repeat", type=int, default=1, help="embed the sentences this many times (GPU: more)")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()

    kg = load_graph("commonsense")
    sentences = [f.text for f in collect_facts(kg, Reasoner(kg))] * args.repeat
    questions = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines() if line.strip()]
    report: dict = {"sentences": len(sentences)}

    st = Embedder(device=args.device, backend="sentence-transformers")
    st.encode(sentences[:64])  # load + warm up
    import torch

    report["device"] = str(st._st_model().device)
    report["torch_threads"] = torch.get_num_threads()
    for bs in args.batch_size:
        start = time.perf_counter()
        st.encode(sentences, batch_size=bs, show_progress=False)
        seconds = time.perf_counter() - start
        report[f"build_sentences_per_s_bs{bs}"] = round(len(sentences) / seconds, 1)
        print(f"batch {bs}: {len(sentences) / seconds:.1f} sentences/s", flush=True)
    report["question_sentence_transformers"] = latency(lambda q: st.encode([q]), questions)

    numpy_embedder = Embedder(backend="numpy")
    numpy_embedder.encode(["warm up"])
    report["question_numpy"] = latency(lambda q: numpy_embedder.encode([q]), questions)
    a, b = numpy_embedder.encode(questions[:8]), st.encode(questions[:8])
    report["numpy_vs_torch_max_abs_diff"] = float(np.abs(a - b).max())
    print(json.dumps(report, indent=1))
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
