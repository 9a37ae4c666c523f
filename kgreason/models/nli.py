"""The NLI verifier: does a short set of facts entail, contradict, or say nothing about a statement?

A cross-encoder over (premise, hypothesis). Any HF sequence-classification checkpoint works (label
names come from its ``config.id2label``); the default is our LoRA adapter over the packaged MiniLM
(kgreason/models/default_nli, trained by ``kgreason train nli``). It does not chain: give it the
facts that matter (asserted, derived, proof steps) — the reasoner does the chaining.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from kgreason.core import Judgement
from kgreason.errors import ModelError
from kgreason.language.verbalize import sentence

log = logging.getLogger(__name__)

ENTAILMENT, NEUTRAL, CONTRADICTION = "entailment", "neutral", "contradiction"
NLI_LABELS = (ENTAILMENT, NEUTRAL, CONTRADICTION)
_SYNONYMS = {"entailment": ENTAILMENT, "entailed": ENTAILMENT, "entails": ENTAILMENT, "neutral": NEUTRAL,
             "contradiction": CONTRADICTION, "contradicted": CONTRADICTION, "contradicts": CONTRADICTION,
             "not_entailment": NEUTRAL}


def normalize_labels(id2label: dict[int, str]) -> list[str]:
    """Checkpoint label names → ours ("ENTAILMENT" → "entailment"); fails clearly on LABEL_0 etc."""
    names = []
    for i in sorted(id2label):
        name = _SYNONYMS.get(str(id2label[i]).strip().lower())
        if name is None:
            raise ModelError(
                f"the model's label {id2label[i]!r} is not an NLI label",
                hint="use a checkpoint whose config.id2label names entailment/neutral/contradiction",
            )
        names.append(name)
    return names


class NLIVerifier:
    """Lazy: the model loads on first use (``warm_up``). ``model=None`` is the shipped default."""

    def __init__(self, model: str | None = None, device: str | None = None, *, max_length: int | None = None,
                 batch_size: int = 32):
        self.model_name = model
        self.device_pref = device
        self.max_length = max_length
        self.batch_size = batch_size
        self._model = None
        self._tokenizer = None
        self.manifest: dict[str, Any] = {}
        self.labels: list[str] = []
        self.device = "cpu"

    def warm_up(self) -> NLIVerifier:
        if self._model is not None:
            return self
        from kgreason.extras import require

        require("models", "torch", "transformers", "peft", "safetensors", what="the NLI verifier")
        from kgreason.models.classifier import load_classifier
        from kgreason.models.device import configure_threads, inference_dtype, select_device

        configure_threads()
        self.device = select_device(self.device_pref)
        model, tokenizer, manifest = load_classifier(self.model_name)
        self.labels = normalize_labels(model.config.id2label)
        self.max_length = self.max_length or int(manifest.get("max_length") or 256)
        model.to(self.device, dtype=inference_dtype(self.device)).eval()
        self._model, self._tokenizer, self.manifest = model, tokenizer, manifest
        log.info("NLI verifier %s on %s (labels %s)", manifest.get("name"), self.device, self.labels)
        return self

    @property
    def id(self) -> str:
        return str(self.model_name or "default-nli")

    def predict(self, pairs: Sequence[tuple[str, str]], batch_size: int | None = None) -> list[Judgement]:
        """One prediction per (premise, hypothesis), in input order; batched by length."""
        import torch

        if not pairs:
            return []
        self.warm_up()
        batch_size = batch_size or self.batch_size
        enc = self._tokenizer([p for p, _ in pairs], [h for _, h in pairs], truncation=True,
                              max_length=self.max_length)
        order = sorted(range(len(pairs)), key=lambda i: len(enc["input_ids"][i]))
        keys = [k for k in ("input_ids", "attention_mask", "token_type_ids") if k in enc]
        out: list[Judgement | None] = [None] * len(pairs)
        with torch.inference_mode():
            for start in range(0, len(order), batch_size):
                idx = order[start:start + batch_size]
                batch = self._tokenizer.pad({k: [enc[k][i] for i in idx] for k in keys}, return_tensors="pt")
                batch = {k: v.to(self.device) for k, v in batch.items()}
                probs = torch.softmax(self._model(**batch).logits.float(), dim=-1).cpu().tolist()
                for i, row in zip(idx, probs):
                    named = {self.labels[j]: p for j, p in enumerate(row)}
                    for label in NLI_LABELS:
                        named.setdefault(label, 0.0)
                    out[i] = Judgement(max(named, key=named.get), named)
        return out  # type: ignore[return-value]

    def verify(self, facts: Sequence[str], hypothesis: str) -> Judgement:
        """Judge ``hypothesis`` against ``facts``; long fact lists are split into windows that fit,
        and the window that decides most (lowest neutral probability) gives the answer."""
        return self.verify_many([(facts, hypothesis)])[0]

    def verify_many(self, items: Sequence[tuple[Sequence[str], str]]) -> list[Judgement]:
        """:meth:`verify` for many (facts, hypothesis) items with one batched :meth:`predict`:
        every window of every item is scored together (evaluation judges thousands)."""
        results: list[Judgement | None] = [None] * len(items)
        pairs: list[tuple[str, str]] = []
        owner: list[int] = []
        for i, (facts, hypothesis) in enumerate(items):
            facts = list(dict.fromkeys(f.strip() for f in facts if f and f.strip()))  # proofs repeat steps
            if not facts:
                results[i] = Judgement(NEUTRAL, {ENTAILMENT: 0.0, NEUTRAL: 1.0, CONTRADICTION: 0.0})
                continue
            self.warm_up()
            for window in self._windows(facts, hypothesis):
                pairs.append((window, hypothesis))
                owner.append(i)
        for i, pred in zip(owner, self.predict(pairs)):
            best = results[i]
            if best is None or pred.probs[NEUTRAL] < best.probs[NEUTRAL]:
                results[i] = pred
        return results  # type: ignore[return-value]

    def _windows(self, facts: list[str], hypothesis: str) -> list[str]:
        budget = self.max_length - len(self._tokenizer(hypothesis)["input_ids"]) - 2
        windows, current, used = [], [], 0
        for fact in facts:
            n = len(self._tokenizer(fact, add_special_tokens=False)["input_ids"])
            if current and used + n > budget:
                windows.append(" ".join(current))
                current, used = [], 0
            current.append(sentence(fact))
            used += n
        windows.append(" ".join(current))
        return windows
