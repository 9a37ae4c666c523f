"""A decision: yes / no / unknown about one hypothesis, who decided it, and why.

``decided_by`` is ``reasoner`` (a proof, a refutation, or an open-world unknown after
everything was read), ``verifier`` (the NLI model, only where reading failed), or ``none``
(nothing could decide: not understood and no verifier, or the verifier was not sure enough).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from kgreason.core.hypothesis import Candidate
from kgreason.core.proof import Proof
from kgreason.core.terms import Namer
from kgreason.core.verdict import Conflict, Truth, Verdict


class Label(str, Enum):
    """An answer as NLI datasets name it."""

    ENTAILMENT = "entailment"
    CONTRADICTION = "contradiction"
    NEUTRAL = "neutral"


#: truth of a statement → answer → NLI label (one table each way).
ANSWER_OF_TRUTH = {Truth.TRUE: "yes", Truth.FALSE: "no", Truth.UNKNOWN: "unknown"}
LABEL_OF_ANSWER = {"yes": Label.ENTAILMENT.value, "no": Label.CONTRADICTION.value,
                   "unknown": Label.NEUTRAL.value}
ANSWER_OF_LABEL = {v: k for k, v in LABEL_OF_ANSWER.items()}

REASONER, VERIFIER, NONE = "reasoner", "verifier", "none"
#: a first-order theory decided by the theorem prover (:mod:`kgreason.proving`)
PROVER = "prover"


@dataclass(frozen=True)
class Judgement:
    """The NLI verifier's view of a statement given facts: ``label`` and ``probs`` by label."""

    label: str
    probs: dict[str, float]

    @property
    def confidence(self) -> float:
        return float(self.probs.get(self.label, 0.0))

    def to_json(self) -> dict[str, Any]:
        return {"label": self.label, "probs": {k: round(float(v), 4) for k, v in self.probs.items()}}


@dataclass
class Decision:
    """The answer about a hypothesis. ``candidate`` is the reading decided (its statement is
    the one to show); ``verdict`` the reasoner's verdict on it, ``judgement`` the verifier's."""

    answer: str = "unknown"  # "yes" | "no" | "unknown"
    decided_by: str = NONE
    confidence: float | None = None
    candidate: Candidate | None = None
    statement: str = ""  # the statement decided, as shown to the user
    verdict: Verdict | None = None
    judgement: Judgement | None = None
    reason: str = ""
    complete: bool = True  # everything (context and statement) was read
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def proof(self) -> Proof | None:
        return self.verdict.proof if self.verdict is not None else None

    @property
    def truth(self) -> Truth:
        """The truth of the statement as written (negation included)."""
        return {v: k for k, v in ANSWER_OF_TRUTH.items()}[self.answer]

    @property
    def label(self) -> str:
        return LABEL_OF_ANSWER[self.answer]

    def to_json(self, namer: Namer | None = None) -> dict[str, Any]:
        return {
            "answer": self.answer,
            "decided_by": self.decided_by,
            "confidence": self.confidence,
            "statement": self.statement,
            "candidate": self.candidate.to_json(namer) if self.candidate is not None else None,
            "proof": self.proof.to_json(namer) if self.proof is not None else None,
            "verifier": self.judgement.to_json() if self.judgement is not None else None,
            "reason": self.reason,
            "complete": self.complete,
            "conflicts": [c.to_json(namer) for c in self.conflicts],
        }
