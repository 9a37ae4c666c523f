"""kgreason: answers from a knowledge graph, with a proof.

The public API is imported lazily so that ``import kgreason`` stays fast and never imports torch,
transformers or faiss (only the stages that need them do, on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgreason._lazy import lazy_getattr

__version__ = "0.1.0"

_LAZY = {
    "KnowledgeGraph": "kgreason.graph.knowledge_graph",
    "load_graph": "kgreason.graph.loaders",
    "KGReasonError": "kgreason.errors",
    "Reasoner": "kgreason.reasoning",
    "Pipeline": "kgreason.pipeline",
}

__all__ = ["KGReasonError", "KnowledgeGraph", "Pipeline", "Reasoner", "__version__", "load_graph"]

if TYPE_CHECKING:  # pragma: no cover
    from kgreason.errors import KGReasonError
    from kgreason.graph.knowledge_graph import KnowledgeGraph
    from kgreason.graph.loaders import load_graph


__getattr__ = lazy_getattr(__name__, _LAZY)
