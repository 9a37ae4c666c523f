"""Validation checks on small graphs written inline (each check can fire, and stays quiet when fine)."""

from __future__ import annotations

from rdflib import Graph

from kgreason.graph import KnowledgeGraph
from kgreason.graph.validate import validate_graph

PREFIXES = """
@prefix ex: <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix kgr: <https://w3id.org/kgreason#> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
"""


def kinds(turtle: str) -> dict[str, list[str]]:
    kg = KnowledgeGraph(Graph().parse(data=PREFIXES + turtle, format="turtle"))
    found: dict[str, list[str]] = {}
    for f in validate_graph(kg):
        found.setdefault(f.kind, []).append(f"{f.severity}:{f.where}")
    return found


def test_a_coherent_negation_setup_has_no_findings():
    assert (
        kinds("""
        ex:canBe a kgr:InheritableProperty ; rdfs:label "can be" .
        ex:cannotBe kgr:negationOf ex:canBe ; rdfs:label "cannot be" .
        ex:Apple rdfs:subClassOf ex:Fruit . ex:Fruit ex:canBe ex:EatenRaw .
        ex:Potato ex:cannotBe ex:EatenRaw .
    """)
        == {}
    )


def test_double_negation():
    found = kinds("ex:n kgr:negationOf ex:p . ex:nn kgr:negationOf ex:n .")
    assert found == {"double-negation": ["error:ex:nn"]}


def test_self_and_ambiguous_negation():
    found = kinds("ex:n kgr:negationOf ex:n . ex:m kgr:negationOf ex:p, ex:q .")
    assert found["negation-self"] == ["error:ex:n"]
    assert found["ambiguous-negation"] == ["error:ex:m"]


def test_negative_declared_inheritable_without_its_positive():
    found = kinds("ex:cannotBe a kgr:InheritableProperty ; kgr:negationOf ex:canBe .")
    assert found == {"negation-inheritance": ["error:ex:cannotBe"]}
    assert (
        kinds(
            "ex:canBe a kgr:InheritableProperty . "
            "ex:cannotBe a kgr:InheritableProperty ; kgr:negationOf ex:canBe ."
        )
        == {}
    )


def test_contradicting_assertions():
    found = kinds(
        "ex:cannotBe kgr:negationOf ex:canBe . ex:X ex:canBe ex:Y . ex:X ex:cannotBe ex:Y ."
    )
    assert found == {"contradiction": ["error:ex:X"]}
    npa = kinds("""ex:X ex:p ex:Y . [] a owl:NegativePropertyAssertion ; owl:sourceIndividual ex:X ;
                   owl:assertionProperty ex:p ; owl:targetIndividual ex:Y .""")
    assert npa == {"contradiction": ["error:ex:X"]}


def test_negative_looking_property_without_declaration_and_several_negations():
    found = kinds("""ex:cantFly rdfs:label "cannot fly" . ex:Penguin ex:cantFly ex:Air .
                     ex:a kgr:negationOf ex:p . ex:b kgr:negationOf ex:p .""")
    assert found["undeclared-negation"] == ["warning:ex:cantFly"]
    assert found["several-negations"] == ["warning:ex:p"]


def test_dangling_labels_only_for_unused_nodes():
    found = kinds("""ex:Aple rdfs:label "apple" . ex:Apple rdfs:label "apple" ; rdfs:subClassOf ex:Fruit .
                     ex:Fruit rdfs:label "fruit" . ex:p rdfs:label "p" . ex:X ex:p ex:Y .""")
    assert found == {"dangling-label": ["warning:ex:Aple"]}
