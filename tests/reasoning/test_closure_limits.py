"""A closure that grows quadratically warns early and stops with a clear error at a limit set
from the machine's memory, instead of running it out of memory."""

from __future__ import annotations

import logging

import pytest
from rdflib import OWL, RDF, RDFS, Graph, URIRef

from kgreason.errors import ConfigError, ReasoningError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.reasoning import Reasoner
from kgreason.reasoning.engine import BYTES_PER_FACT, default_max_facts

NS = "http://example.org/"


def _chain(n: int) -> KnowledgeGraph:
    g = Graph()
    p = URIRef(NS + "before")
    g.add((p, RDF.type, OWL.TransitiveProperty))
    for i in range(n):
        g.add((URIRef(f"{NS}n{i}"), p, URIRef(f"{NS}n{i + 1}")))
    return KnowledgeGraph(g)


def test_a_fast_growing_closure_warns_once_with_the_rule(caplog):
    with caplog.at_level(logging.WARNING, logger="kgreason.reasoning"):
        r = Reasoner(_chain(60), warn_facts=200).materialize()
    warnings = [rec.getMessage() for rec in caplog.records if "growing fast" in rec.getMessage()]
    assert len(warnings) == 1 and "prp-trp" in warnings[0]
    assert r.stats["derived"] == 61 * 60 // 2 - 60  # every pair of the chain, still


def test_the_fact_limit_stops_reasoning_with_a_clear_error():
    # counted from the components before any pair is stored: 200 * 201 / 2 pairs
    with pytest.raises(ReasoningError, match=r"stopped: the transitive closure of "
                       r"<http://example.org/before> \(rule prp-trp\) would hold up to 20,100 pairs") as err:
        Reasoner(_chain(200), max_facts=500).materialize()
    assert "KGREASON_MAX_FACTS" in str(err.value.hint) and "query-time" in str(err.value.hint)


def test_a_big_subclass_cycle_stops_before_its_pairs_are_stored():
    g = Graph()
    n = 3000  # 9M pairs: would take ~6 GB; stops after counting one component
    for i in range(n):
        g.add((URIRef(f"{NS}C{i}"), RDFS.subClassOf, URIRef(f"{NS}C{(i + 1) % n}")))
    with pytest.raises(ReasoningError, match=r"up to 9,000,000 pairs"):
        Reasoner(KnowledgeGraph(g), max_facts=100_000).materialize()


def test_the_limit_also_holds_for_joins_after_the_transitive_closure():
    with pytest.raises(ReasoningError, match=r"stopped after 300 facts"):
        # the chain closure fits (190 pairs); the inverse property then doubles it
        g = _chain(19).rdf
        g.add((URIRef(NS + "before"), OWL.inverseOf, URIRef(NS + "after")))
        Reasoner(KnowledgeGraph(g), max_facts=300).materialize()


def test_the_default_limit_fits_the_memory(monkeypatch):
    import os

    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    monkeypatch.delenv("KGREASON_MAX_FACTS", raising=False)
    assert default_max_facts() * BYTES_PER_FACT <= memory // 2 + BYTES_PER_FACT
    monkeypatch.setenv("KGREASON_MAX_FACTS", "1234")
    assert default_max_facts() == 1234 and Reasoner(_chain(2)).max_facts == 1234
    monkeypatch.setenv("KGREASON_MAX_FACTS", "lots")
    with pytest.raises(ConfigError, match="KGREASON_MAX_FACTS='lots' is not a valid setting") as err:
        default_max_facts()
    assert "whole number of facts" in err.value.hint
