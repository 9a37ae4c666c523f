"""Proof trees as plain data: a conclusion, the rule that gave it, and the premises' proofs.

Rendering proofs as English lives in ``kgreason.language.render``; checking them against the
rules lives in ``kgreason.reasoning.proof``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kgreason.core.terms import Namer, Triple, show_triple

if TYPE_CHECKING:
    import networkx as nx

ASSERTED = "asserted"
#: Closed-world "not derivable" (negation as failure of a query): a leaf with no premises.
CWA = "kgr-cwa"


@dataclass
class Proof:
    """``triple`` (or "not triple" when ``negated``) holds by ``rule`` from ``premises``."""

    triple: Triple
    negated: bool
    rule: str
    rule_text: str = ""
    premises: list[Proof] = field(default_factory=list)
    closed_world: bool = False

    @property
    def depth(self) -> int:
        return 1 + max((p.depth for p in self.premises), default=-1)

    def steps(self) -> list[Proof]:
        """Every node once, premises before conclusions."""
        seen: set[tuple[Triple, bool]] = set()
        out: list[Proof] = []

        def visit(node: Proof) -> None:
            key = (node.triple, node.negated)
            if key in seen:
                return
            seen.add(key)
            for p in node.premises:
                visit(p)
            out.append(node)

        visit(self)
        return out

    def to_json(self, namer: Namer | None = None) -> dict[str, Any]:
        """The tree with terms as display names (``namer``) or N3; no English (see
        ``kgreason.language.render.proof_json`` for the version with sentences)."""
        data: dict[str, Any] = {
            "triple": show_triple(self.triple, namer),
            "negated": self.negated,
            "rule": self.rule,
        }
        if self.rule_text:
            data["rule_text"] = self.rule_text
        data["premises"] = [p.to_json(namer) for p in self.premises]
        return data

    def to_networkx(self) -> nx.DiGraph:
        """Nodes ``(triple, negated)`` with ``rule``; edges premise → conclusion."""
        import networkx as nx

        g = nx.DiGraph()
        for step in self.steps():
            node = (step.triple, step.negated)
            g.add_node(node, rule=step.rule, rule_text=step.rule_text)
            for p in step.premises:
                g.add_edge((p.triple, p.negated), node, rule=step.rule)
        return g
