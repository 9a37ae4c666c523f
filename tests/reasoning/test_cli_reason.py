"""``kgreason materialize`` and ``kgreason prove`` through the typer runner."""

from __future__ import annotations

import json

from rdflib import Graph, URIRef
from typer.testing import CliRunner

from kgreason.cli import app

from .conftest import PREFIXES

GRAPH = (
    PREFIXES
    + """
ex:canBe a kgr:InheritableProperty ; rdfs:label "can be" .
ex:cannotBe kgr:negationOf ex:canBe ; rdfs:label "cannot be" .
ex:Apple rdfs:subClassOf ex:Fruit ; rdfs:label "apple" .
ex:Fruit ex:canBe ex:EatenRaw .
ex:Potato ex:cannotBe ex:EatenRaw .
ex:Cat owl:disjointWith ex:Dog . ex:tom a ex:Cat .
"""
)
runner = CliRunner()


def _graph(tmp_path):
    path = tmp_path / "food.ttl"
    path.write_text(GRAPH, encoding="utf-8")
    return path


def test_prove_true_false_unknown(tmp_path):
    g = str(_graph(tmp_path))
    res = runner.invoke(app, ["prove", g, "--triple", "ex:Apple ex:canBe ex:EatenRaw"])
    assert res.exit_code == 0, res.output
    assert res.output.startswith("TRUE") and "Apple can be eaten raw.  [kgr-inherit]" in res.output
    res = runner.invoke(app, ["prove", g, "--triple", "ex:tom a ex:Dog", "--json"])
    data = json.loads(res.output)
    assert data["value"] == "false" and data["proof"]["rule"] == "cax-dw"
    res = runner.invoke(app, ["prove", g, "--triple", "ex:Apple ex:canBe ex:Boiled"])
    assert res.output.startswith("UNKNOWN") and "missing:" in res.output


def test_prove_with_rules_file_and_closed_world(tmp_path):
    g = str(_graph(tmp_path))
    rules = tmp_path / "extra.rules"
    rules.write_text(
        "[snack] ?x ex:goodFor ex:Snack :- ?x ex:canBe ex:EatenRaw, not ?x ex:canBe ex:Poisonous .\n"
    )
    args = ["prove", g, "--rules", str(rules), "--triple", "ex:Apple ex:goodFor ex:Snack"]
    assert runner.invoke(app, args).output.startswith("UNKNOWN")
    assert runner.invoke(app, [*args, "--closed-world"]).output.startswith("TRUE")
    rules.write_text("?x ex:p ?y :- ?x ex:q .\n")
    res = runner.invoke(app, args)
    assert res.exit_code != 0 and "extra.rules:1:" in res.output


def test_prove_rejects_bad_triples(tmp_path):
    g = str(_graph(tmp_path))
    res = runner.invoke(app, ["prove", g, "--triple", "ex:Apple ex:canBe"])
    assert res.exit_code == 2 and "3 terms" in res.output
    res = runner.invoke(app, ["prove", g, "--triple", "zz:Apple ex:canBe ex:X"])
    assert res.exit_code == 2 and "unknown prefix" in res.output


def test_materialize_formats_and_negatives(tmp_path):
    g = str(_graph(tmp_path))
    out = tmp_path / "out.nt"
    res = runner.invoke(app, ["materialize", g, "--output", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["inferred"] >= 2 and data["format"] == "nt"
    written = Graph().parse(out, format="nt")
    ex = "http://example.org/"
    assert (URIRef(ex + "Apple"), URIRef(ex + "canBe"), URIRef(ex + "EatenRaw")) in written
    assert (
        URIRef(ex + "Fruit"),
        URIRef(ex + "canBe"),
        URIRef(ex + "EatenRaw"),
    ) in written  # asserted kept
    only = tmp_path / "inferred.ttl"
    res = runner.invoke(app, ["materialize", g, "-o", str(only), "--inferred-only"])
    assert res.exit_code == 0 and "wrote" in res.output
    inferred = Graph().parse(only, format="turtle")
    assert (URIRef(ex + "Fruit"), URIRef(ex + "canBe"), URIRef(ex + "EatenRaw")) not in inferred
    # tom is not a dog: no declared negation of rdf:type, so an owl:NegativePropertyAssertion
    npa = list(
        inferred.subjects(
            URIRef("http://www.w3.org/2002/07/owl#sourceIndividual"), URIRef(ex + "tom")
        )
    )
    assert len(npa) == 1
    res = runner.invoke(app, ["materialize", g, "-o", str(tmp_path / "x.unknown")])
    assert res.exit_code == 2 and "output format" in res.output


def test_graph_query_inferred(tmp_path):
    g = str(_graph(tmp_path))
    sparql = "SELECT ?x WHERE { ?x ex:canBe ex:EatenRaw }"
    plain = json.loads(runner.invoke(app, ["graph", "query", g, sparql, "--json"]).output)
    inferred = json.loads(
        runner.invoke(app, ["graph", "query", g, sparql, "--inferred", "--json"]).output
    )
    assert len(plain["rows"]) == 1 and len(inferred["rows"]) == 2


def test_rules_file_beside_the_graph_is_used(tmp_path):
    g = _graph(tmp_path)
    g.with_suffix(".rules").write_text(
        "[treat] ?x ex:goodFor ex:Snack :- ?x ex:canBe ex:EatenRaw .\n"
    )
    res = runner.invoke(
        app, ["prove", str(g), "--triple", "ex:Apple ex:goodFor ex:Snack", "--json"]
    )
    data = json.loads(res.output)
    assert data["value"] == "true" and data["proof"]["rule"] == "treat"
    assert (
        data["proof"]["rule_text"] == "[treat] ?x ex:goodFor ex:Snack :- ?x ex:canBe ex:EatenRaw ."
    )
