"""No false clash on a consistent ontology: random OWL 2 RL ontologies built from a model (a
finite interpretation drawn first; only axioms true in it are written, and a random part of its
facts asserted) never clash, and whatever the reasoner derives — every strategy — is true in the
model (each negative fact false in it)."""

from __future__ import annotations

import random
from itertools import combinations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, XSD, Graph, Literal, Namespace

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.reasoning import Reasoner, check_proof

EX = Namespace("http://example.org/")


def _model_ontology(seed: int):
    """(graph, ext: class → members, edges: property → set of pairs) of a random model."""
    rng = random.Random(seed)
    inds = [EX[f"i{k}"] for k in range(6)]
    classes = [EX[f"C{k}"] for k in range(5)]
    props = [EX.p0, EX.p1]
    ext = {c: {x for x in inds if rng.random() < 0.5} for c in classes}
    edges = {p: {(x, y) for x in inds for y in inds if rng.random() < 0.12} for p in props}
    edges[EX.q] = {(y, x) for x, y in edges[EX.p0]}  # q is p0's inverse in the model
    g = Graph()
    for c, members in ext.items():
        g.add((c, RDF.type, OWL.Class))
        for x in members:
            if rng.random() < 0.6:
                g.add((x, RDF.type, c))
    for p, pairs in edges.items():
        g.add((p, RDF.type, OWL.ObjectProperty))
        for x, y in pairs:
            if rng.random() < 0.6:
                g.add((x, p, y))
    g.add((EX.p0, OWL.inverseOf, EX.q))
    values = {x: Literal(rng.randrange(0, 5), datatype=XSD.integer) for x in inds if rng.random() < 0.5}
    for x, v in values.items():
        g.add((x, EX.age, v))
    g.add((EX.age, RDFS.range, XSD.nonNegativeInteger))
    g.add((EX.age, RDF.type, OWL.DatatypeProperty))

    def values_of(p, x):
        return {y for a, y in edges[p] if a == x}

    def subclass_links(cls, members):
        """Write the restriction's own class and the subclass links that hold in the model."""
        ext[cls] = members
        for c in classes:
            if ext[c] <= members and rng.random() < 0.5:
                g.add((c, RDFS.subClassOf, cls))
            if members <= ext[c] and rng.random() < 0.5:
                g.add((cls, RDFS.subClassOf, c))

    for n in range(1, rng.randint(2, 6) + 1):
        r = EX[f"R{n}"]
        p, c = rng.choice(props), rng.choice(classes)
        kind = rng.randrange(8)
        if kind == 0:  # allValuesFrom
            g.add((r, OWL.onProperty, p))
            g.add((r, OWL.allValuesFrom, c))
            subclass_links(r, {x for x in inds if values_of(p, x) <= ext[c]})
        elif kind == 1:  # someValuesFrom
            g.add((r, OWL.onProperty, p))
            g.add((r, OWL.someValuesFrom, c))
            subclass_links(r, {x for x in inds if values_of(p, x) & ext[c]})
        elif kind == 2:  # hasValue
            v = rng.choice(inds)
            g.add((r, OWL.onProperty, p))
            g.add((r, OWL.hasValue, v))
            subclass_links(r, {x for x in inds if (x, v) in edges[p]})
        elif kind == 3:  # maxCardinality 0 / 1 (any numeric datatype)
            k = rng.choice([0, 1])
            g.add((r, OWL.onProperty, p))
            g.add((r, OWL.maxCardinality, Literal(k, datatype=rng.choice([XSD.nonNegativeInteger, XSD.integer]))))
            subclass_links(r, {x for x in inds if len(values_of(p, x)) <= k})
        elif kind == 4:  # minCardinality (no OWL 2 RL rule: must simply not disturb)
            g.add((r, OWL.onProperty, p))
            g.add((r, OWL.minCardinality, Literal(1, datatype=XSD.nonNegativeInteger)))
            subclass_links(r, {x for x in inds if values_of(p, x)})
        elif kind == 5:  # oneOf
            a, b = rng.sample(inds, 2)
            lst = EX[f"L{n}"]
            g.add((r, OWL.oneOf, lst))
            g.add((lst, RDF.first, a))
            g.add((lst, RDF.rest, EX[f"L{n}b"]))
            g.add((EX[f"L{n}b"], RDF.first, b))
            g.add((EX[f"L{n}b"], RDF.rest, RDF.nil))
            subclass_links(r, {a, b})
        elif kind == 6:  # intersectionOf
            c2 = rng.choice(classes)
            lst = EX[f"L{n}"]
            g.add((r, OWL.intersectionOf, lst))
            g.add((lst, RDF.first, c))
            g.add((lst, RDF.rest, EX[f"L{n}b"]))
            g.add((EX[f"L{n}b"], RDF.first, c2))
            g.add((EX[f"L{n}b"], RDF.rest, RDF.nil))
            subclass_links(r, ext[c] & ext[c2])
        else:  # a datatype restriction on age
            g.add((r, OWL.onProperty, EX.age))
            g.add((r, OWL.allValuesFrom, XSD.integer))
            subclass_links(r, set(inds))
    for c, d in combinations(classes, 2):  # disjointness that holds
        if not ext[c] & ext[d] and rng.random() < 0.5:
            g.add((c, OWL.disjointWith, d))
    for p in props:  # property axioms that hold
        pairs = edges[p]
        for c in classes:
            if {x for x, _ in pairs} <= ext[c] and rng.random() < 0.5:
                g.add((p, RDFS.domain, c))
            if {y for _, y in pairs} <= ext[c] and rng.random() < 0.5:
                g.add((p, RDFS.range, c))
        if all(x != y for x, y in pairs) and rng.random() < 0.5:
            g.add((p, RDF.type, OWL.IrreflexiveProperty))
        if not any((y, x) in pairs for x, y in pairs) and rng.random() < 0.5:
            g.add((p, RDF.type, OWL.AsymmetricProperty))
        if all(len(values_of(p, x)) <= 1 for x in inds) and rng.random() < 0.5:
            g.add((p, RDF.type, OWL.FunctionalProperty))
    return g, ext, edges


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10**6), st.sampled_from(["materialize", "query-time"]))
def test_consistent_ontologies_never_clash_and_everything_derived_holds_in_the_model(seed, strategy):
    g, ext, edges = _model_ontology(seed)
    kg = KnowledgeGraph(g)
    r = Reasoner(kg, strategy=strategy)
    model = Reasoner(kg)  # the closure's triples are asked of every strategy
    assert model.contradictions == [], [c.summary(kg) for c in model.contradictions]
    derived = set(model.inferred_triples())
    for s, p, o in derived:
        if p == RDF.type and o in ext:
            assert s in ext[o], (s, o)
        elif p in edges:
            assert (s, o) in edges[p], (s, p, o)
    for s, p, o in model.negative_facts():
        if p == RDF.type and o in ext:
            assert s not in ext[o], ("not", s, o)
        elif p in edges:
            assert (s, o) not in edges[p], ("not", s, p, o)
    inds = [EX[f"i{k}"] for k in range(6)]
    for x in inds:  # no question about the model's terms is answered against it
        for c, members in ext.items():
            v = r.holds(x, RDF.type, c)
            assert v.value.value != ("false" if x in members else "true"), (strategy, x, c, v.proof)
            if v.proof is not None:
                assert check_proof(v.proof, r) == []
        for p, pairs in edges.items():
            for y in inds[:3]:
                v = r.holds(x, p, y)
                assert v.value.value != ("false" if (x, y) in pairs else "true"), (strategy, x, p, y)
