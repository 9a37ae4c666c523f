"""Questions and statements → a hypothesis: candidate triples of *this* graph, with polarity.

Convention for negation:

* A negative *statement* ("Max is not small.", "Is it true that apples are not fruit?", "Is Bob
  not big?") gives candidates with ``negated=True``: the hypothesis is "not (s p o)".
* A negated *question* ("Can't penguins fly?", "Isn't Bob big?") is answered like the positive
  one, as English speakers do ("No, they can't"): candidates are the positive triple
  (``negated=False``) and ``Hypothesis.negated_question`` is True, for display only.

Candidates come from the graph's own labels (rdfs:label / skos:altLabel, lemma and plural
insensitive) and, for graphs written in controlled English, from the same term-minting as the
loader (exact, score 1.0). Several readings are kept, ranked by a lexical score in [0, 1].
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from typing import Any

from rdflib import RDF, RDFS
from rdflib.term import Node

from kgreason.core import Candidate, Hypothesis
from kgreason.errors import InputError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import EX_PREFIX
from kgreason.language.english_parser import (
    COPULA,
    DO,
    HAVE,
    MODAL,
    Parser,
    Pred,
    Ref,
    Sentence,
    SyntaxProblem,
    tokenize,
)
from kgreason.language.label_index import LabelIndex, graph_lexicon, label_index
from kgreason.language.morphology import STOPWORDS, numbers, phrase_key, tokens
from kgreason.language.paraphrase import canonical_tokens, negation_cues

log = logging.getLogger(__name__)

Triple = tuple[Node, Node, Node]
WH_WORDS = frozenset(["what", "which", "who", "whom", "whose", "where", "when", "why", "how"])
#: Longest question or statement read (characters). A yes/no question is a sentence; reading tries
#: every subject/predicate boundary, so text far longer than a sentence would only cost time.
MAX_QUESTION_CHARS = 500
#: Reading one question or statement stops with an InputError after this many seconds (the
#: work is bounded by the length cap; this is the backstop of the "no hangs" policy).
PARSE_SECONDS = 5.0
_DEADLINE: ContextVar[float | None] = ContextVar("kgreason_parse_deadline", default=None)
_TRUTH_PREFIX = re.compile(
    r"^(is it (true|the case|correct|right)( that)?|it is (true|the case)( that)?|true or false:?)\s+",
    re.IGNORECASE)

#: "Is it safe / possible / OK to <verb> ...?" — the "it" is a placeholder for the infinitive, and
#: the question is whether one can do it (never a reading with "it" or "safe" as a subject).
_EXTRAPOSED = re.compile(
    r"^(?:is|was|would it be|will it be)\s+(?:it\s+)?(?:really\s+)?(?:safe|possible|ok|okay|fine|alright|"
    r"all right|allowed|permitted)\s+(?:for\s+(\S.*?)\s+)?to\s+(\S.*)$",
    re.IGNORECASE)


# ---------------------------------------------------------------------- statements
@contextmanager
def _time_limit() -> Iterator[None]:
    """One deadline for the whole reading (a statement read inside a question shares it)."""
    if _DEADLINE.get() is not None:
        yield
        return
    token = _DEADLINE.set(time.monotonic() + PARSE_SECONDS)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


#: Graphs from this many triples get their label index built before the reading's clock starts;
#: a smaller graph's is built when a reading needs it (a templated statement about a small theory
#: is read exactly and never needs it: ~1 ms saved per ProofWriter question).
EAGER_INDEX_TRIPLES = 5_000


def _prepare(kg: KnowledgeGraph) -> None:
    """Build a big graph's label index and every graph's lexicon (once per graph version) before
    the reading's clock starts: on a big graph that is seconds of one-time work, not reading. The
    graph's own label table (read when readings are worded) and the lemma tables load here too."""
    if len(kg) >= EAGER_INDEX_TRIPLES:
        label_index(kg)
    graph_lexicon(kg)
    kg.has_label(RDF.type)
    phrase_key("warming up")


def _check_time() -> None:
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline:
        raise InputError(f"reading the question took longer than {PARSE_SECONDS:g} s",
                         hint="ask a shorter, simpler question (one subject, one verb)")


def parse_statement(text: str, kg: KnowledgeGraph, linker: Any = None) -> Hypothesis:
    """A declarative hypothesis ("Bob is round.", "The bear does not chase the cat.") → candidates.
    A dataset prompt before the statement ("... true, false, or unknown? Bob is round.") is
    ignored. Reading stops with an InputError after :data:`PARSE_SECONDS`."""
    _prepare(kg)
    with _time_limit():
        return _parse_statement(text, kg, linker)


def _parse_statement(text: str, kg: KnowledgeGraph, linker: Any) -> Hypothesis:
    statement = statement_text(text)
    check_length(statement, "statement")
    said = tokenize(statement)
    toks = list(canonical_tokens(tuple(said)))
    if not toks:
        return Hypothesis(text.strip(), reason="empty statement" if not statement else "no English words in the statement")
    if toks[0].lower() in WH_WORDS:
        return Hypothesis(statement, reason="a wh-question is not a statement to check")
    parser = Parser(graph_lexicon(kg))
    readings: list[tuple[Ref, tuple[str, ...], Pred, float]] = []
    try:
        sent = parser.parse(toks, statement)
        readings.extend(_readings(sent))
    except SyntaxProblem as exc:
        log.debug("statement %r: %s", statement, exc)
    candidates = _exact(kg, parser, readings) if readings else []
    if not candidates or candidates[0].score < 1.0:
        index = label_index(kg)
        candidates += [c for ref, words, pred, w in readings
                       for c in _link(kg, index, words, ref.kind, pred, w, linker)]
        if not readings:
            candidates += _split_candidates(kg, index, parser, toks, None, linker)
    kept = keep_polarity(kg, candidates, negation_cues(said))
    hyp = Hypothesis(statement, _rank(kg, kept))
    if not hyp.candidates:
        hyp.reason = (f"every reading of {statement!r} would lose or invent a negation"
                      if candidates else
                      f"no reading of {statement!r} matches this graph's labels"
                      if readings else f"cannot parse {statement!r} as a simple statement")
    return hyp


def candidate_negates(kg: KnowledgeGraph, cand: Candidate) -> bool:
    """Does the candidate say "not"? (negated, a negative property, or class disjointness)"""
    from rdflib import OWL

    from kgreason.graph.vocab import KGR

    p = cand.triple[1]
    negative = p == OWL.disjointWith or (p, KGR.negationOf, None) in kg.rdf
    return bool(cand.negated) != bool(negative)


def keep_polarity(kg: KnowledgeGraph, candidates: list[Candidate], said: int) -> list[Candidate]:
    """The candidates whose polarity is the sentence's: a reading never loses or invents a
    negation ("A snake has no legs" is never "Snake has legs")."""
    return [c for c in candidates if candidate_negates(kg, c) == bool(said)]


def check_length(text: str, what: str = "question") -> None:
    """An InputError when ``text`` is longer than :data:`MAX_QUESTION_CHARS`."""
    if len(text) > MAX_QUESTION_CHARS:
        raise InputError(
            f"the {what} is {len(text):,} characters long; at most {MAX_QUESTION_CHARS} are read",
            hint=f"ask one short yes/no {what} (e.g. 'Can penguins fly?'); put background facts in a "
            "graph file (--graph) instead",
        )


def check_question(text: str) -> str:
    """The question, stripped, or an InputError when there is nothing to read in it: empty,
    longer than :data:`MAX_QUESTION_CHARS`, no English word (","), or in another language
    (:func:`~kgreason.language.english_check.foreign_language`: "Les pingouins peuvent-ils voler ?").
    For ``ask``; readers of datasets get the same cases as a Hypothesis ``reason`` instead."""
    question = text.strip()
    if not question:
        raise InputError("the question is empty", hint='ask a question, e.g. "Can apples be eaten raw?"')
    check_length(question)
    from kgreason.language.english_check import require_english

    require_english(question)
    if not any(tok != "," for tok in tokenize(question)):
        raise InputError(f"the question {question!r} has no English words",
                         hint='kgreason reads questions in English: ask e.g. "Can apples be eaten raw?"')
    return question


def statement_text(text: str) -> str:
    """The statement itself: without a dataset prompt before it ("... true, false, or unknown?
    Bob is round.") or a truth prefix ("Is it true that ...")."""
    statement = _strip_prompt(text)
    return _TRUTH_PREFIX.sub("", statement) if _TRUTH_PREFIX.match(statement) else statement


def _strip_prompt(text: str) -> str:
    text = text.strip()
    if "?" in text[:-1]:
        tail = text.rsplit("?", 1)[1].strip()
        if tail:
            text = tail
    return text.rstrip(".!? ").strip()


def _readings(sent: Sentence) -> list[tuple[Ref, tuple[str, ...], Pred, float]]:
    """(subject ref, subject words, predicate) per stated clause of a one-clause-subject sentence."""
    if sent.body and sent.generic_noun is None:
        raise SyntaxProblem("a conditional is not a statement to check")
    if sent.generic_noun is not None or (sent.body and not sent.generic_noun):
        words = tuple(w for m in sent.generic_modifiers for w in m) + (sent.generic_noun or ())
        if not words:
            raise SyntaxProblem("no subject")
        return [(Ref("class", words), words, c.pred, 1.0) for c in sent.head]
    out = []
    for clause in sent.head:
        ref = clause.subject
        words = ("the", *ref.words) if ref.kind == "the" else ref.words
        out.append((ref, words, clause.pred, 1.0))
    if len(out) > 1:
        raise SyntaxProblem("a conjunction is not a single statement; ask about one part at a time")
    return out


def is_known(kg: KnowledgeGraph, node: Node) -> bool:
    """Does ``node`` occur in the graph (or its rules)? rdf:type and rdfs:subClassOf always do."""
    if node in (RDF.type, RDFS.subClassOf):
        return True
    if (node, None, None) in kg.rdf or (None, None, node) in kg.rdf or (None, node, None) in kg.rdf:
        return True
    return any(node in atom.terms() for rule in kg.rules for atom in rule.head + rule.body)


def _exact(kg: KnowledgeGraph, parser: Parser,
           readings: list[tuple[Ref, tuple[str, ...], Pred, float]]) -> list[Candidate]:
    """Graphs written in controlled English: mint the IRIs the loader would have minted."""
    from kgreason.language.english_graph import SentenceCompiler

    ns = kg.namespaces.get(EX_PREFIX)
    if ns is None:
        return []
    builder = SentenceCompiler(ns, parser.lex)
    out = []
    for ref, _words, pred, _w in readings:
        try:
            if ref.kind == "class":
                s = builder.noun_class(ref.words)
                if pred.kind in ("adj", "noun"):
                    triple = (s, RDFS.subClassOf, builder.obj(pred))
                else:
                    triple = (s, builder.prop(pred), builder.obj(pred))
            elif ref.kind == "var":
                continue
            else:
                atom = builder.atom(_clause(ref, pred))
                triple = (atom.s, atom.p, atom.o)
        except (SyntaxProblem, AssertionError):
            continue
        if any(not isinstance(t, Node) for t in triple):
            continue
        known = all(is_known(kg, t) for t in triple)
        out.append(Candidate(triple, pred.negated, 1.0 if known else 0.5))
    return out


def _clause(ref: Ref, pred: Pred):
    from kgreason.language.english_parser import Clause

    return Clause(ref, pred)


# ---------------------------------------------------------------------- linking
def _link_subject(index: LabelIndex, words: tuple[str, ...] | list[str], linker: Any) -> list[tuple[Node, float]]:
    found = dict(index.link(words))
    if linker is not None and (not found or max(found.values()) < 1.0):
        try:
            want = phrase_key(" ".join(words))
            quantities = numbers(words)
            for le in linker.link(" ".join(words), k=5):
                if le.node in index.property_nodes:
                    continue
                if quantities and numbers(tokens(str(le.label))) != quantities:
                    continue  # an embedding links "four legs" near "six legs": never a match
                # a link found on part of the span ("spiny anteater" in "spiny anteater lay")
                # counts for that part only
                got = phrase_key(str(getattr(le, "mention", "") or " ".join(words)))
                coverage = min(1.0, len(got) / len(want)) if want else 1.0
                score = min(1.0, max(0.0, float(le.score))) * 0.9 * coverage
                if score > found.get(le.node, 0.0):
                    found[le.node] = score
        except Exception as exc:  # noqa: BLE001 — an optional linker must not break parsing
            log.debug("linker failed on %r: %s", words, exc)
    return sorted(found.items(), key=lambda x: -x[1])


def _link(kg: KnowledgeGraph, index: LabelIndex, subj_words: tuple[str, ...], subj_kind: str,
          pred: Pred, weight: float, linker: Any) -> list[Candidate]:
    _check_time()
    subjects = _link_subject(index, subj_words, linker)
    if not subjects:
        return []
    out: list[Candidate] = []
    if pred.kind in ("adj", "noun"):
        objects = index.link(pred.words)
        for s, ss in subjects:
            cls_subject = index.is_class(s) or subj_kind == "class"
            for o, os in objects:
                p = RDFS.subClassOf if cls_subject else RDF.type
                out.append(Candidate((s, p, o), pred.negated, weight * ss * os * (1.0 if index.is_class(o) else 0.8)))
        # "is part of" style relations written without a preposition in the graph
        if not out and len(pred.words) > 1:
            out += _split_pairs(index, subjects, ("is", *pred.words), pred.negated, weight * 0.8)
        return out
    props = index.match_property(pred.label) or index.match_property(pred.base)
    obj_words = _ref_words(pred.obj)
    objects = index.link(obj_words) if obj_words else []
    if props and objects:
        for s, ss in subjects:
            for p, ps in props:
                for o, os in objects:
                    out.append(_polar(index, (s, p, o), pred.negated, weight * ss * ps * os))
    if not out:  # the property/object boundary may differ in this graph ("lays eggs", "can fly")
        out += _split_pairs(index, subjects, (*pred.base, *obj_words), pred.negated, weight * 0.9)
    if len(pred.base) > 1 and pred.base[0] in MODAL and max((c.score for c in out), default=0) < 0.8 * weight:
        # "Can echidnas lay eggs?" on a graph that only says "echidnas lay eggs"
        plain = replace(pred, label=pred.base[1:], base=pred.base[1:])
        out += _link(kg, index, subj_words, subj_kind, plain, weight * 0.8, linker)
    return out


def _split_pairs(index: LabelIndex, subjects: list[tuple[Node, float]], words: tuple[str, ...],
                 negated: bool, weight: float) -> list[Candidate]:
    out = []
    # a property label is a short phrase: once words[:i] holds more content words than the
    # longest label (+ a light verb), no longer prefix can match — stop (linear, not O(n²))
    longest, content = index.longest_property_key + 1, 0
    for i in range(1, len(words)):
        _check_time()
        content += sum(1 for t in tokens(words[i - 1]) if t not in STOPWORDS)
        if content > longest:
            break
        props = index.match_property(words[:i])
        objects = index.link(words[i:]) if props else []
        for s, ss in subjects:
            for p, ps in props:
                for o, os in objects:
                    out.append(_polar(index, (s, p, o), negated, weight * ss * ps * os))
    return out


def _polar(index: LabelIndex, triple: Triple, negated: bool, score: float) -> Candidate:
    """A match on a negative property ("cannot") becomes the positive triple, polarity flipped."""
    s, p, o = triple
    pos = index.negation_of.get(p)
    if pos is not None:
        return Candidate((s, pos, o), not negated, score)
    return Candidate(triple, negated, score)


def _ref_words(ref: Ref | None) -> tuple[str, ...]:
    if ref is None:
        return ()
    return ("the", *ref.words) if ref.kind == "the" else ref.words


def _rank(kg: KnowledgeGraph, candidates: list[Candidate]) -> list[Candidate]:
    from kgreason.language.verbalize import verbalize

    best: dict[tuple[Triple, bool], Candidate] = {}
    for c in candidates:
        key = (c.triple, c.negated)
        if key not in best or c.score > best[key].score:
            best[key] = c
    ranked = sorted(best.values(), key=lambda c: -c.score)[:MAX_SENSE_READINGS]
    if ranked:  # readings far below the best one are parsing noise ("whales lay" as a subject)
        ranked = [c for c in ranked if c.score >= 0.5 * ranked[0].score]
    for c in ranked:
        if not c.text:
            try:
                c.text = verbalize(kg, c.triple, negated=c.negated)
            except Exception:  # noqa: BLE001 — text is for display only
                c.text = " ".join(kg.qname(t) for t in c.triple)
    # at most MAX_READINGS different wordings; readings worded alike are senses of the same words
    # (hammer.n.01 … hammer.n.10 ⊑ tool) and all stay, so the reasoner can try every sense
    texts: list[str] = []
    kept = []
    for c in ranked:
        if c.text not in texts:
            if len(texts) == MAX_READINGS:
                continue
            texts.append(c.text)
        kept.append(c)
    return kept


# ---------------------------------------------------------------------- questions
def parse_question(text: str, kg: KnowledgeGraph, linker: Any = None) -> Hypothesis:
    """A yes/no question → hypothesis (see the module docstring for the negation convention).
    Reading stops with an InputError after :data:`PARSE_SECONDS`."""
    _prepare(kg)
    with _time_limit():
        return _parse_question(text, kg, linker)


def _parse_question(text: str, kg: KnowledgeGraph, linker: Any) -> Hypothesis:
    question = text.strip().rstrip("?.! ").strip()
    check_length(question, "question")
    if _TRUTH_PREFIX.match(question):
        return parse_statement(_TRUTH_PREFIX.sub("", question), kg, linker)
    extraposed = _EXTRAPOSED.match(question)
    if extraposed:  # "Is it safe to eat raw chicken?" asks "Can you eat raw chicken?"
        agent, action = extraposed.group(1) or "you", extraposed.group(2)
        question = f"Can {agent} {action}"
    toks = tokenize(question)
    if not toks:
        return Hypothesis(question, reason="empty question" if not question else "no English words in the question")
    low = [t.lower() for t in toks]
    if low[0] in WH_WORDS:
        return Hypothesis(question, reason="only yes/no questions can be checked against the graph "
                                            "(ask e.g. 'Is X a Y?', 'Can X ...?', 'Does X ...?')")
    aux = low[0]
    if aux not in COPULA | DO | HAVE | MODAL:
        hyp = parse_statement(question, kg, linker)
        return hyp
    negated_question = len(low) > 1 and low[1] == "not"
    rest = toks[2:] if negated_question else toks[1:]
    verb = "is" if aux in COPULA else "does" if aux in DO else "has" if aux in HAVE else aux
    index = label_index(kg)
    parser = Parser(index.lexicon)
    candidates = _split_candidates(kg, index, parser, rest, verb, linker)
    if not candidates and aux in DO:  # "Do birds fly?" on a graph that says "birds can fly"
        candidates = [replace(c, score=c.score * 0.9)
                      for c in _split_candidates(kg, index, parser, rest, "can", linker)]
    if aux in MODAL and len(rest) > 2 and rest[0].lower() in _GENERIC_AGENTS:
        candidates += _passive_candidates(kg, index, parser, aux, rest[1:], linker)
    ranked = _rank(kg, candidates)
    hyp = Hypothesis(_statement(kg, ranked, question), ranked, negated_question)
    if not ranked:
        hyp.reason = f"no reading of {text.strip()!r} matches this graph's labels"
    return hyp


def _split_candidates(kg: KnowledgeGraph, index: LabelIndex, parser: Parser, rest: list[str],
                      verb: str | None, linker: Any) -> list[Candidate]:
    """Try every subject/predicate boundary: "[the heart] [is part of the body]"."""
    out: list[Candidate] = []
    scope = {"var": False}
    longest, content = _longest_subject(index), 0
    for k in range(1, len(rest)):
        _check_time()
        content += _content_words(rest[k - 1])
        if content > longest:  # bounded: the work grows linearly with the question
            break
        subj = rest[:k]
        pred_toks = ([verb] if verb else []) + list(rest[k:])
        try:
            preds = parser._predicates(pred_toks, scope)
        except SyntaxProblem:
            continue
        if len(preds) != 1:
            continue
        words = tuple(w for w in (t.lower() for t in subj) if w not in ("a", "an", "all", "every", "each"))
        kind = "class" if subj[0].lower() in ("a", "an", "all", "every", "each") else "np"
        out += _link(kg, index, words, kind, preds[0], 1.0, linker)
    return out


#: Readings kept per question: differently worded ones, and in all (senses of the same words).
MAX_READINGS = 10
MAX_SENSE_READINGS = 128

_GENERIC_AGENTS = frozenset(["you", "we", "one", "people", "someone", "anyone"])


def _content_words(word: str) -> int:
    return sum(1 for t in tokens(word) if t not in STOPWORDS)


def _longest_subject(index: LabelIndex) -> int:
    """Content words a subject may have: twice the longest entity label (at least 3). A longer
    phrase links to no label (LabelIndex.link wants half of its words in common), short of
    repeating words, so longer subject spans are not tried — without this bound, reading tries
    every boundary with every longer span, O(n²) and worse in the question's length."""
    return 2 * max(index.longest_entity_key, 3)


def _passive_candidates(kg: KnowledgeGraph, index: LabelIndex, parser: Parser, aux: str,
                        words: list[str], linker: Any) -> list[Candidate]:
    """"Can you eat apples raw?" → "Can apples be eaten raw?" (the generic agent dropped)."""
    from lemminflect import getInflection

    verb = words[0].lower()
    forms = getInflection(verb, "VBN")
    if not forms:
        return []
    out: list[Candidate] = []
    longest, content, ends = _longest_subject(index), 0, []
    for k in range(2, len(words) + 1):
        content += _content_words(words[k - 1])
        if content > longest:
            break
        ends.append(k)
    splits = [(words[1:k], words[k:]) for k in ends]
    # "eat raw potatoes" → "potatoes ... eaten raw" (a leading adjective moves after the verb); the
    # subject stays the whole phrase when the graph names it ("raw chicken" → chicken meat, not
    # the bird). Readings: (subject mention, predicate tail, adjective moved)
    readings = [(obj if _names_a_node(index, obj) else obj[1:], [obj[0], *tail], True)
                for obj, tail in splits if len(obj) > 1]
    readings += [(obj, tail, False) for obj, tail in splits]
    moved_mentions: set[tuple[str, ...]] = set()
    for mention, tail, moved in readings:
        try:
            preds = parser._predicates([aux, "be", forms[0], *tail], {"var": False})
        except SyntaxProblem:
            continue
        subj = tuple(w.lower() for w in mention if w.lower() not in ("a", "an", "the"))
        if len(preds) != 1 or not subj:
            continue
        # when the adjective also reads as the manner ("eaten raw" is in the graph), that reading
        # comes first: "can you eat raw chicken" asks about eating it raw, not about eating it
        weight = 0.85 if not moved and subj in moved_mentions else 0.9
        found = _link(kg, index, subj, "np", preds[0], weight, linker)
        if found and moved:
            moved_mentions.add(subj)
        out += found
    return out


def _names_a_node(index: LabelIndex, words: list[str]) -> bool:
    """Does the phrase exactly name something in the graph ("raw chicken", an altLabel)?"""
    return any(score >= 1.0 for _, score in index.link(tuple(w.lower() for w in words)))


# ---------------------------------------------------------------------- neural readings
#: A statement the neural reader proposes for a question is accepted only when it links every
#: mention to this graph's own vocabulary at least this well (1.0: a label, lemma and plural
#: insensitive; lower scores are partial or fuzzy links, which could be a misreading).
NEURAL_LINK_SCORE = 0.9
#: A question whose best reading scores below this was read only in part (words skipped, fuzzy
#: links): where a neural reader is configured, it gets a chance to read the question as a whole.
WEAK_READING = 0.5


def needs_reader(hyp: Hypothesis) -> bool:
    """Not understood, or understood only weakly (best reading below :data:`WEAK_READING`)."""
    return not hyp.candidates or max(c.score for c in hyp.candidates) < WEAK_READING


def read_proposal(question: str, proposal: str, kg: KnowledgeGraph) -> Hypothesis:
    """A yes/no question the controlled grammar could not read, as the neural reader proposed it
    (controlled English: the statement the question asks about) → a hypothesis over this graph.
    The proposal is parsed like any statement; a reading is kept only when every part of it (subject,
    property, object) links to a node the graph already has (:data:`NEURAL_LINK_SCORE`), so a
    proposal about something else is never answered. Nothing kept: no candidates, and ``reason``
    says what the question was read as and why that was refused."""
    from kgreason.language.english_parser import split_sentences

    text = proposal.strip()
    if not text:
        return Hypothesis(question, reason="the neural reader proposed no statement")
    shown = text if len(text) <= 120 else text[:119] + "…"
    if len(split_sentences(text)) != 1:
        return Hypothesis(question, reason=f"the neural reader read it as {shown!r}, not one statement")
    hyp = parse_statement(text, kg)  # labels only: no fuzzy (embedding) links for a model's text
    kept = [c for c in hyp.candidates
            if c.score >= NEURAL_LINK_SCORE and all(is_known(kg, t) for t in c.triple)]
    if not kept:
        return Hypothesis(question, reason=f"the neural reader read it as {shown!r}, but not every "
                                           "part of that names something in this graph")
    return Hypothesis(statement_text(text), kept)


def _statement(kg: KnowledgeGraph, ranked: list[Candidate], fallback: str) -> str:
    from kgreason.language.verbalize import sentence

    if ranked:
        return sentence(ranked[0].text)
    return fallback


__all__ = ["Candidate", "Hypothesis", "needs_reader", "parse_question", "parse_statement",
           "read_proposal"]
