"""kgreason: answers from a knowledge graph, with a proof.

The public API is imported lazily so that ``import kgreason`` stays fast and never imports torch,
transformers or faiss (only the stages that need them do, on first use).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "KnowledgeGraph": "kgreason.graph.knowledge_graph",
    "load_graph": "kgreason.graph.loaders",
    "KGReasonError": "kgreason.errors",
    "Reasoner": "kgreason.reasoning",
    "Pipeline": "kgreason.pipeline",
}

__all__ = ["__version__", *_LAZY]

if TYPE_CHECKING:  # pragma: no cover
    from kgreason.errors import KGReasonError
    from kgreason.graph.knowledge_graph import KnowledgeGraph
    from kgreason.graph.loaders import load_graph


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'kgreason' has no attribute {name!r}")
