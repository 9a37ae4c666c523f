from __future__ import annotations

import functools
import json

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.models import training
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
    # the Trainer keeps the latest checkpoint only, with this loop's state beside its own
    assert [p.name for p in (tmp_path / "full" / "checkpoints").iterdir()] == ["checkpoint-2"]
    cfg.max_steps, cfg.eval_every = 4, 2
    resumed = train_nli(cfg, train, dev, resume=tmp_path / "full", progress=False)
    # the global step continues (two more steps, not four from zero), the history goes on, and the
    # resumed run evaluates at its own --eval-every
    assert resumed.steps == 4 and [h["step"] for h in resumed.history] == [1, 2, 4]
    state = json.loads((tmp_path / "full" / "checkpoints" / "checkpoint-4" / "trainer_state.json").read_text())
    assert state["global_step"] == 4 and [e["step"] for e in state["log_history"] if "loss" in e] == [1, 2, 3, 4]


def _stop_at(step: int):
    from transformers import TrainerCallback

    class StopAt(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            if state.global_step == step:
                control.should_training_stop = True
            return control

    return StopAt()


def test_resume_continues_the_data_where_it_stopped(tiny_bert_dirs, tiny_nli_data, tmp_path, monkeypatch):
    """Two steps, then two more from the checkpoint: the same weights as four steps in one go."""
    import torch
    from transformers import AutoModelForSequenceClassification

    train, dev = tiny_nli_data
    whole = _cfg(tiny_bert_dirs["base"], tmp_path / "whole", lora=False, max_steps=4, eval_every=2, patience=9,
                 lr=1e-3)
    train_nli(whole, train, dev, progress=False)
    part = _cfg(tiny_bert_dirs["base"], tmp_path / "part", lora=False, max_steps=4, eval_every=2, patience=9,
                lr=1e-3)
    monkeypatch.setattr(training, "run_training", functools.partial(training.run_training, callbacks=[_stop_at(2)]))
    assert train_nli(part, train, dev, progress=False).steps == 2  # interrupted, as a kill would
    monkeypatch.undo()
    assert (tmp_path / "part" / "checkpoints" / "checkpoint-2").is_dir()
    resumed = train_nli(part, train, dev, resume=tmp_path / "part", progress=False)
    assert resumed.steps == 4
    a = AutoModelForSequenceClassification.from_pretrained(tmp_path / "whole" / "checkpoints" / "checkpoint-4")
    b = AutoModelForSequenceClassification.from_pretrained(tmp_path / "part" / "checkpoints" / "checkpoint-4")
    name = "bert.encoder.layer.1.output.dense.weight"
    assert torch.allclose(a.state_dict()[name], b.state_dict()[name], atol=1e-6)


def test_time_budget_stops_early_and_keeps_the_best(tiny_bert_dirs, tiny_nli_data, tmp_path):
    train, dev = tiny_nli_data
    cfg = _cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=True, max_steps=100_000, max_minutes=0.01,
               eval_every=3, patience=100_000)
    result = train_nli(cfg, train, dev, progress=False)
    assert 1 <= result.steps < 100_000
    assert 0.6 <= result.seconds < 60
    # evaluated at the step it stopped, and the checkpoint there is the one to resume from
    assert result.history[-1]["step"] == result.steps
    assert (tmp_path / "run" / "checkpoints" / f"checkpoint-{result.steps}").is_dir()
    manifest = json.loads((tmp_path / "run" / "best" / "kgreason_nli.json").read_text())
    assert manifest["metrics"]["dev"]["accuracy"] == max(h["dev_accuracy"] for h in result.history)


def test_the_best_checkpoint_is_the_best_evaluation(tiny_bert_dirs, tiny_nli_data, tmp_path):
    train, dev = tiny_nli_data
    cfg = _cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=False, max_steps=8, eval_every=1, patience=100,
               lr=5e-3)
    result = train_nli(cfg, train, dev, progress=False)
    accuracies = [h["dev_accuracy"] for h in result.history]
    assert len(accuracies) == 8  # (the tiny model may score the same at every step: then the first is kept)
    best = max(accuracies)
    manifest = json.loads((tmp_path / "run" / "best" / "kgreason_nli.json").read_text())
    saved = manifest["metrics"]["dev"]
    # the first evaluation with the best accuracy (a tie does not replace it), and its weights
    assert saved["accuracy"] == best and saved["step"] == result.history[accuracies.index(best)]["step"]
    model, tokenizer, _ = load_classifier(str(tmp_path / "run" / "best"))
    rows = _encode(tokenizer, dev, tuple(manifest["labels"]), 48)
    assert evaluate_rows(model, rows, tuple(manifest["labels"]), tokenizer.pad_token_id, "cpu")["accuracy"] == best


def test_patience_stops_after_evaluations_without_improvement(tiny_bert_dirs, tiny_nli_data, tmp_path):
    train, dev = tiny_nli_data
    # a zero learning rate: dev accuracy never improves after the first evaluation
    cfg = _cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=True, max_steps=50, eval_every=1, patience=2, lr=0.0)
    result = train_nli(cfg, train, dev, progress=False)
    assert result.steps == 3 and [h["step"] for h in result.history] == [1, 2, 3]


def test_resume_errors(tiny_bert_dirs, tiny_nli_data, tmp_path):
    from kgreason.errors import InputError

    train, dev = tiny_nli_data
    cfg = _cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=True, max_steps=1, eval_every=1)
    with pytest.raises(InputError, match="no training checkpoint"):
        train_nli(cfg, train, dev, resume=tmp_path, progress=False)
    train_nli(cfg, train, dev, progress=False)
    cfg.lora_r, cfg.max_steps = 4, 2
    with pytest.raises(InputError, match="does not match this model: it was trained with lora_r 16"):
        train_nli(cfg, train, dev, resume=tmp_path / "run", progress=False)


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
    from kgreason.models.trainer import bar_total

    # no budget: every step; with one: the steps the seconds left make room for at the pace so far
    assert bar_total(1000, 10, 0, 5.0, None) == 1000
    assert bar_total(1000, 10, 0, 5.0, 55.0) == 10 + int(55 / 0.5)
    assert bar_total(100, 10, 0, 5.0, 595.0) == 100           # the budget outlasts the steps
    assert bar_total(1000, 10, 0, 120.0, -60.0) == 10         # budget used up: the bar is full
    assert bar_total(1000, 5, 5, 0.0, 60.0) == 1000           # no pace yet (resumed at step 5)
    train, dev = tiny_nli_data
    cfg = _cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=True, max_steps=50, max_minutes=1e-6)
    result = train_nli(cfg, train, dev, progress=True)
    assert result.steps == 1
    err = capsys.readouterr().err
    assert "train nli" in err and "1/1" in err and "budget left 0:00" in err, err
    assert "it/s]" not in err  # no tqdm bar (the Trainer's or a checkpoint write's)


def test_progress_is_hidden_off_a_terminal(tiny_bert_dirs, tiny_nli_data, tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("KGREASON_PROGRESS", raising=False)
    train, dev = tiny_nli_data
    train_nli(_cfg(tiny_bert_dirs["base"], tmp_path / "run", lora=True, max_steps=1), train, dev)
    assert "train nli" not in capsys.readouterr().err
    monkeypatch.setenv("KGREASON_PROGRESS", "1")
    train_nli(_cfg(tiny_bert_dirs["base"], tmp_path / "run2", lora=True, max_steps=1), train, dev)
    assert "train nli" in capsys.readouterr().err
