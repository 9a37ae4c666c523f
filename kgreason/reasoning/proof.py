"""Proof trees (rendered as text, sentences, JSON, NetworkX) and the independent proof checker."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS
from rdflib.term import Node

from kgreason.graph.vocab import KGR
from kgreason.language.verbalize import sentence, verbalize

if TYPE_CHECKING:
    import networkx as nx

    from kgreason.graph.knowledge_graph import KnowledgeGraph
    from kgreason.reasoning.reasoner import Reasoner

Triple = tuple[Node, Node, Node]

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

    def statement(self, kg: KnowledgeGraph) -> str:
        return verbalize(kg, self.triple, negated=self.negated)

    def sentences(self, kg: KnowledgeGraph) -> list[str]:
        """Plain sentences, premises before the conclusions they support, each once. Vocabulary
        steps (``N kgr:negationOf P``: how a negative is written) are left out: they say nothing
        about the world and only repeat the fact they rewrite."""
        out: list[str] = []
        for step in self.steps():
            if step.triple[1] == KGR.negationOf:
                continue
            text = sentence(step.statement(kg))
            if text not in out:
                out.append(text)
        return out

    def to_text(self, kg: KnowledgeGraph, indent: str = "  ") -> str:
        """Indented tree: the conclusion first, each premise one level deeper."""
        lines: list[str] = []

        def walk(node: Proof, level: int) -> None:
            why = "given" if node.rule == ASSERTED else node.rule
            lines.append(f"{indent * level}{sentence(node.statement(kg))}  [{why}]")
            for p in node.premises:
                walk(p, level + 1)

        walk(self, 0)
        return "\n".join(lines)

    def to_json(self, kg: KnowledgeGraph | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "triple": [kg.qname(t) if kg is not None else t.n3() for t in self.triple],
            "negated": self.negated,
            "rule": self.rule,
        }
        if self.rule_text:
            data["rule_text"] = self.rule_text
        if kg is not None:
            data["text"] = sentence(self.statement(kg))
        data["premises"] = [p.to_json(kg) for p in self.premises]
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


def _unify(
    pattern: tuple, fact: tuple, sign: int, binding: dict[str, Node]
) -> dict[str, Node] | None:
    """Match a node-level atom ``((kind, value), ...)`` against a fact; extend the binding."""
    (ps, pp, po), (fs, fp, fo) = pattern[:3], fact
    psign = pattern[3]
    out = dict(binding)
    for (kind, value), node in ((ps, fs), (pp, fp), (po, fo)):
        if kind == "c":
            if value != node:
                return None
        elif out.setdefault(value, node) != node:
            return None
    return out if psign == sign else None


def check_proof(proof: Proof, reasoner: Reasoner) -> list[str]:
    """Re-check every step of ``proof`` against its rule. Returns problems; empty = valid.

    A rule step is valid when some substitution maps the rule's (non-NAF) body atoms onto the
    premises in order and one head atom onto the conclusion, the ``distinct`` constraints hold,
    and (closed world) every negated atom is not derivable. Leaves must be asserted triples.
    Default steps must satisfy the specificity condition (see defaults.py).
    """
    problems: list[str] = []
    for step in proof.steps():
        problems.extend(f"{_show(step)}: {p}" for p in _check_step(step, reasoner))
    return problems


def _show(step: Proof) -> str:
    s, p, o = step.triple
    return f"{'not ' if step.negated else ''}({s.n3()} {p.n3()} {o.n3()}) by {step.rule}"


def _check_step(step: Proof, reasoner: Reasoner) -> list[str]:
    kg = reasoner.kg
    if step.rule == ASSERTED:
        if step.negated or step.premises:
            return ["an asserted leaf must be a positive triple without premises"]
        return [] if step.triple in kg.rdf else ["not an asserted triple of the graph"]
    state = reasoner._state(step.closed_world)
    if step.rule == CWA:
        if not step.closed_world or not step.negated:
            return ["closed-world absence only proves a negation in closed-world mode"]
        return ["the triple is derivable"] if state.has(step.triple, False) else []
    if step.rule in ("kgr-inherit", "kgr-inherit-neg"):
        return _check_default(step, state)
    template = state.template_by_id.get(step.rule)
    if template is None:
        return [f"unknown rule {step.rule!r}"]
    body = [a for a in template.body if not a.naf]
    if len(body) != len(step.premises):
        return [f"rule has {len(body)} premises, the step has {len(step.premises)}"]
    binding: dict[str, Node] | None = {}
    for atom, premise in zip(body, step.premises):
        binding = _unify(
            _node_atom(template, atom), premise.triple, -1 if premise.negated else 1, binding
        )
        if binding is None:
            return [f"premise {_show(premise)} does not match the rule's body"]
    sign = -1 if step.negated else 1
    heads = [_unify(_node_atom(template, h), step.triple, sign, binding) for h in template.head]
    final = next((b for b in heads if b is not None), None)
    if final is None:
        return ["the conclusion does not match the rule's head under the premises' substitution"]
    for a, b in template.distinct:
        if final.get(a) == final.get(b):
            return [f"variables ?{a} and ?{b} must differ"]
    s, p, o = step.triple
    if p == OWL.sameAs and s == o:
        return ["reflexive owl:sameAs is never derived"]
    for atom in template.body:
        if atom.naf:
            ps, pp, po, psign = _node_atom(template, atom)
            fact = tuple(final[v] if k == "v" else v for k, v in (ps, pp, po))
            if state.has(fact, psign < 0):
                return [f"negated atom {fact} is derivable, so the rule does not apply"]
    for premise in step.premises:
        if not state.has(premise.triple, premise.negated):
            return [f"premise {_show(premise)} is not in the closure"]
    return []


def _node_atom(template, atom) -> tuple:
    """Template atom → ((kind, node-or-var), pred, obj, sign) in node space."""

    def term(t):
        return ("c", template.consts[t[1]][0]) if t[0] == "c" else t

    pred = ("c", template.consts[atom.p[1]][0]) if atom.p[0] == "c" else atom.p
    return term(atom.s), pred, term(atom.o), atom.sign


def _check_default(step: Proof, state) -> list[str]:
    if len(step.premises) != 2:
        return ["a default step has two premises: the subclass/type link and the source statement"]
    link, source = step.premises
    y, prop, o = step.triple
    ly, lrel, ls = link.triple
    sy, sprop, so = source.triple
    want_neg = step.rule == "kgr-inherit-neg"
    if step.negated != want_neg or source.negated != want_neg:
        return ["the polarity of the conclusion, the source and the rule must agree"]
    if link.negated or lrel not in (RDFS.subClassOf, RDF.type) or ly != y or ls != sy:
        return [
            "the first premise must say that the subject is a subclass or instance of the source"
        ]
    if sprop != prop or so != o:
        return ["the source statement must be about the same property and value"]
    if not state.has((prop, RDF.type, KGR.InheritableProperty), False):
        return [f"{prop.n3()} is not a kgr:InheritableProperty"]
    if not state.has(link.triple, False) or not state.has(source.triple, source.negated):
        return ["a premise is not in the closure"]
    verdict = state.default_sources(y, prop, o)
    if verdict is None:
        return ["the subject's own statement overrides inheritance"]
    polarity, specific = verdict
    if sy not in specific:
        return ["a more specific source exists, so this source does not apply"]
    signs = {polarity[s] for s in specific}
    if signs != {-1 if want_neg else 1}:
        return ["the most specific sources disagree (conflict), so nothing is inherited"]
    return []
