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


#: Words that make a sentence general (a rule or a class statement), not about named individuals.
_GENERAL = frozenset(["if", "all", "every", "each", "any", "anyone", "anybody", "anything",
                      "someone", "somebody", "something", "everyone", "everybody", "everything",
                      "people", "person", "persons", "folks", "things", "thing", "who", "whoever",
                      "those", "whom", "whose", "when", "whenever", "one", "ones", "guy", "guys",
                      "man", "men", "woman", "women", "someone's", "they", "them"])
_LABELS = {RDFS.label, RDFS.comment}


def _unary(kg: KnowledgeGraph) -> bool:
    """Every rule is about one individual (``?x a C`` atoms only) and no fact relates two
    individuals: then what is said of one individual never bears on another."""
    for rule in kg.rules:
        if rule.body and any(a.p != RDF.type or not isinstance(a.s, Var) for a in (*rule.body, *rule.head)):
            return False
    negative_types = {n for n, _, p in kg.rdf.triples((None, KGR.negationOf, None)) if p == RDF.type}
    for _, p, _ in kg.rdf:
        if p not in _STRUCTURE and p not in negative_types and p != KGR.negationOf and \
                not str(p).startswith(("http://www.w3.org/2000/01/rdf-schema#",
                                       "http://www.w3.org/2004/02/skos/core#")):
            return False
    return True


def _individual_names(kg: KnowledgeGraph) -> dict[str, Node]:
    classes = set(kg.rdf.subjects(RDF.type, RDFS.Class))
    out = {}
    for node in set(kg.rdf.subjects(RDF.type, None)) - classes:
        label = kg.label(node)
        if label and label[:1].isupper():
            out[label.lower()] = node
    return out


def _about(text: str, names: dict[str, Node]) -> set[Node] | None:
    """The named individuals a sentence is about, or None when it may be general (a rule, a class
    statement, a pronoun without its name)."""
    toks = [t.lower() for t in tokenize(text)]
    if not toks or any(t in _GENERAL for t in toks):
        return None
    found = {names[t] for t in toks if t in names}
    return found or None


def relevant_unread(kg: KnowledgeGraph, candidates: Iterable[Candidate],
                    readings: Iterable[Reading] | None = None) -> list[Reading]:
    """The sentences not understood that could bear on the answer about ``candidates``: those
    that name a word of the question's cone, unless the theory is unary (rules about one
    individual, no relations) and the sentence is only about other named individuals."""
    unread = [r for r in (kg.readings if readings is None else readings) if r.status == NOT_UNDERSTOOD]
    if not unread:
        return []
    candidates = list(candidates)
    if not candidates:
        return unread
    words: set[str] = set()
    for node in cone(kg, candidates):
        words |= _node_words(kg, node)
    out = [r for r in unread if (_words(r.sentence) | _words(r.text or "")) & words]
    if out and _unary(kg):
        subjects = {c.triple[0] for c in candidates}
        names = _individual_names(kg)
        if subjects <= set(names.values()):
            def elsewhere(r: Reading) -> bool:
                said = _about(r.sentence, names)
                if said is None and r.text:  # a pronoun: the name the reader resolved it to
                    said = _about(r.text, names) if r.sentence.split()[0].lower() in (
                        "he", "she", "he's", "she's", "his", "her") else None
                return said is not None and not (said & subjects)
            out = [r for r in out if not elsewhere(r)]
    return out


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
