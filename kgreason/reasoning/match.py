"""The one rule matcher over a store: unify a compiled atom with a (partly bound) fact, and join
a rule body against a lookup, most-bound atom first.

Used by the goal-directed solver (``goal.py``: its lookups table subgoals), by the query-time
rules of every strategy (:func:`query_time_matches`) and by the forward chase of inherited facts.
The materialized closure runs the same rules through generated joins (``compile.py``), which are
this join specialised per rule shape for speed; the proof checker (``proof.py``) re-checks every
step against the rule as written, so neither is trusted.

Facts are ``(s, p, o)`` ints, ``p`` negative for a negative fact; a pattern is
``(s, p, o, sign)`` with None for a free position (``p`` signed when bound).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

Fact = tuple[int, int, int]
Pattern = tuple[int | None, int | None, int | None, int]
Lookup = Callable[[Pattern], list[Fact]]


def unify(atom, K, fact, binding: dict[str, int]) -> bool:
    """Bind ``atom``'s variables to the bound positions of ``fact`` (None = free), in place."""
    for term, value, is_pred in ((atom.s, fact[0], False), (atom.p, fact[1], True),
                                 (atom.o, fact[2], False)):
        if value is None:
            continue
        if term[0] == "c":
            if K[term[1]] != value:
                return False
            continue
        v = abs(value) if is_pred else value
        if is_pred and (value > 0) != (atom.sign > 0):
            return False
        if binding.setdefault(term[1], v) != v:
            return False
    return True


def pattern(atom, K, b) -> Pattern:
    """``atom`` under the binding ``b`` (None where a variable is unbound)."""
    s = K[atom.s[1]] if atom.s[0] == "c" else b.get(atom.s[1])
    o = K[atom.o[1]] if atom.o[0] == "c" else b.get(atom.o[1])
    if atom.p[0] == "c":
        p = K[atom.p[1]]
    else:
        p = b.get(atom.p[1])
        if p is not None and atom.sign < 0:
            p = -p
    return (s, p, o, atom.sign)


def instantiate(atom, K, b) -> Fact | None:
    s, p, o, _ = pattern(atom, K, b)
    if s is None or p is None or o is None:
        return None
    return (s, p, o)


def join(atoms, K, binding: dict[str, int], lookup: Lookup) -> Iterator[tuple[dict, tuple[Fact, ...]]]:
    """Every extension of ``binding`` matching all positive ``atoms``, with the matched facts in
    body order. The most bound atom goes first, so bindings flow sideways."""
    todo = [i for i, a in enumerate(atoms) if not a.naf]
    facts: dict[int, Fact] = {}

    def bound(i, b):
        s, p, o, _ = pattern(atoms[i], K, b)
        return (p is not None) * 4 + (s is not None) * 2 + (o is not None), -i

    def rec(b, left):
        if not left:
            yield b, tuple(facts[i] for i in sorted(facts))
            return
        i = max(left, key=lambda j: bound(j, b))
        rest = [j for j in left if j != i]
        atom = atoms[i]
        for fact in lookup(pattern(atom, K, b)):
            nb = dict(b)
            if not unify(atom, K, fact, nb):
                continue
            facts[i] = fact
            yield from rec(nb, rest)
        facts.pop(i, None)

    yield from rec(dict(binding), todo)


def derive(cr, binding: dict[str, int], lookup: Lookup, same_as: int | None = None
           ) -> Iterator[tuple[Fact, tuple[Fact, ...]]]:
    """(head fact, premises) for every match of the bound rule ``cr``'s body extending
    ``binding``: its ``distinct`` pairs differ and no reflexive owl:sameAs is concluded."""
    template, K = cr.template, cr.K
    for b, premises in join(template.body, K, binding, lookup):
        if any(b.get(x) == b.get(y) for x, y in template.distinct):
            continue
        for h in template.head:
            f = instantiate(h, K, b)
            if f is None or (f[0] == f[2] and abs(f[1]) == same_as):
                continue
            yield f, premises


def lookup_facts(store, pat: Pattern) -> list[Fact]:
    """The facts of ``store`` matching ``pat`` (a free predicate ranges over the pattern's sign)."""
    s, p, o, sign = pat
    SP, OP = store.SP, store.OP
    out: list[Fact] = []
    preds = [p] if p is not None else [q for q in list(SP) if (q > 0) == (sign > 0)]
    for q in preds:
        d = SP.get(q)
        if not d:
            continue
        if s is not None:
            objs = d.get(s)
            if not objs:
                continue
            if o is not None:
                if o in objs:
                    out.append((s, q, o))
            else:
                out.extend((s, q, x) for x in objs)
        elif o is not None:
            subs = OP.get(q, {}).get(o)
            if subs:
                out.extend((x, q, o) for x in subs)
        else:
            out.extend((x, q, y) for x, ys in d.items() for y in ys)
    return out


def query_time_matches(query_rules, triple: Fact, lookup: Lookup
                       ) -> Iterator[tuple[object, Fact, tuple[Fact, ...]]]:
    """(template, conclusion, premises) for each query-time rule (``(template, K)`` pairs)
    whose head concludes ``triple`` (s, p, o with p > 0) or its negation."""
    s, p, o = triple
    for template, K in query_rules:
        for head in template.head:
            conclusion = (s, p if head.sign > 0 else -p, o)
            binding: dict[str, int] = {}
            if not unify(head, K, conclusion, binding):
                continue
            for b, premises in join(template.body, K, binding, lookup):
                if any(b.get(x) == b.get(y) for x, y in template.distinct):
                    continue
                yield template, conclusion, premises
