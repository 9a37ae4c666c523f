"""Transitive relations closed by reachability, not by repeated joins; proofs built on demand.

Three built-in rules only ever close one relation under transitivity: ``prp-trp`` (every
``P a owl:TransitiveProperty``), ``rdfs11`` (scm-sco, ``rdfs:subClassOf``) and ``rdfs5``
(scm-spo, ``rdfs:subPropertyOf``). Run as joins they re-derive each pair once per path (a chain
of 1,000 nodes: ~10 semi-naive rounds and ~n³/6 join attempts). Here the engine hands them to
:class:`Reachability` instead:

* **bulk**: the strongly connected components of the relation (iterative Tarjan, which emits them
  sinks first), then each component's reachable set as the union of its successors' sets (C-speed
  ``set`` unions); a component with a cycle reaches itself (its members are an equivalence class:
  ``C ⊑ D ⊑ C`` gives every pair, reflexive ones included, as the join rule does). The number of
  pairs is counted per component *before* any pair is stored, so a closure over the fact budget
  stops with one line saying how big it would be.
* **incremental**: a few new edges ``a → b`` on an already closed relation add
  ``ancestors(a) × descendants(b)``.

A derived pair keeps ``(rule index, clock)`` as provenance instead of premises: ``clock`` is the
store's batch counter when the pair was added (asserted facts: 0; a rule-derived fact's *rank* is
1 + the highest rank of its premises). Its proof is a path, found on demand by BFS over edges of
a lower rank — a path that existed when the pair was added — and folded into the same binary
steps the join rule would have produced (``x P v1``, ``v1 P v2`` ⊢ ``x P v2`` ...), so
:func:`~kgreason.reasoning.proof.check_proof` accepts it unchanged. Ranks strictly decrease along
every proof, so a proof never rests on itself.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

from kgreason.errors import ReasoningError

Fact = tuple[int, int, int]

#: Built-in rules replaced by reachability (ids of builtin_rules.py).
TRANSITIVE_PROPERTY_RULE = "prp-trp"
SUBCLASS_RULE = "rdfs11"
SUBPROPERTY_RULE = "rdfs5"
REACHABILITY_RULES = frozenset({TRANSITIVE_PROPERTY_RULE, SUBCLASS_RULE, SUBPROPERTY_RULE})

#: Above this many new edges in one round, re-close the whole relation instead of edge by edge.
INCREMENTAL_MAX_EDGES = 2_000


#: How a limit on the facts of a closure is raised (the hint of every error that stops at it).
RAISE_LIMIT = ("raise the limit (--max-facts N, KGREASON_MAX_FACTS, Reasoner(max_facts=...)) if "
               "the memory allows")


class TooBig(ReasoningError):
    """A closure would exceed the fact budget (raised before the pairs are stored)."""


def strongly_connected(succ: dict[int, set[int]]) -> list[list[int]]:
    """Tarjan's algorithm, iterative; components come out in reverse topological order (a
    component after every component it reaches)."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    out: list[list[int]] = []
    counter = 0
    empty: set[int] = set()
    for root in succ:
        if root in index:
            continue
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(succ.get(root, empty)))]
        while work:
            node, it = work[-1]
            pushed = False
            for nxt in it:
                if nxt not in index:
                    index[nxt] = low[nxt] = counter
                    counter += 1
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(succ.get(nxt, empty))))
                    pushed = True
                    break
                if nxt in on_stack and index[nxt] < low[node]:
                    low[node] = index[nxt]
            if pushed:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                out.append(comp)
    return out


def _upper_bound(comps: list[list[int]], comp_of: dict[int, int], succ) -> int:
    """Pairs of the closure, counted per component without building any set: exact for trees,
    chains and cycles, an over-count where paths rejoin (diamonds)."""
    sizes: list[int] = []
    for ci, comp in enumerate(comps):
        seen: set[int] = set()
        n = len(comp) if len(comp) > 1 or comp[0] in succ.get(comp[0], ()) else 0
        for u in comp:
            for v in succ.get(u, ()):
                cv = comp_of[v]
                if cv != ci and cv not in seen:
                    seen.add(cv)
                    n += len(comps[cv]) + sizes[cv]
        sizes.append(min(n, 10**15))
    return sum(len(comp) * sizes[ci] for ci, comp in enumerate(comps))


class Reachability:
    """Keeps the transitive relations of one store closed (see the module docstring)."""

    def __init__(self, store, *, max_facts: int, progress: Callable | None = None):
        self.store = store
        self.max_facts = max_facts
        self.progress = progress
        #: predicates whose relation is transitively closed in the store right now
        self.closed: set[int] = set()
        #: predicate → rule index of the relations closed by the last step
        self.relation_rule: dict[int, int] = {}
        #: rule index → rule id (for messages)
        self.rule_names: dict[int, str] = {}

    # ------------------------------------------------------------------ which relations
    def relations(self, rules: dict[str, int], type_id: int, trans_id: int | None,
                  sc_id: int | None, spo_id: int | None) -> dict[int, int]:
        """predicate id → rule index for every relation to keep closed under ``rules``
        (rule id → index of the active reachability rules)."""
        out: dict[int, int] = {}
        if SUBCLASS_RULE in rules and sc_id is not None:
            out[sc_id] = rules[SUBCLASS_RULE]
        if SUBPROPERTY_RULE in rules and spo_id is not None:
            out.setdefault(spo_id, rules[SUBPROPERTY_RULE])
        if TRANSITIVE_PROPERTY_RULE in rules and trans_id is not None:
            for p in self.store.OP.get(type_id, {}).get(trans_id, ()):
                if p > 0:
                    out.setdefault(p, rules[TRANSITIVE_PROPERTY_RULE])
        return out

    # ------------------------------------------------------------------ closing
    def step(self, relations: dict[int, int], edges: list[dict], delta_out: dict) -> int:
        """Close every relation: in bulk when it is not closed yet (or got many new edges), else
        edge by edge for the new edges in ``edges`` (deltas: p → [(s, o)]). New pairs go into
        the store (indexes + provenance) and into ``delta_out``; returns how many."""
        store = self.store
        store.clock += 1
        n = 0
        for p, rid in sorted(relations.items()):
            new_edges = [pair for d in edges for pair in d.get(p, ())]
            if p not in self.closed or len(new_edges) > INCREMENTAL_MAX_EDGES:
                n += self._bulk(p, rid, delta_out)
                self.closed.add(p)
            elif new_edges:
                n += self._incremental(p, rid, new_edges, delta_out)
        return n

    def _budget_error(self, p: int, total: int, pairs: int, where: str) -> TooBig:
        store = self.store
        rule = self.rule_names.get(self.relation_rule.get(p, -1), "")
        name = store.terms[p]
        shown = name.n3() if hasattr(name, "n3") else str(name)
        size = "up to" if where.startswith("counted") else "at least"
        return TooBig(
            f"reasoning stopped: the transitive closure of {shown}"
            f"{f' (rule {rule})' if rule else ''} would hold {size} {pairs:,} "
            f"pairs ({total:,} facts in all, about {total * 650 >> 20:,} MB), over the limit of "
            f"{self.max_facts:,} facts ({where})",
            hint=f"answer questions without materializing (--reasoning query-time), or {RAISE_LIMIT}",
        )

    def _bulk(self, p: int, rid: int, delta_out: dict) -> int:
        store = self.store
        SP = store.SP.setdefault(p, {})
        store.OP.setdefault(p, {})
        comps = strongly_connected(SP)
        comp_of: dict[int, int] = {}
        for ci, comp in enumerate(comps):
            for u in comp:
                comp_of[u] = ci
        existing = sum(len(s) for s in SP.values())
        base = store.fact_count() - existing
        reach: list[set[int]] = []
        pairs = 0
        report = self.progress
        for ci, comp in enumerate(comps):
            r: set[int] = set()
            for u in comp:
                for v in SP.get(u, ()):
                    cv = comp_of[v]
                    if cv != ci and v not in r:
                        r.add(v)
                        r |= reach[cv]
            if len(comp) > 1 or comp[0] in SP.get(comp[0], ()):
                r.update(comp)
            reach.append(r)
            pairs += len(comp) * len(r)
            if base + pairs > self.max_facts:
                upper = _upper_bound(comps, comp_of, SP)
                raise self._budget_error(p, base + upper, upper, "counted before storing them")
            if report is not None and not ci % 1024:
                report("closing transitive relations (components)", ci, len(comps))
        entry = (rid, store.clock)
        out = delta_out.setdefault(p, [])
        n = 0
        for ci, comp in enumerate(comps):
            r = reach[ci]
            if not r:
                continue
            for u in comp:
                n += store.add_row(p, u, r, entry, out)
            reach[ci] = None  # type: ignore[call-overload]  # free as we go
            if report is not None and not ci % 1024:
                report("storing transitive pairs", ci, len(comps))
        if not out:
            del delta_out[p]
        return n

    def _incremental(self, p: int, rid: int, new_edges, delta_out: dict) -> int:
        store = self.store
        SP, OP = store.SP[p], store.OP[p]
        entry = (rid, store.clock)
        out = delta_out.setdefault(p, [])
        n = 0
        for a, b in new_edges:
            anc = set(OP.get(a, ()))
            anc.add(a)
            desc = set(SP.get(b, ()))
            desc.add(b)
            for x in anc:
                n += store.add_row(p, x, desc, entry, out)
                if store.fact_count() + n > self.max_facts:
                    raise self._budget_error(p, store.fact_count() + n, n, "while adding edges")
        if not out:
            del delta_out[p]
        return n


# ---------------------------------------------------------------------- proofs on demand
def rank(store, fact: Fact, memo: dict[Fact, int]) -> int:
    """0 for an asserted fact, the clock for a reachability pair, else 1 + its premises' ranks."""
    found = memo.get(fact)
    if found is not None:
        return found
    prov = store.prov
    stack = [fact]
    while stack:
        f = stack[-1]
        if f in memo:
            stack.pop()
            continue
        entry = prov.get(f)
        if entry is None:
            memo[f] = 0
        elif type(entry[1]) is int:
            memo[f] = entry[1]
        else:
            todo = [q for q in entry[1] if q not in memo]
            if todo:
                stack.extend(todo)
                continue
            memo[f] = 1 + max((memo[q] for q in entry[1]), default=0)
        stack.pop()
    return memo[fact]


def path(store, fact: Fact, memo: dict[Fact, int]) -> list[int]:
    """Nodes ``x, v1, ..., z`` of a shortest path for the reachability pair ``fact = (x, p, z)``
    over edges of a lower rank than the pair (so the proof cannot rest on the pair itself)."""
    x, p, z = fact
    limit = store.prov[fact][1]
    SP = store.SP.get(p, {})
    parent: dict[int, int] = {}
    queue: deque[int] = deque()

    def visit(u: int) -> bool:
        for v in SP.get(u, ()):
            if v in parent or rank(store, (u, p, v), memo) >= limit:
                continue
            parent[v] = u
            if v == z:
                return True
            queue.append(v)
        return False

    found = visit(x)
    while not found and queue:
        found = visit(queue.popleft())
    if not found:  # the closure would be wrong; never expected
        raise ReasoningError(f"no path found for the transitive pair {fact}",
                             hint="report this as a bug in kgreason's reachability closure")
    nodes = [z]
    while True:
        u = parent[nodes[-1]]
        nodes.append(u)
        if u == x and len(nodes) > 1 and (x != z or len(nodes) > 2):
            break
    nodes.reverse()
    return nodes


def premises(store, fact: Fact, memo: dict[Fact, int], type_fact: Fact | None) -> list[Fact]:
    """The facts the path proof of ``fact`` rests on: the path's edges (and, for prp-trp,
    ``P a owl:TransitiveProperty``)."""
    nodes = path(store, fact, memo)
    p = fact[1]
    edges = [(nodes[i], p, nodes[i + 1]) for i in range(len(nodes) - 1)]
    return ([type_fact] if type_fact is not None else []) + edges


def path_proof(fact: Fact, facts, proof_of, decode, rule_id: str, rule_text: str,
               closed_world: bool):
    """The proof of the transitive pair ``fact`` from its path (``facts``: see :func:`premises`):
    split at the middle node, ``x P m``, ``m P z`` ⊢ ``x P z``, each half proved the same way
    down to the path's edges (depth log₂ of the path's length, so a path of 1,000 edges gives a
    proof 10 steps deep), each step by ``rule_id`` with the premises in the rule's body order.
    ``proof_of(fact)`` gives an edge's proof."""
    from kgreason.core.proof import Proof

    edges = list(facts)
    head = []
    if rule_id == TRANSITIVE_PROPERTY_RULE:
        head = [proof_of(edges.pop(0))]
    x, p = fact[0], fact[1]

    def build(lo: int, hi: int):  # proof of edges[lo][0] P edges[hi - 1][2]
        if hi - lo == 1:
            return proof_of(edges[lo])
        mid = (lo + hi) // 2
        left, right = build(lo, mid), build(mid, hi)
        conclusion = fact if (lo, hi) == (0, len(edges)) else (edges[lo][0], p, edges[hi - 1][2])
        triple, negated = decode(conclusion)
        return Proof(triple, negated, rule_id, rule_text, [*head, left, right],
                     closed_world=closed_world)

    assert edges[0][0] == x
    return build(0, len(edges))
