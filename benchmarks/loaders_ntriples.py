"""pyoxigraph vs rdflib on a generated N-Triples file: parse time and peak memory.

Each method runs in a fresh interpreter (so peak RSS is its own). Methods:

* ``rdflib``            — ``rdflib.Graph().parse(path, format="nt")``
* ``oxigraph-parse``    — iterate ``pyoxigraph.parse`` only (the Rust parser's floor)
* ``kg-rdflib``         — ``kgreason.load_graph`` with the rdflib backend (the old path)
* ``kg-oxigraph``       — ``kgreason.load_graph`` with the pyoxigraph backend (the shipped path)

Usage: ``python benchmarks/loaders_ntriples.py [--triples 1000000] [--file other.nt|.ttl]``.
Writes the generated file to ``benchmarks/_work/`` (git-ignored) and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
from pathlib import Path

WORK = Path(__file__).resolve().parent / "_work"

_CHILD = r"""
import json, resource, sys, time
method, path = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if method == "rdflib":
    import rdflib
    fmt = "nt" if path.endswith(".nt") else "turtle"
    n = len(rdflib.Graph().parse(path, format=fmt))
elif method == "oxigraph-parse":
    import pyoxigraph as ox
    n = sum(1 for _ in ox.parse(path=path))
else:
    import kgreason.graph.rdf_formats as rf
    from kgreason.graph.loaders import load_graph
    rf.PARSER_BACKEND = "rdflib" if method == "kg-rdflib" else "pyoxigraph"
    n = len(load_graph(path))
seconds = time.perf_counter() - t0
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"method": method, "triples": n, "seconds": round(seconds, 2), "peak_mb": round(peak_mb)}))
"""


def generate(path: Path, n: int, seed: int = 0) -> None:
    """IRIs, labels with language tags, typed literals and blank nodes, like a real KG dump."""
    rng = random.Random(seed)
    entities = max(n // 10, 10)
    preds = [
        f"<http://example.org/p/{name}>"
        for name in (
            "subClassOf",
            "partOf",
            "canBe",
            "cannotBe",
            "hasColour",
            "madeOf",
            "locatedIn",
            "eats",
        )
    ]
    label = "<http://www.w3.org/2000/01/rdf-schema#label>"
    weight = "<http://example.org/p/weight>"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for i in range(n):
            s = f"<http://example.org/e/{rng.randrange(entities)}>"
            r = i % 10
            if r == 0:
                out.write(f'{s} {label} "entity number {i} \\u00e9t\\u00e9"@en .\n')
            elif r == 1:
                out.write(
                    f'{s} {weight} "{rng.random():.4f}"^^<http://www.w3.org/2001/XMLSchema#double> .\n'
                )
            elif r == 2:
                out.write(f"{s} {preds[i % 8]} _:b{rng.randrange(entities)} .\n")
            else:
                out.write(
                    f"{s} {preds[i % 8]} <http://example.org/e/{rng.randrange(entities)}> .\n"
                )


def run(method: str, path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, method, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise SystemExit(f"{method} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=1_000_000)
    parser.add_argument("--file", type=Path, help="benchmark this file instead of a generated one")
    parser.add_argument("--methods", default="rdflib,oxigraph-parse,kg-rdflib,kg-oxigraph")
    args = parser.parse_args()
    path = args.file
    if path is None:
        path = WORK / f"generated-{args.triples}.nt"
        if not path.exists():
            generate(path, args.triples)
    size_mb = path.stat().st_size / 1e6
    print(f"file: {path.name} ({size_mb:.0f} MB)")
    print("| method | triples | seconds | peak RSS (MB) |")
    print("|---|---:|---:|---:|")
    for method in args.methods.split(","):
        r = run(method, path)
        print(f"| {r['method']} | {r['triples']:,} | {r['seconds']} | {r['peak_mb']} |", flush=True)


if __name__ == "__main__":
    main()
