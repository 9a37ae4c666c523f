"""`kgreason ask` on a big graph (WordNet, 392k triples) against the shipped graph (issue 14).

Targets (same run, same machine):

* **first** ask on WordNet (a fresh cache: parse, closure, compiled-graph cache written) ≤ 30× a
  cold ask on the shipped graph;
* a **later cold** ask on WordNet (a new process: graph and closure read from the cache) ≤ 3× a
  cold ask on the shipped graph;
* a **warm** ask on WordNet (one Pipeline kept, questions asked again and again, like
  ask_latency.py) < 50 ms p50.

Cold asks are new `kgreason ask ... --json` processes (default pipeline; the shipped graph's
retrieval index is built by one untimed run first). Each cold figure is the median of --runs
processes; wall time and the processes' CPU time (user + sys) are both reported, since the
machine may be shared. WordNet is imported with `kgreason graph import-wordnet` (needs
``apt-get install wordnet-base``) unless --wordnet names a file.

    python benchmarks/big_graph_ask.py [--wordnet wordnet.ttl] [--runs 3] [--repeat 5] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUESTION = "Is an apple a fruit?"
WARM_QUESTIONS = ["Is an apple a fruit?", "Is a hammer a tool?", "Is a dog an animal?",
                  "Is Paris a city?", "Is a whale a mammal?", "Is a rose a flower?"]


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def ask_process(graph: str | None, env: dict) -> dict:
    cmd = [sys.executable, "-m", "kgreason.cli", "ask", QUESTION, "--json"]
    if graph:
        cmd += ["--graph", graph]
    cpu, t = _children_cpu(), time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    wall, cpu = time.perf_counter() - t, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    answer = json.loads(done.stdout[done.stdout.index("{"):])
    return {"wall_s": round(wall, 2), "cpu_s": round(cpu, 2), "answer": answer["answer"],
            "timings_ms": answer.get("timings_ms"), "evidence_note": answer.get("evidence_note")}


def median_of(runs: list[dict]) -> dict:
    return {"wall_s": round(statistics.median(r["wall_s"] for r in runs), 2),
            "cpu_s": round(statistics.median(r["cpu_s"] for r in runs), 2),
            "runs": runs}


def warm(graph: str, repeat: int) -> dict:
    from kgreason.pipeline import Pipeline

    pipe = Pipeline.from_config("default", graphs=[graph])
    t = time.perf_counter()
    pipe.ask(QUESTION)
    first = time.perf_counter() - t
    walls, cpus, answers = [], [], {}
    for _ in range(repeat):
        for q in WARM_QUESTIONS:
            t, c = time.perf_counter(), time.process_time()
            answers[q] = pipe.ask(q).answer
            walls.append((time.perf_counter() - t) * 1000)
            cpus.append((time.process_time() - c) * 1000)
    walls.sort()
    return {"first_in_process_s": round(first, 2), "asks": len(walls),
            "p50_ms": round(statistics.median(walls), 2),
            "p90_ms": round(walls[int(0.9 * (len(walls) - 1))], 2),
            "cpu_p50_ms": round(statistics.median(cpus), 2), "answers": answers}


def machine() -> dict:
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE") / 2**30
    except (ValueError, OSError):
        memory = None
    return {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "platform": platform.platform(),
            "machine": platform.machine(), "cpus": os.cpu_count(),
            "memory_gb": round(memory, 1) if memory else None, "python": platform.python_version(),
            "load_average": [round(x, 2) for x in os.getloadavg()]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--wordnet", help="a WordNet Turtle file (default: imported into a temp folder)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out", help="write the JSON report here as well")
    parser.add_argument("--warm-only", action="store_true",
                        help="only the warm asks (on an already cached --wordnet; KGREASON_CACHE kept)")
    args = parser.parse_args()
    if args.warm_only:
        print(json.dumps({"machine": machine(), "wordnet_warm": warm(args.wordnet, args.repeat)}, indent=2))
        return

    with tempfile.TemporaryDirectory(prefix="kgreason-bench-") as tmp:
        env = {**os.environ, "KGREASON_CACHE": str(Path(tmp) / "cache")}
        os.environ["KGREASON_CACHE"] = env["KGREASON_CACHE"]
        wordnet = args.wordnet
        if wordnet is None:
            wordnet = str(Path(tmp) / "wordnet.ttl")
            subprocess.run([sys.executable, "-m", "kgreason.cli", "graph", "import-wordnet", wordnet],
                           env=env, check=True, capture_output=True)
        report: dict = {"machine": machine(), "question": QUESTION}
        ask_process(None, env)  # builds the shipped graph's retrieval index (not timed)
        report["shipped_cold"] = median_of([ask_process(None, env) for _ in range(args.runs)])
        report["wordnet_first"] = ask_process(wordnet, env)
        report["wordnet_cold"] = median_of([ask_process(wordnet, env) for _ in range(args.runs)])
        report["wordnet_warm"] = warm(wordnet, args.repeat)
        base = report["shipped_cold"]
        ratios = {}
        for what in ("wall_s", "cpu_s"):
            ratios[f"first_vs_shipped_{what}"] = round(report["wordnet_first"][what] / base[what], 1)
            ratios[f"cold_vs_shipped_{what}"] = round(report["wordnet_cold"][what] / base[what], 2)
        report["ratios"] = ratios
        report["targets"] = {
            "first <= 30x shipped (cpu)": ratios["first_vs_shipped_cpu_s"] <= 30,
            "later cold <= 3x shipped (cpu)": ratios["cold_vs_shipped_cpu_s"] <= 3,
            "warm p50 < 50 ms (wall)": report["wordnet_warm"]["p50_ms"] < 50,
            "warm p50 < 50 ms (cpu)": report["wordnet_warm"]["cpu_p50_ms"] < 50,
        }
        report["machine"]["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
