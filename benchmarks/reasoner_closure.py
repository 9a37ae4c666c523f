"""Closure time and peak memory: kgreason (proofs kept) vs owlrl vs reasonable, in one run.

    python benchmarks/reasoner_closure.py                      # 10k, 100k, 1M generated + WordNet if present
    python benchmarks/reasoner_closure.py --sizes 10000 --owlrl-max 10000 --json out.json

Each (tool, graph) runs in its own subprocess so peak RSS (``resource.getrusage``) is per run.
Load time (parsing the file) and closure time are reported separately: kgreason and owlrl parse
with rdflib, reasonable with its own Rust parser. ``closure`` for kgreason includes interning
the graph's terms and keeping the provenance (rule + premises) of every derived fact.
"""

from __future__ import annotations

import argparse
import json
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def _peak_rss_mb() -> float:
    """Peak RSS of this process since exec (VmHWM); ``ru_maxrss`` would include the parent's
    memory at fork time on Linux."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _count_lines(path: Path) -> int:
    with path.open(encoding="utf-8") as fh:
        return sum(1 for line in fh if line.strip())


def _worker(tool: str, path: str) -> dict:
    """Run one tool on one graph in this process; return timings, counts and peak RSS."""
    from rdflib import Graph

    t0 = time.perf_counter()
    if tool == "kgreason":
        from kgreason.graph.knowledge_graph import KnowledgeGraph
        from kgreason.reasoning import Reasoner

        g = Graph()
        g.parse(path, format="nt")
        kg = KnowledgeGraph(g)
        t1, c1 = time.perf_counter(), time.process_time()
        r = Reasoner(kg).materialize()
        t2, c2 = time.perf_counter(), time.process_time()
        stats = r.stats
        derived = stats["derived"]
        top = list(stats["per_rule"].items())[:5]
        extra = {"rounds": stats["rounds"], "top_rules": top}
    elif tool == "owlrl":
        import owlrl

        g = Graph()
        g.parse(path, format="nt")
        before = len(g)
        t1, c1 = time.perf_counter(), time.process_time()
        owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
        t2, c2 = time.perf_counter(), time.process_time()
        derived = len(g) - before
        extra = {}
    elif tool == "reasonable":
        import reasonable

        ttl = (
            path[: -len(".nt")] + ".ttl"
        )  # reasonable reads .ttl/.n3 only; N-Triples is valid Turtle
        r = reasonable.PyReasoner()
        r.load_file(ttl)
        t1, c1 = time.perf_counter(), time.process_time()
        out = r.reason()
        t2, c2 = time.perf_counter(), time.process_time()
        derived = len(out) - _count_lines(Path(path))
        extra = {"output_triples": len(out)}
    else:
        raise SystemExit(f"unknown tool {tool}")
    return {
        "tool": tool,
        "load_s": round(t1 - t0, 3),
        "closure_s": round(t2 - t1, 3),
        "closure_cpu_s": round(c2 - c1, 3),
        "derived": derived,
        "peak_rss_mb": _peak_rss_mb(),
        **extra,
    }


def run_one(tool: str, path: Path, timeout: float) -> dict:
    cmd = [sys.executable, __file__, "--worker", tool, str(path)]
    try:
        proc = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"tool": tool, "error": f"timeout after {timeout:.0f}s"}
    if proc.returncode != 0:
        return {
            "tool": tool,
            "error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed",
        }
    return json.loads(proc.stdout.strip().splitlines()[-1])


def wordnet_graph(workdir: Path) -> Path | None:
    """WordNet as N-Triples: ``benchmarks/_work/wordnet.ttl`` if the loader benchmark left it,
    else ``kgreason graph import-wordnet`` (needs ``apt-get install -y wordnet-base``)."""
    import pyoxigraph as ox

    ttl = HERE / "_work" / "wordnet.ttl"
    if not ttl.exists():
        ttl = workdir / "wordnet-import.ttl"
        proc = subprocess.run(
            [sys.executable, "-m", "kgreason.cli", "graph", "import-wordnet", str(ttl)],
            check=False,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if proc.returncode != 0 or not ttl.exists():
            print(f"WordNet skipped: {proc.stderr.strip()[-300:]}", file=sys.stderr)
            return None
    out = workdir / "wordnet.nt"
    ox.serialize(
        ox.parse(path=str(ttl), format=ox.RdfFormat.TURTLE),
        output=str(out),
        format=ox.RdfFormat.N_TRIPLES,
    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--worker", nargs=2, metavar=("TOOL", "PATH"), help=argparse.SUPPRESS)
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--tools", nargs="*", default=["kgreason", "owlrl", "reasonable"])
    ap.add_argument("--owlrl-max", type=int, default=100_000, help="skip owlrl above this size")
    ap.add_argument("--no-wordnet", action="store_true")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="runs per tool for graphs up to 100k triples (min is reported; owlrl runs once)",
    )
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(_worker(*args.worker)))
        return
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        graphs: list[tuple[str, Path, int]] = []
        for n in args.sizes:
            nt = workdir / f"gen{n}.nt"
            subprocess.run(
                [sys.executable, str(HERE / "reasoner_graphs.py"), str(n), str(nt)], check=True
            )
            shutil.copy(nt, workdir / f"gen{n}.ttl")
            graphs.append((f"generated {n:,}", nt, n))
        if not args.no_wordnet:
            wn = wordnet_graph(workdir)
            if wn is not None:
                shutil.copy(wn, wn.with_suffix(".ttl"))
                size = _count_lines(wn)
                graphs.append((f"WordNet {size:,}", wn, size))
            else:
                print("WordNet graph not available: skipped", file=sys.stderr)
        for name, path, size in graphs:
            for tool in args.tools:
                if tool == "owlrl" and size > args.owlrl_max:
                    res = {"tool": tool, "error": f"skipped (> {args.owlrl_max:,} triples)"}
                else:
                    runs = args.repeat if size <= 100_000 and tool != "owlrl" else 1
                    tries = [run_one(tool, path, args.timeout) for _ in range(runs)]
                    ok = [t for t in tries if "error" not in t]
                    res = min(ok, key=lambda t: t["closure_cpu_s"]) if ok else tries[0]
                    if len(ok) > 1:
                        res["closure_s"] = min(t["closure_s"] for t in ok)
                        res["runs"] = len(ok)
                res["graph"] = name
                res["triples"] = size
                results.append(res)
                print(json.dumps(res), file=sys.stderr, flush=True)
    print(
        f"machine: {platform.machine()}, {platform.processor() or ''} python {platform.python_version()}"
    )
    print(
        "| graph | tool | load s | closure s (wall) | closure s (CPU) | derived | peak RSS MB | CPU vs kgreason |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    base = {r["graph"]: r.get("closure_cpu_s") for r in results if r["tool"] == "kgreason"}
    for r in results:
        if "error" in r:
            print(f"| {r['graph']} | {r['tool']} | | | | | | {r['error']} |")
            continue
        ratio = r["closure_cpu_s"] / base[r["graph"]] if base.get(r["graph"]) else float("nan")
        print(
            f"| {r['graph']} | {r['tool']} | {r['load_s']} | {r['closure_s']} | {r['closure_cpu_s']} | "
            f"{r['derived']:,} | {r['peak_rss_mb']} | {ratio:.2f}x |"
        )
    if args.json:
        args.json.write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
