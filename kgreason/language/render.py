"""Proofs, verdicts and conflicts said in English, from the graph's labels.

The proof data type lives in ``kgreason.core``; the reasoner builds proofs and checks them; this
module only *says* them (the reasoner never imports language).
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import RDFS

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


# ----------------------------------------------------------------------------- unknowns in words
_WOULD = re.compile(r"^rule (\S+) would derive (it|its negation) from: (.*)$")


def whether(kg: KnowledgeGraph, triple: tuple) -> str:
    """The statement as a clause after "whether": "a dog can swim" (a class subject with its
    article), "Tweety can fly"."""
    from kgreason.language.verbalize import class_phrase, is_mass_noun

    text = verbalize(kg, triple)
    s = triple[0]
    label = kg.label(s)
    is_class = next(iter(kg.rdf.objects(s, RDFS.subClassOf)), None) is not None
    if is_class and text.startswith(label) and not is_mass_noun(kg, s):
        return class_phrase(kg, s) + text[len(label):]
    return text


def missing_text(kg: KnowledgeGraph, triple: tuple, missing: list[str] | None = None,
                 rules: list | None = None, limit: int = 2) -> str:
    """What an unknown lacks, in words: "nothing in the graph says whether a dog can swim", and
    for a user rule that would decide it, which of its conditions are not known ("“If something
    is a fish and it is wet then it can swim” would say so if Dave is a fish and Dave is wet, but
    nothing says whether Dave is wet"). ``missing``: the reasoner's ``Verdict.missing``; rule
    lines it cannot read back (variables, literals) are left out."""
    out = [f"nothing in the graph says whether {whether(kg, triple)}"]
    by_id = {r.id: r for r in rules or ()}
    for line in (missing or [])[1:]:
        m = _WOULD.match(line)
        if m is None or len(out) > limit:
            continue
        rid, polarity, body = m.groups()
        rule = by_id.get(rid) or by_id.get(rid.split("#")[0])
        if rule is None:  # a built-in rule: its conditions have variables
            continue
        said = _conditions(kg, body)
        if said is None:
            continue
        conds, unknown, false = said
        text = f"“{rule_label(rid, rule.text)}” would {'say so' if polarity == 'it' else 'deny it'} if {conds}"
        if false:
            text += f", but {' and '.join(false)}"
        elif unknown:
            text += f", but nothing says whether {' or whether '.join(unknown)}"
        out.append(text)
    return "; ".join(out)


def _conditions(kg: KnowledgeGraph, body: str) -> tuple[str, list[str], list[str]] | None:
    """"ex:Dave a ex:Fish, ex:Dave a ex:Wet (not known)" → ("Dave is a fish and Dave is wet",
    ["Dave is wet"], []); None when an atom cannot be read back (a variable, a literal)."""
    said, unknown, false = [], [], []
    for atom in body.split(", "):
        mark = None
        for tail in (" (not known)", " (false)"):
            if atom.endswith(tail):
                atom, mark = atom[: -len(tail)], tail
        negated = atom.startswith("not ")
        terms = atom[4:].split() if negated else atom.split()
        if len(terms) != 3 or any(t.startswith(("?", '"')) for t in terms):
            return None
        try:
            triple = tuple(kg.resolve(t) for t in terms)
        except Exception:  # noqa: BLE001 - a term this graph cannot resolve: say nothing of it
            return None
        text = verbalize(kg, triple, negated=negated)
        said.append(text)
        if mark == " (not known)":
            unknown.append(text)
        elif mark == " (false)":
            false.append(verbalize(kg, triple, negated=not negated))
    return " and ".join(said), unknown, false


def closest_facts(triple: tuple, evidence: list, n: int = 3) -> list[str]:
    """The retrieved facts nearest to an unknown statement: those sharing most of its terms
    (the same subject, property, object), then by retrieval score."""
    terms = set(triple)

    def key(e) -> tuple:
        return (-len(terms.intersection(e.triple)), -e.score)

    return [e.text for e in sorted(evidence, key=key)[:n]]
