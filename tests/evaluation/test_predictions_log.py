"""predictions.jsonl read back for --resume: a bad line in the middle is skipped and reported,
the good lines after it are kept (issue 13, item 1)."""

from __future__ import annotations

import json
import logging

from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.predictions import PredictionLog
from kgreason.evaluation.runner import RunOptions, evaluate

from .test_runner import _by_key, _theories


def _record(i: int) -> str:
    return json.dumps({"mode": "symbolic", "key": f"k{i}", "gold": "entailment", "predicted": "TRUE"})


def test_a_bad_line_in_the_middle_is_skipped_and_reported(tmp_path, caplog):
    path = tmp_path / "predictions.jsonl"
    lines = [_record(0), _record(1), '{"mode": "symbolic", "ke', _record(2), "[1, 2]", _record(3)]
    path.write_text("\n".join(lines) + "\n")
    before = path.read_bytes()
    log = PredictionLog(path)
    with caplog.at_level(logging.WARNING):
        records = log.load()
    assert [r["key"] for r in records] == ["k0", "k1", "k2", "k3"]
    assert log.bad_lines == [3, 5]
    assert "skipped 2 line(s)" in caplog.text and "line 3, 5" in caplog.text
    assert path.read_bytes() == before  # nothing is cut, the bad lines stay to be inspected


def test_invalid_utf8_and_a_whole_last_record_without_newline(tmp_path):
    path = tmp_path / "predictions.jsonl"
    path.write_bytes(_record(0).encode() + b"\n\xff\xfe garbage\n" + _record(1).encode())
    log = PredictionLog(path)
    assert [r["key"] for r in log.load()] == ["k0", "k1"]
    assert log.bad_lines == [2]
    assert path.read_bytes().endswith(b"\n")  # the next append starts on its own line
    log.append([{"mode": "symbolic", "key": "k2", "gold": None, "predicted": None}])
    assert [r["key"] for r in PredictionLog(path).load()] == ["k0", "k1", "k2"]


def test_a_half_written_last_line_is_still_cut(tmp_path):
    path = tmp_path / "predictions.jsonl"
    path.write_text(_record(0) + "\n" + '{"mode": "symbolic", "key": "k')
    assert [r["key"] for r in PredictionLog(path).load()] == ["k0"]
    assert path.read_text() == _record(0) + "\n"


def test_resume_over_a_corrupted_line_keeps_every_good_record(tmp_path, caplog):
    data = _theories(tmp_path, 2)  # 8 examples
    out = tmp_path / "run"
    evaluate(read_dataset([data]), ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out), batch_size=2))
    predictions = out / "predictions.jsonl"
    lines = predictions.read_text().splitlines()
    assert len(lines) == 8
    damaged_key = json.loads(lines[2])["key"]
    lines[2] = lines[2][: len(lines[2]) // 2]  # one damaged record in the middle
    predictions.write_text("\n".join(lines) + "\n")
    with caplog.at_level(logging.WARNING):
        second = evaluate(
            read_dataset([data]), ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out), resume=True)
        )
    assert "line 3" in caplog.text
    assert second.modes["symbolic"]["resumed"] == 7  # every good record after the bad line too
    assert second.modes["symbolic"]["processed"] == 1
    assert [r["key"] for r in second.records["symbolic"]][-1] == damaged_key
    full = evaluate(read_dataset([data]), ["symbolic"], EvalConfig(), RunOptions())
    assert _by_key(second.records["symbolic"]) == _by_key(full.records["symbolic"])
