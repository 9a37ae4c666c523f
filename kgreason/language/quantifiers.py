"""Quantified questions: "Do all birds fly?", "Is every fruit sweet?" (``all``) and "Does any
mammal lay eggs?", "Is there a bird that cannot fly?" (``any``) → the quantifier, and the
class-level statement they quantify ("bird can fly") read by the yes/no reader itself.

A plain generic question ("Can birds fly?") asks about the kind — defaults included — and is not
quantified; "all" asks whether *every* member does (an exception says no), "any" whether *some*
member does (a witness says yes). What to do with them is the pipeline's
(:mod:`kgreason.pipeline.quantified`); this module only reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from kgreason.core import Candidate, Hypothesis
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.language.english_words import COPULA, DO, HAVE, MODAL
from kgreason.language.label_index import label_index
from kgreason.language.questions import parse_question, parse_statement

ALL, ANY = "all", "any"
_UNIVERSAL = frozenset(["all", "every", "each"])
_EXISTENTIAL = frozenset(["any", "some"])
_THERE = re.compile(r"^(?:is|are)\s+there\s+(?:(?:a|an|any|some)\s+)?(.+?)\s+(?:that|which|who)\s+(.+)$",
                    re.IGNORECASE)


@dataclass
class QuantifiedQuestion:
    """``quantifier`` is :data:`ALL` or :data:`ANY`; ``hypothesis`` the class-level statement
    (its candidates restricted to readings whose subject is a class of the graph)."""

    question: str
    quantifier: str
    hypothesis: Hypothesis


def quantifier_of(text: str) -> str | None:
    """:data:`ALL`, :data:`ANY` or None, from the wording alone (nothing is linked)."""
    words = text.strip().rstrip("?.! ").split()
    if len(words) < 3:
        return None
    first, second = words[0].lower(), words[1].lower()
    if first not in COPULA | DO | HAVE | MODAL:
        return None
    if second in _UNIVERSAL:
        return ALL
    if second in _EXISTENTIAL or _THERE.match(" ".join(words)):
        return ANY
    return None


def read_quantified(text: str, kg: KnowledgeGraph, linker: Any = None) -> QuantifiedQuestion | None:
    """The quantified question over this graph, or None when ``text`` is not one. A quantified
    question whose statement does not read keeps an empty hypothesis with its ``reason``."""
    quantifier = quantifier_of(text)
    if quantifier is None:
        return None
    question = text.strip().rstrip("?.! ").strip()
    there = _THERE.match(question)
    if there:  # "Is there a bird that cannot fly?" → "bird cannot fly"
        noun, rest = there.group(1), there.group(2)
        hyp = parse_statement(f"{noun} {rest}", kg, linker)
        if not _class_readings(kg, hyp.candidates):
            hyp = parse_statement(f"All {noun} {rest}", kg, linker)
    else:
        words = question.split()
        # "Does any mammal lay eggs?" reads like "Does every mammal lay eggs?": the class-level
        # statement; the quantifier is applied to its members, not read as a word of the graph
        hyp = parse_question(" ".join([words[0], "every", *words[2:]]) + "?", kg, linker)
    kept = _class_readings(kg, hyp.candidates)
    reason = hyp.reason or ("" if kept else
                            f"no reading of {text.strip()!r} is about a kind of thing in this graph")
    return QuantifiedQuestion(text.strip(), quantifier,
                              Hypothesis(hyp.statement or question, kept, reason=reason))


def _class_readings(kg: KnowledgeGraph, candidates: list[Candidate]) -> list[Candidate]:
    index = label_index(kg)
    return [c for c in candidates if index.is_class(c.triple[0])]
