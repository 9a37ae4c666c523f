"""Which sentences that were not understood could bear on a question.

A reasoner's answer is a promise about the text *as read*. Where a sentence was not understood,
the answer stands only if that sentence cannot change it. This module decides that by words: the
question's **cone** is the set of symbols its answer depends on — the attribute, class or relation
asked about, and, through the rules and subclass axioms that were read, every symbol that can
derive it (backward chaining over the theory's own rules). A sentence that was not understood is
**relevant** when any of its words, or any word of the reading the neural reader proposed for it
(refused or not), names a symbol of the cone ("Fred feels blue" is relevant to "Is Fred kind?"
when a rule derives kind from blue). A sentence that names none of them cannot state a fact of
the cone or a rule that concludes one, so the answer is the reasoner's.

The check is lexical (lemmas, plus the reader's proposal as a second opinion on what the
sentence means): a sentence that says "blue" only through a synonym nobody read ("sapphire")
would be missed; the proposal catches the cases the reader understood but the checks refused."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import OWL, RDF, RDFS
from rdflib.term import Node

from kgreason.core import NOT_UNDERSTOOD, Candidate, Reading
from kgreason.core.rules import Var
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import KGR
from kgreason.language.english_words import tokenize
from kgreason.language.morphology import STOPWORDS, lemma

_STRUCTURE = {RDF.type, RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith}
_IGNORED = STOPWORDS | {"is", "are", "be", "do", "does", "not", "can", "has", "have", "someone",
                        "something", "thing", "things", "people", "person", "they", "it", "then",
                        "if", "and", "or", "all", "every", "each", "any"}


def _words(text: str) -> set[str]:
    out = set()
    for tok in tokenize(text):
        low = tok.lower()
        if low.isalpha() and low not in _IGNORED:
            out.add(low)
            out.add(lemma(low))
    return out


def _split_camel(name: str) -> list[str]:
    words, cur = [], ""
    for ch in name:
        if ch.isupper() and cur:
            words.append(cur)
            cur = ch
        else:
            cur += ch
    return words + ([cur] if cur else [])


def _node_words(kg: KnowledgeGraph, node: Node) -> set[str]:
    local = str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    return _words(kg.label(node)) | _words(" ".join(_split_camel(local)))


def cone(kg: KnowledgeGraph, candidates: Iterable[Candidate]) -> set[Node]:
    """The symbols the answer about ``candidates`` depends on (see the module docstring)."""
    positive = {n: p for n, _, p in kg.rdf.triples((None, KGR.negationOf, None))}
    todo: list[Node] = []
    for cand in candidates:
        _, p, o = cand.triple
        p = positive.get(p, p)
        todo += [o] if p in _STRUCTURE else [p, o]
    seen: set[Node] = set()
    rules = list(kg.rules)
    while todo:
        node = todo.pop()
        if node in seen or isinstance(node, Var):
            continue
        seen.add(node)
        for sub in kg.rdf.subjects(RDFS.subClassOf, node):  # what is a subclass of it is it
            todo.append(sub)
        for rule in rules:
            heads = {t for a in rule.head for t in (positive.get(a.p, a.p), a.o)}
            if node in heads:
                for a in rule.body:
                    p = positive.get(a.p, a.p)
                    todo += [a.o] if p in _STRUCTURE else [p, a.o]
    return {n for n in seen if n not in _STRUCTURE}


def relevant_unread(kg: KnowledgeGraph, candidates: Iterable[Candidate],
                    readings: Iterable[Reading] | None = None) -> list[Reading]:
    """The sentences not understood that could bear on the answer about ``candidates``."""
    unread = [r for r in (kg.readings if readings is None else readings) if r.status == NOT_UNDERSTOOD]
    if not unread:
        return []
    candidates = list(candidates)
    if not candidates:
        return unread
    words: set[str] = set()
    for node in cone(kg, candidates):
        words |= _node_words(kg, node)
    return [r for r in unread if (_words(r.sentence) | _words(r.text or "")) & words]


def naming_unread(decision, unread: list[Reading], limit: int = 3):
    """The decision with the sentences that kept it from standing named in its reason (when
    nothing decided it)."""
    from dataclasses import replace

    from kgreason.core import NONE

    if decision.decided_by != NONE or not unread:
        return decision
    named = "; ".join(f"line {r.line}: \"{r.sentence}\"" for r in unread[:limit])
    more = f" and {len(unread) - limit} more" if len(unread) > limit else ""
    return replace(decision, reason=f"{decision.reason} (not understood: {named}{more})")
