"""The Reasoner: closure (lazy, once per mode), three-valued queries, proofs, inferred triples."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from functools import cached_property, lru_cache
from typing import Any

from rdflib import OWL, RDF
from rdflib.term import Node

from kgreason.core.proof import ASSERTED, CWA, Proof
from kgreason.core.rules import Rule, Var
from kgreason.core.verdict import Conflict, Truth, Verdict
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import KGR
from kgreason.reasoning.builtin_rules import (
    DEFAULT_RULE_TEXT,
    INHERIT,
    INHERIT_NEG,
    builtin_rules,
    query_time_rules,
    unique_ids,
)
from kgreason.reasoning.closed_world import (
    DOMAIN_CLASS,
    INDIVIDUAL,
    INDIVIDUAL_TEXT,
    individuals,
    with_domain,
)
from kgreason.reasoning.defaults import Defaults
from kgreason.reasoning.engine import (
    Closure,
    Fact,
    RuleTemplate,
    Store,
    bind_rule,
    default_max_facts,
    possible_templates,
    rule_template,
)
from kgreason.reasoning.owl_rules import graph_rules
from kgreason.reasoning.reachability import TRANSITIVE_PROPERTY_RULE, TooBig, path_proof
from kgreason.reasoning.reachability import premises as path_premises
from kgreason.reasoning.rule_parser import rule_text, term_text
from kgreason.reasoning.strategies import strategy_of

log = logging.getLogger(__name__)

Triple = tuple[Node, Node, Node]
CWA_TEXT = "closed world: what cannot be derived is false"


class _State:
    """One closure (one mode): the store, the bound rules, defaults and proof construction."""

    def __init__(self, reasoner: Reasoner, closed_world: bool, use_cache: bool = True,
                 blocked: dict | None = None, stale: frozenset = frozenset()):
        self.reasoner = reasoner
        #: inherited facts left out because they lead to a clash (clashes.py): (triple, neg) → Conflict
        self.blocked: dict = blocked or {}
        #: inherited facts left out because a more specific source applies in the end (defaults.py)
        self.stale = stale
        self.closed_world = closed_world
        kg = reasoner.kg
        cache = reasoner.cache
        loaded = cache.load(closed_world) if cache is not None and use_cache else None  # cache.py
        if loaded is not None:
            store = self.store = loaded.store
        else:
            store = self.store = Store()
            store.add_graph(kg.rdf)
        neg_map = self.negation_of = _negation_nodes(store)
        rules = reasoner.rules
        domain: dict[Node, Triple | None] = {}
        self.domain: dict[Node, Triple | None] = {}
        self._domain_facts: list[Fact] = []
        if closed_world:  # "if something is not quiet": 'something' ranges over the individuals
            rewritten = [with_domain(r) for r in rules]
            if any(r is not None for r in rewritten):
                domain = individuals(kg.rdf, rules)
                rules = [new or r for new, r in zip(rewritten, rules)]
        templates: list[RuleTemplate] = list(_builtin_templates()) if reasoner.builtins else []
        reserved = [t.rule.id for t in templates] + [ASSERTED, CWA, INHERIT, INHERIT_NEG, INDIVIDUAL]
        reserved += [r.id for r in query_time_rules()]
        # OWL 2 RL rules over lists, cardinalities and literals, written out for this graph
        generated = graph_rules(kg.rdf, kg.namespaces, store.terms) if reasoner.builtins else []
        asked = [r for r in generated if r.meta.get("query_time")]  # tried by holds only
        generated = [r for r in generated if not r.meta.get("query_time")]
        for rule in unique_ids([*generated, *rules], reserved):
            templates.append(rule_template(rule, closed_world=closed_world, negation_of=neg_map))
        self.query_templates = list(_query_templates()) if reasoner.builtins else []
        self.query_templates += [rule_template(r, closed_world=False, negation_of={}) for r in asked]
        self.template_by_id = {t.rule.id: t for t in templates + self.query_templates}
        if domain and loaded is not None:
            self.domain, self._domain_facts = domain, loaded.domain_facts
        elif domain:
            self._add_domain(domain)
        possible = (loaded.select(templates) if loaded is not None
                    else possible_templates(templates, store))
        if len(possible) < len(templates):
            log.debug("%d of %d rules can fire on this graph", len(possible), len(templates))
        templates = possible
        crs = self.crs = [bind_rule(i, t, store) for i, t in enumerate(templates)]
        self.rule_info = [
            (t.rule.id, t.rule.text or rule_text(t.rule, kg.namespaces)) for t in templates
        ]
        inherit, inherit_neg = len(crs), len(crs) + 1
        self.rule_info += [
            (INHERIT, DEFAULT_RULE_TEXT[INHERIT]),
            (INHERIT_NEG, DEFAULT_RULE_TEXT[INHERIT_NEG]),
            (INDIVIDUAL, INDIVIDUAL_TEXT),
        ]
        self.templates = templates
        if domain and loaded is None:  # the domain facts' provenance names the INDIVIDUAL step
            index = len(crs) + 2
            for fact in self._domain_facts:
                store.prov[fact] = (index, store.prov[fact][1])
        builtins = [cr for cr in crs if cr.template.builtin]
        users = [cr for cr in crs if not cr.template.builtin]
        if closed_world and loaded is None:
            from kgreason.reasoning.stratify import stratify

            strata = stratify(users, store)
        else:
            strata = [users]
        self.closure = Closure(
            store,
            crs,
            closed_world=closed_world,
            max_rounds=reasoner.max_rounds,
            max_facts=reasoner.max_facts,
            warn_facts=reasoner.warn_facts,
            progress=reasoner.progress,
            same_as=store.intern(OWL.sameAs),
            type_id=store.intern(RDF.type),
        )
        self.defaults = Defaults(store, inherit, inherit_neg)
        self.defaults.blocked = {f for t, n in [*self.blocked, *stale]
                                 if (f := self.encode(t, n)) is not None}
        #: query-time reasoning (goal.py): facts are derived per question, not up front
        self.solver = None
        if loaded is not None:
            loaded.restore(self)
        elif (solver := strategy_of(reasoner.strategy).solver(self)) is not None:
            self.solver = solver  # per question (query-time: goal.py)
        else:
            self.closure.run(strata, builtins, self.defaults)
            if cache is not None and not self.blocked:  # the cache holds the plain closure only
                cache.save(self)
        self._proofs: dict[Fact, Proof] = {}
        self._paths: dict[Fact, tuple[Fact, ...]] = {}  # transitive pair → its path's edges
        self._ranks: dict[Fact, int] = {}
        log.info(
            "closure (%s world): %d asserted, %d derived, %d rounds, %.3fs",
            "closed" if closed_world else "open",
            store.asserted,
            len(store.prov),
            self.closure.stats.rounds,
            self.closure.stats.seconds,
        )

    def _add_domain(self, domain: dict[Node, Triple | None]) -> None:
        """Materialize ``x a kgr:Individual`` for every individual (see ``closed_world.py``), each
        derived from the asserted fact that mentions it."""
        store = self.store
        self.domain = domain
        type_id, cls = store.intern(RDF.type), store.intern(DOMAIN_CLASS)
        new: dict[Fact, tuple[int, tuple[Fact, ...]]] = {}
        for node, premise in domain.items():
            fact = (store.intern(node), type_id, cls)
            if store.has(fact):
                continue
            found = None if premise is None else self.encode(premise, False)
            new[fact] = (-1, () if found is None else (found,))
        store.add(new)
        store.n_data_terms = len(store.terms)  # the domain class and rule-only individuals are data now
        self._domain_facts = list(new)

    def absent_premises(self, rule_index: int, premises: tuple[Fact, ...]) -> list[Proof]:
        """The closed-world leaves of a rule step: each ``not`` atom of the rule, instantiated by
        the positive premises, as "not derivable" (:data:`CWA`)."""
        if not self.closed_world or rule_index >= len(self.templates):
            return []
        template = self.templates[rule_index]
        naf = [a for a in template.body if a.naf]
        if not naf:
            return []
        from kgreason.reasoning.match import instantiate, resolve, unify

        K = self.crs[rule_index].K
        binding: dict = {}
        for atom, (s, p, o) in zip((a for a in template.body if not a.naf), premises):
            binding = unify(resolve(atom, K), (s, abs(p), o), atom.sign, binding) or binding
        out = []
        for atom in naf:
            fact = None if atom.p[0] == "v" else instantiate(resolve(atom, K), binding)
            if fact is None or atom.sign < 0:  # "not (not ...)" has no leaf of its own
                continue
            triple, _ = self.decode(fact)
            out.append(Proof(triple, True, CWA, CWA_TEXT, closed_world=True))
        return out

    @cached_property
    def query_rules(self) -> list[tuple[RuleTemplate, tuple[int, ...]]]:
        """The query-time rules with their constants interned (harmless after the closure)."""
        return [(t, bind_rule(-1, t, self.store).K) for t in self.query_templates]

    # ------------------------------------------------------------- node-level access
    def encode(self, triple: Triple, negated: bool) -> Fact | None:
        ids = self.store.ids
        s, p, o = (ids.get(t) for t in triple)
        if s is None or p is None or o is None:
            return None
        return (s, -p if negated else p, o)

    def has(self, triple: Triple, negated: bool) -> bool:
        fact = self.encode(triple, negated)
        return fact is not None and self.store.has(fact)

    def decode(self, fact: Fact) -> tuple[Triple, bool]:
        t = self.store.terms
        s, p, o = fact
        return (t[s], t[abs(p)], t[o]), p < 0

    # ------------------------------------------------------------- proofs
    def proof(self, fact: Fact) -> Proof:
        cache = self._proofs
        cw = self.closed_world
        # iterative post-order so that long chains do not hit the recursion limit
        stack = [fact]
        prov = self.store.prov
        while stack:
            f = stack[-1]
            if f in cache:
                stack.pop()
                continue
            entry = prov.get(f)
            triple, negated = self.decode(f)
            if entry is None:
                cache[f] = Proof(triple, negated, ASSERTED, closed_world=cw)
                stack.pop()
                continue
            rule_index, premises = entry
            lazy = type(premises) is int  # a transitive pair: its proof is a path (reachability.py)
            if lazy:
                premises = self.premises_of(f)
            todo = [q for q in premises if q not in cache]
            if todo:
                stack.extend(todo)
                continue
            rid, text = self.rule_info[rule_index]
            if lazy:
                cache[f] = path_proof(f, premises, cache.__getitem__, self.decode, rid, text, cw)
            else:
                cache[f] = Proof(triple, negated, rid, text,
                                 [cache[q] for q in premises]
                                 + self.absent_premises(rule_index, premises), closed_world=cw)
            stack.pop()
        return cache[fact]

    def premises_of(self, fact: Fact) -> tuple[Fact, ...]:
        """The facts the proof of a derived ``fact`` rests on: its recorded premises, or for a
        transitive pair the edges of a path (found on demand, then kept)."""
        entry = self.store.prov[fact]
        if type(entry[1]) is not int:
            return entry[1]
        found = self._paths.get(fact)
        if found is None:
            type_fact = None
            if self.rule_info[entry[0]][0] == TRANSITIVE_PROPERTY_RULE:
                ids = self.store.ids
                type_fact = (fact[1], ids[RDF.type], ids[OWL.TransitiveProperty])
            found = self._paths[fact] = tuple(
                path_premises(self.store, fact, self._ranks, type_fact))
        return found


MATERIALIZE, QUERY_TIME, AUTO = "materialize", "query-time", "auto"
#: The built-in strategies (``Reasoner(strategy=...)``, ``--reasoning``); every registered one
#: (``kgreason.plugins.strategies``, see ``strategies.py``) is accepted.
STRATEGIES = (MATERIALIZE, QUERY_TIME, AUTO)


@lru_cache(maxsize=1)
def _builtin_templates() -> tuple[RuleTemplate, ...]:
    """Built-in rules compiled once per process (they read `not` classically in both modes)."""
    return tuple(rule_template(r, closed_world=False, negation_of={}) for r in builtin_rules())


@lru_cache(maxsize=1)
def _query_templates() -> tuple[RuleTemplate, ...]:
    return tuple(rule_template(r, closed_world=False, negation_of={}) for r in query_time_rules())


def _negation_nodes(store: Store) -> dict[Node, Node]:
    neg = store.ids.get(KGR.negationOf)
    if neg is None:
        return {}
    t = store.terms
    return {t[n]: t[next(iter(ps))] for n, ps in store.SP.get(neg, {}).items() if ps}


class Reasoner:
    """Forward chaining with proofs over a KnowledgeGraph; the closure is built lazily, once per
    mode, and kept apart from ``kg.rdf`` (asserted triples are never modified).

    When the graph changes (``kg.version``), the next query recomputes the closure; a reasoner
    made without ``rules`` then also takes the graph's current ``kg.rules``."""

    def __init__(
        self,
        kg: KnowledgeGraph,
        rules: list[Rule] | None = None,
        closed_world: bool = False,
        *,
        builtins: bool = True,
        max_rounds: int = 100_000,
        max_facts: int | None = None,
        warn_facts: int | None = None,
        strategy: str = "materialize",
        progress=None,
    ):
        strategy_of(strategy)  # unknown or broken: a clear error now
        #: materialize (the whole closure up front), query-time (per question: goal.py) or
        #: auto (materialize, and query-time when the closure would pass ``max_facts``)
        self.strategy = strategy
        #: ``progress(what, done, total)`` during long closures (drawn by cli/progress.py)
        self.progress = progress
        self.kg = kg
        self.rules: list[Rule] = list(kg.rules if rules is None else rules)
        self.closed_world = closed_world
        self.builtins = builtins
        self.max_rounds = max_rounds
        #: the closure stops with a ReasoningError above this (default: from the machine's memory)
        self.max_facts = max_facts if max_facts is not None else default_max_facts()
        self.warn_facts = warn_facts
        self._states: dict[bool | None, _State] = {}
        #: where closures are cached between processes (``cache.py``; set by load_reasoner)
        self.cache = None
        self._naf = any(a.negated for r in self.rules for a in r.body)
        self._rules_from_kg = rules is None
        self._kg_version = kg.version

    # ------------------------------------------------------------- closure
    def _state(self, closed_world: bool | None = None) -> _State:
        version = self.kg.version  # O(1)
        if version != self._kg_version:  # the graph changed since the closures were computed
            self._states.clear()
            self._kg_version = version
            if self._rules_from_kg:
                self.rules = list(self.kg.rules)
                self._naf = any(a.negated for r in self.rules for a in r.body)
        cw = self.closed_world if closed_world is None else closed_world
        key = self._key(cw)
        state = self._states.get(key)
        if state is None:
            from kgreason.reasoning.cache import CacheError

            try:
                state = _State(self, bool(cw))
            except TooBig as exc:  # the closure would pass max_facts: reason per question
                fallback = strategy_of(self.strategy).fallback
                if fallback is None:
                    raise
                log.warning("%s; answering with %s reasoning instead", exc.message, fallback)
                self.strategy = fallback
                state = _State(self, bool(cw))
            except CacheError as exc:  # a cached closure that does not fit these rules
                log.warning("compiled graph cache is unusable (%s); rebuilding it", exc)
                state = _State(self, bool(cw), use_cache=False)
            if state.solver is None and state.defaults.properties():  # clashing defaults: blocked
                from kgreason.reasoning.clashes import MAX_BLOCKING_ROUNDS

                for _ in range(MAX_BLOCKING_ROUNDS):
                    state, blocked = _reblocked(self, state, bool(cw))
                    if not blocked:
                        break
            self._states[key] = state
        return state

    def _key(self, cw: bool | None) -> bool | None:
        return cw if self._naf else None  # without 'not' in rule bodies both modes share one closure

    def _solved(self, closed_world: bool | None, run) -> _State:
        """The state for a question; query-time: ``run(state)`` derives what the question needs,
        then the inherited facts that lead to a clash are blocked exactly as for a closure
        (``clashes.py``; the state is rebuilt without them and the question solved again), so the
        strategy never changes the answer."""
        from kgreason.reasoning.clashes import MAX_BLOCKING_ROUNDS

        cw = self.closed_world if closed_world is None else closed_world
        state = self._state(cw)
        for _ in range(MAX_BLOCKING_ROUNDS + 1):
            if state.solver is None:
                return state
            run(state)
            if not state.solver.weak:  # nothing rests on a default: none to block
                return state
            state, blocked = _reblocked(self, state, bool(cw))
            if not blocked:
                return state
            self._states[self._key(cw)] = state
        return state

    def _solved_for(self, triple: Triple, closed_world: bool | None) -> _State:
        """:meth:`_solved` for a question about ``triple`` (query-time: it and its negation)."""

        def run(st: _State) -> None:
            fact = st.encode(triple, False)
            if fact is not None:
                st.solver.solve(fact)

        return self._solved(closed_world, run)

    def _read(self, p: Node, negated: bool, closed_world: bool | None) -> tuple[Node, bool]:
        """A question's predicate read positively: a declared negative property N (``N
        kgr:negationOf P``) asks for "not P"."""
        negation_of = self._state(closed_world).negation_of
        return (negation_of[p], not negated) if p in negation_of else (p, negated)

    def materialize(self, closed_world: bool | None = None) -> Reasoner:
        """Compute the closure now (otherwise the first query does)."""
        self._state(closed_world)
        return self

    @property
    def stats(self) -> dict[str, Any]:
        state = self._state()
        st = state.closure.stats
        return {
            "asserted": state.store.asserted,
            "derived": len(state.store.prov),
            "rounds": st.rounds,
            "seconds": round(st.seconds, 4),
            "per_rule": dict(st.per_rule.most_common()),
        }

    # ------------------------------------------------------------- queries
    def holds(self, s: Node, p: Node, o: Node, closed_world: bool | None = None) -> Verdict:
        """TRUE with a proof, FALSE with the proof of the negation (or CWA absence), UNKNOWN with
        what was missing and any conflicts. ``p`` may be a negative property (N kgr:negationOf P)."""
        cw = self.closed_world if closed_world is None else closed_world
        positive, flip = self._read(p, False, cw)
        query = (s, positive, o)
        verdict = self._holds(self._solved_for(query, cw), query, cw)
        return verdict.negated((s, p, o)) if flip else verdict

    def _holds(self, state: _State, triple: Triple, cw: bool) -> Verdict:
        pos = state.encode(triple, False)
        neg = state.encode(triple, True)
        has_pos = pos is not None and state.store.has(pos)
        has_neg = neg is not None and state.store.has(neg)
        conflicts: list[Conflict] = []
        if pos is not None and pos in state.defaults.conflicts:
            conflicts.append(self._default_conflict(state, pos))
        conflicts += [c for n in (False, True) if (c := state.blocked.get((triple, n))) is not None]
        if has_pos and has_neg:
            c = self._contradiction(state, pos, neg)
            if c.resolution == "the strict fact wins over the default":
                positive_strict = not _defeasible(state, pos)
                value = Truth.TRUE if positive_strict else Truth.FALSE
                proof = state.proof(pos if positive_strict else neg)
                return Verdict(value, triple, proof, [], [c])
            return Verdict(Truth.UNKNOWN, triple, None,
                           ["the graph derives both the fact and its negation"], [c])
        if has_pos or has_neg:  # a clash in the proof or about the subject is reported with it
            from kgreason.reasoning.clashes import touching

            proof = state.proof(pos if has_pos else neg)
            touched = (self._contradiction(state, p, n) for p, n in touching(state, triple, proof))
            conflicts += [c for c in touched if c.resolution == "unresolved"]
            return Verdict(Truth.TRUE if has_pos else Truth.FALSE, triple, proof, [], conflicts)
        # a strict axiom that entails the negation (query-time rules) wins over a blocked or
        # conflicting default, which stays listed in the conflicts
        found = _query_time_proof(state, triple, positive=True)  # reflexive / axiomatic
        if found is not None:
            return Verdict(Truth.TRUE, triple, found, [], conflicts)
        clash = _query_time_proof(state, triple, positive=False)
        if clash is not None:
            return Verdict(Truth.FALSE, triple, clash, [], conflicts)
        if conflicts:
            summaries = [c.summary(self.kg) for c in conflicts]
            return Verdict(Truth.UNKNOWN, triple, None, summaries, conflicts)
        if cw:
            proof = Proof(triple, True, CWA, CWA_TEXT, closed_world=True)
            return Verdict(Truth.FALSE, triple, proof, [], [])
        return Verdict(
            Truth.UNKNOWN, triple, None, None, [], explain=lambda: self._missing(state, triple)
        )

    def subjects(
        self, p: Node, o: Node, *, negated: bool = False, closed_world: bool | None = None
    ) -> list[Node]:
        """Every ``s`` with ``(s p o)`` — or, ``negated``, "not (s p o)" — in the closure (asserted
        or derived), in a stable order. Candidates for an open question; :meth:`holds` decides
        each (conflicts and the strict-over-default resolution apply there)."""
        return self._match(p, o, negated, closed_world, by_object=True)

    def objects(
        self, s: Node, p: Node, *, negated: bool = False, closed_world: bool | None = None
    ) -> list[Node]:
        """Every ``o`` with ``(s p o)`` (or "not (s p o)") in the closure; see :meth:`subjects`."""
        return self._match(p, s, negated, closed_world, by_object=False)

    def _match(self, p: Node, fixed: Node, negated: bool, closed_world: bool | None,
               by_object: bool) -> list[Node]:
        p, negated = self._read(p, negated, closed_world)

        def run(st: _State) -> None:
            pi, fi = st.store.ids.get(p), st.store.ids.get(fixed)
            if pi is not None and fi is not None:
                st.solver.solve_pattern(*((None, pi, fi) if by_object else (fi, pi, None)))

        state = self._solved(closed_world, run)
        ids = state.store.ids
        pi, fi = ids.get(p), ids.get(fixed)
        if pi is None or fi is None:
            return []
        index = state.store.OP if by_object else state.store.SP
        found = index.get(-pi if negated else pi, {}).get(fi, ())
        terms = state.store.terms
        return [terms[i] for i in sorted(found)]

    def proof(
        self, triple: Triple, negated: bool = False, closed_world: bool | None = None
    ) -> Proof | None:
        """The proof tree of ``triple`` (or of its negation), None if it is not derived."""
        s, p, o = triple
        p, negated = self._read(p, negated, closed_world)
        state = self._solved_for((s, p, o), closed_world)
        fact = state.encode((s, p, o), negated)
        if fact is None or not state.store.has(fact):
            return None
        return state.proof(fact)

    # ------------------------------------------------------------- results
    def inferred_triples(self, closed_world: bool | None = None) -> Iterator[Triple]:
        """Derived triples only; a negative fact is written ``s N o`` when ``N kgr:negationOf P``
        is declared (negatives without a declared N: see :meth:`negative_facts`)."""
        state = self._state(closed_world)
        store, terms = state.store, state.store.terms
        positive_of = {p: n for n, p in state.negation_of.items()}
        internal = set(state._domain_facts)  # the closed world's domain, not a statement
        for s, p, o in store.prov:
            if (s, p, o) in internal:
                continue
            if p > 0:
                yield terms[s], terms[p], terms[o]
            elif (n := positive_of.get(terms[-p])) is not None and not store.has((s, store.ids[n], o)):
                yield terms[s], n, terms[o]  # (unless it is there as ``s N o`` already)

    @property
    def negation_of(self) -> dict[Node, Node]:
        """The graph's declared negative properties: N → P for every ``N kgr:negationOf P``."""
        return dict(self._state().negation_of)

    def derived_by(
        self, triple: Triple, negated: bool = False, closed_world: bool | None = None
    ) -> str | None:
        """The id of the rule that first derived ``triple`` (or, ``negated``, its negation) — the
        rule at the root of its proof, without building the tree; None when the fact is
        asserted or not derived."""
        s, p, o = triple
        p, negated = self._read(p, negated, closed_world)
        state = self._state(closed_world)
        fact = state.encode((s, p, o), negated)
        entry = state.store.prov.get(fact) if fact is not None else None
        return state.rule_info[entry[0]][0] if entry is not None else None

    def negative_facts(
        self, closed_world: bool | None = None, derived_only: bool = True
    ) -> Iterator[Triple]:
        """Every negative fact ``not (s P o)`` as the positive triple ``(s, P, o)``."""
        state = self._state(closed_world)
        terms = state.store.terms
        for p, d in state.store.SP.items():
            if p < 0:
                for s, objs in d.items():
                    for o in objs:
                        if not derived_only or (s, p, o) in state.store.prov:
                            yield terms[s], terms[-p], terms[o]

    @property
    def contradictions(self) -> list[Conflict]:
        from kgreason.reasoning.clashes import clash_pairs

        state = self._state()
        return [self._contradiction(state, pos, neg) for pos, neg in clash_pairs(state.store)]

    @property
    def conflicts(self) -> list[Conflict]:
        """Incomparable defaults that disagree (Nixon diamonds), and defaults blocked because they
        would lead to a clash (kind ``blocked-default``, with the proofs of that clash)."""
        state = self._state()
        out = [self._default_conflict(state, fact) for fact in state.defaults.conflicts]
        return out + list(state.blocked.values())

    def rule(self, rule_id: str) -> Rule | None:
        template = self._state().template_by_id.get(rule_id)
        return template.rule if template is not None else None

    # ------------------------------------------------------------- helpers
    def _default_conflict(self, state: _State, fact: Fact) -> Conflict:
        c = state.defaults.conflicts[fact]
        t = state.store.terms
        return Conflict(
            "default-conflict",
            state.decode(fact)[0],
            [t[s] for s in c.positive],
            [t[s] for s in c.negative],
        )

    def _contradiction(self, state: _State, pos: Fact, neg: Fact) -> Conflict:
        dpos, dneg = _defeasible(state, pos), _defeasible(state, neg)
        resolution = "the strict fact wins over the default" if dpos != dneg else "unresolved"
        return Conflict(
            "contradiction",
            state.decode(pos)[0],
            proofs=[state.proof(pos), state.proof(neg)],
            resolution=resolution,
        )

    def _missing(self, state: _State, triple: Triple) -> list[str]:
        """What was looked for: the rules whose head matches, with their instantiated bodies
        (user rules first; ground atoms marked when they do not hold)."""
        from kgreason.reasoning.match import unify

        ns = self.kg.namespaces
        p = triple[1]
        text = " ".join(term_text(t, ns) for t in triple)
        out = [f"no asserted fact or rule derives '{text}' or its negation"]
        templates = sorted(state.template_by_id.values(), key=lambda t: t.builtin)
        for template in templates:
            rule = template.rule
            for head in rule.head:
                binding = unify((*head.terms(), 1), triple, 1, {}) if head.p == p else None
                if binding is None:
                    continue
                needs = []
                for atom in rule.body:
                    terms = tuple(binding.get(t, t) for t in atom.terms())
                    words = " ".join(term_text(t, ns) for t in terms)
                    shown = f"not {words}" if atom.negated else words
                    ground = not any(isinstance(t, Var) for t in terms)
                    if ground and not state.has(terms, atom.negated):
                        shown += " (false)" if state.has(terms, not atom.negated) else " (not known)"
                    needs.append(shown)
                polarity = "its negation" if head.negated else "it"
                out.append(f"rule {rule.id} would derive {polarity} from: {', '.join(needs)}")
                if len(out) > 6:
                    return out
        return out


def _query_time_proof(state: _State, triple: Triple, positive: bool) -> Proof | None:
    """Try the query-time rules (never materialized: reflexive and axiomatic triples and the
    datatypes of literals (dt-type2) when ``positive``; else class-level disjointness and the negations that allValuesFrom / max-0
    restrictions entail, for "not triple")."""
    from kgreason.reasoning.datatypes import LITERAL_TYPE, LITERAL_TYPE_TEXT, literal_type
    from kgreason.reasoning.match import lookup_facts, query_time_matches

    if not state.query_templates:
        return None
    store = state.store
    lit = store.ids.get(triple[0])
    if positive and lit is not None and triple[1] == RDF.type and literal_type(triple[0], triple[2]):
        use = next(((x, q, lit) for q, d in store.OP.items() if q > 0 for x in d.get(lit, ())), None)
        if use is not None:  # dt-type2 asked: the premise shows the literal is the graph's
            return Proof(triple, False, LITERAL_TYPE, LITERAL_TYPE_TEXT, [state.proof(use)],
                         closed_world=state.closed_world)
    s, p, o = (store.intern(t) for t in triple)  # new terms get fresh ids: harmless
    for template, conclusion, facts in query_time_matches(
            state.query_rules, (s, p, o), lambda pat: lookup_facts(store, pat)):
        if (conclusion[1] > 0) != positive:
            continue
        premises = [state.proof(f) for f in facts]
        return Proof(
            triple, not positive, template.rule.id, template.rule.text, premises,
            closed_world=state.closed_world,
        )
    return None


def _reblocked(reasoner: Reasoner, state: _State, cw: bool) -> tuple[_State, bool]:
    """The state recomputed without the inherited facts that lead to a clash (clashes.py) or
    that a more specific source overrides on the finished closure (``Defaults.stale``), and
    whether there were any (else ``state`` itself): one implementation for every strategy."""
    from kgreason.reasoning.clashes import default_clashes

    new = {k: c for k, c in default_clashes(state).items() if k not in state.blocked}
    stale = frozenset(state.decode(f) for f in state.defaults.stale()) - state.stale
    if not new and not stale:
        return state, False
    return _State(reasoner, cw, use_cache=False, blocked={**state.blocked, **new},
                  stale=state.stale | stale), True


def _defeasible(state: _State, fact: Fact) -> bool:
    """Does the first derivation of ``fact`` depend on default inheritance?"""
    from kgreason.reasoning.clashes import inherited_premises

    return bool(inherited_premises(state, fact))