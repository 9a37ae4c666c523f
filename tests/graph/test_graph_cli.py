"""``kgreason graph info|validate|convert|query`` through typer's runner on tiny real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Namespace
from rdflib.compare import isomorphic
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.graph import EX, load_graph

DATA = Path(__file__).resolve().parents[1] / "data" / "loaders"
FOOD = Namespace("http://example.org/food#")
TINY = str(DATA / "tiny.ttl")


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("kgreason ")


def test_info_json_counts_and_used_namespaces_only():
    result = run("graph", "info", TINY, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["triples"] == 10
    assert data["classes"] == 2  # Apple, Fruit
    assert set(data["namespaces"]) == {"ex", "rdf", "rdfs", "kgr"}
    assert data["top_predicates"][0] == {"predicate": "rdfs:label", "count": 5}


def test_info_table_merges_several_files():
    result = run("graph", "info", TINY, str(DATA / "tiny.csv"))
    assert result.exit_code == 0, result.output
    # 10 + 15 - 1: the CSV's ex: now means tiny.ttl's namespace, so its potato label is the same triple
    assert "│ triples        │ 24 " in result.stdout


def test_info_reports_load_issues_on_stderr():
    result = run("graph", "info", str(DATA / "tiny.graphml"))
    assert result.exit_code == 0
    assert "no predicate attribute" in result.stderr


def test_validate_valid_graph():
    result = run("graph", "validate", TINY, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["valid"] is True and data["errors"] == [] and data["triples"] == 10


def test_validate_collects_parse_errors_of_every_file_and_exits_1():
    result = run(
        "graph", "validate", TINY, str(DATA / "malformed.ttl"), str(DATA / "latin1.ttl"), "--json"
    )
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    where = [e["where"] for e in data["errors"]]
    assert where == [f"{DATA / 'malformed.ttl'}:4:1", f"{DATA / 'latin1.ttl'}:2:58"]
    assert data["triples"] == 10  # the good file still loaded and was checked


def test_validate_text_output_and_strict(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(
        "@prefix ex: <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        'ex:A rdfs:subClassOf ex:B . ex:Aple rdfs:label "apple" .\n',
        encoding="utf-8",
    )
    result = run("graph", "validate", str(graph))
    assert result.exit_code == 0, result.output
    assert "warning [dangling-label] ex:Aple" in result.stdout and "valid:" in result.stdout
    assert run("graph", "validate", "--strict", str(graph)).exit_code == 1


def test_validate_subclass_cycle_is_an_error(tmp_path):
    graph = tmp_path / "cycle.ttl"
    graph.write_text(
        "@prefix ex: <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C . ex:C rdfs:subClassOf ex:A .\n"
        "ex:D rdfs:subClassOf ex:D .\n",
        encoding="utf-8",
    )
    result = run("graph", "validate", str(graph), "--json")
    assert result.exit_code == 1
    errors = json.loads(result.stdout)["errors"]
    assert [e["kind"] for e in errors] == ["subclass-cycle"]
    assert "ex:D" not in errors[0]["message"]  # A ⊑ A is harmless
    assert all(name in errors[0]["message"] for name in ("ex:A", "ex:B", "ex:C"))


@pytest.mark.parametrize("ext", [".nt", ".ttl", ".jsonld", ".rdf", ".trig", ".nq", ".csv", ".tsv"])
def test_convert_round_trips(tmp_path, ext):
    out = tmp_path / f"out{ext}"
    result = run("graph", "convert", TINY, str(out), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["triples"] == 10
    assert isomorphic(load_graph(out).rdf, load_graph(TINY).rdf)


def test_convert_csv_to_turtle_keeps_labels(tmp_path):
    out = tmp_path / "food.ttl"
    assert run("graph", "convert", str(DATA / "tiny.csv"), str(out)).exit_code == 0
    kg = load_graph(out)
    assert kg.qname(EX.EatenRaw) == "ex:EatenRaw" and kg.label(EX.EatenRaw) == "eaten raw"
    assert len(kg) == 15


def test_query_select_table_and_json():
    sparql = "SELECT ?x ?label WHERE { ?x rdfs:subClassOf ex:Fruit ; rdfs:label ?label }"
    table = run("graph", "query", TINY, sparql)
    assert table.exit_code == 0, table.output
    assert "ex:Apple" in table.stdout and "1 row(s)" in table.stdout
    data = json.loads(run("graph", "query", TINY, sparql, "--json").stdout)
    assert data == {
        "kind": "select",
        "variables": ["x", "label"],
        "rows": [{"x": "ex:Apple", "label": '"apple"'}],
    }


def test_query_ask_and_several_graphs():
    yes = run(
        "graph",
        "query",
        TINY,
        str(DATA / "tiny.csv"),
        "ASK { ?x rdfs:subClassOf ?y . ?y ex:canBe ?z }",
    )
    assert yes.exit_code == 0 and yes.stdout.strip() == "yes"
    no = run("graph", "query", TINY, "ASK { ex:Potato rdfs:subClassOf ex:Fruit }", "--json")
    assert json.loads(no.stdout) == {"kind": "ask", "boolean": False}


def test_query_needs_a_graph_and_a_query():
    result = run("graph", "query", "SELECT * { ?s ?p ?o }")
    assert result.exit_code != 0 and "give at least one graph" in result.stderr


def test_validate_counts_unreadable_english_sentences_as_warnings(tmp_path):
    graph = tmp_path / "g.txt"
    graph.write_text("Apples are fruits.\nand the of.\n", encoding="utf-8")
    result = run("graph", "validate", str(graph), "--json")
    assert result.exit_code == 0, result.output
    warnings = json.loads(result.stdout)["warnings"]
    assert [w["kind"] for w in warnings] == ["load"] and "g.txt:2" in warnings[0]["message"]
    assert run("graph", "validate", str(graph), "--strict").exit_code == 1


def test_convert_reports_load_issues_and_rules_it_cannot_write(tmp_path):
    graph = tmp_path / "g.txt"
    graph.write_text("Bob is cold. If something is cold then it is round.\nand the of.\n", encoding="utf-8")
    result = run("graph", "convert", str(graph), str(tmp_path / "g.ttl"))
    assert result.exit_code == 0, result.output
    assert "g.txt:2" in result.stderr
    assert "1 rule(s)" in result.stderr and "not written" in result.stderr
    data = json.loads(run("graph", "convert", str(graph), str(tmp_path / "g2.ttl"), "--json").stdout)
    assert data["rules_not_written"] == 1 and len(data["issues"]) == 1
