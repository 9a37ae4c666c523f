"""``eval --resume`` never mixes runs (issue 24, item 4): predictions made with other settings
(world, graphs, graph content, options) are refused with a one-line hint; a line that is JSON
but not a whole record is named by its line number and predicted again, never a KeyError."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import InputError
from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.predictions import PredictionLog
from kgreason.evaluation.runner import RunOptions, evaluate

DATA = Path(__file__).parents[1] / "data" / "eval"
QUESTIONS = Path(__file__).parents[1] / "data" / "questions"


def _run(path, out, config=None, *, closed_world=None, resume=False, limit=None):
    return evaluate(read_dataset([path], closed_world=closed_world, limit=limit), ["symbolic"],
                    config or EvalConfig(), RunOptions(report_dir=str(out), resume=resume))


def test_resume_with_another_world_is_refused(tmp_path):
    out = tmp_path / "run"
    _run(DATA / "logiclm.json", out, limit=2)
    with pytest.raises(InputError) as info:
        _run(DATA / "logiclm.json", out, closed_world=True, resume=True)
    assert "other settings" in info.value.message and "world from ids → closed" in info.value.message
    assert "--output" in info.value.hint
    # the same settings resume as before
    resumed = _run(DATA / "logiclm.json", out, resume=True)
    assert resumed.modes["symbolic"]["resumed"] == 2


def test_resume_with_another_option_is_refused(tmp_path):
    out = tmp_path / "run"
    _run(DATA / "logiclm.json", out, limit=2)
    with pytest.raises(InputError, match="verifier_threshold 0.5 → 0.9"):
        _run(DATA / "logiclm.json", out, EvalConfig(verifier_threshold=0.9), resume=True)


@pytest.fixture
def geography(tmp_path):
    path = tmp_path / "geo.ttl"
    shutil.copy(Path(__file__).parents[1] / "data" / "geography.ttl", path)
    return path


def test_resume_with_another_graph_or_edited_graph_is_refused(tmp_path, geography):
    out = tmp_path / "run"
    questions = QUESTIONS / "geography.jsonl"
    _run(questions, out, EvalConfig(graphs=[str(geography)]), limit=2)
    other = tmp_path / "other.ttl"
    shutil.copy(geography, other)
    with pytest.raises(InputError, match="other settings.*graphs"):
        _run(questions, out, EvalConfig(graphs=[str(other)]), resume=True)
    geography.write_text(geography.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"content of graph {geography}"):
        _run(questions, out, EvalConfig(graphs=[str(geography)]), resume=True)


def test_cli_resume_with_closed_world_exits_with_one_line(tmp_path):
    out = tmp_path / "run"
    runner = CliRunner()
    first = runner.invoke(app, ["eval", str(DATA / "logiclm.json"), "--report", str(out), "-n", "2",
                                "--no-progress", "--json"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, ["eval", str(DATA / "logiclm.json"), "--report", str(out), "--resume",
                                "--closed-world", "--no-progress", "--json"])
    assert again.exit_code != 0
    error = json.loads(again.output.strip().splitlines()[-1])
    assert "other settings" in error["error"] and "Traceback" not in again.output


@pytest.mark.parametrize("bad", [{"mode": "symbolic", "key": "K"}, {"mode": "symbolic", "key": "K", "gold": "x"}])
def test_a_record_without_gold_is_named_by_line_and_predicted_again(tmp_path, caplog, bad):
    out = tmp_path / "run"
    full = _run(DATA / "logiclm.json", out)
    log = out / "predictions.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    victim = json.loads(lines[1])
    bad = {**bad, "key": victim["key"]}
    lines[1] = json.dumps(bad)
    log.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        resumed = _run(DATA / "logiclm.json", out, resume=True)
    assert any("line 2" in r.getMessage() for r in caplog.records)
    m = resumed.modes["symbolic"]
    assert m["resumed"] == len(lines) - 1 and m["processed"] == 1
    assert m["accuracy"] == full.modes["symbolic"]["accuracy"]
    assert {r["key"] for r in PredictionLog(log).load()} == {r["key"] for r in full.records["symbolic"]}
