"""Predictors behind the evaluation modes: the symbolic path (English theory → reasoner, every
proof re-checked), the NLI verifier (premise judged in windows), and the project's Pipeline for
questions asked against a graph."""

from __future__ import annotations

import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from kgreason.evaluation.datasets import Example

if TYPE_CHECKING:
    from kgreason.evaluation.modes import EvalConfig

log = logging.getLogger(__name__)

_TRUTH_LABEL = {"true": "entailment", "false": "contradiction", "unknown": "neutral"}
_FLIP = {"true": "false", "false": "true", "unknown": "unknown"}


#: Built-in steps that restate one asserted fact in another notation ("does not see" read as the
#: negation of "sees"; owl:NegativePropertyAssertion): no reasoning, so no depth.
NOTATION_STEPS = frozenset({"kgr-neg", "prp-npa1", "prp-npa2"})


def reasoning_depth(proof: Any) -> int:
    """Depth as ProofWriter counts it (QDep): inference steps along the longest branch, where
    asserted facts and notation steps count 0 (``Proof.depth`` counts those too)."""
    below = max((reasoning_depth(p) for p in proof.premises), default=0)
    counts = proof.rule not in ("asserted", "given") and proof.rule not in NOTATION_STEPS
    return below + (1 if counts and proof.premises else 0)


def _truth(value: Any) -> str:
    return str(getattr(value, "value", value)).lower()


@dataclass
class _Theory:
    kg: Any
    reasoner: Any
    issues: list[str]


class SymbolicPredictor:
    """Parse → reason → check. Parsed theories and their closures are cached (ProofWriter asks
    several questions of one theory), so a theory is parsed and materialized once per process."""

    def __init__(self, config: EvalConfig):
        self.config = config
        self._theories: OrderedDict[tuple[str, bool], _Theory] = OrderedDict()

    @staticmethod
    def warm_up() -> None:
        """Parse a one-line theory once so that lazy imports (the parser, inflect) are not
        counted in the first example's latency."""
        from kgreason.language import parse_statement, parse_theory
        from kgreason.reasoning import Reasoner, check_proof

        kg = parse_theory(
            "Cats are animals. Every animal is alive. Bob is a cat. Bob does not see "
            "the dog. If something is a cat then it is furry."
        )
        reasoner = Reasoner(kg, rules=kg.rules)
        for statement in ("Bob is not furry.", "Bob is alive.", "Bob sees the dog."):
            try:  # only warming caches: a failure here shows up on real examples, not here
                candidate = parse_statement(statement, kg).candidates[0]
                proof = reasoner.holds(*candidate.triple).proof
                check_proof(proof, reasoner)
                proof.to_text(kg)
            except Exception:
                log.debug("warm-up statement %r failed", statement, exc_info=True)

    def _theory(self, example: Example, closed_world: bool) -> _Theory:
        from kgreason.language.english_graph import parse_theory
        from kgreason.reasoning.reasoner import Reasoner

        cache_key = (example.premise, closed_world)
        theory = self._theories.get(cache_key)
        if theory is None:
            kg = parse_theory(example.premise, source=example.key)
            theory = _Theory(
                kg, Reasoner(kg, rules=kg.rules, closed_world=closed_world), list(kg.issues)
            )
            self._theories[cache_key] = theory
            if len(self._theories) > self.config.theory_cache:
                self._theories.popitem(last=False)
        else:
            self._theories.move_to_end(cache_key)
        return theory

    def answer(self, example: Example) -> tuple[dict[str, Any], _Theory | None]:
        """The record fields of a symbolic answer (and the theory, for hybrid's derived facts)."""
        from kgreason.language.questions import parse_statement
        from kgreason.reasoning.proof import check_proof

        closed_world = (
            self.config.closed_world if example.closed_world is None else example.closed_world
        )
        theory = self._theory(example, closed_world)
        out: dict[str, Any] = {"parsed": not theory.issues, "closed_world": closed_world}
        if theory.issues:
            out["parse_issues"] = theory.issues[:5]
        hypothesis = parse_statement(example.hypothesis, theory.kg)
        if not hypothesis.candidates:
            out.update(
                statement_parsed=False,
                predicted=None,
                error=f"statement not parsed: {hypothesis.reason or example.hypothesis}",
            )
            return out, theory
        candidate = max(hypothesis.candidates, key=lambda c: c.score)
        verdict = theory.reasoner.holds(*candidate.triple, closed_world=closed_world)
        truth = _truth(verdict.value)
        if candidate.negated:
            truth = _FLIP[truth]
        out.update(statement_parsed=True, truth=truth, predicted=_TRUTH_LABEL[truth])
        proof = verdict.proof
        if proof is not None:
            out["proof_depth"] = reasoning_depth(proof)
            out["proof"] = proof.to_text(theory.kg).splitlines()  # indented: rules and premises
            if self.config.check_proofs:
                problems = check_proof(proof, theory.reasoner)
                out["proof_valid"] = not problems
                if problems:
                    out["proof_problems"] = problems[:5]
        elif truth == "unknown" and getattr(verdict, "missing", None):
            out["missing"] = list(verdict.missing)[:5]
        if getattr(verdict, "conflicts", None):
            out["conflicts"] = len(verdict.conflicts)
        return out, theory

    @staticmethod
    def derived_facts(theory: _Theory, limit: int = 200) -> list[str]:
        """The reasoner's derived facts as English sentences (hybrid's extra premise)."""
        from kgreason.language.verbalize import sentence, verbalize

        facts = []
        for triple in theory.reasoner.inferred_triples():
            try:
                facts.append(sentence(verbalize(theory.kg, triple)))
            except Exception as exc:  # noqa: BLE001 — a triple the verbalizer cannot say is left out, not fatal
                log.debug("cannot verbalize %s: %s", triple, exc)
            if len(facts) >= limit:
                break
        return facts


class NeuralPredictor:
    """The NLI verifier, loaded once per process on first use."""

    def __init__(self, config: EvalConfig):
        self.config = config
        self._verifier = None

    @property
    def verifier(self):
        if self._verifier is None:
            from kgreason.models.nli import NLIVerifier

            self._verifier = NLIVerifier(model=self.config.nli_model, device=self.config.device)
        return self._verifier

    @staticmethod
    def facts_for(example: Example) -> list[str]:
        """The premise as sentences: the verifier judges windows of sentences that fit its input
        length (``NLIVerifier.verify``), so a long theory is not silently truncated."""
        from kgreason.language.english_parser import split_sentences

        if example.premise is None:
            raise ValueError("example has no premise")
        return [text for _, text in split_sentences(example.premise)] or [example.premise]

    def judge_many(self, items: list[tuple[list[str], str]]) -> list[Any]:
        """``NLIVerifier.verify`` for many examples with one batched forward pass
        (:meth:`~kgreason.models.nli.NLIVerifier.verify_many`)."""
        return self.verifier.verify_many(items)


class PipelinePredictor:
    """Questions asked against ``--graph``: the project's :class:`~kgreason.pipeline.Pipeline`
    configured for the mode (the shipped ``symbolic``/``neural``/``hybrid`` pipelines, or
    ``--pipeline``), so evaluation measures exactly what ``kgreason ask`` answers."""

    _ANSWER: ClassVar[dict[str, str]] = {
        "yes": "entailment",
        "no": "contradiction",
        "unknown": "neutral",
    }

    def __init__(self, config: EvalConfig):
        self.config = config
        self._pipeline = None

    @property
    def pipeline(self):
        if self._pipeline is None:
            from kgreason.pipeline import Pipeline

            self._pipeline = Pipeline.from_config(
                self.config.pipeline or self.config.mode,
                graphs=self.config.graphs or None,
                mode=self.config.mode,
            )
        return self._pipeline

    def answer(self, example: Example) -> dict[str, Any]:
        pipeline = self.pipeline
        answer = pipeline.ask(example.hypothesis, closed_world=example.closed_world)
        out: dict[str, Any] = {
            "predicted": self._ANSWER[answer.answer],
            "decided_by": answer.decided_by,
            "statement_parsed": bool(answer.candidates),
            "statement": answer.hypothesis,
        }
        if answer.reason:
            out["reason"] = answer.reason
        if answer.proof:
            out["proof"] = list(answer.proof)
        if answer.decided_by == "reasoner" and answer.triple and self.config.check_proofs:
            # re-derive the proof object of the decided triple and check it independently
            from kgreason.reasoning import check_proof

            kg = pipeline.kg
            triple = tuple(kg.resolve(x) for x in answer.triple)
            verdict = pipeline.reasoner.holds(*triple, closed_world=example.closed_world)
            if verdict.proof is not None:
                out["proof_depth"] = reasoning_depth(verdict.proof)
                problems = check_proof(verdict.proof, pipeline.reasoner)
                out["proof_valid"] = not problems
                if problems:
                    out["proof_problems"] = problems[:5]
        return out
