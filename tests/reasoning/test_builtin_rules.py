"""Each built-in rule on a tiny graph: the answer, the rule that concluded it, a valid proof."""

from __future__ import annotations

import pytest
from rdflib import RDFS

from kgreason.reasoning import Reasoner, Truth

from .conftest import ask, make_kg

CASES = [
    # (rule id, graph, query, expected)
    ("rdfs2", "ex:p rdfs:domain ex:C . ex:a ex:p ex:b .", "ex:a a ex:C", Truth.TRUE),
    ("rdfs3", "ex:p rdfs:range ex:C . ex:a ex:p ex:b .", "ex:b a ex:C", Truth.TRUE),
    (
        "rdfs5",
        "ex:p rdfs:subPropertyOf ex:q . ex:q rdfs:subPropertyOf ex:r .",
        "ex:p rdfs:subPropertyOf ex:r",
        Truth.TRUE,
    ),
    ("rdfs7", "ex:p rdfs:subPropertyOf ex:q . ex:a ex:p ex:b .", "ex:a ex:q ex:b", Truth.TRUE),
    ("rdfs9", "ex:A rdfs:subClassOf ex:B . ex:x a ex:A .", "ex:x a ex:B", Truth.TRUE),
    (
        "rdfs11",
        "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C .",
        "ex:A rdfs:subClassOf ex:C",
        Truth.TRUE,
    ),
    ("scm-eqc1", "ex:A owl:equivalentClass ex:B .", "ex:B rdfs:subClassOf ex:A", Truth.TRUE),
    (
        "scm-eqc2",
        "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:A .",
        "ex:A owl:equivalentClass ex:B",
        Truth.TRUE,
    ),
    ("scm-eqp1", "ex:p owl:equivalentProperty ex:q .", "ex:q rdfs:subPropertyOf ex:p", Truth.TRUE),
    (
        "scm-dom1",
        "ex:p rdfs:domain ex:A . ex:A rdfs:subClassOf ex:B .",
        "ex:p rdfs:domain ex:B",
        Truth.TRUE,
    ),
    (
        "scm-dom2",
        "ex:q rdfs:subPropertyOf ex:p . ex:p rdfs:domain ex:A .",
        "ex:q rdfs:domain ex:A",
        Truth.TRUE,
    ),
    (
        "scm-rng1",
        "ex:p rdfs:range ex:A . ex:A rdfs:subClassOf ex:B .",
        "ex:p rdfs:range ex:B",
        Truth.TRUE,
    ),
    (
        "scm-rng2",
        "ex:q rdfs:subPropertyOf ex:p . ex:p rdfs:range ex:A .",
        "ex:q rdfs:range ex:A",
        Truth.TRUE,
    ),
    ("cax-eqc1", "ex:A owl:equivalentClass ex:B . ex:x a ex:A .", "ex:x a ex:B", Truth.TRUE),
    ("cax-eqc2", "ex:A owl:equivalentClass ex:B . ex:x a ex:B .", "ex:x a ex:A", Truth.TRUE),
    (
        "prp-eqp1",
        "ex:p owl:equivalentProperty ex:q . ex:a ex:p ex:b .",
        "ex:a ex:q ex:b",
        Truth.TRUE,
    ),
    (
        "prp-eqp2",
        "ex:p owl:equivalentProperty ex:q . ex:a ex:q ex:b .",
        "ex:a ex:p ex:b",
        Truth.TRUE,
    ),
    (
        "prp-trp",
        "ex:in a owl:TransitiveProperty . ex:a ex:in ex:b . ex:b ex:in ex:c .",
        "ex:a ex:in ex:c",
        Truth.TRUE,
    ),
    (
        "prp-symp",
        "ex:knows a owl:SymmetricProperty . ex:a ex:knows ex:b .",
        "ex:b ex:knows ex:a",
        Truth.TRUE,
    ),
    (
        "prp-inv1",
        "ex:parentOf owl:inverseOf ex:childOf . ex:a ex:parentOf ex:b .",
        "ex:b ex:childOf ex:a",
        Truth.TRUE,
    ),
    (
        "prp-inv2",
        "ex:parentOf owl:inverseOf ex:childOf . ex:b ex:childOf ex:a .",
        "ex:a ex:parentOf ex:b",
        Truth.TRUE,
    ),
    (
        "prp-fp",
        "ex:mother a owl:FunctionalProperty . ex:a ex:mother ex:m1 . ex:a ex:mother ex:m2 .",
        "ex:m1 owl:sameAs ex:m2",
        Truth.TRUE,
    ),
    (
        "prp-ifp",
        "ex:ssn a owl:InverseFunctionalProperty . ex:a ex:ssn ex:n . ex:b ex:ssn ex:n .",
        "ex:a owl:sameAs ex:b",
        Truth.TRUE,
    ),
    ("eq-sym", "ex:a owl:sameAs ex:b .", "ex:b owl:sameAs ex:a", Truth.TRUE),
    (
        "eq-trans",
        "ex:a owl:sameAs ex:b . ex:b owl:sameAs ex:c .",
        "ex:a owl:sameAs ex:c",
        Truth.TRUE,
    ),
    ("eq-rep-s", "ex:a owl:sameAs ex:b . ex:a ex:p ex:c .", "ex:b ex:p ex:c", Truth.TRUE),
    ("eq-rep-p", "ex:p owl:sameAs ex:q . ex:a ex:p ex:c .", "ex:a ex:q ex:c", Truth.TRUE),
    ("eq-rep-o", "ex:c owl:sameAs ex:d . ex:a ex:p ex:c .", "ex:a ex:p ex:d", Truth.TRUE),
    (
        "kgr-neg",
        "ex:cannotFly kgr:negationOf ex:canFly . ex:tweety ex:cannotFly ex:Air .",
        "ex:tweety ex:canFly ex:Air",
        Truth.FALSE,
    ),
    (
        "prp-npa1",
        "[] a owl:NegativePropertyAssertion ; owl:sourceIndividual ex:a ; owl:assertionProperty ex:p ; owl:targetIndividual ex:b .",
        "ex:a ex:p ex:b",
        Truth.FALSE,
    ),
    (
        "prp-npa2",
        "[] a owl:NegativePropertyAssertion ; owl:sourceIndividual ex:a ; owl:assertionProperty ex:age ; owl:targetValue 5 .",
        "ex:a ex:age 5",
        Truth.FALSE,
    ),
    (
        "cax-dw",
        "ex:Cat owl:disjointWith ex:Dog . ex:tom a ex:Cat .",
        "ex:tom a ex:Dog",
        Truth.FALSE,
    ),
    (
        "cax-dw2",
        "ex:Cat owl:disjointWith ex:Dog . ex:rex a ex:Dog .",
        "ex:rex a ex:Cat",
        Truth.FALSE,
    ),
    (
        "kgr-dw-sym",
        "ex:Cat owl:disjointWith ex:Dog .",
        "ex:Dog owl:disjointWith ex:Cat",
        Truth.TRUE,
    ),
    # class-level clashes: query-time rules, never materialized
    ("kgr-dw-sc", "ex:Cat owl:disjointWith ex:Dog .", "ex:Cat rdfs:subClassOf ex:Dog", Truth.FALSE),
    (
        "kgr-dw-sc2",
        "ex:Apple rdfs:subClassOf ex:Fruit . ex:Meat owl:disjointWith ex:Fruit .",
        "ex:Apple rdfs:subClassOf ex:Meat",
        Truth.FALSE,
    ),
    (
        "kgr-dw-sc3",
        "ex:Meat owl:disjointWith ex:Fruit . ex:Apple rdfs:subClassOf ex:Fruit .",
        "ex:Meat rdfs:subClassOf ex:Apple",
        Truth.FALSE,
    ),
    (
        "kgr-dw-sc4",
        "ex:Beef rdfs:subClassOf ex:Meat . ex:Meat owl:disjointWith ex:Plant . ex:Kale rdfs:subClassOf ex:Plant .",
        "ex:Beef rdfs:subClassOf ex:Kale",
        Truth.FALSE,
    ),
    (
        "kgr-neg-sc",
        "ex:isNot kgr:negationOf rdf:type . ex:Cat rdfs:subClassOf ex:Animal . ex:rock ex:isNot ex:Animal .",
        "ex:rock a ex:Cat",
        Truth.FALSE,
    ),
    (
        "kgr-neg-sp",
        "ex:cannot kgr:negationOf ex:q . ex:p rdfs:subPropertyOf ex:q . ex:a ex:cannot ex:b .",
        "ex:a ex:p ex:b",
        Truth.FALSE,
    ),
    (
        "kgr-neg-symp",
        "ex:not kgr:negationOf ex:knows . ex:knows a owl:SymmetricProperty . ex:a ex:not ex:b .",
        "ex:b ex:knows ex:a",
        Truth.FALSE,
    ),
    (
        "kgr-neg-inv1",
        "ex:no kgr:negationOf ex:parentOf . ex:parentOf owl:inverseOf ex:childOf . ex:a ex:no ex:b .",
        "ex:b ex:childOf ex:a",
        Truth.FALSE,
    ),
]


@pytest.mark.parametrize(("rule_id", "ttl", "query", "expected"), CASES, ids=[c[0] for c in CASES])
def test_rule(rule_id, ttl, query, expected):
    kg = make_kg(ttl)
    verdict = ask(kg, query)
    assert verdict.value == expected, verdict.missing
    assert verdict.proof is not None and verdict.proof.rule == rule_id


def test_class_level_clashes_are_not_materialized():
    kg = make_kg(
        "ex:Beef rdfs:subClassOf ex:Meat . ex:Meat owl:disjointWith ex:Plant . ex:Kale rdfs:subClassOf ex:Plant ."
    )
    r = Reasoner(kg)
    assert not any(p == RDFS.subClassOf for _, p, _ in r.negative_facts())
    assert ask(kg, "ex:Beef rdfs:subClassOf ex:Meat", r).value == Truth.TRUE


def test_no_reflexive_same_as_and_no_axioms():
    kg = make_kg("ex:a owl:sameAs ex:b . ex:b owl:sameAs ex:c . ex:a ex:p ex:d .")
    inferred = set(Reasoner(kg).inferred_triples())
    assert not any(s == o and "sameAs" in p for s, p, o in inferred)
    assert all(
        str(s).startswith("http://example.org/") for s, _, _ in inferred
    )  # no rdf:/owl: axioms
    assert len(inferred) == 4 + 2  # b=a c=b a=c c=a; d facts for b and c


def test_user_rule_with_constants_and_multi_atom_head():
    kg = make_kg(
        "ex:cow ex:visits ex:lion . ex:cow a ex:Cold .",
        rules="[r] ex:lion ex:sees ex:squirrel, ?x a ex:Nice :- ?x a ex:Cold, ?x ex:visits ex:lion .",
    )
    assert ask(kg, "ex:lion ex:sees ex:squirrel").value == Truth.TRUE
    v = ask(kg, "ex:cow a ex:Nice")
    assert v.value == Truth.TRUE and v.proof.rule == "r"


def test_inferred_triples_never_written_to_the_graph():
    kg = make_kg("ex:A rdfs:subClassOf ex:B . ex:x a ex:A .")
    before = set(kg.rdf)
    r = Reasoner(kg).materialize()
    assert set(r.inferred_triples()) and set(kg.rdf) == before
    assert not set(r.inferred_triples()) & before
