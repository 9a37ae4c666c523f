"""Integrity of the hand-written knowledge everyone tests against: the shipped commonsense graph,
the geography test graph (Turtle and English), the question tables and the retrieval benchmark
questions. Catches a typo in a graph or table before it shows up as a puzzling failure elsewhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS, URIRef

from kgreason.graph import load_graph
from kgreason.graph.vocab import KGR

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
QUESTIONS = DATA / "questions"
CS_NS = "https://w3id.org/kgreason/commonsense#"
GEO_NS = "https://w3id.org/kgreason/geography#"


def _jsonl(path: Path) -> list[dict]:
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


@pytest.fixture(scope="module")
def commonsense():
    return load_graph("commonsense")


@pytest.fixture(scope="module")
def geography():
    return load_graph(DATA / "geography.ttl")


def _own_terms(kg, namespace: str) -> set[URIRef]:
    return {n for t in kg.rdf for n in t if isinstance(n, URIRef) and str(n).startswith(namespace)}


@pytest.mark.parametrize(
    "graph, namespace, minimum", [("commonsense", CS_NS, 300), ("geography", GEO_NS, 120)]
)
def test_graph_is_big_enough_and_every_term_has_a_label(request, graph, namespace, minimum):
    kg = request.getfixturevalue(graph)
    assert len(kg) >= minimum
    unlabelled = [
        kg.qname(n) for n in _own_terms(kg, namespace) if (n, RDFS.label, None) not in kg.rdf
    ]
    assert unlabelled == []


def test_commonsense_has_the_apple_chain_and_its_exceptions(commonsense):
    cs = lambda name: URIRef(CS_NS + name)
    assert (cs("Apple"), RDFS.subClassOf, cs("Fruit")) in commonsense.rdf
    assert (cs("Fruit"), cs("canBe"), cs("EatenRaw")) in commonsense.rdf
    assert (cs("canBe"), RDF.type, KGR.InheritableProperty) in commonsense.rdf
    assert (cs("cannotBe"), KGR.negationOf, cs("canBe")) in commonsense.rdf
    for exception in ("Elderberry", "Ackee", "Potato", "KidneyBean"):
        assert (cs(exception), cs("cannotBe"), cs("EatenRaw")) in commonsense.rdf


def test_negative_properties_name_a_declared_positive(commonsense, geography):
    for kg in (commonsense, geography):
        for neg, pos in kg.rdf.subject_objects(KGR.negationOf):
            declared = pos == RDF.type or any(kg.rdf.triples((pos, RDF.type, None)))
            assert declared, f"{kg.qname(neg)} negates an undeclared {kg.qname(pos)}"


@pytest.mark.parametrize(
    "table, graph, minimum",
    [("commonsense.jsonl", "commonsense", 45), ("geography.jsonl", "geography", 45)],
)
def test_question_tables_are_well_formed_and_name_real_terms(request, table, graph, minimum):
    kg = request.getfixturevalue(graph)
    rows = _jsonl(QUESTIONS / table)
    assert len(rows) >= minimum
    assert len({r["question"] for r in rows}) == len(rows), "duplicate questions"
    answers = {r["answer"] for r in rows}
    assert answers == {"yes", "no", "unknown"}, "each table needs all three answers"
    terms = {n for t in kg.rdf for n in t}
    for row in rows:
        assert row["question"].endswith("?") and row["why"]
        s, p, o = (RDF.type if t == "rdf:type" else kg.resolve(t) for t in row["triple"])
        assert {s, o} <= terms, f"{row['question']}: {row['triple']} names a term the graph lacks"
        assert p in terms or p in (RDF.type, RDFS.subClassOf)


def test_english_geography_and_rain_parse_completely():
    for name in ("geography.txt", "rain.txt"):
        kg = load_graph(DATA / name)
        assert kg.issues == [], kg.issues
        assert len(kg) > 0 and kg.rules
    assert len(_jsonl(QUESTIONS / "rain.jsonl")) >= 1


def test_retrieval_questions_need_asserted_facts(commonsense):
    rows = _jsonl(ROOT / "benchmarks" / "data" / "retrieval_questions.jsonl")
    assert len(rows) >= 55
    for row in rows:
        assert row["needed"], row["question"]
        for triple in row["needed"]:
            s, p, o = (RDF.type if t == "rdf:type" else commonsense.resolve(t) for t in triple)
            assert (s, p, o) in commonsense.rdf, f"{row['question']}: {triple} is not asserted"
