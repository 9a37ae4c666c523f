"""Sentence-initial personal pronouns resolved to the person the text just named.

People write theories as running text: "Dave is a red fellow who looks blue. He's often cold."
Read one sentence at a time, "He's often cold." names nobody. Before such a sentence goes to the
neural reader, a leading *he / she / his / her / him* is replaced by the proper name the nearest
earlier sentence starts its story with (its first proper name): "Dave is often cold." The reading
says so ("he = Dave"), and the NLI round trip and the word checks compare the reading with the
resolved sentence. Pronouns inside a sentence ("Fred is nice even though he feels cold") are left
to the reader, which sees the name in the same sentence.

Deliberately small (no coreference model): only sentence-initial pronouns, only to a proper name,
only from the nearest earlier sentence that has one (at most :data:`LOOK_BACK` sentences back).
"""

# ruff: noqa: SIM905 (word lists written as split strings, so they read as word lists)
from __future__ import annotations

import re
from collections.abc import Sequence

from kgreason.language.fillers import FUNCTION_WORDS

#: How many sentences back a pronoun may look for its name.
LOOK_BACK = 3
_INNER = re.compile(r"\b(?:he|she|his|her|him)\b")
#: Words that make a sentence generic: its pronouns mean "whoever", not a person named before.
_GENERIC = frozenset("""someone somebody anyone anybody everyone everybody whoever people person persons
something anything everything thing things human humans individual individuals guy guys man men woman
women if""".split())
#: Words before a pronoun that give it an antecedent in its own sentence ("the hulk", "you").
_ANTECEDENTS = frozenset(["the", "a", "an", "you", "your", "this", "that"])
_LEADING = re.compile(r"^(?P<pronoun>He|She|His|Her|Him)(?P<clitic>'s|’s)?\b(?P<rest>.*)$", re.DOTALL)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
#: Capitalized words that are no one's name.
_NOT_NAMES = frozenset(["i", "if", "when", "whenever", "while", "because", "since", "although", "though", "as", "after", "before", "once", "the", "a", "an", "this", "that", "these", "those", "there", "it", "its", "they", "their", "them", "he", "she", "his", "her", "him", "we", "our", "you", "your", "someone", "something", "everyone", "everything", "anyone", "anything", "nobody", "nothing", "all", "every", "each", "some", "no", "not", "people", "person", "mr", "mrs", "ms", "dr"])


#: Words that follow a sentence-initial name ("Bob is", "Gary always looks").
_AFTER_A_NAME = frozenset(["is", "was", "has", "had", "seems", "seemed", "looks", "looked", "feels", "felt", "gets", "got", "likes", "loves", "can", "could", "will", "would", "may", "might", "must", "should", "always", "often", "never", "really", "also", "does", "did", "isn't", "wasn't", "doesn't"])


def _is_common_word(word: str) -> bool:
    from kgreason.language.english_words import _pos

    return bool(_pos(word.lower()))


def first_name(sentence: str) -> str | None:
    """The first proper name of a sentence: a capitalized word that is not sentence-initial, or a
    sentence-initial one that is no English word ("Dave is red", "Young Fred is nice" → Fred)."""
    words = [m.group(0) for m in _WORD.finditer(sentence)]
    initial = None  # a sentence-initial English word read as a name ("Rough is one way to
    for k, raw in enumerate(words):  # describe Gary"): only when no later word is a name
        word = raw.rstrip("'’").removesuffix("'s").removesuffix("’s")
        if not word[:1].isupper() or word.lower() in _NOT_NAMES or word.lower() in FUNCTION_WORDS:
            continue
        # a first word that is also an English word ("Bob", "Young") is a name only when a verb
        # follows it ("Bob is big", not "Young Fred is nice")
        if k == 0 and _is_common_word(word):
            if word != raw or (len(words) > 1 and words[1].lower() in _AFTER_A_NAME):
                initial = word
            continue
        return word
    return initial


def resolve_leading_pronouns(sentences: Sequence[str]) -> list[tuple[str, str] | None]:
    """For each sentence: (the sentence with its leading pronoun replaced, "he = Dave"), or None
    when it has no such pronoun or no earlier sentence names anyone. A sentence that names no one
    and says nothing generic ("someone", "people", "a person" …) but has a personal pronoun later
    ("Right now he's feeling blue.", "We found over time he was also nice.") has its first one
    resolved the same way."""
    out: list[tuple[str, str] | None] = []
    referents: dict[int, str] = {}
    for i, sentence in enumerate(sentences):
        m = _LEADING.match(sentence.strip())
        if m is None:
            inner = _INNER.search(sentence)
            words = {w.lower() for w in _WORD.findall(sentence)}
            before = {w.lower() for w in _WORD.findall(sentence[:inner.start()])} if inner else set()
            if inner is None or words & _GENERIC or first_name(sentence) is not None \
                    or before & _ANTECEDENTS:  # "When you make the hulk big, he is …": the hulk
                out.append(None)
                continue
            m = _LEADING.match(sentence[inner.start():].strip()[:1].upper() + sentence[inner.start() + 1:])
            lead = sentence[:inner.start()]
        else:
            lead = ""
        if m is None:
            out.append(None)
            continue
        name = None
        for back in range(i - 1, max(-1, i - 1 - LOOK_BACK), -1):
            # a sentence that only says "he" names whom it was resolved to ("Dave is red. He is
            # kind. Sometimes he is cold." → Dave)
            name = first_name(sentences[back]) or referents.get(back)
            if name:
                break
        if name is None:
            out.append(None)
            continue
        pronoun = m["pronoun"]
        if m["clitic"]:  # "He's cold" → "Dave is cold"
            head = f"{name} is"
        elif pronoun == "His" or (pronoun == "Her" and _possessive_her(m["rest"])):
            head = f"{name}'s"
        else:
            head = name
        referents[i] = name
        out.append((lead + head + m["rest"], f"{pronoun.lower()} = {name}"))
    return out


def _possessive_her(rest: str) -> bool:
    """"Her skin is green" (possessive) vs "Her being young …" (object-like): possessive when a
    noun-ish word follows."""
    nxt = rest.split()[:1]
    return bool(nxt) and nxt[0].lower() not in ("being", "is", "was", "and", "to")


#: Words that let a sentence speak of anyone, not only of the person it names ("Nice people like
#: Bob are kind", "When you are big you are blue, like Eric").
_GENERAL = _GENERIC | frozenset("""all any every each those whenever you kids children folks ones
one anyone's everyone's""".split())


def about_one_person(sentence: str) -> str | None:
    """The name a sentence is about when it speaks of that person only: it names someone and
    says nothing general ("Being big makes Eric blue." → Eric; "Big people like Eric are blue."
    → None). A reading of it as a rule about anyone says more than the sentence."""
    tokens = _WORD.findall(sentence)
    if {w.lower() for w in tokens} & _GENERAL:
        return None
    name = first_name(sentence)
    if name is None:
        return None
    from kgreason.language.english_words import _pos

    k = next((i for i, t in enumerate(tokens) if t.rstrip("'’").removesuffix("'s") == name), None)
    after = [t.lower() for t in tokens[k + 1:k + 3]] if k is not None else []
    if len(after) == 2 and after[0].endswith("s") and "NOUN" in _pos(after[0]) and after[1] in ("are", "were"):
        return None  # "Christmas ornaments are red": a name that modifies a plural noun
    return name
