"""Pipeline: question → hypothesis → retrieval → :func:`~kgreason.pipeline.decide.decide` → Answer.

Constructing a Pipeline only stores its config; the graph, the reasoner's closure, the index and
any model load lazily on first use (``warm_up()`` does it eagerly), so a pipeline that does not
need torch never imports it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import replace
from functools import cached_property
from pathlib import Path

from kgreason.config import PipelineConfig, load_config
from kgreason.core import NONE, REASONER, Decision, Hypothesis
from kgreason.pipeline.answer import Answer
from kgreason.pipeline.decide import candidate_statement, decide, ranked

log = logging.getLogger(__name__)


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

    def __init__(self, config: PipelineConfig | None = None, *, kg=None):
        self.config = config or PipelineConfig()
        self._kg = kg

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
            config.mode = mode
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
            from kgreason.reasoning import load_graph_with_rules

            self._kg = load_graph_with_rules(self._graph_paths())
        return self._kg

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
                             closed_world=self.config.reasoning.closed_world).materialize()

    @cached_property
    def embedder(self):
        from kgreason.retrieval import Embedder

        return Embedder(model=self.config.retrieval.embedder, device=self.config.models.device)

    @cached_property
    def linker(self):
        """The retriever's linker (labels + embeddings over the index) when retrieval is on, so the
        label tables are built once; a lexical-only linker otherwise."""
        if self.config.retrieval.enabled:
            return self.retriever.linker
        from kgreason.retrieval import EntityLinker

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
        from kgreason.models.nli import NLIVerifier

        name = self.config.models.verifier
        return NLIVerifier(model=None if name in (None, "default") else name, device=self.config.models.device)

    @cached_property
    def generator(self):
        from kgreason.models.generate import Generator

        name = self.config.models.generator
        return Generator(model=None if name in (None, "default") else name, device=self.config.models.device)

    def warm_up(self) -> Pipeline:
        """Load everything now (graph, closure, index, models) instead of on the first question."""
        _ = self.kg, self.linker
        if self.config.mode != "neural" and self.config.reasoning.enabled:
            _ = self.reasoner
        if self.config.retrieval.enabled:
            self.retriever.retrieve("warm up", k=1)
        if self.config.mode in ("neural", "hybrid"):
            _ = self.verifier
        return self

    # ------------------------------------------------------------------ asking
    def ask(self, question: str, *, closed_world: bool | None = None, explain: bool = False) -> Answer:
        """Read the question, retrieve evidence, and :func:`decide` it under the pipeline's mode."""
        from kgreason.language.open_questions import is_open_question, parse_open_question
        from kgreason.language.questions import check_question, parse_question

        question = check_question(question)  # before anything is loaded or indexed
        timer = _Timer()
        t = time.perf_counter()
        kg = self.kg
        t = timer.lap("load", t)
        kind = "yes_no"
        if is_open_question(question):
            open_question = parse_open_question(question, kg, linker=self.linker)
            if open_question.kind != "why":
                return self._ask_open(question, open_question, closed_world, timer, t)
            kind, hyp = "why", open_question.hypothesis
        else:
            hyp = parse_question(question, kg, linker=self.linker)
        t = timer.lap("parse", t)

        evidence, t = self._evidence(question, timer, t)

        candidates = ranked(hyp.candidates)
        if len(candidates) > 1 and self.config.retrieval.rank_candidates:
            candidates = self._rank(question, candidates)
            t = timer.lap("rank", t)
        hyp = replace(hyp, candidates=candidates)

        mode = self.config.mode
        reasoning = mode != "neural" and self.config.reasoning.enabled
        decision = decide(
            hyp,
            mode=mode,
            reasoner=self.reasoner if reasoning else None,
            complete=not kg.issues,
            closed_world=closed_world,
            verifier=self.verifier if mode in ("neural", "hybrid") else None,
            facts=lambda d: self._verifier_facts(d, evidence),
            threshold=self.config.models.verifier_threshold,
        )
        t = timer.lap("decide", t)
        answer = Answer(question=question, decision=decision, hypothesis=hyp, kg=kg,
                        candidates=candidates, evidence=evidence, kind=kind)
        if explain:
            self._explain(answer)
            t = timer.lap("explain", t)
        timer.total()
        answer.timings_ms = timer.ms
        return answer

    def _ask_open(self, question: str, open_question, closed_world: bool | None, timer: _Timer,
                  t: float) -> Answer:
        """which / what / who / how many / what is: every answer the reasoner proves."""
        from kgreason.pipeline.open_answers import answer_open

        t = timer.lap("parse", t)
        items, reading = [], None
        if self.config.mode == "neural" or not self.config.reasoning.enabled:
            reason = "open questions are answered by the reasoner (use the symbolic or hybrid pipeline)"
        else:
            items, reading = answer_open(open_question, self.reasoner, closed_world=closed_world)
            n = len(items)
            reason = (f"{n} answer{'s' if n != 1 else ''} proved from the graph" if items else
                      open_question.reason or "nothing in the graph is proved to be one (open world: "
                      "what is not known is not listed)")
        t = timer.lap("decide", t)
        evidence, t = self._evidence(question, timer, t)
        decision = Decision(decided_by=REASONER if items else NONE, reason=reason,
                            complete=bool(open_question.readings or open_question.subject))
        answer = Answer(question=question, decision=decision,
                        hypothesis=Hypothesis(question, reason=open_question.reason), kg=self.kg,
                        evidence=evidence, kind=open_question.kind, items=items, reading=reading)
        timer.total()
        answer.timings_ms = timer.ms
        return answer

    def _evidence(self, question: str, timer: _Timer, t: float) -> tuple[list, float]:
        """The retrieved facts (none when retrieval is off) and the timer's next lap start."""
        if not self.config.retrieval.enabled:
            return [], t
        evidence = self.retriever.retrieve(question, k=self.config.retrieval.k).evidence
        return evidence, timer.lap("retrieve", t)

    def _rank(self, question: str, candidates: list) -> list:
        """Order parses by lexical score plus embedding similarity of question and verbalized triple."""
        texts = [candidate_statement(c, self.kg) for c in candidates]
        vectors = self.embedder.encode([question, *texts])
        sims = vectors[1:] @ vectors[0]
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
