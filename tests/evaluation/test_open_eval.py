"""Open questions in evaluation: question tables with gold answer lists are scored by answer-set
precision / recall / F1 and exact match, beside the yes/no accuracy of the same table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import InputError
from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.metrics import answer_set_metrics, answer_set_scores, summarize
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.runner import RunOptions, evaluate

DATA = Path(__file__).parent.parent / "data" / "eval"
TABLE = DATA / "open_questions.jsonl"
PIPELINE = str(DATA / "commonsense.yaml")  # the commonsense graph, no retrieval index to build


def test_answer_set_scores_by_hand():
    # 2 of 3 listed are gold, 2 of 4 gold are listed; a name (cs:Emu) matches as well as a label
    s = answer_set_scores(["Penguin", "cs:Emu", "ostrich", "Polly"], ["penguin", "emu", "sparrow"],
                          ["cs:Penguin", "cs:Emu", "cs:Sparrow"])
    assert (s["answer_precision"], s["answer_recall"]) == (pytest.approx(2 / 3), 0.5)
    assert s["answer_f1"] == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert s["exact_match"] is False
    assert answer_set_scores(["a  b"], ["A b"])["exact_match"] is True  # case and spacing aside
    both_empty = answer_set_scores([], [])
    assert both_empty["exact_match"] and both_empty["answer_f1"] == 1.0
    nothing_listed = answer_set_scores(["x"], [])
    assert (nothing_listed["answer_precision"], nothing_listed["answer_recall"], nothing_listed["answer_f1"]) == (1.0, 0.0, 0.0)
    nothing_wanted = answer_set_scores([], ["x"])
    assert (nothing_wanted["answer_precision"], nothing_wanted["answer_f1"]) == (0.0, 0.0)


def test_answer_set_metrics_macro_and_micro():
    records = [
        {"gold_answers": ["a", "b"], "predicted_answers": ["a", "b"]},           # P 1, R 1
        {"gold_answers": ["a", "b", "c", "d"], "predicted_answers": ["a", "x"]},  # P .5, R .25
    ]
    m = answer_set_metrics(records)
    assert m["n"] == 2 and m["exact_match"] == 0.5
    assert m["precision"] == pytest.approx(0.75) and m["recall"] == pytest.approx(0.625)
    assert m["micro"]["precision"] == pytest.approx(3 / 4) and m["micro"]["recall"] == pytest.approx(3 / 6)


def test_summarize_keeps_yes_no_accuracy_apart():
    records = [
        {"gold": "contradiction", "predicted": "contradiction", "latency_ms": 1.0},
        {"gold": None, "predicted": None, "gold_answers": ["a"], "predicted_answers": ["a"], "latency_ms": 1.0},
    ]
    m = summarize(records)
    assert m["n"] == 2 and m["yes_no"] == 1 and m["accuracy"] == 1.0
    assert m["answer_sets"]["exact_match"] == 1.0
    only_open = summarize(records[1:])
    assert only_open["accuracy"] is None and only_open["answer_sets"]["n"] == 1
    assert "answer_sets" not in summarize(records[:1])


def test_reader_takes_gold_answer_lists(tmp_path):
    data = read_dataset([TABLE])
    assert data.format == "questions"
    open_rows = [e for e in data.examples if e.meta.get("answers") is not None]
    assert len(open_rows) == 5 and all(e.label is None for e in open_rows)
    assert open_rows[1].meta["answers"] == ["cs:Eucalyptus"]
    only_open = tmp_path / "open.jsonl"
    only_open.write_text('{"question": "What can fly?", "answers": ["bird"]}\n')
    assert read_dataset([only_open]).format == "questions"  # detected without any "answer"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "What can fly?", "answers": "bird"}\n')
    with pytest.raises(InputError, match="list"):
        read_dataset([bad])


def test_open_questions_through_the_pipeline():
    result = evaluate(read_dataset([TABLE]), ["symbolic"], EvalConfig(pipeline=PIPELINE), RunOptions())
    metrics, records = result.modes["symbolic"], result.records["symbolic"]
    assert metrics["accuracy"] == 1.0 and metrics["yes_no"] == 1 and metrics["n"] == 6
    sets = metrics["answer_sets"]
    assert sets["n"] == 5 and sets["exact_match"] == 1.0 and sets["f1"] == 1.0, records
    birds = next(r for r in records if r["hypothesis"] == "Which birds cannot fly?")
    assert birds["kind"] == "which" and set(birds["predicted_answers"]) == {"penguin", "ostrich", "emu", "Polly", "Pingu"}
    assert "cs:Penguin" in birds["predicted_terms"] and birds["proof_valid"] is True
    assert birds["exact_match"] is True and birds["answer_f1"] == 1.0
    assert metrics["proof_validity"] == 1.0


def test_cli_reports_answer_sets(tmp_path):
    table = tmp_path / "q.jsonl"
    table.write_text(
        '{"question": "Which mammals can fly?", "answers": ["bat"]}\n'
        '{"question": "What eats grass?", "answers": ["cow", "horse", "sheep"]}\n'  # sheep: not in the graph
        '{"question": "Can penguins fly?", "answer": "no"}\n')
    report = tmp_path / "report"
    result = CliRunner().invoke(app, ["eval", str(table), "--pipeline", PIPELINE, "--report", str(report),
                                      "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "open questions 2: exact match 50.0%" in " ".join(result.output.split())
    data = json.loads((report / "report.json").read_text())
    sets = data["modes"]["symbolic"]["answer_sets"]
    assert sets["exact_match"] == 0.5 and sets["precision"] == 1.0
    assert sets["recall"] == pytest.approx((1 + 2 / 3) / 2)
    assert "## Open questions: answer sets" in (report / "report.md").read_text()
    lines = [json.loads(x) for x in (report / "predictions.jsonl").read_text().splitlines()]
    grass = next(r for r in lines if r["hypothesis"] == "What eats grass?")
    assert sorted(grass["predicted_answers"]) == ["cow", "horse"] and grass["exact_match"] is False
