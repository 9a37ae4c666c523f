"""What a question or statement was read as: candidate triples of the graph, with polarity."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kgreason.core.terms import Namer, Triple, show_triple


@dataclass
class Candidate:
    """One reading of the hypothesis: ``triple`` holds (``negated=False``) or not (True).
    ``text`` is the reading as a sentence when the reader already has one."""

    triple: Triple
    negated: bool
    score: float
    text: str = ""

    def to_json(self, namer: Namer | None = None) -> dict[str, Any]:
        return {"triple": show_triple(self.triple, namer), "negated": self.negated,
                "score": round(float(self.score), 4), "text": self.text}


@dataclass
class Hypothesis:
    """``statement`` as read; ``candidates`` best first (empty: not understood, ``reason`` says
    why). A negated *question* ("Can't penguins fly?") keeps positive candidates and sets
    ``negated_question`` for display only."""

    statement: str
    candidates: list[Candidate] = field(default_factory=list)
    negated_question: bool = False
    reason: str = ""

    @property
    def understood(self) -> bool:
        return bool(self.candidates)

    def to_json(self, namer: Namer | None = None) -> dict[str, Any]:
        return {
            "statement": self.statement,
            "negated_question": self.negated_question,
            "reason": self.reason,
            "candidates": [c.to_json(namer) for c in self.candidates],
        }
