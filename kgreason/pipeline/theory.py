"""Theories: an English context (facts + rules) read into a graph and a reasoner, and statements
decided against it — the path for datasets such as ProofWriter and ProntoQA (and any
controlled-English premise with a hypothesis).

Theories are cached by text and world assumption (ProofWriter asks several questions of one
theory), so each is read and materialized once.
"""

from __future__ import annotations

import gc
import logging
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from kgreason.core import Decision, Hypothesis, Reading, reading_counts, unread_share
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.language.english_graph import parse_theory
from kgreason.language.english_parser import split_sentences
from kgreason.language.questions import parse_statement
from kgreason.pipeline.background import add_background
from kgreason.pipeline.decide import decide
from kgreason.pipeline.reading import ReaderStage
from kgreason.pipeline.relevance import naming_unread, relevant_unread
from kgreason.reasoning import Reasoner

log = logging.getLogger(__name__)

@dataclass
class Theory:
    """A context as read: the graph, its reasoner, and the sentences that were not understood."""

    context: str
    kg: KnowledgeGraph
    reasoner: Reasoner
    issues: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every sentence was read exactly or through a confirmed reading."""
        return not self.issues

    @property
    def readings(self) -> list[Reading]:
        """One reading per sentence: exact, confirmed or not understood (with its line)."""
        return self.kg.readings

    def reading_counts(self) -> dict[str, int]:
        return reading_counts(self.kg.readings)

    def unread_for(self, hypothesis: Hypothesis) -> list[Reading]:
        """The sentences not understood that could bear on ``hypothesis``
        (:mod:`kgreason.pipeline.relevance`)."""
        return relevant_unread(self.kg, hypothesis.candidates) if self.issues else []

    def complete_for(self, hypothesis: Hypothesis) -> bool:
        """Every sentence that could bear on ``hypothesis`` was understood."""
        return not self.unread_for(hypothesis)

    @property
    def unread_share(self) -> float:
        """The share of the context's sentences that were not understood."""
        return unread_share(self.kg.readings)

    def sentences(self) -> list[str]:
        """The context as sentences (the verifier judges windows of these)."""
        return [text for _, text in split_sentences(self.context)] or [self.context]

    def facts(self) -> list[str]:
        """The verifier's facts: the context's own sentences. Not the reasoner's derived facts:
        the verifier is asked only where reading failed, and what was derived from a partial
        reading must not colour the judgement of the text (hybrid's verifier step is neural's)."""
        return self.sentences()


class TheoryCache:
    """Read theories once: an LRU of :class:`Theory` by (context, closed_world)."""

    def __init__(self, size: int = 64, *, reader: ReaderStage | None = None, background: bool = True):
        self.size = size
        self.reader = reader  # None: the fast path only (the exact controlled-English parser)
        self.background = background  # WordNet's class links (kgreason.pipeline.background)
        self._items: OrderedDict[tuple[str, bool], Theory] = OrderedDict()

    def read(self, context: str, closed_world: bool = False, *, source: str = "") -> Theory:
        """``source`` names the theory in its rule ids (``source#n``) and issues. The cache is
        keyed by the text, so a later read under another source gets the first reading: pass a
        name that depends only on the text (not, say, the key of the question being asked)."""
        key = (context, closed_world)
        hit = self._items.get(key)
        if hit is not None:
            self._items.move_to_end(key)
            return hit
        second = self.reader.second_path() if self.reader is not None else None
        kg = parse_theory(context, source=source or "<text>", second_path=second)
        if self.background:
            add_background(kg)
        theory = Theory(context, kg, Reasoner(kg, rules=kg.rules, closed_world=closed_world),
                        list(kg.issues))
        self._items[key] = theory
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return theory

    def clear(self) -> None:
        self._items.clear()


_THEORIES = TheoryCache()


def theory(context: str, closed_world: bool = False) -> Theory:
    """The (cached) reading of ``context``."""
    return _THEORIES.read(context, closed_world)


def read_statement(theory: Theory, statement: str) -> Hypothesis:
    """A statement (a dataset prompt before it is fine: "... true, false, or unknown? Bob is
    red.") as a hypothesis over the theory's vocabulary."""
    return parse_statement(statement, theory.kg)


def decide_statement(theory: Theory, statement: str | Hypothesis, *, mode: str = "symbolic",
                     closed_world: bool = False, verifier: Any = None, threshold: float | None = None
                     ) -> Decision:
    """:func:`~kgreason.pipeline.decide.decide` for a statement against a theory."""
    hyp = read_statement(theory, statement) if isinstance(statement, str) else statement
    extra = {} if threshold is None else {"threshold": threshold}
    unread = theory.unread_for(hyp)
    decision = decide(hyp, mode=mode, reasoner=theory.reasoner, complete=not unread,
                      unread_share=theory.unread_share, closed_world=closed_world,
                      verifier=verifier, facts=lambda d: theory.facts(), **extra)
    return naming_unread(decision, unread)


def answer_theory_question(context: str, statement: str, closed_world: bool = False
                           ) -> tuple[str, Any, list[str]]:
    """``(truth, proof, issues)`` of a statement against an English context, decided by the
    reasoner (symbolic): truth is "true" / "false" / "unknown" (the statement as written,
    negation included); proof is the reasoner's Proof (of the triple or of its negation) or
    None; issues lists the sentences of the context or the statement that were not read."""
    th = theory(context, closed_world)
    hyp = read_statement(th, statement)
    issues = list(th.issues)
    if not hyp.understood:
        issues.append(f"statement: {hyp.statement} — {hyp.reason}")
    decision = decide_statement(th, hyp, closed_world=closed_world)
    return decision.truth.value, decision.proof, issues


def clear_cache() -> None:
    _THEORIES.clear()


@contextmanager
def batch_gc(threshold0: int = 20_000):
    """For long batch runs (datasets): freeze what start-up allocated and collect young objects
    less often. Each small theory leaves a little cyclic garbage (rdflib's Graph ↔
    NamespaceManager), and with the default thresholds full collections walk the parser's and
    reasoner's caches again and again — about half of the run time. Settings are restored after."""
    old = gc.get_threshold()
    gc.collect()
    gc.freeze()
    gc.set_threshold(threshold0, old[1], max(old[2], 100))
    try:
        yield
    finally:
        gc.set_threshold(*old)
        gc.unfreeze()
