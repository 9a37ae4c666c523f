"""FOLIO (train file, split by story) through the first-order route: reading, z3, answers.

The dev split is every story whose ``story_id % 5 == 0`` (never used to write the grammar's
rules; tune on the rest). Reports accuracy, how many premises/conclusions were read, answers
with a proof that re-checks, and seconds per problem. Data: ../shared/data/folio-train.jsonl
(FOLIO, Yale-LILY, CC BY-SA 4.0).

    python benchmarks/first_order_folio.py --split dev [--out benchmarks/reports/first_order/folio_dev.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import time
from collections import Counter
from datetime import date
from pathlib import Path

from tqdm import tqdm

from kgreason.core.formulas import Equals, Predicate, subformulas
from kgreason.language.fol_notation import parse_formula
from kgreason.pipeline.first_order import answer_first_order

def logical_form(f) -> Counter:
    """The connectives and quantifiers of a formula, predicates and names left out: a reading
    with another form than the annotation's (∀ for ∃, → for ∧) is a misreading or a choice."""
    return Counter(type(g).__name__ for g in subformulas(f) if not isinstance(g, (Predicate, Equals)))


GOLD = {"True": "true", "False": "false", "Unknown": "unknown", "Uncertain": "unknown"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared/data/folio-train.jsonl"))
    ap.add_argument("--split", choices=["dev", "train", "all"], default="dev")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--timeout", type=float, default=10.0)
    ap.add_argument("--out")
    args = ap.parse_args()
    rows = [json.loads(line) for line in open(args.data, encoding="utf-8")]
    if args.split == "dev":
        rows = [r for r in rows if r["story_id"] % 5 == 0]
    elif args.split == "train":
        rows = [r for r in rows if r["story_id"] % 5 != 0]
    rows = rows[: args.limit] if args.limit else rows
    outcomes: Counter = Counter()
    right = 0
    seconds = []
    premises_read = premises_total = conclusions_read = 0
    proved = rechecked = 0
    confusion: Counter = Counter()
    compared = same_form = 0
    for r in tqdm(rows, desc="FOLIO", unit="problem"):
        start = time.perf_counter()
        res = answer_first_order(r["premises"], r["conclusion"], timeout_s=args.timeout)
        seconds.append(time.perf_counter() - start)
        gold = GOLD[r["label"]]
        outcomes[res.answer] += 1
        confusion[(gold, res.answer)] += 1
        right += res.answer == gold
        premises_total += len(r["premises"])
        premises_read += sum(f is not None for f in res.reading.premises)
        for ours, gold_text in zip(res.reading.premises, r.get("premises-FOL") or []):
            if ours is None:
                continue
            try:
                gold_formula = parse_formula(gold_text)
            except Exception:  # an annotation that does not parse (unbalanced brackets)
                continue
            compared += 1
            same_form += logical_form(ours) == logical_form(gold_formula)
        conclusions_read += res.reading.conclusion is not None
        if res.answer in ("true", "false"):
            proved += 1
            rechecked += bool(res.proof and res.proof.rechecked)
    n = len(rows)
    report = {
        "data": "FOLIO train file, " + {"dev": "dev split (story_id % 5 == 0, held out)",
                                        "train": "training split (story_id % 5 != 0)", "all": "all"}[args.split],
        "problems": n, "accuracy": round(right / n, 4) if n else None,
        "answers": dict(outcomes), "confusion": {f"{g}->{p}": c for (g, p), c in sorted(confusion.items())},
        "premises_read": round(premises_read / max(1, premises_total), 4),
        "conclusions_read": round(conclusions_read / max(1, n), 4),
        "premises_read_with_the_annotations_logical_form": round(same_form / max(1, compared), 4),
        "true_false_answers": proved, "true_false_rechecked": rechecked,
        "wrong_true_false": sum(c for (g, p), c in confusion.items() if p in ("true", "false") and p != g),
        "median_s": round(statistics.median(seconds), 3) if seconds else None,
        "max_s": round(max(seconds), 3) if seconds else None,
        "machine": f"{platform.machine()} {platform.processor() or ''} {__import__('os').cpu_count()} CPUs",
        "date": str(date.today()),
    }
    print(json.dumps(report, indent=2))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
