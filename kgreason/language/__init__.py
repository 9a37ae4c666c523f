"""Controlled English ⇄ triples/rules; questions/statements → hypotheses; verbalization.

Imported lazily: ``from kgreason.language import parse_theory`` loads only what it needs.
"""

from __future__ import annotations

from kgreason._lazy import lazy_getattr

_LAZY = {
    "parse_theory": "kgreason.language.english_graph",
    "parse_into": "kgreason.language.english_graph",
    "load_english": "kgreason.language.english_graph",
    "parse_question": "kgreason.language.questions",
    "parse_statement": "kgreason.language.questions",
    "Hypothesis": "kgreason.language.questions",
    "Candidate": "kgreason.language.questions",
    "answer_theory_question": "kgreason.language.theory_qa",
    "verbalize": "kgreason.language.verbalize",
    "sentence": "kgreason.language.verbalize",
    "label_index": "kgreason.language.label_index",
}

__all__ = list(_LAZY)


__getattr__ = lazy_getattr(__name__, _LAZY)
