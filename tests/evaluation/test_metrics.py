"""Metrics against values computed by hand."""

from __future__ import annotations

import pytest

from kgreason.evaluation.metrics import (
    accuracy_by_depth,
    classification_metrics,
    latency_percentiles,
    summarize,
)

E, C, N = "entailment", "contradiction", "neutral"
GOLD = [E, E, C, N, N, C]
PRED = [E, C, C, N, E, None]  # the last example failed


def test_accuracy_f1_confusion_by_hand():
    m = classification_metrics(GOLD, PRED)
    assert m["accuracy"] == pytest.approx(3 / 6)
    assert m["per_class"][E] == pytest.approx(
        {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    )
    assert m["per_class"][C] == pytest.approx(
        {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    )
    assert m["per_class"][N] == pytest.approx(
        {"precision": 1.0, "recall": 0.5, "f1": 2 / 3, "support": 2}
    )
    assert m["macro_f1"] == pytest.approx((0.5 + 0.5 + 2 / 3) / 3)
    assert m["confusion"]["columns"] == [E, C, N, "error"]
    assert m["confusion"]["matrix"] == [[1, 1, 0, 0], [0, 1, 0, 1], [1, 0, 1, 0]]


def test_macro_f1_only_over_gold_classes():
    # a two-label dataset (ProntoQA): neutral predictions are wrong but neutral is not averaged
    m = classification_metrics([E, C, C], [E, C, N])
    assert m["per_class"][C]["f1"] == pytest.approx(2 / 3)
    assert m["macro_f1"] == pytest.approx((1.0 + 2 / 3) / 2)


def test_accuracy_by_depth_by_hand():
    records = [
        {"gold": g, "predicted": p, "depth": d}
        for g, p, d in zip(GOLD, PRED, [0, 0, 1, 1, None, 2])
    ]
    assert accuracy_by_depth(records) == {
        "0": {"n": 2, "correct": 1, "accuracy": 0.5},
        "1": {"n": 2, "correct": 2, "accuracy": 1.0},
        "2": {"n": 1, "correct": 0, "accuracy": 0.0},
        "none": {"n": 1, "correct": 0, "accuracy": 0.0},
    }


def test_latency_percentiles_by_hand():
    p = latency_percentiles([10, 1, 4, 2, 3])
    assert p == pytest.approx({"p50": 3.0, "p90": 7.6, "p99": 9.76, "mean": 4.0})
    assert latency_percentiles([])["p99"] == 0.0


def test_summarize_coverage_validity_paths():
    records = [
        {
            "gold": E,
            "predicted": E,
            "parsed": True,
            "proof_valid": True,
            "decided_by": "reasoner",
            "latency_ms": 1.0,
        },
        {
            "gold": C,
            "predicted": C,
            "parsed": True,
            "proof_valid": False,
            "decided_by": "reasoner",
            "latency_ms": 2.0,
        },
        {"gold": N, "predicted": E, "parsed": False, "decided_by": "verifier", "latency_ms": 3.0},
        {"gold": N, "predicted": None, "parsed": False, "error": "boom", "latency_ms": 4.0},
    ]
    s = summarize(records, wall_seconds=2.0)
    assert s["accuracy"] == 0.5
    assert s["parse_coverage"] == 0.5
    assert s["proofs"] == 2 and s["proof_validity"] == 0.5
    assert s["errors"] == 1
    assert s["decided_by"] == {"reasoner": 2, "verifier": 1, "none": 1}
    assert s["throughput"] == 2.0
    assert s["latency_ms"]["p50"] == 2.5
