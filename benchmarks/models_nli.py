"""NLI verifier benchmark: held-out 3-way accuracy, CPU throughput (pairs/s) and single-pair latency.

Held-out sets come from sources never used in training: tests/data/geography.ttl (a graph; facts
verbalized with kgreason's verbalizer) and the ProntoQA sample (fictional ontologies). Both are
generated with the same recipe as the training data (kgreason.models.nli_data), seeded.

    python benchmarks/models_nli.py [--model PATH] [--n 900] [--device cpu] [--out results.json]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter, defaultdict
from pathlib import Path

from kgreason.graph.loaders import load_graph
from kgreason.models.nli import NLIVerifier
from kgreason.models.nli_data import generate_examples, graph_world, prontoqa_worlds

ROOT = Path(__file__).resolve().parents[1]


def heldout_sets(n: int, seed: int = 2026) -> dict[str, list]:
    geo = graph_world(load_graph([ROOT / "tests" / "data" / "geography.ttl"]), "geography")
    pronto = prontoqa_worlds(ROOT.parent / "shared" / "data" / "prontoqa-sample.json")
    return {"geography.ttl": generate_examples([geo], n, seed=seed),
            "prontoqa": generate_examples(pronto, n, seed=seed + 1)}


def score(verifier: NLIVerifier, examples: list) -> dict:
    preds = verifier.predict([(e.premise, e.hypothesis) for e in examples], batch_size=32)
    labels = ("entailment", "neutral", "contradiction")
    confusion = {g: Counter() for g in labels}
    by_how: dict[str, list[bool]] = defaultdict(list)
    for e, p in zip(examples, preds):
        confusion[e.label][p.label] += 1
        by_how[f"{e.label}/{e.how}"].append(p.label == e.label)
    correct = sum(confusion[g][g] for g in labels)
    return {
        "n": len(examples),
        "accuracy": round(correct / len(examples), 4),
        "recall": {g: round(confusion[g][g] / max(1, sum(confusion[g].values())), 4) for g in labels},
        "by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_how.items())},
        "confusion": {g: dict(confusion[g]) for g in labels},
    }


def proof_pairs(graph: str, questions: Path) -> list:
    """(proof sentences, the question's statement, entailment|contradiction) where the reasoner
    proves or refutes the question's triple: does the verifier read the proof as the reasoner does?"""
    from kgreason.language.render import proof_sentences
    from kgreason.language.verbalize import sentence, verbalize
    from kgreason.models.nli_data import NLIExample
    from kgreason.reasoning import Reasoner

    kg = load_graph([graph])
    reasoner = Reasoner(kg, rules=kg.rules, closed_world=False).materialize()
    out = []
    for line in questions.read_text().splitlines():
        row = json.loads(line)
        if not row.get("triple"):
            continue
        s, p, o = (kg.resolve(t) for t in row["triple"])
        verdict = reasoner.holds(s, p, o)
        if verdict.value.value == "unknown" or verdict.proof is None:
            continue
        label = "entailment" if verdict.value.value == "true" else "contradiction"
        out.append(NLIExample(" ".join(proof_sentences(verdict.proof, kg)), sentence(verbalize(kg, (s, p, o))), label,
                              Path(graph).stem, "proof"))
    return out


def speed(verifier: NLIVerifier, examples: list) -> dict:
    pairs = [(e.premise, e.hypothesis) for e in examples[:256]]
    verifier.predict(pairs[:8])
    t = time.perf_counter()
    verifier.predict(pairs, batch_size=32)
    batch_s = time.perf_counter() - t
    lat = []
    for p in pairs[:40]:
        t = time.perf_counter()
        verifier.predict([p])
        lat.append((time.perf_counter() - t) * 1000)
    lat.sort()
    return {"pairs_per_second_batch32": round(len(pairs) / batch_s, 1),
            "latency_ms_p50": round(statistics.median(lat), 1),
            "latency_ms_p95": round(lat[int(0.95 * (len(lat) - 1))], 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--model", default=None, help="checkpoint (default: the shipped adapter)")
    ap.add_argument("--n", type=int, default=900)
    ap.add_argument("--device", default=None)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    t = time.perf_counter()
    verifier = NLIVerifier(args.model, device=args.device).warm_up()
    load_s = time.perf_counter() - t
    sets = heldout_sets(args.n)
    result = {"model": args.model or "default-nli", "device": verifier.device, "load_seconds": round(load_s, 2),
              "heldout": {name: score(verifier, ex) for name, ex in sets.items()},
              "speed": speed(verifier, sets["geography.ttl"])}
    data = ROOT / "tests" / "data" / "questions"
    result["proofs"] = {
        "geography.ttl": score(verifier, proof_pairs(str(ROOT / "tests" / "data" / "geography.ttl"),
                                                     data / "geography.jsonl")),
        "commonsense": score(verifier, proof_pairs("commonsense", data / "commonsense.jsonl")),
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text)


if __name__ == "__main__":
    main()
