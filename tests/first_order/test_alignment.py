"""Paraphrase alignment over one problem's vocabulary: a phrase only the conclusion (or one premise)
uses is read as the other sentences' phrase on morphological, voice, light-word or WordNet evidence,
each link said in the answer; unrelated words, numbers and rare WordNet senses stay apart."""

from __future__ import annotations

import pytest

from kgreason.graph.wordnet_lookup import sense_lookup
from kgreason.language.first_order_alignment import align_reading, find_alignment
from kgreason.language.first_order_reading import read_first_order
from kgreason.pipeline.first_order import answer_first_order

needs_wordnet = pytest.mark.skipif(sense_lookup() is None, reason="Debian wordnet-base is not installed")


def test_irregular_past_needs_no_alignment_the_grammar_names_verbs_by_lemma():
    for align in (True, False):
        res = answer_first_order(["All famous poets write a novel.", "Mira is a famous poet."],
                                 "Mira wrote a novel.", align=align)
        assert res.answer == "true" and res.alignments == []


def test_the_perfect_is_read_as_the_premises_verb_and_said():
    res = answer_first_order(["All famous poets publish a novel.", "Mira is a famous poet."],
                             "Mira has published a novel.")
    assert res.answer == "true"
    [a] = res.alignments
    assert a.kind == "morphology"
    assert "assumed: read 'has published a novel' in the conclusion as 'publishes a novel'" in res.message
    assert res.to_json()["aligned"][0]["kind"] == "morphology"


def test_without_alignment_the_same_problem_says_what_no_premise_speaks_of():
    res = answer_first_order(["All famous poets publish a novel.", "Mira is a famous poet."],
                             "Mira has published a novel.", align=False)
    assert res.answer == "unknown" and "no premise speaks of: has published a novel" in res.message


def test_perfect_and_future_tense_are_the_plain_verb():
    res = answer_first_order(["Either Theo wins a medal or Theo trains daily.", "Theo does not train daily."],
                             "Theo has won a medal.")
    assert res.answer == "true"
    assert "'has won' is the perfect of 'win'" in res.alignments[0].evidence
    res = answer_first_order(["Either Lia visits Rome or Lia stays home.", "Lia does not stay home."],
                             "Lia will visit Rome.")
    assert res.answer == "true" and "'will' marks the future tense" in res.alignments[0].evidence


def test_located_in_is_read_as_in():
    res = answer_first_order(["The Old Mill is either in Springfield or in Shelbyville.",
                              "The Old Mill is not in Shelbyville."],
                             "The Old Mill is located in Springfield.")
    assert res.answer == "true"
    [a] = res.alignments
    assert a.kind == "light words" and "'locate in' says no more than 'in'" in a.evidence


def test_a_kind_of_is_read_as_the_noun():
    res = answer_first_order(["Some tools are hammers.", "Every hammer is heavy.", "Kit is a hammer."],
                             "Kit is a kind of hammer.")
    # 'a kind of hammer' links to 'hammer'; the fact is then the premise's own
    assert res.answer == "true" and res.alignments[0].kind == "light words"
    assert "'a kind of X' is read as 'an X'" in res.alignments[0].evidence


def test_passive_with_by_between_two_names_is_the_active():
    reading = read_first_order(["Either Ava directs Nightfall or Ava directs Dawn.", "Ava does not direct Dawn."],
                               "Nightfall is directed by Ava.")
    aligned, links = align_reading(reading)
    assert [a.kind for a in links] == ["voice"]
    assert "in the other voice" in links[0].evidence
    res = answer_first_order(["Either Ava directs Nightfall or Ava directs Dawn.", "Ava does not direct Dawn."],
                             "Nightfall is directed by Ava.")
    assert res.answer == "true" and "Nightfall is directed by Ava" in res.message


@needs_wordnet
def test_wordnet_synonyms_sharing_every_sense_align():
    res = answer_first_order(["Every store that sells cars is busy.", "Zed sells cars."],
                             "Zed sells automobiles.")
    assert res.answer == "true"
    [a] = res.alignments
    assert a.kind == "WordNet" and "car.n.01" in a.evidence
    assert "'sells automobiles' in the conclusion as 'sells cars'" in res.message


@needs_wordnet
def test_a_synset_shared_only_in_a_rare_sense_is_no_evidence():
    # "man" is a valet in one rare sense; "big" is "heavy" in one: neither is a link
    senses = sense_lookup()
    assert senses.shared_synset("man", "valet") is None
    assert senses.shared_synset("big", "heavy") is None
    res = answer_first_order(["Every valet is tired.", "Either Noor is a valet or Noor is a cook.", "Noor is not a cook."],
                             "Noor is a man.")
    assert res.answer == "unknown" and not res.alignments and "no premise speaks of" in res.message


def test_unrelated_words_stay_unaligned():
    res = answer_first_order(["Every painter owns a brush.", "Rex is a painter."], "Rex owns a boat.")
    assert res.answer == "unknown" and not res.alignments
    assert "no premise speaks of: owns a boat" in res.message


def test_numbers_never_align_to_other_numbers():
    assert find_alignment("publish_book_in_1947", ["publish_book_in_1946"]) is None
    res = answer_first_order(["Either Ida won a prize in 1990 or Ida retired.", "Ida did not retire."],
                             "Ida won a prize in 1991.")
    assert res.answer == "unknown" and not res.alignments


def test_two_candidates_are_no_link():
    # two phrases of the other sentences with the same lemmas: no single target, no link
    assert find_alignment("wrote_poem", ["write_poem", "writes_poem"]) is None
