"""`kgreason materialize` end to end vs reasonable (Rust) vs owlrl, whole processes, one run.

    python benchmarks/materialize_vs.py                    # the three graphs below, 3 rounds
    python benchmarks/materialize_vs.py --rounds 1 --owlrl-max 10000 --json out.json

Each (tool, graph) is a fresh interpreter doing start-up, load, reasoning and writing the closure
as N-Triples; wall time of that process (what a user waits for) and its CPU time. Tools alternate
within a round, so a busy machine slows them alike; the best of the rounds is reported.
Graphs: ``../shared/bench/gen_chain_graph.py`` default (8.6k triples), with
``--instances 48000 --chains 4000 --classes 1023`` (97k), and a transitive chain of 1,000 nodes.
kgreason runs cold (``KGREASON_GRAPH_CACHE=0``: parse and reason, no compiled-graph cache).

Same set: kgreason's output vs owlrl's, restricted to the graph's own vocabulary and without
reflexive sameAs/subClassOf/... (owlrl adds axiomatic and reflexive triples; kgreason never does),
as ``tests/reasoning/test_properties.py`` compares them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
GEN = HERE.parent.parent / "shared" / "bench" / "gen_chain_graph.py"

WORKER = r"""
import sys, time
tool, src, out = sys.argv[1:4]
if tool == "reasonable":
    import reasonable
    r = reasonable.PyReasoner()
    r.load_file(src)  # reads .ttl (N-Triples is Turtle)
    triples = r.reason()  # rdflib terms
    with open(out, "w", encoding="utf-8") as fh:
        fh.writelines(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)
elif tool == "owlrl":
    import owlrl
    from rdflib import Graph
    g = Graph()
    g.parse(src, format="nt")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    g.serialize(out, format="nt", encoding="utf-8")
"""


def _run(cmd: list[str], env: dict, timeout: float) -> dict:
    start = time.perf_counter()
    before = os.times()
    try:
        proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timeout after {timeout:.0f} s"}
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (after.children_system - before.children_system)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["failed"])[-1][:300]}
    return {"wall_s": round(wall, 3), "cpu_s": round(cpu, 3)}


def run_tool(tool: str, graph: Path, out: Path, timeout: float) -> dict:
    env = dict(os.environ, KGREASON_GRAPH_CACHE="0", KGREASON_PROGRESS="0",
               PYTHONPATH=str(HERE.parent) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    if tool == "kgreason":
        cmd = [sys.executable, "-m", "kgreason.cli", "materialize", str(graph), "-o", str(out)]
    else:
        src = graph.with_suffix(".ttl") if tool == "reasonable" else graph
        cmd = [sys.executable, "-c", WORKER, tool, str(src), str(out)]
    result = _run(cmd, env, timeout)
    if "error" not in result:
        result["triples_out"] = sum(1 for line in out.open(encoding="utf-8") if line.strip())
    return result


def _terms(path: Path) -> set:
    import pyoxigraph as ox

    return {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)}


def same_set(source: Path, ours: Path, owlrl_out: Path) -> dict:
    """kgreason's closure vs owlrl's in the graph's own vocabulary, reflexive triples left out."""
    import pyoxigraph as ox

    rdf, rdfs, owl = ("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://www.w3.org/2000/01/rdf-schema#",
                      "http://www.w3.org/2002/07/owl#")
    reflexive = {ox.NamedNode(x) for x in (owl + "sameAs", rdfs + "subClassOf", rdfs + "subPropertyOf",
                                           owl + "equivalentClass", owl + "equivalentProperty")}
    asserted = _terms(source)
    vocab = {n for t in asserted for n in t} | reflexive | {
        ox.NamedNode(rdf + "type"), ox.NamedNode(rdfs + "domain"), ox.NamedNode(rdfs + "range")}

    def keep(t) -> bool:
        return all(n in vocab for n in t) and not (t[1] in reflexive and t[0] == t[2])

    a = {t for t in _terms(ours) if keep(t)}
    b = {t for t in _terms(owlrl_out) if keep(t)}
    return {"equal": a == b, "kgreason_only": len(a - b), "owlrl_only": len(b - a),
            "compared": len(a), "examples": [str(t) for t in list(a ^ b)[:3]]}


def chain_graph(path: Path, n: int = 1000) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        p = "<http://example.org/before>"
        fh.write(f"{p} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
                 "<http://www.w3.org/2002/07/owl#TransitiveProperty> .\n")
        for i in range(n):
            fh.write(f"<http://example.org/n{i}> {p} <http://example.org/n{i + 1}> .\n")
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--owlrl-max", type=int, default=10_000, help="run owlrl only on graphs up to this many triples")
    ap.add_argument("--owlrl-chain", action="store_true", help="also owlrl on the chain (very slow)")
    ap.add_argument("--timeout", type=float, default=900)
    ap.add_argument("--graphs", nargs="*", default=["default", "big", "chain1000"])
    ap.add_argument("--json", type=Path, help="also write the results here")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kgr-matvs-"))
    graphs: dict[str, Path] = {}
    for name in args.graphs:
        path = work / f"{name}.nt"
        if name == "default":
            subprocess.run([sys.executable, str(GEN), str(path)], check=True, capture_output=True)
        elif name == "big":
            subprocess.run([sys.executable, str(GEN), str(path), "--instances", "48000", "--chains", "4000",
                            "--classes", "1023"], check=True, capture_output=True)
        elif name == "chain1000":
            chain_graph(path)
        else:
            raise SystemExit(f"unknown graph {name}")
        path.with_suffix(".ttl").write_bytes(path.read_bytes())
        graphs[name] = path
    results: dict = {}
    for name, path in graphs.items():
        n = sum(1 for _ in path.open(encoding="utf-8"))
        owlrl = n <= args.owlrl_max and (name != "chain1000" or args.owlrl_chain)
        tools = ["kgreason", "reasonable"] + (["owlrl"] if owlrl else [])
        runs: dict[str, list] = {t: [] for t in tools}
        for r in range(args.rounds):
            for tool in tools:
                if tool == "owlrl" and r > 0:
                    continue  # slow and steady: once
                res = run_tool(tool, path, work / f"{name}.{tool}.nt", args.timeout)
                runs[tool].append(res)
                print(f"{name} ({n} triples) round {r + 1} {tool}: {res}", file=sys.stderr, flush=True)
        best = {t: min((x for x in rs if "error" not in x), key=lambda x: x["wall_s"], default=rs[0])
                for t, rs in runs.items()}
        entry: dict = {"triples": n, "best": best, "runs": runs}
        k, rz = best["kgreason"].get("wall_s"), best["reasonable"].get("wall_s")
        if k and rz:
            entry["kgreason_vs_reasonable"] = round(k / rz, 2)
        if "owlrl" in best and best["owlrl"].get("wall_s") and k:
            entry["owlrl_vs_kgreason"] = round(best["owlrl"]["wall_s"] / k, 1)
            entry["same_set_as_owlrl"] = same_set(path, work / f"{name}.kgreason.nt", work / f"{name}.owlrl.nt")
        results[name] = entry
    report = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_version()}",
        "load_average": os.getloadavg(),
        "results": results,
    }
    print(json.dumps({k: v for k, v in report.items()}, indent=1, default=str))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, default=str))


if __name__ == "__main__":
    main()
