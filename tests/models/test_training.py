from __future__ import annotations

import json

from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.models.classifier import load_classifier
from kgreason.models.nli_data import write_jsonl
from kgreason.models.training import TrainConfig, _encode, evaluate_rows, train_nli


def _cfg(base, out, **kw) -> TrainConfig:
    return TrainConfig(base=str(base), output_dir=str(out), batch_size=8, max_length=48, device="cpu", **kw)


def test_lora_two_steps_saves_a_best_checkpoint_that_reloads_exactly(tiny_bert_dirs, tiny_nli_data, tmp_path):
    train, dev = tiny_nli_data
    result = train_nli(_cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=True, max_steps=2, eval_every=2),
                       train, dev, progress=False)
    assert result.steps == 2 and result.device == "cpu"
    best = tmp_path / "run" / "best"
    assert (best / "adapter_model.safetensors").exists() and (best / "adapter_config.json").exists()
    manifest = json.loads((best / "kgreason_nli.json").read_text())
    assert manifest["lora"] is True and manifest["labels"] == ["entailment", "neutral", "contradiction"]
    # round trip: the reloaded checkpoint scores dev exactly as it did when it was saved
    model, tokenizer, _ = load_classifier(str(best))
    rows = _encode(tokenizer, dev, tuple(manifest["labels"]), 48)
    again = evaluate_rows(model, rows, tuple(manifest["labels"]), tokenizer.pad_token_id, "cpu")
    assert again["confusion"] == manifest["metrics"]["dev"]["confusion"]
    assert json.loads((tmp_path / "run" / "summary.json").read_text())["steps"] == 2


def test_full_fine_tuning_changes_weights_and_resume_continues(tiny_bert_dirs, tiny_nli_data, tmp_path):
    import torch
    from transformers import AutoModelForSequenceClassification

    train, dev = tiny_nli_data
    cfg = _cfg(tiny_bert_dirs["base"], tmp_path / "full", lora=False, max_steps=2, eval_every=1, patience=5)
    first = train_nli(cfg, train, dev, progress=False)
    assert first.steps == 2 and len(first.history) == 2
    saved = AutoModelForSequenceClassification.from_pretrained(tmp_path / "full" / "best")
    base = AutoModelForSequenceClassification.from_pretrained(tiny_bert_dirs["base"], num_labels=3)
    name = "bert.encoder.layer.0.attention.self.query.weight"
    assert not torch.equal(saved.state_dict()[name], base.state_dict()[name])
    cfg.max_steps = 4
    resumed = train_nli(cfg, train, dev, resume=tmp_path / "full" / "last", progress=False)
    assert resumed.steps == 4 and [h["step"] for h in resumed.history] == [1, 2, 3, 4]


def test_cli_train_nli_json_and_errors(tiny_bert_dirs, tiny_nli_data, tmp_path):
    train, dev = tiny_nli_data
    tf, df = write_jsonl(train, tmp_path / "train.jsonl"), write_jsonl(dev, tmp_path / "dev.jsonl")
    runner = CliRunner()
    res = runner.invoke(app, ["train", "nli", "--base", str(tiny_bert_dirs["base"]), "--train", str(tf),
                              "--dev", str(df), "--out", str(tmp_path / "cli"), "--max-steps", "2",
                              "--batch-size", "8", "--device", "cpu", "--json"])
    assert res.exit_code == 0, res.output
    summary = json.loads(res.stdout)
    assert summary["steps"] == 2 and "accuracy" in summary["best_metrics"]
    res = runner.invoke(app, ["train", "nli", "--train", str(tf), "--out", str(tmp_path / "x")])
    assert res.exit_code == 2 and "give both --train and --dev" in res.output


def test_cli_train_nli_refuses_a_file_as_run_folder_and_a_folder_as_data(tmp_path):
    runner = CliRunner()
    taken = tmp_path / "taken.txt"
    taken.write_text("keep me\n")
    res = runner.invoke(app, ["train", "nli", "--out", str(taken)])
    assert res.exit_code == 2 and "is a file, not a run folder" in res.output
    assert taken.read_text() == "keep me\n"
    res = runner.invoke(app, ["train", "nli", "--train", str(tmp_path), "--dev", str(tmp_path),
                              "--out", str(tmp_path / "run")])
    assert res.exit_code == 2 and "is a directory, not a JSONL data file" in res.output


def test_progress_bar_follows_the_time_budget(tiny_bert_dirs, tiny_nli_data, tmp_path, capsys):
    from kgreason.models.training import bar_total

    # no budget: every step; with one: the steps the budget leaves room for at the pace so far
    assert bar_total(1000, 10, 0, 5.0, None) == 1000
    assert bar_total(1000, 10, 0, 5.0, 1.0) == 10 + int(55 / 0.5)
    assert bar_total(100, 10, 0, 5.0, 10.0) == 100            # the budget outlasts the steps
    assert bar_total(1000, 10, 0, 120.0, 1.0) == 10            # budget used up: the bar is full
    assert bar_total(1000, 5, 5, 0.0, 1.0) == 1000             # no pace yet (resumed at step 5)
    train, dev = tiny_nli_data
    cfg = _cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=True, max_steps=50, max_minutes=1e-6)
    result = train_nli(cfg, train, dev, progress=True)
    assert result.steps == 1
    bar = capsys.readouterr().err.replace("\r", "\n").strip().splitlines()[-1]
    assert "1/1 " in bar and "budget left=0:00" in bar, bar
