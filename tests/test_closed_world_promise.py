"""The closed world is a promise about a complete reading: a "no" (or a "yes") that rests on a
fact's absence stands only when every sentence that could bear on the question was understood."""

from __future__ import annotations

from kgreason.core import NONE, REASONER, Candidate, Hypothesis
from kgreason.language.english_graph import use_second_path
from kgreason.pipeline.decide import decide
from kgreason.pipeline.relevance import cone, relevant_unread
from kgreason.pipeline.theory import TheoryCache, decide_statement

#: line 4 is not read exactly (and there is no neural reader here): it talks about blue, which
#: derives kind; line 5 is not read either but names nothing the questions below depend on
CONTEXT = ("Fred is big.\nGary is kind.\nIf someone is blue then they are kind.\n"
           "Fred feels blue because the other kids made fun of his shape.\n"
           "Anne is quite something in the morning light.\n"
           "If someone is not kind then they are rough.")


class _Verifier:
    """A stand-in for the NLI model (the network of a unit test): says entailment, sure."""

    def __init__(self):
        self.asked = []

    def verify(self, facts, hypothesis):
        from kgreason.core import Judgement

        self.asked.append(hypothesis)
        return Judgement("entailment", {"entailment": 0.9, "neutral": 0.05, "contradiction": 0.05})


def _theory(closed_world=True):
    with use_second_path(None):
        return TheoryCache(reader=None).read(CONTEXT, closed_world)


def test_a_closed_world_no_over_a_relevant_unread_sentence_is_withheld():
    th = _theory()
    assert len(th.issues) == 2
    decision = decide_statement(th, "Fred is kind.", closed_world=True)
    assert decision.answer == "unknown" and decision.decided_by == NONE
    assert "Fred feels blue" in decision.reason and "morning light" not in decision.reason


def test_a_closed_world_yes_through_negation_as_failure_is_withheld_too():
    th = _theory()
    decision = decide_statement(th, "Fred is rough.", closed_world=True)  # rough <- not kind <- blue
    assert decision.answer == "unknown" and decision.decided_by == NONE


def test_answers_the_unread_sentences_cannot_change_stand():
    th = _theory()
    assert decide_statement(th, "Gary is big.", closed_world=True).answer == "no"
    assert decide_statement(th, "Fred is big.", closed_world=True).decided_by == REASONER
    assert decide_statement(th, "Gary is kind.", closed_world=True).answer == "yes"  # stated
    open_world = _theory(closed_world=False)
    gary = decide_statement(open_world, "Gary is big.")
    assert gary.answer == "unknown" and gary.decided_by == REASONER  # unknown is the answer
    fred = decide_statement(open_world, "Fred is kind.")
    assert fred.answer == "unknown" and fred.decided_by == NONE  # the unread line may say it


def test_hybrid_asks_the_verifier_where_the_closed_world_answer_is_withheld():
    th = _theory()
    verifier = _Verifier()
    decision = decide_statement(th, "Fred is kind.", mode="hybrid", closed_world=True, verifier=verifier)
    assert verifier.asked == ["Fred is kind"]
    assert decision.decided_by == "verifier" and decision.answer == "yes"
    kept = decide_statement(th, "Gary is big.", mode="hybrid", closed_world=True, verifier=verifier)
    assert kept.decided_by == REASONER and len(verifier.asked) == 1


def test_cone_follows_rules_backwards():
    th = _theory()
    hyp = decide_statement(th, "Fred is rough.", closed_world=True)
    names = {str(n).rsplit("#", 1)[-1] for n in cone(th.kg, [hyp.candidate])}
    assert {"Rough", "Kind", "Blue"} <= names and "Big" not in names
    unread = relevant_unread(th.kg, [hyp.candidate])
    assert [r.line for r in unread] == [4]


def test_no_candidates_means_every_unread_sentence_matters():
    th = _theory()
    assert len(relevant_unread(th.kg, [])) == 2
    decision = decide(Hypothesis("?"), reasoner=th.reasoner, complete=False, closed_world=True)
    assert decision.decided_by == NONE
    assert Candidate  # the type the candidates are


def test_in_a_unary_theory_a_sentence_about_someone_else_cannot_matter():
    """Rules about one individual and no relations: what is said of Fred never bears on Bob."""
    text = CONTEXT + "\nBob is big."
    with use_second_path(None):
        th = TheoryCache(reader=None).read(text, True)
    decision = decide_statement(th, "Bob is kind.", closed_world=True)
    assert (decision.answer, decision.decided_by) == ("no", REASONER)
    assert decide_statement(th, "Fred is kind.", closed_world=True).decided_by == NONE
    # a relation between individuals: Fred's unread sentence may matter to Bob again
    with use_second_path(None):
        related = TheoryCache(reader=None).read(text + "\nBob likes Fred.\n"
                                                "If someone likes Fred then they are kind.", True)
    hyp = decide_statement(related, "Bob is kind.", closed_world=True)
    assert [r.line for r in relevant_unread(related.kg, [hyp.candidate])] == [4]
    assert relevant_unread(th.kg, [decision.candidate]) == []


def test_in_a_closed_world_the_verifiers_not_entailed_is_no():
    from kgreason.core import Judgement
    from kgreason.pipeline.decide import apply_judgement

    th = _theory()
    withheld = decide_statement(th, "Fred is kind.", closed_world=True)
    neutral = Judgement("neutral", {"entailment": 0.2, "neutral": 0.7, "contradiction": 0.1})
    assert apply_judgement(withheld, neutral, closed_world=True).answer == "no"
    assert apply_judgement(withheld, neutral, closed_world=False).answer == "unknown"
    unsure = Judgement("entailment", {"entailment": 0.45, "neutral": 0.3, "contradiction": 0.25})
    assert apply_judgement(withheld, unsure, closed_world=True).answer == "no"
    sure = Judgement("entailment", {"entailment": 0.9, "neutral": 0.05, "contradiction": 0.05})
    assert apply_judgement(withheld, sure, closed_world=True).answer == "yes"
