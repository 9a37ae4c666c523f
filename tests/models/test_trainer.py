"""The shared training loop (``kgreason.models.trainer``) on a task written here: a small torch
regression, real Trainer, real callbacks. The NLI and reader tests drive it through their tasks."""

from __future__ import annotations

import json
import random

import pytest

from kgreason.models.trainer import (
    LOOP_STATE,
    Clock,
    EvalContext,
    LengthBatchSampler,
    LoopSettings,
    find_checkpoint,
    length_batches,
    run_training,
)


class Regression:
    """y = 3·x0 − 2·x1 + noise; the metric is the dev loss (lower is better). ``evaluate`` keeps a
    copy of the weights it scored so the test can check which ones were saved."""

    name, metric, greater_is_better = "regression", "loss", False

    def __init__(self):
        self.scored: list[tuple[float, dict]] = []

    def length(self, row) -> int:
        return len(row[0])

    def collate(self, rows):
        import torch

        return {"input_ids": torch.tensor([r[0] for r in rows]), "labels": torch.tensor([r[1] for r in rows])}

    def loss(self, model, batch):
        import torch

        return torch.nn.functional.mse_loss(model(batch["input_ids"]).squeeze(-1), batch["labels"])

    def scheduler(self, optimizer, total_steps, clock):
        import torch

        return torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: 1.0)

    def evaluate(self, model, dev_rows, context: EvalContext):
        import torch

        with torch.no_grad():
            loss = float(self.loss(model, self.collate(dev_rows)))
        self.scored.append((loss, {k: v.clone() for k, v in model.state_dict().items()}))
        return {"loss": round(loss, 6), "step": context.step, "seen": context.seen}

    def history_entry(self, metrics):
        return metrics

    def save_best(self, model, folder, metrics):
        import torch

        folder.mkdir(parents=True, exist_ok=True)
        torch.save(model.state_dict(), folder / "weights.pt")
        (folder / "metrics.json").write_text(json.dumps(metrics))


def _rows(n: int, seed: int):
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        x = [rng.uniform(-1, 1), rng.uniform(-1, 1)]
        rows.append((x, 3 * x[0] - 2 * x[1] + rng.gauss(0, 0.3)))
    return rows


def _model():
    import torch

    torch.manual_seed(0)
    return torch.nn.Linear(2, 1)


def _settings(out, **kw) -> LoopSettings:
    return LoopSettings(**({"output_dir": str(out), "batch_size": 4, "lr": 0.5, "weight_decay": 0.0,
                            "total_steps": 12, "eval_every": 1, "device": "cpu"} | kw))


def test_the_saved_best_is_the_best_evaluation_and_its_weights(tmp_path):
    import torch

    task = Regression()
    # a learning rate too high to settle: the dev loss goes up and down
    result = run_training(task, _model(), _rows(32, 1), _rows(16, 2), _settings(tmp_path / "run"), progress=False)
    losses = [loss for loss, _ in task.scored]
    assert result.steps == 12 and len(losses) == 12 and result.stopped_by == "steps"
    best = min(range(len(losses)), key=losses.__getitem__)
    assert best < len(losses) - 1 and losses != sorted(losses, reverse=True), losses  # not simply the last
    saved = json.loads((tmp_path / "run" / "best" / "metrics.json").read_text())
    assert saved["step"] == best + 1 and saved == result.best_metrics
    weights = torch.load(tmp_path / "run" / "best" / "weights.pt")
    assert all(torch.equal(weights[k], task.scored[best][1][k]) for k in weights)


def test_patience_and_budget_stop_and_say_why(tmp_path):
    task = Regression()
    result = run_training(task, _model(), _rows(32, 1), _rows(16, 2),
                          _settings(tmp_path / "p", lr=0.0, total_steps=50, patience=3), progress=False)
    assert result.stopped_by == "patience" and result.steps == 4  # the first evaluation, then 3 no better
    result = run_training(Regression(), _model(), _rows(32, 1), _rows(16, 2),
                          _settings(tmp_path / "b", total_steps=10**6, eval_every=10**5, max_minutes=0.005),
                          progress=False)
    assert result.stopped_by == "budget" and 0 < result.steps < 10**5
    assert result.history[-1]["step"] == result.steps  # evaluated where it stopped
    assert (tmp_path / "b" / "best" / "weights.pt").exists()
    state = json.loads((tmp_path / "b" / "checkpoints" / f"checkpoint-{result.steps}" / LOOP_STATE).read_text())
    assert state["seconds"] >= 0.3 and state["seen"] == result.seen


def test_length_batches_cover_every_row_once_and_group_lengths():
    lengths = [random.Random(i).randint(1, 60) for i in range(1000)]
    batches = length_batches(lengths, 8, seed=3)
    assert sorted(i for b in batches for i in b) == list(range(1000))
    assert batches == length_batches(lengths, 8, seed=3) != length_batches(lengths, 8, seed=4)
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in batches) / len(batches)
    assert spread < 5  # sorted inside chunks of 400: neighbours have about the same length
    sampler = LengthBatchSampler(lengths, 8, seed=3)
    sampler.set_epoch(1)
    assert list(sampler) == length_batches(lengths, 8, seed=4) and len(sampler) == 125


def test_clock_counts_the_earlier_runs_seconds():
    clock = Clock(max_minutes=1.0, earlier=59.9)
    assert 0.99 < clock.fraction() < 1.01 and clock.left() < 0.2
    assert Clock(max_minutes=None).left() is None and not Clock(None, earlier=1e9).out_of_time()
    assert Clock(max_minutes=1.0, earlier=61).out_of_time()


def test_find_checkpoint_takes_a_run_folder_or_a_checkpoint(tmp_path):
    from kgreason.errors import InputError

    for step in (3, 10):
        folder = tmp_path / "run" / "checkpoints" / f"checkpoint-{step}"
        folder.mkdir(parents=True)
        (folder / "trainer_state.json").write_text("{}")
        (folder / LOOP_STATE).write_text("{}")
    assert find_checkpoint(tmp_path / "run").name == "checkpoint-10"
    assert find_checkpoint(tmp_path / "run" / "checkpoints" / "checkpoint-3").name == "checkpoint-3"
    with pytest.raises(InputError, match="no training checkpoint"):
        find_checkpoint(tmp_path)
    (tmp_path / "run" / "checkpoints" / "checkpoint-10" / LOOP_STATE).unlink()
    with pytest.raises(InputError, match="not a kgreason training checkpoint"):
        find_checkpoint(tmp_path / "run")
