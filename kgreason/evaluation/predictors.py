"""Predictors behind the evaluation modes. Every one decides through the pipeline's single
decision path (:mod:`kgreason.pipeline.decide`), so the evaluation measures what users run:

* :class:`TheoryPredictor` — an English theory (or NLI premise) read into a graph + reasoner,
  the statement read against it, :func:`~kgreason.pipeline.decide.reason`; proofs re-checked.
* :class:`NeuralPredictor` — the NLI verifier, batched over many examples
  (:meth:`~kgreason.models.nli.NLIVerifier.verify_many`).
* :class:`PipelinePredictor` — questions asked against ``--graph`` through
  :meth:`Pipeline.ask <kgreason.pipeline.Pipeline.ask>`.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from kgreason.core import Decision, Hypothesis, Proof
from kgreason.evaluation.datasets import Example
from kgreason.pipeline.decide import reason
from kgreason.pipeline.relevance import naming_unread
from kgreason.pipeline.theory import Theory, TheoryCache, read_statement

if TYPE_CHECKING:
    from kgreason.evaluation.modes import EvalConfig

log = logging.getLogger(__name__)

#: Built-in steps that restate one asserted fact in another notation ("does not see" read as the
#: negation of "sees"; owl:NegativePropertyAssertion): no reasoning, so no depth.
NOTATION_STEPS = frozenset({"kgr-neg", "prp-npa1", "prp-npa2"})


def reasoning_depth(proof: Proof) -> int:
    """Depth as ProofWriter counts it (QDep): inference steps along the longest branch, where
    asserted facts and notation steps count 0 (``Proof.depth`` counts those too)."""
    below = max((reasoning_depth(p) for p in proof.premises), default=0)
    counts = proof.rule not in ("asserted", "given") and proof.rule not in NOTATION_STEPS
    return below + (1 if counts and proof.premises else 0)


def proof_fields(proof: Proof | None, reasoner: Any, kg: Any, check: bool) -> dict[str, Any]:
    """Depth, the proof as indented lines, and (``check``) the independent checker's verdict."""
    from kgreason.language.render import proof_text
    from kgreason.reasoning import check_proof

    if proof is None:
        return {}
    out: dict[str, Any] = {"proof_depth": reasoning_depth(proof),
                           "proof": proof_text(proof, kg).splitlines()}
    if check:
        problems = check_proof(proof, reasoner)
        out["proof_valid"] = not problems
        if problems:
            out["proof_problems"] = problems[:5]
    return out


#: How rule ids and issues of a dataset's theory name it ("context#3", "context:1: ... — why").
THEORY_SOURCE = "context"


class TheoryPredictor:
    """Read the theory (cached: ProofWriter asks several questions of one theory), read the
    statement, let the reasoner decide (:func:`~kgreason.pipeline.decide.reason`)."""

    def __init__(self, config: EvalConfig):
        from kgreason.pipeline.reading import reader_stage

        self.config = config
        # "symbolic" names who decides, not who reads: every mode reads through the same stage
        self.reader = reader_stage(config.reader, device=config.device, nli=config.nli_model,
                                   threshold=config.reader_threshold, alternatives=config.reader_alternatives)
        self.theories = TheoryCache(config.theory_cache, reader=self.reader,
                                    background=config.background)

    def warm_up(self) -> None:
        """Read a one-line theory once so that lazy imports (the parser, inflect) are not
        counted in the first example's latency."""
        theory = self.theories.read(
            "Cats are animals. Every animal is alive. Bob is a cat. Bob does not see "
            "the dog. If something is a cat then it is furry."
        )
        for statement in ("Bob is not furry.", "Bob is alive.", "Bob sees the dog."):
            try:  # only warming caches: a failure here shows up on real examples, not here
                decision = reason(read_statement(theory, statement), theory.reasoner)
                proof_fields(decision.proof, theory.reasoner, theory.kg, True)
            except Exception:
                log.debug("warm-up statement %r failed", statement, exc_info=True)
        self.theories.clear()

    def closed_world(self, example: Example) -> bool:
        return self.config.closed_world if example.closed_world is None else example.closed_world

    def read(self, example: Example) -> tuple[Theory, Hypothesis]:
        if example.premise is None:
            raise ValueError("example has no premise")
        # Rule ids ("context#3": the context's 3rd sentence) and issues name the theory by a word
        # of its own, not by the example key: the cache shares one reading among the questions
        # of a theory, so a key would be whichever question came first in this batch or run.
        theory = self.theories.read(example.premise, self.closed_world(example), source=THEORY_SOURCE)
        return theory, read_statement(theory, example.hypothesis)

    def decide(self, example: Example) -> tuple[Decision, Theory, Hypothesis]:
        theory, hyp = self.read(example)
        unread = theory.unread_for(hyp)
        decision = reason(hyp, theory.reasoner, complete=not unread,
                          closed_world=self.closed_world(example))
        return naming_unread(decision, unread), theory, hyp

    def record(self, decision: Decision, theory: Theory, hyp: Hypothesis, example: Example
               ) -> dict[str, Any]:
        """The record fields of the reasoner's decision."""
        out: dict[str, Any] = {"parsed": theory.complete, "closed_world": self.closed_world(example),
                               "readings": theory.reading_counts()}
        if theory.issues:
            out["parse_issues"] = theory.issues[:5]
        if not hyp.understood:
            out.update(statement_parsed=False, predicted=None, decided_by=None,
                       error=f"statement not parsed: {hyp.reason or example.hypothesis}")
            return out
        out.update(statement_parsed=True, statement=decision.statement,
                   truth=decision.truth.value, predicted=decision.label,
                   decided_by=decision.decided_by)
        if decision.decided_by == "none" and decision.reason:
            out["reason"] = decision.reason
        out.update(proof_fields(decision.proof, theory.reasoner, theory.kg, self.config.check_proofs))
        verdict = decision.verdict
        if (decision.answer == "unknown" and verdict is not None and not verdict.conflicts
                and verdict.missing):
            out["missing"] = list(verdict.missing)[:5]
        if decision.conflicts:
            out["conflicts"] = len(decision.conflicts)
        return out


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

    def __init__(self, config: EvalConfig):
        self.config = config
        self._pipeline = None

    @property
    def pipeline(self):
        if self._pipeline is None:
            from kgreason.config import shipped_pipelines
            from kgreason.pipeline import Pipeline
            from kgreason.pipeline.decide import mode_of

            mode = self.config.mode  # a shipped pipeline of that name, else the one with its models
            fallback = "hybrid" if mode_of(mode).verifies else "symbolic"
            self._pipeline = Pipeline.from_config(
                self.config.pipeline or (mode if mode in shipped_pipelines() else fallback),
                graphs=self.config.graphs or None,
                mode=self.config.mode,
            )
            if self.config.nli_model is not None:
                self._pipeline.config.models.verifier = self.config.nli_model
            if self.config.device is not None:
                self._pipeline.config.models.device = self.config.device
        return self._pipeline

    def answer(self, example: Example) -> dict[str, Any]:
        pipeline = self.pipeline
        answer = pipeline.ask(example.hypothesis, closed_world=example.closed_world)
        if answer.is_open or example.meta.get("answers") is not None:
            return self._open(answer)
        decision = answer.decision
        out: dict[str, Any] = {
            "predicted": decision.label,
            "decided_by": decision.decided_by,
            "statement_parsed": answer.hypothesis.understood,
            "statement": answer.statement,
        }
        if decision.judgement is not None:
            out["probs"] = decision.judgement.to_json()["probs"]
        if answer.reason:
            out["reason"] = answer.reason
        if decision.decided_by == "reasoner":
            out.update(proof_fields(decision.proof, pipeline.reasoner, pipeline.kg,
                                    self.config.check_proofs))
            if answer.proof:
                out["proof"] = list(answer.proof)
        return out

    def _open(self, answer) -> dict[str, Any]:
        """An open question: the answers listed (labels and names, in order), each proof
        re-checked; an open question read as a yes/no one lists nothing."""
        from kgreason.reasoning import check_proof

        pipeline, items = self.pipeline, answer.items
        out: dict[str, Any] = {
            "kind": answer.kind,
            "predicted": None if answer.is_open else answer.decision.label,
            "decided_by": answer.decision.decided_by,
            "statement_parsed": answer.decision.complete if answer.is_open else answer.hypothesis.understood,
            "statement": answer.statement,
            "predicted_answers": [pipeline.kg.label(item.term) for item in items],
            "predicted_terms": [pipeline.kg.qname(item.term) for item in items],
        }
        if answer.reason:
            out["reason"] = answer.reason
        if items and self.config.check_proofs:
            problems = [p for item in items for proof in item.proofs
                        for p in check_proof(proof, pipeline.reasoner)]
            out["proof_valid"] = not problems
            if problems:
                out["proof_problems"] = problems[:5]
        return out
