"""The reader stage: every sentence of English gets a reading, and nothing is misread silently.

Two paths. The **fast path** is the exact controlled-English parser (``kgreason.language``): a
templated sentence is read exactly, fast, with no model. A sentence it does not read exactly goes
to the **neural reader** (:mod:`kgreason.models.reader`), whose proposal — controlled English — is
**confirmed** before it is believed: (a) it parses in the controlled language, (b) after aligning its
mentions with the symbols the theory or graph already has, it introduces no variant of one
(no ``AlsoBlue`` beside ``Blue``), (c) the NLI verifier judges it entailed by the original sentence
(round trip, ``threshold``). Optionally (``alternatives`` > 1, off by default: :data:`ALTERNATIVES`)
a refused first reading gets a second chance: the reader's next best readings are checked the same
way, and the first that passes is the reading. Otherwise the sentence is reported, with its line, as not understood, and the
theory is incomplete (so hybrid may use the verifier there).

The language layer does (a) and (b) and calls the two models through the
:class:`~kgreason.language.english_graph.SecondPath` this stage gives it; models load lazily, on the
first sentence that needs them (reading templated text or a Turtle graph imports no torch).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from functools import cached_property
from typing import Any

from kgreason.errors import InputError, MissingExtraError, ModelError
from kgreason.language.english_graph import SecondPath, use_second_path
from kgreason.pipeline.readers import SHIPPED, reader_loader, uses_reader

log = logging.getLogger(__name__)

#: Below this NLI probability that the sentence entails the reading, the reading is refused.
CONFIRM_THRESHOLD = 0.5
#: Proposals and entailment probabilities kept per stage (per process).
CACHE_SIZE = 100_000
#: The neural reader's time per batch of theory sentences (``batch_size``; a question has its
#: own 5 s, :data:`kgreason.language.questions.PARSE_SECONDS`): a backstop — the 500-character
#: cap already bounds the work, and a batch of ParaRules sentences reads in a few seconds on a
#: CPU — so results do not depend on the machine's load. Sentences not read by then are reported
#: as not understood ("stopped at its time limit"), never read in part.
READ_SECONDS = 30.0
#: Readings checked in all for a sentence whose first reading is refused (0/1: the first only).
#: Off by default: on ParaRules dev, 4 turned 220 refusals into readings, 59 of them wrong (27%,
#: against 2.7% for first readings), for +0.5 points of QA accuracy (benchmarks/README.md).
ALTERNATIVES = 1


class ReaderStage:
    """Fast path → neural reader → confirmation. ``model``: "default" (the shipped adapter), a
    folder or id; ``nli``: the verifier that confirms readings (None = the shipped one);
    ``reader`` / ``verifier``: already built objects (tests, or sharing a pipeline's verifier);
    ``similarity``: optional ``f(texts, texts) -> matrix`` for vocabulary alignment."""

    def __init__(self, model: str | None = "default", *, device: str | None = None,
                 nli: str | None = None, threshold: float = CONFIRM_THRESHOLD,
                 reader: Any = None, verifier: Any = None, similarity: Any = None,
                 batch_size: int = 16, alternatives: int = ALTERNATIVES):
        self.model = model or "default"
        self.device = device
        self.nli = None if nli in (None, "default") else nli
        self.threshold = threshold
        self.batch_size = batch_size
        self.n_alternatives = alternatives
        self.similarity = similarity
        self._reader = reader
        self._verifier = verifier
        self.unavailable: str | None = None  # why the shipped reader cannot be used
        # datasets repeat sentences (and every mode reads the same contexts): each is read once
        self._proposals: dict[str, tuple[str, float]] = {}
        self._entailment: dict[tuple[str, str], float] = {}
        self._alternatives: dict[str, list[tuple[str, float]]] = {}
        #: sentences the reader's time limit stopped (not cached: a later call may read them)
        self.stopped: set[str] = set()
        self.read_seconds = READ_SECONDS

    # ------------------------------------------------------------------ models (lazy)
    @property
    def reader(self) -> Any:
        if self._reader is None:  # the registered reader named by ``model`` (kgreason.plugins.readers)
            load, model = reader_loader(self.model)
            if load is None:
                raise InputError(f"the reader {self.model!r} is the controlled parser alone",
                                 hint="name a reader that proposes readings (see `kgreason plugins`)")
            self._reader = load(model, self.device)
        return self._reader

    @cached_property
    def verifier(self) -> Any:
        if self._verifier is not None:
            return self._verifier
        from kgreason.models.nli import NLIVerifier

        return NLIVerifier(model=self.nli, device=self.device)

    # ------------------------------------------------------------------ the two callables
    def propose(self, sentences: list[str], *, seconds: float | None = None) -> list[tuple[str, float]]:
        """The neural reader's proposal for each sentence, within ``seconds`` (default
        :data:`READ_SECONDS` per batch): a sentence not read by then gets an empty proposal and
        is listed in :attr:`stopped`. When the *shipped* reader is missing (a source checkout
        before training), every proposal is empty and says so; a reader that was named
        explicitly and cannot load is an error."""
        import inspect
        import math

        todo = list(dict.fromkeys(s for s in sentences if s not in self._proposals))
        if todo and self.unavailable is None:
            try:
                reader = self.reader
                budget = seconds if seconds is not None else \
                    self.read_seconds * math.ceil(len(todo) / max(1, self.batch_size))
                timed = "seconds" in inspect.signature(reader.propose).parameters
                extra = {"seconds": budget} if timed and budget else {}
                proposals = reader.propose(todo, batch_size=self.batch_size, **extra)
                stopped = set(getattr(reader, "stopped", ()) or ()) if timed else set()
                if stopped:
                    log.warning("the neural reader stopped after %.1f s (its time limit): %d sentence(s) "
                                "not read", budget, len(stopped))
                if len(self._proposals) > CACHE_SIZE:
                    self._proposals.clear()
                if len(self.stopped) > CACHE_SIZE:
                    self.stopped.clear()
                self.stopped.update(stopped)
                self._proposals.update((s, (p.text, float(p.confidence)))
                                       for s, p in zip(todo, proposals) if s not in stopped)
            except (ModelError, MissingExtraError) as exc:  # e.g. the light install (no models extra)
                if self.model not in SHIPPED:
                    raise
                self.unavailable = f"no neural reader ({exc})"
                log.warning("%s: sentences the controlled parser does not read are reported as not "
                            "understood", self.unavailable)
        return [self._proposals.get(s, ("", 0.0)) for s in sentences]

    def alternatives(self, sentences: list[str]) -> list[list[tuple[str, float]]]:
        """Other readings of each sentence, best first (the reader's beam search), for sentences
        whose first reading was refused."""
        todo = list(dict.fromkeys(s for s in sentences if s not in self._alternatives))
        if todo and self.unavailable is None and self.n_alternatives > 1:
            found = self.reader.alternatives(todo, k=self.n_alternatives)
            if len(self._alternatives) > CACHE_SIZE:
                self._alternatives.clear()
            self._alternatives.update((s, [(p.text, float(p.confidence)) for p in props])
                                      for s, props in zip(todo, found))
        return [self._alternatives.get(s, []) for s in sentences]

    def entails(self, pairs: list[tuple[str, str]]) -> list[float]:
        """P(entailment) of each reading given its sentence (the NLI verifier, one batch)."""
        todo = list(dict.fromkeys(p for p in pairs if p not in self._entailment))
        if todo:
            judgements = self.verifier.predict(todo)
            if len(self._entailment) > CACHE_SIZE:
                self._entailment.clear()
            self._entailment.update((p, float(j.probs.get("entailment", 0.0)))
                                    for p, j in zip(todo, judgements))
        return [self._entailment[p] for p in pairs]

    def prefetch(self, texts: Sequence[str]) -> int:
        """Propose readings for every sentence of ``texts`` the fast path does not read, in one
        batched call (a batch of dataset contexts), so that reading each text later hits the
        cache. Returns how many sentences were sent to the reader."""
        from kgreason.core import NOT_UNDERSTOOD
        from kgreason.language.coreference import resolve_leading_pronouns
        from kgreason.language.english_graph import parse_theory

        wanted: list[str] = []
        for text in dict.fromkeys(texts):
            with use_second_path(None):  # the fast path alone says what needs the reader
                kg = parse_theory(text)
            # as the second path will ask: leading pronouns resolved
            resolved = resolve_leading_pronouns([r.sentence for r in kg.readings])
            wanted += [res[0] if res else r.sentence for r, res in zip(kg.readings, resolved)
                       if r.status == NOT_UNDERSTOOD]
        wanted = [s for s in wanted if s not in self._proposals]
        wanted = list(dict.fromkeys(wanted))
        if wanted:
            self.propose(wanted)
        return len(wanted)

    def second_path(self) -> SecondPath:
        return SecondPath(self.propose, self.entails, self.threshold, self.similarity,
                          self.alternatives if self.n_alternatives > 1 else None,
                          stopped=self.stopped.__contains__)

    @contextmanager
    def active(self) -> Iterator[None]:
        """English read inside this block (theories, ``.txt`` graphs) goes through this stage."""
        with use_second_path(self.second_path()):
            yield


_STAGES: dict[tuple, ReaderStage] = {}


def reader_stage(model: str | None, *, device: str | None = None, nli: str | None = None,
                 threshold: float = CONFIRM_THRESHOLD, alternatives: int = ALTERNATIVES) -> ReaderStage | None:
    """The (per-process) reader stage for a config's ``models.reader`` (a registered reader's name,
    or the neural reader's model: :mod:`kgreason.pipeline.readers`); None = fast path only."""
    if not uses_reader(model):
        return None
    key = (str(model), device, nli, threshold, alternatives)
    stage = _STAGES.get(key)
    if stage is None:
        stage = _STAGES[key] = ReaderStage(model, device=device, nli=nli, threshold=threshold,
                                           alternatives=alternatives)
    return stage


def reading(stage: ReaderStage | None):
    """A context in which English is read through ``stage`` (nothing changes for None)."""
    return stage.active() if stage is not None else nullcontext()


def embedder_similarity(embedder: Any):
    """``similarity(a, b)`` from a retrieval embedder (normalized vectors → cosine matrix)."""

    def similarity(a: Sequence[str], b: Sequence[str]):
        va, vb = embedder.encode(list(a)), embedder.encode(list(b))
        return va @ vb.T

    return similarity
