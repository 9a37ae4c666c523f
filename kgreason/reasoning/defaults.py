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
  closure is recomputed without it (``blocked``; see ``clashes.py``).
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

    def step(self) -> dict[Fact, tuple[int, tuple[Fact, ...]]]:
        """New inherited facts (fact → (rule index, premises)); records conflicts."""
        new: dict[Fact, tuple[int, tuple[Fact, ...]]] = {}
        store, SP = self.store, self.store.SP
        sc = SP.get(self.sc_id, {}) if self.sc_id is not None else {}
        for prop in self.properties():
            by_obj: dict[int, dict[int, int]] = {}  # o → {source: 1 | -1 | 0 (both)}
            for sign in (1, -1):
                for s, objs in SP.get(sign * prop, {}).items():
                    for o in objs:
                        if self.is_source((s, sign * prop, o)):
                            pol = by_obj.setdefault(o, {})
                            pol[s] = 0 if s in pol else sign
            for o, pol in by_obj.items():
                sources = list(pol)
                candidates = {y for s in sources for y, _ in self.below(s)}
                for y in sorted(candidates):
                    if store.has((y, prop, o)) or store.has((y, -prop, o)):
                        continue  # its own statement (or an earlier inheritance) wins
                    above = [s for s in sources if s != y and self._is_below(y, s, sc)]
                    if not above:
                        continue
                    specific = [s for s in above if not self._subs(s, sc, above)]
                    signs: set[int] = set()
                    for s in specific:
                        signs |= {1, -1} if pol[s] == 0 else {pol[s]}
                    if len(signs) == 1:
                        sign = signs.pop()
                        if (y, sign * prop, o) in self.blocked:
                            continue
                        src = min(specific)
                        rel = self.sc_id if src in sc.get(y, ()) else self.type_id
                        rule = self.inherit_index if sign > 0 else self.inherit_neg_index
                        new[(y, sign * prop, o)] = (rule, ((y, rel, src), (src, sign * prop, o)))
                    else:
                        pos = tuple(sorted(s for s in specific if pol[s] >= 0))
                        neg = tuple(sorted(s for s in specific if pol[s] <= 0))
                        self.conflicts[(y, prop, o)] = DefaultConflict(y, prop, o, pos, neg)
        return new

    def _is_below(self, y: int, s: int, sc: dict[int, set[int]]) -> bool:
        if s in sc.get(y, ()):
            return True
        types = self.store.SP.get(self.type_id, {}).get(y, ())
        return s in types

    @staticmethod
    def _subs(s: int, sc: dict[int, set[int]], among: list[int]) -> set[int]:
        """Sources in ``among`` strictly more specific than s (t ⊑ s and not s ⊑ t)."""
        return {t for t in among if t != s and s in sc.get(t, ()) and t not in sc.get(s, ())}

    def most_specific(self, y: int, prop: int, o: int) -> tuple[dict[int, int], list[int]]:
        """For checking proofs: the sources above y for (prop, o) and the most specific ones."""
        SP = self.store.SP
        sc = SP.get(self.sc_id, {}) if self.sc_id is not None else {}
        polarity: dict[int, int] = {}
        for sign in (1, -1):
            for s, objs in SP.get(sign * prop, {}).items():
                if (
                    o in objs
                    and s != y
                    and self.is_source((s, sign * prop, o))
                    and self._is_below(y, s, sc)
                ):
                    polarity[s] = 0 if s in polarity else sign
        above = list(polarity)
        return polarity, [s for s in above if not self._subs(s, sc, above)]
