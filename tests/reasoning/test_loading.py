"""load_reasoner / load_graph_with_rules (a graph file's ``.rules`` beside it), the reasoner
noticing graph changes, and the public pieces ``materialize`` is built from."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from rdflib import OWL, RDF, URIRef
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import RuleError
from kgreason.graph.loaders import load_graph
from kgreason.reasoning import (
    load_graph_with_rules,
    load_reasoner,
    materialized_graph,
    parse_rules,
    sidecar_rules,
)

from .conftest import PREFIXES, make_kg

GRAPH = PREFIXES + """
ex:canBe a kgr:InheritableProperty ; rdfs:label "can be" .
ex:cannotBe kgr:negationOf ex:canBe ; rdfs:label "cannot be" .
ex:Apple rdfs:subClassOf ex:Fruit ; rdfs:label "apple" .
ex:Fruit ex:canBe ex:EatenRaw .
ex:Cat owl:disjointWith ex:Dog . ex:tom a ex:Cat .
"""
SIDECAR = "[treat] ?x ex:goodFor ex:Snack :- ?x ex:canBe ex:EatenRaw .\n"
EX = "http://example.org/"
runner = CliRunner()


def _files(tmp_path, rules: str | None = SIDECAR):
    graph = tmp_path / "food.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    if rules is not None:
        graph.with_suffix(".rules").write_text(rules, encoding="utf-8")
    return graph


def test_the_graph_package_loads_triples_only_and_the_reasoning_loader_adds_the_rules_beside(tmp_path):
    graph = _files(tmp_path)
    assert load_graph(graph).rules == []
    kg = load_graph_with_rules(graph)
    assert [r.id for r in kg.rules] == ["treat"]
    assert [r.id for r in sidecar_rules(graph, kg.namespaces)] == ["treat"]
    assert sidecar_rules(tmp_path / "none.ttl") == []


def test_load_reasoner_graph_rules_user_rules_and_mode(tmp_path):
    graph = _files(tmp_path)
    extra = tmp_path / "extra.rules"
    extra.write_text("[picnic] ?x ex:goodFor ex:Picnic :- ?x ex:goodFor ex:Snack .\n")
    reasoner = load_reasoner([str(graph)], rules=[extra], closed_world=True)
    kg = reasoner.kg
    assert reasoner.closed_world is True
    assert [r.id for r in kg.rules] == ["treat"]  # user rules are the reasoner's, not the graph's
    assert [r.id for r in reasoner.rules] == ["treat", "picnic"]
    verdict = reasoner.holds(URIRef(EX + "Apple"), URIRef(EX + "goodFor"), URIRef(EX + "Picnic"))
    assert verdict.value.value == "true" and verdict.proof.rule == "picnic"
    # an already loaded graph, and Rule objects
    again = load_reasoner(kg, rules=parse_rules("[r2] ?x a ex:Thing :- ?x a ex:Cat .", kg.namespaces))
    assert again.kg is kg and [r.id for r in again.rules] == ["treat", "r2"]


def test_a_broken_rules_file_beside_the_graph_is_an_error_with_its_position(tmp_path):
    graph = _files(tmp_path, rules="[bad] ?x ex:p :- ?x a ex:C .\n")
    with pytest.raises(RuleError) as err:
        load_reasoner(graph)
    assert "food.rules:1:" in str(err.value)


def test_graph_info_convert_and_validate_see_the_rules_beside_the_graph(tmp_path):
    graph = _files(tmp_path)
    res = runner.invoke(app, ["graph", "info", str(graph), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["rules"] == 1
    res = runner.invoke(app, ["graph", "convert", str(graph), str(tmp_path / "out.nt"), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["rules_not_written"] == 1
    graph.with_suffix(".rules").write_text("[bad] ?x ex:p :- ?x a ex:C .\n")
    res = runner.invoke(app, ["graph", "validate", str(graph), "--json"])
    assert res.exit_code == 1
    errors = json.loads(res.stdout)["errors"]
    assert [e["kind"] for e in errors] == ["parse"] and "food.rules" in errors[0]["where"]


def test_graph_query_inferred_uses_the_rules_beside_the_graph(tmp_path):
    graph = _files(tmp_path)
    sparql = "SELECT ?x WHERE { ?x ex:goodFor ex:Snack }"
    res = runner.invoke(app, ["graph", "query", str(graph), sparql, "--inferred", "--json"])
    assert res.exit_code == 0, res.output
    assert len(json.loads(res.stdout)["rows"]) == 2  # Fruit and (inherited) Apple


def test_the_reasoner_recomputes_after_the_graph_changed():
    kg = make_kg("ex:a ex:p ex:b . ex:p a owl:TransitiveProperty .")
    from kgreason.reasoning import Reasoner

    reasoner = Reasoner(kg)
    a, p, c = (URIRef(EX + x) for x in ("a", "p", "c"))
    b = URIRef(EX + "b")
    assert reasoner.holds(a, p, c).value.value == "unknown"
    kg.add((b, p, c))
    assert reasoner.holds(a, p, c).value.value == "true"
    kg.remove((b, p, c))
    assert reasoner.holds(a, p, c).value.value == "unknown"
    kg.rules = parse_rules("[r] ?x ex:p ex:c :- ?x ex:p ex:b .", kg.namespaces)
    verdict = reasoner.holds(a, p, c)  # made without rules: follows kg.rules
    assert verdict.value.value == "true" and verdict.proof.rule == "r"


def test_derived_by_negation_of_and_materialized_graph():
    kg = make_kg("""ex:cannotBe kgr:negationOf ex:canBe .
        ex:Potato ex:cannotBe ex:EatenRaw .
        ex:Cat owl:disjointWith ex:Dog . ex:tom a ex:Cat .""")
    from kgreason.reasoning import Reasoner

    reasoner = Reasoner(kg)
    ex = {x: URIRef(EX + x) for x in ("tom", "Dog", "Cat", "canBe", "cannotBe")}
    assert reasoner.negation_of == {ex["cannotBe"]: ex["canBe"]}
    assert reasoner.derived_by((ex["tom"], RDF.type, ex["Dog"]), negated=True) == "cax-dw"
    assert reasoner.derived_by((ex["tom"], RDF.type, ex["Cat"])) is None  # asserted
    out = materialized_graph(reasoner)
    assert len(out) > len(kg) and all(t in out for t in kg.rdf)
    reified = list(out.subjects(RDF.type, OWL.NegativePropertyAssertion))
    assert len(reified) == 1 and (reified[0], OWL.sourceIndividual, ex["tom"]) in out
    inferred = materialized_graph(reasoner, inferred_only=True)
    assert not any(t in inferred for t in kg.rdf)


def test_the_closure_is_the_same_in_every_process(tmp_path):
    """Terms are read in a fixed order (not rdflib's hash-ordered set), so the derivation a proof
    shows does not depend on PYTHONHASHSEED."""
    script = (
        "import hashlib, sys\n"
        "from kgreason.reasoning import load_reasoner\n"
        "r = load_reasoner('commonsense').materialize()\n"
        "lines = sorted(f'{t} {r.derived_by(t)}' for t in r.inferred_triples())\n"
        "print(hashlib.sha256('\\n'.join(lines).encode()).hexdigest())\n"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                              check=True)
        outputs.add(done.stdout.strip())
    assert len(outputs) == 1
