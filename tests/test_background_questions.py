"""WordNet as background knowledge for ``ask``: a membership question the graph cannot decide
("Is the sun a star?") gets a yes with the WordNet step (its synsets) in the proof; never a no
from a missing link; off with ``reasoning.background: false`` / ``--no-background``. Unit tests
use the WordNet excerpt in tests/data/wordnet; the slow test the real Debian wordnet-base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kgreason.graph.wordnet_lookup as wordnet_lookup
from kgreason.cli import app
from kgreason.config import PipelineConfig, RetrievalConfig
from kgreason.graph.wordnet_lookup import DEFAULT_DIR, NounLookup, available
from kgreason.pipeline import Pipeline
from kgreason.pipeline.background import answer_membership, membership_words

FIXTURE = Path(__file__).resolve().parent / "data" / "wordnet"


@pytest.fixture(scope="module")
def excerpt():
    return NounLookup(FIXTURE)


@pytest.fixture
def pipe(monkeypatch, excerpt):
    monkeypatch.setattr(wordnet_lookup, "lookup", lambda folder=None: excerpt)
    return Pipeline(PipelineConfig(retrieval=RetrievalConfig(enabled=False)))


def test_membership_words():
    assert membership_words("Is the sun a star?") == [("sun", "star")]
    assert membership_words("Is a robin a bird?") == [("robin", "bird")]
    assert membership_words("Are whales mammals?") == [("whales", "mammals")]
    assert membership_words("Is the sun not a star?") == []  # a link never answers "not"
    assert membership_words("Isn't the sun a star?") == []
    assert membership_words("Can penguins fly?") == []


def test_an_instance_and_a_kind_with_the_synsets(pipe, excerpt):
    paris = answer_membership("Is Paris a national capital?", pipe.kg, lookup=excerpt)
    assert paris.answer == "yes" and paris.statement == "Paris is a national capital."
    assert paris.proof.rule == "wordnet:paris.n.01" and "instance of national_capital.n.01" in paris.proof.rule_text
    woman = answer_membership("Is a woman an adult?", pipe.kg, lookup=excerpt)
    assert woman.statement == "Woman is a kind of adult." and "a kind of adult.n.01" in woman.proof.rule_text
    assert answer_membership("Is a woman an apple?", pipe.kg, lookup=excerpt) is None


def test_ask_shows_the_wordnet_step_and_never_says_no(pipe):
    answer = pipe.ask("Is a woman an adult?")
    assert answer.answer == "yes" and answer.decided_by == "reasoner"
    assert answer.proof == ["Woman is a kind of adult (WordNet: woman.n.01 (woman) is a kind of adult.n.01 (adult))."]
    assert answer.to_json()["proof_tree"]["rule"] == "wordnet:woman.n.01"
    assert pipe.ask("Is a woman an apple?").answer == "unknown"  # no link: unknown, not no


def test_the_graph_decides_first_and_background_can_be_turned_off(pipe, monkeypatch):
    class Refuse:
        def is_a(self, *_):
            raise AssertionError("the graph decides this one: no lookup expected")

    monkeypatch.setattr(wordnet_lookup, "lookup", lambda folder=None: Refuse())
    assert pipe.ask("Is a penguin a bird?").answer == "yes"
    assert pipe.ask("Are mammals birds?").answer == "no"  # disjointness stands
    pipe.config.reasoning.background = False
    assert pipe.ask("Is a woman an adult?").answer == "unknown"


def test_without_wordnet_nothing_changes(pipe, monkeypatch):
    monkeypatch.setattr(wordnet_lookup, "lookup", lambda folder=None: None)
    assert pipe.ask("Is a woman an adult?").answer == "unknown"


@pytest.mark.slow
@pytest.mark.skipif(not available(DEFAULT_DIR), reason="Debian's wordnet-base is not installed")
def test_the_sun_is_a_star_and_milk_a_drink_with_the_real_wordnet():
    runner = CliRunner()
    for question, rule, statement in (("Is the sun a star?", "wordnet:sun.n.01", "Sun is a star."),
                                      ("Is milk a drink?", "wordnet:milk.n.01", "Milk is a kind of drink.")):
        data = json.loads(runner.invoke(app, ["ask", question, "--json", "-p", "symbolic"]).stdout)
        assert data["answer"] == "yes" and data["statement"] == statement, data
        assert data["proof_tree"]["rule"] == rule and "WordNet" in data["proof"][0]
    # off: the pipeline without a neural reader (the shipped ones would try it: ~20 s a question)
    config = PipelineConfig(retrieval=RetrievalConfig(enabled=False))
    config.reasoning.background = False
    assert Pipeline(config).ask("Is the sun a star?").answer == "unknown"
