"""Query-time reasoning: derive only what one question needs (backward chaining with tabling).

For graphs whose closure does not fit in memory (``Reasoner(strategy="query-time")``,
``kgreason ask/prove --reasoning query-time``). Nothing is derived up front; each question's
triple ``(s, p, o)`` and its negation become *subgoals* — triple patterns with some positions
free, e.g. ``(apple, rdfs:subClassOf, ?)`` — and every rule whose head matches a subgoal is
evaluated against the facts known so far, its body atoms becoming subgoals in turn (QSQ / SLD
resolution with tabling: each pattern is solved once and its answers are kept, so recursion
terminates and work is shared between questions). Body atoms are joined most-bound-first, so
bindings flow sideways (``?c rdfs:subClassOf ?d, ?x a ?c`` with ``?x`` known reads the types of
``?x`` first). The new subgoals are iterated to a fixpoint; then every fact that a derivation of
the question can use is in the store, with the same provenance entries (rule, premises) as a
materialized closure, so :meth:`Reasoner.holds` builds the same kind of proof and
:func:`~kgreason.reasoning.proof.check_proof` accepts it.

Scope: Horn rules (the built-in RDFS / OWL 2 RL rules and user rules), explicit negative facts,
the query-time disjointness clashes, and default inheritance (kgr:InheritableProperty) for the
question's own triple and each answer of an open question (inherited facts do not feed further
rules here, unlike a materialized closure). Negation as failure (closed-world rules with ``not`` in the body) needs the whole
closure: such a reasoner refuses query-time mode with a clear error.
"""

from __future__ import annotations

import logging

from kgreason.errors import ReasoningError

log = logging.getLogger(__name__)

Fact = tuple[int, int, int]
#: A subgoal: (s, p, o, sign), None for a free position; p is signed when bound.
Pattern = tuple[int | None, int | None, int | None, int]


class GoalSolver:
    """Tabled backward chaining over one reasoner state's store (asserted facts, then the
    derived facts that questions needed)."""

    def __init__(self, state):
        self.state = state
        self.store = state.store
        self.rules = list(state.crs)
        if any(a.naf for cr in self.rules for a in cr.template.body):
            raise ReasoningError(
                "query-time reasoning cannot evaluate negation as failure (a closed-world rule "
                "with 'not' in its body)",
                hint="use --reasoning materialize, or open-world mode",
            )
        store = self.store
        self.same_as = self.state.closure.same_as
        self.max_facts = state.reasoner.max_facts
        # head index: rules by the (constant, signed) predicate of each head atom; None = any
        self.by_pred: dict[int | None, list[tuple[object, object]]] = {}
        for cr in self.rules:
            for atom in cr.template.head:
                key = cr.K[atom.p[1]] if atom.p[0] == "c" else None
                self.by_pred.setdefault(key, []).append((cr, atom))
        self.query_rules = [(t, tuple(sign * store.intern(n) for n, sign in t.consts))
                            for t in state.query_templates]
        self.tables: set[Pattern] = set()
        self.tables_by_pred: dict[int | None, list[Pattern]] = {}
        #: pattern → the subgoals whose rules looked it up (re-expanded when it gets a fact)
        self.consumers: dict[Pattern, set] = {}
        self.derived = 0

    # ------------------------------------------------------------------ public
    def solve(self, fact: Fact) -> None:
        """Derive everything a proof of ``fact`` (s, p, o: ints, p signed) or of its negation,
        or of a disjointness clash refuting it, can use."""
        s, p, o = fact
        goals = [(s, abs(p), o, 1), (s, -abs(p), o, -1)]
        self._run(goals, clash=(s, abs(p), o))

    def solve_pattern(self, s: int | None, p: int, o: int | None) -> None:
        """Every answer of ``(s p o)`` with free positions (open questions), both polarities."""
        self._run([(s, abs(p), o, 1), (s, -abs(p), o, -1)], clash=None)

    # ------------------------------------------------------------------ fixpoint
    def _run(self, goals: list[Pattern], clash) -> None:
        """Expand subgoals from a worklist: a subgoal is expanded when it is new and again
        whenever a fact is added that matches a pattern its rules looked up (its consumers)."""
        from collections import deque

        queue: deque = deque()
        self.queue, self.queued = queue, set()
        for g in goals:
            self._table(g)
            self._schedule(g)
        if clash is not None:
            self._schedule(("clash", clash))
        while queue:
            goal = queue.popleft()
            self.queued.discard(goal)
            if goal[0] == "clash":
                self._clash_subgoals(goal, goal[1])
            else:
                self._expand(goal)

    def _schedule(self, goal) -> None:
        if goal not in self.queued:
            self.queued.add(goal)
            self.queue.append(goal)

    def _table(self, pat: Pattern) -> None:
        if pat not in self.tables:
            self.tables.add(pat)
            self.tables_by_pred.setdefault(pat[1], []).append(pat)
            self._schedule(pat)

    def _clash_subgoals(self, key, triple: Fact) -> None:
        s, p, o = triple
        for template, K in self.query_rules:
            head = template.head[0]
            binding: dict[str, int] = {}
            if not self._unify(head, K, (s, -p, o), binding):
                continue
            for _ in self._join(template.body, K, binding, key):
                pass

    def _expand(self, goal: Pattern) -> None:
        s, p, o, sign = goal
        candidates = list(self.by_pred.get(p, ())) if p is not None else [
            x for key, xs in self.by_pred.items() if key is None or (key > 0) == (sign > 0)
            for x in xs]
        if p is not None:
            candidates += self.by_pred.get(None, ())
        for cr, atom in candidates:
            if (atom.sign > 0) != (sign > 0):
                continue
            binding: dict[str, int] = {}
            if not self._unify(atom, cr.K, (s, p, o), binding):
                continue
            template = cr.template
            for b, premises in self._join(template.body, cr.K, binding, goal):
                if any(b.get(x) == b.get(y) for x, y in template.distinct):
                    continue
                for h in template.head:
                    f = self._instantiate(h, cr.K, b)
                    if f is None or (f[1] == self.same_as and f[0] == f[2]):
                        continue
                    self._add(f, cr.index, premises)

    # ------------------------------------------------------------------ helpers
    @staticmethod
    def _value(term, K, binding):
        return K[term[1]] if term[0] == "c" else binding.get(term[1])

    def _unify(self, atom, K, fact, binding: dict[str, int]) -> bool:
        """Bind ``atom``'s variables to the bound positions of ``fact`` (None = free)."""
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

    def _instantiate(self, atom, K, b) -> Fact | None:
        s = self._value(atom.s, K, b)
        o = self._value(atom.o, K, b)
        if atom.p[0] == "c":
            p = K[atom.p[1]]
        else:
            p = b.get(atom.p[1])
            if p is not None and atom.sign < 0:
                p = -p
        if s is None or p is None or o is None:
            return None
        return (s, p, o)

    def _pattern(self, atom, K, b) -> Pattern:
        s = self._value(atom.s, K, b)
        o = self._value(atom.o, K, b)
        if atom.p[0] == "c":
            p = K[atom.p[1]]
        else:
            p = b.get(atom.p[1])
            if p is not None and atom.sign < 0:
                p = -p
        return (s, p, o, atom.sign)

    def _join(self, atoms, K, binding, consumer):
        """Every extension of ``binding`` matching all (positive) ``atoms``, with the matched
        facts in body order; each atom's pattern becomes a subgoal."""
        todo = [i for i, a in enumerate(atoms) if not a.naf]
        facts: dict[int, Fact] = {}

        def bound_count(i, b):
            pat = self._pattern(atoms[i], K, b)
            return (pat[1] is not None) * 4 + (pat[0] is not None) * 2 + (pat[2] is not None)

        def rec(b, left):
            if not left:
                yield b, tuple(facts[i] for i in sorted(facts))
                return
            i = max(left, key=lambda j: (bound_count(j, b), -j))
            rest = [j for j in left if j != i]
            atom = atoms[i]
            pat = self._pattern(atom, K, b)
            self._table(pat)
            users = self.consumers.get(pat)
            if users is None:
                self.consumers[pat] = {consumer}
            else:
                users.add(consumer)
            for fact in self._lookup(pat):
                nb = dict(b)
                if not self._unify(atom, K, fact, nb):
                    continue
                facts[i] = fact
                yield from rec(nb, rest)
            facts.pop(i, None)

        yield from rec(dict(binding), todo)

    def _lookup(self, pat: Pattern) -> list[Fact]:
        s, p, o, sign = pat
        SP, OP = self.store.SP, self.store.OP
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

    def _add(self, fact: Fact, rule_index: int, premises) -> None:
        store = self.store
        if store.has(fact):
            return
        s, p, o = fact
        d = store.SP.get(p)
        if d is None:
            d = store.SP[p] = {}
            store.OP[p] = {}
        d.setdefault(s, set()).add(o)
        store.OP[p].setdefault(o, set()).add(s)
        store.prov[fact] = (rule_index, premises)
        self.derived += 1
        sign = 1 if p > 0 else -1
        for key in (p, None):
            for pat in self.tables_by_pred.get(key, ()):
                if (pat[0] is None or pat[0] == s) and (pat[2] is None or pat[2] == o) and (
                        key is not None or pat[3] == sign):
                    for g in self.consumers.get(pat, ()):
                        self._schedule(g)
        if store.fact_count() > self.max_facts:
            raise ReasoningError(
                f"query-time reasoning stopped after {self.max_facts:,} facts: the question needs "
                "more of the closure than the limit allows",
                hint="raise the limit (--max-facts N, KGREASON_MAX_FACTS) if the memory allows",
            )

    # ------------------------------------------------------------------ default inheritance
    def inherit_pattern(self, s: int | None, p: int, o: int | None) -> None:
        """Default inheritance for every answer of an open question ``(? p o)`` or ``(s p ?)``:
        the nodes below a source of ``(S ±p o)`` (or the values of the sources above ``s``)."""
        defaults = self.state.defaults
        p = abs(p)
        if p not in defaults.properties():
            return
        store = self.store
        sc, ty = defaults.sc_id, defaults.type_id
        rels = [r for r in (sc, ty) if r is not None]
        if s is None and o is not None:
            sources = set(store.OP.get(p, {}).get(o, ())) | set(store.OP.get(-p, {}).get(o, ()))
            self._run([(None, r, src, 1) for src in sorted(sources) for r in rels], clash=None)
            below = {y for src in sources for r in rels for y in store.OP.get(r, {}).get(src, ())}
            for y in sorted(below):
                self.inherit((y, p, o))
        elif s is not None and o is None:
            self._run([(s, r, None, 1) for r in rels], clash=None)
            ups = {u for r in rels for u in store.SP.get(r, {}).get(s, ())}
            self._run([(u, q, None, sign) for u in sorted(ups) for q, sign in ((p, 1), (-p, -1))],
                      clash=None)
            values = {v for u in ups for q in (p, -p) for v in store.SP.get(q, {}).get(u, ())}
            for v in sorted(values):
                self.inherit((s, p, v))

    def inherit(self, fact: Fact) -> None:
        """Default inheritance for the question's own triple (see the module docstring): when
        neither polarity of ``fact`` holds strictly and its predicate is inheritable, the most
        specific sources above the subject decide (as ``defaults.py`` does)."""
        state = self.state
        defaults = state.defaults
        y, p, o = fact
        p = abs(p)
        if p not in defaults.properties():
            return
        store = self.store
        if store.has((y, p, o)) or store.has((y, -p, o)):
            return
        sc, ty = defaults.sc_id, defaults.type_id
        ups: set[int] = set()
        for rel in (sc, ty):
            if rel is not None:
                self._run([(y, rel, None, 1)], clash=None)
                ups |= store.SP.get(rel, {}).get(y, set())
        for up in ups:  # the sources' own subclass links decide which is most specific
            if sc is not None:
                self._run([(up, sc, None, 1), (up, p, o, 1), (up, -p, o, -1)], clash=None)
        polarity, specific = defaults.most_specific(y, p, o)
        if not specific:
            return
        signs: set[int] = set()
        for s_ in specific:
            signs |= {1, -1} if polarity[s_] == 0 else {polarity[s_]}
        if len(signs) == 1:
            sign = signs.pop()
            src = min(specific)
            rel = sc if sc is not None and src in store.SP.get(sc, {}).get(y, ()) else ty
            rule = defaults.inherit_index if sign > 0 else defaults.inherit_neg_index
            self._add((y, sign * p, o), rule, ((y, rel, src), (src, sign * p, o)))
        else:
            from kgreason.reasoning.defaults import DefaultConflict

            pos = tuple(sorted(s_ for s_ in specific if polarity[s_] >= 0))
            neg = tuple(sorted(s_ for s_ in specific if polarity[s_] <= 0))
            defaults.conflicts[(y, p, o)] = DefaultConflict(y, p, o, pos, neg)
