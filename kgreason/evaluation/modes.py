"""The three ways to answer an example — symbolic, neural, hybrid — and the per-batch function
that every engine (in-process, ``--workers``, Ray) calls, so they all compute the same thing.

* symbolic: the theory (or NLI premise) parsed by the English loader into facts + rules, the
  hypothesis parsed to a statement, then ``Reasoner.holds``; every proof re-checked.
* neural: the NLI verifier on (premise, hypothesis); no graph.
* hybrid: the reasoner when the theory parsed fully, the statement parsed and the reasoner
  decided true/false (unknown too with ``trust_unknown``), else the verifier on the premise plus
  the facts the reasoner derived.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import asdict, dataclass, field
from typing import Any

from kgreason.errors import ModelError
from kgreason.evaluation.datasets import Example
from kgreason.evaluation.predictors import NeuralPredictor, PipelinePredictor, SymbolicPredictor

log = logging.getLogger(__name__)

MODES = ("symbolic", "neural", "hybrid")


@dataclass
class EvalConfig:
    """Everything a worker needs to build its predictor (plain data: it is pickled to workers)."""

    mode: str = "symbolic"
    closed_world: bool = False  # default when an example does not say (ids without CWA/OWA)
    graphs: list[str] = field(default_factory=list)
    pipeline: str | None = None
    nli_model: str | None = None
    device: str | None = None
    trust_unknown: bool = False
    check_proofs: bool = True
    theory_cache: int = 256

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _base_record(example: Example, mode: str) -> dict[str, Any]:
    return {
        "key": example.key,
        "mode": mode,
        "gold": example.label,
        "predicted": None,
        "gold_depth": example.depth,
        "hypothesis": example.hypothesis,
    }


def _finish(record: dict[str, Any]) -> dict[str, Any]:
    record["depth"] = (
        record["gold_depth"] if record["gold_depth"] is not None else record.get("proof_depth")
    )
    return record


def _error(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


class BatchEvaluator:
    """Callable per-batch evaluator: ``evaluator(list of example dicts) -> list of records``.

    One instance per process (or Ray actor) holds the models and the theory cache."""

    def __init__(self, config: EvalConfig | dict[str, Any]):
        self.config = config if isinstance(config, EvalConfig) else EvalConfig(**config)
        if self.config.mode not in MODES:
            raise ValueError(f"mode {self.config.mode!r} is not one of {MODES}")
        self.symbolic = SymbolicPredictor(self.config)
        if self.config.mode != "neural":
            self.symbolic.warm_up()
        self.neural = NeuralPredictor(self.config)
        self.pipeline = PipelinePredictor(self.config)
        if self.config.mode == "neural" and not self.config.graphs and not self.config.pipeline:
            self.neural.verifier.warm_up()  # fail early on a missing model; load outside timings

    def __call__(self, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
        examples = [Example.from_dict(e) for e in batch]
        mode = self.config.mode
        records = self._ask_pipeline([e for e in examples if e.kind == "questions"], mode)
        examples = [e for e in examples if e.kind != "questions"]
        if mode == "neural":
            return records + self._neural(examples, [_base_record(e, mode) for e in examples])
        pending: list[tuple[Example, dict[str, Any], Any]] = []
        for example in examples:
            record = _base_record(example, mode)
            start = time.perf_counter()
            theory = None
            try:
                fields, theory = self.symbolic.answer(example)
                record.update(fields)
                record["decided_by"] = "reasoner" if record["predicted"] is not None else None
            except Exception as exc:  # one bad example is recorded, the run goes on
                log.debug("example %s failed", example.key, exc_info=True)
                record["error"] = _error(exc)
            record["latency_ms"] = (time.perf_counter() - start) * 1000
            decided = record.get("truth") in ("true", "false") or (
                self.config.trust_unknown and record.get("truth") == "unknown"
            )
            if mode == "hybrid" and not (decided and record.get("parsed")):
                pending.append((example, record, theory))
            records.append(record)
        if pending:
            self._hybrid_fallback(pending)
        return [_finish(r) for r in records]

    def _ask_pipeline(self, examples: list[Example], mode: str) -> list[dict[str, Any]]:
        records = []
        for example in examples:
            record = _base_record(example, mode)
            start = time.perf_counter()
            try:
                record.update(self.pipeline.answer(example))
            except Exception as exc:  # one bad question is recorded, the run goes on
                log.debug("question %s failed", example.key, exc_info=True)
                record["error"] = _error(exc)
            record["latency_ms"] = (time.perf_counter() - start) * 1000
            records.append(_finish(record))
        return records

    def _hybrid_fallback(self, pending: list[tuple[Example, dict[str, Any], Any]]) -> None:
        examples, records = [p[0] for p in pending], [p[1] for p in pending]
        for example, record, theory in pending:
            record["symbolic"] = {
                k: record.pop(k)
                for k in ("truth", "predicted", "error", "decided_by")
                if k in record
            }
            record["predicted"], record["decided_by"] = None, None
            extra = []
            if theory is not None:
                try:
                    extra = SymbolicPredictor.derived_facts(theory)
                except Exception as exc:  # noqa: BLE001 — fall back without derived facts
                    record["derived_error"] = _error(exc)
            record["derived_facts"] = len(extra)
            record["_extra"] = extra
        self._neural(examples, records)

    def _neural(
        self, examples: list[Example], records: list[dict[str, Any]]
    ) -> list[dict[str, Any]]:
        items, ok = [], []
        for example, record in zip(examples, records):
            try:  # hybrid: the reasoner's derived facts first, then the premise
                items.append(
                    (record.pop("_extra", []) + self.neural.facts_for(example), example.hypothesis)
                )
                ok.append(record)
            except Exception as exc:  # noqa: BLE001 — recorded on the example, the run goes on
                record["error"] = _error(exc)
        if items:
            start = time.perf_counter()
            try:
                predictions = self.neural.judge_many(items)
            except ModelError:  # no usable model: a setup problem, not an example's — stop here
                raise
            except Exception as exc:  # noqa: BLE001 — the batch failed: every example says why
                log.warning("verifier failed on a batch: %s", exc)
                predictions = []
                for record in ok:
                    record["error"] = _error(exc)
            share = (time.perf_counter() - start) * 1000 / len(items)  # batched: the mean share
            for record, prediction in zip(ok, predictions):
                record["predicted"] = prediction.label
                record["probs"] = {k: round(float(v), 4) for k, v in prediction.probs.items()}
                record["decided_by"] = "verifier"
                record["latency_ms"] = record.get("latency_ms", 0.0) + share
        return [_finish(r) for r in records]


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
