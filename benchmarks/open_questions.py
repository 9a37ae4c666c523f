"""Open questions (which / what / who / how many / why / what is): warm `Pipeline.ask` speed.

One default Pipeline (the shipped commonsense graph, retrieval, reasoner, open world), warmed up,
then every question of tests/data/questions/commonsense-open.jsonl asked REPEAT times (the first
round is a warm-up of the per-question caches and is not counted unless --count-first). Reports
p50/p90/max of Answer.timings_ms["total"] overall and per kind, and the mean of each stage.

    python benchmarks/open_questions.py [--repeat 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "tests/data/questions/commonsense-open.jsonl"


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def run(repeat: int, count_first: bool) -> dict:
    from kgreason.pipeline import Pipeline

    rows = [json.loads(line) for line in TABLE.read_text().splitlines() if line.strip()]
    t0 = time.perf_counter()
    pipe = Pipeline.from_config("default").warm_up()
    warm_up_s = time.perf_counter() - t0
    if not count_first:
        for row in rows:
            pipe.ask(row["question"])
    totals: list[float] = []
    by_kind: dict[str, list[float]] = defaultdict(list)
    stages: dict[str, list[float]] = defaultdict(list)
    for _ in range(repeat):
        for row in rows:
            answer = pipe.ask(row["question"])
            total = answer.timings_ms["total"]
            totals.append(total)
            by_kind[answer.kind].append(total)
            for stage, ms in answer.timings_ms.items():
                if stage != "total":
                    stages[stage].append(ms)
    return {
        "questions": len(rows),
        "asked": len(totals),
        "warm_up_s": round(warm_up_s, 2),
        "p50_ms": round(statistics.median(totals), 2),
        "p90_ms": round(pct(totals, 0.9), 2),
        "max_ms": round(max(totals), 2),
        "by_kind_p50_ms": {k: round(statistics.median(v), 2) for k, v in sorted(by_kind.items())},
        "by_kind_p90_ms": {k: round(pct(v, 0.9), 2) for k, v in sorted(by_kind.items())},
        "stage_mean_ms": {k: round(statistics.fmean(v), 2) for k, v in sorted(stages.items())},
        "torch_imported": "torch" in sys.modules,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--count-first", action="store_true",
                        help="count the first round too (per-question caches cold)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ.setdefault("KGREASON_CACHE", cache)  # a fresh index unless the caller keeps one
        result = {
            "machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "date": time.strftime("%Y-%m-%d"),
            "warm_api": run(args.repeat, args.count_first),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
