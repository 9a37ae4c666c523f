"""``decide()``: the one path from a hypothesis to yes / no / unknown, for ``ask``, the evaluation
and theory QA alike.

Policy (the same in every caller):

1. **Candidates.** The hypothesis' candidate triples are tried best first; those whose score is
   within :data:`CANDIDATE_MARGIN` of the best are tried in order and the first the reasoner
   decides (TRUE / FALSE) wins; if none is decided, the best candidate's UNKNOWN stands. A
   negated candidate ("Max is not small") flips TRUE and FALSE (:meth:`Truth.flipped`).
2. **Symbolic.** The reasoner's TRUE / FALSE stands — except that the **closed world is a
   promise about a complete reading**: an answer whose proof rests on a fact's absence (closed
   world) stands only when every sentence that could bear on the question was understood
   (:mod:`kgreason.pipeline.relevance`); otherwise it is withheld (unknown, ``decided_by: none``,
   the unread sentences named; hybrid asks the verifier). Its UNKNOWN stands (``decided_by:
   reasoner``: open world, unknown is an answer) when the context as far as it bears on the
   question and the statement were read; otherwise it is not a decision (``decided_by: none``).
   ``complete`` is that per-question completeness.
3. **Hybrid** = symbolic, and where reading failed the NLI verifier judges the statement against
   the context's own facts (as in neural mode); below ``threshold`` its answer is unknown. Reading
   failed where the statement was not understood, or where the reasoner is undecided over a
   context of which at least ``min_unread`` (:data:`MIN_UNREAD_SHARE`) was not understood. Over a
   context read *mostly*, the reasoner's unknown stands: the verifier, guessing over the whole
   text, was right less often than that unknown (ParaRules with the neural reader: 18 of 40 vs 28
   of 40 where under 20% was unread; 9 vs 8 of 13 above — ``benchmarks/README.md``).
   So hybrid never overrides an answer the reasoner gave from a complete reading.
4. **Neural** = the verifier alone over the context's facts (the "language alone" baseline),
   with the same threshold.

Evaluation batches the verifier: it calls :func:`reason`, :func:`needs_verifier` and
:func:`apply_judgement` — the same three steps :func:`decide` composes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Protocol

from kgreason.core import (
    ANSWER_OF_LABEL,
    ANSWER_OF_TRUTH,
    ASSERTED,
    CWA,
    NONE,
    REASONER,
    VERIFIER,
    Candidate,
    Decision,
    Hypothesis,
    Judgement,
    Proof,
    Truth,
    Verdict,
)
from kgreason.language.verbalize import sense_name, sentence, verbalize
from kgreason.plugins import modes

if TYPE_CHECKING:
    from kgreason.graph.knowledge_graph import KnowledgeGraph
    from kgreason.reasoning import Reasoner

#: Candidates whose score is within this margin of the best are tried before giving up.
CANDIDATE_MARGIN = 0.15
#: Below this probability of its label, the verifier's answer is "unknown".
VERIFIER_THRESHOLD = 0.5
#: Hybrid: share of the context that must be not understood before the verifier may decide where
#: the reasoner is undecided (a statement that was not understood always goes to the verifier).
MIN_UNREAD_SHARE = 0.5
#: The built-in modes; every mode registered in :data:`kgreason.plugins.modes` is accepted.
MODES = ("symbolic", "neural", "hybrid")


class Judge(Protocol):
    def verify(self, facts: Sequence[str], hypothesis: str) -> Judgement: ...


def ranked(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Best first (stable for equal scores)."""
    return sorted(candidates, key=lambda c: -float(c.score))


def reason(
    hypothesis: Hypothesis,
    reasoner: Reasoner,
    *,
    complete: bool = True,
    closed_world: bool | None = None,
) -> Decision:
    """Steps 1–2 of the policy: the reasoner's decision over the candidates."""
    candidates = ranked(hypothesis.candidates)
    if not candidates:
        return Decision(
            complete=False,
            statement=hypothesis.statement,
            reason=hypothesis.reason or "the statement could not be read as a triple of this graph",
        )
    best = float(candidates[0].score)
    first: tuple[Candidate, Verdict] | None = None
    for cand in candidates:
        if float(cand.score) < best - CANDIDATE_MARGIN:
            break
        verdict = reasoner.holds(*cand.triple, closed_world=closed_world)
        first = first or (cand, verdict)
        if verdict.value is not Truth.UNKNOWN:
            return _name_senses(_from_verdict(cand, verdict, complete, reasoner.kg), candidates,
                                reasoner.kg)
    assert first is not None  # undecided over every sense: no sense is named
    return _from_verdict(*first, complete, reasoner.kg)


def _name_senses(decision: Decision, candidates: Sequence[Candidate], kg: KnowledgeGraph) -> Decision:
    """When other readings are worded exactly like the decided one (senses of a word: WordNet's
    hammer.n.01 … hammer.n.10 are all "hammer"), the statement says which sense it is about:
    'Hammer is a kind of tool (hammer as hammer.n.02, "a hand tool with a heavy rigid head …")'."""
    cand = decision.candidate
    if cand is None or not decision.statement:
        return decision
    alike = [c for c in candidates if c is not cand and c.triple != cand.triple
             and candidate_statement(c, kg) == decision.statement]
    notes = []
    for i in (0, 2):
        node = cand.triple[i]
        if any(c.triple[i] != node for c in alike):
            notes.append(f"{kg.label(node)} as {sense_name(kg, node)}")
    if not notes:
        return decision
    statement = decision.statement.rstrip(".")
    return replace(decision, statement=f"{statement} ({'; '.join(notes)}).")


def candidate_statement(cand: Candidate, kg: KnowledgeGraph) -> str:
    """The reading as a sentence: what the answer shows is exactly the triple decided."""
    return sentence(verbalize(kg, cand.triple, negated=cand.negated))


def _from_verdict(cand: Candidate, verdict: Verdict, complete: bool, kg: KnowledgeGraph) -> Decision:
    truth = verdict.value.flipped() if cand.negated else verdict.value
    decision = Decision(
        answer=ANSWER_OF_TRUTH[truth],
        candidate=cand,
        statement=candidate_statement(cand, kg),
        verdict=verdict,
        conflicts=list(verdict.conflicts),
        complete=complete,
    )
    inconsistent = any(c.kind == "contradiction" and c.resolution == "unresolved"
                       for c in verdict.conflicts)
    if truth is not Truth.UNKNOWN and not complete and uses_closed_world(verdict.proof):
        # the closed world is a promise about a complete reading: an answer that rests on the
        # absence of a fact does not stand where a sentence that may state it was not understood
        return replace(decision, answer="unknown", decided_by=NONE, confidence=None,
                       reason=f"the closed-world answer '{ANSWER_OF_TRUTH[truth]}' rests on the "
                              "absence of facts, and part of the context that may state them was "
                              "not understood")
    if truth is not Truth.UNKNOWN:
        proof = verdict.proof
        stated = proof is not None and proof.rule == ASSERTED
        why = "stated in the graph" if stated else "proved from the graph"
        if inconsistent:  # the proof or the subject touches a clash (a fact and its negation)
            why += ", but this part of the graph is inconsistent (see the conflicts)"
        return replace(decision, decided_by=REASONER, confidence=1.0, reason=why)
    if inconsistent:
        why = "the graph is inconsistent here: it derives both the statement and its negation"
    elif verdict.conflicts:
        why = "conflicting statements of equal specificity"
    else:
        why = "the graph neither proves nor refutes it"
    if complete:  # open world: after a complete reading, unknown is the reasoner's answer
        return replace(decision, decided_by=REASONER, confidence=1.0, reason=why)
    return replace(decision, reason=why + ", and part of the context was not understood")


def uses_closed_world(proof: Proof | None) -> bool:
    """Does the proof rest on the closed world (a fact's absence) anywhere?"""
    return proof is not None and any(step.rule == CWA for step in proof.steps())


def withheld(decision: Decision) -> bool:
    """A closed-world answer the reasoner found but that does not stand (reading incomplete)."""
    return (decision.decided_by != REASONER and decision.verdict is not None
            and decision.verdict.value is not Truth.UNKNOWN)


@dataclass(frozen=True)
class Mode:
    """A decision mode, registered by name in :data:`kgreason.plugins.modes` (other packages add
    one through the entry-point group ``kgreason.modes``): who decides. ``reasons``: the reasoner
    decides first (the graph or theory is read and reasoned over); ``verifies``: the NLI verifier
    may decide (its model is loaded). :meth:`needs_verifier` is where the verifier is asked; a
    mode with other rules overrides it."""

    name: str
    description: str
    reasons: bool
    verifies: bool

    def needs_verifier(self, decision: Decision, *, unread_share: float = 1.0,
                       min_unread: float = MIN_UNREAD_SHARE) -> bool:
        if not self.verifies:
            return False
        if not self.reasons:
            return True
        if decision.decided_by == REASONER:
            return False
        if decision.candidate is None or withheld(decision):  # nothing the reasoner may keep
            return True
        return unread_share >= min_unread


SYMBOLIC = Mode("symbolic", "the reasoner decides, with a proof", reasons=True, verifies=False)
NEURAL = Mode("neural", "the NLI verifier alone over the retrieved or given facts",
              reasons=False, verifies=True)
HYBRID = Mode("hybrid", "the reasoner, and the NLI verifier where reading failed",
              reasons=True, verifies=True)


def mode_of(mode: str | Mode) -> Mode:
    """The registered mode named ``mode`` (a mode object is returned as is); an unknown or
    broken one raises :class:`~kgreason.plugins.PluginError` (exit 2 in the CLI)."""
    return mode if not isinstance(mode, str) else modes.get(mode)


def needs_verifier(decision: Decision, mode: str | Mode, *, unread_share: float = 1.0,
                   min_unread: float = MIN_UNREAD_SHARE) -> bool:
    """Step 3–4: does ``mode`` ask the verifier about this decision? ``unread_share``: the share of
    the context's sentences that were not understood (:func:`~kgreason.core.unread_share`)."""
    return mode_of(mode).needs_verifier(decision, unread_share=unread_share, min_unread=min_unread)


def apply_judgement(
    decision: Decision, judgement: Judgement | None, *, threshold: float = VERIFIER_THRESHOLD,
    closed_world: bool = False,
) -> Decision:
    """The verifier's judgement as the decision (``None``: there were no facts to judge). In a
    closed world "unknown" is no answer: what the verifier does not judge entailed (sure enough)
    is false, as for the reasoner."""
    if judgement is None:
        return replace(decision, reason=decision.reason or "no facts for the verifier to judge")
    answer = ANSWER_OF_LABEL[judgement.label]
    sure = judgement.confidence >= threshold
    if closed_world and not (answer == "yes" and sure):
        entailed = float(judgement.probs.get("entailment", 0.0))
        return replace(decision, answer="no", decided_by=VERIFIER,
                       confidence=round(1.0 - entailed, 4), judgement=judgement,
                       reason=f"closed world: the NLI verifier does not judge the statement entailed "
                              f"by the context's facts (entailment {entailed:.2f})")
    reason = (f"the NLI verifier judged the statement {judgement.label} given the context's facts"
              if sure else
              f"the NLI verifier was not sure ({judgement.label} {judgement.confidence:.2f} < "
              f"{threshold:.2f})")
    return replace(decision, answer=answer if sure else "unknown", decided_by=VERIFIER,
                   confidence=round(judgement.confidence, 4), judgement=judgement, reason=reason)


def verifier_statement(hypothesis: Hypothesis, decision: Decision) -> str:
    """What the verifier judges: the user's own statement (the reading may be what failed)."""
    return hypothesis.statement or decision.statement


def decide(
    hypothesis: Hypothesis,
    *,
    mode: str | Mode = "symbolic",
    reasoner: Reasoner | None = None,
    complete: bool = True,
    closed_world: bool | None = None,
    verifier: Judge | None = None,
    facts: Callable[[Decision], list[str]] = lambda d: [],
    threshold: float = VERIFIER_THRESHOLD,
    unread_share: float = 1.0,
    min_unread: float = MIN_UNREAD_SHARE,
) -> Decision:
    """The decision about ``hypothesis`` under ``mode`` (see the module docstring).

    ``complete``: the context (graph or theory) was read in full; ``unread_share``: the share of
    its sentences not understood. ``facts(decision)`` gives the sentences the verifier judges
    against (called only when the verifier is asked)."""
    mode = mode_of(mode)
    if not mode.reasons or reasoner is None:
        decision = Decision(complete=complete and hypothesis.understood,
                            statement=hypothesis.statement)
    else:
        decision = reason(hypothesis, reasoner, complete=complete, closed_world=closed_world)
    if needs_verifier(decision, mode, unread_share=unread_share, min_unread=min_unread) \
            and verifier is not None:
        items = facts(decision)
        judgement = verifier.verify(items, verifier_statement(hypothesis, decision)) if items else None
        decision = apply_judgement(decision, judgement, threshold=threshold,
                                   closed_world=bool(closed_world))
    return decision
