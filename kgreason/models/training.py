"""Fine-tune a BERT-family pair classifier for NLI (full or LoRA): the loop behind ``kgreason train nli``.

AdamW with linear warmup/decay, evaluation on dev every epoch (and every ``eval_every`` steps),
early stopping on dev accuracy, the best checkpoint saved with its config and metrics, and a
``last/`` checkpoint (weights + optimizer + scheduler + position) to ``--resume`` from.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kgreason.errors import InputError
from kgreason.files import write_file_atomic, write_text_atomic
from kgreason.models.classifier import (
    NLI_LABELS,
    build_classifier,
    is_weights_error,
    save_classifier,
)
from kgreason.models.nli_data import NLIExample

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
    eval_every: int | None = None
    patience: int = 2
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


def length_batches(rows: list[tuple], batch_size: int, seed: int) -> list[list[tuple]]:
    """Shuffled, then sorted by length inside chunks so a batch needs little padding."""
    rng = random.Random(seed)
    order = rows[:]
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for i in range(0, len(order), chunk):
        part = sorted(order[i:i + chunk], key=lambda r: len(r[0]))
        batches += [part[j:j + batch_size] for j in range(0, len(part), batch_size)]
    rng.shuffle(batches)
    return batches


def collate(rows: list[tuple], pad_id: int, device: str) -> dict[str, Any]:
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
    batch = {k: v.to(device) for k, v in batch.items()}
    if rows[0][2] is not None:
        batch["labels"] = torch.tensor([r[2] for r in rows], device=device)
    return batch


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


def bar_total(total: int, step: int, first_step: int, elapsed: float, max_minutes: float | None) -> int:
    """The steps the progress bar expects: all ``total`` of them, or with a time budget as many as
    the budget leaves room for at the pace so far (never fewer than the steps done)."""
    if max_minutes is None or step <= first_step or elapsed <= 0:
        return total
    pace = elapsed / (step - first_step)
    left = max(0.0, max_minutes * 60 - elapsed)
    return max(step, min(total, step + int(left / pace)))


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"


def train_nli(cfg: TrainConfig, train: list[NLIExample], dev: list[NLIExample], *,
              resume: str | Path | None = None, progress: bool = True, data_info: dict | None = None) -> TrainResult:
    """Train, keep the best dev checkpoint in ``output_dir/best``, return the summary."""
    import torch
    from tqdm.auto import tqdm
    from transformers import get_linear_schedule_with_warmup

    from kgreason.models.device import select_device

    if not train or not dev:
        raise InputError("training needs non-empty train and dev sets", hint="check --train/--dev files")
    device = select_device(cfg.device)
    torch.manual_seed(cfg.seed)
    model, tokenizer = build_classifier(cfg.base, cfg.labels, lora=cfg.lora, lora_r=cfg.lora_r,
                                        lora_alpha=cfg.lora_alpha, lora_dropout=cfg.lora_dropout)
    model.to(device)
    pad_id = tokenizer.pad_token_id or 0
    train_rows = _encode(tokenizer, train, cfg.labels, cfg.max_length)
    dev_rows = _encode(tokenizer, dev, cfg.labels, cfg.max_length)
    steps_per_epoch = (len(train_rows) + cfg.batch_size - 1) // cfg.batch_size
    total = cfg.max_steps or steps_per_epoch * cfg.epochs
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(params, lr=cfg.learning_rate, weight_decay=cfg.weight_decay)
    sched = get_linear_schedule_with_warmup(optim, int(total * cfg.warmup_ratio), total)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    state = {"step": 0, "best": -1.0, "bad_evals": 0, "history": [], "best_metrics": {}}
    if resume:
        state = _load_state(Path(resume), model, optim, sched, device)
        log.info("resumed from %s at step %d", resume, state["step"])
    n_trainable = sum(p.numel() for p in params)
    log.info("training %s (%s, %d trainable params) on %s: %d train / %d dev pairs, %d steps",
             cfg.base, "LoRA" if cfg.lora else "full", n_trainable, device, len(train_rows), len(dev_rows), total)
    autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if device.startswith("cuda")
                else torch.autocast("cpu", enabled=False))
    eval_every = cfg.eval_every or steps_per_epoch
    manifest = {"base": cfg.base, "labels": list(cfg.labels), "lora": cfg.lora, "max_length": cfg.max_length,
                "config": asdict(cfg), "data": data_info or {}, "trainable_params": n_trainable}
    started, seen, stop, first_step = time.perf_counter(), 0, False, state["step"]
    bar = tqdm(total=total, initial=state["step"], disable=not progress, desc="train nli", unit="step")
    while state["step"] < total and not stop:
        epoch, offset = divmod(state["step"], steps_per_epoch)
        for batch_rows in length_batches(train_rows, cfg.batch_size, cfg.seed + epoch)[offset:]:
            model.train()
            batch = collate(batch_rows, pad_id, device)
            with autocast:
                loss = model(**batch).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optim.step()
            sched.step()
            optim.zero_grad(set_to_none=True)
            state["step"] += 1
            seen += len(batch_rows)
            elapsed = time.perf_counter() - started
            bar.total = bar_total(total, state["step"], first_step, elapsed, cfg.max_minutes)
            bar.update(1)
            postfix = {"loss": f"{loss.item():.3f}"}
            if cfg.max_minutes is not None:
                postfix["budget left"] = _clock(cfg.max_minutes * 60 - elapsed)
            bar.set_postfix(postfix)
            out_of_time = cfg.max_minutes is not None and elapsed > cfg.max_minutes * 60
            if state["step"] % eval_every == 0 or state["step"] >= total or out_of_time:
                stop = _evaluate_and_keep(model, tokenizer, dev_rows, cfg, pad_id, device, state, out, manifest,
                                          optim, sched, seen / (time.perf_counter() - started))
            if out_of_time:
                log.info("time budget of %s minutes used up at step %d", cfg.max_minutes, state["step"])
                stop = True
            if stop or state["step"] >= total:
                break
    bar.close()
    seconds = time.perf_counter() - started
    result = TrainResult(str(out), str(out / "best"), state["best_metrics"], state["step"], round(seconds, 1),
                         round(seen / seconds, 2) if seconds else 0.0, device, state["history"])
    write_text_atomic(out / "summary.json", json.dumps(result.to_json(), indent=2))
    return result


def _evaluate_and_keep(model, tokenizer, dev_rows, cfg, pad_id, device, state, out, manifest, optim, sched,
                       rate) -> bool:
    """Evaluate; save best/ when dev accuracy improves and last/ always. True = stop early."""
    metrics = evaluate_rows(model, dev_rows, cfg.labels, pad_id, device)
    metrics |= {"step": state["step"], "train_pairs_per_second": round(rate, 2)}
    state["history"].append({"step": state["step"], "dev_accuracy": metrics["accuracy"]})
    log.info("step %d: dev accuracy %.4f", state["step"], metrics["accuracy"])
    if metrics["accuracy"] > state["best"]:
        state["best"], state["bad_evals"], state["best_metrics"] = metrics["accuracy"], 0, metrics
        save_classifier(model, tokenizer, out / "best", manifest | {"metrics": {"dev": metrics}})
    else:
        state["bad_evals"] += 1
    _save_state(out / "last", model, tokenizer, optim, sched, state, manifest)
    return state["bad_evals"] >= cfg.patience


def _save_state(path: Path, model, tokenizer, optim, sched, state, manifest) -> None:
    import torch

    path.mkdir(parents=True, exist_ok=True)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    weights = {k: v.detach().cpu() for k, v in model.state_dict().items() if k in trainable}
    saved = {"weights": weights, "optimizer": optim.state_dict(), "scheduler": sched.state_dict(), "state": state}
    write_file_atomic(path / "trainer_state.pt", lambda tmp: torch.save(saved, tmp))  # --resume reads it
    write_text_atomic(path / "kgreason_nli.json", json.dumps(manifest, indent=2, default=str))


def _load_state(path: Path, model, optim, sched, device) -> dict:
    import torch

    file = path / "trainer_state.pt" if path.is_dir() else path
    if not file.exists():
        raise InputError(f"no trainer_state.pt in {path}", hint="resume from a run's last/ folder")
    try:
        saved = torch.load(file, map_location=device, weights_only=True)  # no pickle code from the file
    except Exception as exc:  # torch's text suggests unsafe loading: not shown
        if not is_weights_error(exc):
            raise
        raise InputError(f"{file.name} is not a valid trainer state (damaged, "
                         "or a pickle holding more than tensors)", where=str(file),
                         hint="resume from the last/ folder of a `kgreason train nli` run, or start without --resume") from None
    missing = set(saved["weights"]) - set(model.state_dict())
    if missing:
        raise InputError(f"checkpoint {path} does not match this model ({len(missing)} unknown weights)",
                         hint="resume with the same --base and --lora settings")
    model.load_state_dict(saved["weights"], strict=False)
    optim.load_state_dict(saved["optimizer"])
    sched.load_state_dict(saved["scheduler"])
    return saved["state"]
