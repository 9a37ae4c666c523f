"""The words of controlled English: tokens, word classes (auxiliaries, pronouns, quantifiers,
prepositions), part-of-speech hints from lemminflect, and the per-text :class:`Lexicon` that
settles noun vs adjective and plural vs singular consistently across a text."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from kgreason.language.morphology import singular

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*|,")
_CONTRACTIONS = {
    "can't": ("can", "not"), "cannot": ("can", "not"), "doesn't": ("does", "not"),
    "don't": ("do", "not"), "isn't": ("is", "not"), "aren't": ("are", "not"),
    "didn't": ("did", "not"), "won't": ("will", "not"), "hasn't": ("has", "not"),
    "haven't": ("have", "not"), "wasn't": ("was", "not"), "weren't": ("were", "not"),
}
COPULA = frozenset(["is", "are", "am", "was", "were"])
DO = frozenset(["does", "do", "did"])
HAVE = frozenset(["has", "have"])
MODAL = frozenset(["can", "could", "will", "would", "may", "might", "must", "should"])
AUX = COPULA | DO | HAVE | MODAL
VAR_WORDS = frozenset(["something", "someone", "somebody", "anything", "anyone", "anybody", "everything", "everyone", "everybody"])
PRONOUNS = frozenset(["it", "they", "he", "she", "them", "him", "her"])
QUANTIFIERS = frozenset(["every", "each", "all", "any", "a", "an"])
#: Head nouns that put no class constraint on a generic subject ("Cold people are red").
PLACEHOLDERS = frozenset(["thing", "things", "people", "person", "persons", "one", "ones", "someone", "something"])
PREPOSITIONS = frozenset([
    "of", "in", "on", "at", "from", "than", "to", "with", "by", "for", "into", "onto", "under", "over",
    "near", "about", "as", "like", "inside", "outside", "through", "across", "along", "around",
    "between", "behind", "beside", "towards", "toward", "upon", "within", "beyond", "below", "above",
    "against", "among",
])


def tokenize(text: str) -> list[str]:
    """Words (original case) and commas; contractions expanded ("can't" → "can not")."""
    return list(_tokenize(text))


@lru_cache(maxsize=65536)
def _tokenize(text: str) -> tuple[str, ...]:
    out: list[str] = []
    for tok in _WORD.findall(text.replace("’", "'")):
        low = tok.lower()
        if low in _CONTRACTIONS:
            out.extend(_CONTRACTIONS[low])
        else:
            out.append(tok)
    return tuple(out)


@lru_cache(maxsize=65536)
def _lows(toks: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(t.lower() for t in toks)


@lru_cache(maxsize=65536)
def _pos(word: str) -> frozenset[str]:
    from lemminflect import getAllLemmas

    from kgreason.language.morphology import lemma_table

    lemma_table()
    return frozenset(getAllLemmas(word.lower()))


def is_verb_form(word: str) -> bool:
    w = word.lower()
    return w in AUX or "VERB" in _pos(w)


def is_adjective_word(word: str) -> bool:
    pos = _pos(word)
    return "ADJ" in pos or (not pos and not _looks_plural(word))


def _looks_plural(word: str) -> bool:
    """A regular plural ("apples") or an irregular one the lemma table knows ("cacti", "mice",
    "people", "geese", "children")."""
    w = word.lower()
    if w.endswith("s"):
        return not w.endswith(("ss", "us", "is", "ous"))
    return len(w) > 2 and singular(w) != w


@dataclass
class Lexicon:
    """What a whole text says about its words (a first pass), to resolve "X are Y" noun vs
    adjective and plural → singular consistently ("Sterpuses" ~ "Every sterpus")."""

    nouns: set[str] = field(default_factory=set)  # singular forms seen as nouns
    adjectives: set[str] = field(default_factory=set)

    @classmethod
    def from_text(cls, sentences: list[list[str]]) -> Lexicon:
        lex = cls()
        for toks in sentences:
            nouns, adjectives = _sentence_lexicon(tuple(toks))
            lex.nouns.update(nouns)
            lex.adjectives.update(adjectives)
        return lex

    def singular(self, word: str) -> str:
        w = word.lower()
        if w in self.nouns:
            return w
        for cand in (w[:-2] if w.endswith("es") else None, w[:-1] if w.endswith("s") else None,
                     w[:-3] + "y" if w.endswith("ies") else None):
            if cand and cand in self.nouns:
                return cand
        return singular(w)

    def is_noun(self, word: str) -> bool:
        w = word.lower()
        if w in self.adjectives:
            return False
        if self.singular(w) in self.nouns:
            return True
        return not is_adjective_word(w)


@lru_cache(maxsize=65536)
def _sentence_lexicon(toks: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Nouns and adjectives one sentence shows by its form ("a wumpus", "every cat", "Bob is red")."""
    nouns: set[str] = set()
    adjectives: set[str] = set()
    low = _lows(tuple(toks))
    for i, w in enumerate(low[:-1]):
        if w in ("a", "an", "every", "each") and low[i + 1].isalpha():
            # "is a big dog": the noun is the last word before a verb / the end
            j = i + 1
            while j + 1 < len(low) and low[j + 1].isalpha() and low[j + 1] not in AUX \
                    and low[j + 1] not in ("and", "then", "that", "who", "which") \
                    and not (low[j + 1].endswith("s") and is_verb_form(low[j + 1])):
                j += 1
            nouns.add(low[j])
    if len(low) >= 3 and low[1] == "is" and low[2] not in ("a", "an", "not", "the") \
            and toks[0][:1].isupper() and not any(t in PREPOSITIONS for t in low[2:]):
        adjectives.update(t for t in low[2:] if t not in (",", "and", "not"))
    return tuple(nouns), tuple(adjectives)  # tuples of str are not tracked by the GC


_IRREGULAR_3SG = {"be": "is", "have": "has", "do": "does", "go": "goes"}


@lru_cache(maxsize=65536)
def third_person(verb: str) -> str:
    """``chase`` → ``chases``, ``have`` → ``has``, ``fly`` → ``flies``, ``watch`` → ``watches``.
    English third-person forms are regular apart from four verbs, so rules do (and spare loading
    lemminflect's inflection table when only questions are parsed)."""
    if verb in _IRREGULAR_3SG:
        return _IRREGULAR_3SG[verb]
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if len(verb) > 1 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def split_sentences(text: str, *, first_line: int = 1) -> list[tuple[int, str]]:
    """(line, sentence) pairs; ``#`` starts a comment line; sentences end with . ! or ?"""
    out: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines(), start=first_line):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        for part in re.split(r"(?<=[.!?])\s+", stripped):
            part = part.strip()
            if part:
                out.append((n, part))
    return out
