"""Models: device selection, offline-first model resolution, the NLI verifier, the generator, the
neural reader, training.

Imported lazily: ``import kgreason.models`` does not import torch or transformers.
"""

from __future__ import annotations

from kgreason._lazy import lazy_getattr

_LAZY = {
    "select_device": "kgreason.models.device",
    "resolve_model": "kgreason.models.resolve",
    "ResolvedModel": "kgreason.models.resolve",
    "NLIVerifier": "kgreason.models.nli",
    "Generator": "kgreason.models.generate",
    "GeneratedAnswer": "kgreason.models.generate",
    "template_answer": "kgreason.models.generate",
    "TrainConfig": "kgreason.models.training",
    "train_nli": "kgreason.models.training",
    "NeuralReader": "kgreason.models.reader",
    "Proposal": "kgreason.models.reader",
    "load_reader": "kgreason.models.reader",
    "ReaderTrainConfig": "kgreason.models.reader_training",
    "train_reader": "kgreason.models.reader_training",
}

__all__ = list(_LAZY)


__getattr__ = lazy_getattr(__name__, _LAZY)
