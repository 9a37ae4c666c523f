"""Open questions (what / which / who / how many / why / what is) as typed data: a triple
pattern with one variable, and the answers found for it, each with its proof."""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.term import Node

from kgreason.core.hypothesis import Hypothesis
from kgreason.core.proof import Proof
from kgreason.core.rules import Term, Var

#: The variable an open question asks for.
X = Var("x")

OPEN_KINDS = ("which", "what", "who", "how_many", "why", "what_is")


@dataclass
class QueryReading:
    """One reading of an open question: ``triple`` holds X in its subject or object
    (``negated``: "not (s p o)")."""

    triple: tuple[Term, Term, Term]
    negated: bool
    score: float

    @property
    def slot(self) -> int:
        return self.triple.index(X)


@dataclass
class OpenQuestion:
    """``kind`` is one of :data:`OPEN_KINDS`. ``readings`` best first (empty: not understood,
    ``reason`` says why); ``restriction``: answers must be a C ("Which *birds* ..."); ``subject``:
    the X of "What is X?"; ``hypothesis``: the statement of a "Why ...?" question."""

    question: str
    kind: str
    readings: list[QueryReading] = field(default_factory=list)
    restriction: Node | None = None
    subject: Node | None = None
    hypothesis: Hypothesis | None = None
    reason: str = ""
    #: "How many *legs* does a spider have?": the words of what is counted (empty: a question
    #: that counts the answers themselves, "How many birds cannot fly?"); ``subject`` the spider
    counted: tuple[str, ...] = ()


@dataclass
class OpenItem:
    """One answer: ``term`` and the proof that makes it one (of the statement with X = term, and
    of the restriction when there is one)."""

    term: Node
    proofs: list[Proof]
    inferred: bool

    @property
    def depth(self) -> int:
        return max((p.depth for p in self.proofs), default=0)
