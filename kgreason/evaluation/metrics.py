"""Metrics over prediction records (dicts as written to predictions.jsonl).

A record has ``gold`` and ``predicted`` (entailment/contradiction/neutral, or None when the
example failed: a failure counts as wrong and shows as the ``error`` column of the confusion
matrix), ``depth``, ``parsed`` (theory parsed fully), ``proof_valid`` (None when no proof) and
``latency_ms``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from kgreason.evaluation.labels import LABELS

ERROR = "error"


def _safe_div(num: float, den: float) -> float:
    return num / den if den else 0.0


def classification_metrics(
    gold: Sequence[str], predicted: Sequence[str | None], labels: Sequence[str] = LABELS
) -> dict[str, Any]:
    """Accuracy, macro-F1 over the gold classes present, per-class P/R/F1, confusion matrix."""
    pred = [p if p is not None else ERROR for p in predicted]
    n = len(gold)
    correct = sum(g == p for g, p in zip(gold, pred))
    present = [label for label in labels if label in set(gold)] or list(labels)
    columns = list(labels) + ([ERROR] if ERROR in pred else [])
    counts = Counter(zip(gold, pred))
    matrix = [[counts[(g, p)] for p in columns] for g in labels]
    per_class = {}
    for label in labels:
        tp = counts[(label, label)]
        predicted_as = sum(1 for p in pred if p == label)
        actual = sum(1 for g in gold if g == label)
        precision, recall = _safe_div(tp, predicted_as), _safe_div(tp, actual)
        per_class[label] = {
            "precision": precision,
            "recall": recall,
            "f1": _safe_div(2 * precision * recall, precision + recall),
            "support": actual,
        }
    return {
        "n": n,
        "correct": correct,
        "accuracy": _safe_div(correct, n),
        "macro_f1": _safe_div(sum(per_class[c]["f1"] for c in present), len(present)),
        "per_class": per_class,
        "confusion": {"rows": list(labels), "columns": columns, "matrix": matrix},
    }


def accuracy_by_depth(records: Iterable[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """{depth: {n, correct, accuracy}}; depth ``none`` for examples without one."""
    groups: dict[str, list[bool]] = defaultdict(list)
    for r in records:
        key = "none" if r.get("depth") is None else str(r["depth"])
        groups[key].append(r["predicted"] == r["gold"])
    order = sorted(groups, key=lambda k: (k == "none", int(k) if k != "none" else 0))
    return {
        k: {
            "n": len(groups[k]),
            "correct": sum(groups[k]),
            "accuracy": _safe_div(sum(groups[k]), len(groups[k])),
        }
        for k in order
    }


def latency_percentiles(latencies_ms: Sequence[float]) -> dict[str, float]:
    """p50/p90/p99 and mean (linear interpolation, numpy's default)."""
    if not latencies_ms:
        return {"p50": 0.0, "p90": 0.0, "p99": 0.0, "mean": 0.0}
    values = np.asarray(latencies_ms, dtype=float)
    p50, p90, p99 = np.percentile(values, [50, 90, 99])
    return {"p50": float(p50), "p90": float(p90), "p99": float(p99), "mean": float(values.mean())}


def summarize(
    records: Sequence[dict[str, Any]], *, wall_seconds: float | None = None
) -> dict[str, Any]:
    """Every metric of one mode's records. ``wall_seconds`` gives throughput (examples/s)."""
    records = list(records)
    result = classification_metrics([r["gold"] for r in records], [r["predicted"] for r in records])
    result["by_depth"] = accuracy_by_depth(records)
    parsed = [r.get("parsed") for r in records if r.get("parsed") is not None]
    result["parse_coverage"] = (
        _safe_div(sum(bool(p) for p in parsed), len(parsed)) if parsed else None
    )
    checked = [r.get("proof_valid") for r in records if r.get("proof_valid") is not None]
    result["proofs"] = len(checked)
    result["proof_validity"] = (
        _safe_div(sum(bool(v) for v in checked), len(checked)) if checked else None
    )
    result["errors"] = sum(1 for r in records if r.get("error"))
    result["decided_by"] = dict(Counter(r.get("decided_by") or "none" for r in records))
    result["latency_ms"] = latency_percentiles(
        [r["latency_ms"] for r in records if "latency_ms" in r]
    )
    if wall_seconds is not None:
        result["wall_seconds"] = wall_seconds
        result["throughput"] = _safe_div(len(records), wall_seconds)
    return result
