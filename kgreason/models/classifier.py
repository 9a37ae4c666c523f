"""Sequence-pair classifiers on disk: a full HF checkpoint, or a LoRA adapter + head over a base.

Our checkpoints carry ``kgreason_nli.json`` (labels, base model name, max length, metrics, recipe)
so that a LoRA folder can name its base by a packaged name ("minilm") instead of a machine path.
"""

from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kgreason.errors import ModelError
from kgreason.files import replace_dir_atomic
from kgreason.models.resolve import resolve_model

log = logging.getLogger(__name__)

MANIFEST = "kgreason_nli.json"
NLI_LABELS = ("entailment", "neutral", "contradiction")
LORA_TARGETS = ("query", "key", "value", "dense")


@contextmanager
def quiet_transformers():
    """Hide the expected "newly initialized classifier" notices while building a head."""
    from transformers.utils import logging as hf_logging

    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(level)


def build_classifier(base: str, labels: tuple[str, ...] = NLI_LABELS, *, lora: bool = False,
                     lora_r: int = 16, lora_alpha: int = 32, lora_dropout: float = 0.05):
    """A fresh pair classifier over ``base`` (a BERT-family encoder); LoRA leaves the base frozen."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    path = resolve_model(base).path
    id2label = dict(enumerate(labels))
    try:
        with quiet_transformers():
            model = AutoModelForSequenceClassification.from_pretrained(
                path, num_labels=len(labels), id2label=id2label, label2id={v: k for k, v in id2label.items()})
        tokenizer = AutoTokenizer.from_pretrained(path)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot build a classifier over {base!r}: {exc}",
                         hint="use a BERT-family encoder folder (config.json + weights + tokenizer)") from exc
    if lora:
        from peft import LoraConfig, TaskType, get_peft_model

        names = {n.rsplit(".", 1)[-1] for n, _ in model.named_modules()}
        targets = [t for t in LORA_TARGETS if t in names] or ["query", "value"]
        head = [m for m in ("classifier", "pooler", "score") if m in names or hasattr(model, m)]
        cfg = LoraConfig(task_type=TaskType.SEQ_CLS, r=lora_r, lora_alpha=lora_alpha, lora_dropout=lora_dropout,
                         target_modules=targets, modules_to_save=head)
        model = get_peft_model(model, cfg)
    return model, tokenizer


def save_classifier(model, tokenizer, out_dir: str | Path, manifest: dict[str, Any]) -> Path:
    """Weights as safetensors (+ the tokenizer for full checkpoints) and the manifest; the folder
    is replaced as a whole."""

    def write(folder: Path) -> None:
        model.save_pretrained(folder, safe_serialization=True)
        if not manifest.get("lora"):
            tokenizer.save_pretrained(folder)
        (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, default=str))

    # a kill mid-save (training keeps best/ up to date) leaves the previous checkpoint whole
    return replace_dir_atomic(Path(out_dir), write)


def read_manifest(path: Path) -> dict[str, Any]:
    f = Path(path) / MANIFEST
    return json.loads(f.read_text()) if f.exists() else {}


_WEIGHT_SUFFIXES = (".bin", ".safetensors", ".pt", ".pth")


_CLASSIFIER_HINT = ("replace the folder with one written by `kgreason train nli` (weights as .safetensors) "
                    "or a checkpoint from a source you trust, or omit --nli-model to use the packaged verifier")


_WEIGHT_READERS = ("torch/serialization.py", "torch/_weights_only_unpickler.py", "safetensors/torch.py")


def is_weights_error(exc: BaseException) -> bool:
    """Whether loading failed on the weights file itself (a pickle the safe loader refuses,
    damaged bytes): raised inside torch's or safetensors' reader, whatever its type (damaged
    bytes give IndexError, KeyError, UnicodeDecodeError...), or wrapped by a library."""
    import pickle

    seen: BaseException | None = exc
    for _ in range(5):  # the exception and what it wraps
        if seen is None:
            break
        if isinstance(seen, pickle.UnpicklingError) or type(seen).__name__ == "SafetensorError" \
                or "weights_only" in str(seen) or "PytorchStreamReader" in str(seen):
            return True
        tb = seen.__traceback__
        while tb is not None:
            if tb.tb_frame.f_code.co_filename.replace("\\", "/").endswith(_WEIGHT_READERS):
                return True
            tb = tb.tb_next
        seen = seen.__cause__ or seen.__context__
    return False


def weights_error(path: Path, exc: BaseException, *, hint: str) -> ModelError:
    """One line that names the weights file and how to get a good one. Torch's own text is not
    repeated: it suggests loading the file with pickle enabled, which would run its code."""
    folder = Path(path) if Path(path).is_dir() else Path(path).parent
    files = sorted(p.name for p in folder.iterdir() if p.suffix in _WEIGHT_SUFFIXES)
    what = "damaged, or a pickle holding more than tensors, which is refused because loading it could run code" \
        if "weights only" in str(exc).lower() else "damaged or in another format"
    return ModelError(
        f"{', '.join(files) or 'the weights file'} is not a valid weights file ({what})",
        where=str(path),
        hint=hint,
    )


def load_classifier(name: str | Path | None, *, merge: bool = True):
    """(model, tokenizer, manifest) for any HF sequence-classification checkpoint or our LoRA folder."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    resolved = resolve_model(name, default="default-nli")
    path = resolved.path
    manifest = read_manifest(path)
    try:
        if (path / "adapter_config.json").exists():
            base = manifest.get("base") or json.loads((path / "adapter_config.json").read_text())[
                "base_model_name_or_path"]
            labels = tuple(manifest.get("labels") or NLI_LABELS)

            def build(merged: bool):
                from peft import PeftModel

                base_path = resolve_model(base).path
                id2label = dict(enumerate(labels))
                with quiet_transformers():
                    model = AutoModelForSequenceClassification.from_pretrained(
                        base_path, num_labels=len(labels), id2label=id2label,
                        label2id={v: k for k, v in id2label.items()})
                model = PeftModel.from_pretrained(model, path)
                if merged:
                    model = model.merge_and_unload()
                return model, AutoTokenizer.from_pretrained(base_path)

            if merge:  # merged once, then loaded from the user cache without peft
                from kgreason.models.merged_cache import load_or_merge

                def cached(folder: Path):
                    with quiet_transformers():
                        return (AutoModelForSequenceClassification.from_pretrained(folder),
                                AutoTokenizer.from_pretrained(folder))

                model, tokenizer = load_or_merge(path, "nli", cached, lambda: build(True))
            else:
                model, tokenizer = build(False)
        else:
            model = AutoModelForSequenceClassification.from_pretrained(path)
            tokenizer = AutoTokenizer.from_pretrained(path)
    except Exception as exc:
        if is_weights_error(exc):  # a weights file torch or safetensors refuses (a pickle, bad bytes)
            raise weights_error(path, exc, hint=_CLASSIFIER_HINT) from None
        if not isinstance(exc, OSError | ValueError | KeyError):
            raise
        raise ModelError(f"cannot load a sequence classifier from {path}: {exc}",
                         hint="pass a HF sequence-classification checkpoint or a folder written by "
                         "`kgreason train nli`") from exc
    manifest.setdefault("name", resolved.name)
    manifest.setdefault("source", resolved.source)
    return model, tokenizer, manifest
