"""Terms and triples: rdflib nodes, the one term type every stage shares.

A *namer* is anything that turns a node into a short display name (``KnowledgeGraph.qname``):
typed data renders itself with one, so this bottom layer never needs the graph it came from.
"""

from __future__ import annotations

from typing import Protocol

from rdflib.term import Node

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]


class Namer(Protocol):
    def qname(self, node: Node) -> str: ...


def show(node: Node, namer: Namer | None = None) -> str:
    """``namer.qname(node)`` or the node's N3 form when there is no namer."""
    return namer.qname(node) if namer is not None else node.n3()


def show_triple(triple: Triple, namer: Namer | None = None) -> list[str]:
    return [show(t, namer) for t in triple]
