"""Query-time reasoning vs full materialization on WordNet: time to the first answer, per-question
time, facts derived and peak memory, each strategy in its own process.

    python benchmarks/query_time_wordnet.py WORDNET.ttl [--questions 20] [--json out.json]

WORDNET.ttl: ``kgreason graph import-wordnet wordnet.ttl`` (README). Questions: random synsets
asked "X ⊑ Y?" against an ancestor three steps up (true), and against a random synset (mostly
false or unknown), the same list for both strategies; the verdicts must agree. Loading the
Turtle file is timed apart (the same for both). The compiled-graph cache is off.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def worker(path: str, strategy: str, n: int) -> dict:
    import random

    from rdflib import RDFS

    from kgreason.graph.loaders import load_graph
    from kgreason.reasoning import Reasoner

    t0 = time.perf_counter()
    kg = load_graph(path)
    load_s = time.perf_counter() - t0
    rng = random.Random(0)
    parents: dict = {}
    for s, o in kg.rdf.subject_objects(RDFS.subClassOf):
        parents.setdefault(s, []).append(o)
    nodes = sorted(parents)
    questions = []
    for x in rng.sample(nodes, n):
        up = x
        for _ in range(3):
            up = min(parents.get(up, [up]))
        questions.append((x, RDFS.subClassOf, up))
        questions.append((x, RDFS.subClassOf, rng.choice(nodes)))
    r = Reasoner(kg, strategy=strategy)
    t1 = time.perf_counter()
    times, verdicts = [], []
    for q in questions:
        a = time.perf_counter()
        verdicts.append(r.holds(*q).value.value)
        times.append(time.perf_counter() - a)
    total = time.perf_counter() - t1
    times_sorted = sorted(times)
    return {
        "strategy": strategy, "load_s": round(load_s, 2), "questions": len(questions),
        "first_answer_s": round(times[0], 3), "all_answers_s": round(total, 2),
        "p50_later_ms": round(1000 * times_sorted[len(times) // 2], 1),
        "max_ms": round(1000 * times_sorted[-1], 1),
        "derived": r.stats["derived"], "peak_rss_mb": _peak_rss_mb(), "verdicts": verdicts,
    }


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--worker":
        print(json.dumps(worker(sys.argv[2], sys.argv[3], int(sys.argv[4]))))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("wordnet", type=Path)
    ap.add_argument("--questions", type=int, default=20)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    env = dict(os.environ, KGREASON_GRAPH_CACHE="0",
               PYTHONPATH=str(HERE.parent) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    out = {"date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
           "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
           "load_average": os.getloadavg(), "runs": []}
    for strategy in ("query-time", "materialize"):
        proc = subprocess.run([sys.executable, __file__, "--worker", str(args.wordnet), strategy,
                               str(args.questions)], env=env, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            out["runs"].append({"strategy": strategy, "error": proc.stderr.strip()[-300:]})
            continue
        run = json.loads(proc.stdout.strip().splitlines()[-1])
        out["runs"].append(run)
        print({k: v for k, v in run.items() if k != "verdicts"}, file=sys.stderr, flush=True)
    ok = [r for r in out["runs"] if "verdicts" in r]
    if len(ok) == 2:
        out["same_verdicts"] = ok[0]["verdicts"] == ok[1]["verdicts"]
    print(json.dumps({k: v for k, v in out.items()}, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1, default=str))


if __name__ == "__main__":
    main()
