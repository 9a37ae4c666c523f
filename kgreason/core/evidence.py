"""A retrieved fact, as retrieval hands it to the decision and the answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kgreason.core.terms import Namer, Triple, show_triple


@dataclass(frozen=True)
class Evidence:
    """``text`` (its sentence), ``triple`` (rdflib nodes), ``score`` (relevance in [0, 1], higher
    is better: similarity to the question plus a bonus for the entities it names; see
    ``kgreason.retrieval.retriever.relevance``),
    ``inferred`` (derived by the reasoner, not asserted), ``negated`` (the text states
    "not (s p o)")."""

    text: str
    triple: Triple
    score: float
    inferred: bool = False
    negated: bool = False

    def to_json(self, namer: Namer | None = None) -> dict[str, Any]:
        triple = show_triple(self.triple, namer) if namer is not None else [str(x) for x in self.triple]
        return {"text": self.text, "triple": triple, "score": round(self.score, 4),
                "inferred": self.inferred, "negated": self.negated}
