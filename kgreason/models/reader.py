"""The neural reader: free English (a sentence or a yes/no question) → controlled English.

A causal LM fine-tuned with LoRA by ``kgreason train reader`` (see
:mod:`kgreason.models.reader_training`) reads ``"Rewrite in simple sentences: <sentence>\\n"`` and
writes the controlled sentences the exact parser reads ("Alan is nice. Alan is green."), or for a
question the statement it asks about. Decoding is batched and greedy with a KV cache (left padding,
stops at the end-of-sequence token or a newline); the LoRA weights are merged into the base at load.
Each :class:`Proposal` carries a confidence: the geometric mean of the generated tokens'
probabilities. A proposal is only a proposal — the language layer confirms it (parser, names,
verifier) before anything is believed.
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from kgreason.errors import ModelError

log = logging.getLogger(__name__)

#: The shipped adapter (LoRA over the packaged SmolLM2-135M-Instruct), see its README.md.
DEFAULT_READER_DIR = Path(__file__).with_name("default_reader")
MANIFEST = "kgreason_reader.json"
_HINT = ("pass the best/ folder of a `kgreason train reader` run (adapter_config.json + "
         "adapter_model.safetensors + kgreason_reader.json), or omit the option to use the shipped reader")


@dataclass(frozen=True)
class Proposal:
    """``text``: controlled English the exact parser should read (for a question: the statement it
    asks about); ``confidence``: geometric mean of the generated tokens' probabilities, in [0, 1]."""

    text: str
    confidence: float

    def to_json(self) -> dict:
        return {"text": self.text, "confidence": round(self.confidence, 4)}

    def __iter__(self):  # ``text, confidence = proposal``
        return iter((self.text, self.confidence))


def _folder(model: str | Path | None) -> Path:
    """The adapter folder for ``model`` ("default"/None = the shipped one; a run folder → its best/)."""
    if model is None or str(model) == "default":
        if not (DEFAULT_READER_DIR / "adapter_config.json").exists():
            raise ModelError(f"the shipped neural reader is missing from {DEFAULT_READER_DIR}",
                             hint="reinstall kgreason, or train one: kgreason train reader --out DIR "
                                  "(then pass DIR/best)")
        return DEFAULT_READER_DIR
    path = Path(model).expanduser()
    if not path.exists():
        raise ModelError(f"reader model {str(model)!r} does not exist", hint=_HINT)
    if not path.is_dir():
        raise ModelError(f"{path} is a file, not a reader folder", hint=_HINT)
    if not (path / "adapter_config.json").exists() and (path / "best" / "adapter_config.json").exists():
        return path / "best"
    if not (path / "adapter_config.json").exists() and not (path / "config.json").exists():
        raise ModelError(f"{path} holds no reader (no adapter_config.json or config.json)", hint=_HINT)
    return path


def _load(folder: Path):
    """(model, tokenizer, manifest): LoRA merged into its base, or a full causal LM folder."""
    from kgreason.models.classifier import is_weights_error, weights_error
    from kgreason.models.reader_training import load_base

    manifest_file = folder / MANIFEST
    manifest = json.loads(manifest_file.read_text()) if manifest_file.exists() else {}
    try:
        if (folder / "adapter_config.json").exists():
            from peft import PeftModel

            base = manifest.get("base") or json.loads((folder / "adapter_config.json").read_text()).get(
                "base_model_name_or_path")
            if not base:
                raise ModelError(f"{folder} does not name its base model", hint=_HINT)
            model, tokenizer = load_base(base)
            model = PeftModel.from_pretrained(model, folder).merge_and_unload()
        else:
            model, tokenizer = load_base(str(folder))
    except ModelError:
        raise
    except Exception as exc:
        if is_weights_error(exc):
            raise weights_error(folder, exc, hint=_HINT) from None
        if not isinstance(exc, OSError | ValueError | KeyError | RuntimeError):
            raise
        raise ModelError(f"cannot load a reader from {folder}: {str(exc).splitlines()[0]}", hint=_HINT) from exc
    return model, tokenizer, manifest


def _stop_ids(tokenizer) -> list[int]:
    """End of sequence and every token that holds a newline (byte-level "Ċ", SentencePiece "<0x0A>")."""
    ids = {tokenizer.eos_token_id}
    for tok, i in tokenizer.get_vocab().items():
        if "Ċ" in tok or "\n" in tok or tok == "<0x0A>":
            ids.add(i)
    return sorted(i for i in ids if i is not None)


class NeuralReader:
    """``NeuralReader()`` = the shipped adapter; ``NeuralReader("runs/reader/best")`` = one you trained."""

    def __init__(self, model: str | Path | None = "default", *, device: str | None = None,
                 max_new_tokens: int = 128):
        import torch

        from kgreason.models.device import configure_threads, inference_dtype, select_device
        from kgreason.models.reader_data import PROMPT

        self.folder = _folder(model)
        self.name = "default" if model is None or str(model) == "default" else str(model)
        configure_threads()
        self.device = select_device(device)
        model_, tokenizer, self.manifest = _load(self.folder)
        tokenizer.padding_side = "left"
        self._model = model_.to(self.device, dtype=inference_dtype(self.device)).eval()
        self._tokenizer = tokenizer
        self._prompt = PROMPT
        self._stops = torch.tensor(_stop_ids(tokenizer), device=self.device)
        self.max_new_tokens = max_new_tokens

    def propose(self, sentences: Sequence[str], *, batch_size: int = 16) -> list[Proposal]:
        """One :class:`Proposal` per sentence, in order (an empty sentence gets an empty proposal)."""
        if isinstance(sentences, str):
            sentences = [sentences]
        from kgreason.models.reader_data import prompt

        texts = [" ".join(str(s).split()) for s in sentences]
        results: list[Proposal | None] = [None] * len(texts)
        todo = [i for i, t in enumerate(texts) if t]
        for i, t in enumerate(texts):
            if not t:
                results[i] = Proposal("", 0.0)
        if todo:
            enc = self._tokenizer([prompt(texts[i]) for i in todo], add_special_tokens=False)["input_ids"]
            order = sorted(range(len(todo)), key=lambda k: len(enc[k]))  # little padding per batch
            size = max(1, batch_size)
            for start in range(0, len(order), size):
                chunk = order[start:start + size]
                for k, proposal in zip(chunk, self._decode([enc[k] for k in chunk])):
                    results[todo[k]] = proposal
        return [p if p is not None else Proposal("", 0.0) for p in results]

    def _decode(self, prompts: list[list[int]]) -> list[Proposal]:
        """Greedy decoding of a batch with a KV cache; left padding keeps the last column aligned."""
        import torch

        pad = self._tokenizer.pad_token_id
        width = max(len(p) for p in prompts)
        ids = torch.full((len(prompts), width), pad, dtype=torch.long)
        mask = torch.zeros((len(prompts), width), dtype=torch.long)
        for i, p in enumerate(prompts):
            ids[i, width - len(p):] = torch.tensor(p)
            mask[i, width - len(p):] = 1
        ids, mask = ids.to(self.device), mask.to(self.device)
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        # each sentence's own budget (a reading is rarely twice as long as its sentence), so a
        # sentence reads the same whatever batch it is in
        limits = torch.tensor([min(self.max_new_tokens, 16 + 2 * len(p)) for p in prompts], device=self.device)
        n = len(prompts)
        tokens: list[list[int]] = [[] for _ in range(n)]
        logprob = torch.zeros(n, dtype=torch.float64, device=self.device)
        count = torch.zeros(n, dtype=torch.long, device=self.device)
        done = torch.zeros(n, dtype=torch.bool, device=self.device)
        with torch.inference_mode():
            out = self._model(input_ids=ids, attention_mask=mask, position_ids=positions, use_cache=True,
                              logits_to_keep=1)
            for _ in range(int(limits.max())):
                logp = torch.log_softmax(out.logits[:, -1].float(), dim=-1)
                best, nxt = logp.max(-1)
                live = ~done
                logprob += torch.where(live, best.double(), torch.zeros_like(logprob))
                count += live.long()
                for i in torch.nonzero(live).flatten().tolist():
                    tokens[i].append(int(nxt[i]))
                done |= torch.isin(nxt, self._stops) | (count >= limits)
                if bool(done.all()):
                    break
                mask = torch.cat([mask, torch.ones((n, 1), dtype=mask.dtype, device=self.device)], dim=1)
                positions = positions[:, -1:] + 1
                out = self._model(input_ids=nxt[:, None], attention_mask=mask, position_ids=positions,
                                  cache=out.cache, use_cache=True)
        proposals = []
        for i in range(n):
            text = self._tokenizer.decode(tokens[i], skip_special_tokens=True).split("\n", 1)[0]
            conf = math.exp(float(logprob[i]) / int(count[i])) if int(count[i]) else 0.0
            proposals.append(Proposal(" ".join(text.split()), min(1.0, max(0.0, conf))))
        return proposals


@lru_cache(maxsize=4)
def _cached(model: str, device: str | None) -> NeuralReader:
    return NeuralReader(model, device=device)


def load_reader(model: str | Path | None = "default", device: str | None = None) -> NeuralReader:
    """A :class:`NeuralReader`, loaded once per (model, device) in a process."""
    key = "default" if model is None or str(model) == "default" else str(Path(model).expanduser().resolve())
    return _cached(key, device)
