"""Property tests on random small RDFS/OWL-RL graphs, and a cross-check against owlrl."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, Graph, Namespace

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.reasoning import Reasoner, check_proof

EX = Namespace("http://example.org/")
CLASSES = [EX[f"C{i}"] for i in range(5)]
PROPS = [EX[f"p{i}"] for i in range(4)]
INDS = [EX[f"i{i}"] for i in range(6)]


def _triple(rng: random.Random):
    kind = rng.randrange(13)
    c, d = rng.choice(CLASSES), rng.choice(CLASSES)
    p, q = rng.choice(PROPS), rng.choice(PROPS)
    x, y = rng.choice(INDS), rng.choice(INDS)
    return [
        (c, RDFS.subClassOf, d),
        (p, RDFS.subPropertyOf, q),
        (p, RDFS.domain, c),
        (p, RDFS.range, c),
        (x, RDF.type, c),
        (x, p, y),
        (x, p, y),
        (p, RDF.type, OWL.TransitiveProperty),
        (p, RDF.type, OWL.SymmetricProperty),
        (p, OWL.inverseOf, q),
        (c, OWL.equivalentClass, d),
        (x, OWL.sameAs, y),
        (p, OWL.equivalentProperty, q),
    ][kind]


graphs = st.builds(
    lambda seed, n: [_triple(random.Random(seed * 1000 + i)) for i in range(n)],
    st.integers(0, 10**6),
    st.integers(1, 25),
)


def _kg(triples) -> KnowledgeGraph:
    g = Graph()
    for t in triples:
        g.add(t)
    return KnowledgeGraph(g)


def _closure(triples) -> set:
    kg = _kg(triples)
    return set(kg.rdf) | set(Reasoner(kg).inferred_triples())


REFLEXIVE = {
    OWL.sameAs,
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    OWL.equivalentClass,
    OWL.equivalentProperty,
}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs)
def test_closure_is_a_fixpoint_and_every_proof_checks(triples):
    kg = _kg(triples)
    r = Reasoner(kg)
    inferred = set(r.inferred_triples())
    again = _kg(list(kg.rdf) + list(inferred))
    assert set(Reasoner(again).inferred_triples()) == set()
    for triple in inferred:
        proof = r.proof(triple)
        assert proof is not None and check_proof(proof, r) == []


@settings(max_examples=30, deadline=None)
@given(graphs, st.randoms(use_true_random=False))
def test_closure_is_independent_of_triple_order(triples, rnd):
    shuffled = list(triples)
    rnd.shuffle(shuffled)
    assert _closure(triples) == _closure(shuffled)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs)
def test_same_triples_as_owlrl_in_the_graphs_own_vocabulary(triples):
    import owlrl

    ours = {t for t in _closure(triples) if not (t[1] in REFLEXIVE and t[0] == t[2])}
    g = Graph()
    for t in triples:
        g.add(t)
    vocab = {n for t in g for n in t} | {RDF.type} | REFLEXIVE | {RDFS.domain, RDFS.range}
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    theirs = {
        t for t in g if all(n in vocab for n in t) and not (t[1] in REFLEXIVE and t[0] == t[2])
    }
    assert ours == theirs, (sorted(ours - theirs), sorted(theirs - ours))


def _defaults_graph(seed: int, n: int) -> KnowledgeGraph:
    """A random class DAG with an inheritable property stated yes/no on random classes/instances."""
    rng = random.Random(seed)
    kgr = Namespace("https://w3id.org/kgreason#")
    g = Graph()
    g.add((EX.can, RDF.type, kgr.InheritableProperty))
    g.add((EX.cannot, kgr.negationOf, EX.can))
    for i in range(1, len(CLASSES)):
        g.add((CLASSES[i], RDFS.subClassOf, CLASSES[rng.randrange(i)]))
    for x in INDS:
        g.add((x, RDF.type, rng.choice(CLASSES)))
    for _ in range(n):
        subject = rng.choice(CLASSES + INDS[:2])
        g.add((subject, rng.choice([EX.can, EX.cannot]), rng.choice([EX.Fly, EX.Swim])))
    return KnowledgeGraph(g)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 6))
def test_default_inheritance_proofs_check_and_answers_are_consistent(seed, n):
    kg = _defaults_graph(seed, n)
    r = Reasoner(kg)
    for triple in r.inferred_triples():
        assert check_proof(r.proof(triple), r) == [], triple
    conflicts = {c.triple for c in r.conflicts}
    for x in CLASSES + INDS:
        for ability in (EX.Fly, EX.Swim):
            verdict = r.holds(x, EX.can, ability)
            if (x, EX.can, ability) in conflicts:
                assert verdict.value.value == "unknown"
            if verdict.proof is not None:
                assert check_proof(verdict.proof, r) == []
