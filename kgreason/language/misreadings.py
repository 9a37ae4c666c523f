"""Shapes of free English that the controlled parser would read exactly, but wrongly: a symbol
that no careful writer of the controlled language means. A sentence whose reading would mint one
is not read exactly; it goes to the second reading path, or is reported as not understood. And
(:func:`rule_problem`) rule readings of the second path whose shape the sentence does not have.

Each check looks at one symbol the reading would name (its kind and words, as the compiler makes
it) and, for classes, at the sentence's tokens:

* a list inside one name: "has rough, cold skin" → no thing called "rough , cold skin";
* a name made of function words: "To the touch Alan …" → no attribute "to" or "the";
* a proper name read as a kind of thing: "Young, red Fred is nice." → Fred is no class;
* a manner word or an unknown word inside an attribute: "round shaped", "green colored",
  "usualyy rough" (a misspelled adverb), "feeels rough";
* a person described by adjectives read as a class: "a kind person", "cold people", "a cold young
  man" (the sentence says kind, cold, young);
* "as well" read as a relation to a thing called Well: "blue as well" says blue, too.

Modal verbs other than "can" ("must be", "could be") are refused by the compiler itself."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache

from kgreason.core.rules import Atom, Var
from kgreason.language.coreference import about_one_person
from kgreason.language.english_words import PREPOSITIONS, _pos, tokenize
from kgreason.language.fillers import ARTICLES as _ARTICLES
from kgreason.language.fillers import PERSON_NOUNS as _PERSON_NOUNS
from kgreason.language.fillers import is_filler

#: Words that turn an adjective into a compound one without changing what it says
#: ("round shaped" is round, "green colored" is green).
MANNER_WORDS = frozenset(["colored", "coloured", "shaped", "looking", "sized", "toned", "tinted",
                          "hued", "skinned", "faced"])


def _is_adjective(word: str) -> bool:
    return "ADJ" in _pos(word)


@lru_cache(maxsize=65536)
def symbol_problem(kind: str, words: tuple[str, ...]) -> str | None:
    """Why a symbol of ``kind`` named by ``words`` would be a misreading (None when it is fine)."""
    name = " ".join(words)
    if "," in words:
        return f"'{name}' lists several things (not one name)"
    if kind in ("attribute", "class", "thing", "the") and words \
            and all(w.lower() in _ARTICLES or w.lower() in PREPOSITIONS for w in words):
        return f"'{name}' is a function word, not a name"
    if kind == "attribute" and len(words) > 1:
        if words[-1].lower() in MANNER_WORDS:
            return f"'{name}' would be an attribute beside '{' '.join(words[:-1])}'"
        if words[0].lower() in MANNER_WORDS:  # "colored red"
            return f"'{name}' would be an attribute beside '{' '.join(words[1:])}'"
        unknown = next((w for w in words[:-1] if w.isalpha() and not _pos(w.lower())), None)
        if unknown is not None and _is_adjective(words[-1].lower()):
            return f"'{unknown}' is no English word this reader knows (in '{name}')"
    if kind in ("attribute", "class") and len(words) > 1 and words[-1].lower() in _PERSON_NOUNS \
            and any(_is_adjective(w.lower()) for w in words[:-1]):
        return f"'{name}' describes a person by attributes (not a kind of thing of its own)"
    return None


def class_written_as_name(words: tuple[str, ...], tokens: list[str]) -> str | None:
    """A one-word class that the sentence writes as a proper name: capitalized after its first
    word, with no article before it and not a plural ("Young, red Fred is nice"; not "Bob is an
    American", "Young Americans are kind")."""
    if len(words) != 1:
        return None
    word = words[0]
    if any(t == word.lower() for t in tokens):  # "The Black Sea is a sea.": the class is "a sea"
        return None
    for i in range(1, len(tokens)):
        token = tokens[i]
        if token.lower() == word.lower() and token[:1].isupper() and not token.endswith("s") \
                and tokens[i - 1].lower() not in _ARTICLES:
            return f"'{token}' is written as a name, not a kind of thing"
    return None


def script_problem(names: list[tuple[object, str, tuple[str, ...]]], tokens: list[str]) -> str | None:
    """The checks that need the whole sentence: a class written as a proper name, a proper name
    inside an object's name ("Rough is one way to describe Gary"), and "as well"
    (= too) read as a relation to a thing called Well ("blue as well")."""
    relation_as = any(kind in ("relation", "property") and words and words[-1].lower() == "as"
                      for _, kind, words in names)
    capitalized = {t.lower() for t in tokens[1:] if t[:1].isupper()}
    for _, kind, words in names:
        if kind == "thing" and len(words) > 1 and capitalized.intersection(w.lower() for w in words):
            name = next(t for t in tokens[1:] if t.lower() in {w.lower() for w in words} and t[:1].isupper())
            return f"'{name}' is a name inside '{' '.join(words)}'"
        if kind == "class":
            problem = class_written_as_name(words, tokens)
            if problem is not None:
                return problem
        elif relation_as and kind == "thing" and tuple(w.lower() for w in words) == ("well",):
            return "'as well' says 'too' (not a relation to a thing called well)"
    return None


def _coordinated(tokens: list[str], i: int, step: int) -> str | None:
    """The first word from ``tokens[i]`` in direction ``step`` that is not a filler ("a bit",
    "also"), or None at a verb or the end."""
    j = i + step
    while 0 <= j < len(tokens):
        w = tokens[j]
        if w in ("is", "are", "be", "then", "they", "it", "if", "when", "who", "that"):
            return None
        if not (is_filler(w) or w in _ARTICLES or w in PREPOSITIONS):
            return w
        j += step
    return None


def rule_problem(sentence: str, rules: Sequence[tuple[tuple[Atom, ...], tuple[Atom, ...]]],
                 words: Mapping[object, tuple[str, ...]]) -> str | None:
    """What a rule reading of ``sentence`` gets wrong in its shape, if anything: a rule that
    concludes its own condition (says nothing); a rule about anyone for a sentence about one
    person ("Being big makes Eric blue."); or a condition and a conclusion that the sentence says
    together ("… are green and inexperienced" read as "if … green then inexperienced").
    ``words``: the words of each node."""
    if any(set(head) & set(body) for body, head in rules):
        return "the reading is a rule that concludes its own condition (it says nothing)"
    if any(isinstance(t, Var) for body, head in rules for a in (*body, *head) for t in (a.s, a.o)):
        person = about_one_person(sentence)
        if person is not None:
            return f"the reading is a rule about anyone; the sentence speaks of {person} only"
    tokens = [t.lower() for t in tokenize(sentence)]
    for body, head in rules:
        cond = {" ".join(words.get(a.o, ())).lower() for a in body}
        concl = {" ".join(words.get(a.o, ())).lower() for a in head} - cond
        cond -= concl
        for i, t in enumerate(tokens):
            if t not in ("and", ","):
                continue
            left, right = _coordinated(tokens, i, -1), _coordinated(tokens, i, 1)
            if (left in cond and right in concl) or (left in concl and right in cond):
                return (f"the sentence says '{left} {t} {right}' together; the reading splits them "
                        "between its condition and its conclusion")
    return None
