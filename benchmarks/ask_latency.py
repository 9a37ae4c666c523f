"""`kgreason ask` speed: warm (API, graph + closure + index loaded) and cold (a fresh CLI process).

Warm: one Pipeline, warmed up, then every question of tests/data/questions/commonsense.jsonl asked
REPEAT times; we report p50/p90/max of Answer.timings_ms["total"] and of wall time.
Cold: `kgreason ask "Can apples be eaten raw?"` as a new process, RUNS times, after one run that
builds the on-disk index (reported separately); also records whether torch was imported.

    python benchmarks/ask_latency.py [--repeat 3] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def warm(repeat: int) -> dict:
    from kgreason.pipeline import Pipeline

    t0 = time.perf_counter()
    pipe = Pipeline.from_config("default").warm_up()
    warm_up_s = time.perf_counter() - t0
    questions = [json.loads(line)["question"] for line in (ROOT / "tests/data/questions/commonsense.jsonl").read_text().splitlines() if line.strip()]
    totals, walls = [], []
    for _ in range(repeat):
        for q in questions:
            t = time.perf_counter()
            answer = pipe.ask(q)
            walls.append((time.perf_counter() - t) * 1000)
            totals.append(answer.timings_ms["total"])
    return {
        "questions": len(questions) * repeat,
        "warm_up_s": round(warm_up_s, 2),
        "p50_ms": round(statistics.median(walls), 2),
        "p90_ms": round(pct(walls, 0.9), 2),
        "max_ms": round(max(walls), 2),
        "torch_imported": "torch" in sys.modules,
    }


def cold(runs: int, cache: str) -> dict:
    env = {**os.environ, "KGREASON_CACHE": cache}
    cmd = [sys.executable, "-X", "importtime", "-m", "kgreason.cli", "ask", "Can apples be eaten raw?", "--json"]
    t = time.perf_counter()
    subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
    build_s = time.perf_counter() - t
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, check=True)
        times.append(time.perf_counter() - t)
    answer = json.loads(out.stdout)
    return {
        "first_run_with_index_build_s": round(build_s, 2),
        "runs": runs,
        "median_s": round(statistics.median(times), 2),
        "min_s": round(min(times), 2),
        "max_s": round(max(times), 2),
        "answer": answer["answer"],
        "torch_imported": " torch" in out.stderr.replace("|", " "),
        "timings_ms": answer["timings_ms"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache:
        os.environ["KGREASON_CACHE"] = cache
        result = {
            "machine": f"{platform.machine()} {os.cpu_count()} cores, {platform.python_version()}",
            "load_average": os.getloadavg(),
            "date": time.strftime("%Y-%m-%d"),
            "cold_cli": cold(args.runs, cache),
            "warm_api": warm(args.repeat),
        }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
