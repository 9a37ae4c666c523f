"""The one training loop of kgreason's models (the NLI verifier, the neural reader), on Hugging Face
``transformers.Trainer``.

A :class:`TrainingTask` says what is task-specific: how rows become a batch, the loss, the learning
rate schedule, the evaluation on the dev split (and which of its metrics is better which way) and how
the best checkpoint is saved. :func:`run_training` gives the rest, the same for every task:

* batches sorted by length inside shuffled chunks (little padding), reshuffled every epoch;
* AdamW over the trainable parameters, gradients clipped at 1.0, bf16 on CUDA;
* **best checkpoint**: evaluation every ``eval_every`` steps and at the end; the best by the task's
  metric is saved in ``OUT/best`` in the task's format; **early stopping** after ``patience``
  evaluations without improvement (where the task has it);
* **time budget** (``max_minutes``, counting the seconds of the run a resumed run continues):
  once used up, evaluate, keep the best, save, stop;
* **resume**: the Trainer's checkpoint (weights, optimizer, scheduler, RNG, position, and this loop's
  state in ``kgreason_trainer.json``) is kept in ``OUT/checkpoints/checkpoint-N`` (the latest only),
  saved at every evaluation; ``resume=`` a run folder continues from its last checkpoint, global step,
  data position, history and best score included;
* a rich progress bar on stderr (the Trainer's own bars are off), shown as
  :func:`kgreason.progress.wanted` says.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import random
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Protocol

from kgreason.errors import InputError
from kgreason.files import write_text_atomic

log = logging.getLogger(__name__)

#: This loop's own state in every checkpoint folder (best score, history, examples seen, seconds).
LOOP_STATE = "kgreason_trainer.json"
CHECKPOINTS = "checkpoints"


def length_batches(lengths: list[int], batch_size: int, seed: int) -> list[list[int]]:
    """Row indices in batches: shuffled, then sorted by length inside chunks of 50 batches so a
    batch needs little padding, the batches shuffled again."""
    rng = random.Random(seed)
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for i in range(0, len(order), chunk):
        part = sorted(order[i:i + chunk], key=lambda j: lengths[j])
        batches += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


class LengthBatchSampler:
    """:func:`length_batches` as a batch sampler; ``set_epoch`` (called by the Trainer) reseeds."""

    def __init__(self, lengths: list[int], batch_size: int, seed: int):
        self.lengths, self.batch_size, self.seed, self.epoch = lengths, batch_size, seed, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self):
        return iter(length_batches(self.lengths, self.batch_size, self.seed + self.epoch))

    def __len__(self) -> int:
        return math.ceil(len(self.lengths) / self.batch_size)


class Clock:
    """Training seconds: this run's and, after a resume, the earlier runs' (``earlier``)."""

    def __init__(self, max_minutes: float | None, earlier: float = 0.0):
        self.max_minutes, self.earlier, self.started = max_minutes, earlier, time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.started

    def total(self) -> float:
        return self.earlier + self.elapsed()

    def fraction(self) -> float:
        """The share of the time budget used (0 without one)."""
        return self.total() / (self.max_minutes * 60) if self.max_minutes else 0.0

    def left(self) -> float | None:
        return None if self.max_minutes is None else self.max_minutes * 60 - self.total()

    def out_of_time(self) -> bool:
        return self.max_minutes is not None and self.total() > self.max_minutes * 60


@dataclass
class EvalContext:
    """What the loop knows when it evaluates, for the task's metrics record."""
    step: int
    seen: int               # examples trained on, earlier runs included
    seconds: float          # this run's seconds
    train_loss: float | None
    rate: float             # examples per second in this run


class TrainingTask(Protocol):
    """The task-specific parts of a training run."""
    name: str                 # "nli", "reader": the progress bar's label
    metric: str               # the key of :meth:`evaluate`'s result that picks the best checkpoint
    greater_is_better: bool

    def length(self, row) -> int: ...
    def collate(self, rows: list) -> dict[str, Any]: ...
    def loss(self, model, batch: dict[str, Any]): ...
    def scheduler(self, optimizer, total_steps: int, clock: Clock): ...
    def evaluate(self, model, dev_rows: list, context: EvalContext) -> dict[str, Any]: ...
    def history_entry(self, metrics: dict[str, Any]) -> dict[str, Any]: ...
    def save_best(self, model, folder: Path, metrics: dict[str, Any]) -> None: ...


@dataclass
class LoopSettings:
    output_dir: str
    batch_size: int
    lr: float
    weight_decay: float
    total_steps: int
    eval_every: int
    max_minutes: float | None = None
    patience: int | None = None      # evaluations without improvement before stopping; None: never
    seed: int = 0
    device: str = "cpu"
    signature: dict[str, Any] = field(default_factory=dict)  # what a resumed checkpoint must match


@dataclass
class LoopResult:
    best_metrics: dict[str, Any]
    history: list[dict[str, Any]]
    steps: int
    seen: int          # examples trained on, earlier runs included
    seen_now: int      # in this run
    seconds: float     # this run's
    device: str
    stopped_by: str    # "steps", "budget", "patience"


@dataclass
class LoopState:
    """Saved in every checkpoint (:data:`LOOP_STATE`) and restored on resume."""
    best: float | None = None
    bad_evals: int = 0
    best_metrics: dict[str, Any] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    seen: int = 0
    seconds: float = 0.0
    signature: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------ resume
def find_checkpoint(path: str | Path) -> Path:
    """The checkpoint to resume from: ``path`` itself when it is one, else the last one in the run
    folder ``path`` (``path/checkpoints/checkpoint-N``, or ``path/checkpoint-N``). Its optimizer and
    scheduler files are checked to hold only tensors (no pickled code) before anything loads them."""
    from transformers.trainer_utils import get_last_checkpoint

    path = Path(path)
    found = None
    if (path / "trainer_state.json").is_file():
        found = path
    else:
        for folder in (path / CHECKPOINTS, path):
            if folder.is_dir() and (last := get_last_checkpoint(str(folder))):
                found = Path(last)
                break
    hint = "resume from the run folder (-o/--output) of an earlier `kgreason train` run"
    if found is None or not (found / "trainer_state.json").is_file():
        raise InputError(f"no training checkpoint (trainer_state.json) in {path}", where=str(path), hint=hint)
    if not (found / LOOP_STATE).is_file():
        raise InputError(f"{found} is not a kgreason training checkpoint (no {LOOP_STATE})", where=str(found),
                         hint=hint)
    _check_tensor_files(found, hint)
    return found


def _check_tensor_files(folder: Path, hint: str) -> None:
    import torch

    from kgreason.models.classifier import is_weights_error

    for name in ("optimizer.pt", "scheduler.pt"):
        file = folder / name
        if not file.exists():
            continue
        try:
            torch.load(file, map_location="cpu", weights_only=True)  # no pickle code from the file
        except Exception as exc:  # torch's text suggests unsafe loading: not shown
            if not is_weights_error(exc):
                raise
            raise InputError(f"{name} is not a valid trainer state (damaged, or a pickle holding more than "
                             "tensors)", where=str(file), hint=hint + ", or start without --resume") from None


def _load_loop_state(checkpoint: Path, signature: dict[str, Any]) -> LoopState:
    try:
        state = LoopState(**json.loads((checkpoint / LOOP_STATE).read_text(encoding="utf-8")))
    except (ValueError, TypeError) as exc:
        raise InputError(f"{LOOP_STATE} is damaged: {exc}", where=str(checkpoint / LOOP_STATE),
                         hint="resume from another checkpoint, or start without --resume") from None
    differs = {k: (state.signature.get(k), v) for k, v in signature.items() if state.signature.get(k) != v}
    if differs:
        said = ", ".join(f"{k} {old!r} (now {new!r})" for k, (old, new) in differs.items())
        raise InputError(f"checkpoint {checkpoint} does not match this model: it was trained with {said}",
                         where=str(checkpoint), hint="resume with the same --base and LoRA settings")
    return state


# --------------------------------------------------------------------------------------- callbacks
def _callbacks():
    """The loop's Trainer callbacks (classes built on first use: transformers is imported lazily)."""
    from transformers import TrainerCallback

    class TimeBudget(TrainerCallback):
        """Once the budget is used up: evaluate (keep the best), save a checkpoint, stop."""

        def __init__(self, clock: Clock):
            self.clock, self.stopped = clock, False

        def on_train_begin(self, args, state, control, **kwargs):
            # a resumed TrainerState brings the checkpoint's eval/save/logging intervals: this run's apply
            state.compute_steps(args, state.max_steps)
            return control

        def on_step_end(self, args, state, control, **kwargs):
            if self.clock.out_of_time():
                log.info("time budget of %s minutes used up at step %d", self.clock.max_minutes, state.global_step)
                self.stopped = True
                control.should_evaluate = control.should_save = control.should_training_stop = True
            return control

    class BestCheckpoint(TrainerCallback):
        """After each evaluation: save ``best/`` when the task's metric improves, count evaluations
        without improvement (early stopping at ``patience``); the loop state goes into every checkpoint."""

        def __init__(self, task: TrainingTask, loop: LoopState, out: Path, patience: int | None):
            self.task, self.loop, self.out, self.patience, self.stopped = task, loop, out, patience, False

        def on_evaluate(self, args, state, control, metrics=None, **kwargs):
            task, loop = self.task, self.loop
            value = metrics[task.metric]
            loop.history.append(task.history_entry(metrics))
            better = loop.best is None or (value > loop.best if task.greater_is_better else value < loop.best)
            if better:
                loop.best, loop.bad_evals, loop.best_metrics = value, 0, metrics
                task.save_best(kwargs["model"], self.out / "best", metrics)
            else:
                loop.bad_evals += 1
                if self.patience is not None and loop.bad_evals >= self.patience:
                    log.info("no better %s in %d evaluations: stopping at step %d", task.metric, loop.bad_evals,
                             state.global_step)
                    self.stopped = control.should_training_stop = control.should_save = True
            return control

        def on_save(self, args, state, control, **kwargs):
            folder = Path(args.output_dir) / f"checkpoint-{state.global_step}"
            if folder.is_dir():
                write_text_atomic(folder / LOOP_STATE, json.dumps(asdict(self.loop), indent=2, default=str))
            return control

    class RichProgress(TrainerCallback):
        """The training bar: steps (the total follows the time budget), loss, budget left."""

        def __init__(self, description: str, clock: Clock, total: int, show: bool | None):
            from kgreason.progress import wanted

            self.description, self.clock, self.total = description, clock, total
            self.show, self.progress, self.task, self.first = wanted(show), None, None, 0

        def on_train_begin(self, args, state, control, **kwargs):
            self.first = state.global_step
            if self.show:
                from rich.progress import (
                    BarColumn,
                    MofNCompleteColumn,
                    TextColumn,
                    TimeElapsedColumn,
                )

                from kgreason.progress import new_progress

                self.progress = new_progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                             TimeElapsedColumn(), TextColumn("{task.fields[info]}"))
                self.task = self.progress.add_task(self.description, total=self.total,
                                                   completed=state.global_step, info="")
                self.progress.start()

        def on_log(self, args, state, control, logs=None, **kwargs):
            loss = (logs or {}).get("loss")
            step = state.global_step
            if self.progress is None:
                if loss is not None and step % 25 == 0:
                    log.info("step %d/%d loss %.4f (%.1fs)", step, self.total, loss, self.clock.elapsed())
                return
            info = [f"loss {loss:.3f}"] if loss is not None else []
            left = self.clock.left()
            if left is not None:
                info.append(f"budget left {clock_text(left)}")
            total = bar_total(self.total, step, self.first, self.clock.elapsed(), left)
            self.progress.update(self.task, completed=step, total=total, info="  ".join(info))

        def on_train_end(self, args, state, control, **kwargs):
            if self.progress is not None:
                self.progress.update(self.task, completed=state.global_step, total=state.global_step)
                self.progress.stop()

    return TimeBudget, BestCheckpoint, RichProgress


def bar_total(total: int, step: int, first_step: int, elapsed: float, seconds_left: float | None) -> int:
    """The steps the progress bar expects: all ``total`` of them, or with a time budget as many as
    the seconds left leave room for at the pace so far (never fewer than the steps done)."""
    if seconds_left is None or step <= first_step or elapsed <= 0:
        return total
    pace = elapsed / (step - first_step)
    return max(step, min(total, step + int(max(0.0, seconds_left) / pace)))


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


# ------------------------------------------------------------------------------------------- loop
@contextmanager
def hf_bars_off():
    """No Hugging Face tqdm bars (loading weights, writing checkpoints) while training: the one bar
    is the loop's rich bar."""
    from transformers.utils import logging as hf_logging

    was_on = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_on:
            hf_logging.enable_progress_bar()


def without_hf_bars(function):
    """:func:`hf_bars_off` around a training function (its model loading included)."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with hf_bars_off():
            return function(*args, **kwargs)

    return wrapper


def run_training(task: TrainingTask, model, train_rows: list, dev_rows: list, settings: LoopSettings, *,
                 resume: str | Path | None = None, progress: bool | None = None, callbacks=()) -> LoopResult:
    """Train ``model`` on ``train_rows`` (evaluated on ``dev_rows``) with ``transformers.Trainer`` and
    this module's callbacks;
    the best checkpoint lands in ``OUT/best`` (by ``task.save_best``), ``OUT/summary.json`` is
    written by the caller. ``progress``: True/False/None (see :func:`kgreason.progress.wanted`);
    ``callbacks``: more ``TrainerCallback`` objects, after the loop's own."""
    import torch
    from transformers import PrinterCallback, Trainer, TrainingArguments

    out = Path(settings.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    checkpoint = find_checkpoint(resume) if resume else None
    loop = LoopState(signature=settings.signature)
    if checkpoint is not None:
        loop = _load_loop_state(checkpoint, settings.signature)
        log.info("resuming from %s", checkpoint)
        if not (out / "best").exists():  # a new run folder keeps a best checkpoint of its own
            loop.best, loop.bad_evals, loop.best_metrics = None, 0, {}
    clock = Clock(settings.max_minutes, earlier=loop.seconds)
    seen_before = loop.seen
    TimeBudget, BestCheckpoint, RichProgress = _callbacks()

    class LoopTrainer(Trainer):
        last_loss = None

        def get_train_dataloader(self):
            from torch.utils.data import DataLoader

            lengths = [task.length(r) for r in train_rows]
            sampler = LengthBatchSampler(lengths, settings.batch_size, settings.seed)
            return self.accelerator.prepare(DataLoader(train_rows, batch_sampler=sampler, collate_fn=task.collate))

        def create_optimizer(self, model=None):
            if self.optimizer is None:
                params = [p for p in (model or self.model).parameters() if p.requires_grad]
                self.optimizer = torch.optim.AdamW(params, lr=settings.lr, weight_decay=settings.weight_decay)
            return self.optimizer

        def create_scheduler(self, num_training_steps, optimizer=None):
            if self.lr_scheduler is None:
                self.lr_scheduler = task.scheduler(optimizer or self.optimizer, num_training_steps, clock)
            return self.lr_scheduler

        def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
            loss = task.loss(model, inputs)
            loop.seen += int(inputs["input_ids"].shape[0])
            self.last_loss = loss.detach()
            return loss

        def evaluate(self, eval_dataset=None, ignore_keys=None, metric_key_prefix="eval"):
            loop.seconds = clock.total()
            seen_now = loop.seen - seen_before
            context = EvalContext(self.state.global_step, loop.seen, clock.elapsed(),
                                  None if self.last_loss is None else float(self.last_loss),
                                  seen_now / max(clock.elapsed(), 1e-9))
            self.model.eval()
            metrics = task.evaluate(self.model, dev_rows, context)
            self.model.train()
            self.control = self.callback_handler.on_evaluate(self.args, self.state, self.control, metrics=metrics)
            return metrics

    on_gpu = settings.device.startswith("cuda")
    args = TrainingArguments(
        output_dir=str(out / CHECKPOINTS), max_steps=settings.total_steps,
        per_device_train_batch_size=settings.batch_size, learning_rate=settings.lr,
        weight_decay=settings.weight_decay, max_grad_norm=1.0, seed=settings.seed,
        eval_strategy="steps", eval_steps=settings.eval_every,
        save_strategy="steps", save_steps=settings.eval_every, save_total_limit=1,
        logging_strategy="steps", logging_steps=1, report_to="none", disable_tqdm=True,
        use_cpu=settings.device == "cpu", bf16=on_gpu and torch.cuda.is_bf16_supported(),
        dataloader_num_workers=0, dataloader_pin_memory=False, remove_unused_columns=False,
        label_names=["labels"],
    )
    budget = TimeBudget(clock)
    best = BestCheckpoint(task, loop, out, settings.patience)
    trainer = LoopTrainer(model=model, args=args, train_dataset=train_rows, eval_dataset=dev_rows,
                          data_collator=task.collate,
                          callbacks=[budget, best, RichProgress(f"train {task.name}", clock,
                                                                settings.total_steps, progress), *callbacks])
    trainer.remove_callback(PrinterCallback)  # logs go to the bar, not to stdout (--json prints there)
    with hf_bars_off():
        trainer.train(resume_from_checkpoint=str(checkpoint) if checkpoint else None)
    loop.seconds = clock.total()
    stopped_by = "budget" if budget.stopped else "patience" if best.stopped else "steps"
    device = str(trainer.args.device)
    return LoopResult(loop.best_metrics, loop.history, trainer.state.global_step, loop.seen,
                      loop.seen - seen_before, round(clock.elapsed(), 1), device, stopped_by)
