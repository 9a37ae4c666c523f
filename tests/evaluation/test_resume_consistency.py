"""Resuming a run: a damaged run.json is a clear error naming the file and the fix, and the
proofs of a resumed run read exactly as those of an uninterrupted one (issue 13, items 11, 12)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgreason.errors import ParseError
from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.predictions import PredictionLog
from kgreason.evaluation.runner import RunOptions, evaluate

THEORY = ("Bob is cold. Erin is big. If something is cold then it is round. "
          "If something is round then it is nice. If something is big then it is rough.")


def _dataset(tmp_path: Path) -> Path:
    """One theory, several questions (the theory cache shares one reading among them)."""
    questions = {
        "Q1": {"question": "Erin is rough.", "answer": True, "QDep": 1},
        "Q2": {"question": "Bob is nice.", "answer": True, "QDep": 2},
        "Q3": {"question": "Bob is round.", "answer": True, "QDep": 1},
        "Q4": {"question": "Erin is nice.", "answer": "Unknown", "QDep": 0},
    }
    path = tmp_path / "theory.jsonl"
    path.write_text(json.dumps({"id": "T1", "theory": THEORY, "questions": questions}) + "\n",
                    encoding="utf-8")
    return path


def _proofs(records) -> dict[str, list[str]]:
    return {r["key"]: r.get("proof") for r in records}


def test_resumed_run_has_the_same_proof_text_as_an_uninterrupted_one(tmp_path):
    path = _dataset(tmp_path)
    full = evaluate(read_dataset([path]), ["symbolic"], EvalConfig(), RunOptions())
    whole = _proofs(full.records["symbolic"])
    assert sum(1 for p in whole.values() if p) >= 3
    out = tmp_path / "run"
    evaluate(read_dataset([path], limit=1), ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out)))
    evaluate(read_dataset([path]), ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out), resume=True))
    resumed = _proofs(PredictionLog(out / "predictions.jsonl").load())
    assert resumed == whole
    # a rule is named by the theory's own sentence (its words), never by a question's key
    rule_lines = [line for p in whole.values() if p for line in p if "given" not in line]
    assert rule_lines and all("[If something is" in line for line in rule_lines)
    assert not any("Q1" in line or "Q2" in line for p in whole.values() if p for line in p)


@pytest.mark.parametrize("garbage", [b"\x00\x01garbage{", b"[1, 2]", b"\xff\xfe not utf-8"])
def test_garbage_run_json_names_the_file_and_the_fix(tmp_path, garbage):
    path = _dataset(tmp_path)
    out = tmp_path / "run"
    evaluate(read_dataset([path], limit=1), ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out)))
    (out / "run.json").write_bytes(garbage)
    with pytest.raises(ParseError) as info:
        evaluate(read_dataset([path]), ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out), resume=True))
    text = str(info.value)
    assert str(out / "run.json") in text and "delete" in text and "without --resume" in text
    assert "JSONDecodeError" not in text and "\n" not in text
