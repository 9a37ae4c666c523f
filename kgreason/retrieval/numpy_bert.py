"""A NumPy forward pass for BERT-family sentence-transformers models (mean pooling + normalize).

Why write this: a question must be embedded on every ``kgreason ask``, and importing torch +
sentence-transformers costs seconds of start-up on a laptop CPU, which is most of a cold CLI call.
This encoder reads the same ``model.safetensors`` and ``tokenizer.json`` (tokenizers and safetensors
are small Rust libraries that import in milliseconds) and computes the same vectors as
sentence-transformers to float32 precision (tested), so the FAISS index built by
sentence-transformers can be queried without torch. It supports what all-MiniLM-L6-v2 uses:
absolute positions, GELU, mean pooling, L2 normalization; other architectures use
sentence-transformers.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from kgreason.errors import ModelError

_SQRT2 = math.sqrt(2.0)


def supports(model_dir: str | Path) -> bool:
    """True when ``model_dir`` is a local BERT sentence-transformers folder this encoder can run."""
    d = Path(model_dir)
    try:
        config = json.loads((d / "config.json").read_text())
        pooling = json.loads((d / "1_Pooling" / "config.json").read_text())
    except (OSError, ValueError):
        return False
    return (
        config.get("model_type") == "bert"
        and config.get("hidden_act") == "gelu"
        and config.get("position_embedding_type", "absolute") == "absolute"
        and _is_mean_pooling(pooling)
        and (d / "model.safetensors").exists()
        and (d / "tokenizer.json").exists()
    )


def _is_mean_pooling(pooling: dict) -> bool:
    """Both pooling config styles: old boolean flags and newer ``"pooling_mode": "mean"``."""
    if "pooling_mode" in pooling:
        return pooling["pooling_mode"] in ("mean", "mean_tokens")
    return (
        pooling.get("pooling_mode_mean_tokens") is True
        and not pooling.get("pooling_mode_cls_token")
        and not pooling.get("pooling_mode_max_tokens")
        and not pooling.get("pooling_mode_mean_sqrt_len_tokens")
    )


def _erf(x: np.ndarray) -> np.ndarray:
    """erf for GELU, in NumPy (importing scipy.special costs 0.3 s of a cold ``ask``):
    Abramowitz & Stegun 7.1.26 computed in float64, absolute error below 1.5e-7 — under float32's
    resolution at GELU's scale, so embeddings match torch's within the tests' 1e-5."""
    z = np.abs(x.astype(np.float64))
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    y = 1.0 - poly * np.exp(-z * z)
    return (np.sign(x) * y).astype(x.dtype, copy=False)


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w + b


class NumpyBertEncoder:
    """``encode(texts) -> (n, dim) float32``, L2-normalized, same as sentence-transformers."""

    def __init__(self, model_dir: str | Path, max_length: int | None = None):
        from kgreason.extras import require

        require("models", "tokenizers", "safetensors", what="the NumPy sentence encoder")
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        d = Path(model_dir)
        if not supports(d):
            raise ModelError(
                f"{d} is not a BERT mean-pooling sentence-transformers folder",
                hint="use the sentence-transformers backend for this model",
            )
        self.config = json.loads((d / "config.json").read_text())
        st_conf = d / "sentence_bert_config.json"
        seq_len = json.loads(st_conf.read_text()).get("max_seq_length", 256) if st_conf.exists() else 256
        self.max_length = max_length or min(seq_len, self.config["max_position_embeddings"])
        self.tokenizer = Tokenizer.from_file(str(d / "tokenizer.json"))
        self.tokenizer.enable_truncation(self.max_length)
        self.tokenizer.enable_padding(pad_id=self.config.get("pad_token_id", 0))
        self.w = load_file(str(d / "model.safetensors"))
        self.heads = self.config["num_attention_heads"]
        self.eps = self.config["layer_norm_eps"]
        self.layers = self.config["num_hidden_layers"]
        self.dim = self.config["hidden_size"]
        # Pre-transpose dense weights once (torch stores out×in).
        for name in list(self.w):
            if name.endswith(".weight") and self.w[name].ndim == 2 and "embeddings" not in name:
                self.w[name] = np.ascontiguousarray(self.w[name].T)

    def _dense(self, x: np.ndarray, name: str) -> np.ndarray:
        return x @ self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def encode(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        order = np.argsort([len(t) for t in texts])  # similar lengths together: less padding
        for start in range(0, len(texts), batch_size):
            idx = order[start : start + batch_size]
            out[idx] = self._encode_batch([texts[i] for i in idx])
        return out

    def _encode_batch(self, texts: list[str]) -> np.ndarray:
        enc = self.tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        types = np.array([e.type_ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        w, n, length = self.w, ids.shape[0], ids.shape[1]
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][np.arange(length)][None]
            + w["embeddings.token_type_embeddings.weight"][types]
        )
        x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], self.eps)
        head_dim = self.dim // self.heads
        bias = ((1.0 - mask) * np.finfo(np.float32).min)[:, None, None, :]
        for i in range(self.layers):
            p = f"encoder.layer.{i}"

            def split(t: np.ndarray) -> np.ndarray:
                return t.reshape(n, length, self.heads, head_dim).transpose(0, 2, 1, 3)

            q = split(self._dense(x, f"{p}.attention.self.query"))
            k = split(self._dense(x, f"{p}.attention.self.key"))
            v = split(self._dense(x, f"{p}.attention.self.value"))
            scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head_dim) + bias
            scores -= scores.max(-1, keepdims=True)
            probs = np.exp(scores)
            probs /= probs.sum(-1, keepdims=True)
            ctx = (probs @ v).transpose(0, 2, 1, 3).reshape(n, length, self.dim)
            x = _layer_norm(
                self._dense(ctx, f"{p}.attention.output.dense") + x,
                w[f"{p}.attention.output.LayerNorm.weight"],
                w[f"{p}.attention.output.LayerNorm.bias"],
                self.eps,
            )
            h = self._dense(x, f"{p}.intermediate.dense")
            h = 0.5 * h * (1.0 + _erf(h / _SQRT2))
            x = _layer_norm(
                self._dense(h, f"{p}.output.dense") + x,
                w[f"{p}.output.LayerNorm.weight"],
                w[f"{p}.output.LayerNorm.bias"],
                self.eps,
            )
        pooled = (x * mask[..., None]).sum(1) / np.clip(mask.sum(1, keepdims=True), 1e-9, None)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return (pooled / np.clip(norms, 1e-12, None)).astype(np.float32)
