"""Symbolic accuracy and parse coverage on theory + question datasets (Logic-LM JSON format).

Each example's context is parsed by the English loader (``parse_theory``), the statement by
``parse_statement``, and decided by the reasoner (open world unless ``--closed-world``):
``kgreason.pipeline.theory.answer_theory_question``. Reports accuracy, parse coverage
(examples whose context and statement parsed fully), throughput, and the failures with their
cause so they can be fixed at the source.

    python benchmarks/symbolic_datasets.py                      # both shipped samples
    python benchmarks/symbolic_datasets.py ../shared/data/prontoqa-sample.json --limit 50 --json
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from pathlib import Path

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DEFAULT = [DATA / "proofwriter-d5-owa-train.json", DATA / "prontoqa-sample.json"]


def _gold(example: dict) -> str:
    """The answer letter mapped through the options ("A) True" → "true")."""
    for option in example.get("options", []):
        letter, _, text = option.partition(")")
        if letter.strip() == example["answer"]:
            return text.strip().lower()
    return {"A": "true", "B": "false", "C": "unknown"}[example["answer"]]


def run(path: Path, limit: int | None = None, closed_world: bool = False) -> dict:
    from kgreason.pipeline.theory import answer_theory_question, clear_cache

    examples = json.loads(path.read_text())[:limit]
    clear_cache()
    correct = parsed = 0
    confusion: Counter[tuple[str, str]] = Counter()
    failures = []
    start = time.perf_counter()
    cpu_start = time.process_time()
    for ex in examples:
        statement = ex["question"].rsplit("?", 1)[-1].strip() or ex["question"]
        truth, _proof, issues = answer_theory_question(ex["context"], statement, closed_world)
        gold = _gold(ex)
        confusion[(gold, truth)] += 1
        parsed += not issues
        if truth == gold:
            correct += 1
        else:
            failures.append({"id": ex["id"], "statement": statement, "gold": gold,
                             "predicted": truth, "issues": issues[:3]})
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    n = len(examples)
    return {
        "dataset": path.name, "examples": n, "accuracy": correct / n if n else 0.0,
        "parse_coverage": parsed / n if n else 0.0, "seconds": round(elapsed, 3),
        "examples_per_s": round(n / elapsed, 1) if elapsed else None,
        "cpu_seconds": round(cpu, 3), "examples_per_cpu_s": round(n / cpu, 1) if cpu else None,
        "confusion": {f"{g}->{p}": c for (g, p), c in sorted(confusion.items())},
        "failures": failures,
    }


def _warm_up() -> None:
    """One-time costs (imports, lemminflect's word lists, the reasoner's compiled rule shapes)
    are start-up, reported apart from throughput."""
    from kgreason.pipeline.theory import answer_theory_question, clear_cache

    answer_theory_question("The cat is big. If something is big then it is red.", "The cat is red.")
    answer_theory_question("Every wumpus is a yumpus. Max is a wumpus.", "Max is not a yumpus.")
    clear_cache()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("paths", nargs="*", type=Path, default=DEFAULT)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--closed-world", action="store_true")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    ap.add_argument("--show-failures", type=int, default=10)
    ap.add_argument("--default-gc", action="store_true",
                    help="keep Python's default GC thresholds (see theory.batch_gc)")
    args = ap.parse_args(argv)
    started = time.perf_counter()
    _warm_up()
    startup = time.perf_counter() - started
    if args.default_gc:
        results = [run(p, args.limit, args.closed_world) for p in args.paths]
    else:
        from kgreason.pipeline.theory import batch_gc

        results = []
        for p in args.paths:  # one batch per dataset, as `kgreason eval` runs them
            with batch_gc():
                results.append(run(p, args.limit, args.closed_world))
    if args.json:
        print(json.dumps({"machine": platform.machine(), "python": platform.python_version(),
                          "startup_s": round(startup, 3), "batch_gc": not args.default_gc,
                          "results": results}, indent=2))
        return 0
    print(f"start-up (imports, word lists, reasoner): {startup:.2f} s — not counted below")
    for r in results:
        print(f"{r['dataset']}: accuracy {r['accuracy']:.4f} ({r['examples']} examples), "
              f"parse coverage {r['parse_coverage']:.4f}, {r['examples_per_s']} examples/s wall "
              f"({r['seconds']} s), {r['examples_per_cpu_s']} examples/s of CPU time")
        print("  confusion (gold->predicted):", r["confusion"])
        for f in r["failures"][: args.show_failures]:
            print("  FAIL", f["id"], f["statement"], "gold", f["gold"], "got", f["predicted"],
                  f["issues"] or "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
