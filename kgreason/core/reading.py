"""How one sentence of English was read: exactly by the controlled-English parser, through a
confirmed proposal of the neural reader, or not at all — never silently."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

EXACT = "exact"
CONFIRMED = "confirmed"
NOT_UNDERSTOOD = "not_understood"
READING_STATUSES = (EXACT, CONFIRMED, NOT_UNDERSTOOD)


@dataclass(slots=True)
class Reading:
    """One sentence as read. ``text``: the controlled English that was read (the sentence itself
    when ``exact``; the neural reader's confirmed proposal when ``confirmed``; the rejected
    proposal, if any, when ``not_understood``). ``confidence`` in [0, 1] (1 for exact readings);
    ``reason`` says why a sentence was not understood (or how a proposal was confirmed)."""

    line: int
    sentence: str
    status: str
    text: str = ""
    confidence: float = 1.0
    reason: str = ""
    source: str = ""

    @property
    def understood(self) -> bool:
        return self.status != NOT_UNDERSTOOD

    def issue(self) -> str:
        """The one-line report of a sentence not understood: ``source:line: sentence — why``."""
        return f"{self.source or '<text>'}:{self.line}: {self.sentence} — {self.reason}"

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"line": self.line, "sentence": self.sentence, "status": self.status,
                               "confidence": round(float(self.confidence), 4)}
        if self.text and self.text != self.sentence:
            out["read_as"] = self.text
        if self.reason:
            out["reason"] = self.reason
        if self.source:
            out["source"] = self.source
        return out


def reading_counts(readings: list[Reading] | tuple[Reading, ...]) -> dict[str, int]:
    """How many readings of each status (every status present, zeros included)."""
    counts = dict.fromkeys(READING_STATUSES, 0)
    for r in readings:
        counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def unread_share(readings: list[Reading] | tuple[Reading, ...]) -> float:
    """The share of readings that are not understood (0.0 for no readings: nothing was missed)."""
    if not readings:
        return 0.0
    return sum(1 for r in readings if r.status == NOT_UNDERSTOOD) / len(readings)
