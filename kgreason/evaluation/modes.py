"""The three ways to answer an example — symbolic, neural, hybrid — and the per-batch function
that every engine (in-process, ``--workers``, Ray) calls, so they all compute the same thing.

Each mode is the pipeline's one decision policy (:mod:`kgreason.pipeline.decide`), with the
verifier batched over the examples that need it:

* symbolic: the theory read into facts + rules, the statement read against it, the reasoner
  decides (its unknown stands when everything was read); every proof re-checked.
* neural: the NLI verifier on (premise, hypothesis); no graph.
* hybrid: symbolic, and the verifier on (premise, hypothesis) only where reading failed; below
  the confidence threshold its answer is unknown.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from kgreason.core import PROVER, Decision
from kgreason.errors import MissingExtraError, ModelError, ReasoningError, RuleError
from kgreason.evaluation.datasets import Example
from kgreason.evaluation.metrics import answer_set_scores
from kgreason.evaluation.predictors import NeuralPredictor, PipelinePredictor, TheoryPredictor
from kgreason.language.questions import statement_text
from kgreason.pipeline.decide import (
    MIN_UNREAD_SHARE,
    MODES,  # noqa: F401 — re-exported: the built-in modes (every registered one is accepted)
    VERIFIER_THRESHOLD,
    apply_judgement,
    mode_of,
    needs_verifier,
    verifier_statement,
)

log = logging.getLogger(__name__)


@dataclass
class EvalConfig:
    """Everything a worker needs to build its predictor (plain data: it is pickled to workers)."""

    mode: str = "symbolic"
    closed_world: bool = False  # default when an example does not say (ids without CWA/OWA)
    graphs: list[str] = field(default_factory=list)
    pipeline: str | None = None
    nli_model: str | None = None
    reader: str | None = None  # neural reader for sentences the exact parser does not read (None: off)
    reader_threshold: float = 0.5
    background: bool = True  # WordNet's class links for theories (kgreason.pipeline.background)
    first_order: bool = True  # theories needing first-order logic go to the prover (kgreason.proving)
    prover_timeout: float = 10.0  # seconds per first-order problem
    reader_alternatives: int = 1  # readings checked in all where the first is refused (0/1: first only)
    device: str | None = None
    verifier_threshold: float = VERIFIER_THRESHOLD
    verifier_min_unread: float = MIN_UNREAD_SHARE
    check_proofs: bool = True
    theory_cache: int = 256

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _base_record(example: Example, mode: str) -> dict[str, Any]:
    record = {
        "key": example.key,
        "mode": mode,
        "gold": example.label,
        "predicted": None,
        "gold_depth": example.depth,
        "hypothesis": example.hypothesis,
    }
    if example.meta.get("answers") is not None:  # an open question with its gold answers
        record["gold_answers"] = list(example.meta["answers"])
    return record


def _finish(record: dict[str, Any]) -> dict[str, Any]:
    record["depth"] = (
        record["gold_depth"] if record["gold_depth"] is not None else record.get("proof_depth")
    )
    if record.get("gold_answers") is not None:  # the answer set's own scores, per record
        record.update(answer_set_scores(record["gold_answers"], record.get("predicted_answers") or [],
                                        record.get("predicted_terms") or []))
    return record


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


@dataclass
class _Pending:
    """An example waiting for the batched verifier."""

    example: Example
    record: dict[str, Any]
    decision: Decision
    facts: list[str]
    statement: str


class BatchEvaluator:
    """Callable per-batch evaluator: ``evaluator(list of example dicts) -> list of records``.

    One instance per process (or Ray actor) holds the models and the theory cache."""

    def __init__(self, config: EvalConfig | dict[str, Any]):
        self.config = config if isinstance(config, EvalConfig) else EvalConfig(**config)
        self.mode = mode_of(self.config.mode)  # a registered mode (kgreason.plugins.modes)
        self.theories = TheoryPredictor(self.config)
        if self.mode.reasons:
            self.theories.warm_up()
        self.neural = NeuralPredictor(self.config)
        self.pipeline = PipelinePredictor(self.config)
        self._readings: dict[str, Any] = {}  # this batch's first-order readings, by example key
        if not self.mode.reasons and not self.config.graphs and not self.config.pipeline:
            self.neural.verifier.warm_up()  # fail early on a missing model; load outside timings

    def __call__(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        examples = [Example.from_dict(e) for e in batch]
        mode = self.config.mode
        records = self._ask_pipeline([e for e in examples if e.kind == "questions"], mode)
        reader = self.theories.reader
        reasons = self.mode.reasons
        self._readings = {e.key: r for e in examples if reasons and e.kind != "questions"
                          and (r := self._first_order_reading(e)) is not None}
        if reader is not None and reasons:  # one batched neural reading per batch
            reader.prefetch([e.premise for e in examples if e.kind != "questions" and e.premise
                             and e.key not in self._readings])
        pending: list[_Pending] = []
        for example in (e for e in examples if e.kind != "questions"):
            record = _base_record(example, mode)
            start = time.perf_counter()
            try:
                item = self._decide(example, record, mode)
                if item is not None:
                    pending.append(item)
            except MissingExtraError:  # a setup problem, the same for every example: stop here
                raise
            except Exception as exc:  # one bad example is recorded, the run goes on
                log.debug("example %s failed", example.key, exc_info=True)
                record["error"] = _error(exc)
            record["latency_ms"] = (time.perf_counter() - start) * 1000
            records.append(record)
        if pending:
            self._verify(pending)
        return [_finish(r) for r in records]

    def _decide(self, example: Example, record: dict[str, Any], mode: str) -> _Pending | None:
        """The reasoner's part of the decision (symbolic, hybrid) into ``record``; what still
        needs the verifier is returned."""
        if not self.mode.reasons:
            facts = self.neural.facts_for(example)
            return _Pending(example, record, Decision(), facts, statement_text(example.hypothesis))
        first_order = self._first_order(example, record, mode)
        if first_order is not None:
            return first_order if isinstance(first_order, _Pending) else None
        try:
            decision, theory, hyp = self.theories.decide(example)
        except (ReasoningError, RuleError) as exc:  # the theory as read cannot be reasoned with
            # (e.g. negation through a cycle): a reading failure, not a crash
            if not self.mode.verifies:
                raise
            record["symbolic"] = {"error": _error(exc)}
            facts = self.neural.facts_for(example)
            return _Pending(example, record, Decision(complete=False), facts,
                            statement_text(example.hypothesis))
        record.update(self.theories.record(decision, theory, hyp, example))
        if not needs_verifier(decision, self.mode, unread_share=theory.unread_share,
                              min_unread=self.config.verifier_min_unread):
            return None
        record["symbolic"] = {k: record.pop(k) for k in ("truth", "predicted", "error", "decided_by")
                              if k in record}
        record["predicted"], record["decided_by"] = None, None
        return _Pending(example, record, decision, theory.facts(), verifier_statement(hyp, decision))

    @staticmethod
    def _sentences(example: Example) -> list[str]:
        from kgreason.language.english_words import split_sentences

        return example.meta.get("premises") or [s for _, s in split_sentences(example.premise or "")]

    def _first_order_reading(self, example: Example):
        """The first-order reading of a theory that needs the prover, else None."""
        if not self.config.first_order or self.theories.closed_world(example) or not example.premise:
            return None
        from kgreason.language.first_order_reading import read_first_order
        from kgreason.pipeline.first_order import routes_to_prover

        try:
            reading = read_first_order(self._sentences(example), example.hypothesis)
        except Exception:  # the grammar failing is the reasoner's path, not a crash
            log.debug("first-order reading of %s failed", example.key, exc_info=True)
            return None
        return reading if routes_to_prover(reading) else None

    def _first_order(self, example: Example, record: dict[str, Any], mode: str):
        """A theory that, as read, needs first-order logic goes to the prover (the open world
        only; Horn theories and closed-world datasets stay on the reasoner). True when decided
        here, a _Pending for the verifier (hybrid, unknown with premises not understood), None:
        not a first-order theory."""
        reading = self._readings.get(example.key) or self._first_order_reading(example)
        if reading is None:
            return None
        from kgreason.pipeline.first_order import answer_first_order

        sentences = self._sentences(example)
        result = answer_first_order(sentences, example.hypothesis, reading=reading,
                                    timeout_s=self.config.prover_timeout)
        data = result.to_json()
        record.update(parsed=not reading.unread, statement_parsed=reading.conclusion is not None,
                      truth=result.answer, predicted=result.label, decided_by=PROVER,
                      proof=data.get("proof") or None, first_order=data,
                      proof_valid=result.proof.rechecked if result.proof and result.steps else None)
        if result.answer == "inconsistent":
            record["error"] = "the premises contradict each other (as read)"
        if self.mode.verifies and result.answer == "unknown" and reading.unread:
            record["symbolic"] = {k: record.pop(k) for k in ("truth", "predicted", "decided_by") if k in record}
            record["predicted"], record["decided_by"] = None, None
            return _Pending(example, record, Decision(complete=False), list(sentences),
                            statement_text(example.hypothesis))
        return True

    def _ask_pipeline(self, examples: list[Example], mode: str) -> list[dict[str, Any]]:
        records = []
        for example in examples:
            record = _base_record(example, mode)
            start = time.perf_counter()
            try:
                record.update(self.pipeline.answer(example))
            except MissingExtraError:  # a setup problem, the same for every question: stop here
                raise
            except Exception as exc:  # one bad question is recorded, the run goes on
                log.debug("question %s failed", example.key, exc_info=True)
                record["error"] = _error(exc)
            record["latency_ms"] = (time.perf_counter() - start) * 1000
            records.append(_finish(record))
        return records

    def _closed_world(self, example: Example) -> bool:
        """The world an example is judged in (a theory's question: its dataset's or --closed-world)."""
        if example.kind == "questions":
            return False  # graph questions: the pipeline decides, in the pipeline's world
        return self.theories.closed_world(example)

    def _verify(self, pending: list[_Pending]) -> None:
        """The verifier over every pending example in one batched pass, then
        :func:`~kgreason.pipeline.decide.apply_judgement` on each."""
        start = time.perf_counter()
        try:
            judgements = self.neural.judge_many([(p.facts, p.statement) for p in pending])
        except (ModelError, MissingExtraError):  # no usable model: a setup problem, not an example's — stop here
            raise
        except Exception as exc:  # noqa: BLE001 — the batch failed: every example says why
            log.warning("verifier failed on a batch: %s", exc)
            for p in pending:
                p.record["error"] = _error(exc)
            return
        share = (time.perf_counter() - start) * 1000 / len(pending)  # batched: the mean share
        for p, judgement in zip(pending, judgements):
            decision = apply_judgement(p.decision, judgement,
                                       threshold=self.config.verifier_threshold,
                                       closed_world=self._closed_world(p.example))
            p.record["predicted"] = decision.label
            p.record["decided_by"] = decision.decided_by
            p.record["confidence"] = decision.confidence
            p.record["probs"] = judgement.to_json()["probs"]
            p.record["latency_ms"] = p.record.get("latency_ms", 0.0) + share


_EVALUATORS: dict[str, BatchEvaluator] = {}


def reset_evaluators() -> None:
    """Forget this process's evaluators (and their theory caches), so that a new run is timed
    from a cold cache rather than on theories an earlier run already parsed."""
    _EVALUATORS.clear()


def evaluate_batch(batch: list[dict[str, Any]], config: dict[str, Any]) -> list[dict[str, Any]]:
    """The per-batch function every engine runs; the evaluator is built once per process."""
    cache_key = json.dumps(config, sort_keys=True)
    evaluator = _EVALUATORS.get(cache_key)
    if evaluator is None:
        evaluator = _EVALUATORS[cache_key] = BatchEvaluator(config)
    return evaluator(batch)
