"""Default inheritance for ``P a kgr:InheritableProperty`` (defeasible, most specific wins).

Semantics (documented in the issue note and README):

* A *source* is a fact ``S P O`` or ``not S P O`` in the closure about a node S that has
  subclasses or instances, and that was not itself produced by default inheritance.
* Every Y with ``Y rdfs:subClassOf S`` or ``Y rdf:type S`` (closure, so transitive) inherits from
  its *most specific* sources for (P, O): those with no other source S' strictly below them
  (``S' ⊑ S`` and not ``S ⊑ S'``). A node that already has its own statement on (P, O) — either
  polarity, asserted or derived — inherits nothing (the instance beats its class).
* Most specific sources that agree give the fact (``kgr-inherit`` / ``kgr-inherit-neg``, premises:
  the subclass/type fact and the source fact); sources that disagree and are incomparable give
  nothing and a *conflict* (Nixon diamond) that ``holds`` reports as UNKNOWN.
* The engine alternates strict closure and this step until neither adds a fact, so inherited facts
  feed strict rules. Inherited facts are never retracted; if a strict rule later derives the
  opposite, the strict fact wins in ``holds`` and the clash is listed in ``contradictions``.
  An inherited fact from which the strict rules derive a clash on another triple is blocked: the
  closure is recomputed without it (``blocked``; see ``clashes.py``); so is an inherited fact that
  a more specific source overrides once the closure is finished (:meth:`Defaults.stale`: another
  default made the node a member of a more specific class). When a strict axiom entails the
  negation of a blocked default (max-0 cardinality, allValuesFrom + disjointness), ``holds``
  answers no with that strict proof and lists the blocked default among the conflicts.
* One implementation for every strategy: :meth:`Defaults.decide` is the inheritance decision of
  the materialized closure (:meth:`Defaults.step`) and of the query-time solver (``goal.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import RDF, RDFS

from kgreason.graph.vocab import KGR
from kgreason.reasoning.engine import Fact, Store


@dataclass(frozen=True)
class DefaultConflict:
    """Incomparable sources disagree on ``(subject, prop, obj)``: the answer is UNKNOWN."""

    subject: int
    prop: int
    obj: int
    positive: tuple[int, ...]  # source nodes saying yes
    negative: tuple[int, ...]  # source nodes saying no


class Defaults:
    """One inheritance step over the current closure (see the module docstring)."""

    def __init__(self, store: Store, inherit_index: int, inherit_neg_index: int):
        self.store = store
        self.inherit_index = inherit_index
        self.inherit_neg_index = inherit_neg_index
        self.conflicts: dict[Fact, DefaultConflict] = {}
        #: inherited facts never derived because they would lead to a clash (see clashes.py)
        self.blocked: set[Fact] = set()
        ids = store.ids
        self.type_id = ids.get(RDF.type)
        self.sc_id = ids.get(RDFS.subClassOf)
        self.inheritable_id = ids.get(KGR.InheritableProperty)

    def properties(self) -> list[int]:
        if self.inheritable_id is None or self.type_id is None:
            return []
        return sorted(self.store.OP.get(self.type_id, {}).get(self.inheritable_id, ()))

    def below(self, node: int) -> list[tuple[int, int]]:
        """(Y, relation) for every subclass (rdfs:subClassOf) and instance (rdf:type) of node."""
        OP = self.store.OP
        out = [(y, self.sc_id) for y in OP.get(self.sc_id, {}).get(node, ())]
        out += [(y, self.type_id) for y in OP.get(self.type_id, {}).get(node, ())]
        return out

    def is_source(self, fact: Fact) -> bool:
        prov = self.store.prov.get(fact)
        return prov is None or prov[0] not in (self.inherit_index, self.inherit_neg_index)

    def sources(self, prop: int, o: int) -> dict[int, int]:
        """Every source of (prop, o): node → 1 (says yes), -1 (no), 0 (both)."""
        OP = self.store.OP
        pol: dict[int, int] = {}
        for sign in (1, -1):
            for s in OP.get(sign * prop, {}).get(o, ()):
                if self.is_source((s, sign * prop, o)):
                    pol[s] = 0 if s in pol else sign
        return pol

    def decide(self, y: int, prop: int, o: int, pol: dict[int, int] | None = None):
        """The one inheritance decision for ``(y prop o)`` (materialized closure and query-time
        solver alike): ``(fact, (rule index, premises))`` when the most specific sources above y
        agree and the fact is not blocked; None otherwise (recording a conflict when they
        disagree). ``pol``: :meth:`sources` of (prop, o), if already known."""
        store = self.store
        if store.has((y, prop, o)) or store.has((y, -prop, o)):
            return None  # its own statement (or an earlier inheritance) wins
        if pol is None:
            pol = self.sources(prop, o)
        pol, specific = self._specific(y, pol)
        if not specific:
            return None
        signs = _signs(pol, specific)
        if len(signs) == 1:
            sign = signs.pop()
            if (y, sign * prop, o) in self.blocked:
                return None
            src = min(specific)
            rel = self.sc_id if src in store.SP.get(self.sc_id, {}).get(y, ()) else self.type_id
            rule = self.inherit_index if sign > 0 else self.inherit_neg_index
            return (y, sign * prop, o), (rule, ((y, rel, src), (src, sign * prop, o)))
        pos = tuple(sorted(s for s in specific if pol[s] >= 0))
        neg = tuple(sorted(s for s in specific if pol[s] <= 0))
        self.conflicts[(y, prop, o)] = DefaultConflict(y, prop, o, pos, neg)
        return None

    def step(self) -> dict[Fact, tuple[int, tuple[Fact, ...]]]:
        """New inherited facts (fact → (rule index, premises)) over the whole closure."""
        new: dict[Fact, tuple[int, tuple[Fact, ...]]] = {}
        OP = self.store.OP
        for prop in self.properties():
            objs = set(OP.get(prop, ())) | set(OP.get(-prop, ()))
            for o in sorted(objs):
                pol = self.sources(prop, o)
                candidates = {y for s in pol for y, _ in self.below(s)}
                for y in sorted(candidates):
                    found = self.decide(y, prop, o, pol)
                    if found is not None:
                        new[found[0]] = found[1]
        return new

    def stale(self) -> list[Fact]:
        """Inherited facts that their sources no longer decide on the finished closure: a
        strict consequence of another default made a more specific source apply. They are
        blocked like clashing defaults and the closure recomputed (every strategy), so each
        inherited fact left has a proof that checks. (A strict statement on the same triple is
        not staleness: the strict fact wins in ``holds``.)

        The sources of each (property, object) are gathered once and each inherited fact looks
        only at its own classes, so the check is linear in the inherited facts (a WordNet-sized
        closure has hundreds of thousands)."""
        out: list[Fact] = []
        SP, prov = self.store.SP, self.store.prov
        inherit = (self.inherit_index, self.inherit_neg_index)
        for prop in self.properties():
            by_object: dict[int, list[tuple[int, int, int]]] = {}
            for sign in (1, -1):
                for y, objs in SP.get(sign * prop, {}).items():
                    for o in objs:
                        entry = prov.get((y, sign * prop, o))
                        if entry is not None and entry[0] in inherit:
                            by_object.setdefault(o, []).append((y, sign, entry[1][1][0]))
            for o, inherited in by_object.items():
                sources = self.sources(prop, o)
                for y, sign, src in inherited:
                    if y in sources:
                        continue  # y is a source itself: its own statement wins in ``holds``
                    polarity, specific = self._specific(y, sources)
                    if src not in specific or _signs(polarity, specific) != {sign}:
                        out.append((y, sign * prop, o))
        return out

    def _specific(self, y: int, pol: dict[int, int]) -> tuple[dict[int, int], list[int]]:
        """The sources in ``pol`` above y (node → 1 / -1 / 0) and the most specific of them; above
        y: its superclasses and types (the closure's, so transitive)."""
        SP = self.store.SP
        sc = SP.get(self.sc_id, {}) if self.sc_id is not None else {}
        types = SP.get(self.type_id, {}).get(y, set()) if self.type_id is not None else set()
        polarity = {s: pol[s] for s in sc.get(y, set()) | types if s != y and s in pol}
        above = list(polarity)
        return polarity, [s for s in above if not self._subs(s, sc, above)]

    @staticmethod
    def _subs(s: int, sc: dict[int, set[int]], among: list[int]) -> set[int]:
        """Sources in ``among`` strictly more specific than s (t ⊑ s and not s ⊑ t)."""
        return {t for t in among if t != s and s in sc.get(t, ()) and t not in sc.get(s, ())}


def _signs(polarity: dict[int, int], sources: list[int]) -> set[int]:
    """What ``sources`` say: 1 (yes), -1 (no); a source that says both counts as both."""
    return {v for s in sources for v in ((1, -1) if polarity[s] == 0 else (polarity[s],))}
