"""Batch evaluation: dataset readers, the symbolic / neural / hybrid per-batch evaluator, a
resumable runner (in-process, ``--workers`` processes or Ray Data), metrics and reports.

    from kgreason.evaluation import read_dataset, evaluate, EvalConfig, RunOptions, write_report
    data = read_dataset(["proofwriter.json"])
    result = evaluate(data, ["symbolic", "hybrid"], EvalConfig(), RunOptions(report_dir="out"))
    write_report(result, "out")          # report.json, report.md, plots; predictions.jsonl as it goes
"""

from __future__ import annotations

from kgreason.evaluation.datasets import Dataset, Example, read_dataset
from kgreason.evaluation.labels import normalize_label
from kgreason.evaluation.metrics import classification_metrics, summarize
from kgreason.evaluation.modes import MODES, BatchEvaluator, EvalConfig, evaluate_batch
from kgreason.evaluation.report import write_report
from kgreason.evaluation.runner import EvaluationResult, RunOptions, evaluate

__all__ = [
    "MODES",
    "BatchEvaluator",
    "Dataset",
    "EvalConfig",
    "EvaluationResult",
    "Example",
    "RunOptions",
    "classification_metrics",
    "evaluate",
    "evaluate_batch",
    "normalize_label",
    "read_dataset",
    "summarize",
    "write_report",
]
