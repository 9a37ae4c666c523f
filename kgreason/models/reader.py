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
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kgreason.errors import ModelError

log = logging.getLogger(__name__)

#: The shipped adapter (LoRA over the packaged SmolLM2-135M-Instruct), see its README.md.
DEFAULT_READER_DIR = Path(__file__).with_name("default_reader")
MANIFEST = "kgreason_reader.json"
#: Read in bfloat16 on CPUs that compute it natively (AVX-512 BF16, AMX); see benchmarks/README.md.
CPU_BF16 = True
#: Greedy decodes kept (with their close calls) so that alternatives() need not decode again.
RECENT = 4096
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
                             hint="reinstall kgreason, or train one: kgreason train reader --data FILE -o DIR "
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
            from kgreason.models.merged_cache import load_or_merge

            base = manifest.get("base") or json.loads((folder / "adapter_config.json").read_text()).get(
                "base_model_name_or_path")
            if not base:
                raise ModelError(f"{folder} does not name its base model", hint=_HINT)

            def merge():
                from peft import PeftModel

                model, tokenizer = load_base(base)
                return PeftModel.from_pretrained(model, folder).merge_and_unload(), tokenizer

            def cached(path: Path):
                return load_base(str(path))

            model, tokenizer = load_or_merge(folder, "reader", cached, merge)
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


def _dtype(device: str, name: str | None):
    """``name`` ("float32", "bfloat16", "float16") as a torch dtype; None/"auto": bfloat16 on a CPU
    with AVX-512 BF16 or AMX when :data:`CPU_BF16` (else the device's default)."""
    import torch

    if name and name != "auto":
        try:
            return {"float32": torch.float32, "bfloat16": torch.bfloat16, "float16": torch.float16}[name]
        except KeyError:
            raise ModelError(f"unknown reader dtype {name!r}", hint="use float32, bfloat16, float16 or auto") from None
    if CPU_BF16 and device == "cpu" and (torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()):
        return torch.bfloat16
    return None


class NeuralReader:
    """``NeuralReader()`` = the shipped adapter; ``NeuralReader("runs/reader/best")`` = one you trained."""

    def __init__(self, model: str | Path | None = "default", *, device: str | None = None,
                 max_new_tokens: int = 128, restrict_vocabulary: bool = True, dtype: str | None = None):
        from kgreason.extras import require

        require("models", "torch", "transformers", "peft", "safetensors", what="the neural reader")
        import torch

        from kgreason.models.device import configure_threads, inference_dtype, select_device
        from kgreason.models.reader_data import PROMPT

        self.folder = _folder(model)
        self.name = "default" if model is None or str(model) == "default" else str(model)
        configure_threads()
        self.device = select_device(device)
        model_, tokenizer, self.manifest = _load(self.folder)
        tokenizer.padding_side = "left"
        self.dtype = _dtype(self.device, dtype) or inference_dtype(self.device)
        self._model = model_.to(self.device, dtype=self.dtype).eval()
        self._tokenizer = tokenizer
        self._prompt = PROMPT
        self._stops = torch.tensor(_stop_ids(tokenizer), device=self.device)
        self.max_new_tokens = max_new_tokens
        self._recent: OrderedDict[str, _Decoded] = OrderedDict()  # last greedy decodes, for alternatives
        #: the sentences of the last propose() that its deadline stopped
        self.stopped: list[str] = []
        # decoding restricted to the sentence's words and the controlled language's (see
        # reader_vocabulary): faithful readings, and an output layer of ~200 rows instead of ~49k
        head = self._model.get_output_embeddings()
        self.restrict_vocabulary = bool(restrict_vocabulary and head is not None
                                        and getattr(head, "bias", None) is None)
        if self.restrict_vocabulary:
            from kgreason.models.reader_vocabulary import OutputVocabulary

            self._vocabulary = OutputVocabulary(tokenizer, always=self._stops.tolist())
            self._out_weight = head.weight

    def propose(self, sentences: Sequence[str], *, batch_size: int = 16,
                seconds: float | None = None) -> list[Proposal]:
        """One :class:`Proposal` per sentence, in order (an empty sentence gets an empty proposal).
        With ``seconds``, decoding stops at that deadline: the sentences not read by then get an
        empty proposal and are listed in :attr:`stopped` (their reading is never cut short)."""
        import time

        if isinstance(sentences, str):
            sentences = [sentences]
        deadline = time.monotonic() + seconds if seconds else None
        decoded = self._greedy(sentences, batch_size, branches=True, deadline=deadline)
        self.stopped = [s for s, d in zip(sentences, decoded) if d is not None and d.stopped]
        decoded = [None if d is not None and d.stopped else d for d in decoded]
        for d in decoded:  # kept for alternatives(): their close calls are already known
            if d is not None:
                self._recent[d.sentence] = d
                self._recent.move_to_end(d.sentence)
        while len(self._recent) > RECENT:
            self._recent.popitem(last=False)
        return [self._proposal(d) if d is not None else Proposal("", 0.0) for d in decoded]

    def alternatives(self, sentences: Sequence[str], *, k: int = 4, batch_size: int = 16) -> list[list[Proposal]]:
        """Up to ``k`` readings of each sentence, best first by confidence, the greedy one among
        them. The others branch where the greedy reading was least sure: at each of the ``k - 1``
        steps with the smallest margin between the best and the second-best token, the second-best
        token is taken instead and decoding goes on greedily ("If someone is nice *and* round then
        …" where the greedy reading said "nice *then*"). One batched decode for all branches — much
        cheaper than beam search, and it explores exactly the reader's close calls."""
        if isinstance(sentences, str):
            sentences = [sentences]
        texts = [" ".join(str(s).split()) for s in sentences]
        missing = [t for t in texts if t and t not in self._recent]
        fresh = dict(zip(missing, self._greedy(missing, batch_size, branches=True))) if missing else {}
        greedy = [self._recent.get(t) or fresh.get(t) for t in texts]
        branch_rows: list[tuple[int, list[int], list[int], list[float]]] = []
        for i, d in enumerate(greedy):
            if d is None:
                continue
            # a close call at step p: (margin, p, second token, its log-probability)
            calls = sorted(d.seconds, key=lambda c: c[0])[: max(0, k - 1)]
            for _, p, token, lp in calls:
                branch_rows.append((i, d.prompt + d.tokens[:p] + [token], d.tokens[:p] + [token],
                                    d.logps[:p] + [lp]))
        out: list[list[Proposal]] = [[self._proposal(d)] if d is not None else [] for d in greedy]
        if branch_rows:
            order = sorted(range(len(branch_rows)), key=lambda r: len(branch_rows[r][1]))
            for start in range(0, len(order), max(1, batch_size)):
                chunk = order[start:start + max(1, batch_size)]
                rows = [branch_rows[r] for r in chunk]
                limits = [max(0, greedy[i].limit - len(prefix)) for i, _, prefix, _ in rows]
                continued = self._decode([ids for _, ids, _, _ in rows], [greedy[i].sentence for i, *_ in rows],
                                         limits=limits, prefixes=[prefix for *_, prefix, _ in rows])
                for (i, _, prefix, logps), cont in zip(rows, continued):
                    whole = _Decoded(greedy[i].sentence, greedy[i].prompt, prefix + cont.tokens,
                                     logps + cont.logps, greedy[i].limit)
                    out[i].append(self._proposal(whole))
        for i, props in enumerate(out):
            seen: set[str] = set()
            unique = []
            for prop in sorted(props, key=lambda p: -p.confidence):
                if prop.text and prop.text not in seen:
                    seen.add(prop.text)
                    unique.append(prop)
            out[i] = unique[:k]
        return out

    # ------------------------------------------------------------------ decoding
    def _greedy(self, sentences: Sequence[str], batch_size: int, branches: bool = False,
                deadline: float | None = None) -> list[_Decoded | None]:
        import time

        from kgreason.models.reader_data import prompt

        texts = [" ".join(str(s).split()) for s in sentences]
        results: list[_Decoded | None] = [None] * len(texts)
        todo = [i for i, t in enumerate(texts) if t]
        if todo:
            enc = self._tokenizer([prompt(texts[i]) for i in todo], add_special_tokens=False)["input_ids"]
            order = sorted(range(len(todo)), key=lambda k: len(enc[k]))  # little padding per batch
            size = max(1, batch_size)
            for start in range(0, len(order), size):
                chunk = order[start:start + size]
                if deadline is not None and time.monotonic() > deadline:  # not started: stopped
                    for k in chunk:
                        results[todo[k]] = _Decoded(texts[todo[k]], list(enc[k]), [], [], 0, stopped=True)
                    continue
                decoded = self._decode([enc[k] for k in chunk], [texts[todo[k]] for k in chunk], branches=branches,
                                       deadline=deadline)
                for k, d in zip(chunk, decoded):
                    results[todo[k]] = d
        return results

    def _proposal(self, d: _Decoded) -> Proposal:
        text = self._tokenizer.decode(d.tokens, skip_special_tokens=True).split("\n", 1)[0]
        conf = math.exp(sum(d.logps) / len(d.logps)) if d.logps else 0.0
        return Proposal(" ".join(text.split()), min(1.0, max(0.0, conf)))

    def _decode(self, prompts: list[list[int]], sentences: list[str], *, limits: list[int] | None = None,
                prefixes: list[list[int]] | None = None, branches: bool = False,
                deadline: float | None = None) -> list[_Decoded]:
        """Greedy decoding of a batch with a KV cache; left padding keeps the last column aligned;
        finished rows leave the batch; with ``restrict_vocabulary`` each row may only write the
        tokens its sentence allows (the output layer is computed for their union only).
        ``prefixes``: tokens already written (part of the prompt), which may already end the
        reading; ``branches``: record each step's second-best token and its margin."""
        import time

        import torch

        n = len(prompts)
        # each sentence's own budget (a reading is rarely twice as long as its sentence), so a
        # sentence reads the same whatever batch it is in
        if limits is None:
            limits = [min(self.max_new_tokens, 16 + 2 * len(p)) for p in prompts]
        out = [_Decoded(sentences[i], list(prompts[i]), [], [], limits[i]) for i in range(n)]
        stops = set(self._stops.tolist())
        # rows still decoding (indices into ``out``); a row whose prefix already ended never enters
        alive = [i for i in range(n)
                 if limits[i] > 0 and not (prefixes and prefixes[i] and prefixes[i][-1] in stops)]
        if not alive:
            return out
        pad = self._tokenizer.pad_token_id
        width = max(len(prompts[i]) for i in alive)
        ids = torch.full((len(alive), width), pad, dtype=torch.long)
        mask = torch.zeros((len(alive), width), dtype=torch.long)
        for row, i in enumerate(alive):
            ids[row, width - len(prompts[i]):] = torch.tensor(prompts[i])
            mask[row, width - len(prompts[i]):] = 1
        ids, mask = ids.to(self.device), mask.to(self.device)
        positions = (mask.cumsum(-1) - 1).clamp(min=0)
        if self.restrict_vocabulary:
            allowed = [self._vocabulary.allowed(s) for s in sentences]
            union = sorted(set().union(*allowed))
            column = {t: j for j, t in enumerate(union)}
            union_ids = torch.tensor(union, device=self.device)
            bias = torch.full((n, len(union)), float("-inf"), device=self.device)
            for i, row in enumerate(allowed):
                bias[i, [column[t] for t in row]] = 0.0
            weight = self._out_weight.detach()[union_ids]

            def step(**kwargs):
                result = self._model.base_model(**kwargs)
                return (result.last_hidden_state[:, -1] @ weight.T).float() + bias[alive], result.cache, union_ids
        else:
            def step(**kwargs):
                result = self._model(**kwargs, logits_to_keep=1)
                return result.logits[:, -1].float(), result.cache, None

        with torch.inference_mode():
            logits, cache, ids_of = step(input_ids=ids, attention_mask=mask, position_ids=positions,
                                         use_cache=True)
            while True:
                logp = torch.log_softmax(logits, dim=-1)
                top = logp.topk(2, dim=-1) if branches else None
                best, nxt = logp.max(-1)
                if ids_of is not None:
                    nxt = ids_of[nxt]
                stop = torch.isin(nxt, self._stops).tolist()
                keep = []
                for j, (i, token, lp) in enumerate(zip(alive, nxt.tolist(), best.tolist())):
                    row = out[i]
                    if top is not None and top.values.shape[-1] > 1 and math.isfinite(float(top.values[j, 1])):
                        second = int(top.indices[j, 1])
                        second = int(ids_of[second]) if ids_of is not None else second
                        row.seconds.append((lp - float(top.values[j, 1]), len(row.tokens), second,
                                            float(top.values[j, 1])))
                    row.tokens.append(token)
                    row.logps.append(lp)
                    if not stop[j] and len(row.tokens) < row.limit:
                        keep.append(j)
                if not keep:
                    break
                if deadline is not None and time.monotonic() > deadline:  # the rest are not read
                    for j in keep:
                        out[alive[j]].stopped = True
                    break
                if len(keep) < len(alive):
                    index = torch.tensor(keep, device=self.device)
                    cache.batch_select_indices(index)
                    alive = [alive[j] for j in keep]
                    nxt, mask, positions = nxt[index], mask[index], positions[index]
                mask = torch.cat([mask, torch.ones((len(alive), 1), dtype=mask.dtype, device=self.device)], dim=1)
                positions = positions[:, -1:] + 1
                logits, cache, _ = step(input_ids=nxt[:, None], attention_mask=mask, position_ids=positions,
                                        cache=cache, use_cache=True)
        return out


@dataclass
class _Decoded:
    """One row of a decode: its sentence and prompt ids, the tokens written with their
    log-probabilities, its token budget, and (when asked) the close calls: (margin, step, the
    second-best token, its log-probability)."""

    sentence: str
    prompt: list[int]
    tokens: list[int]
    logps: list[float]
    limit: int
    seconds: list[tuple[float, int, int, float]] = field(default_factory=list)
    #: decoding stopped at the deadline before this row ended (its reading is not used)
    stopped: bool = False


@lru_cache(maxsize=4)
def _cached(model: str, device: str | None) -> NeuralReader:
    return NeuralReader(model, device=device)


def load_reader(model: str | Path | None = "default", device: str | None = None) -> NeuralReader:
    """A :class:`NeuralReader`, loaded once per (model, device) in a process."""
    key = "default" if model is None or str(model) == "default" else str(Path(model).expanduser().resolve())
    return _cached(key, device)
