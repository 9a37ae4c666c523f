"""Models: device selection, offline-first model resolution, the NLI verifier, the generator, training.

Imported lazily: ``import kgreason.models`` does not import torch or transformers.
"""

from __future__ import annotations

import importlib
from typing import Any

_LAZY = {
    "select_device": "kgreason.models.device",
    "resolve_model": "kgreason.models.resolve",
    "ResolvedModel": "kgreason.models.resolve",
    "NLIVerifier": "kgreason.models.nli",
    "NLIPrediction": "kgreason.models.nli",
    "Generator": "kgreason.models.generate",
    "GeneratedAnswer": "kgreason.models.generate",
    "template_answer": "kgreason.models.generate",
    "TrainConfig": "kgreason.models.training",
    "train_nli": "kgreason.models.training",
}

__all__ = list(_LAZY)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kgreason.models' has no attribute {name!r}")
