"""Rules → specialised Python join functions (generated source, compiled once per rule *shape*):
the one join of the reasoner — the forward engine's semi-naive rounds, and (goal mode) the
goal-directed solver and the query-time rules (clash rules, reflexive and axiomatic answers).

Why generated code: a generic join interpreter in Python spends most of its time on bindings
and dispatch. Generating one small function per (rule, delta atom) with nested loops over hash
indexes gives hand-written speed for every rule, built-in or user, and the compiled code is
cached by the rule's shape (constants become parameters), so the thousands of small theories of
a dataset share a handful of compiled functions.

Facts are integer triples ``(s, p, o)``; a negative fact "not (s P o)" is ``(s, -P, o)``.
Indexes: ``SP[p][s] -> set(o)`` and ``OP[p][o] -> set(s)``. ``delta`` maps ``p -> [(s, o)]``.
A generated plan adds each new fact to ``new`` as ``fact -> (rule_index, premises)``.

Goal mode (``pre``: the variables bound on entry, e.g. by unifying a head with a question): the
plan ``plan(L, out, K, B, SAME)`` reads every body atom through the lookup ``L(pattern)`` — a
pattern ``(s, p, o, sign)`` with None for a free position, so the solver can table it as a
subgoal — and appends every match ``(head fact, premises)`` to ``out``, known facts included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

#: A compiled term: ("c", slot) for a constant (value in K[slot]) or ("v", name) for a variable.
CTerm = tuple[str, object]


@dataclass(frozen=True)
class CAtom:
    """An atom over compiled terms. ``sign`` -1 = the negative fact; ``naf`` = negation as failure."""

    s: CTerm
    p: CTerm
    o: CTerm
    sign: int = 1
    naf: bool = False

    def vars(self) -> set[str]:
        return {t[1] for t in (self.s, self.p, self.o) if t[0] == "v"}


Plan = Callable[..., None]
_CACHE: dict[tuple, Plan] = {}


class _Gen:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.depth = 1
        self.tmp = 0

    def emit(self, line: str) -> None:
        self.lines.append("    " * self.depth + line)

    def open(self, line: str) -> None:
        self.emit(line)
        self.depth += 1

    def fresh(self, base: str) -> str:
        self.tmp += 1
        return f"_{base}{self.tmp}"


def _vname(name: str) -> str:
    return f"v_{name}"


def _expr(term: CTerm, bound: set[str]) -> str | None:
    """Expression for a constant or bound variable, None for an unbound variable."""
    if term[0] == "c":
        return f"k{term[1]}"
    return _vname(term[1]) if term[1] in bound else None


def _pred_expr(atom: CAtom, bound: set[str]) -> str | None:
    e = _expr(atom.p, bound)
    if e is None:
        return None
    if atom.p[0] == "c":
        return e  # constants are stored already signed
    return e if atom.sign > 0 else f"-{e}"


def _target(g: _Gen, term: CTerm, bound: set[str], base: str, taken: set[str] = frozenset()) -> str:
    """Loop variable for ``term``: the variable itself when it is fresh, else a temporary."""
    if term[0] == "v" and term[1] not in bound and _vname(term[1]) not in taken:
        return _vname(term[1])
    return g.fresh(base)


def _bind(g: _Gen, term: CTerm, value: str, bound: set[str]) -> None:
    """Bind ``value`` to ``term``: a fresh variable is assigned, else an equality check nests."""
    e = _expr(term, bound)
    if e is None:
        if value != _vname(term[1]):
            g.emit(f"{_vname(term[1])} = {value}")
        bound.add(term[1])
    else:
        g.open(f"if {value} == {e}:")


def _bind_pred(g: _Gen, atom: CAtom, raw: str, bound: set[str]) -> None:
    """Bind a variable predicate from a raw signed index key (skips keys of the other sign)."""
    g.open(f"if {raw} > 0:" if atom.sign > 0 else f"if {raw} < 0:")
    _bind(g, atom.p, raw if atom.sign > 0 else f"-{raw}", bound)


def _loop_atom(g: _Gen, atom: CAtom, bound: set[str]) -> str:
    """Loops/checks matching a positive atom against the full indexes; returns the fact expr."""
    pe = _pred_expr(atom, bound)
    # by object (the OP index) when only the object is bound, else by subject (SP)
    by_object = _expr(atom.s, bound) is None and _expr(atom.o, bound) is not None
    finish = _finish_from_op if by_object else _finish_from_sp
    index = "OP" if by_object else "SP"
    if atom.p[0] == "c":  # constant predicate: the index dicts were looked up once at the top
        return finish(g, atom, f"{index.lower()}{atom.p[1]}", bound, pe)
    if pe is None:  # unbound variable predicate: scan all predicates
        raw, d = g.fresh("p"), g.fresh("d")
        g.open(f"for {raw}, {d} in {index}.items():")
        _bind_pred(g, atom, raw, bound)
        return finish(g, atom, d, bound, raw)
    d = g.fresh("d")
    g.emit(f"{d} = {index}.get({pe}, ED)")
    return finish(g, atom, d, bound, pe)


def _finish_from_sp(g: _Gen, atom: CAtom, d: str, bound: set[str], pe: str) -> str:
    se, oe = _expr(atom.s, bound), _expr(atom.o, bound)
    if se is not None and oe is not None:
        g.open(f"if {oe} in {d}.get({se}, E):")
    elif se is not None:
        o = _target(g, atom.o, bound, "o")
        g.open(f"for {o} in {d}.get({se}, E):")
        _bind(g, atom.o, o, bound)
    else:
        s, os_ = _target(g, atom.s, bound, "s"), g.fresh("os")
        g.open(f"for {s}, {os_} in {d}.items():")
        _bind(g, atom.s, s, bound)
        if oe is not None:
            g.open(f"if {oe} in {os_}:")
        else:
            o = _target(g, atom.o, bound, "o")
            g.open(f"for {o} in {os_}:")
            _bind(g, atom.o, o, bound)
    return f"({_expr(atom.s, bound)}, {pe}, {_expr(atom.o, bound)})"


def _finish_from_op(g: _Gen, atom: CAtom, d: str, bound: set[str], pe: str) -> str:
    oe = _expr(atom.o, bound)
    s = _target(g, atom.s, bound, "s")
    g.open(f"for {s} in {d}.get({oe}, E):")
    _bind(g, atom.s, s, bound)
    return f"({_expr(atom.s, bound)}, {pe}, {_expr(atom.o, bound)})"


def _loop_lookup(g: _Gen, atom: CAtom, bound: set[str]) -> str:
    """Goal mode: loop over the facts the lookup ``L`` gives for ``atom`` under the bindings so
    far (it matches the bound positions); returns the fact variable."""
    f = g.fresh("f")
    pat = [_expr(atom.s, bound), _pred_expr(atom, bound), _expr(atom.o, bound)]
    g.open(f"for {f} in L(({', '.join(e or 'None' for e in pat)}, {atom.sign})):")
    for i, term in ((0, atom.s), (2, atom.o)):
        if pat[i] is None:
            _bind(g, term, f"{f}[{i}]", bound)
    if pat[1] is None:
        _bind(g, atom.p, f"{f}[1]" if atom.sign > 0 else f"-{f}[1]", bound)
    return f


def _loop_delta(g: _Gen, atom: CAtom, bound: set[str], early=None) -> str:
    """Loop over the delta facts of ``atom``. With a variable predicate, ``early(pred_var)`` is
    called after binding the predicate and before the pairs loop, so atoms that need only the
    predicate (``?p rdfs:domain ?c``) are matched once per predicate, not once per fact."""
    s = _target(g, atom.s, bound, "s")
    o = _target(g, atom.o, bound, "o", {s})
    if atom.p[0] == "c":
        pe = f"k{atom.p[1]}"
        g.open(f"for {s}, {o} in delta.get({pe}, ()):")
    else:
        raw, pairs = g.fresh("p"), g.fresh("pairs")
        g.open(f"for {raw}, {pairs} in delta.items():")
        _bind_pred(g, atom, raw, bound)
        pe = raw
        if early is not None:
            early(atom.p[1])
        g.open(f"for {s}, {o} in {pairs}:")
    _bind(g, atom.s, s, bound)
    _bind(g, atom.o, o, bound)
    return f"({_expr(atom.s, bound)}, {pe}, {_expr(atom.o, bound)})"


def _score(atom: CAtom, bound: set[str]) -> int:
    """How bound an atom is (its predicate counts double): the join takes the most bound first."""
    known = [_expr(t, bound) is not None for t in (atom.p, atom.s, atom.o)]
    return 4 * known[0] + 2 * known[1] + 2 * known[2]


def _split_repeats(body: list[CAtom]) -> tuple[list[CAtom], list[tuple[str, str]]]:
    """``?x p ?x`` → ``?x p ?x__2`` plus the equality ``x == x__2`` (keeps loops simple)."""
    out, equal = [], []
    for i, atom in enumerate(body):
        seen: set[str] = set()
        terms = []
        for j, t in enumerate((atom.s, atom.p, atom.o)):
            if t[0] == "v" and t[1] in seen:
                alias = f"{t[1]}__{i}_{j}"
                equal.append((t[1], alias))
                t = ("v", alias)
            elif t[0] == "v":
                seen.add(t[1])
            terms.append(t)
        out.append(CAtom(terms[0], terms[1], terms[2], atom.sign, atom.naf))
    return out, equal


def generate_source(
    head: tuple[CAtom, ...],
    body: tuple[CAtom, ...],
    delta: int | None,
    distinct: tuple[tuple[str, str], ...],
    guard_same: bool,
    pre: tuple[str, ...] | None = None,
) -> str:
    """Source of ``plan(delta, SP, OP, new, K, RID, SAME)`` for one rule and one delta atom, or
    in goal mode (``pre``: the variables bound on entry) of ``plan(L, out, K, B, SAME)``."""
    body_l, equal = _split_repeats(list(body))
    constraints = list(distinct) + equal
    goal = pre is not None
    if goal and any(a.naf for a in body_l):
        raise ValueError("goal mode cannot evaluate negation as failure")
    g = _Gen()
    consts = sorted({t[1] for a in list(head) + body_l for t in (a.s, a.p, a.o) if t[0] == "c"})
    lines_head = ["def plan(L, out, K, B, SAME):" if goal else "def plan(delta, SP, OP, new, K, RID, SAME):"]
    for c in consts:
        g.emit(f"k{c} = K[{c}]")
    for c in sorted({a.p[1] for a in list(head) + body_l if a.p[0] == "c"}) if not goal else ():
        g.emit(f"sp{c} = SP.get(k{c}, ED)")
        g.emit(f"op{c} = OP.get(k{c}, ED)")
    bound: set[str] = set(pre or ())
    for i, name in enumerate(pre or ()):
        g.emit(f"{_vname(name)} = B[{i}]")
    facts: dict[int, str] = {}
    pending = list(range(len(body_l)))
    done_constraints: set[int] = set()

    hoisted: dict[int, tuple[str, str]] = {}  # head atom → ("set" | "dict", local name)

    def hoist_heads() -> None:
        """Look up the head's index entry as soon as its key is bound (outside inner loops)."""
        for i, atom in enumerate(head if not goal else ()):
            kind = hoisted.get(i, ("", ""))[0]
            if kind == "set":
                continue
            se = _expr(atom.s, bound)
            if atom.p[0] == "c":
                if se is not None:
                    hoisted[i] = ("set", f"_hs{i}")
                    g.emit(f"_hs{i} = sp{atom.p[1]}.get({se}, E)")
                continue
            pe = _pred_expr(atom, bound)
            if pe is None:
                continue
            if kind != "dict":
                hoisted[i] = ("dict", f"_hd{i}")
                g.emit(f"_hd{i} = SP.get({pe}, ED)")
            if se is not None:
                hoisted[i] = ("set", f"_hs{i}")
                g.emit(f"_hs{i} = _hd{i}.get({se}, E)")

    def after_binding() -> None:
        hoist_heads()
        for ci, (a, b) in enumerate(constraints):
            if ci not in done_constraints and a in bound and b in bound:
                done_constraints.add(ci)
                op = "!=" if ci < len(distinct) else "=="
                g.open(f"if {_vname(a)} {op} {_vname(b)}:")
        for j in list(pending):
            atom = body_l[j]
            if atom.naf and atom.vars() <= bound:
                pending.remove(j)
                d = (
                    f"sp{atom.p[1]}"
                    if atom.p[0] == "c"
                    else f"SP.get({_pred_expr(atom, bound)}, ED)"
                )
                g.open(f"if {_expr(atom.o, bound)} not in {d}.get({_expr(atom.s, bound)}, E):")

    after_binding()
    if delta is not None:
        pending.remove(delta)

        def early(pvar: str) -> None:
            after_binding()
            for j in list(pending):
                a = body_l[j]
                if not a.naf and a.p[0] == "c" and pvar in (a.s[1], a.o[1]):
                    pending.remove(j)
                    facts[j] = _loop_atom(g, a, bound)
                    after_binding()

        facts[delta] = _loop_delta(g, body_l[delta], bound, early)
        after_binding()
    while any(not body_l[j].naf for j in pending):
        j = max(
            (j for j in pending if not body_l[j].naf), key=lambda j: (_score(body_l[j], bound), -j)
        )
        pending.remove(j)
        facts[j] = (_loop_lookup if goal else _loop_atom)(g, body_l[j], bound)
        after_binding()
    if pending:  # NAF atoms whose variables never got bound (rejected earlier; defensive)
        raise ValueError("negation-as-failure atom with unbound variables")
    premises = ", ".join(facts[j] for j in sorted(facts))
    premises = f"({premises},)" if facts else "()"
    for hi, atom in enumerate(head):
        pe = _pred_expr(atom, bound)
        se, oe = _expr(atom.s, bound), _expr(atom.o, bound)
        depth = g.depth
        if None in (pe, se, oe):  # goal mode: a head variable the body does not bind
            continue
        if guard_same:
            g.open(f"if not ({pe} == SAME and {se} == {oe}):")
        if goal:
            g.emit(f"out.append((({se}, {pe}, {oe}), {premises}))")
            g.depth = depth
            continue
        kind, name = hoisted.get(hi, ("", ""))
        if kind == "set":
            known = name
        elif kind == "dict":
            known = f"{name}.get({se}, E)"
        else:
            d = f"sp{atom.p[1]}" if atom.p[0] == "c" else f"SP.get({pe}, ED)"
            known = f"{d}.get({se}, E)"
        # the index test first: most attempts re-derive a known fact, and it needs no tuple
        g.open(f"if {oe} not in {known}:")
        g.emit(f"_f = ({se}, {pe}, {oe})")
        g.open("if _f not in new:")
        g.emit(f"new[_f] = (RID, {premises})")
        g.depth = depth
    return "\n".join(lines_head + g.lines) + "\n"


class _LazyPlan:
    """A plan compiled on its first call: most rules of a big rule set never fire on a given
    graph, and generating + compiling every (rule, delta atom) function up front cost ~0.25 s per
    process with the OWL 2 RL rules."""

    __slots__ = ("key", "plan")

    def __init__(self, key: tuple):
        self.key = key
        self.plan: Plan | None = None

    def __call__(self, *args) -> None:
        plan = self.plan
        if plan is None:
            plan = self.plan = _compile(self.key)
        return plan(*args)

    @property
    def source(self) -> str:
        return _compile(self.key).source  # type: ignore[attr-defined]


def _compile(key: tuple) -> Plan:
    plan = _CACHE.get(key)
    if plan is None:
        source = generate_source(*key)
        namespace: dict = {"E": frozenset(), "ED": {}}
        # the source is generated from our own templates (terms enter only as K parameters)
        exec(compile(source, f"<rule plan {len(_CACHE)}>", "exec"), namespace)  # noqa: S102
        plan = namespace["plan"]
        plan.source = source  # type: ignore[attr-defined]
        _CACHE[key] = plan
    return plan


def compile_plan(
    head: tuple[CAtom, ...],
    body: tuple[CAtom, ...],
    delta: int | None,
    distinct: tuple[tuple[str, str], ...] = (),
    guard_same: bool = False,
    pre: tuple[str, ...] | None = None,
) -> Plan:
    """The plan for this rule shape (cached across rules and reasoners), compiled on first use."""
    key = (tuple(head), tuple(body), delta, distinct, guard_same, pre)
    plan = _CACHE.get(key)
    return plan if plan is not None else _LazyPlan(key)
