"""Theory + statement → true / false / unknown with a proof: the symbolic path for datasets such
as ProofWriter and ProntoQA (and any controlled-English premise with a hypothesis).

The context is parsed with :func:`parse_theory`, the statement with :func:`parse_statement`, and
the best candidate triple is decided by the reasoner's ``holds``; a negated statement flips TRUE
and FALSE (UNKNOWN stays). Parsed theories and their reasoners are cached (ProofWriter asks many
questions of one theory), so each theory is parsed and materialized once.
"""

from __future__ import annotations

import gc
import logging
from collections import OrderedDict
from contextlib import contextmanager
from typing import Any

from kgreason.graph.knowledge_graph import KnowledgeGraph

log = logging.getLogger(__name__)

TRUE, FALSE, UNKNOWN = "true", "false", "unknown"
_FLIP = {TRUE: FALSE, FALSE: TRUE, UNKNOWN: UNKNOWN}

_CACHE: OrderedDict[tuple[str, bool], tuple[KnowledgeGraph, Any]] = OrderedDict()
_CACHE_SIZE = 64


def theory(context: str, closed_world: bool = False) -> tuple[KnowledgeGraph, Any]:
    """(kg, reasoner) for a context, cached by text and world assumption."""
    from kgreason.language.english_graph import parse_theory
    from kgreason.reasoning import Reasoner

    key = (context, closed_world)
    hit = _CACHE.get(key)
    if hit is not None:
        _CACHE.move_to_end(key)
        return hit
    kg = parse_theory(context)
    entry = (kg, Reasoner(kg, rules=kg.rules, closed_world=closed_world))
    _CACHE[key] = entry
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return entry


def answer_theory_question(context: str, statement: str, closed_world: bool = False
                           ) -> tuple[str, Any, list[str]]:
    """``(truth, proof, issues)``: truth is "true" / "false" / "unknown" (the statement as
    written, negation included); proof is the reasoner's Proof (of the triple or of its
    negation) or None; issues lists sentences of the context or the statement that did not parse.
    A dataset prompt before the statement ("... true, false, or unknown? Bob is red.") is fine."""
    from kgreason.language.questions import parse_statement

    kg, reasoner = theory(context, closed_world)
    issues = list(kg.issues)
    hyp = parse_statement(statement, kg)
    if not hyp.candidates:
        issues.append(f"statement: {hyp.statement} — {hyp.reason}")
        return UNKNOWN, None, issues
    cand = hyp.candidates[0]
    verdict = reasoner.holds(*cand.triple, closed_world=closed_world)
    truth = str(getattr(verdict.value, "value", verdict.value))
    if cand.negated:
        truth = _FLIP[truth]
    return truth, verdict.proof, issues


def clear_cache() -> None:
    _CACHE.clear()


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
