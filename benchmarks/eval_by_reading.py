"""Accuracy of each mode on the examples the symbolic path read fully and on those where reading
failed (a theory sentence or the statement not understood, or the theory as read unusable), from
the ``predictions.jsonl`` of a ``kgreason eval --mode all`` report.

The hybrid's contract (docs/architecture.md): on "read" it equals symbolic; on "failed" it is at
least neural. ``python benchmarks/eval_by_reading.py benchmarks/reports/*-all``
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from pathlib import Path


def by_reading(report_dir: Path) -> dict[str, dict[str, tuple[int, int]]]:
    modes: dict[str, dict[str, dict]] = defaultdict(dict)
    for line in (report_dir / "predictions.jsonl").read_text().splitlines():
        if line.strip():
            record = json.loads(line)
            modes[record["mode"]][record["key"]] = record
    symbolic = modes["symbolic"]
    failed = {k for k, r in symbolic.items()
              if not (r.get("parsed") and r.get("statement_parsed")) or "error" in r}
    out: dict[str, dict[str, tuple[int, int]]] = {}
    for mode, records in modes.items():
        out[mode] = {}
        for subset, keys in (("read", set(records) - failed), ("failed", failed & set(records))):
            correct = sum(records[k]["predicted"] == records[k]["gold"] for k in keys)
            out[mode][subset] = (correct, len(keys))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("reports", nargs="+", type=Path)
    args = parser.parse_args()
    print("| report | subset | n | symbolic | neural | hybrid |")
    print("|---|---|---:|---:|---:|---:|")
    for report in args.reports:
        table = by_reading(report)
        for subset in ("read", "failed"):
            n = table["symbolic"][subset][1]
            cells = []
            for mode in ("symbolic", "neural", "hybrid"):
                c, m = table.get(mode, {}).get(subset, (0, 0))
                cells.append(f"{c / m:.1%}" if m else "–")
            print(f"| {report.name} | {subset} | {n} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
