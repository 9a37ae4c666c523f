"""A rule can derive triples no RDF syntax can write (a literal subject, a literal or blank-node
predicate): the reasoner keeps them, ``materialize`` leaves them out with a warning and a count,
and what it writes parses back with kgreason (issue 13, item 2)."""

from __future__ import annotations

import json
import logging

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.graph import load_graph
from kgreason.reasoning import Reasoner, materialized_graph

from .conftest import PREFIXES, make_kg

EX = "http://example.org/"
GRAPH = PREFIXES + """
ex:apple ex:name "apple" ; ex:color ex:red ; ex:rel [ ex:x ex:y ] .
"""
FLIP = "@prefix ex: <http://example.org/> .\n[flip] ?o ?p ?s :- ?s ?p ?o .\n"


def test_the_reasoner_keeps_them_the_export_leaves_them_out(caplog):
    kg = make_kg('ex:apple ex:name "apple" ; ex:color ex:red .', FLIP)
    reasoner = Reasoner(kg)
    literal_subject = (Literal("apple"), URIRef(EX + "name"), URIRef(EX + "apple"))
    assert literal_subject in set(reasoner.inferred_triples())  # a generalized triple, inside
    skipped: list = []
    with caplog.at_level(logging.WARNING):
        out = materialized_graph(reasoner, skipped=skipped)
    assert skipped == [literal_subject]
    assert (URIRef(EX + "red"), URIRef(EX + "color"), URIRef(EX + "apple")) in out
    assert not any(isinstance(s, Literal) for s in out.subjects())
    assert "1 derived triple(s) are not RDF" in caplog.text and "flip" in caplog.text


@pytest.mark.parametrize("suffix", [".nt", ".ttl", ".rdf", ".jsonld"])
def test_materialize_output_parses_back(tmp_path, suffix):
    graph = tmp_path / "g.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    rules = tmp_path / "flip.rules"
    # flip, and a rule that uses a blank node as a predicate
    rules.write_text(FLIP + "[bp] ?s ?b ?o :- ?s ex:rel ?b, ?b ex:x ?o .\n", encoding="utf-8")
    out = tmp_path / f"closure{suffix}"
    res = CliRunner().invoke(app, ["materialize", str(graph), "--rules", str(rules), "-o", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["not_rdf_skipped"] >= 2  # "apple" as a subject; the blank node as a predicate
    back = load_graph([out])
    assert len(back) == data["written"]
    assert (URIRef(EX + "red"), URIRef(EX + "color"), URIRef(EX + "apple")) in back.rdf
