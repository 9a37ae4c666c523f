"""Words that never name anything: adverbs, hedges, determiners, pronouns, auxiliaries and
conjunctions. The controlled-English reader does not mint a symbol out of them ("also blue" is
not a colour called AlsoBlue, "seems to be round" is not a thing called BeRound, "that guy Fred"
is not an individual called That Guy Fred): a sentence whose reading would is not read exactly
(it goes to the second reading path, or is reported as not understood)."""

from __future__ import annotations

from functools import lru_cache

from kgreason.language.english_words import PREPOSITIONS, _pos

#: Closed word classes (function words) and hedges that can look like content words.
_FUNCTION_WORDS = """
a an this that these those some any every each all both either neither no such another other
i you he she it we they me him her us them my your his its our their one's
who whom whose which what whoever whatever whichever wherever whenever
be been being am is are was were do does did done has have had having
can could will would may might must should shall
and or but nor because though although while when where if unless then so since yet
not never
he's she's it's they're that's there's i'm you're we're who's
also very quite really rather fairly too so just only even still already always usually
often sometimes generally typically mostly normally certainly definitely surely sure truly
indeed actually probably likely perhaps maybe seem seems seemed appear appears appeared tend tends
tended look looks looking feeling seeming bit lot
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())
ARTICLES = frozenset(["a", "an", "the"])

#: Nouns that stand for "someone" / "something" and name no class of their own in a description
#: ("a kind person" says kind; "that guy Fred" says Fred).
PERSON_WORDS = frozenset(["person", "people", "persons", "guy", "guys", "fellow", "fellows", "one",
                          "ones", "thing", "things", "individual", "individuals", "someone",
                          "somebody", "something"])
#: Nouns for a person that adjectives describe ("a cold young man" is cold and young; the
#: sentence names no class "man").
PERSON_NOUNS = PERSON_WORDS | frozenset(["man", "men", "woman", "women", "boy", "boys", "girl", "girls", "kid",
                                         "kids", "child", "children", "gentleman", "gentlemen", "lady",
                                         "ladies", "human", "humans", "chap"])


@lru_cache(maxsize=65536)
def is_filler(word: str) -> bool:
    """A word that cannot be (part of) a name: a function word, a hedge, or an adverb that is
    nothing else ("usually", "also"; not "fast" or "round", which are adjectives too)."""
    w = word.lower()
    if w in FUNCTION_WORDS:
        return True
    if w in PREPOSITIONS or not w.isalpha():
        return False
    pos = _pos(w)
    return bool(pos) and set(pos) == {"ADV"}


def first_filler(words: tuple[str, ...] | list[str]) -> str | None:
    """The first filler among ``words`` (None when every word can name something)."""
    for w in words:
        if is_filler(w):
            return w
    return None
