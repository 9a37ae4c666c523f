"""What a pipeline's parts must offer, so that a user can hand in their own (issue 26).

``Pipeline(verifier=…, generator=…, retriever=…, reasoner=…, reader=…, kg=…)`` accepts any object
with the methods below; the config builds the defaults. A plain function is a verifier too:
``f(facts, statement)`` returning a label ("entailment" / "contradiction" / "neutral", or true /
false / unknown, yes / no), a :class:`~kgreason.core.decision.Judgement`, or ``(label, confidence)``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, runtime_checkable

from kgreason.core.decision import Judgement

#: label words a plain-function verifier may return → the verifier's labels
_LABELS = {"entailment": "entailment", "true": "entailment", "yes": "entailment",
           "contradiction": "contradiction", "false": "contradiction", "no": "contradiction",
           "neutral": "neutral", "unknown": "neutral"}


@runtime_checkable
class Verifier(Protocol):
    """Judges a statement against facts (the NLI verifier's job)."""

    def verify(self, facts: Sequence[str], statement: str) -> Judgement: ...


@runtime_checkable
class Generator(Protocol):
    """Writes a fluent answer from the decided answer and its facts (``ask --explain``)."""

    def generate(self, question: str, answer: str, facts: Sequence[str]) -> Any: ...


@runtime_checkable
class Retriever(Protocol):
    """Finds the graph's facts relevant to a question (evidence; the verifier's facts):
    a list of :class:`~kgreason.core.evidence.Evidence`, or a result with ``.evidence``."""

    def retrieve(self, question: str, k: int = 5) -> Any: ...


class FunctionVerifier:
    """A plain function as a :class:`Verifier`."""

    def __init__(self, fn: Callable[[Sequence[str], str], Any]):
        self.fn = fn
        self.name = getattr(fn, "__name__", "verifier")

    def verify(self, facts: Sequence[str], statement: str) -> Judgement:
        out = self.fn(list(facts), statement)
        if isinstance(out, Judgement):
            return out
        confidence = 1.0
        if isinstance(out, tuple):
            out, confidence = out
        label = _LABELS.get(str(out).strip().lower())
        if label is None:
            raise ValueError(f"verifier {self.name} returned {out!r}; return entailment / "
                             "contradiction / neutral (or true / false / unknown)")
        rest = (1.0 - float(confidence)) / 2
        probs = {k: rest for k in ("entailment", "contradiction", "neutral")}
        probs[label] = float(confidence)
        return Judgement(label, probs)

    def verify_many(self, items):
        return [self.verify(facts, statement) for facts, statement in items]

    def warm_up(self) -> None:
        """Nothing to load."""


def as_verifier(obj: Any) -> Verifier:
    """A verifier object as it is; a plain function wrapped; anything else refused clearly."""
    if isinstance(obj, Verifier):
        return obj
    if callable(obj):
        return FunctionVerifier(obj)
    raise TypeError(f"verifier {obj!r} has no verify(facts, statement) and is not a function")
