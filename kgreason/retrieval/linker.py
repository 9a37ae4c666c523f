"""Entity linking: which graph nodes does a question talk about?

Lexical first, because it runs on every question and must take well under a millisecond or so:
the question's word n-grams are looked up, longest first, in a table of label keys built once per
graph — exact (same words) and by lemma (:func:`kgreason.language.morphology.phrase_key`:
"apples" → apple, "platypuses" → platypus, "eaten raw" → EatenRaw). Words no label covers can then
be matched by embedding similarity against the label vectors (only when an embedder is given).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any

from rdflib.term import Node
from rdflib.util import from_n3

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.language.morphology import STOPWORDS, lemma
from kgreason.retrieval.facts import LabelRecord, collect_labels

log = logging.getLogger(__name__)

SCORE_EXACT = 1.0
SCORE_LEMMA = 0.9
#: Embedding matches score ``similarity * SCORE_EMBEDDING`` and need ``similarity >= min_similarity``.
SCORE_EMBEDDING = 0.8
MAX_NGRAM = 6

#: Question and function words: never linked by embedding on their own.
FUNCTION_WORDS = STOPWORDS | frozenset(
    ["is", "are", "was", "were", "be", "been", "am", "do", "does", "did", "can", "could", "may", "might", "must", "shall", "should", "will", "would", "has", "have", "had", "not", "no", "yes", "what", "which", "who", "whom", "whose", "why", "how", "when", "where", "that", "this", "these", "those", "there", "it", "its", "they", "them", "their", "he", "she", "his", "her", "we", "you", "your", "i", "me", "my", "and", "or", "but", "if", "then", "so", "as", "at", "by", "for", "from", "in", "into", "on", "with", "about", "any", "all", "some", "every", "each", "true", "false"]
)

_WORD = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")


@dataclass(frozen=True)
class LinkedEntity:
    """A graph node a question mentions: ``method`` is "exact", "lemma" or "embedding"; ``span`` is
    the mention's character offsets in the question; ``kind`` is "entity" or "property"."""

    node: Node
    label: str
    score: float
    mention: str
    method: str
    kind: str = "entity"
    span: tuple[int, int] = field(default=(0, 0))

    def to_json(self, kg: KnowledgeGraph | None = None) -> dict[str, Any]:
        return {"node": kg.qname(self.node) if kg is not None else str(self.node), "label": self.label,
                "score": round(self.score, 4), "mention": self.mention, "method": self.method, "kind": self.kind,
                "span": list(self.span)}


@dataclass(frozen=True)
class PendingMentions:
    """Phrases the lexical pass could not link (and their character spans), for the embedding pass."""

    mentions: list[str]
    spans: list[tuple[int, int]]


def ordered_links(found: list[LinkedEntity]) -> list[LinkedEntity]:
    return sorted(found, key=lambda e: (e.span[0], -e.score, e.label, str(e.node)))


def _surface_key(words: list[str]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in STOPWORDS)


class EntityLinker:
    """``link(text, k)`` → scored candidate nodes for each phrase of ``text`` that names one.

    ``embedder`` (optional) enables the embedding pass; ``label_store`` is a
    :class:`~kgreason.retrieval.vector_store.VectorStore` of :class:`LabelRecord` (the retriever
    passes its index's); without one, labels are embedded on the first embedding lookup.
    """

    def __init__(self, kg: KnowledgeGraph, embedder=None, *, label_store=None, min_similarity: float = 0.7,
                 labels: list[LabelRecord] | None = None):
        self.kg = kg
        self.embedder = embedder
        self.label_store = label_store
        self.min_similarity = min_similarity
        self._given_labels = labels
        self._own_store = label_store is None  # built here from the labels: rebuilt with them
        self._labels = labels
        self._exact: dict[tuple[str, ...], list[LabelRecord]] | None = None
        self._lemma: dict[tuple[str, ...], list[LabelRecord]] | None = None
        self._built_for: int | None = None  # kg.version of the tables
        self._nodes: dict[str, Node] = {}
        self._max_len = 1

    # ------------------------------------------------------------------ lookup tables (built once per graph version)
    def _current(self) -> None:
        """(Re)build the lookup tables when missing or when the graph changed since."""
        if self._exact is None or (self._given_labels is None and self._built_for != self.kg.version):
            self._build()

    def _build(self) -> None:
        self._built_for = self.kg.version
        if self._own_store:
            self.label_store = None
        labels = self._given_labels if self._given_labels is not None else collect_labels(self.kg)
        self._max_len = 1
        exact: dict[tuple[str, ...], list[LabelRecord]] = {}
        lemmas: dict[tuple[str, ...], list[LabelRecord]] = {}
        for rec in labels:
            words = [w.lower().replace("’", "'") for w in _WORD.findall(rec.text)]
            surface = _surface_key(words)
            if not surface:
                continue
            exact.setdefault(surface, []).append(rec)
            lemmas.setdefault(tuple(lemma(w) for w in surface), []).append(rec)
            self._max_len = max(self._max_len, min(MAX_NGRAM, len(surface)))
        self._exact, self._lemma = exact, lemmas
        self._labels = labels

    def _node(self, n3: str) -> Node:
        node = self._nodes.get(n3)
        if node is None:
            node = self._nodes[n3] = from_n3(n3)
        return node

    # ------------------------------------------------------------------ linking
    def link(self, text: str, k: int = 5, *, use_embeddings: bool = True) -> list[LinkedEntity]:
        """Candidates in question order (by mention position), best first within a mention; at most
        ``k`` candidates per mention. Longer mentions win over the shorter ones inside them."""
        found, pending = self.link_lexical(text, k)
        if use_embeddings and self.embedder is not None and pending.mentions:
            found.extend(self.link_embedded(pending, self.embedder.encode(pending.mentions), k))
        return ordered_links(found)

    def link_lexical(self, text: str, k: int = 5) -> tuple[list[LinkedEntity], PendingMentions]:
        """The lexical pass, plus the phrases it left for the embedding pass (so a caller can embed
        them together with the question in one batch)."""
        self._current()
        words = [(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD.finditer(text)]
        lemmas = [lemma(w) for w, _, _ in words]
        covered = [False] * len(words)
        found: list[LinkedEntity] = []
        for n in range(min(self._max_len + 2, len(words)), 0, -1):  # +2: stopwords inside a mention
            for start in range(len(words) - n + 1):
                if any(covered[start:start + n]):
                    continue
                span_words = [w for w, _, _ in words[start:start + n]]
                if span_words[0] in STOPWORDS or span_words[-1] in STOPWORDS:
                    continue
                surface = _surface_key(span_words)
                if not surface or len(surface) > self._max_len:
                    continue
                method, score = "exact", SCORE_EXACT
                hits = self._exact.get(surface)
                if not hits:
                    method, score = "lemma", SCORE_LEMMA
                    key = tuple(lem for lem, w in zip(lemmas[start:start + n], span_words) if w not in STOPWORDS)
                    hits = self._lemma.get(key)
                if not hits:
                    continue
                if n == 1 and span_words[0] in FUNCTION_WORDS and hits[0].kind == "entity" and method != "exact":
                    continue
                lo, hi = words[start][1], words[start + n - 1][2]
                found.extend(self._candidates(hits, text[lo:hi], method, score, (lo, hi), k))
                covered[start:start + n] = [True] * n
        spans = [(words[a][1], words[b - 1][2]) for a, b in self._phrases(words, covered)]
        pending = PendingMentions([text[lo:hi] for lo, hi in spans], spans)
        return ordered_links(found), pending

    def link_embedded(self, pending: PendingMentions, vectors, k: int = 5) -> list[LinkedEntity]:
        """Embedding pass: ``vectors`` are the embeddings of ``pending.mentions``."""
        store = self._label_vectors() if pending.mentions else None
        if store is None or len(store) == 0:
            return []
        out: list[LinkedEntity] = []
        for mention, span, hits in zip(pending.mentions, pending.spans, store.search(vectors, k)):
            seen = set()
            for label_id, sim in hits:
                rec = store.records[label_id]
                if sim < self.min_similarity or rec.node in seen:
                    continue
                seen.add(rec.node)
                node = self._node(rec.node)
                out.append(LinkedEntity(node, self.kg.label(node), round(sim * SCORE_EMBEDDING, 6), mention,
                                        "embedding", rec.kind, span))
        return out

    def _candidates(self, hits: list[LabelRecord], mention: str, method: str, score: float,
                    span: tuple[int, int], k: int) -> list[LinkedEntity]:
        seen: dict[str, LinkedEntity] = {}
        for rec in hits:
            if rec.node in seen:
                continue
            node = self._node(rec.node)
            seen[rec.node] = LinkedEntity(node, self.kg.label(node), score, mention, method, rec.kind, span)
        ranked = sorted(seen.values(), key=lambda e: (e.kind != "entity", e.label, str(e.node)))
        return ranked[:k]

    def _phrases(self, words: list[tuple[str, int, int]], covered: list[bool]) -> list[tuple[int, int]]:
        """Uncovered runs of content words (split at function words): the embedding pass's input."""
        runs, start = [], None
        for i, (w, _, _) in enumerate(words + [("", 0, 0)]):
            content = i < len(words) and not covered[i] and w not in FUNCTION_WORDS and not w.isdigit()
            if content and start is None:
                start = i
            elif not content and start is not None:
                runs.append((start, i))
                start = None
        return runs[:4]

    def _label_vectors(self):
        if self._own_store:
            self._current()  # a changed graph drops the label vectors built here
        if self.label_store is None:
            from kgreason.retrieval.vector_store import VectorStore

            labels = list(self._labels)
            vectors = self.embedder.encode([r.text for r in labels])
            self.label_store = VectorStore.create(vectors, labels, self.embedder.dim, index_type="flat")
        return self.label_store
