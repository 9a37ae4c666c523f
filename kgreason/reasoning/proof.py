"""The independent proof checker: every step of a :class:`~kgreason.core.proof.Proof` re-checked
against its rule *as written* — the built-in tables parsed afresh from their text, the per-axiom
OWL 2 RL rules written afresh from the graph, the user's rules as parsed — never against the
compiled templates and joins the reasoner ran (it matches with the one unifier, ``match.unify``),
so a bug in rule compilation cannot pass its own check (the proof data type is in ``kgreason.core``; English rendering in
``kgreason.language.render``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS

from kgreason.core.proof import ASSERTED, CWA, Proof
from kgreason.core.rules import Atom, Rule, Var
from kgreason.graph.vocab import KGR
from kgreason.reasoning.builtin_rules import INHERIT, INHERIT_NEG
from kgreason.reasoning.closed_world import DOMAIN_CLASS, INDIVIDUAL
from kgreason.reasoning.datatypes import LITERAL_TYPE, literal_type
from kgreason.reasoning.match import instantiate, unify
from kgreason.reasoning.owl_rules import w3c_id

if TYPE_CHECKING:
    from kgreason.reasoning.reasoner import Reasoner

__all__ = ["ASSERTED", "CWA", "Proof", "check_proof"]


class _Written:
    """A rule as written, for the checker: node-level atoms ``(s, p, o, sign)`` with Var
    terms, the positive-or-classically-negated body, the negation-as-failure body, heads and the
    pairs of variables that must differ. Built from the rule texts (parsed afresh) and the
    graph, never from the compiled templates the engine runs."""

    def __init__(self, rule: Rule, builtin: bool, closed_world: bool, negation_of: dict,
                 distinct=()):
        def atom(a: Atom, in_body: bool):
            p, sign, naf = a.p, 1, False
            if not builtin and not isinstance(p, Var) and p in negation_of:
                p, sign = negation_of[p], -1
            if a.negated:
                if in_body and closed_world and not builtin:
                    naf = True
                else:
                    sign = -sign
            return (a.s, p, a.o, sign), naf

        body = [atom(a, True) for a in rule.body]
        self.rule = rule
        self.body = [a for a, naf in body if not naf]
        self.naf = [a for a, naf in body if naf]
        self.head = [atom(a, False)[0] for a in rule.head]
        self.distinct = tuple(distinct) or tuple(rule.meta.get("distinct", ()))


def _written_rules(reasoner: Reasoner, closed_world: bool) -> dict[str, _Written]:
    """Every rule a proof step may name, by the id the reasoner gives it: the built-in tables
    parsed afresh from their text, the per-axiom rules written afresh from the graph, the user's
    rules as parsed (with the closed-world domain atoms and the duplicate-id numbering the
    reasoner applies)."""
    key = (reasoner.kg.version, closed_world, id(reasoner.rules))
    cached = getattr(reasoner, "_written_rules", None)
    if cached is not None and cached[0] == key:
        return cached[1]
    from kgreason.reasoning.builtin_rules import (
        BUILTIN_RULES_TEXT,
        DISTINCT,
        QUERY_TIME_RULES_TEXT,
        unique_ids,
    )
    from kgreason.reasoning.closed_world import with_domain
    from kgreason.reasoning.owl_rules import OWL_DISTINCT, OWL_RL_RULES_TEXT, graph_rules
    from kgreason.reasoning.rule_parser import parse_rules

    kg = reasoner.kg
    negation_of = {n: p for n, p in kg.rdf.subject_objects(KGR.negationOf)}
    out: dict[str, _Written] = {}
    generated: list[Rule] = []
    if reasoner.builtins:
        for text, table in ((BUILTIN_RULES_TEXT, DISTINCT), (OWL_RL_RULES_TEXT, OWL_DISTINCT),
                            (QUERY_TIME_RULES_TEXT, {})):
            for rule in parse_rules(text, source="<checker>"):
                pairs = [(Var(a), Var(b)) for a, b in table.get(rule.id, ())]
                out[rule.id] = _Written(rule, True, closed_world, negation_of, pairs)
        generated = graph_rules(kg.rdf, kg.namespaces)
    users = list(reasoner.rules)
    if closed_world and any(with_domain(r) is not None for r in users):
        users = [with_domain(r) or r for r in users]
    reserved = [*out, ASSERTED, CWA, INHERIT, INHERIT_NEG, INDIVIDUAL]
    materialized = [g for g in generated if not g.meta.get("query_time")]
    for rule in unique_ids([*materialized, *users], reserved):
        out[rule.id] = _Written(rule, False, closed_world, negation_of)
    for rule in generated:
        if rule.meta.get("query_time"):
            out[rule.id] = _Written(rule, False, False, negation_of)
    reasoner._written_rules = (key, out)  # type: ignore[attr-defined]
    return out


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
    if step.rule in (INHERIT, INHERIT_NEG):
        return _check_default(step, state)
    if step.rule == INDIVIDUAL:
        return _check_individual(step, state)
    if step.rule == LITERAL_TYPE:
        return _check_literal_type(step, state)
    written = _written_rules(reasoner, step.closed_world).get(step.rule)
    if written is None:
        return [f"unknown rule {step.rule!r}"]
    body, naf = written.body, written.naf
    # closed world: the rule's 'not' atoms may follow as "not derivable" leaves
    absent = step.premises[len(body):]
    if len(step.premises) < len(body) or len(absent) > len(naf):
        return [f"rule has {len(body)} premises, the step has {len(step.premises)}"]
    if any(p.rule != CWA for p in absent):
        return ["premises beyond the rule's positive conditions must be closed-world absences"]
    binding: dict | None = {}
    for atom, premise in zip(body, step.premises):
        binding = unify(atom, premise.triple, -1 if premise.negated else 1, binding)
        if binding is None:
            return [f"premise {_show(premise)} does not match the rule's body"]
    sign = -1 if step.negated else 1
    heads = [unify(h, step.triple, sign, binding) for h in written.head]
    final = next((b for b in heads if b is not None), None)
    if final is None:
        return ["the conclusion does not match the rule's head under the premises' substitution"]
    for a, b in written.distinct:
        if final.get(a) == final.get(b):
            return [f"variables ?{a.name} and ?{b.name} must differ"]
    s, p, o = step.triple
    if p == OWL.sameAs and s == o and w3c_id(step.rule) != "eq-ref":
        return ["reflexive owl:sameAs is only answered by eq-ref"]
    negated_facts = []
    for atom in naf:
        fact = instantiate(atom, final)
        if fact is None:
            return ["a variable of a 'not' condition is not bound by the premises"]
        negated_facts.append(fact)
        if state.has(fact, atom[3] < 0):
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


def _check_literal_type(step: Proof, state) -> list[str]:
    """``lit a DT`` (dt-type2 asked): the literal's lexical form is valid for its datatype, which
    is DT or derives from it; the premise is a fact of the closure whose value is the literal."""
    lit, p, dt = step.triple
    if step.negated or p != RDF.type or not literal_type(lit, dt):
        return [f"{dt.n3()} is not the datatype of a valid literal, nor one containing it"]
    if len(step.premises) != 1 or step.premises[0].triple[2] != lit or step.premises[0].negated:
        return ["the premise must be a fact whose value is the literal"]
    return [] if state.has(step.premises[0].triple, False) else ["the premise is not in the closure"]


def _check_default(step: Proof, state) -> list[str]:
    if len(step.premises) != 2:
        return ["a default step has two premises: the subclass/type link and the source statement"]
    link, source = step.premises
    y, prop, o = step.triple
    ly, lrel, ls = link.triple
    sy, sprop, so = source.triple
    want_neg = step.rule == INHERIT_NEG
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
    if any(_source(state, (y, prop, o), neg) for neg in (False, True)):
        return ["the subject's own statement overrides inheritance"]
    # the sources above y, read off the closure's facts (not the reasoner's Defaults)
    polarity: dict = {}
    for up in _objects(state, y, RDFS.subClassOf) | _objects(state, y, RDF.type):
        for neg in (False, True):
            if up != y and _source(state, (up, prop, o), neg):
                polarity[up] = 0 if up in polarity else (-1 if neg else 1)

    def below(a, b) -> bool:
        return state.has((a, RDFS.subClassOf, b), False)

    specific = [s for s in polarity
                if not any(t != s and below(t, s) and not below(s, t) for t in polarity)]
    if sy not in specific:
        return ["a more specific source exists, so this source does not apply"]
    signs = {polarity[s] for s in specific}
    if signs != {-1 if want_neg else 1}:
        return ["the most specific sources disagree (conflict), so nothing is inherited"]
    return []


def _objects(state, s, p) -> set:
    """Every o with (s p o) in the closure."""
    ids, store = state.store.ids, state.store
    si, pi = ids.get(s), ids.get(p)
    if si is None or pi is None:
        return set()
    return {store.terms[o] for o in store.SP.get(pi, {}).get(si, ())}


def _source(state, triple, negated: bool) -> bool:
    """Is ``triple`` (or its negation) in the closure, and not itself inherited?"""
    fact = state.encode(triple, negated)
    if fact is None or not state.store.has(fact):
        return False
    entry = state.store.prov.get(fact)
    return entry is None or state.rule_info[entry[0]][0] not in (INHERIT, INHERIT_NEG)
