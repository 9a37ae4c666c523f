"""``import kgreason`` cost, from ``python -X importtime`` (median of several fresh interpreters).

Usage: ``python benchmarks/loaders_import_time.py [--runs 5]``. Also reports ``kgreason.graph``
(rdflib) and ``kgreason.cli`` (what the ``kgreason`` command pays before doing anything), and checks
that none of them imports torch, transformers or faiss.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys

HEAVY = ("torch", "transformers", "faiss", "sentence_transformers")


def cumulative_us(module: str) -> tuple[int, list[str]]:
    code = (
        f"import json, sys, {module}; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    )
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code], capture_output=True, text=True, check=True
    )
    total = 0
    for line in proc.stderr.splitlines():
        parts = [p.strip() for p in line.split("|")]
        if len(parts) == 3 and parts[2] == module:
            total = int(parts[1])
    return total, json.loads(proc.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print("| module | median import (ms) | heavy modules imported |")
    print("|---|---:|---|")
    for module in ("kgreason", "kgreason.graph", "kgreason.cli"):
        samples = [cumulative_us(module) for _ in range(args.runs)]
        ms = statistics.median(us for us, _ in samples) / 1000
        heavy = sorted({m for _, found in samples for m in found}) or "none"
        print(f"| `{module}` | {ms:.1f} | {heavy} |", flush=True)


if __name__ == "__main__":
    main()
