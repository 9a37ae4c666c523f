"""Atomic writes: the old content survives a writer that fails half-way; no temporaries are left."""

from __future__ import annotations

import json

import pytest

from kgreason.files import replace_dir_atomic, write_file_atomic, write_text_atomic


def test_text_is_replaced_whole_and_leaves_no_temporary_file(tmp_path):
    target = tmp_path / "report.json"
    write_text_atomic(target, '{"old": 1}')
    write_text_atomic(target, '{"new": 2}')
    assert json.loads(target.read_text()) == {"new": 2}
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_a_failing_writer_keeps_the_old_file(tmp_path):
    target = tmp_path / "trainer_state.pt"
    target.write_bytes(b"old")

    def half_then_fail(tmp):
        tmp.write_bytes(b"ha")
        raise OSError("disk full")

    with pytest.raises(OSError):
        write_file_atomic(target, half_then_fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["trainer_state.pt"]


def test_folder_is_replaced_whole_and_kept_when_the_writer_fails(tmp_path):
    target = tmp_path / "best"
    replace_dir_atomic(target, lambda d: (d / "a.txt").write_text("1"))
    replace_dir_atomic(target, lambda d: (d / "b.txt").write_text("2"))
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]

    def fail(d):
        (d / "c.txt").write_text("partial")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        replace_dir_atomic(target, fail)
    assert sorted(p.name for p in target.iterdir()) == ["b.txt"]
    assert [p.name for p in tmp_path.iterdir()] == ["best"]


def test_report_plots_and_nli_files_are_written_atomically(tmp_path, monkeypatch):
    """A killed writer leaves the old file (or none), never half a PNG / JSONL."""
    import os

    from kgreason.evaluation.report import _save_png
    from kgreason.models.nli_data import NLIExample, write_jsonl

    matplotlib = __import__("pytest").importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, _ = plt.subplots()
    target = tmp_path / "plot.png"
    target.write_bytes(b"old")
    replaced = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (replaced.append((a, b)), real_replace(a, b)))
    _save_png(fig, target)
    assert replaced and replaced[-1][1] == target and target.read_bytes()[:4] == b"\x89PNG"
    out = tmp_path / "train.jsonl"
    write_jsonl([NLIExample("Bob is red.", "Bob is red.", "entailment", "t", "x")], out)
    assert replaced[-1][1] == out and out.read_text().count("\n") == 1
