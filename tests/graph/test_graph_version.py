"""KnowledgeGraph.version and fingerprint(): every change through the graph's methods (and edits
of ``kg.rules``) is seen; the fingerprint follows the content, not blank-node ids or sizes."""

from __future__ import annotations

import pickle

from rdflib import RDFS, Graph, Literal, URIRef

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.reasoning import parse_rules

TTL = """@prefix ex: <http://example.org/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ex:Apple rdfs:label "apple" ; rdfs:subClassOf ex:Fruit .
[] a owl:NegativePropertyAssertion ; owl:sourceIndividual ex:tom ;
   owl:assertionProperty ex:likes ; owl:targetIndividual ex:Rain .
"""
EX = "http://example.org/"


def _kg() -> KnowledgeGraph:
    return KnowledgeGraph(Graph().parse(data=TTL, format="turtle"))


def test_fingerprint_is_stable_across_blank_node_ids_and_loads():
    a, b = _kg(), _kg()  # two parses: different blank-node ids
    assert set(a.rdf.subjects()) != set(b.rdf.subjects())
    assert a.fingerprint() == b.fingerprint()


def test_relabelling_keeps_the_size_but_changes_version_and_fingerprint():
    kg = _kg()
    size, version, fp = len(kg), kg.version, kg.fingerprint()
    apple = URIRef(EX + "Apple")
    kg.remove((apple, RDFS.label, None))
    kg.add((apple, RDFS.label, Literal("pomme")))
    assert len(kg) == size
    assert kg.version != version and kg.fingerprint() != fp
    kg.remove((apple, RDFS.label, None))
    kg.add((apple, RDFS.label, Literal("apple")))
    assert kg.fingerprint() == fp  # content, not history


def test_rules_edits_change_version_and_fingerprint():
    kg = _kg()
    version, fp = kg.version, kg.fingerprint()
    triples_only = kg.fingerprint(rules=False)
    assert triples_only == fp  # no rules: the same value either way
    kg.rules.append(parse_rules("[r] ?x ex:p ex:o :- ?x a ex:C .", kg.namespaces)[0])
    assert kg.version > version and kg.fingerprint() != fp
    assert kg.fingerprint(rules=False) == triples_only
    version = kg.version
    kg.rules = []
    assert kg.version > version and kg.fingerprint() == fp


def test_direct_rdf_edits_need_changed_except_for_the_fingerprint_when_the_size_changes():
    kg = _kg()
    version, fp = kg.version, kg.fingerprint()
    x = URIRef(EX + "x")
    kg.rdf.add((x, RDFS.label, Literal("x")))  # behind the graph's back
    assert kg.fingerprint() != fp and kg.version == version
    kg.changed()
    assert kg.version > version


def test_a_pickled_graph_still_tracks_rule_edits():
    kg = pickle.loads(pickle.dumps(_kg()))
    version = kg.version
    kg.rules.extend(parse_rules("[r] ?x ex:p ex:o :- ?x a ex:C .", kg.namespaces))
    assert kg.version > version


def test_a_change_around_a_blank_node_changes_the_fingerprint():
    kg, other = _kg(), _kg()
    node = next(other.rdf.subjects(URIRef("http://www.w3.org/2002/07/owl#sourceIndividual"), None))
    other.remove((node, URIRef("http://www.w3.org/2002/07/owl#sourceIndividual"), None))
    other.add((node, URIRef("http://www.w3.org/2002/07/owl#sourceIndividual"), URIRef(EX + "jerry")))
    assert len(other) == len(kg) and other.fingerprint() != kg.fingerprint()
