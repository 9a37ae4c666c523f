"""Fine-tune a BERT-family pair classifier for NLI (full or LoRA): ``kgreason train nli``.

The task-specific parts (pair encoding and batches, dev accuracy with per-class scores, the
classifier's save format) of the shared loop in :mod:`kgreason.models.trainer`: AdamW with linear
warmup/decay, evaluation on dev every epoch (or every ``eval_every`` steps), early stopping on dev
accuracy (``patience``), a time budget, the best checkpoint saved with its config and metrics in
``best/``, and the Trainer's checkpoints to ``--resume`` from.
"""

from __future__ import annotations

import json
import logging
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kgreason.errors import InputError
from kgreason.files import write_text_atomic
from kgreason.models.classifier import NLI_LABELS, build_classifier, save_classifier
from kgreason.models.nli_data import NLIExample
from kgreason.models.trainer import EvalContext, LoopSettings, run_training, without_hf_bars

log = logging.getLogger(__name__)


@dataclass
class TrainConfig:
    base: str = "minilm"
    output_dir: str = "runs/nli"
    lora: bool = True
    lora_r: int = 16
    lora_alpha: int = 32
    lora_dropout: float = 0.05
    epochs: int = 1
    batch_size: int = 32
    lr: float | None = None  # default 5e-4 with LoRA, 3e-5 full
    weight_decay: float = 0.01
    warmup_ratio: float = 0.06
    max_length: int = 96
    max_steps: int | None = None
    max_minutes: float | None = None  # time budget: evaluate, keep the best, stop
    eval_every: int | None = None    # default: once an epoch
    patience: int = 2                # evaluations without a better dev accuracy before stopping
    seed: int = 0
    device: str | None = None
    labels: tuple[str, ...] = NLI_LABELS

    @property
    def learning_rate(self) -> float:
        return self.lr if self.lr is not None else (5e-4 if self.lora else 3e-5)


@dataclass
class TrainResult:
    output_dir: str
    best_dir: str
    best_metrics: dict[str, Any]
    steps: int
    seconds: float
    pairs_per_second: float
    device: str
    history: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def _encode(tokenizer, examples: list[NLIExample], labels: tuple[str, ...], max_length: int) -> list[tuple]:
    index = {label: i for i, label in enumerate(labels)}
    unknown = {e.label for e in examples} - set(index)
    if unknown:
        raise InputError(f"unknown labels in the data: {sorted(unknown)}", hint=f"use {', '.join(labels)}")
    enc = tokenizer([e.premise for e in examples], [e.hypothesis for e in examples],
                    truncation=True, max_length=max_length)
    types = enc.get("token_type_ids") or [None] * len(examples)
    return [(ids, tt, index[e.label]) for ids, tt, e in zip(enc["input_ids"], types, examples)]


def collate(rows: list[tuple], pad_id: int, device: str | None = None) -> dict[str, Any]:
    """Right-padded ids, mask (and token types where the tokenizer has them), labels if known."""
    import torch

    width = max(len(r[0]) for r in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    tt = torch.zeros((len(rows), width), dtype=torch.long)
    for i, (seq, types, _) in enumerate(rows):
        ids[i, :len(seq)] = torch.tensor(seq)
        mask[i, :len(seq)] = 1
        if types is not None:
            tt[i, :len(seq)] = torch.tensor(types)
    batch = {"input_ids": ids, "attention_mask": mask}
    if rows[0][1] is not None:
        batch["token_type_ids"] = tt
    if rows[0][2] is not None:
        batch["labels"] = torch.tensor([r[2] for r in rows])
    return {k: v.to(device) for k, v in batch.items()} if device else batch


def evaluate_rows(model, rows: list[tuple], labels: tuple[str, ...], pad_id: int, device: str,
                  batch_size: int = 64) -> dict[str, Any]:
    """Accuracy, per-class recall/precision/F1 and the confusion matrix (rows = gold)."""
    import torch

    model.eval()
    n = len(labels)
    confusion = [[0] * n for _ in range(n)]
    ordered = sorted(rows, key=lambda r: len(r[0]))
    with torch.inference_mode():
        for i in range(0, len(ordered), batch_size):
            chunk = ordered[i:i + batch_size]
            batch = collate(chunk, pad_id, device)
            gold = batch.pop("labels")
            pred = model(**batch).logits.argmax(-1)
            for g, p in zip(gold.tolist(), pred.tolist()):
                confusion[g][p] += 1
    total = sum(map(sum, confusion))
    per_class = {}
    for i, label in enumerate(labels):
        tp = confusion[i][i]
        gold_n, pred_n = sum(confusion[i]), sum(row[i] for row in confusion)
        p, r = (tp / pred_n if pred_n else 0.0), (tp / gold_n if gold_n else 0.0)
        per_class[label] = {"precision": round(p, 4), "recall": round(r, 4),
                            "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0, "n": gold_n}
    acc = sum(confusion[i][i] for i in range(n)) / total if total else 0.0
    return {"accuracy": round(acc, 4), "n": total, "per_class": per_class, "confusion": confusion,
            "labels": list(labels)}


class NLITask:
    """The NLI verifier's parts of the shared loop (:mod:`kgreason.models.trainer`): pair batches,
    the classifier's cross-entropy, linear warmup/decay, dev accuracy, the classifier format."""

    name, metric, greater_is_better = "nli", "accuracy", True

    def __init__(self, cfg: TrainConfig, tokenizer, manifest: dict[str, Any]):
        self.cfg, self.tokenizer, self.manifest = cfg, tokenizer, manifest
        self.pad_id = tokenizer.pad_token_id or 0

    def length(self, row) -> int:
        return len(row[0])

    def collate(self, rows):
        return collate(rows, self.pad_id)

    def loss(self, model, batch):
        return model(**batch).loss

    def scheduler(self, optimizer, total_steps, clock):
        from transformers import get_linear_schedule_with_warmup

        return get_linear_schedule_with_warmup(optimizer, int(total_steps * self.cfg.warmup_ratio), total_steps)

    def evaluate(self, model, dev_rows, context: EvalContext) -> dict[str, Any]:
        device = str(next(model.parameters()).device)
        metrics = evaluate_rows(model, dev_rows, self.cfg.labels, self.pad_id, device)
        metrics |= {"step": context.step, "train_pairs_per_second": round(context.rate, 2)}
        log.info("step %d: dev accuracy %.4f", context.step, metrics["accuracy"])
        return metrics

    def history_entry(self, metrics):
        return {"step": metrics["step"], "dev_accuracy": metrics["accuracy"]}

    def save_best(self, model, folder: Path, metrics):
        save_classifier(model, self.tokenizer, folder, self.manifest | {"metrics": {"dev": metrics}})


@without_hf_bars
def train_nli(cfg: TrainConfig, train: list[NLIExample], dev: list[NLIExample], *,
              resume: str | Path | None = None, progress: bool | None = None,
              data_info: dict | None = None) -> TrainResult:
    """Train, keep the best dev checkpoint in ``output_dir/best``, return the summary.
    ``progress``: True/False, or None to show it on a terminal (:func:`kgreason.progress.wanted`)."""
    from transformers import set_seed

    from kgreason.models.device import select_device

    if not train or not dev:
        raise InputError("training needs non-empty train and dev sets", hint="check --train/--dev files")
    device = select_device(cfg.device)
    set_seed(cfg.seed)
    model, tokenizer = build_classifier(cfg.base, cfg.labels, lora=cfg.lora, lora_r=cfg.lora_r,
                                        lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout)
    train_rows = _encode(tokenizer, train, cfg.labels, cfg.max_length)
    dev_rows = _encode(tokenizer, dev, cfg.labels, cfg.max_length)
    steps_per_epoch = (len(train_rows) + cfg.batch_size - 1) // cfg.batch_size
    total = cfg.max_steps or steps_per_epoch * cfg.epochs
    n_trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log.info("training %s (%s, %d trainable params) on %s: %d train / %d dev pairs, %d steps",
             cfg.base, "LoRA" if cfg.lora else "full", n_trainable, device, len(train_rows), len(dev_rows), total)
    manifest = {"base": cfg.base, "labels": list(cfg.labels), "lora": cfg.lora, "max_length": cfg.max_length,
                "config": asdict(cfg), "data": data_info or {}, "trainable_params": n_trainable}
    settings = LoopSettings(
        output_dir=cfg.output_dir, batch_size=cfg.batch_size, lr=cfg.learning_rate, weight_decay=cfg.weight_decay,
        total_steps=total, eval_every=cfg.eval_every or steps_per_epoch, max_minutes=cfg.max_minutes,
        patience=cfg.patience, seed=cfg.seed, device=device,
        signature={"base": cfg.base, "lora": cfg.lora, "lora_r": cfg.lora_r, "labels": list(cfg.labels)})
    done = run_training(NLITask(cfg, tokenizer, manifest), model, train_rows, dev_rows, settings,
                        resume=resume, progress=progress)
    result = TrainResult(cfg.output_dir, str(Path(cfg.output_dir) / "best"), done.best_metrics, done.steps,
                         done.seconds, round(done.seen_now / done.seconds, 2) if done.seconds else 0.0,
                         done.device, done.history)
    write_text_atomic(Path(cfg.output_dir) / "summary.json", json.dumps(result.to_json(), indent=2))
    return result
