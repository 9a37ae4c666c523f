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
the query-time rules, and default inheritance (kgr:InheritableProperty) decided by the same
:meth:`Defaults.decide <kgreason.reasoning.defaults.Defaults.decide>` as a materialized closure:
after the strict fixpoint of the tabled subgoals, every tabled subgoal on an inheritable property
gets its inherited answers (whose facts then feed the rules, as in a closure), and each inherited
fact is chased forward to its consequences so that a default that leads to a clash is found and
blocked as ``clashes.py`` does for a closure (the reasoner recomputes without it). Negation as
failure (closed-world rules with ``not`` in the body) needs the whole closure: such a reasoner
refuses query-time mode with a clear error.
"""

from __future__ import annotations

import logging
from collections import deque

from kgreason.errors import ReasoningError
from kgreason.reasoning.match import derive, lookup_facts, query_time_matches, resolve, unify
from kgreason.reasoning.reachability import RAISE_LIMIT

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
        self.same_as = self.state.closure.same_as
        self.max_facts = state.reasoner.max_facts
        # rules by the (constant, signed) predicate of each head atom, and of each body atom
        # (the forward chase); None = any
        self.by_pred: dict[int | None, list[tuple[object, tuple]]] = {}
        self.by_body_pred: dict[int | None, list[tuple[object, tuple]]] = {}
        for cr in self.rules:
            for index, atoms in ((self.by_pred, cr.template.head), (self.by_body_pred, cr.template.body)):
                for atom in atoms:
                    key = cr.K[atom.p[1]] if atom.p[0] == "c" else None
                    index.setdefault(key, []).append((cr, resolve(atom, cr.K)))
        self.query_rules = state.query_rules
        self.tables: set[Pattern] = set()
        self.tables_by_pred: dict[int | None, list[Pattern]] = {}
        #: pattern → the subgoals whose rules looked it up (re-expanded when it gets a fact)
        self.consumers: dict[Pattern, set] = {}
        self.derived = 0
        self.queue: deque = deque()
        self.queued: set = set()
        #: derived facts whose recorded derivation rests on a default (see :meth:`_add`), chased
        #: forward by :meth:`_forward_pass`
        self.weak: set[Fact] = set()
        defaults = state.defaults
        self.inherit_rules = (defaults.inherit_index, defaults.inherit_neg_index)
        self.inheritable = defaults.inheritable_id if defaults.type_id is not None else None
        if self.inheritable is not None:  # which properties are inheritable may be derived
            self._run([(None, defaults.type_id, self.inheritable, 1)], clash=None)

    # ------------------------------------------------------------------ public
    def solve(self, fact: Fact) -> None:
        """Derive everything a proof of ``fact`` (s, p, o: ints, p signed) or of its negation,
        or of a query-time rule refuting it, can use."""
        s, p, o = fact
        self._run(_both(s, p, o), clash=(s, abs(p), o))

    def solve_pattern(self, s: int | None, p: int, o: int | None) -> None:
        """Every answer of ``(s p o)`` with free positions (open questions), both polarities."""
        self._run(_both(s, p, o), clash=None)

    # ------------------------------------------------------------------ fixpoint
    def _run(self, goals: list[Pattern], clash) -> None:
        """Table the goals, then alternate the strict fixpoint, an inheritance step over the
        tabled goals and the forward chase of inherited facts until none adds a fact."""
        self._table(*goals)
        if clash is not None:
            self._schedule(("clash", clash))
        self._drain()
        if self.inheritable is None:
            return
        while self._defaults_pass() or self._forward_pass():
            self._drain()

    def _drain(self) -> None:
        """Expand subgoals from the worklist: a subgoal is expanded when it is new and again
        whenever a fact is added that matches a pattern its rules looked up (its consumers)."""
        queue = self.queue
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

    def _table(self, *patterns: Pattern) -> None:
        for pat in patterns:
            if pat not in self.tables:
                self.tables.add(pat)
                self.tables_by_pred.setdefault(pat[1], []).append(pat)
                self._schedule(pat)

    def _clash_subgoals(self, key, triple: Fact) -> None:
        for _ in query_time_matches(self.query_rules, triple, self._lookup_for(key)):
            pass

    def _expand(self, goal: Pattern) -> None:
        s, p, o, sign = goal
        candidates = list(self.by_pred.get(p, ())) if p is not None else [
            x for key, xs in self.by_pred.items() if key is None or (key > 0) == (sign > 0)
            for x in xs]
        if p is not None:
            candidates += self.by_pred.get(None, ())
        lookup = self._lookup_for(goal)
        for cr, atom in candidates:
            binding = unify(atom, (s, p and abs(p), o), sign, {})
            if binding is not None:
                for f, premises in derive(cr.template, cr.K, binding, lookup, self.same_as):
                    self._add(f, cr.index, premises)

    # ------------------------------------------------------------------ helpers
    def _lookup_for(self, consumer):
        """The lookup the matcher uses for ``consumer``'s rules: each pattern becomes a tabled
        subgoal whose new answers re-expand the consumer (None: no consumer)."""
        store = self.store

        def lookup(pat: Pattern) -> list[Fact]:
            self._table(pat)
            if consumer is not None:
                users = self.consumers.get(pat)
                if users is None:
                    self.consumers[pat] = {consumer}
                else:
                    users.add(consumer)
            return lookup_facts(store, pat)

        return lookup

    def _add(self, fact: Fact, rule_index: int, premises) -> bool:
        """Add a derived fact (waking the subgoals that looked up a matching pattern). A fact
        recorded with a derivation through a default gets a strict derivation instead when one
        turns up, as in a closure (where the strict facts come first), so "does this rest on a
        default" never depends on the order in which questions were asked."""
        store = self.store
        weak = rule_index in self.inherit_rules or bool(self.weak) and any(
            q in self.weak for q in premises)
        if store.has(fact):
            if weak or fact not in self.weak:
                return False
            store.prov[fact] = (rule_index, premises)  # a strict derivation replaces a weak one
            self.weak.discard(fact)
            self._wake(fact)
            return False
        store.add({fact: (rule_index, premises)})
        if weak:
            self.weak.add(fact)
        self.derived += 1
        self._wake(fact)
        if store.fact_count() > self.max_facts:
            raise ReasoningError(
                f"query-time reasoning stopped after {self.max_facts:,} facts: the question needs "
                "more of the closure than the limit allows",
                hint=RAISE_LIMIT,
            )
        return True

    def _wake(self, fact: Fact) -> None:
        """Schedule the consumers of every tabled pattern that ``fact`` matches."""
        s, p, o = fact
        sign = 1 if p > 0 else -1
        for key in (p, None):
            for pat in self.tables_by_pred.get(key, ()):
                if (pat[0] is None or pat[0] == s) and (pat[2] is None or pat[2] == o) and (
                        key is not None or pat[3] == sign):
                    for g in self.consumers.get(pat, ()):
                        self._schedule(g)

    # ------------------------------------------------------------------ default inheritance
    def _default_candidates(self, props: set[int]) -> tuple[set[Fact], list[Pattern]]:
        """The triples ``(y prop o)`` that the tabled goals ask about and that inheritance could
        give, and the subgoals :meth:`Defaults.decide` reads for them."""
        store, defaults = self.store, self.state.defaults
        SP, OP = store.SP, store.OP
        rels = [r for r in (defaults.sc_id, defaults.type_id) if r is not None]
        cands: set[Fact] = set()
        need: list[Pattern] = []
        for pat in list(self.tables):
            s, p, o, _ = pat
            for prop in (props if p is None else ({abs(p)} & props)):
                if s is not None:
                    ys = {s}
                else:
                    need += _both(None, prop, o)
                    if o is not None:
                        srcs = OP.get(prop, {}).get(o, set()) | OP.get(-prop, {}).get(o, set())
                    else:
                        srcs = set(SP.get(prop, ())) | set(SP.get(-prop, ()))
                    need += [(None, r, src, 1) for src in srcs for r in rels]
                    ys = {y for src in srcs for r in rels for y in OP.get(r, {}).get(src, ())}
                for y in ys:
                    need += [(y, r, None, 1) for r in rels]
                    ups = {u for r in rels for u in SP.get(r, {}).get(y, ())}
                    need += [pat for u in ups for pat in _both(u, prop, o)]
                    if defaults.sc_id is not None:
                        need += [(u, defaults.sc_id, None, 1) for u in ups]
                    if o is not None:
                        objs = {o}
                    else:
                        objs = {v for u in ups for q in (prop, -prop) for v in SP.get(q, {}).get(u, ())}
                    for v in objs:
                        need += _both(y, prop, v)
                        cands.add((y, prop, v))
        return cands, need

    def _defaults_pass(self) -> bool:
        """One inheritance step over the tabled goals (what :meth:`Defaults.step` is over a
        closure): first every subgoal the decisions read is solved, then each is decided."""
        defaults = self.state.defaults
        props = set(defaults.properties())
        if not props:
            return False
        while True:
            n = len(self.tables)
            cands, need = self._default_candidates(props)
            self._table(*need)
            self._drain()
            if len(self.tables) == n:
                break
        new = [found for c in sorted(cands) if (found := defaults.decide(*c)) is not None]
        for fact, (rule, premises) in new:
            self._add(fact, rule, premises)
        return bool(new)

    def _forward_pass(self) -> bool:
        """Chase the facts that rest on defaults forward: the consequences a closure would draw
        from them, each with its own polarity and its negation solved (strictly first), so that
        a clash a default leads to is in the store for
        :func:`~kgreason.reasoning.clashes.default_clashes`. True when anything was added."""
        n = len(self.tables)
        heads: dict[Fact, tuple[int, tuple]] = {}
        lookup = self._lookup_for(None)
        for s, p, o in sorted(self.weak):
            self._table(*_both(s, p, o))
            for cr, atom in self.by_body_pred.get(p, []) + self.by_body_pred.get(None, []):
                binding = unify(atom, (s, abs(p), o), 1 if p > 0 else -1, {})
                if binding is None:
                    continue
                for h, premises in derive(cr.template, cr.K, binding, lookup, self.same_as):
                    if h not in heads and not self.store.has(h):
                        heads[h] = (cr.index, premises)
        for s, p, o in heads:
            self._table(*_both(s, p, o))
        self._drain()
        added = False
        for h, (rule, premises) in heads.items():
            added |= self._add(h, rule, premises)
        return added or len(self.tables) > n


def _both(s: int | None, p: int, o: int | None) -> list[Pattern]:
    """The subgoals ``(s p o)`` and "not (s p o)" (``p`` signed or not)."""
    return [(s, abs(p), o, 1), (s, -abs(p), o, -1)]
