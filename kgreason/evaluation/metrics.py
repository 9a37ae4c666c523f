"""Metrics over prediction records (dicts as written to predictions.jsonl).

A record has ``gold`` and ``predicted`` (entailment/contradiction/neutral, or None when the
example failed: a failure counts as wrong and shows as the ``error`` column of the confusion
matrix), ``depth``, ``parsed`` (theory read fully: every sentence exact or a confirmed reading; parse coverage
counts these), ``readings`` (its sentences by status), ``proof_valid`` (None when no proof) and
``latency_ms``. An open question's record has ``gold_answers`` (labels or names) and
``predicted_answers`` / ``predicted_terms`` instead: it is scored by answer-set precision /
recall / F1 and exact match (:func:`answer_set_scores`), not by the yes/no metrics.
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


def _norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def answer_set_scores(gold: Sequence[str], labels: Sequence[str], terms: Sequence[str] = ()
                      ) -> dict[str, Any]:
    """One open question's answers against its gold list. A gold entry is found when it is the
    label (case and spacing aside) or the name (``cs:Emu``) of a predicted answer. An empty list
    is precise (nothing wrong listed) and an empty gold list fully recalled: both empty score 1;
    F1 is 0 when either side misses entirely."""
    terms = list(terms)
    answers = [{_norm(label)} | ({_norm(terms[i])} if i < len(terms) else set())
               for i, label in enumerate(labels)]
    wanted = list(dict.fromkeys(_norm(g) for g in gold))
    found = [g for g in wanted if any(g in names for names in answers)]
    right = [names for names in answers if names & set(wanted)]
    precision = _safe_div(len(right), len(answers)) if answers else 1.0
    recall = _safe_div(len(found), len(wanted)) if wanted else 1.0
    return {
        "answer_precision": precision,
        "answer_recall": recall,
        "answer_f1": _safe_div(2 * precision * recall, precision + recall),
        "exact_match": len(found) == len(wanted) and len(right) == len(answers),
        "answers_found": len(found),
        "answers_right": len(right),
    }


def answer_set_metrics(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """Over open-question records: exact match and precision / recall / F1 averaged per question
    (macro), and micro-averaged over every listed and gold answer."""
    scores, listed, gold, right = [], 0, 0, 0
    for r in records:
        labels = r.get("predicted_answers") or []
        score = answer_set_scores(r["gold_answers"], labels, r.get("predicted_terms") or [])
        scores.append(score)
        listed += len(labels)
        gold += len({_norm(g) for g in r["gold_answers"]})
        right += score["answers_right"]
    n = len(scores)
    micro_p = _safe_div(right, listed) if listed else 1.0
    micro_r = _safe_div(sum(s["answers_found"] for s in scores), gold) if gold else 1.0
    return {
        "n": n,
        "exact_match": _safe_div(sum(s["exact_match"] for s in scores), n),
        "precision": _safe_div(sum(s["answer_precision"] for s in scores), n),
        "recall": _safe_div(sum(s["answer_recall"] for s in scores), n),
        "f1": _safe_div(sum(s["answer_f1"] for s in scores), n),
        "micro": {"precision": micro_p, "recall": micro_r,
                  "f1": _safe_div(2 * micro_p * micro_r, micro_p + micro_r)},
        "errors": sum(1 for r in records if r.get("error")),
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
    # open questions (gold answer lists) are scored as sets; the rest as yes / no / unknown
    open_records = [r for r in records if r.get("gold_answers") is not None]
    yes_no = [r for r in records if r.get("gold_answers") is None]
    result = classification_metrics([r["gold"] for r in yes_no], [r["predicted"] for r in yes_no])
    if open_records:
        result["n"] = len(records)
        result["yes_no"] = len(yes_no)
        if not yes_no:  # no yes/no question: no accuracy to report (not 0%)
            result["accuracy"] = result["macro_f1"] = None
        result["answer_sets"] = answer_set_metrics(open_records)
    result["by_depth"] = accuracy_by_depth(yes_no)
    parsed = [r.get("parsed") for r in records if r.get("parsed") is not None]
    result["parse_coverage"] = (
        _safe_div(sum(bool(p) for p in parsed), len(parsed)) if parsed else None
    )
    counts = [r["readings"] for r in records if isinstance(r.get("readings"), dict)]
    if counts:  # sentences of the contexts (per question): exact, confirmed, not understood
        total: Counter[str] = Counter()
        for c in counts:
            total.update(c)
        n = sum(total.values())
        result["readings"] = dict(total)
        result["sentence_coverage"] = _safe_div(total["exact"] + total["confirmed"], n) if n else None
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
