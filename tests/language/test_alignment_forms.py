"""Within one English graph the same noun in two forms is one class, and numbers never link to
other numbers."""

from __future__ import annotations

from kgreason.language.english_graph import parse_theory, use_second_path
from kgreason.language.label_index import label_index
from kgreason.language.morphology import numbers
from kgreason.pipeline.theory import decide_statement, theory


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1]


def test_irregular_plural_subjects_are_the_class_of_their_singular():
    with use_second_path(None):
        kg = parse_theory("Cacti are plants. Cacti can survive drought. Spike is a cactus. "
                          "Mice can run. Jerry is a mouse. Geese are birds. Children can play.")
    subjects = {_local(s) for s, _, _ in kg.rdf}
    assert "Cacti" not in subjects and "Mice" not in subjects and "Geese" not in subjects
    facts = {tuple(_local(t) for t in triple) for triple in kg.rdf}
    assert ("Cactus", "canSurvive", "Drought") in facts
    assert ("Mouse", "can", "Run") in facts
    assert ("Goose", "subClassOf", "Bird") in facts


def test_a_cactus_inherits_what_cacti_can_do():
    th = theory("Cacti are plants. Cacti can survive drought. Spike is a cactus.")
    decision = decide_statement(th, "Spike can survive drought.")
    assert decision.answer == "yes", decision.reason


def test_numbers_link_only_to_the_same_number():
    assert numbers(("four", "legs")) == {"four"}
    kg = parse_theory("Insects have six legs. Spiders have eight legs. Ants are insects.")
    index = label_index(kg)
    linked = {_local(n) for n, _ in index.link(("four", "legs"))}
    assert not linked & {"SixLeg", "EightLeg"}
    assert "SixLeg" in {_local(n) for n, _ in index.link(("six", "legs"))}
    decision = decide_statement(theory("Insects have six legs. Ants are insects."), "Ants have four legs.")
    assert decision.answer != "yes", decision.statement


def test_idioms_around_an_attribute_are_not_minted_on_the_exact_path():
    from kgreason.core import NOT_UNDERSTOOD

    text = ("Bob is big. Gary is kind. Anne is quiet. Fred is round. Fred is green.\n"
            "A big person who is kind can be considered quiet.\n"
            "People that are round are on the quiet side.\n"
            "Fred is green right now.\n"
            "A big, cold, blue person is rough around the edges.\n"
            "Kind people are round.")
    with use_second_path(None):
        kg = parse_theory(text)
    status = {r.sentence: r.status for r in kg.readings}
    for idiom in ("A big person who is kind can be considered quiet.",
                  "People that are round are on the quiet side.", "Fred is green right now.",
                  "A big, cold, blue person is rough around the edges."):
        assert status[idiom] == NOT_UNDERSTOOD, idiom
    assert status["Kind people are round."] != NOT_UNDERSTOOD
    assert not {"ConsideredQuiet", "TheQuietSide", "GreenRightNow", "TheEdge", "TheEdges"} & \
        {_local(t) for triple in kg.rdf for t in triple}


def test_a_relation_used_again_is_no_idiom():
    with use_second_path(None):
        kg = parse_theory("If someone is big then they chase the cat. The cat is red. Bob is big.")
    assert not kg.issues
