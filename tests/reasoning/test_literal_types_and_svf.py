"""The datatypes of literals (W3C rdf-mt ``literal-type``, OWL 2 RL dt-type2) and cls-svf1 with a
datatype filler, as owlrl derives them: answered under every strategy, with proofs that check,
and without filling the closure with the types of every literal."""

from __future__ import annotations

import pytest
from rdflib import RDF, XSD, Graph, Literal, URIRef

from kgreason.core.proof import Proof
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.reasoning import Reasoner, check_proof

from .conftest import PREFIXES

owlrl = pytest.importorskip("owlrl")

EX = "http://example.org/"
XSDP = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
STRATEGIES = ("materialize", "query-time")


def _kg(ttl: str) -> KnowledgeGraph:
    return KnowledgeGraph(Graph().parse(data=PREFIXES + XSDP + ttl, format="turtle"))


def _answer(kg: KnowledgeGraph, triple, strategy: str):
    r = Reasoner(kg, strategy=strategy)
    verdict = r.holds(*triple)
    if verdict.proof is not None:
        assert check_proof(verdict.proof, r) == [], verdict.proof
    return verdict.value.value, verdict.proof, r


def _owlrl_types(kg: KnowledgeGraph) -> set:
    out = Graph()
    for t in kg.rdf:
        out.add(t)
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False,
                           datatype_axioms=False).expand(out)
    return {t for t in out if t[1] == RDF.type and t not in kg.rdf
            and (str(t[2]).startswith((EX, str(XSD))))}


# --------------------------------------------------------------------- rdf-mt literal-type
@pytest.mark.parametrize("strategy", STRATEGIES)
def test_w3c_literal_type_a_literal_is_an_instance_of_its_datatype(strategy):
    """rdf-mt ``literal-type``: ``:a :b 25`` entails ``:a :b _:x . _:x rdf:type xsd:integer``."""
    kg = _kg("ex:a ex:b 25 .")
    lit = Literal(25)
    value, proof, r = _answer(kg, (lit, RDF.type, XSD.integer), strategy)
    assert value == "true"
    assert proof.rule == "dt-type2"
    assert proof.premises[0].triple == (URIRef(EX + "a"), URIRef(EX + "b"), lit)
    # and of the datatypes containing xsd:integer; not of an unrelated one
    assert _answer(kg, (lit, RDF.type, XSD.decimal), strategy)[0] == "true"
    assert _answer(kg, (lit, RDF.type, XSD.string), strategy)[0] == "unknown"
    # answered when asked: the closure holds no literal typing
    assert list(r.inferred_triples()) == []


def test_literal_types_agree_with_owlrl():
    kg = _kg('ex:a ex:b 25 ; ex:c "2.5"^^xsd:decimal ; ex:d "300"^^xsd:int ; ex:e "x"^^xsd:token .')
    theirs = _owlrl_types(kg)
    assert theirs, "owlrl types the literals"
    for strategy in STRATEGIES:
        for triple in theirs:
            assert _answer(kg, triple, strategy)[0] == "true", (strategy, triple)


def test_an_ill_typed_literal_or_a_foreign_datatype_gets_no_literal_type():
    kg = _kg('ex:a ex:b "abc"^^xsd:integer ; ex:c "7"^^xsd:integer .')
    bad = Literal("abc", datatype=XSD.integer)
    r = Reasoner(kg)
    verdict = r.holds(bad, RDF.type, XSD.decimal)  # never true by dt-type2 (the literal is ill-typed)
    assert verdict.value.value != "true"
    # a forged step is rejected by the checker
    seven = Literal("7", datatype=XSD.integer)
    use = r.proof((URIRef(EX + "a"), URIRef(EX + "c"), seven))
    for triple in ((seven, RDF.type, XSD.string), (bad, RDF.type, XSD.integer)):
        forged = Proof(triple, False, "dt-type2", "", [use])
        assert check_proof(forged, r) != []
    assert check_proof(Proof((seven, RDF.type, XSD.decimal), False, "dt-type2", "", [use]), r) == []


# --------------------------------------------------------------------- cls-svf1, datatype filler
SVF = {
    "restriction subclass of C": "[ owl:someValuesFrom xsd:decimal ; owl:onProperty ex:p ] "
                                 "rdfs:subClassOf ex:C . ex:x ex:p 3 .",
    "C equivalent to the restriction": "ex:C owl:equivalentClass [ owl:someValuesFrom xsd:decimal ; "
                                       "owl:onProperty ex:p ] . ex:x ex:p 3 .",
    "named restriction": "ex:C owl:someValuesFrom xsd:decimal ; owl:onProperty ex:p . ex:x ex:p 3 .",
    "blank-node subject": "[ owl:someValuesFrom xsd:decimal ; owl:onProperty ex:p ] "
                          "rdfs:subClassOf ex:C . _:x ex:p 3 ; ex:name \"x\" .",
    "subproperty": "[ owl:someValuesFrom xsd:decimal ; owl:onProperty ex:p ] rdfs:subClassOf ex:C . "
                   "ex:q rdfs:subPropertyOf ex:p . ex:x ex:q \"7\"^^xsd:long .",
}


@pytest.mark.parametrize("case", sorted(SVF))
def test_some_values_from_a_datatype_containing_the_values_type(case):
    """``[p some xsd:decimal] ⊑ C . x p 3`` ⇒ ``x a C`` (3 is an xsd:integer, so an xsd:decimal):
    every rdf:type triple owlrl derives holds here, under every strategy, with a checked proof."""
    kg = _kg(SVF[case])
    theirs = _owlrl_types(kg)
    C = URIRef(EX + "C")
    assert any(o == C for _, _, o in theirs)
    for strategy in STRATEGIES:
        for triple in theirs:
            assert _answer(kg, triple, strategy)[0] == "true", (strategy, triple)
    ours = Reasoner(kg)
    derived = set(ours.inferred_triples())
    assert any(t[1] == RDF.type and t[2] == C for t in derived)  # materialized: it feeds rules
    # only the datatypes the graph names type the literals in the closure
    assert {t[2] for t in derived if isinstance(t[0], Literal)} <= {XSD.integer, XSD.decimal, XSD.long}


def test_some_values_from_a_narrower_datatype_is_not_entailed():
    """3 is an xsd:integer; ``p some xsd:long`` is not entailed from the datatype alone (owlrl
    neither): no answer either way."""
    kg = _kg("[ owl:someValuesFrom xsd:long ; owl:onProperty ex:p ] rdfs:subClassOf ex:C . ex:x ex:p 3 .")
    assert not any(o == URIRef(EX + "C") for _, _, o in _owlrl_types(kg))
    for strategy in STRATEGIES:
        assert _answer(kg, (URIRef(EX + "x"), RDF.type, URIRef(EX + "C")), strategy)[0] == "unknown"
