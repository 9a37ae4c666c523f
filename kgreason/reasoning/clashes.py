"""Clashes (a fact and its negation both in the closure) and the defaults that cause them.

OWL 2 RL rules whose head is ``false`` derive a negative fact here (``owl_rules.py``), so an
inconsistency is a pair of facts, each with its proof: :attr:`Reasoner.contradictions`.

Defaults stay sound next to OWL: when one side of a clash is strict and the other side's proof
uses default inheritance (``kgr-inherit``) to reach a *different* triple, the inherited facts in
that proof are blocked — the closure is recomputed without them — and each is reported as a
``blocked-default`` :class:`~kgreason.core.verdict.Conflict` with the proofs of the clash it would
cause (the direct case, a default against a strict fact on the same triple, is the existing
"strict wins" resolution).
"""

from __future__ import annotations

from collections.abc import Iterator

from kgreason.core.verdict import Conflict

#: At most this many recomputations of the closure to block defaults (each blocks at least one).
MAX_BLOCKING_ROUNDS = 10


def clash_pairs(store, subject: int | None = None
                ) -> Iterator[tuple[tuple[int, int, int], tuple[int, int, int]]]:
    """(positive fact, negative fact) for every triple derived with both polarities (about
    ``subject`` only, when given)."""
    SP = store.SP
    for p, d in list(SP.items()):
        if p >= 0 or -p not in SP:
            continue
        pos_index = SP[-p]
        rows = d.items() if subject is None else [(subject, d.get(subject, set()))]
        for s, objs in rows:
            for o in objs & pos_index.get(s, set()):
                yield (s, -p, o), (s, p, o)


def inherited_premises(state, fact) -> list:
    """The facts derived by default inheritance in the first derivation tree of ``fact``."""
    prov = state.store.prov
    inherit = {state.defaults.inherit_index, state.defaults.inherit_neg_index}
    out, seen, stack = [], set(), [fact]
    while stack:
        f = stack.pop()
        if f in seen:
            continue
        seen.add(f)
        entry = prov.get(f)
        if entry is None:
            continue
        if entry[0] in inherit:
            out.append(f)
        stack.extend(state.premises_of(f))  # a transitive pair's premises are found on demand
    return out


def default_clashes(state) -> dict[tuple, Conflict]:
    """(default triple, negated) → blocked-default Conflict, for each inherited fact that leads to
    a clash with a strict fact on another triple."""
    found: dict[tuple, Conflict] = {}
    for pos, neg in clash_pairs(state.store):
        dpos, dneg = inherited_premises(state, pos), inherited_premises(state, neg)
        if bool(dpos) == bool(dneg):
            continue  # both strict (an inconsistency) or both defeasible (unresolved)
        defeasible = pos if dpos else neg
        culprits = [f for f in (dpos or dneg) if f != defeasible]
        if not culprits:
            continue  # the default itself is contradicted: "strict wins" in holds
        proofs = [state.proof(pos), state.proof(neg)]
        for f in culprits:
            triple, negated = state.decode(f)
            source = state.store.terms[state.store.prov[f][1][1][0]]
            found.setdefault((triple, negated), Conflict(
                "blocked-default", triple, [source] if not negated else [],
                [source] if negated else [], proofs,
                "the default is not applied: with it, the strict rules derive both a fact and "
                "its negation"))
    return found


def touching(state, triple, proof, limit: int = 3) -> list[tuple[tuple, tuple]]:
    """Clashes (positive fact, negative fact) that an answer touches: a fact used in its proof
    that is also denied (or the other way round), or a clash about the question's subject."""
    store = state.store
    out: list[tuple[tuple, tuple]] = []
    seen: set = set()

    def add(pos, neg) -> None:
        if pos not in seen:
            seen.add(pos)
            out.append((pos, neg))

    if proof is not None:
        for step in proof.steps():
            fact = state.encode(step.triple, step.negated)
            if fact is None:
                continue
            s, p, o = fact
            other = (s, -p, o)
            if store.has(other):
                add(*(((s, abs(p), o), (s, -abs(p), o))))
            if len(out) >= limit:
                return out
    subject = store.ids.get(triple[0])
    for pos, neg in clash_pairs(store, subject) if subject is not None else ():
        add(pos, neg)
        if len(out) >= limit:
            break
    return out


#: Roots of a negative proof that `graph validate` already reports from the asserted triples.
_ASSERTED_CHECKS = {"kgr-neg", "prp-npa1", "prp-npa2"}


def inconsistencies(reasoner) -> list[Conflict]:
    """The reasoner's unresolved contradictions (strict clashes: an OWL inconsistency such as
    cax-dw, cls-com, prp-irp, cls-maxc1, dt-not-type, ...), each with the proofs of both sides,
    without the asserted ``X N O`` / ``X P O`` pairs that ``graph validate`` already lists."""
    out = []
    for c in reasoner.contradictions:
        if c.resolution != "unresolved" or len(c.proofs) != 2:
            continue
        pos, neg = c.proofs
        if neg.rule in _ASSERTED_CHECKS and all(p.rule == "asserted" for p in neg.premises) and \
                pos.rule == "asserted":
            continue
        out.append(c)
    return out
