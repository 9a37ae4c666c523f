"""Answers to quantified questions (:mod:`kgreason.language.quantifiers`).

**all** ("Do all birds fly?"): the class-level statement C p o, asked of every member.

* the statement is refuted for the class itself → **no** (that proof);
* a member (subclass or instance, proved to be one) for which the reasoner proves the opposite —
  an exception to a default, a disjoint class — → **no**, every such exception listed with its
  proof;
* no exception, and the statement is proved *strictly* (no default: a subclass chain, a
  disjointness, an OWL axiom; not a kgr:InheritableProperty statement, which holds only
  "unless something more specific says otherwise") → **yes**;
* otherwise **unknown**: a default with no known exception does not prove that all do.

**any** ("Does any mammal lay eggs?", "Is there a bird that cannot fly?"): a member for which
the statement is proved is a **witness** → **yes** with its proof; the statement strictly refuted
for the class (disjointness: no mammal is a bird) → **no**; otherwise **unknown** (open world:
no witness found is not "none exists").

Members and their proofs come from :mod:`kgreason.pipeline.open_answers`, so defaults, their
exceptions and conflicts are decided exactly as for "Which birds cannot fly?".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from rdflib import RDF

from kgreason.core import NONE, REASONER, Candidate, Decision, OpenItem, Proof, QueryReading, X
from kgreason.graph.vocab import KGR
from kgreason.language.quantifiers import ALL, QuantifiedQuestion
from kgreason.pipeline.decide import CANDIDATE_MARGIN, reason
from kgreason.pipeline.open_answers import members_proved

if TYPE_CHECKING:
    from kgreason.reasoning import Reasoner

_DEFAULT_RULES = frozenset(["kgr-inherit", "kgr-inherit-neg"])


@dataclass
class Quantified:
    decision: Decision
    #: all: the exceptions (members for which the statement is refuted); any: the witnesses
    items: list[OpenItem] = field(default_factory=list)


def is_default(proof: Proof | None, reasoner: Reasoner) -> bool:
    """Does the proof rest on a default anywhere (an inherited statement, or a class-level
    statement of an inheritable property, which its members inherit only by default)?"""
    if proof is None:
        return False
    rdf = reasoner.kg.rdf
    negation_of = reasoner.negation_of
    for step in proof.steps():
        if step.rule in _DEFAULT_RULES:
            return True
        p = negation_of.get(step.triple[1], step.triple[1])
        if (p, RDF.type, KGR.InheritableProperty) in rdf:
            return True
    return False


def answer_quantified(question: QuantifiedQuestion, reasoner: Reasoner, *,
                      closed_world: bool | None = None) -> Quantified:
    hyp = question.hypothesis
    generic = reason(hyp, reasoner, closed_world=closed_world)
    if not hyp.candidates:
        return Quantified(generic)
    best = hyp.candidates[0].score
    tried = [c for c in hyp.candidates if c.score >= best - CANDIDATE_MARGIN]
    cand = generic.candidate or tried[0]
    if question.quantifier == ALL:
        result = _all(generic, cand, tried, reasoner, closed_world)
    else:
        result = _any(generic, cand, tried, reasoner, closed_world)
    decided = result.decision.candidate or cand
    scope = f"{'every' if question.quantifier == ALL else 'some'} {reasoner.kg.label(decided.triple[0])}"
    statement = (result.decision.statement or generic.statement).rstrip(".")
    result.decision = replace(result.decision, statement=f"{statement} ({scope}).")
    return result


def _members(reasoner: Reasoner, cand: Candidate, negated: bool, closed_world) -> list[OpenItem]:
    s, p, o = cand.triple
    return members_proved(reasoner, QueryReading((X, p, o), negated, 1.0), s, closed_world)


def _all(generic: Decision, cand: Candidate, tried: list[Candidate], reasoner: Reasoner,
         closed_world) -> Quantified:
    if generic.answer == "no":
        return Quantified(replace(generic, reason=f"{generic.reason}: it does not hold of the kind as a whole"))
    for c in ([cand] + [t for t in tried if t is not cand]):
        exceptions = _members(reasoner, c, not c.negated, closed_world)
        if exceptions:
            names = ", ".join(reasoner.kg.label(i.term) for i in exceptions[:5])
            more = f" and {len(exceptions) - 5} more" if len(exceptions) > 5 else ""
            decision = _decision(generic, c, reasoner, "no", exceptions[0].proofs[0],
                                 f"{len(exceptions)} exception{'s' if len(exceptions) != 1 else ''} "
                                 f"proved: {names}{more}")
            return Quantified(decision, exceptions)
    if generic.answer == "yes" and not is_default(generic.proof, reasoner):
        return Quantified(replace(generic, reason=f"{generic.reason}, strictly (no default): it holds "
                                                  "for every member"))
    if generic.answer == "yes":
        return Quantified(replace(generic, answer="unknown", confidence=None,
                                  reason="the graph says it of the kind as a default (true unless "
                                         "something more specific says otherwise) and knows no "
                                         "exception; a default does not prove that all do"))
    return Quantified(generic)


def _any(generic: Decision, cand: Candidate, tried: list[Candidate], reasoner: Reasoner,
         closed_world) -> Quantified:
    for c in ([cand] + [t for t in tried if t is not cand]):
        witnesses = _members(reasoner, c, c.negated, closed_world)
        if witnesses:
            w = witnesses[0]
            decision = _decision(generic, c, reasoner, "yes", w.proofs[0],
                                 f"witness: {reasoner.kg.label(w.term)}"
                                 + (f" (and {len(witnesses) - 1} more)" if len(witnesses) > 1 else ""))
            return Quantified(decision, witnesses)
    if generic.answer == "no" and not is_default(generic.proof, reasoner):
        return Quantified(replace(generic, reason=f"{generic.reason}, strictly (no default): no "
                                                  "member can be one"))
    return Quantified(replace(generic, answer="unknown", confidence=None,
                              decided_by=REASONER if generic.candidate is not None else NONE,
                              reason="no member is proved to (open world: none found is not none "
                                     "exists)" + (f"; of the kind as a whole: {generic.reason}"
                                                  if generic.answer != "unknown" else "")))


def _decision(generic: Decision, cand: Candidate, reasoner: Reasoner, answer: str, proof: Proof,
              why: str) -> Decision:
    from kgreason.core import Truth, Verdict

    truth = Truth.FALSE if proof.negated else Truth.TRUE
    return Decision(answer=answer, decided_by=REASONER, confidence=1.0, candidate=cand,
                    statement=generic.statement, verdict=Verdict(truth, proof.triple, proof),
                    reason=why, complete=generic.complete, conflicts=list(generic.conflicts))
