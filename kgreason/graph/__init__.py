"""Knowledge graphs: the KnowledgeGraph object, loaders by format, the kgr: vocabulary."""

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import EX, KGR

__all__ = ["EX", "KGR", "KnowledgeGraph", "load_graph"]


def load_graph(*args, **kwargs):  # thin re-export without importing loaders eagerly
    from kgreason.graph.loaders import load_graph as _load

    return _load(*args, **kwargs)
