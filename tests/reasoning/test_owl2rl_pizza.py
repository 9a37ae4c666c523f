"""A Protégé-style OWL ontology in RDF/XML (tests/data/pizza.owl: toppings, someValuesFrom,
allValuesFrom, hasValue, unionOf, intersectionOf, disjoint classes) loads, materializes, answers
questions with proofs that re-check, and `graph validate` lists a clash with both proofs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, URIRef
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.reasoning import Truth, check_proof, load_reasoner
from kgreason.reasoning.owl_rules import w3c_id

PIZZA = Path(__file__).parent.parent / "data" / "pizza.owl"
PZ = "http://example.org/pizza#"


def pz(name: str) -> URIRef:
    return URIRef(PZ + name)


@pytest.fixture(scope="module")
def reasoner():
    return load_reasoner([str(PIZZA)])


@pytest.mark.parametrize(
    ("subject", "cls", "value", "rules"),
    [
        ("Diavola", "MeatyPizza", Truth.TRUE, {"cls-svf1", "cls-int1"}),
        ("Diavola", "SpicyPizza", Truth.TRUE, {"cls-int1", "cls-svf1"}),
        ("HouseMargherita", "CheesyPizza", Truth.TRUE, {"cls-svf1", "cls-int1"}),
        ("Basil1", "VegetarianTopping", Truth.TRUE, {"cls-avf"}),
        ("Tomato1", "VegetarianTopping", Truth.TRUE, {"scm-uni"}),
        ("HouseMargherita", "MeatyPizza", Truth.FALSE, {"cax-dw"}),
        ("Diavola", "VegetarianPizza", Truth.FALSE, {"cax-dw"}),
        ("Pepperoni1", "VegetableTopping", Truth.FALSE, {"cax-adc"}),
    ],
)
def test_pizza_entailments_with_proofs(reasoner, subject, cls, value, rules):
    verdict = reasoner.holds(pz(subject), RDF.type, pz(cls))
    assert verdict.value == value
    assert check_proof(verdict.proof, reasoner) == []
    used = {w3c_id(s.rule) for s in verdict.proof.steps()}
    assert rules <= used, used
    assert reasoner.contradictions == []


def test_pizza_questions(make_table_pipeline):
    pipe = make_table_pipeline(str(PIZZA))
    for question, expected in [
        ("Is the diavola a spicy pizza?", "yes"),
        ("Is the house margherita a cheesy pizza?", "yes"),
        ("Is basil a vegetarian topping?", "yes"),
        ("Is the diavola a vegetarian pizza?", "no"),
    ]:
        answer = pipe.ask(question)
        assert answer.answer == expected, (question, answer.reason)
        assert answer.decided_by == "reasoner"
        assert check_proof(answer.decision.proof, pipe.reasoner) == []


def test_validate_lists_a_clash_with_both_proofs(tmp_path):
    order = tmp_path / "order.ttl"
    order.write_text(
        "@prefix pz: <http://example.org/pizza#> .\n"
        "pz:VeggieSpecial a pz:VegetarianPizza ; pz:hasTopping pz:Ham1 .\n"
        "pz:Ham1 a pz:HamTopping .\n"
    )
    result = CliRunner().invoke(app, ["graph", "validate", str(PIZZA), str(order), "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.output)
    assert not data["valid"]
    kinds = [e["kind"] for e in data["errors"]]
    assert "inconsistency" in kinds
    for clash in data["inconsistencies"]:
        assert len(clash["proofs"]) == 2
    subjects = {clash["triple"][0] for clash in data["inconsistencies"]}
    assert subjects & {":Ham1", ":VeggieSpecial"}
    ok = CliRunner().invoke(app, ["graph", "validate", str(PIZZA), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.output)["inconsistencies"] == []


def test_ask_says_when_the_question_touches_a_clash(tmp_path, make_table_pipeline):
    order = tmp_path / "order.ttl"
    order.write_text(
        "@prefix pz: <http://example.org/pizza#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "pz:Ham1 a pz:HamTopping ; rdfs:label \"parma ham\"@en .\n"
        "pz:VeggieSpecial a pz:VegetarianPizza ; pz:hasTopping pz:Ham1 .\n"
    )
    pipe = make_table_pipeline(str(PIZZA), str(order))
    answer = pipe.ask("Is parma ham a meat topping?")
    assert "inconsistent" in answer.reason
    assert any(c["kind"] == "contradiction" for c in answer.conflicts)


def test_rules_list_shows_w3c_ids():
    result = CliRunner().invoke(app, ["rules", "list", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)["rules"]
    ids = {r["w3c"] for r in rows}
    for rid in ("cls-svf1", "prp-spo2", "prp-key", "cls-maxqc3", "dt-not-type", "scm-avf2", "eq-ref"):
        assert rid in ids
    generated = CliRunner().invoke(app, ["rules", "list", str(PIZZA), "--json"])
    rows = json.loads(generated.output)["rules"]
    texts = [r["text"] for r in rows if r["kind"] == "generated"]
    assert any("cls-uni#" in t and "pz:CheeseTopping" in t for t in texts) or any(
        "cls-uni#" in t for t in texts)
    bad = CliRunner().invoke(app, ["rules", "list", "--table", "nope"])
    assert bad.exit_code != 0
