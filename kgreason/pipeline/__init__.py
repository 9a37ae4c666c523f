"""The pipeline layer: one :func:`decide` (hypothesis → yes / no / unknown) used by ``ask``, the
evaluation and theory QA; :class:`Pipeline` composes the stages for questions against a graph."""

from __future__ import annotations

from kgreason.pipeline.answer import Answer
from kgreason.pipeline.decide import decide
from kgreason.pipeline.pipeline import Pipeline
from kgreason.pipeline.theory import Theory, TheoryCache, answer_theory_question

__all__ = ["Answer", "Pipeline", "Theory", "TheoryCache", "answer_theory_question", "decide"]
