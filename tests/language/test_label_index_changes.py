"""Caches keyed on a graph see its changes: a relabelled entity (same number of triples) is found
by its new label in the label index and in question parsing."""

from __future__ import annotations

from rdflib import RDFS, Graph, Literal, Namespace

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.language import parse_question
from kgreason.language.label_index import graph_lexicon, label_index

Z = Namespace("http://example.org/zoo#")
ZOO = """@prefix z: <http://example.org/zoo#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
z:Platypus rdfs:label "platypus" ; rdfs:subClassOf z:Mammal .
z:Mammal rdfs:label "mammal" .
z:Perry a z:Platypus ; rdfs:label "Perry" .
"""


def _relabel(kg: KnowledgeGraph, node, text: str) -> None:
    size = len(kg)
    kg.remove((node, RDFS.label, None))
    kg.add((node, RDFS.label, Literal(text)))
    assert len(kg) == size


def test_label_index_and_lexicon_follow_a_relabel():
    kg = KnowledgeGraph(Graph().parse(data=ZOO, format="turtle"))
    assert label_index(kg).link("mammal")[0][0] == Z.Mammal
    assert graph_lexicon(kg).nouns == {"platypus"}
    _relabel(kg, Z.Mammal, "beast")
    assert label_index(kg).link("beast") == [(Z.Mammal, 1.0)]
    assert label_index(kg).link("mammal") == []
    _relabel(kg, Z.Platypus, "duckbill")
    assert graph_lexicon(kg).nouns == {"duckbill"}


def test_question_parsing_follows_a_relabel():
    kg = KnowledgeGraph(Graph().parse(data=ZOO, format="turtle"))
    assert parse_question("Is Perry a mammal?", kg).candidates[0].triple[2] == Z.Mammal
    _relabel(kg, Z.Mammal, "beast")
    hyp = parse_question("Is Perry a beast?", kg)
    assert hyp.candidates and hyp.candidates[0].triple[2] == Z.Mammal
