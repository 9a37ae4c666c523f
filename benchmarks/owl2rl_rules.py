"""OWL 2 RL rules: cost on RDFS-only graphs (before/after) and speed against owlrl on OWL graphs.

    python benchmarks/owl2rl_rules.py                      # both graphs, 3 rounds
    python benchmarks/owl2rl_rules.py --before /tmp/kgr_head --pizzas 1000

Graphs:
* ``chain``: ``../shared/bench/gen_chain_graph.py`` default (RDFS + transitive/inverse/symmetric,
  8.6k triples) — the OWL 2 RL additions must not slow it down. ``--before DIR`` also times a
  checkout of the code before them (``git archive HEAD kgreason | tar -x -C DIR``).
* ``pizza``: ``tests/data/pizza.owl`` (someValuesFrom, allValuesFrom, hasValue, unionOf,
  intersectionOf, AllDisjointClasses) with ``--pizzas`` generated pizzas, each with 2-4 toppings.

Each (tool, graph) runs in a fresh interpreter; the graph is parsed first (not timed) and the
closure timed (wall and CPU): kgreason ``Reasoner(...).materialize()`` (includes interning and
writing out the rules for lists / cardinalities / literals), owlrl
``DeductiveClosure(OWLRL_Semantics).expand``. Best of ``--rounds`` for kgreason, owlrl once.
Inconsistencies found by each are counted (kgreason: contradictions; owlrl: ErrorMessage nodes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GEN = ROOT.parent / "shared" / "bench" / "gen_chain_graph.py"
PIZZA = ROOT / "tests" / "data" / "pizza.owl"

WORKER = r"""
import json, sys, time, logging
logging.disable(logging.WARNING)
tool, src, fmt = sys.argv[1:4]
from rdflib import Graph
g = Graph()
g.parse(src, format=fmt)
n = len(g)
t0, c0 = time.perf_counter(), time.process_time()
if tool == "owlrl":
    import owlrl
    from rdflib import RDF, URIRef
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    err = URIRef("http://www.daml.org/2002/03/agents/agent-ont#ErrorMessage")
    out = {"triples": n, "closure": len(g), "clashes": len(set(g.subjects(RDF.type, err)))}
else:
    from kgreason.graph.knowledge_graph import KnowledgeGraph
    from kgreason.reasoning import Reasoner
    r = Reasoner(KnowledgeGraph(g)).materialize()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    st = r.stats
    out = {"triples": n, "derived": st["derived"], "clashes": len(r.contradictions)}
out.update(wall=round(wall, 4), cpu=round(cpu, 4))
print(json.dumps(out))
"""


def pizza_graph(path: Path, pizzas: int, seed: int = 7) -> None:
    """pizza.owl + ``pizzas`` pizzas with random toppings, as N-Triples."""
    from rdflib import RDF, Graph, URIRef

    rng = random.Random(seed)
    g = Graph().parse(PIZZA, format="xml")
    pz = "http://example.org/pizza#"
    kinds = ["HamTopping", "PepperoniTopping", "MozzarellaTopping", "TomatoTopping",
             "MushroomTopping", None]
    pizza_classes = ["Pizza", "NamedPizza", "Margherita", "VegetarianPizza"]
    for i in range(pizzas):
        p = URIRef(f"{pz}pizza{i}")
        cls = rng.choice(pizza_classes)
        g.add((p, RDF.type, URIRef(pz + cls)))
        for j in range(rng.randint(2, 4)):
            t = URIRef(f"{pz}topping{i}_{j}")
            kind = rng.choice(kinds[2:] if cls in ("Margherita", "VegetarianPizza") else kinds)
            if kind:
                g.add((t, RDF.type, URIRef(pz + kind)))
            g.add((p, URIRef(pz + "hasTopping"), t))
    g.serialize(path, format="nt", encoding="utf-8")


def run(tool: str, src: Path, code: Path | None) -> dict:
    env = dict(os.environ, KGREASON_GRAPH_CACHE="0")
    if code is not None:
        env["PYTHONPATH"] = str(code)
    # cwd: not the repository, or `python -c` would import ./kgreason whatever PYTHONPATH says
    proc = subprocess.run([sys.executable, "-c", WORKER, tool, str(src), "nt"], env=env,
                          cwd=src.parent, capture_output=True, text=True, timeout=3600, check=False)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "failed"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def best(results: list[dict]) -> dict:
    ok = [r for r in results if "error" not in r]
    return min(ok, key=lambda r: r["cpu"]) if ok else results[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--pizzas", type=int, default=1000)
    ap.add_argument("--before", type=Path, help="a checkout of kgreason before the OWL 2 RL rules")
    ap.add_argument("--no-owlrl", action="store_true")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="owl2rl-bench-"))
    chain, pizza = tmp / "chain.nt", tmp / "pizza.nt"
    subprocess.run([sys.executable, str(GEN), str(chain)], check=True, capture_output=True)
    pizza_graph(pizza, args.pizzas)
    rows = []
    for name, src in (("chain", chain), ("pizza", pizza)):
        tools = [("kgreason", ROOT)]
        if args.before is not None:
            tools.append(("kgreason-before", args.before))
        results: dict[str, list[dict]] = {t: [] for t, _ in tools}
        for _ in range(args.rounds):
            for tool, code in tools:
                results[tool].append(run("kgreason", src, code))
        row = {"graph": name, **{t: best(r) for t, r in results.items()}}
        if not args.no_owlrl:
            row["owlrl"] = run("owlrl", src, None)
            if "cpu" in row["owlrl"] and "cpu" in row["kgreason"]:
                row["owlrl_vs_kgreason_cpu"] = round(row["owlrl"]["cpu"] / row["kgreason"]["cpu"], 1)
        rows.append(row)
        print(json.dumps(row), flush=True)
    meta = {"date": datetime.now(timezone.utc).isoformat(timespec="minutes"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
            "load_average": os.getloadavg()[0]}
    print(json.dumps(meta))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
