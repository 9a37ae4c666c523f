"""Proofs as a graph to draw and export: premises → rule → conclusion.

Each statement of a proof is a node (``kind="statement"``, its sentence as ``label``); each step
the reasoner took is a rule node (``kind="rule"``, the rule's English name as ``label``, its id as
``rule``, what it does as ``gloss``) with an edge from every premise and one to the conclusion.
Given facts have no rule node (``given=True``). A statement proved in several places appears
once. Drawn is the proof as people read it (``render.readable``: no definitions of class
expressions, no step that only restates a premise). Exported as GraphML or as networkx's node-link JSON (``kgreason ask --proof-graph``,
the server's ``/proof-graph`` and its web page all use these functions).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kgreason.core import ASSERTED, Proof
from kgreason.errors import InputError
from kgreason.language.render import readable, statement, step_label
from kgreason.language.rule_labels import rule_gloss
from kgreason.language.verbalize import sentence

if TYPE_CHECKING:
    import networkx as nx

    from kgreason.graph.knowledge_graph import KnowledgeGraph

#: Export formats by file suffix.
FORMATS = {".graphml": "graphml", ".json": "json"}


def proof_graph(proofs: Proof | Iterable[Proof], kg: KnowledgeGraph) -> nx.DiGraph:
    """One DiGraph for ``proofs`` (an answer's proof, or every proof of an open question's
    answers). Node ids: ``s0, s1, ...`` for statements, ``r0, r1, ...`` for rule steps, numbered
    premises first, so the same proof gives the same graph."""
    import networkx as nx

    g = nx.DiGraph()
    ids: dict[tuple, str] = {}
    rules = 0
    roots = [readable(p, kg) for p in ([proofs] if isinstance(proofs, Proof) else proofs)]
    for root in roots:
        for step in root.steps():  # premises before their conclusions
            key = (step.triple, step.negated)
            if key in ids:
                continue
            node = ids[key] = f"s{len(ids)}"
            g.add_node(node, kind="statement", label=sentence(statement(step, kg)),
                       triple=" ".join(kg.qname(t) for t in step.triple), negated=step.negated,
                       given=step.rule == ASSERTED, conclusion=False)
            if step.rule == ASSERTED:
                continue
            rule, rules = f"r{rules}", rules + 1
            g.add_node(rule, kind="rule", label=step_label(step), rule=step.rule,
                       gloss=rule_gloss(step.rule, step.rule_text), rule_text=step.rule_text or "")
            for premise in step.premises:
                g.add_edge(ids[(premise.triple, premise.negated)], rule, role="premise")
            g.add_edge(rule, node, role="conclusion")
        if root.steps():
            g.nodes[ids[(root.triple, root.negated)]]["conclusion"] = True
    return g


def proof_graph_json(g: nx.DiGraph) -> dict[str, Any]:
    """networkx's node-link form: ``{"directed", "multigraph", "graph", "nodes": [{"id", ...}],
    "edges": [{"source", "target", "role"}]}``."""
    import networkx as nx

    return nx.node_link_data(g, edges="edges")


def proof_graph_graphml(g: nx.DiGraph) -> str:
    """The graph as GraphML text (attributes typed: strings and booleans)."""
    import networkx as nx

    return "\n".join(nx.generate_graphml(g)) + "\n"


def proof_graph_format(path: str | Path) -> str:
    """``"graphml"`` or ``"json"`` from the file's suffix, else an InputError."""
    fmt = FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise InputError(f"cannot tell the proof graph format from {Path(path).name!r}",
                         hint="name the file *.graphml or *.json")
    return fmt


def write_proof_graph(g: nx.DiGraph, path: str | Path) -> str:
    """Write ``g`` to ``path`` (format by suffix) atomically; returns the format written."""
    from kgreason.files import write_text_atomic

    fmt = proof_graph_format(path)
    path = Path(path)
    if path.is_dir():
        raise InputError("is a directory", where=str(path), hint="give a file name such as proof.graphml")
    text = (proof_graph_graphml(g) if fmt == "graphml"
            else json.dumps(proof_graph_json(g), indent=2, ensure_ascii=False) + "\n")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError as exc:
        raise InputError(f"cannot write the proof graph: {exc.strerror or exc}", where=str(path),
                         hint="check that the folder can be written to") from None
    return fmt
