"""Proofs, verdicts and conflicts said in English, from the graph's labels.

The proof data type lives in ``kgreason.core``; the reasoner builds proofs and checks them; this
module only *says* them (the reasoner never imports language).
"""

from __future__ import annotations

from typing import Any

from kgreason.core import Conflict, Proof, Verdict
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import KGR
from kgreason.language.rule_labels import rule_gloss, rule_label
from kgreason.language.verbalize import is_definition, sentence, verbalize


def statement(proof: Proof, kg: KnowledgeGraph) -> str:
    """The conclusion of ``proof`` as a phrase ("penguin cannot fly")."""
    return verbalize(kg, proof.triple, negated=proof.negated)


def step_label(step: Proof) -> str:
    """The English name of the rule of a step ("given", "inherits from its class", a user rule's
    own text)."""
    return rule_label(step.rule, step.rule_text)


def readable(proof: Proof, kg: KnowledgeGraph) -> Proof:
    """The proof as people read it: premises that only define a class expression
    (``_:x owl:onProperty p``: their content is in the expression's words) are left out, and a
    step whose sentence says what one of its premises already says (two blank nodes for the same
    restriction, "salame piccante is something whose spiciness is hot" twice) is that premise.
    The reasoner's proof is unchanged; this is a view of it (shared steps stay shared)."""
    memo: dict[int, Proof] = {}
    said: dict[int, str] = {}

    def text(node: Proof) -> str:
        found = said.get(id(node))
        if found is None:
            found = said[id(node)] = statement(node, kg)
        return found

    def view(node: Proof) -> Proof:
        done = memo.get(id(node))
        if done is not None:
            return done
        premises = [view(p) for p in node.premises if not is_definition(kg, p.triple)]
        here = text(node)
        same = next((p for p in premises if text(p) == here), None)
        if same is not None:
            out = same
        elif len(premises) == len(node.premises) and all(a is b for a, b in zip(premises, node.premises)):
            out = node
        else:
            out = Proof(node.triple, node.negated, node.rule, node.rule_text, premises, node.closed_world)
            said[id(out)] = here
        memo[id(node)] = out
        return out

    return view(proof)


def proof_sentences(proof: Proof, kg: KnowledgeGraph) -> list[str]:
    """Plain sentences, premises before the conclusions they support, each once. Vocabulary
    steps (``N kgr:negationOf P``: how a negative is written) and the definitions of class
    expressions are left out (:func:`readable`): they say nothing about the world and only repeat
    the fact they rewrite."""
    out: list[str] = []
    for step in readable(proof, kg).steps():
        if step.triple[1] == KGR.negationOf:
            continue
        text = sentence(statement(step, kg))
        if text not in out:
            out.append(text)
    return out


def proof_text(proof: Proof, kg: KnowledgeGraph, indent: str = "  ") -> str:
    """Indented tree: the conclusion first, each premise one level deeper, each line with the
    English name of its rule ("[given]", "[inherits from its class]")."""
    lines: list[str] = []

    def walk(node: Proof, level: int) -> None:
        lines.append(f"{indent * level}{sentence(statement(node, kg))}  [{step_label(node)}]")
        for p in node.premises:
            walk(p, level + 1)

    walk(readable(proof, kg), 0)
    return "\n".join(lines)


def proof_json(proof: Proof, kg: KnowledgeGraph) -> dict[str, Any]:
    """``Proof.to_json`` (the whole proof, as the reasoner checked it) with each step's sentence
    as ``text``, its rule's English name as ``rule_label`` and what the rule does as
    ``rule_gloss``; steps that only define a class expression are marked ``"definition": true``
    (proofs shown to people leave them out)."""
    data = proof.to_json(kg)

    def add_text(node: Proof, out: dict[str, Any]) -> None:
        out["text"] = sentence(statement(node, kg))
        out["rule_label"] = step_label(node)
        out["rule_gloss"] = rule_gloss(node.rule, node.rule_text)
        if is_definition(kg, node.triple):
            out["definition"] = True
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
