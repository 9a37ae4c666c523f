"""LoRA fine-tuning of a causal LM into the neural reader: the loop behind ``kgreason train reader``.

Prompt ``"Rewrite in simple sentences: <sentence>\\n"`` → ``"<controlled English><eos>"``, loss on the
target tokens only. Batches are sorted by length inside shuffled chunks (little padding), AdamW with
linear warmup/decay, a time budget (``max_minutes``), validation loss on held-out *train* theories
every ``eval_every`` steps and at the end (the budget counts the
seconds of a resumed run's earlier part too; the learning rate decays to zero at whichever comes
first, the last step or the end of the budget); the best checkpoint (the adapter in half precision + a
manifest) is kept in ``best/`` and ``last/`` holds what ``--resume`` needs.
"""

from __future__ import annotations

import json
import logging
import math
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kgreason.errors import InputError, ModelError
from kgreason.files import replace_dir_atomic, write_file_atomic, write_text_atomic
from kgreason.models.reader_data import ReaderExample, prompt
from kgreason.models.training import _clock, bar_total, length_batches

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


def collate(rows: list[tuple[list[int], int]], pad_id: int, device: str) -> dict[str, Any]:
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
    return {"input_ids": ids.to(device), "attention_mask": mask.to(device), "labels": labels.to(device)}


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


def train_reader(cfg: ReaderTrainConfig, train: list[ReaderExample], val: list[ReaderExample], *,
                 resume: str | Path | None = None, progress: bool = True,
                 data_info: dict | None = None) -> ReaderTrainResult:
    """Train; keep the best validation checkpoint in ``output_dir/best``; return the summary."""
    import torch
    from tqdm.auto import tqdm

    from kgreason.models.device import select_device

    if not train or not val:
        raise InputError("training the reader needs non-empty train and validation sets",
                         hint="check the --data file")
    device = select_device(cfg.device)
    torch.manual_seed(cfg.seed)
    model, tokenizer, targets = build_lora_model(cfg)
    model.to(device)
    pad_id = tokenizer.pad_token_id
    train_rows = encode(tokenizer, train, cfg.max_length)
    val_rows = encode(tokenizer, val, cfg.max_length)
    if not train_rows or not val_rows:
        raise InputError(f"no example fits in --max-length {cfg.max_length} tokens",
                         hint="raise --max-length")
    steps_per_epoch = math.ceil(len(train_rows) / cfg.batch_size)
    total = cfg.max_steps or steps_per_epoch * cfg.epochs
    params = [p for p in model.parameters() if p.requires_grad]
    optim = torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    warmup = min(cfg.warmup_steps, max(1, total // 10))
    # linear warmup, then linear decay to zero at the last step or at the end of the time budget,
    # whichever comes first (so a budget-limited run on a slow CPU still anneals)
    progress_now = {"fraction": 0.0}

    def lr_factor(step: int) -> float:
        if step < warmup:
            return (step + 1) / warmup
        return max(0.0, 1.0 - max(step / total, progress_now["fraction"]))

    sched = torch.optim.lr_scheduler.LambdaLR(optim, lr_factor)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {"step": 0, "seen": 0, "seconds": 0.0, "best": math.inf, "history": [],
                             "best_metrics": {}}
    if resume:
        state = _load_state(Path(resume), model, optim, sched, device)
        log.info("resumed from %s at step %d", resume, state["step"])
        if not (out / "best").exists():  # a new run folder keeps a best checkpoint of its own
            state["best"], state["best_metrics"] = math.inf, {}
    n_trainable = sum(p.numel() for p in params)
    log.info("training reader over %s (LoRA r=%d on %s, %d trainable params) on %s: %d train / %d val, %d steps",
             cfg.base, cfg.lora_r, ",".join(targets), n_trainable, device, len(train_rows), len(val_rows), total)
    autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if device.startswith("cuda")
                else torch.autocast("cpu", enabled=False))
    manifest = {"kind": "reader", "base": cfg.base, "prompt": prompt("{sentence}"), "max_length": cfg.max_length,
                "lora_targets": targets, "config": asdict(cfg), "data": data_info or {},
                "trainable_params": n_trainable, "dropped_too_long": len(train) - len(train_rows)}
    started, first_step, stop = time.perf_counter(), state["step"], False
    run_start = state["seconds"]  # training seconds of earlier runs (--resume)
    bar = tqdm(total=total, initial=state["step"], disable=not progress, desc="train reader", unit="step")
    model.train()
    while state["step"] < total and not stop:
        epoch, offset = divmod(state["step"], steps_per_epoch)
        for batch_rows in length_batches(train_rows, cfg.batch_size, cfg.seed + epoch)[offset:]:
            batch = collate(batch_rows, pad_id, device)
            with autocast:
                logits, gold, _ = target_logits(model, batch)
                loss = torch.nn.functional.cross_entropy(logits, gold)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 1.0)
            optim.step()
            sched.step()
            optim.zero_grad(set_to_none=True)
            state["step"] += 1
            state["seen"] += len(batch_rows)
            elapsed = time.perf_counter() - started
            if cfg.max_minutes:
                progress_now["fraction"] = (run_start + elapsed) / (cfg.max_minutes * 60)
            bar.total = bar_total(total, state["step"], first_step, elapsed,
                                  cfg.max_minutes - run_start / 60 if cfg.max_minutes else None)
            bar.update(1)
            postfix = {"loss": f"{loss.item():.3f}"}
            if cfg.max_minutes is not None:
                postfix["budget left"] = _clock(cfg.max_minutes * 60 - run_start - elapsed)
            bar.set_postfix(postfix)
            if not progress and state["step"] % 25 == 0:
                log.info("step %d/%d loss %.4f (%.1fs)", state["step"], total, loss.item(), elapsed)
            out_of_time = cfg.max_minutes is not None and run_start + elapsed > cfg.max_minutes * 60
            if state["step"] % cfg.eval_every == 0 or state["step"] >= total or out_of_time:
                _evaluate_and_keep(model, tokenizer, val_rows, pad_id, device, state, out, manifest, optim, sched,
                                   elapsed, loss.item(), run_start)
            if out_of_time:
                log.info("time budget of %s minutes used up at step %d", cfg.max_minutes, state["step"])
                stop = True
            if stop or state["step"] >= total:
                break
    bar.close()
    seconds = time.perf_counter() - started
    seen_now = state["seen"]
    result = ReaderTrainResult(str(out), str(out / "best"), state["best_metrics"], state["step"], seen_now,
                               round(seconds, 1), round(seen_now / seconds, 2) if seconds else 0.0, device,
                               state["history"])
    write_text_atomic(out / "summary.json", json.dumps(result.to_json(), indent=2))
    return result


def _evaluate_and_keep(model, tokenizer, val_rows, pad_id, device, state, out, manifest, optim, sched,
                       elapsed, train_loss, run_start=0.0) -> None:
    state["seconds"] = run_start + elapsed
    metrics = validation_loss(model, val_rows, pad_id, device)
    metrics |= {"step": state["step"], "examples_seen": state["seen"], "train_loss": round(train_loss, 4),
                "minutes": round(elapsed / 60, 1)}
    state["history"].append(metrics)
    log.info("step %d: validation loss %.4f, teacher-forced exact %.4f", state["step"], metrics["loss"],
             metrics["exact"])
    if metrics["loss"] < state["best"]:
        state["best"], state["best_metrics"] = metrics["loss"], metrics
        save_reader(model, out / "best", manifest | {"metrics": {"validation": metrics}})
    _save_state(out / "last", model, optim, sched, state, manifest)


def _save_state(path: Path, model, optim, sched, state, manifest) -> None:
    import torch

    path.mkdir(parents=True, exist_ok=True)
    trainable = {n for n, p in model.named_parameters() if p.requires_grad}
    weights = {k: v.detach().cpu() for k, v in model.state_dict().items() if k in trainable}
    saved = {"weights": weights, "optimizer": optim.state_dict(), "scheduler": sched.state_dict(), "state": state}
    write_file_atomic(path / "trainer_state.pt", lambda tmp: torch.save(saved, tmp))
    write_text_atomic(path / MANIFEST, json.dumps(manifest, indent=2, default=str))


def _load_state(path: Path, model, optim, sched, device) -> dict:
    import torch

    from kgreason.models.classifier import is_weights_error

    file = path / "trainer_state.pt" if path.is_dir() else path
    if not file.exists():
        raise InputError(f"no trainer_state.pt in {path}", hint="resume from a reader run's last/ folder")
    try:
        saved = torch.load(file, map_location=device, weights_only=True)
    except Exception as exc:
        if not is_weights_error(exc):
            raise
        raise InputError(f"{file.name} is not a valid trainer state (damaged, or a pickle holding more "
                         "than tensors)", where=str(file),
                         hint="resume from the last/ folder of a `kgreason train reader` run") from None
    own = set(model.state_dict())
    if set(saved["weights"]) - own:
        raise InputError(f"checkpoint {path} does not match this model", where=str(path),
                         hint="resume with the same --base and --lora-r")
    model.load_state_dict(saved["weights"], strict=False)
    optim.load_state_dict(saved["optimizer"])
    sched.load_state_dict(saved["scheduler"])
    return saved["state"]
