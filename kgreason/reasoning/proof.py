"""The independent proof checker: every step of a :class:`~kgreason.core.proof.Proof` re-checked
against its rule (the proof data type is in ``kgreason.core``; English rendering in
``kgreason.language.render``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS
from rdflib.term import Node

from kgreason.core.proof import ASSERTED, CWA, Proof
from kgreason.graph.vocab import KGR
from kgreason.reasoning.closed_world import DOMAIN_CLASS, INDIVIDUAL

if TYPE_CHECKING:
    from kgreason.reasoning.reasoner import Reasoner

__all__ = ["ASSERTED", "CWA", "Proof", "check_proof"]


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
    if step.rule == INDIVIDUAL:
        return _check_individual(step, state)
    template = state.template_by_id.get(step.rule)
    if template is None:
        return [f"unknown rule {step.rule!r}"]
    body = [a for a in template.body if not a.naf]
    # closed world: the rule's 'not' atoms may follow as "not derivable" leaves
    absent = step.premises[len(body):]
    naf = [a for a in template.body if a.naf]
    if len(step.premises) < len(body) or len(absent) > len(naf):
        return [f"rule has {len(body)} premises, the step has {len(step.premises)}"]
    if any(p.rule != CWA for p in absent):
        return ["premises beyond the rule's positive conditions must be closed-world absences"]
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
    negated_facts = []
    for atom in naf:
        ps, pp, po, psign = _node_atom(template, atom)
        fact = tuple(final[v] if k == "v" else v for k, v in (ps, pp, po))
        negated_facts.append(fact)
        if state.has(fact, psign < 0):
            return [f"negated atom {fact} is derivable, so the rule does not apply"]
    for leaf in absent:
        if leaf.triple not in negated_facts or not leaf.negated:
            return [f"{_show(leaf)} is not one of the rule's 'not' conditions"]
    for premise in step.premises[: len(body)]:
        if not state.has(premise.triple, premise.negated):
            return [f"premise {_show(premise)} is not in the closure"]
    return []


def _check_individual(step: Proof, state) -> list[str]:
    """``x a kgr:Individual``: x is an individual of the theory (closed world, see
    ``closed_world.py``), shown by the asserted fact that mentions it (none: a rule mentions it)."""
    x, p, o = step.triple
    if step.negated or p != RDF.type or o != DOMAIN_CLASS:
        return ["an individual step concludes 'x a kgr:Individual'"]
    if x not in state.domain:
        return [f"{x.n3()} is not an individual of the theory"]
    want = state.domain[x]
    got = [q.triple for q in step.premises]
    if got != ([] if want is None else [want]):
        return ["the premise must be the asserted fact that mentions the individual"]
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
