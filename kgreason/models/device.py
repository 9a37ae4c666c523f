"""Where models run: CUDA, then Apple MPS, then CPU — unless the user forces one (``--device``)."""

from __future__ import annotations

import logging

from kgreason.errors import ModelError

log = logging.getLogger(__name__)

_KNOWN = ("cpu", "cuda", "mps")


def select_device(pref: str | None = None) -> str:
    """``pref`` ("cpu", "cuda", "cuda:1", "mps", "auto"/None) → a torch device string that works here.

    ``KGREASON_DEVICE`` in the environment is used when ``pref`` is None.
    """
    from kgreason.settings import get_settings

    pref = (pref or get_settings().device or "auto").strip().lower()
    kind = pref.split(":", 1)[0]
    if pref != "auto" and kind not in _KNOWN:
        raise ModelError(f"unknown device {pref!r}", hint="use one of: auto, cpu, cuda, cuda:N, mps")
    if pref == "cpu":  # needs no torch to say so (a light install's `--device cpu` is fine)
        return pref
    from kgreason.extras import require

    require("models", "torch", what=f"running models on device {pref!r}")
    import torch

    if pref == "auto":
        if torch.cuda.is_available():
            return "cuda"
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return "mps"
        return "cpu"
    if kind == "cuda" and not torch.cuda.is_available():
        raise ModelError("device 'cuda' was asked for but no CUDA GPU is available",
                         hint="use --device cpu (or auto), or install a CUDA build of torch")
    if kind == "mps" and not (getattr(torch.backends, "mps", None) and torch.backends.mps.is_available()):
        raise ModelError("device 'mps' was asked for but MPS is not available", hint="use --device cpu or auto")
    return pref


def inference_dtype(device: str):
    """Half precision on accelerators (bf16 where CUDA supports it, else fp16); fp32 on CPU."""
    import torch

    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    if device.startswith("mps"):
        return torch.float16
    return torch.float32


def configure_threads() -> int | None:
    """Apply ``KGREASON_THREADS`` (torch intra-op threads) if set. On a busy shared CPU one thread
    per process is several times faster than oversubscribed cores (measured: 55 vs 19 pairs/s)."""
    from kgreason.settings import get_settings

    n = get_settings().threads
    if n is None:
        return None
    import torch

    torch.set_num_threads(n)
    return n
