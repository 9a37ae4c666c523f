"""Cold `kgreason ask` with and without WordNet background knowledge (issue 25).

A fresh CLI process per run (default pipeline, retrieval index already on disk after one untimed
run), median of --runs: a question the graph answers (background unused: what it costs when
nothing needs it), and a membership question only WordNet answers ("Is the sun a star?"). The
latter is not timed with --no-background: the shipped pipeline then tries the neural reader.

    python benchmarks/ask_background.py [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time

CASES = [("Can penguins fly?", "--background"), ("Can penguins fly?", "--no-background"),
         ("Is the sun a star?", "--background")]


def run(question: str, flag: str) -> tuple[float, dict]:
    cmd = [sys.executable, "-m", "kgreason.cli", "ask", question, flag, "--json"]
    t = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return time.perf_counter() - t, json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    run("Can penguins fly?", "--background")  # builds the retrieval index once if missing
    report = {"machine": f"{platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}",
              "date": time.strftime("%Y-%m-%d %H:%M"), "load_average_before": os.getloadavg(), "cases": []}
    for question, flag in CASES:
        times, answer = [], {}
        for _ in range(args.runs):  # interleaving would be fairer under load; runs are short
            seconds, answer = run(question, flag)
            times.append(seconds)
        report["cases"].append({"question": question, "flag": flag, "answer": answer["answer"],
                                "median_s": round(statistics.median(times), 2),
                                "min_s": round(min(times), 2), "max_s": round(max(times), 2),
                                "inside_ask_ms": answer["timings_ms"]})
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
