"""Tiny inline graphs for the reasoner tests."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.reasoning import Reasoner, Truth, check_proof, parse_rules

PREFIXES = """
@prefix ex: <http://example.org/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix kgr: <https://w3id.org/kgreason#> .
"""


def make_kg(ttl: str, rules: str = "") -> KnowledgeGraph:
    kg = KnowledgeGraph(Graph().parse(data=PREFIXES + ttl, format="turtle"))
    if rules:
        kg.rules = parse_rules(rules, namespaces=kg.namespaces, source="<test>")
    return kg


def ask(kg: KnowledgeGraph, triple: str, reasoner: Reasoner | None = None, **kw):
    """holds() on "ex:a ex:p ex:b"; asserts that any proof it returns is valid."""
    r = reasoner or Reasoner(kg)
    s, p, o = (Literal(int(t)) if t.isdigit() else kg.resolve(t) for t in triple.split())
    verdict = r.holds(s, p, o, **kw)
    if verdict.proof is not None:
        assert check_proof(verdict.proof, r) == []
    return verdict


@pytest.fixture
def T():
    return Truth
