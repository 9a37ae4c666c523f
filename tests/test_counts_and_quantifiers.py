"""Counting questions ("How many legs does a spider have?") answer with the number the graph
states and its proof, or "no count proved" — never a 0 that reads as an answer. "all" questions
answer no with the exceptions as proofs, yes only where a strict proof holds; "any" / "is there"
questions answer with a witness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.language.open_questions import parse_open_question, stated_count
from kgreason.language.quantifiers import ALL, ANY, quantifier_of
from kgreason.reasoning import check_proof

DATA = Path(__file__).parent / "data"


def _checked(pipe, answer) -> None:
    for item in answer.items:
        for proof in item.proofs:
            if proof.rule != "owl-cardinality":
                assert check_proof(proof, pipe.reasoner) == [], (answer.question, item.term)


# ---------------------------------------------------------------------- counts
def test_stated_count_reads_number_words_and_digits_of_the_counted_noun_only():
    assert stated_count("eight legs", ("legs",)) == 8
    assert stated_count("4 wheels", ("wheel",)) == 4
    assert stated_count("six legs", ("eyes",)) is None
    assert stated_count("wings", ("wings",)) is None


def test_how_many_legs_does_a_spider_have_is_eight_with_the_inheritance_in_the_proof(commonsense):
    answer = commonsense.ask("How many legs does a spider have?")
    assert answer.kind == "how_many" and answer.count == 8
    assert answer.statement == "Spider has eight legs."
    proof = answer.answers_json()[0]["proof"]
    assert proof == ["Spider is a kind of arachnid.", "Arachnid has eight legs.", "Spider has eight legs."]
    _checked(commonsense, answer)
    assert commonsense.ask("How many legs does a bee have?").count == 6


@pytest.mark.parametrize("question", ["How many moons does Mars have?", "How many wings does a bird have?"])
def test_no_count_is_never_zero(commonsense, question):
    answer = commonsense.ask(question)
    assert answer.count is None and answer.reason.startswith("no count proved")
    assert answer.to_json()["count"] is None


def test_wings_are_stated_but_not_counted(commonsense):
    answer = commonsense.ask("How many wings does a bird have?")
    assert "wings" in answer.reason and answer.items == []


def test_questions_that_count_their_answers_still_do(commonsense):
    answer = commonsense.ask("How many birds cannot fly?")
    assert answer.count == 5 and not answer.counted
    assert not parse_open_question("How many birds cannot fly?", commonsense.kg).counted


def test_owl_cardinalities_count_for_subclasses_and_members(make_table_pipeline):
    pipe = make_table_pipeline(str(DATA / "cardinality.ttl"))
    ant = pipe.ask("How many legs does an ant have?")
    assert ant.count == 6 and ant.statement == "Ant has exactly 6 legs."
    assert ant.answers_json()[0]["proof"][0] == "Ant is a kind of insect."
    tweety = pipe.ask("How many legs does Tweety have?")
    assert tweety.count == 2 and "Tweety is a bird." in tweety.answers_json()[0]["proof"]
    assert pipe.ask("How many wings does an ant have?").count is None


def test_the_cli_headline_is_the_number_or_no_count_proved():
    runner = CliRunner()
    out = runner.invoke(app, ["ask", "How many legs does a spider have?", "-p", "symbolic"]).output
    assert out.startswith("8  Spider has eight legs.") and "Arachnid has eight legs." in out
    out = runner.invoke(app, ["ask", "How many moons does Mars have?", "-p", "symbolic"]).output
    assert out.startswith("no count proved") and not out.startswith("0")


# ---------------------------------------------------------------------- all / any
@pytest.mark.parametrize("question, quantifier", [
    ("Do all birds fly?", ALL), ("Is every fruit sweet?", ALL), ("Does each bird sing?", ALL),
    ("Does any mammal lay eggs?", ANY), ("Are there birds that cannot fly?", ANY),
    ("Is there a bird that cannot fly?", ANY), ("Can birds fly?", None), ("Are apples fruit?", None),
])
def test_quantifiers_are_read_from_the_wording(question, quantifier):
    assert quantifier_of(question) == quantifier


def test_do_all_birds_fly_is_no_with_the_exceptions(commonsense):
    answer = commonsense.ask("Do all birds fly?")
    assert answer.kind == "all" and answer.answer == "no"
    names = {commonsense.kg.label(i.term) for i in answer.items}
    assert {"penguin", "ostrich", "emu"} <= names and "sparrow" not in names
    assert answer.proof and answer.proof[-1].endswith("cannot fly.")
    data = answer.to_json()
    assert data["answer"] == "no" and {e["label"] for e in data["exceptions"]} == names
    _checked(commonsense, answer)
    assert commonsense.ask("Can birds fly?").answer == "yes"  # the kind, by default: not quantified


def test_all_is_yes_only_where_a_strict_proof_holds(commonsense):
    assert commonsense.ask("Are all birds animals?").answer == "yes"  # a subclass chain
    eggs = commonsense.ask("Do all birds lay eggs?")  # a default with no known exception
    assert eggs.answer == "unknown" and "default" in eggs.reason
    birds = commonsense.ask("Are all animals birds?")  # disjointness: mammals are not birds
    assert birds.answer == "no" and birds.items
    _checked(commonsense, birds)


def test_any_is_answered_with_a_witness(commonsense):
    eggs = commonsense.ask("Do any mammals lay eggs?")
    assert eggs.kind == "any" and eggs.answer == "yes"
    witness = eggs.to_json()["witness"]
    assert witness["label"] in {"platypus", "echidna", "monotreme"} and witness["proof"]
    _checked(commonsense, eggs)
    there = commonsense.ask("Is there a bird that cannot fly?")
    assert there.answer == "yes" and commonsense.kg.label(there.items[0].term) in {"emu", "ostrich", "penguin"}
    assert commonsense.ask("Are any mammals birds?").answer == "no"  # disjoint: strictly none
    fish = commonsense.ask("Is there a fish that can fly?")  # none found is not none exists
    assert fish.answer == "unknown" and fish.items == []


def test_quantified_json_from_the_cli():
    data = json.loads(CliRunner().invoke(app, ["ask", "Do all birds fly?", "--json", "-p", "symbolic"]).stdout)
    assert data["kind"] == "all" and data["answer"] == "no" and data["exceptions"]
    assert all(e["proof"] for e in data["exceptions"])
