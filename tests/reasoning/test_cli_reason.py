"""``kgreason materialize`` and ``kgreason prove`` through the typer runner."""

from __future__ import annotations

import json

from rdflib import OWL, RDF, Graph, URIRef
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
    assert res.output.startswith("TRUE") and "Apple can be eaten raw.  [inherits from its class]" in res.output
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


def test_materialize_makes_missing_folders_refuses_a_folder_and_counts_reified_negatives(tmp_path):
    g = str(_graph(tmp_path))
    out = tmp_path / "new" / "sub" / "closure.nt"
    res = runner.invoke(app, ["materialize", g, "--output", str(out), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    written = Graph().parse(out, format="nt")
    assert data["written"] == len(written)
    reified = set(written.subjects(RDF.type, OWL.NegativePropertyAssertion))
    assert data["negative_property_assertions"] == len(reified) >= 1  # tom is not a Dog
    folder = tmp_path / "closure.nt"
    folder.mkdir()
    res = runner.invoke(app, ["materialize", g, "--output", str(folder)])
    assert res.exit_code == 2 and "is a directory" in res.output


def test_prove_notes_terms_the_graph_does_not_mention(tmp_path):
    g = str(_graph(tmp_path))
    res = runner.invoke(app, ["prove", g, "--triple", "ex:Apple ex:canBee ex:EatenRaw"])
    assert res.exit_code == 0 and res.stdout.startswith("UNKNOWN")
    assert "ex:canBee does not occur in the graph" in res.stderr
    assert "ex:Apple does not occur" not in res.stderr and "ex:EatenRaw does not occur" not in res.stderr
    res = runner.invoke(app, ["prove", g, "--triple", "ex:tom a ex:Dog"])
    assert "does not occur" not in res.stderr  # rdf:type is vocabulary, not a typo


def test_rules_option_given_a_directory_is_one_line(tmp_path):
    g = str(_graph(tmp_path))
    res = runner.invoke(app, ["prove", g, "--rules", str(tmp_path), "--triple", "ex:a ex:b ex:c"])
    assert res.exit_code == 2 and "is a directory" in res.output and "Traceback" not in res.output
