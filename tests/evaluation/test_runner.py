"""The runner end to end on tiny theories: symbolic answers, reports, errors, resume after a
killed run, workers and the CLI."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import InputError
from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.predictions import PredictionLog
from kgreason.evaluation.report import write_report
from kgreason.evaluation.runner import RunOptions, evaluate

DATA = Path(__file__).parent.parent / "data" / "eval"


def _theories(tmp_path: Path, copies: int) -> Path:
    """A Logic-LM file with ``copies`` renamed copies of the tiny theories (distinct keys)."""
    items = json.loads((DATA / "logiclm.json").read_text())
    out = []
    for i in range(copies):
        for item in items:
            out.append({**item, "id": f"{item['id']}-copy{i}"})
    path = tmp_path / "theories.json"
    path.write_text(json.dumps(out))
    return path


def _by_key(records):
    return {r["key"]: (r["gold"], r["predicted"], r.get("proof_valid")) for r in records}


def test_symbolic_tiny_theories_are_right_with_valid_proofs():
    data = read_dataset([DATA / "logiclm.json"])
    result = evaluate(data, ["symbolic"], EvalConfig(), RunOptions())
    m = result.modes["symbolic"]
    assert m["accuracy"] == 1.0, result.records["symbolic"]
    assert m["parse_coverage"] == 1.0
    assert m["proofs"] == 3 and m["proof_validity"] == 1.0  # the unknown answer has no proof
    assert m["decided_by"] == {"reasoner": 4}
    depths = {r["key"]: r["depth"] for r in result.records["symbolic"]}
    assert depths["ProofWriter_AttNeg-OWA-D2-1_Q1"] == 1  # Bob is cold → round: one rule
    assert depths["ProntoQA_1"] == 2  # gold depth from the explanation wins
    assert depths["ProofWriter_AttNeg-OWA-D2-1_Q2"] is None  # unknown: no proof


def test_original_proofwriter_cwa_and_owa():
    data = read_dataset([DATA / "proofwriter.jsonl"])
    result = evaluate(data, ["symbolic"], EvalConfig(), RunOptions())
    assert result.modes["symbolic"]["accuracy"] == 1.0, result.records["symbolic"]
    assert result.modes["symbolic"]["by_depth"]["0"]["n"] == 4


def test_bad_example_is_recorded_and_the_run_goes_on(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "ok", "premise": "Bob is cold. If something is cold then it is round.", '
        '"hypothesis": "Bob is round.", "label": "entailment"}\n'
        '{"id": "bad", "premise": "Bob is cold.", "hypothesis": "", "label": "neutral"}\n'
    )
    result = evaluate(read_dataset([bad]), ["symbolic"], EvalConfig(), RunOptions())
    records = {r["key"]: r for r in result.records["symbolic"]}
    assert records["ok"]["predicted"] == "entailment"
    assert records["bad"]["predicted"] is None and records["bad"]["error"]
    assert result.modes["symbolic"]["errors"] == 1
    assert result.modes["symbolic"]["accuracy"] == 0.5


def test_report_files(tmp_path):
    data = read_dataset([DATA / "logiclm.json"])
    out = tmp_path / "report"
    result = evaluate(
        data, ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out), batch_size=2)
    )
    write_report(result, out)
    report = json.loads((out / "report.json").read_text())
    assert report["dataset"]["fingerprint"] == data.fingerprint
    assert report["modes"]["symbolic"]["accuracy"] == 1.0
    assert report["versions"]["kgreason"] and report["config"]["mode"] == "symbolic"
    assert "| symbolic | 4 | 100.0% |" in (out / "report.md").read_text()
    for name in ("accuracy_by_depth.png", "confusion_symbolic.png"):
        assert (out / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    lines = (out / "predictions.jsonl").read_text().splitlines()
    assert len(lines) == 4 and all(json.loads(line)["mode"] == "symbolic" for line in lines)
    with pytest.raises(InputError, match="--resume"):  # never silently overwrite a run
        evaluate(data, ["symbolic"], EvalConfig(), RunOptions(report_dir=str(out)))


def test_resume_after_limit_gives_the_same_predictions(tmp_path):
    path = _theories(tmp_path, 3)
    full = evaluate(read_dataset([path]), ["symbolic"], EvalConfig(), RunOptions())
    out = tmp_path / "run"
    first = evaluate(
        read_dataset([path], limit=5),
        ["symbolic"],
        EvalConfig(),
        RunOptions(report_dir=str(out), batch_size=2),
    )
    assert first.modes["symbolic"]["processed"] == 5
    second = evaluate(
        read_dataset([path]),
        ["symbolic"],
        EvalConfig(),
        RunOptions(report_dir=str(out), resume=True, batch_size=2),
    )
    assert second.modes["symbolic"]["resumed"] == 5
    assert second.modes["symbolic"]["processed"] == 7
    written = PredictionLog(out / "predictions.jsonl").load()
    assert len(written) == 12 and len({r["key"] for r in written}) == 12
    assert _by_key(written) == _by_key(full.records["symbolic"])


def test_resume_after_kill(tmp_path):
    """Kill a real CLI run mid-way (SIGKILL), leave a half-written line, resume: nothing lost,
    nothing twice, same answers as an uninterrupted run."""
    copies = 250  # 1000 examples: enough that a fast machine cannot finish before the kill
    total = copies * 4
    path = _theories(tmp_path, copies)
    out = tmp_path / "killed"
    cmd = [
        sys.executable,
        "-c",
        "from kgreason.cli import main; main()",
        "eval",
        str(path),
        "--report",
        str(out),
        "--batch-size",
        "1",
        "--no-progress",
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    predictions = out / "predictions.jsonl"
    deadline = time.time() + 60
    while time.time() < deadline:
        assert proc.poll() is None, proc.stderr.read().decode()
        if predictions.exists() and predictions.read_text().count("\n") >= 3:
            break
        time.sleep(0.005)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = predictions.read_text().count("\n")
    assert 3 <= done < total, "the run should have been killed part-way"
    with predictions.open("a") as handle:
        handle.write('{"key": "half-writ')  # what a kill during a write leaves
    result = CliRunner().invoke(
        app, ["eval", str(path), "--report", str(out), "--resume", "--json", "--no-progress"]
    )
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output)["modes"]["symbolic"]
    assert summary["resumed"] == done and summary["processed"] == total - done
    written = PredictionLog(predictions).load()
    assert len(written) == total and len({r["key"] for r in written}) == total
    full = evaluate(read_dataset([path]), ["symbolic"], EvalConfig(), RunOptions())
    assert _by_key(written) == _by_key(full.records["symbolic"])


def test_workers_compute_the_same(tmp_path):
    path = _theories(tmp_path, 2)
    one = evaluate(read_dataset([path]), ["symbolic"], EvalConfig(), RunOptions(batch_size=2))
    two = evaluate(
        read_dataset([path]), ["symbolic"], EvalConfig(), RunOptions(batch_size=2, workers=2)
    )
    assert _by_key(two.records["symbolic"]) == _by_key(one.records["symbolic"])


def test_resume_refuses_another_dataset(tmp_path):
    out = tmp_path / "r"
    evaluate(
        read_dataset([DATA / "logiclm.json"]),
        ["symbolic"],
        EvalConfig(),
        RunOptions(report_dir=str(out)),
    )
    with pytest.raises(InputError, match="another dataset"):
        evaluate(
            read_dataset([DATA / "proofwriter.jsonl"]),
            ["symbolic"],
            EvalConfig(),
            RunOptions(report_dir=str(out), resume=True),
        )


def test_cli_table_and_json(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["eval", str(DATA / "logiclm.json"), "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "Comparison" in result.output and "symbolic" in result.output
    result = runner.invoke(app, ["eval", str(DATA / "proofwriter.jsonl"), "--json", "--limit", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["dataset"]["examples"] == 2 and data["modes"]["symbolic"]["n"] == 2


def test_cli_errors_are_one_line():
    runner = CliRunner()
    result = runner.invoke(app, ["eval", str(DATA / "logiclm.json"), "--mode", "magic"])
    assert result.exit_code == 2 and "unknown mode" in result.output
    result = runner.invoke(app, ["eval", str(DATA / "questions.jsonl")])
    assert result.exit_code == 2 and "--graph" in result.output
    result = runner.invoke(app, ["eval", str(DATA / "logiclm.json"), "--resume"])
    assert result.exit_code == 2 and "--output" in result.output


def test_graph_questions_through_the_pipeline():
    data = read_dataset([DATA / "questions.jsonl"])
    config = EvalConfig(pipeline=str(DATA / "graphqa.yaml"))
    result = evaluate(data, ["symbolic"], config, RunOptions())
    records = result.records["symbolic"]
    assert [r["predicted"] for r in records] == [r["gold"] for r in records], records
    assert result.modes["symbolic"]["proof_validity"] == 1.0


@pytest.mark.parametrize(
    ("context", "statement", "truth", "depth"),
    [
        (
            "Bob is cold. If something is cold then it is round. If something is round then it is big.",
            "Bob is big.",
            "true",
            2,
        ),
        # reading "does not see" as the negation of "sees" is notation, not a reasoning step
        (
            "The mouse does not see the squirrel. If something does not see the squirrel then it is blue.",
            "The mouse is blue.",
            "true",
            1,
        ),
        ("The mouse does not see the squirrel.", "The mouse sees the squirrel.", "false", 0),
    ],
)
def test_reasoning_depth_counts_like_qdep(context, statement, truth, depth):
    from kgreason.evaluation.predictors import reasoning_depth
    from kgreason.pipeline.theory import answer_theory_question

    got, proof, _ = answer_theory_question(context, statement)
    assert got == truth
    assert reasoning_depth(proof) == depth


def test_cli_graph_questions_with_a_pipeline_file():
    result = CliRunner().invoke(
        app,
        ["eval", str(DATA / "questions.jsonl"), "--pipeline", str(DATA / "graphqa.yaml"), "--json"],
    )
    assert result.exit_code == 0, result.output
    symbolic = json.loads(result.output)["modes"]["symbolic"]
    assert symbolic["accuracy"] == 1.0 and symbolic["n"] == 3


def test_cli_report_path_that_is_a_file_and_an_unused_graph(tmp_path):
    runner = CliRunner()
    taken = tmp_path / "report.txt"
    taken.write_text("keep me\n")
    result = runner.invoke(app, ["eval", str(DATA / "logiclm.json"), "--report", str(taken)])
    assert result.exit_code == 2 and "is a file, not a report folder" in result.output
    assert taken.read_text() == "keep me\n"
    result = runner.invoke(app, ["eval", str(DATA / "logiclm.json"), "--graph", "commonsense",
                                 "--limit", "1", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "--graph is only used for question/answer datasets" in result.stderr
