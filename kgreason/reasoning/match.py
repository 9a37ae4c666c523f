"""The one unifier, and rule bodies joined against a lookup through the one join.

:func:`unify` matches an atom ``(s, p, o, sign)`` — a :class:`~kgreason.core.rules.Var` or a
constant in each position, the predicate unsigned — with a fact, extending a binding. It works
on interned ids (the goal-directed solver, the query-time rules, a proof's closed-world leaves)
and on nodes alike (the proof checker, which re-checks each step against the rule as written:
it uses this unifier, never the compiled templates or joins).

:func:`derive` joins a rule's body with some variables bound through the generated join of
``compile.py`` in goal mode, reading facts through a lookup: the goal-directed solver's lookups
table subgoals (``goal.py``), the query-time rules read the store (:func:`query_time_matches`).
The forward engine runs the same generated joins over a round's delta.

Facts are ``(s, p, o)`` ints, ``p`` negative for a negative fact; a pattern is
``(s, p, o, sign)`` with None for a free position (``p`` signed when bound).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from kgreason.core.rules import Var
from kgreason.reasoning.compile import compile_plan

Fact = tuple[int, int, int]
Pattern = tuple[int | None, int | None, int | None, int]
Lookup = Callable[[Pattern], list[Fact]]


def unify(atom: tuple, fact: tuple, sign: int, binding: dict) -> dict | None:
    """``binding`` extended so that ``atom`` matches ``fact`` (s, p, o, p unsigned; None = a
    free position) of polarity ``sign``; None when it cannot (the binding is not changed)."""
    if atom[3] != sign:
        return None
    out = dict(binding)
    for term, value in zip(atom, fact):
        if value is None:
            continue
        if isinstance(term, Var):
            if out.setdefault(term, value) != value:
                return None
        elif term != value:
            return None
    return out


def instantiate(atom: tuple, binding: dict) -> tuple | None:
    """``atom``'s (s, p, o) under ``binding``; None when a variable is unbound."""
    out = tuple(binding.get(t) if isinstance(t, Var) else t for t in atom[:3])
    return None if None in out else out


def resolve(atom, K) -> tuple:
    """A compiled atom as ``(s, p, o, sign)`` for :func:`unify`: a Var for a variable, the
    interned id of a constant (the predicate unsigned)."""
    s, p, o = (Var(t[1]) if t[0] == "v" else abs(K[t[1]]) for t in (atom.s, atom.p, atom.o))
    return (s, p, o, atom.sign)


def derive(template, K, binding: dict, lookup: Lookup, same_as: int | None = None
           ) -> list[tuple[Fact, tuple[Fact, ...]]]:
    """(head fact, premises in body order) for every match of the rule's body extending
    ``binding`` (Var → id), through the generated join in goal mode; its ``distinct`` pairs
    differ and, with ``same_as``, no reflexive owl:sameAs is concluded."""
    pre = tuple(sorted(v.name for v in binding))
    plan = template.goal_plans.get(pre)
    if plan is None:
        plan = template.goal_plans[pre] = compile_plan(
            template.head, template.body, None, template.distinct, True, pre)
    out: list = []
    plan(lookup, out, K, tuple(binding[Var(n)] for n in pre), same_as)
    return out


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
            binding = unify(resolve(head, K), triple, head.sign, {})
            if binding is None:
                continue
            conclusion = (s, p if head.sign > 0 else -p, o)
            for fact, premises in derive(template, K, binding, lookup):
                if fact == conclusion:
                    yield template, conclusion, premises
