"""A closure that grows quadratically warns early and stops with a clear error at a limit set
from the machine's memory, instead of running it out of memory."""

from __future__ import annotations

import logging

import pytest
from rdflib import OWL, RDF, Graph, URIRef

from kgreason.errors import ReasoningError
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
    with pytest.raises(ReasoningError, match=r"stopped after 500 facts: rule prp-trp") as err:
        Reasoner(_chain(200), max_facts=500).materialize()
    assert "KGREASON_MAX_FACTS" in str(err.value.hint)


def test_the_default_limit_fits_the_memory(monkeypatch):
    import os

    memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    monkeypatch.delenv("KGREASON_MAX_FACTS", raising=False)
    assert default_max_facts() * BYTES_PER_FACT <= memory // 2 + BYTES_PER_FACT
    monkeypatch.setenv("KGREASON_MAX_FACTS", "1234")
    assert default_max_facts() == 1234 and Reasoner(_chain(2)).max_facts == 1234
    monkeypatch.setenv("KGREASON_MAX_FACTS", "lots")
    with pytest.raises(ReasoningError, match="not a number"):
        default_max_facts()
