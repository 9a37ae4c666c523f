"""Pipeline: question → hypothesis → retrieval → reasoning (→ verifier, generator) → Answer.

Constructing a Pipeline only stores its config; the graph, the reasoner's closure, the index and
any model load lazily on first use (``warm_up()`` does it eagerly), so a pipeline that does not
need torch never imports it.
"""

from __future__ import annotations

import logging
import time
from dataclasses import asdict, dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from kgreason.config import PipelineConfig, load_config
from kgreason.errors import InputError

log = logging.getLogger(__name__)

#: Candidates whose score is within this margin of the best are tried before giving up.
CANDIDATE_MARGIN = 0.15

_TRUTH_TO_ANSWER = {"true": "yes", "false": "no", "unknown": "unknown"}
_NLI_TO_ANSWER = {"entailment": "yes", "contradiction": "no", "neutral": "unknown"}


@dataclass
class Answer:
    """What ``ask`` returns; ``to_json()`` is the CLI's ``--json`` output."""

    question: str
    answer: str  # "yes" | "no" | "unknown"
    hypothesis: str
    triple: list[str] | None = None
    negated: bool = False
    proof: list[str] = field(default_factory=list)
    proof_tree: dict | None = None
    evidence: list[dict] = field(default_factory=list)
    reason: str = ""
    decided_by: str = "none"  # "reasoner" | "verifier" | "none"
    conflicts: list[Any] = field(default_factory=list)
    candidates: list[dict] = field(default_factory=list)
    verifier: dict | None = None
    explanation: dict | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


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
        if self._kg is None:
            from kgreason.graph.loaders import load_graph

            self._kg = load_graph(self._graph_paths())
        return self._kg

    @cached_property
    def rules(self) -> list:
        from kgreason.reasoning.rule_parser import parse_rules_file

        rules = list(self.kg.rules)
        for ref in self.config.reasoning.rules:
            path = Path(self.config.base_dir, ref) if self.config.base_dir else Path(ref)
            rules.extend(parse_rules_file(path if path.exists() else Path(ref), namespaces=self.kg.namespaces))
        return rules

    @cached_property
    def reasoner(self):
        from kgreason.reasoning import Reasoner

        return Reasoner(self.kg, rules=self.rules, closed_world=self.config.reasoning.closed_world).materialize()

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

    def _uses_verifier(self) -> bool:
        return self.config.mode in ("neural", "hybrid") or self.config.models.verifier is not None

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
        from kgreason.language import parse_question
        from kgreason.language.verbalize import verbalize

        question = question.strip()
        if not question:
            raise InputError("the question is empty", hint='ask a yes/no question, e.g. "Can apples be eaten raw?"')
        timer = _Timer()
        t = time.perf_counter()
        kg = self.kg
        t = timer.lap("load", t)
        hyp = parse_question(question, kg, linker=self.linker)
        t = timer.lap("parse", t)

        evidence = []
        if self.config.retrieval.enabled:
            result = self.retriever.retrieve(question, k=self.config.retrieval.k)
            evidence = [e.to_json(kg) for e in result.evidence]
            t = timer.lap("retrieve", t)

        candidates = list(hyp.candidates)
        if len(candidates) > 1 and self.config.retrieval.rank_candidates:
            candidates = self._rank(question, candidates)
            t = timer.lap("rank", t)

        answer = Answer(
            question=question,
            answer="unknown",
            hypothesis=hyp.statement,
            evidence=evidence,
            candidates=[
                {"triple": [kg.qname(x) for x in c.triple], "negated": c.negated, "score": round(float(c.score), 4),
                 "text": c.text or verbalize(kg, c.triple, negated=c.negated)}
                for c in candidates
            ],
        )
        if not candidates:
            answer.reason = hyp.reason or "the question could not be turned into a triple of this graph"
        elif self.config.mode != "neural" and self.config.reasoning.enabled:
            self._decide_by_reasoner(answer, candidates, closed_world)
            t = timer.lap("reason", t)

        if answer.decided_by == "none" and self.config.mode in ("neural", "hybrid"):
            self._decide_by_verifier(answer, hyp.statement)
            t = timer.lap("verify", t)
        if explain:
            self._explain(answer)
            t = timer.lap("explain", t)
        timer.total()
        answer.timings_ms = timer.ms
        return answer

    def _rank(self, question: str, candidates: list) -> list:
        """Order parses by lexical score plus embedding similarity of question and verbalized triple."""
        from kgreason.language.verbalize import verbalize

        texts = [c.text or verbalize(self.kg, c.triple, negated=c.negated) for c in candidates]
        vectors = self.embedder.encode([question, *texts])
        sims = vectors[1:] @ vectors[0]
        scored = [(float(c.score) + float(s), i) for i, (c, s) in enumerate(zip(candidates, sims))]
        scored.sort(key=lambda x: (-x[0], x[1]))
        return [replace(candidates[i], score=score) for score, i in scored]

    def _decide_by_reasoner(self, answer: Answer, candidates: list, closed_world: bool | None) -> None:
        best = float(candidates[0].score)
        first = None
        for cand in candidates:
            if float(cand.score) < best - CANDIDATE_MARGIN:
                break
            verdict = self.reasoner.holds(*cand.triple, closed_world=closed_world)
            first = first or (cand, verdict)
            if verdict.value.value != "unknown":
                self._fill_from_verdict(answer, cand, verdict)
                return
        cand, verdict = first
        self._fill_from_verdict(answer, cand, verdict)

    def _fill_from_verdict(self, answer: Answer, cand, verdict) -> None:
        kg = self.kg
        truth = verdict.value.value
        if cand.negated and truth != "unknown":
            truth = "false" if truth == "true" else "true"
        answer.answer = _TRUTH_TO_ANSWER[truth]
        answer.triple = [kg.qname(x) for x in cand.triple]
        answer.negated = bool(cand.negated)
        answer.conflicts = [c if isinstance(c, dict | str) else str(c) for c in (verdict.to_json(kg).get("conflicts") or [])]
        if verdict.proof is not None:
            answer.proof = verdict.proof.sentences(kg)
            answer.proof_tree = verdict.proof.to_json(kg)
        if truth == "unknown":
            missing = "; ".join(verdict.missing) if verdict.missing else ""
            answer.reason = "the graph neither proves nor refutes it" + (f" ({missing})" if missing else "")
            if answer.conflicts:
                answer.reason = "conflicting statements of equal specificity"
        else:
            answer.decided_by = "reasoner"
            answer.reason = "proved from the graph" if answer.proof else "stated in the graph"

    def _decide_by_verifier(self, answer: Answer, statement: str) -> None:
        """The NLI verifier judges the statement against the proof and the retrieved facts (split
        into windows that fit the model, see NLIVerifier.verify)."""
        facts = answer.proof + [e["text"] for e in answer.evidence]
        if not facts or not statement:
            answer.reason = answer.reason or "no evidence retrieved for the verifier"
            return
        pred = self.verifier.verify(facts, statement)
        answer.verifier = {"label": pred.label, "probs": {k: round(float(v), 4) for k, v in pred.probs.items()}}
        answer.answer = _NLI_TO_ANSWER[pred.label]
        answer.decided_by = "verifier"
        answer.reason = f"the NLI verifier judged the statement {pred.label} given the retrieved facts"

    def _explain(self, answer: Answer) -> None:
        facts = answer.proof or [e["text"] for e in answer.evidence[:5]]
        result = self.generator.generate(answer.question, answer.answer, facts)
        answer.explanation = result.to_json() if hasattr(result, "to_json") else {"text": str(result)}
