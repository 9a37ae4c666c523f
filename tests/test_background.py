"""Common knowledge the text leaves unsaid comes from WordNet, with the step in the proof; never a
"no" from a missing link. The fixture is an excerpt of WordNet 3.0 in its own file format."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgreason.graph.wordnet_lookup import DEFAULT_DIR, NounLookup, available
from kgreason.language.english_graph import parse_theory, use_second_path
from kgreason.pipeline.background import add_background
from kgreason.pipeline.theory import Theory, TheoryCache, decide_statement
from kgreason.reasoning import Reasoner

FIXTURE = Path(__file__).resolve().parent / "data" / "wordnet"


def _theory(text: str, lookup) -> Theory:
    with use_second_path(None):
        kg = parse_theory(text)
    add_background(kg, lookup=lookup)
    return Theory(text, kg, Reasoner(kg, rules=kg.rules), list(kg.issues))


def test_lookup_follows_hypernyms_in_the_file_format():
    wn = NounLookup(FIXTURE)
    assert wn.is_a("apple", "fruit") == ["apple.n.01", "edible_fruit.n.01", "fruit.n.01"]
    assert wn.is_a("woman", "adult") == ["woman.n.01", "adult.n.01"]
    assert wn.is_a("apple", "adult") is None
    assert wn.senses("no_such_word") == []


def test_a_class_condition_is_met_through_wordnet_with_the_synset_in_the_proof():
    th = _theory("All red fruits are sweet. The apple is red.", NounLookup(FIXTURE))
    decision = decide_statement(th, "The apple is sweet.")
    assert decision.answer == "yes"
    rules = {step.rule: step.rule_text for step in decision.proof.steps()}
    assert "wordnet:apple.n.01" in rules
    assert "edible_fruit.n.01" in rules["wordnet:apple.n.01"]


def test_no_link_never_says_no():
    th = _theory("All red adults are sweet. The apple is red.", NounLookup(FIXTURE))
    decision = decide_statement(th, "The apple is sweet.")
    assert decision.answer == "unknown"
    assert not [r for r in th.kg.rules if r.id.startswith("wordnet:")]


def test_a_thing_named_by_a_class_noun_is_of_that_class():
    th = _theory("Birds can fly. Penguins cannot fly. The penguin is small.", NounLookup(FIXTURE))
    assert decide_statement(th, "The penguin can fly.").answer == "no"


def test_texts_without_classes_look_nothing_up():
    class Refuse:
        def is_a(self, *_):
            raise AssertionError("no lookup expected")

    with use_second_path(None):
        kg = parse_theory("Bob is big. If someone is big then they are red.")
    assert add_background(kg, lookup=Refuse()) == []


@pytest.mark.slow
@pytest.mark.skipif(not available(DEFAULT_DIR), reason="Debian's wordnet-base is not installed")
def test_the_bear_is_an_animal_with_the_real_wordnet():
    th = TheoryCache(background=True).read("All kind animals are quiet. The bear is kind.")
    decision = decide_statement(th, "The bear is quiet.")
    assert decision.answer == "yes"
    assert any(step.rule == "wordnet:bear.n.01" for step in decision.proof.steps())
    off = TheoryCache(background=False).read("All kind animals are quiet. The bear is kind.")
    assert decide_statement(off, "The bear is quiet.").answer == "unknown"
