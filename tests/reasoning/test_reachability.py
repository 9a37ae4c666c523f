"""Transitive relations by reachability (cycles → equivalence classes, chains), proofs built on
demand, the closure limit counted before storing, and query-time reasoning = materialized."""

from __future__ import annotations

import random

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib import OWL, RDF, RDFS, Graph, Namespace

from kgreason.errors import ReasoningError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.reasoning import Reasoner, check_proof
from kgreason.reasoning.reachability import strongly_connected

from .conftest import make_kg
from .test_properties import _defaults_graph, _kg, graphs

EX = Namespace("http://example.org/")


def _pairs(r: Reasoner, p) -> set:
    return {(s, o) for s, q, o in set(r.kg.rdf) | set(r.inferred_triples()) if q == p}


def test_a_subclass_cycle_is_an_equivalence_class_with_checked_proofs():
    kg = make_kg("ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:C rdfs:subClassOf ex:A ."
                 " ex:C rdfs:subClassOf ex:Top . ex:x a ex:A .")
    r = Reasoner(kg)
    cycle = [EX.A, EX.B, EX.C]
    sc = _pairs(r, RDFS.subClassOf)
    assert {(a, b) for a in cycle for b in cycle} <= sc  # reflexive pairs too, as the join rule
    assert {(a, EX.Top) for a in cycle} <= sc and (EX.Top, EX.A) not in sc
    for a in cycle:
        for b in cycle:
            if a != b:
                assert r.holds(a, OWL.equivalentClass, b).value.value == "true"
            proof = r.proof((a, RDFS.subClassOf, b))
            assert proof is not None and check_proof(proof, r) == []
    assert r.derived_by((EX.A, RDFS.subClassOf, EX.C)) == "rdfs11"
    assert r.holds(EX.x, RDF.type, EX.Top).value.value == "true"


def test_a_long_chain_is_closed_in_one_step_and_its_proof_is_a_balanced_path():
    g = Graph()
    g.add((EX.before, RDF.type, OWL.TransitiveProperty))
    n = 300
    for i in range(n):
        g.add((EX[f"n{i}"], EX.before, EX[f"n{i + 1}"]))
    r = Reasoner(KnowledgeGraph(g)).materialize()
    assert r.stats["derived"] == (n + 1) * n // 2 - n
    assert r.stats["per_rule"]["prp-trp"] == (n + 1) * n // 2 - n
    proof = r.proof((EX.n0, EX.before, EX[f"n{n}"]))
    assert check_proof(proof, r) == []
    assert proof.rule == "prp-trp" and proof.depth <= 10  # log2(300) + the leaves
    leaves = [s.triple for s in proof.steps() if s.rule == "asserted"]
    assert len(leaves) == n + 1  # every edge of the path, and the TransitiveProperty fact


def test_closure_matches_networkx_on_random_digraphs():
    rng = random.Random(7)
    for _ in range(20):
        g = Graph()
        g.add((EX.r, RDF.type, OWL.TransitiveProperty))
        d = nx.DiGraph()
        for _ in range(rng.randrange(1, 40)):
            a, b = rng.randrange(12), rng.randrange(12)
            g.add((EX[f"v{a}"], EX.r, EX[f"v{b}"]))
            d.add_edge(EX[f"v{a}"], EX[f"v{b}"])
        r = Reasoner(KnowledgeGraph(g))
        want = set(nx.transitive_closure(d, reflexive=False).edges())
        # a node on a cycle reaches itself (networkx leaves such self-loops out)
        want |= {(v, v) for comp in nx.strongly_connected_components(d) for v in comp
                 if len(comp) > 1 or d.has_edge(v, v)}
        assert _pairs(r, EX.r) == want
        for s, o in want:
            proof = r.proof((s, EX.r, o))
            assert check_proof(proof, r) == [], (s, o)


def test_tarjan_gives_components_sinks_first():
    succ = {1: {2}, 2: {3}, 3: {1, 4}, 4: {5}, 5: set()}
    comps = strongly_connected(succ)
    assert sorted(map(sorted, comps)) == [[1, 2, 3], [4], [5]]
    order = {v: i for i, comp in enumerate(comps) for v in comp}
    assert order[5] < order[4] < order[1]


def test_a_path_proof_never_rests_on_the_fact_it_proves():
    # ex:a ex:in ex:c is a transitive pair; a user rule derives the edge a → x from it, and
    # x → c makes a second shortest path a → x → c: the proof must take a → b → c
    kg = make_kg("ex:in a owl:TransitiveProperty . ex:a ex:in ex:b . ex:b ex:in ex:c . "
                 "ex:x ex:in ex:c .", rules="[up] ?a ex:in ex:x :- ?a ex:in ex:c .")
    r = Reasoner(kg)
    for triple in set(r.inferred_triples()):
        proof = r.proof(triple)
        assert check_proof(proof, r) == [], triple
        assert all(s.triple != triple for p in proof.premises for s in p.steps()), triple


def test_the_limit_holds_for_a_tiny_budget_from_the_cli(tmp_path):
    from typer.testing import CliRunner

    from kgreason.cli import app

    path = tmp_path / "chain.ttl"
    path.write_text("@prefix ex: <http://example.org/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .\n"
                    "ex:in a owl:TransitiveProperty .\n"
                    + "".join(f"ex:n{i} ex:in ex:n{i + 1} .\n" for i in range(50)))
    runner = CliRunner()
    res = runner.invoke(app, ["materialize", str(path), "-o", str(tmp_path / "out.nt"),
                              "--max-facts", "100"])
    assert res.exit_code != 0 and "1,275 pairs" in res.output and "--reasoning query-time" in res.output
    assert not (tmp_path / "out.nt").exists()
    # query-time derives what the question needs: the pairs below ex:n44 (15), not all 1,225
    res = runner.invoke(app, ["prove", str(path), "-t", "ex:n44 ex:in ex:n50", "--max-facts", "100",
                              "--reasoning", "query-time", "--json"])
    assert res.exit_code == 0, res.output
    assert '"value": "true"' in res.output or '"true"' in res.output
    res = runner.invoke(app, ["prove", str(path), "-t", "ex:n0 ex:in ex:n50", "--reasoning", "lazy"])
    assert res.exit_code == 2


def test_ntriples_written_from_the_store_equal_the_rdflib_graph(tmp_path):
    from kgreason.reasoning import materialized_graph, write_ntriples

    kg = make_kg("""
        ex:cannot kgr:negationOf ex:can . ex:Penguin rdfs:subClassOf ex:Bird .
        ex:Penguin ex:cannot ex:Fly . ex:p a ex:Penguin . ex:q ex:age "3"^^xsd:integer .
        ex:age rdfs:range ex:Age . ex:A owl:disjointWith ex:B . ex:z a ex:A .
        ex:in a owl:TransitiveProperty . ex:a ex:in ex:b . ex:b ex:in ex:c . ex:a rdfs:label "a\\nb"@en .
    """.replace("ex:q ex:age", "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . ex:q ex:age"))
    r = Reasoner(kg)
    out = tmp_path / "x.nt"
    counts = write_ntriples(r, out)
    streamed = Graph().parse(out, format="nt")
    built = materialized_graph(r)
    assert counts["written"] == len(streamed) == len(built)
    # blank nodes (negative property assertions) differ by name only
    assert {t for t in streamed if not any(type(x).__name__ == "BNode" for x in t)} == {
        t for t in built if not any(type(x).__name__ == "BNode" for x in t)}


# --------------------------------------------------------------------------- query-time
def _verdicts_agree(kg, triples) -> None:
    full = Reasoner(kg)
    lazy = Reasoner(kg, strategy="query-time")
    for t in triples:
        v1, v2 = full.holds(*t), lazy.holds(*t)
        assert v1.value == v2.value, t
        if v2.proof is not None:
            assert check_proof(v2.proof, full) == [], t


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs, st.randoms(use_true_random=False))
def test_query_time_verdicts_and_proofs_equal_materialized_ones(triples, rnd):
    kg = _kg(triples)
    full = Reasoner(kg)
    closure = set(kg.rdf) | set(full.inferred_triples())
    terms = sorted({x for t in closure for x in t})
    others = {(rnd.choice(terms), rnd.choice(terms), rnd.choice(terms)) for _ in range(10)}
    _verdicts_agree(kg, sorted(closure | others))


@settings(max_examples=8, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 6))
def test_query_time_default_inheritance_equals_materialized(seed, n):
    from .test_properties import CLASSES, INDS
    from .test_properties import EX as PEX

    kg = _defaults_graph(seed, n)
    _verdicts_agree(kg, [(x, p, a) for x in CLASSES + INDS for p in (PEX.can, PEX.cannot)
                         for a in (PEX.Fly, PEX.Swim)])
    full = Reasoner(kg)
    for negated in (False, True):  # open questions: every answer, inherited ones included
        lazy = Reasoner(kg, strategy="query-time")
        assert lazy.subjects(PEX.can, PEX.Fly, negated=negated) == full.subjects(
            PEX.can, PEX.Fly, negated=negated)
        lazy = Reasoner(kg, strategy="query-time")
        for x in INDS:
            assert lazy.objects(x, PEX.can, negated=negated) == full.objects(x, PEX.can, negated=negated)


def test_query_time_derives_only_what_the_question_needs():
    g = Graph()
    g.add((EX.before, RDF.type, OWL.TransitiveProperty))
    for i in range(200):
        g.add((EX[f"n{i}"], EX.before, EX[f"n{i + 1}"]))
    lazy = Reasoner(KnowledgeGraph(g), strategy="query-time", max_facts=5_000)
    assert lazy.holds(EX.n190, EX.before, EX.n200).value.value == "true"
    assert lazy.holds(EX.n200, EX.before, EX.n190).value.value == "unknown"
    assert lazy.stats["derived"] < 200  # the full closure has 19,900 pairs
    with pytest.raises(ReasoningError, match="would hold up to 20,100 pairs"):
        Reasoner(KnowledgeGraph(g), max_facts=5_000).materialize()
    auto = Reasoner(KnowledgeGraph(g), strategy="auto", max_facts=5_000)
    assert auto.holds(EX.n180, EX.before, EX.n200).value.value == "true"
    assert auto.strategy == "query-time"


def test_query_time_refuses_negation_as_failure():
    kg = make_kg("ex:a a ex:Fruit .", rules="?x a ex:Ripe :- ?x a ex:Fruit, not ?x a ex:Green .")
    with pytest.raises(ReasoningError, match="negation as failure"):
        Reasoner(kg, closed_world=True, strategy="query-time").holds(EX.a, RDF.type, EX.Ripe)
