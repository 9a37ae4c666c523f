"""Proofs, verdicts and conflicts said in English, from the graph's labels.

The proof data type lives in ``kgreason.core``; the reasoner builds proofs and checks them; this
module only *says* them (the reasoner never imports language).
"""

from __future__ import annotations

from typing import Any

from kgreason.core import ASSERTED, Conflict, Proof, Verdict
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import KGR
from kgreason.language.verbalize import sentence, verbalize


def statement(proof: Proof, kg: KnowledgeGraph) -> str:
    """The conclusion of ``proof`` as a phrase ("penguin cannot fly")."""
    return verbalize(kg, proof.triple, negated=proof.negated)


def proof_sentences(proof: Proof, kg: KnowledgeGraph) -> list[str]:
    """Plain sentences, premises before the conclusions they support, each once. Vocabulary
    steps (``N kgr:negationOf P``: how a negative is written) are left out: they say nothing
    about the world and only repeat the fact they rewrite."""
    out: list[str] = []
    for step in proof.steps():
        if step.triple[1] == KGR.negationOf:
            continue
        text = sentence(statement(step, kg))
        if text not in out:
            out.append(text)
    return out


def proof_text(proof: Proof, kg: KnowledgeGraph, indent: str = "  ") -> str:
    """Indented tree: the conclusion first, each premise one level deeper."""
    lines: list[str] = []

    def walk(node: Proof, level: int) -> None:
        why = "given" if node.rule == ASSERTED else node.rule
        lines.append(f"{indent * level}{sentence(statement(node, kg))}  [{why}]")
        for p in node.premises:
            walk(p, level + 1)

    walk(proof, 0)
    return "\n".join(lines)


def proof_json(proof: Proof, kg: KnowledgeGraph) -> dict[str, Any]:
    """``Proof.to_json`` with each step's sentence as ``text``."""
    data = proof.to_json(kg)

    def add_text(node: Proof, out: dict[str, Any]) -> None:
        out["text"] = sentence(statement(node, kg))
        premises = out.pop("premises")
        for p, d in zip(node.premises, premises):
            add_text(p, d)
        out["premises"] = premises

    add_text(proof, data)
    return data


def conflict_text(conflict: Conflict, kg: KnowledgeGraph) -> str:
    what = verbalize(kg, conflict.triple)
    if conflict.kind == "default-conflict":
        yes = ", ".join(kg.label(n) for n in conflict.yes)
        no = ", ".join(kg.label(n) for n in conflict.no)
        return f"conflicting defaults for '{what}': yes from {yes}; no from {no}"
    if conflict.kind == "blocked-default" and conflict.proofs:
        clash = verbalize(kg, conflict.proofs[0].triple)
        return f"the default '{what}' is not applied: with it, both '{clash}' and its negation would hold"
    return f"contradiction: both '{what}' and its negation are derived ({conflict.resolution})"


def conflict_json(conflict: Conflict, kg: KnowledgeGraph) -> dict[str, Any]:
    data = conflict.to_json(kg)
    if conflict.proofs:
        data["proofs"] = [proof_json(p, kg) for p in conflict.proofs]
    data["text"] = conflict_text(conflict, kg)
    return data


def verdict_json(verdict: Verdict, kg: KnowledgeGraph) -> dict[str, Any]:
    data = verdict.to_json(kg)
    data["proof"] = proof_json(verdict.proof, kg) if verdict.proof is not None else None
    data["conflicts"] = [conflict_json(c, kg) for c in verdict.conflicts]
    return data
