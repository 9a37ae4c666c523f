"""Semi-naive forward chaining to a fixpoint over integer-encoded terms, with provenance.

One :class:`Closure` per (graph, rules, mode). Terms are interned to ints (``Store.ids``);
a fact is ``(s, p, o)``, a negative fact ``(s, -p, o)``. Each derived fact keeps the rule and the
premise facts that *first* derived it (``prov``) — enough to rebuild a proof tree, cheap to keep.

Evaluation: round 0 runs every active rule once over all facts; later rounds run, for each rule
and each body atom, the plan that takes that atom from the previous round's new facts (``delta``)
and the others from the full indexes. Rules whose body needs a predicate that is absent and that
no active rule can derive are never run (so tiny theories do not pay for the OWL rules).
Closed-world mode evaluates negation as failure stratum by stratum (see ``stratify.py``).
Default inheritance alternates with the strict closure until neither adds anything
(``defaults.py``).
"""

from __future__ import annotations

import gc
import logging
import time
from collections import Counter
from dataclasses import dataclass, field

from rdflib import OWL, RDF, RDFS
from rdflib.term import Node

from kgreason.core.rules import Atom, Rule, Var
from kgreason.errors import ReasoningError
from kgreason.reasoning.compile import CAtom, Plan, compile_plan
from kgreason.reasoning.reachability import RAISE_LIMIT, REACHABILITY_RULES, Reachability

log = logging.getLogger(__name__)

Fact = tuple[int, int, int]


class Store:
    """Interned terms + the two hash indexes + provenance of derived facts."""

    def __init__(self) -> None:
        self.ids: dict[Node, int] = {}
        self.terms: list[Node | None] = [None]
        self.SP: dict[int, dict[int, set[int]]] = {}
        self.OP: dict[int, dict[int, set[int]]] = {}
        self.prov: dict[Fact, tuple[int, tuple[Fact, ...]]] = {}
        self.asserted = 0
        self.n_data_terms = 1
        #: batches of derived facts so far (reachability pairs record it: see reachability.py)
        self.clock = 0

    def intern(self, node: Node) -> int:
        i = self.ids.get(node)
        if i is None:
            i = len(self.terms)
            self.ids[node] = i
            self.terms.append(node)
        return i

    def add_graph(self, graph) -> None:
        """Add an rdflib graph's triples, predicate by predicate (sorted), each in the graph's own
        index order: a deterministic order (``iter(graph)`` follows a hash-ordered set, and the
        order decides which derivation a proof shows), and one index lookup per predicate
        instead of per triple. rdflib's public API only (see benchmarks/reasoner_closure.py)."""
        predicates = sorted(set(graph.predicates()), key=lambda p: (type(p).__name__, str(p)))
        ids, terms = self.ids, self.terms
        get = ids.get
        n = 0
        for p in predicates:
            pi = get(p)
            if pi is None:
                pi = ids[p] = len(terms)
                terms.append(p)
            encoded = []
            for s, o in graph.subject_objects(p):
                si = get(s)
                if si is None:
                    si = ids[s] = len(terms)
                    terms.append(s)
                oi = get(o)
                if oi is None:
                    oi = ids[o] = len(terms)
                    terms.append(o)
                encoded.append((si, oi))
            n += self._index(pi, encoded)
        self.asserted += n
        self.n_data_terms = len(terms)  # ids below this occur in the data (rule constants come later)

    def _index(self, p: int, pairs: list[tuple[int, int]]) -> int:
        """Insert ``(s, p, o)`` for each pair into both indexes (the one index insertion);
        returns how many were new."""
        d = self.SP.get(p)
        if d is None:
            d = self.SP[p] = {}
            od = self.OP[p] = {}
        else:
            od = self.OP[p]
        dget, odget = d.get, od.get
        n = 0
        for s, o in pairs:
            os_ = dget(s)
            if os_ is None:
                d[s] = {o}
            elif o in os_:
                continue
            else:
                os_.add(o)
            ss = odget(o)
            if ss is None:
                od[o] = {s}
            else:
                ss.add(s)
            n += 1
        return n

    def add_row(self, p: int, s: int, objs: set[int], provenance, out: list) -> int:
        """Add ``s p o`` for each o of ``objs`` not known yet, all with one provenance (a
        reachability row, see reachability.py: set operations instead of a check per pair),
        appending ``(s, o)`` to ``out``; returns how many were new."""
        SP, OP, prov = self.SP.setdefault(p, {}), self.OP.setdefault(p, {}), self.prov
        row = SP.get(s)
        if row is None:
            new, SP[s] = set(objs), set(objs)
        else:
            new = objs - row
            row |= new
        for o in new:
            subjects = OP.get(o)
            if subjects is None:
                OP[o] = {s}
            else:
                subjects.add(s)
            prov[(s, p, o)] = provenance
            out.append((s, o))
        return len(new)

    def add(self, new: dict[Fact, tuple[int, tuple[Fact, ...]]]) -> dict[int, list[tuple[int, int]]]:
        """Add derived facts not in the store yet with their provenance (rule index, premises)
        — the one way a derived fact enters the store (rounds, defaults, the goal-directed
        solver; reachability rows through :meth:`add_row`) — and return them as a delta (grouped
        by predicate, so each predicate's index dicts are looked up once, not once per fact)."""
        self.clock += 1
        delta: dict[int, list[tuple[int, int]]] = {}
        for s, p, o in new:
            pairs = delta.get(p)
            if pairs is None:
                delta[p] = [(s, o)]
            else:
                pairs.append((s, o))
        for p, pairs in delta.items():
            self._index(p, pairs)
        self.prov.update(new)
        return delta

    def has(self, fact: Fact) -> bool:
        s, p, o = fact
        d = self.SP.get(p)
        return d is not None and o in d.get(s, ())

    def fact_count(self) -> int:
        return self.asserted + len(self.prov)

    def to_arrays(self) -> tuple[dict, list[str], dict]:
        """The store as numpy arrays + term texts + counters, for the compiled-graph cache
        (``cache.py``); :meth:`from_arrays` reads them back. See ``array_store.py``."""
        from kgreason.reasoning.array_store import store_arrays

        return store_arrays(self)

    @classmethod
    def from_arrays(cls, arrays: dict, term_keys: list[str], counters: dict, base_ids=None) -> Store:
        """A read-only store over ``arrays`` (memory-mapped is fine): lookups by binary search,
        terms decoded on demand; new terms can still be interned (query time)."""
        from kgreason.reasoning.array_store import array_views

        store = cls()
        store.ids, store.terms, store.SP, store.OP, store.prov = array_views(arrays, term_keys, base_ids)
        store.asserted = int(counters["asserted"])
        store.n_data_terms = int(counters["n_data_terms"])
        if "clock" in counters:
            store.clock = int(counters["clock"])
        return store


@dataclass(frozen=True, eq=False)
class RuleTemplate:
    """A rule compiled independently of any store: constants are (node, sign) slots."""

    rule: Rule
    consts: tuple[tuple[Node, int], ...]
    head: tuple[CAtom, ...]
    body: tuple[CAtom, ...]
    full: Plan
    deltas: tuple[
        tuple[int | None, Plan], ...
    ]  # (slot of the delta atom's constant predicate, plan)
    needs: tuple[tuple[int | None, int | None], ...]  # (predicate slot, rdf:type object slot)
    produces: tuple[tuple[int | None, int | None], ...]
    builtin: bool
    distinct: tuple[tuple[str, str], ...] = ()
    #: goal-mode plans by the variables bound on entry (``match.derive``), compiled on first use
    goal_plans: dict = field(default_factory=dict)


@dataclass(eq=False)
class CompiledRule:
    """A template bound to one store: ``K`` holds the interned (signed) constants."""

    index: int
    template: RuleTemplate
    K: tuple[int, ...]
    stratum: int = 0

    @property
    def rule(self) -> Rule:
        return self.template.rule

    @property
    def full(self) -> Plan:
        return self.template.full


@dataclass
class RunStats:
    rounds: int = 0
    seconds: float = 0.0
    derived: int = 0
    per_rule: Counter = field(default_factory=Counter)


_TEMPLATES: dict[tuple, RuleTemplate] = {}


def rule_template(rule: Rule, *, closed_world: bool, negation_of: dict[Node, Node]) -> RuleTemplate:
    """Compile ``rule`` (cached). ``negation_of`` maps N → P for declared negative properties, so
    atoms written with N are read as negative atoms of P."""
    builtin = bool(rule.meta.get("builtin"))
    if builtin:  # built-ins never use declared negative properties and read `not` classically
        key: tuple = (id(rule),)
        relevant: tuple = ()
    else:
        used = {a.p for a in rule.head + rule.body}.intersection(negation_of) if negation_of else ()
        relevant = tuple(sorted((n, negation_of[n]) for n in used))
        key = (rule, closed_world, relevant)
    cached = _TEMPLATES.get(key)
    if cached is not None:
        return cached
    neg = dict(relevant)
    consts: list[tuple[Node, int]] = []
    renames: dict[str, str] = {}

    def term(t) -> tuple[str, object]:
        if isinstance(t, Var):
            return ("v", renames.setdefault(t.name, f"x{len(renames)}"))
        consts.append((t, 1))
        return ("c", len(consts) - 1)

    def catom(a: Atom, in_body: bool) -> CAtom:
        s = term(a.s)
        sign, naf, pnode = 1, False, None
        if isinstance(a.p, Var):
            p = term(a.p)
        else:
            pnode = a.p
            if pnode in neg:  # written with the negative property N: a negative atom of P
                pnode, sign = neg[pnode], -1
        if a.negated:
            if in_body and closed_world and not builtin:
                naf = True
            else:
                sign = -sign
        if pnode is not None:
            consts.append((pnode, sign))
            p = ("c", len(consts) - 1)
        o = term(a.o)
        return CAtom(s, p, o, sign, naf)

    body = tuple(catom(a, True) for a in rule.body)
    head = tuple(catom(a, False) for a in rule.head)
    positive_vars = set().union(*(b.vars() for b in body if not b.naf))
    for a in body:
        if a.naf and not a.vars() <= positive_vars:
            raise ReasoningError(
                f"rule {rule.id}: a variable of the negated atom is not bound by a positive atom",
                where=rule.source or None,
                hint="negation as failure (closed world) needs every variable of a 'not' atom "
                "bound by a positive body atom",
            )
    distinct = tuple((renames[a.name], renames[b.name]) for a, b in rule.meta.get("distinct", ()))
    guard = any(a.p[0] == "v" or consts[a.p[1]][0] == OWL.sameAs for a in head)
    full = compile_plan(head, body, None, distinct, guard)
    deltas = tuple(
        (a.p[1] if a.p[0] == "c" else None, compile_plan(head, body, j, distinct, guard))
        for j, a in enumerate(body)
        if not a.naf
    )

    def typed_obj(a: CAtom) -> int | None:
        if a.p[0] == "c" and consts[a.p[1]] == (RDF.type, 1) and a.o[0] == "c":
            return a.o[1]
        return None

    needs = tuple((a.p[1] if a.p[0] == "c" else None, typed_obj(a)) for a in body if not a.naf)
    produces = tuple((a.p[1] if a.p[0] == "c" else None, typed_obj(a)) for a in head)
    template = RuleTemplate(
        rule, tuple(consts), head, body, full, deltas, needs, produces, builtin, distinct
    )
    if len(_TEMPLATES) > 50_000:  # per-theory rules of a long dataset run: keep memory bounded
        _TEMPLATES.clear()
    _TEMPLATES[key] = template
    return template


def activation_fixpoint(items: list, template_of, pred_key, obj_key, positive, obj_in_data, preds: set) -> list:
    """The items (rule templates or bound rules) that can ever fire, computed to a fixpoint: every
    positive body predicate exists in ``preds`` or is derived by an already active item, and a
    constant object (the X in ``?x a X``) occurs in the data or in an active item's head (rules
    cannot invent terms). ``pred_key``/``obj_key`` read a constant of an item (node-level or
    interned), ``positive`` tells a predicate key's sign, ``obj_in_data`` whether an object key is
    a data term. ``preds`` is extended in place."""
    objs: set = set()
    any_pos = any_neg = False  # a rule with a variable head predicate derives any (+/-) predicate
    active: list = []
    pending = list(items)
    changed = True
    while changed:
        changed = False
        for item in list(pending):
            t = template_of(item)
            ok = True
            for ps, os_ in t.needs:
                if ps is None:
                    continue
                p = pred_key(item, ps)
                if (p in preds or (any_pos if positive(p) else any_neg)) and (
                    os_ is None or obj_in_data(obj_key(item, os_)) or obj_key(item, os_) in objs
                ):
                    continue
                ok = False
                break
            if not ok:
                continue
            pending.remove(item)
            active.append(item)
            changed = True
            for a, (ps, os_) in zip(t.head, t.produces):
                if ps is None:
                    if a.sign > 0:
                        any_pos = True
                    else:
                        any_neg = True
                    continue
                preds.add(pred_key(item, ps))
                if os_ is not None:
                    objs.add(obj_key(item, os_))
    return active


def possible_templates(templates: list[RuleTemplate], store: Store) -> list[RuleTemplate]:
    """The templates that can ever fire on this data (node-level version of
    :meth:`Closure.active_rules`, run before interning so tiny graphs bind only a few rules)."""
    terms, ids = store.terms, store.ids
    out = activation_fixpoint(
        templates,
        template_of=lambda t: t,
        pred_key=lambda t, i: t.consts[i],
        obj_key=lambda t, i: t.consts[i][0],
        positive=lambda p: p[1] > 0,
        obj_in_data=lambda o: o in ids,
        preds={(terms[abs(p)], 1 if p > 0 else -1) for p, d in store.SP.items() if d},
    )
    keep = set(map(id, out))
    return [t for t in templates if id(t) in keep]


def bind_rule(index: int, template: RuleTemplate, store: Store) -> CompiledRule:
    K = tuple(sign * store.intern(node) for node, sign in template.consts)
    return CompiledRule(index, template, K)


#: Memory one derived fact costs (provenance entry + both index entries), measured on a
#: transitive chain: 500k derived facts took 300 MB of resident memory (benchmarks/README.md).
BYTES_PER_FACT = 650


def default_max_facts() -> int:
    """How many facts a closure may hold before reasoning stops with a clear error instead of
    running the machine out of memory: half the physical memory at :data:`BYTES_PER_FACT`
    (24 GB → ~19M facts), at most 50M; ``KGREASON_MAX_FACTS`` overrides it."""
    import os

    from kgreason.settings import get_settings

    if get_settings().max_facts is not None:
        return get_settings().max_facts
    try:
        memory = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return 50_000_000
    return int(min(50_000_000, memory // 2 // BYTES_PER_FACT))


class _RoundFacts(dict):
    """A round's new facts that stop reasoning (a ReasoningError) as soon as the store plus them
    would pass ``max_facts``: one cartesian rule can derive millions of facts in a single round,
    so checking between rounds let memory grow far past the limit (issue 24, item 9). Only
    insertion is checked (a Python call per *new* fact); lookups stay dict's own."""

    __slots__ = ("closure", "room")

    def __init__(self, closure: Closure):
        super().__init__()
        self.closure = closure
        self.room = closure.max_facts - closure.store.fact_count()

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.room:
            rule_index = value[0] if isinstance(value, tuple) and value else None
            count = len(self)
            self.clear()  # the round's facts are dropped: memory stays near the limit
            raise self.closure._over_budget(rule_index, count)
        dict.__setitem__(self, key, value)


class Closure:
    """The fixpoint of asserted facts under the rules in one mode, with provenance."""

    def __init__(
        self,
        store: Store,
        rules: list[CompiledRule],
        *,
        closed_world: bool,
        max_rounds: int,
        max_facts: int,
        same_as: int,
        type_id: int,
        warn_facts: int | None = None,
        progress=None,
    ):
        self.store = store
        #: a closure this big is worth a warning (it may be growing quadratically)
        self.warn_facts = warn_facts if warn_facts is not None else max(1_000_000, 20 * store.fact_count())
        self._warned = False
        self.rules = rules
        self.closed_world = closed_world
        self.max_rounds = max_rounds
        self.max_facts = max_facts
        self.same_as = same_as
        self.type_id = type_id
        self.stats = RunStats()
        #: called as ``progress(what, done, total)`` during long closures (drawn by cli/progress.py)
        self.progress = progress
        self.reach: Reachability | None = None
        self._reach_last: Counter = Counter()

    # ------------------------------------------------------------------ activation
    def active_rules(self, candidates: list[CompiledRule]) -> list[CompiledRule]:
        """Rules that can fire on the interned data (see :func:`activation_fixpoint`)."""
        n_data = self.store.n_data_terms
        active = activation_fixpoint(
            candidates,
            template_of=lambda cr: cr.template,
            pred_key=lambda cr, i: cr.K[i],
            obj_key=lambda cr, i: cr.K[i],
            positive=lambda p: p > 0,
            obj_in_data=lambda o: o < n_data,
            preds={p for p, d in self.store.SP.items() if d},
        )
        active.sort(key=lambda cr: cr.index)
        return active

    # ------------------------------------------------------------------ evaluation
    def saturate(
        self, rules: list[CompiledRule], delta: dict[int, list[tuple[int, int]]] | None
    ) -> dict:
        """Run ``rules`` to a fixpoint. ``delta=None``: start with a full round. Returns all new
        facts (as a delta) added by this call."""
        store, stats = self.store, self.stats
        SP, OP, same = store.SP, store.OP, self.same_as
        added: dict[int, list[tuple[int, int]]] = {}
        rounds = 0
        # transitive relations (prp-trp, rdfs11, rdfs5) are closed by reachability, not joins
        reach_rules = {cr.rule.id: cr.index for cr in rules
                       if cr.template.builtin and cr.rule.id in REACHABILITY_RULES}
        if reach_rules:
            rules = [cr for cr in rules
                     if not (cr.template.builtin and cr.rule.id in REACHABILITY_RULES)]
        incoming = delta
        while True:
            new: dict = _RoundFacts(self)
            if delta is None:
                for cr in rules:
                    before = len(new)
                    cr.full(None, SP, OP, new, cr.K, cr.index, same)
                    stats.per_rule[cr.rule.id] += len(new) - before
            else:
                for cr in rules:
                    before = len(new)
                    K = cr.K
                    for dp, plan in cr.template.deltas:
                        if dp is None or K[dp] in delta:
                            plan(delta, SP, OP, new, cr.K, cr.index, same)
                    if len(new) != before:
                        stats.per_rule[cr.rule.id] += len(new) - before
            rounds += 1
            stats.rounds += 1
            delta = store.add(new) if new else {}
            if reach_rules:
                edges = [delta] if incoming is None else [delta, incoming]
                incoming = {}
                self._close_transitive(reach_rules, edges, delta)
            if not delta:
                break
            for p, pairs in delta.items():
                added.setdefault(p, []).extend(pairs)
            stats.derived += sum(len(pairs) for pairs in delta.values())
            # progress on big graphs (kgreason -v), quiet for the many small theories of a dataset
            n_new = sum(len(pairs) for pairs in delta.values())
            log.log(
                logging.INFO if n_new >= 10_000 else logging.DEBUG,
                "round %d: %d new facts (%d in all)",
                stats.rounds,
                n_new,
                store.fact_count(),
            )
            if self.progress is not None:
                self.progress("reasoning (facts so far)", store.fact_count(), None)
            self._check_limits(new)
        return added

    def _close_transitive(self, reach_rules: dict[str, int], edges: list[dict], delta: dict) -> None:
        """Close the transitive relations of the active reachability rules (new pairs are added
        to the store and to ``delta``); see ``reachability.py``."""
        store = self.store
        self._reach_last = Counter()
        if self.reach is None:
            self.reach = Reachability(store, max_facts=self.max_facts, progress=self.progress)
        ids = store.ids
        relations = self.reach.relations(
            reach_rules, self.type_id, ids.get(OWL.TransitiveProperty), ids.get(RDFS.subClassOf),
            ids.get(RDFS.subPropertyOf))
        self.reach.relation_rule = relations
        names = self.reach.rule_names = {i: rid for rid, i in reach_rules.items()}
        if not relations:
            return
        before = {p: len(pairs) for p, pairs in delta.items()}
        n = self.reach.step(relations, edges, delta)
        if n:
            for p in relations:
                grown = len(delta.get(p, ())) - before.get(p, 0)
                if grown > 0:
                    self.stats.per_rule[names[relations[p]]] += grown
                    self._reach_last[relations[p]] += grown
            log.log(logging.INFO if n >= 10_000 else logging.DEBUG,
                    "reachability: %d new pairs (%d facts in all)", n, store.fact_count())

    def _check_limits(self, new: dict) -> None:
        over_rounds = self.stats.rounds >= self.max_rounds
        facts = self.store.fact_count()
        over_facts = facts > self.max_facts
        warn = not self._warned and facts > self.warn_facts and not over_facts
        if not (warn or over_rounds or over_facts):
            return
        # the rule that derived most of the last round (reachability pairs included)
        index, count = (Counter(r for r, _ in new.values()) + self._reach_last).most_common(1)[0]
        if warn:
            self._warned = True
            log.warning(
                "the closure is growing fast: %d facts from %d asserted (about %d MB); rule %s "
                "derived most of the last round (%d); reasoning stops at %d facts "
                "(KGREASON_MAX_FACTS) — a transitive property or subclass cycle over many nodes "
                "grows quadratically", facts, self.store.asserted, facts * BYTES_PER_FACT >> 20,
                self.rules_by_index[index][0], count, self.max_facts)
        if over_rounds or over_facts:
            what = f"{self.max_rounds} rounds" if over_rounds else f"{self.max_facts} facts"
            raise self._stopped(what, index, f"{count} in the last round", facts)

    def _over_budget(self, rule_index: int | None, count: int) -> ReasoningError:
        """The error for a round stopped inside (the store + this round's facts reached
        ``max_facts``)."""
        return self._stopped(f"{self.max_facts} facts", rule_index,
                             f"{count} in round {self.stats.rounds + 1} before it was stopped",
                             self.store.fact_count() + count)

    def _stopped(self, limit: str, rule_index: int | None, last: str, total: int) -> ReasoningError:
        """Reasoning stopped after ``limit`` (rounds or facts): the rule that derived most."""
        rule_id, source = self.rules_by_index.get(rule_index, ("?", None))
        return ReasoningError(
            f"reasoning stopped after {limit}: rule {rule_id} kept deriving new facts "
            f"({last}, {total} facts in all)",
            where=source or None,
            hint="check that rule for a cartesian product (body atoms that share no variable) or "
            "unbounded chains (a transitive property over a long chain, a subclass cycle over "
            f"many classes), or {RAISE_LIMIT}",
        )

    @property
    def rules_by_index(self) -> dict[int, tuple[str, str]]:
        return {cr.index: (cr.rule.id, cr.rule.source) for cr in self.rules}

    def run(self, strata: list[list[CompiledRule]], builtins: list[CompiledRule], defaults) -> None:
        """Strict closure stratum by stratum, then defaults, repeated until nothing changes."""
        start = time.perf_counter()
        # millions of small tuples and no reference cycles: the cyclic GC would rescan the whole
        # store again and again (measured: ~30% of closure time at 100k triples)
        gc_was_enabled = gc.isenabled()
        gc.disable()
        try:
            self._run(strata, builtins, defaults)
        finally:
            if gc_was_enabled:
                gc.enable()
        self.stats.seconds = time.perf_counter() - start

    def _run(self, strata, builtins, defaults) -> None:
        all_rules: list[CompiledRule] = []
        delta = None
        for _ in range(100):
            changed = {}
            for layer in strata or [[]]:
                all_rules = (
                    sorted(set(all_rules) | set(layer), key=lambda cr: cr.index)
                    if layer
                    else all_rules
                )
                active = self.active_rules(builtins + all_rules)
                added = self.saturate(active, delta)
                for p, pairs in added.items():
                    changed.setdefault(p, []).extend(pairs)
                delta = None if self.closed_world and len(strata) > 1 else changed
            new_defaults = defaults.step() if defaults is not None else {}
            if not new_defaults:
                break
            delta = self.store.add(new_defaults)
            self.stats.derived += len(new_defaults)
