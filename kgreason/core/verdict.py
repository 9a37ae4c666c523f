"""The reasoner's three-valued answer about one triple: Truth, Verdict and Conflict."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from rdflib.term import Node

from kgreason.core.proof import Proof
from kgreason.core.terms import Namer, Triple, show, show_triple


class Truth(str, Enum):
    TRUE = "true"
    FALSE = "false"
    UNKNOWN = "unknown"

    def flipped(self) -> Truth:
        """The truth of the negated statement: TRUE ↔ FALSE, UNKNOWN stays (the one negation
        table of the project)."""
        return _FLIP[self]


_FLIP = {Truth.TRUE: Truth.FALSE, Truth.FALSE: Truth.TRUE, Truth.UNKNOWN: Truth.UNKNOWN}


@dataclass
class Conflict:
    """``default-conflict``: incomparable defaults disagree (``yes``/``no`` name the sources);
    ``contradiction``: a fact and its negation are both derived (``proofs`` = [pos, neg]);
    ``blocked-default``: an inherited fact left out because with it the strict rules derive a
    clash (``proofs`` = that clash's [pos, neg]; ``yes``/``no`` = the default's source)."""

    kind: str
    triple: Triple
    yes: list[Node] = field(default_factory=list)
    no: list[Node] = field(default_factory=list)
    proofs: list[Proof] = field(default_factory=list)
    resolution: str = "unresolved"

    def summary(self, namer: Namer | None = None) -> str:
        """One line with terms as names (the English version: ``language.render``)."""
        what = " ".join(show_triple(self.triple, namer))
        if self.kind == "default-conflict":
            yes = ", ".join(show(n, namer) for n in self.yes)
            no = ", ".join(show(n, namer) for n in self.no)
            return f"conflicting defaults for '{what}': yes from {yes}; no from {no}"
        if self.kind == "blocked-default":
            clash = " ".join(show_triple(self.proofs[0].triple, namer)) if self.proofs else "?"
            return f"default '{what}' blocked: with it both '{clash}' and its negation would hold"
        return f"contradiction: both '{what}' and its negation are derived ({self.resolution})"

    def to_json(self, namer: Namer | None = None) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kind": self.kind,
            "triple": show_triple(self.triple, namer),
            "resolution": self.resolution,
        }
        if self.kind == "default-conflict":
            data["yes"] = [show(n, namer) for n in self.yes]
            data["no"] = [show(n, namer) for n in self.no]
        if self.proofs:
            data["proofs"] = [p.to_json(namer) for p in self.proofs]
        return data


class Verdict:
    """The answer to ``Reasoner.holds``: value + proof (TRUE/FALSE) or what was missing (UNKNOWN).

    ``missing`` is computed on first access by ``explain`` (it walks the rules), so bulk callers
    that only read ``value`` do not pay for the explanation."""

    __slots__ = ("_explain", "_missing", "conflicts", "proof", "triple", "value")

    def __init__(
        self,
        value: Truth,
        triple: Triple,
        proof: Proof | None = None,
        missing: list[str] | None = None,
        conflicts: list[Conflict] | None = None,
        *,
        explain: Callable[[], list[str]] | None = None,
    ):
        self.value = value
        self.triple = triple
        self.proof = proof
        self._missing = missing
        self._explain = explain
        self.conflicts = conflicts if conflicts is not None else []

    @property
    def missing(self) -> list[str]:
        if self._missing is None:
            self._missing = self._explain() if self._explain is not None else []
        return self._missing

    def negated(self, triple: Triple) -> Verdict:
        """The verdict of "not triple" (same proof, conflicts and explanation; value flipped),
        e.g. when a question used a negative property ``N kgr:negationOf P``."""
        return Verdict(
            self.value.flipped(), triple, self.proof, self._missing, self.conflicts,
            explain=self._explain,
        )

    def __repr__(self) -> str:
        return f"Verdict({self.value.value}, {self.triple}, rule={self.proof.rule if self.proof else None})"

    def to_json(self, namer: Namer | None = None) -> dict[str, Any]:
        return {
            "value": self.value.value,
            "triple": show_triple(self.triple, namer),
            "proof": self.proof.to_json(namer) if self.proof is not None else None,
            "missing": list(self.missing),
            "conflicts": [c.to_json(namer) for c in self.conflicts],
        }
