"""Generated RDFS/OWL-RL graphs for the reasoner benchmark and cross-checks (deterministic by seed).

Shape (LUBM-like): a class tree (branching 5), property hierarchies with domains and ranges,
a transitive part-of forest, a symmetric and an inverse pair, a few equivalent classes and
sameAs links, and instances with a type and a handful of property edges.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Namespace, URIRef

B = Namespace("http://bench.example.org/")


def generate(n_triples: int, seed: int = 0) -> list[tuple[URIRef, URIRef, URIRef]]:
    """About ``n_triples`` asserted triples (schema + instance data)."""
    rng = random.Random(seed)
    out: list[tuple[URIRef, URIRef, URIRef]] = []
    n_cls = max(20, n_triples // 100)
    classes = [B[f"C{i}"] for i in range(n_cls)]
    for i in range(1, n_cls):
        out.append((classes[i], RDFS.subClassOf, classes[(i - 1) // 5]))
    for i in range(0, n_cls - 1, max(2, n_cls // 10)):  # a few equivalent classes
        eq = B[f"E{i}"]
        out.append((eq, OWL.equivalentClass, classes[i]))
    n_props = max(12, n_triples // 2000)
    props = [B[f"p{i}"] for i in range(n_props)]
    for i in range(1, n_props):
        if i % 3:
            out.append((props[i], RDFS.subPropertyOf, props[i - 1]))
        if i % 4 == 0:
            out.append((props[i], RDFS.domain, rng.choice(classes[: n_cls // 5 + 1])))
        if i % 5 == 0:
            out.append((props[i], RDFS.range, rng.choice(classes[: n_cls // 5 + 1])))
    part_of, knows, has_child, child_of = B.partOf, B.knows, B.hasChild, B.childOf
    out += [
        (part_of, RDF.type, OWL.TransitiveProperty),
        (knows, RDF.type, OWL.SymmetricProperty),
        (has_child, OWL.inverseOf, child_of),
    ]
    n_inst = max(10, n_triples // 10)
    inst = [B[f"i{i}"] for i in range(n_inst)]
    for i, x in enumerate(inst):
        out.append((x, RDF.type, classes[rng.randrange(n_cls)]))
        if i % 40:  # transitive part-of forest: groups of 40, branching 4 (depth ~3)
            out.append((x, part_of, inst[(i // 40) * 40 + (i % 40 - 1) // 4]))
        if i % 7 == 0:
            out.append((x, knows, inst[rng.randrange(n_inst)]))
        if i % 9 == 0:
            out.append((x, has_child, inst[rng.randrange(n_inst)]))
    for i in range(0, n_inst - 1, 1000):  # a few sameAs links
        out.append((inst[i], OWL.sameAs, inst[i + 1]))
    while len(out) < n_triples:
        out.append((rng.choice(inst), rng.choice(props), rng.choice(inst)))
    return out


def write(n_triples: int, path: Path, seed: int = 0) -> Path:
    g = Graph()
    g.bind("b", B)
    for t in generate(n_triples, seed):
        g.add(t)
    g.serialize(path, format="nt" if path.suffix == ".nt" else "turtle")
    return path


if __name__ == "__main__":  # python benchmarks/reasoner_graphs.py 100000 out.nt
    write(int(sys.argv[1]), Path(sys.argv[2]))
