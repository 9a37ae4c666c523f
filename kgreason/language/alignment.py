"""Vocabulary alignment and variant names: what a sentence names is linked to the symbol the
theory or graph already has for it, and a reading that would mint a near-copy of an existing
symbol ("Big Dave" beside Dave, "is rough around" beside rough) is refused, never minted silently.

Lemma based (``morphology.lemma``; articles, fillers and person nouns dropped: "that guy Fred" →
fred, "the dogs" → dog), with an optional ``similarity(texts, texts) -> matrix`` injected from above
(e.g. the retrieval layer's MiniLM embedder) for mentions whose words differ."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib.term import Node

from kgreason.language.english_words import PREPOSITIONS, _pos
from kgreason.language.fillers import ARTICLES as _ARTICLES
from kgreason.language.fillers import PERSON_NOUNS, PERSON_WORDS, is_filler
from kgreason.language.morphology import lemma, numbers

#: ``similarity(a, b)`` → a len(a) × len(b) matrix of cosine similarities (numpy or nested lists).
Similarity = Callable[[Sequence[str], Sequence[str]], object]

#: Kinds of symbol that may stand for one another.
_COMPATIBLE = {
    "name": ("name", "the", "thing"), "the": ("the", "name", "thing"), "thing": ("thing", "name", "the"),
    "attribute": ("attribute", "class"), "class": ("class", "attribute"),
    "property": ("property", "relation"), "relation": ("relation", "property"),
}
#: Kinds of symbol checked for being a variant of an attribute or class ("is rough around" the
#: edges, "as nice people"); proper names of several words are checked against names.
SUSPECT_KINDS = frozenset(["relation", "thing"])
_PROPERTY_GRAMMAR = frozenset(["is", "are", "be", "do", "does", "not", "have", "has"])
#: Property phrasings that mean an existing property ("is able to" fly = can fly).
PROPERTY_SYNONYMS = {("able", "to"): ("can",), ("capable", "of"): ("can",)}
#: Similarity at or above which an unknown mention is linked (injected similarity only).
SIMILARITY_THRESHOLD = 0.8


def _lemma(word: str) -> str:
    """A known word's lemma; an unknown word (a name: "fred") as it is."""
    return lemma(word) if _pos(word) else word


@lru_cache(maxsize=65536)
def key(words: tuple[str, ...], kind: str = "name") -> tuple[str, ...]:
    """The lemma key of a symbol's words: articles, fillers and person nouns dropped; for a
    property also its grammar words and prepositions ("is rough around" → ("rough",))."""
    verbal = kind in ("property", "relation")
    out = []
    for w in words:
        low = w.lower()
        if low in _ARTICLES:
            continue
        if verbal:  # "is rough around" → rough; modals stay ("can")
            if low in _PROPERTY_GRAMMAR or low in PREPOSITIONS:
                continue
        elif is_filler(low) or (low in PERSON_WORDS and len(words) > 1):
            continue
        out.append(_lemma(low))
    result = tuple(out)
    if verbal:
        full = tuple(_lemma(w.lower()) for w in words if w.lower() not in _PROPERTY_GRAMMAR)
        return PROPERTY_SYNONYMS.get(full, result)
    return result


@dataclass
class Vocabulary:
    """The symbols a theory or graph already has: node → (kind, words), and lemma keys → nodes."""

    kinds: dict[Node, str] = field(default_factory=dict)
    words: dict[Node, tuple[str, ...]] = field(default_factory=dict)
    by_key: dict[tuple[tuple[str, ...], str], Node] = field(default_factory=dict)

    def add(self, node: Node, kind: str, words: tuple[str, ...]) -> None:
        if node in self.kinds:
            return
        self.kinds[node] = kind
        self.words[node] = words
        k = key(words, kind)
        if k:
            self.by_key.setdefault((k, kind), node)

    def add_all(self, names: Iterable[tuple[Node, str, tuple[str, ...]]]) -> None:
        for node, kind, words in names:
            self.add(node, kind, words)

    def __contains__(self, node: Node) -> bool:
        return node in self.kinds

    def label(self, node: Node) -> str:
        return " ".join(self.words.get(node, ()))

    # ------------------------------------------------------------------ linking
    def link(self, kind: str, words: tuple[str, ...]) -> Node | None:
        """The existing symbol these words mean (same lemma key, compatible kind), if any."""
        k = key(words, kind)
        if not k:
            return None
        for other in _COMPATIBLE.get(kind, (kind,)):
            node = self.by_key.get((k, other))
            if node is not None:
                return node
        return None

    def link_similar(self, items: Sequence[tuple[str, tuple[str, ...]]], similarity: Similarity,
                     threshold: float = SIMILARITY_THRESHOLD) -> list[Node | None]:
        """For each (kind, words): the most similar existing symbol of a compatible kind when its
        similarity reaches ``threshold`` (one batched call of ``similarity``)."""
        nodes = list(self.kinds)
        if not items or not nodes:
            return [None] * len(items)
        matrix = similarity([" ".join(w) for _, w in items], [self.label(n) for n in nodes])
        out: list[Node | None] = []
        for i, (kind, words) in enumerate(items):
            row = list(matrix[i])
            best, best_node = threshold, None
            quantities = numbers(words)
            for j, node in enumerate(nodes):
                if numbers(self.words[node]) != quantities:
                    continue  # "four legs" never links to "six legs" (nor "legs" to "six legs")
                if self.kinds[node] in _COMPATIBLE.get(kind, (kind,)) and float(row[j]) >= best:
                    best, best_node = float(row[j]), node
            out.append(best_node)
        return out

    # ------------------------------------------------------------------ variants
    def variant(self, node: Node, kind: str, words: tuple[str, ...]) -> Node | None:
        """The existing symbol that ``words`` would be a variant of, if any: a proper name that
        contains another one ("Big Dave" ⊃ Dave); a relation or an object whose content words are
        an existing attribute ("is rough around" the edges → rough, "as nice people" → nice).
        A symbol is no variant of itself."""
        if kind in ("name", "thing") and len(words) > 1:  # "Big Dave", "describe Gary"
            for n in range(len(words) - 1, 0, -1):
                for i in range(len(words) - n + 1):
                    hit = self.by_key.get((key(words[i:i + n], "name"), "name"))
                    if hit is not None and hit != node:
                        return hit
            if kind == "name":
                return None
        if kind in SUSPECT_KINDS or kind in ("attribute", "the"):
            k = key(words, "relation")
            if not k:
                return None
            hit = self.by_key.get((k, "attribute"))  # an object naming a class is fine: "have cities"
            if hit is not None and hit != node:
                return hit
            if len(k) > 1:
                # an idiom around an attribute the text uses: "can be considered quiet", "on the
                # quiet side", "green right now" — a new symbol that only this sentence would use
                for w in k:
                    hit = self.by_key.get(((w,), "attribute"))
                    if hit is not None and hit != node:
                        return hit
        return None


_MENTION_KINDS = frozenset(["attribute", "class", "name", "the", "thing"])


def _sentence_forms(sentence: str) -> tuple[set[str], list[str]]:
    from kgreason.language.english_words import tokenize

    words = [p.lower() for t in tokenize(sentence) for p in t.replace("'", "-").split("-") if p]
    return {w for w in words} | {_lemma(w) for w in words if w.isalpha()}, words


_NEGATIONS = frozenset(["not", "never", "no", "nobody", "nothing", "none", "neither", "nor",
                        "nowhere", "without", "unable", "incapable", "lack", "lacks", "lacked",
                        "lacking"])


#: Words that end the clause a negation word is in ("not from here and actually very green").
_CLAUSE_ENDS = frozenset([",", ".", ";", ":", "and", "or", "but", "because", "so", "though",
                          "although", "which", "who", "that", "if", "then", "when", "while",
                          "since", "whereas", "yet"])


#: Verbs that a negation turns into "must" ("cannot escape being green", "can't help being nice").
_INEVITABLE = frozenset(["escape", "help", "avoid", "resist", "stop"])


def _litotes(word: str) -> bool:
    """"un-" + an English adjective ("unusual", "uncommon"): "not unusual" negates nothing."""
    return word.startswith("un") and len(word) > 5 and word[2:] not in _NEGATIONS and bool(_pos(word[2:]))


def _negates_known(words: list[str], i: int, known: set[str]) -> bool:
    """Whether the clause after the negation word ``words[i]`` names a word of ``known``, or
    nothing at all ("anyone who is not": what it negates was said before). "Cannot escape from
    being green" and "isn't unusual" negate nothing: they say green, usual."""
    for k, w in enumerate(words[i + 1:]):
        if w in _CLAUSE_ENDS:
            return k == 0
        if w in _INEVITABLE or _litotes(w):
            return False
        if w in known or (w.isalpha() and _lemma(w) in known):
            return True
    return i + 1 == len(words)


def _negations(words: list[str], known: set[str] | None = None) -> int:
    """Negation words, "not only … but" (which negates nothing) left out; with ``known`` (the
    theory's words), only those whose clause names one of them ("they are not from here" negates
    nothing the theory says; "Bob is never rough" does)."""
    return sum(1 for i, w in enumerate(words)
               if w in _NEGATIONS and not (w == "not" and i + 1 < len(words) and words[i + 1] == "only")
               and (not known or _negates_known(words, i, known)))


def lexical_problem(sentence: str, mentions: Iterable[tuple[Node, str, tuple[str, ...]]],
                    known: set[str], reading: str = "") -> str | None:
    """What a reading of ``sentence`` gets wrong in its words, if anything: it names something
    the sentence does not mention (an invented word: "angry" for "filled with red rage"), or it
    leaves out a word of the theory's vocabulary (``known``: its attributes and classes) that the
    sentence uses ("Alan is blue." for "Alan feels blue about his round shape"). The round trip
    through the NLI verifier checks that the sentence entails the reading; this checks, word by
    word, that the reading is about all of the sentence and nothing else."""
    forms, words = _sentence_forms(sentence)
    used: set[str] = set()
    for _, kind, mention in mentions:
        if kind not in _MENTION_KINDS:
            continue
        for w in key(tuple(mention), kind):
            used.add(w)
            if w not in forms and not any(len(w) >= 4 and t.startswith(w) for t in words):
                return f"the reading names '{w}', which the sentence does not say"
    for w in words:
        base = _lemma(w) if w.isalpha() else w
        if w in PERSON_NOUNS or base in PERSON_NOUNS:  # "a kind person" says kind (not "person")
            continue
        if base in known and base not in used and w not in used:
            return f"the reading leaves out '{w}'"
    for i, w in enumerate(words):  # "red or blue": a disjunction the controlled language cannot say
        if w == "or" and 0 < i < len(words) - 1 and words[i - 1] in known and words[i + 1] in known:
            return f"the sentence says '{words[i - 1]} or {words[i + 1]}' (a disjunction)"
    if reading:
        _, read_words = _sentence_forms(reading)
        said, read = _negations(words, known), _negations(read_words)
        if bool(said) != bool(read):
            return ("the reading negates what the sentence does not" if read else
                    "the sentence negates something the reading does not")
    return None
