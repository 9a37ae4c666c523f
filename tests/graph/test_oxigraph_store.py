"""The on-disk graph store (pyoxigraph RocksDB): load, materialize into it, SPARQL over both."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kgreason.cli import app

GRAPH = """@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:partOf a owl:TransitiveProperty .
ex:a ex:partOf ex:b . ex:b ex:partOf ex:c . ex:c ex:partOf ex:d .
ex:Apple rdfs:subClassOf ex:Fruit . ex:x a ex:Apple . ex:x rdfs:label "x\\ny"@en .
"""
PREFIX = "PREFIX ex: <http://example.org/> "


def _rows(res) -> list:
    assert res.exit_code == 0, res.output
    return json.loads(res.output)["rows"]


def test_load_materialize_and_query_asserted_plus_inferred(tmp_path):
    src = tmp_path / "g.ttl"
    src.write_text(GRAPH)
    store = tmp_path / "store"
    runner = CliRunner()
    res = runner.invoke(app, ["graph", "store", str(store), str(src), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["asserted"] == 7 and json.loads(res.output)["inferred"] == 0
    q = PREFIX + "SELECT ?y WHERE { ex:a ex:partOf ?y } ORDER BY ?y"
    assert len(_rows(runner.invoke(app, ["graph", "query", "--store", str(store), q, "--json"]))) == 1

    res = runner.invoke(app, ["graph", "store", str(store), str(src), "--materialize", "--json"])
    data = json.loads(res.output)
    assert data["asserted"] == 7 and data["inferred"] == 4  # a⊂c, a⊂d, b⊂d, x a Fruit
    rows = _rows(runner.invoke(app, ["graph", "query", "--store", str(store), q, "--json"]))
    assert [r["y"] for r in rows] == ["ex:b", "ex:c", "ex:d"] or len(rows) == 3
    inferred_only = PREFIX + "SELECT ?y WHERE { GRAPH kgr:inferred { ex:a ex:partOf ?y } }"
    assert len(_rows(runner.invoke(app, ["graph", "query", "--store", str(store), inferred_only, "--json"]))) == 2
    ask = PREFIX + "ASK { ex:x a ex:Fruit }"
    res = runner.invoke(app, ["graph", "query", "--store", str(store), ask, "--json"])
    assert json.loads(res.output)["boolean"] is True


def test_bad_store_and_update_queries_are_clear_errors(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["graph", "query", "--store", str(tmp_path / "none"), "ASK { ?s ?p ?o }"])
    assert res.exit_code != 0 and "no graph store" in res.output
    src = tmp_path / "g.ttl"
    src.write_text(GRAPH)
    runner.invoke(app, ["graph", "store", str(tmp_path / "s"), str(src)])
    res = runner.invoke(app, ["graph", "query", "--store", str(tmp_path / "s"), "DELETE WHERE { ?s ?p ?o }"])
    assert res.exit_code != 0 and "bad SPARQL" in res.output
    res = runner.invoke(app, ["graph", "query", "--store", str(tmp_path / "s"), "ASK { ?s ?p ?o }"])
    assert res.exit_code == 0 and "yes" in res.output, res.output
