"""Batched, resumable evaluation of one dataset in one or more modes."""

from __future__ import annotations

import hashlib
import json
import logging
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgreason.errors import InputError, ParseError
from kgreason.evaluation.datasets import Dataset
from kgreason.evaluation.engines import batch_gc
from kgreason.evaluation.metrics import summarize
from kgreason.evaluation.modes import EvalConfig, evaluate_batch, reset_evaluators
from kgreason.evaluation.predictions import PredictionLog, done_keys
from kgreason.evaluation.run_settings import run_settings, settings_differences
from kgreason.files import write_text_atomic
from kgreason.plugins import engines
from kgreason.plugins import modes as registered_modes
from kgreason.progress import progress_bar

log = logging.getLogger(__name__)

@dataclass
class RunOptions:
    """How to run (not what is computed): engine, parallelism, batch size, resume, report."""

    report_dir: str | None = None
    resume: bool = False
    workers: int = 1
    engine: str = "local"
    ray_address: str | None = None
    batch_size: int = 64
    progress: bool = False


@dataclass
class EvaluationResult:
    dataset: dict[str, Any]
    config: dict[str, Any]
    modes: dict[str, dict[str, Any]] = field(default_factory=dict)  # mode → metrics
    records: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # mode → records
    engine: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            "config": self.config,
            "engine": self.engine,
            "modes": self.modes,
        }


def _batches(examples: list[dict[str, Any]], size: int) -> list[list[dict[str, Any]]]:
    """Examples that share a theory go together, so each theory is parsed once per batch/worker."""
    ordered = sorted(examples, key=lambda e: hashlib.md5((e["premise"] or "").encode()).hexdigest())
    return [ordered[i : i + size] for i in range(0, len(ordered), size)]


def _cpu_seconds() -> float:
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _assign_depths(records: dict[str, list[dict[str, Any]]]) -> None:
    """Examples without a gold depth (QDep) take the depth of the symbolic proof of the same
    example, so that every mode is broken down by the same depths."""
    reference: dict[str, int] = {}
    for mode in ("symbolic", "hybrid"):
        for r in records.get(mode, []):
            if r.get("proof_depth") is not None and r.get("decided_by") == "reasoner":
                reference.setdefault(r["key"], r["proof_depth"])
    for mode_records in records.values():
        for r in mode_records:
            if r.get("gold_depth") is None:
                r["depth"] = reference.get(r["key"], r.get("proof_depth"))


def _check_resume(
    report_dir: Path, dataset: Dataset, resume: bool, predictions: PredictionLog,
    settings: dict[str, Any] | None = None,
) -> None:
    """Refuse to resume a run whose predictions were made with other settings (dataset, world,
    options, graph and pipeline content, models: :func:`run_settings`); with nothing written
    yet the run starts fresh."""
    run_file = report_dir / "run.json"
    has_predictions = predictions.path.exists() and predictions.path.stat().st_size > 0
    if not resume:
        if has_predictions:
            raise InputError(
                f"{report_dir} already holds predictions",
                hint="pass --resume to continue that run, or choose another -o/--output folder",
            )
        return
    if run_file.exists():
        hint = (f"delete {run_file} to resume without checking the dataset, "
                "or start afresh without --resume (in another -o/--output folder)")
        try:
            before = json.loads(run_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            raise ParseError.from_json(exc, run_file, hint=hint, what="run.json is not the JSON kgreason wrote") from None
        except ValueError:  # not UTF-8
            raise ParseError("run.json is not the JSON kgreason wrote (not UTF-8 text)",
                             path=str(run_file), hint=hint) from None
        if not isinstance(before, dict):
            raise ParseError("run.json is not the JSON object kgreason wrote", path=str(run_file), hint=hint)
        if before.get("fingerprint") != dataset.fingerprint:
            raise InputError(
                f"{report_dir} was written for another dataset "
                f"(fingerprint {before.get('fingerprint')} != {dataset.fingerprint})",
                hint="resume with the same dataset files, or use another -o/--output folder",
            )
        if not has_predictions or settings is None:
            return
        if not isinstance(before.get("settings"), dict):
            raise InputError(
                f"{report_dir} was written by an older kgreason that did not record its settings, "
                "so its predictions may not match this run's",
                hint=f"give another -o/--output folder for this run, or delete {run_file} to resume without checking",
            )
        differences = settings_differences(before["settings"], settings)
        if differences:
            raise InputError(
                f"{report_dir} holds predictions made with other settings ({'; '.join(differences)})",
                hint="give another -o/--output folder for these settings, or resume with the settings "
                f"recorded in {run_file}",
            )
    elif has_predictions:
        log.warning("%s is missing: resuming %s without checking that its predictions were made "
                    "with these settings", run_file, predictions.path)


def evaluate(
    dataset: Dataset,
    modes: list[str],
    config: EvalConfig,
    options: RunOptions,
) -> EvaluationResult:
    """Run every mode over the dataset; records go to ``predictions.jsonl`` as they are made."""
    for mode in modes:
        if mode not in registered_modes:
            raise InputError(f"unknown mode {mode!r}", hint=f"use one of {', '.join(registered_modes.names())} "
                             "or all (see `kgreason plugins`)")
    if options.engine == "ray":  # before any work: the run would stop at its first batch
        from kgreason.extras import require

        require("ray", "ray", what="the ray engine (--engine ray)")
    engines.get(options.engine)  # an unknown or broken engine: a clear error before any work
    predictions = None
    existing: list[dict[str, Any]] = []
    if options.report_dir:
        report_dir = Path(options.report_dir)
        report_dir.mkdir(parents=True, exist_ok=True)
        predictions = PredictionLog(report_dir / "predictions.jsonl")
        settings = run_settings(dataset, config)
        _check_resume(report_dir, dataset, options.resume, predictions, settings)
        existing = predictions.load() if options.resume else []
        write_text_atomic(
            report_dir / "run.json",
            json.dumps(
                {
                    "fingerprint": dataset.fingerprint,
                    "dataset": dataset.summary(),
                    "config": config.to_dict(),
                    "modes": modes,
                    "settings": settings,
                },
                indent=2,
            ),
        )
    done = done_keys(existing)
    wanted = {e.key for e in dataset.examples}
    result = EvaluationResult(dataset=dataset.summary(), config=config.to_dict())
    for mode in modes:
        mode_config = EvalConfig(**{**config.to_dict(), "mode": mode}).to_dict()
        todo = [e.to_dict() for e in dataset.examples if (mode, e.key) not in done]
        kept = [r for r in existing if r["mode"] == mode and r["key"] in wanted]
        records, engine_info, seconds = _run_mode(todo, mode_config, options, predictions)
        result.engine[mode] = engine_info
        result.records[mode] = kept + records
        result.modes[mode] = {"processed": len(records), "resumed": len(kept), "seconds": seconds}
    _assign_depths(result.records)
    for mode in modes:
        timing = result.modes[mode]
        metrics = summarize(result.records[mode])
        metrics.update(timing)
        metrics["throughput"] = (
            timing["processed"] / timing["seconds"] if timing["seconds"] else None
        )
        cpu = result.engine[mode].get("cpu_seconds")
        metrics["cpu_seconds"] = cpu
        metrics["throughput_per_cpu_second"] = timing["processed"] / cpu if cpu else None
        result.modes[mode] = metrics
    return result


def _run_mode(todo, mode_config, options: RunOptions, predictions: PredictionLog | None):
    batch_size = options.batch_size
    batches = _batches(todo, batch_size)
    info: dict[str, Any] = {
        "engine": options.engine,
        "workers": options.workers,
        "batch_size": batch_size,
        "batches": len(batches),
    }
    records: list[dict[str, Any]] = []
    bar = progress_bar(mode_config["mode"], len(todo), show=None if options.progress and todo else False,
                       unit="ex", transient=True)
    in_process = options.engine == "local" and options.workers <= 1
    with batch_gc() if in_process else nullcontext():
        start, cpu_start = time.perf_counter(), _cpu_seconds()
        if in_process and todo:
            reset_evaluators()
            # build the evaluator (imports, warm-up) before the clock: throughput is steady state
            evaluate_batch([], mode_config)
            info["startup_seconds"] = round(time.perf_counter() - start, 3)
            start, cpu_start = time.perf_counter(), _cpu_seconds()
        stream = engines.get(options.engine)(
            batches, mode_config, workers=options.workers, address=options.ray_address,
            on_start=info.update,
        )
        with bar as advance:
            for batch_records in stream:
                if predictions is not None:
                    predictions.append(batch_records)
                records.extend(batch_records)
                advance(len(batch_records))
        seconds = time.perf_counter() - start
        # CPU seconds of this process and its (joined) worker processes: on a shared machine
        # examples per CPU-second says more about the code than wall-clock throughput
        info["cpu_seconds"] = round(_cpu_seconds() - cpu_start, 3)
    log.info("%s: %d examples in %.1fs", mode_config["mode"], len(records), seconds)
    return records, info, seconds
