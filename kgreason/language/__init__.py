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
    "verbalize": "kgreason.language.verbalize",
    "sentence": "kgreason.language.verbalize",
    "label_index": "kgreason.language.label_index",
    "proof_sentences": "kgreason.language.render",
    "proof_text": "kgreason.language.render",
    "proof_json": "kgreason.language.render",
    "conflict_text": "kgreason.language.render",
    "verdict_json": "kgreason.language.render",
}

__all__ = list(_LAZY)


__getattr__ = lazy_getattr(__name__, _LAZY)
