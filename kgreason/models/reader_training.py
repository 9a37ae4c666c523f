"""LoRA fine-tuning of a causal LM into the neural reader: ``kgreason train reader``.

Prompt ``"Rewrite in simple sentences: <sentence>\\n"`` → ``"<controlled English><eos>"``, loss on the
target tokens only. The task-specific parts of the shared loop in :mod:`kgreason.models.trainer`
(length-sorted batches, AdamW, a time budget, ``--resume``): linear warmup, then linear decay to zero
at whichever comes first, the last step or the end of the budget (which counts the seconds of a
resumed run's earlier part too); validation loss on held-out *train* theories every ``eval_every``
steps and at the end; the best checkpoint (the adapter in half precision + a manifest) is kept in
``best/``.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kgreason.errors import InputError, ModelError
from kgreason.files import replace_dir_atomic, write_text_atomic
from kgreason.models.reader_data import ReaderExample, prompt
from kgreason.models.trainer import EvalContext, LoopSettings, run_training, without_hf_bars

log = logging.getLogger(__name__)

MANIFEST = "kgreason_reader.json"
#: Linear layers of Llama / Mistral / Qwen style models, then GPT-2's fused ones.
LORA_TARGETS = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")
GPT2_TARGETS = ("c_attn", "c_proj", "c_fc")


@dataclass
class ReaderTrainConfig:
    base: str = "smollm2"
    output_dir: str = "runs/reader"
    lora_r: int = 8
    lora_alpha: int = 16
    lora_dropout: float = 0.0
    batch_size: int = 16
    lr: float = 1e-3
    weight_decay: float = 0.0
    warmup_steps: int = 30
    max_length: int = 96
    epochs: int = 1
    max_steps: int | None = None
    max_minutes: float | None = None  # time budget: evaluate, keep the best, stop
    eval_every: int = 200
    seed: int = 0
    device: str | None = None


@dataclass
class ReaderTrainResult:
    output_dir: str
    best_dir: str
    best_metrics: dict[str, Any]
    steps: int
    examples_seen: int
    seconds: float
    examples_per_second: float
    device: str
    history: list[dict[str, Any]] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def lora_targets(model) -> list[str]:
    names = {n.rsplit(".", 1)[-1] for n, _ in model.named_modules()}
    found = [t for t in LORA_TARGETS if t in names] or [t for t in GPT2_TARGETS if t in names]
    if not found:
        raise ModelError(f"no known attention/MLP layers in {type(model).__name__} to put LoRA on",
                         hint="use a Llama-, Qwen- or GPT-2-style causal LM (e.g. --base smollm2)")
    return found


def load_base(base: str):
    """(model, tokenizer) of a causal LM named by a packaged name, a folder, a .gguf or a hub id."""
    from kgreason.models.generate import load_causal_lm
    from kgreason.models.resolve import resolve_model

    model, tokenizer, _ = load_causal_lm(resolve_model(base))
    if tokenizer.eos_token_id is None:
        raise ModelError(f"the tokenizer of {base!r} has no end-of-sequence token",
                         hint="use a causal LM whose tokenizer defines eos_token")
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def encode(tokenizer, examples: list[ReaderExample], max_length: int) -> list[tuple[list[int], int]]:
    """(token ids, prompt length) per example; examples longer than ``max_length`` are dropped."""
    prompts = tokenizer([prompt(e.source) for e in examples], add_special_tokens=False)["input_ids"]
    targets = tokenizer([e.target for e in examples], add_special_tokens=False)["input_ids"]
    rows = []
    for p, t in zip(prompts, targets):
        ids = p + t + [tokenizer.eos_token_id]
        if len(ids) <= max_length:
            rows.append((ids, len(p)))
    return rows


def collate(rows: list[tuple[list[int], int]], pad_id: int, device: str | None = None) -> dict[str, Any]:
    """Right-padded ids, mask, and labels that are -100 on the prompt and padding."""
    import torch

    width = max(len(ids) for ids, _ in rows)
    ids = torch.full((len(rows), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    labels = torch.full((len(rows), width), -100, dtype=torch.long)
    for i, (seq, n_prompt) in enumerate(rows):
        ids[i, :len(seq)] = torch.tensor(seq)
        mask[i, :len(seq)] = 1
        labels[i, n_prompt:len(seq)] = torch.tensor(seq[n_prompt:])
    batch = {"input_ids": ids, "attention_mask": mask, "labels": labels}
    return {k: v.to(device) for k, v in batch.items()} if device else batch


def target_logits(model, batch: dict[str, Any]):
    """(logits, gold) at the target positions only: the LM head (a 49k-word vocabulary for SmolLM2,
    a fifth of a step's work) is applied to the hidden states that predict a target token, not to
    the prompt and the padding. For causal LMs whose head is a plain projection (Llama, GPT-2...)."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    hidden = base.base_model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).last_hidden_state
    gold = batch["labels"][:, 1:]
    keep = gold != -100
    logits = base.get_output_embeddings()(hidden[:, :-1][keep]).float()
    return logits, gold[keep], keep


def validation_loss(model, rows: list[tuple], pad_id: int, device: str, batch_size: int = 32) -> dict[str, float]:
    """Mean target-token loss and the share of examples whose every target token is the argmax
    (teacher-forced exact match: a cheap stand-in for greedy decoding)."""
    import torch

    model.eval()
    total, tokens, exact = 0.0, 0, 0
    ordered = sorted(rows, key=lambda r: len(r[0]))
    with torch.inference_mode():
        for i in range(0, len(ordered), batch_size):
            batch = collate(ordered[i:i + batch_size], pad_id, device)
            logits, gold, keep = target_logits(model, batch)
            total += torch.nn.functional.cross_entropy(logits, gold, reduction="sum").item()
            tokens += gold.numel()
            wrong = torch.zeros(keep.shape, dtype=torch.bool, device=keep.device)
            wrong[keep] = logits.argmax(-1) != gold
            exact += int((~wrong.any(-1)).sum())
    model.train()
    return {"loss": round(total / max(1, tokens), 4), "exact": round(exact / max(1, len(rows)), 4),
            "n": len(rows)}


def save_reader(model, out_dir: str | Path, manifest: dict[str, Any]) -> Path:
    """The LoRA adapter (weights in float16: half the size, same readings) and the manifest; the
    folder is replaced as a whole, so a kill mid-save keeps the previous checkpoint."""
    import torch
    from safetensors.torch import save_file

    def write(folder: Path) -> None:
        model.save_pretrained(folder, safe_serialization=True)
        weights = folder / "adapter_model.safetensors"
        from safetensors.torch import load_file

        tensors = {k: v.to(torch.float16).contiguous() for k, v in load_file(str(weights)).items()}
        save_file(tensors, str(weights), metadata={"format": "pt"})
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))
        config = folder / "adapter_config.json"  # name the base as given ("smollm2"), not a cache path
        config.write_text(json.dumps(json.loads(config.read_text()) | {"base_model_name_or_path": manifest["base"]},
                                     indent=2, sort_keys=True) + "\n")

    return replace_dir_atomic(Path(out_dir), write)


def build_lora_model(cfg: ReaderTrainConfig):
    from peft import LoraConfig, TaskType, get_peft_model

    model, tokenizer = load_base(cfg.base)
    targets = lora_targets(model)
    lcfg = LoraConfig(task_type=TaskType.CAUSAL_LM, r=cfg.lora_r, lora_alpha=cfg.lora_alpha,
                      lora_dropout=cfg.lora_dropout, target_modules=targets)
    return get_peft_model(model, lcfg), tokenizer, targets


class ReaderTask:
    """The reader's parts of the shared loop (:mod:`kgreason.models.trainer`): prompt + target rows,
    the loss on the target tokens only, warmup then linear decay to zero at the last step or at the
    end of the time budget (whichever comes first, so a budget-limited run on a slow CPU still
    anneals), validation loss and teacher-forced exact match, the adapter format."""

    name, metric, greater_is_better = "reader", "loss", False

    def __init__(self, cfg: ReaderTrainConfig, pad_id: int, manifest: dict[str, Any]):
        self.cfg, self.pad_id, self.manifest = cfg, pad_id, manifest

    def length(self, row) -> int:
        return len(row[0])

    def collate(self, rows):
        return collate(rows, self.pad_id)

    def loss(self, model, batch):
        import torch

        logits, gold, _ = target_logits(model, batch)
        return torch.nn.functional.cross_entropy(logits, gold)

    def scheduler(self, optimizer, total_steps, clock):
        import torch

        warmup = min(self.cfg.warmup_steps, max(1, total_steps // 10))

        def lr_factor(step: int) -> float:
            if step < warmup:
                return (step + 1) / warmup
            return max(0.0, 1.0 - max(step / total_steps, clock.fraction()))

        return torch.optim.lr_scheduler.LambdaLR(optimizer, lr_factor)

    def evaluate(self, model, dev_rows, context: EvalContext) -> dict[str, Any]:
        device = str(next(model.parameters()).device)
        metrics = validation_loss(model, dev_rows, self.pad_id, device)
        metrics |= {"step": context.step, "examples_seen": context.seen,
                    "train_loss": None if context.train_loss is None else round(context.train_loss, 4),
                    "minutes": round(context.seconds / 60, 1)}
        log.info("step %d: validation loss %.4f, teacher-forced exact %.4f", context.step, metrics["loss"],
                 metrics["exact"])
        return metrics

    def history_entry(self, metrics):
        return metrics

    def save_best(self, model, folder: Path, metrics):
        save_reader(model, folder, self.manifest | {"metrics": {"validation": metrics}})


@without_hf_bars
def train_reader(cfg: ReaderTrainConfig, train: list[ReaderExample], val: list[ReaderExample], *,
                 resume: str | Path | None = None, progress: bool | None = None,
                 data_info: dict | None = None) -> ReaderTrainResult:
    """Train; keep the best validation checkpoint in ``output_dir/best``; return the summary.
    ``progress``: True/False, or None to show it on a terminal (:func:`kgreason.progress.wanted`)."""
    from transformers import set_seed

    from kgreason.models.device import select_device

    if not train or not val:
        raise InputError("training the reader needs non-empty train and validation sets",
                         hint="check the --data file")
    device = select_device(cfg.device)
    set_seed(cfg.seed)
    model, tokenizer, targets = build_lora_model(cfg)
    train_rows = encode(tokenizer, train, cfg.max_length)
    val_rows = encode(tokenizer, val, cfg.max_length)
    if not train_rows or not val_rows:
        raise InputError(f"no example fits in --max-length {cfg.max_length} tokens",
                         hint="raise --max-length")
    total = cfg.max_steps or math.ceil(len(train_rows) / cfg.batch_size) * cfg.epochs
    n_trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    log.info("training reader over %s (LoRA r=%d on %s, %d trainable params) on %s: %d train / %d val, %d steps",
             cfg.base, cfg.lora_r, ",".join(targets), n_trainable, device, len(train_rows), len(val_rows), total)
    manifest = {"kind": "reader", "base": cfg.base, "prompt": prompt("{sentence}"), "max_length": cfg.max_length,
                "lora_targets": targets, "config": asdict(cfg), "data": data_info or {},
                "trainable_params": n_trainable, "dropped_too_long": len(train) - len(train_rows)}
    settings = LoopSettings(
        output_dir=cfg.output_dir, batch_size=cfg.batch_size, lr=cfg.lr, weight_decay=cfg.weight_decay,
        total_steps=total, eval_every=cfg.eval_every, max_minutes=cfg.max_minutes, patience=None,
        seed=cfg.seed, device=device,
        signature={"base": cfg.base, "lora_r": cfg.lora_r, "lora_targets": targets})
    done = run_training(ReaderTask(cfg, tokenizer.pad_token_id, manifest), model, train_rows, val_rows, settings,
                        resume=resume, progress=progress)
    result = ReaderTrainResult(cfg.output_dir, str(Path(cfg.output_dir) / "best"), done.best_metrics, done.steps,
                               done.seen, done.seconds,
                               round(done.seen_now / done.seconds, 2) if done.seconds else 0.0, done.device,
                               done.history)
    write_text_atomic(Path(cfg.output_dir) / "summary.json", json.dumps(result.to_json(), indent=2))
    return result
