"""Paraphrase alignment over one problem's vocabulary: a predicate that only one sentence uses is
linked to one the other sentences use, on general, explainable evidence only, and every link made
is said (:meth:`Alignment.describe`), never silent.

The first-order reader names a predicate by the lemmas of its phrase, so "drinks coffee" and "drink
coffee" are already one predicate. What it keeps apart, and this step may join:

1. **morphology and tense**: irregular forms the reader keeps as written ("wrote" = "write",
   "built" = "build"), and the auxiliaries of tense and voice: "will" (future), "has/have/had" before a
   past participle (perfect: "has won" = "won"), "gets" before a past participle (passive: "gets
   awarded" = "is awarded"), "does" (emphatic);
2. **voice**, for facts about two named things: "A is directed by B" = "B directs A" (the agent of
   a passive with "by" is the subject of the active; only when both are names, so the fact is one
   ground atom either way);
3. **light words** (:data:`LIGHT_BEFORE_PLACE`, :data:`LIGHT_HEADS`, :data:`ROLE_VERBS`,
   :data:`POSSESSIVES`): a location participle before a place preposition says nothing more than the
   preposition ("is located in Paris" = "is in Paris", also "situated", "based"); a noun phrase "a
   kind of / type of / sort of / form of X" is read as "an X"; "serves / acts / functions / works /
   plays as X" is read as "is X"; a possessive his / her / its / their inside a phrase is read as
   the possessive of the one the phrase is said of ("regrets his choice" = "regrets their choice");
4. **WordNet synonyms**: the two phrases are the same word for word except one word, and those two
   words share a WordNet synset in one part of speech (Debian ``wordnet-base``; "programme" and
   "program" share every sense); the synset is named in the message.

A link is made only when exactly one predicate of the other sentences matches at the strongest
kind of evidence that finds any (two candidates: no link, the sentence stays as read); words that
name numbers or years never change ("1946" aligns to "1946" only, never to "1947"); nothing is
linked by mere relatedness (a hypernym, a shared word, a similar spelling). A wrong link could turn
*unknown* into a wrong *true* or *false*, so the message always says which phrase was read as which.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from kgreason.core.formulas import (
    And,
    Constant,
    Exists,
    ForAll,
    Formula,
    Iff,
    Implies,
    Not,
    Or,
    Predicate,
    Xor,
    predicates,
    subformulas,
)
from kgreason.language.morphology import NUMBER_WORDS, lemma

#: Location participles that add nothing before a place preposition ("located in X" = "in X").
LIGHT_BEFORE_PLACE = frozenset(["locate", "located", "situate", "situated", "base", "based"])
#: Place prepositions after which :data:`LIGHT_BEFORE_PLACE` words are dropped.
PLACE_PREPOSITIONS = frozenset(["in", "at", "on", "near", "inside", "within", "along", "by"])
#: Heads of a noun phrase "a kind of X" that is read as "an X".
LIGHT_HEADS = frozenset(["kind", "type", "sort", "form"])
#: Verbs of a role: "serves as a judge" / "works as a teacher" / "plays as a goalkeeper" = "is a …".
ROLE_VERBS = frozenset(["serve", "act", "function", "work", "play"])
#: Possessive determiners: inside a phrase said of someone they are read as theirs ("regrets his
#: choice" = "regrets their choice"), an assumption the message states.
POSSESSIVES = frozenset(["his", "her", "its", "their"])
#: Auxiliaries of tense, aspect and voice (when a participle follows for "have" and "get").
_FUTURE = frozenset(["will", "shall"])
_PERFECT = frozenset(["have", "has", "had"])
_GET_PASSIVE = frozenset(["get", "gets", "got", "gotten"])


@dataclass(frozen=True)
class Alignment:
    """One link made: the phrase as read → the phrase the other sentences use, and why."""

    source: str  # predicate name as read
    target: str  # predicate name it is read as
    kind: str  # morphology | voice | light words | WordNet
    evidence: str
    source_text: str
    target_text: str
    where: str = "the conclusion"  # or "premise N"
    atom: tuple[str, ...] | None = None  # voice: (source constant, target constant)

    def describe(self) -> str:
        return f"read '{self.source_text}' in {self.where} as '{self.target_text}' ({self.kind}: {self.evidence})"

    def to_json(self) -> dict[str, str]:
        return {"phrase": self.source_text, "read_as": self.target_text, "where": self.where, "kind": self.kind,
                "evidence": self.evidence, "predicate": self.source, "aligned_to": self.target}


def _is_number(word: str) -> bool:
    return any(c.isdigit() for c in word) or word in NUMBER_WORDS


def _participle(word: str) -> bool:
    """Is ``word`` (as written) a past participle ("won", "awarded", "taken")?"""
    from lemminflect import getInflection

    w = word.lower()
    if w.endswith("ed"):
        return True
    base = lemma(w)
    return base != w and w in getInflection(base, tag="VBN")


def _shown(name: str, phrases) -> list[str]:
    text = phrases.get(name, "") if phrases is not None else ""
    return text.replace("{1}", "").lower().split()


def morphology_key(name: str, phrases=None) -> tuple[tuple[str, ...], list[str]]:
    """The words of a predicate in lemmas, tense and voice auxiliaries dropped; with the changes
    made, in words ("'wrote' is a form of 'write'")."""
    words = name.split("_")
    shown = _shown(name, phrases)
    out: list[str] = []
    said: list[str] = []
    for i, w in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if w in _FUTURE and nxt and not _is_number(nxt):
            said.append(f"'{w}' marks the future tense")
            continue
        if w in ("have", "get") and nxt:
            # the participle as written in the phrase (the name has "-ed" forms in their lemma)
            aux = _PERFECT if w == "have" else _GET_PASSIVE
            at = next((j for j, s in enumerate(shown[:-1]) if s in aux), None)
            written = shown[at + 1] if at is not None else nxt
            if lemma(written) == lemma(nxt) and _participle(written):
                kind = "perfect" if w == "have" else "passive"
                said.append(f"'{shown[at] if at is not None else w} {written}' is the {kind} of '{lemma(nxt)}'")
                continue
        if w == "do" and i == 0 and nxt:
            continue
        if _is_number(w) or not w.isalpha():
            out.append(w)
            continue
        base = lemma(w)
        if base != w:
            said.append(f"'{w}' is a form of '{base}'")
        out.append(base)
    return tuple(out), said


def light_key(key: tuple[str, ...]) -> tuple[tuple[str, ...], list[str]]:
    """:func:`morphology_key` with light words dropped ("locate in paris" → "in paris", "kind of
    software" → "software")."""
    out: list[str] = []
    said: list[str] = []
    for i, w in enumerate(key):
        nxt = key[i + 1] if i + 1 < len(key) else ""
        if w in LIGHT_BEFORE_PLACE and nxt in PLACE_PREPOSITIONS and i + 2 < len(key):
            said.append(f"'{w} {nxt}' says no more than '{nxt}'")
            continue
        if i == 0 and w in ROLE_VERBS and nxt == "as" and i + 2 < len(key):
            said.append(f"'{w} as X' is read as 'is X'")
            continue
        if w == "as" and i == 1 and key[0] in ROLE_VERBS and len(key) > 2:
            continue
        if w in POSSESSIVES:
            said.append(f"'{w}' is read as the possessive of the one the phrase is said of")
            out.append("one's")
            continue
        if i == 0 and w in LIGHT_HEADS and nxt == "of" and i + 2 < len(key):
            said.append(f"'a {w} of X' is read as 'an X'")
            continue
        if w == "of" and i == 1 and key[0] in LIGHT_HEADS and len(key) > 2:
            continue
        out.append(w)
    return tuple(out), said


def _synonym(a: str, b: str, senses) -> str | None:
    """The WordNet evidence that ``a`` and ``b`` can mean the same (a shared synset), or None."""
    if a == b or _is_number(a) or _is_number(b) or not (a.isalpha() and b.isalpha()) or len(a) < 3 or len(b) < 3:
        return None
    shared = senses.shared_synset(a, b)
    if shared is None:
        return None
    pos, offset, how = shared
    if how == "every sense":
        return f"'{a}' and '{b}' share every sense of one of them, e.g. {senses.name(offset, pos)}"
    return f"the most frequent sense of '{a}' and of '{b}' is {senses.name(offset, pos)}"


def _phrase(phrases, name: str) -> str:
    if phrases is None or not hasattr(phrases, "phrase"):  # no vocabulary: the name's words
        return name.replace("_", " ")
    return phrases.phrase(name, 1).replace(" {1}", "")


def _why(source: str, target: str, notes: list[str]) -> str:
    """The notes about words in which the two names differ (a word both share as written needs no
    note: "inside left" is not about "leave")."""
    differ = set(source.split("_")) ^ set(target.split("_"))
    kept = [n for n in notes if any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", n) for w in differ)]
    return "; ".join(dict.fromkeys(kept))


def _texts(phrases, source: str, target: str) -> tuple[str, str]:
    """The two phrases as shown; where the vocabulary shows both alike ("writes a novel" for
    "wrote a novel": the verbalizer puts verbs in the present), the source's own words."""
    a, b = _phrase(phrases, source), _phrase(phrases, target)
    return (source.replace("_", " ") if a == b else a), b


def _unique(matches: list[str]) -> str | None:
    return matches[0] if len(set(matches)) == 1 else None


def find_alignment(source: str, targets: list[str], phrases=None, *, senses=None) -> Alignment | None:
    """The one predicate of ``targets`` that ``source`` means, at the strongest evidence that
    finds any; None when none or several match there."""
    key, said = morphology_key(source, phrases)
    keys = {t: morphology_key(t, phrases) for t in targets if t != source}
    found = [t for t, (k, _) in keys.items() if k == key]
    if found:
        t = _unique(found)
        if t is None:
            return None
        why = _why(source, t, said + keys[t][1]) or "the same words"
        return Alignment(source, t, "morphology", why, *_texts(phrases, source, t))
    light, said_light = light_key(key)
    lights = {t: light_key(k) for t, (k, _) in keys.items()}
    found = [t for t, (k, _) in lights.items() if k == light and k]
    if found:
        t = _unique(found)
        if t is None:
            return None
        why = _why(source, t, said_light + lights[t][1] + said + keys[t][1]) or "the same words"
        return Alignment(source, t, "light words", why, *_texts(phrases, source, t))
    if senses is None:
        return None
    candidates = []
    for t, (k, _) in lights.items():
        if len(k) != len(light) or not k:
            continue
        differ = [(a, b) for a, b in zip(light, k) if a != b]
        if len(differ) != 1:
            continue
        why = _synonym(*differ[0], senses)
        if why:
            candidates.append((t, why))
    if len(candidates) == 1:
        t, why = candidates[0]
        return Alignment(source, t, "WordNet", why, *_texts(phrases, source, t))
    return None


# -- voice: ground facts about two names ---------------------------------------------------------
def _voice(atom: Predicate, targets: dict[str, None], constants: set[str], phrases) -> tuple[Predicate, Alignment] | None:
    """"A is directed by B" (direct_by_b(a)) ↔ "B directs A" (direct_a(b)), when A and B are both
    names of the problem and exactly one such predicate is used by the other sentences."""
    if len(atom.args) != 1 or not isinstance(atom.args[0], Constant):
        return None
    subject = atom.args[0].name
    key, _ = morphology_key(atom.name, phrases)
    found = []
    if "by" in key[1:-1]:  # passive → active
        cut = key.index("by")
        verb, agent = key[:cut], "_".join(key[cut + 1:])
        if agent in constants and agent != subject:
            for t in targets:
                tk, _ = morphology_key(t, phrases)
                if tk == (*verb, *subject.split("_")):
                    found.append((t, agent))
    else:  # active → passive
        for other in constants - {subject}:
            words = tuple(other.split("_"))
            if len(key) > len(words) and key[-len(words):] == words:
                verb = key[: -len(words)]
                for t in targets:
                    tk, _ = morphology_key(t, phrases)
                    if tk == (*verb, "by", *subject.split("_")):
                        found.append((t, other))
    if len(found) != 1:
        return None
    t, new_subject = found[0]
    names = getattr(phrases, "names", {})
    show = lambda c: names.get(c, c.replace("_", " "))
    why = f"'{show(subject)} {_phrase(phrases, atom.name)}' is '{show(new_subject)} {_phrase(phrases, t)}' " \
          f"in the other voice"
    return Predicate(t, (Constant(new_subject),)), Alignment(
        atom.name, t, "voice", why, f"{show(subject)} {_phrase(phrases, atom.name)}",
        f"{show(new_subject)} {_phrase(phrases, t)}", atom=(subject, new_subject))


# -- rewriting -----------------------------------------------------------------------------------
def rewrite(f: Formula, names: dict[str, str], atoms: dict[Predicate, Predicate] | None = None) -> Formula:
    """``f`` with predicate names renamed and whole atoms replaced."""
    atoms = atoms or {}
    if isinstance(f, Predicate):
        if f in atoms:
            return atoms[f]
        return Predicate(names.get(f.name, f.name), f.args) if f.name in names else f
    if isinstance(f, Not):
        return Not(rewrite(f.body, names, atoms))
    if isinstance(f, (And, Or)):
        return type(f)(tuple(rewrite(p, names, atoms) for p in f.parts))
    if isinstance(f, (Xor, Implies, Iff)):
        return type(f)(rewrite(f.left, names, atoms), rewrite(f.right, names, atoms))
    if isinstance(f, (ForAll, Exists)):
        return type(f)(f.var, rewrite(f.body, names, atoms))
    return f


def _constants(formulas) -> set[str]:
    from kgreason.core.formulas import constants

    out: set[str] = set()
    for f in formulas:
        out |= constants(f)
    return out


def align_reading(reading, *, senses="default", premises_too: bool = True):
    """Link the predicates of ``reading`` that only one sentence uses to ones the others use:
    (the reading rewritten, the alignments made). ``senses``: a WordNet
    :class:`~kgreason.graph.wordnet_lookup.SenseLookup`, None for no WordNet evidence, or
    "default" for the installed WordNet (none when it is not installed)."""
    if senses == "default":
        from kgreason.graph.wordnet_lookup import sense_lookup

        senses = sense_lookup()
    phrases = reading.phrases
    premises = list(reading.premises)
    conclusion = reading.conclusion
    alignments: list[Alignment] = []
    uses: Counter = Counter()
    for f in premises:
        if f is not None:
            uses.update(predicates(f).keys())
    said = dict.fromkeys(sorted(uses))
    names_all = _constants([f for f in premises if f is not None] + ([conclusion] if conclusion is not None else []))
    if conclusion is not None:
        names: dict[str, str] = {}
        atoms: dict[Predicate, Predicate] = {}
        for name in sorted(set(predicates(conclusion)) - set(said)):
            found = find_alignment(name, list(said), phrases, senses=senses)
            if found is not None:
                names[name] = found.target
                alignments.append(found)
                continue
            for atom in {g for g in subformulas(conclusion) if isinstance(g, Predicate) and g.name == name}:
                voiced = _voice(atom, said, names_all, phrases)
                if voiced is not None:
                    atoms[atom] = voiced[0]
                    alignments.append(voiced[1])
        if names or atoms:
            conclusion = rewrite(conclusion, names, atoms)
    if premises_too:
        # a predicate only one premise uses (and not the conclusion) → one the other sentences use
        in_conclusion = set(predicates(conclusion)) if conclusion is not None else set()
        for i, f in enumerate(premises):
            if f is None:
                continue
            others: Counter = Counter()
            for j, g in enumerate(premises):
                if g is not None and j != i:
                    others.update(predicates(g).keys())
            others.update(in_conclusion)
            names = {}
            for name in sorted(predicates(f)):
                if name in others:
                    continue
                found = find_alignment(name, sorted(others), phrases, senses=senses)
                if found is not None:
                    names[name] = found.target
                    alignments.append(replace(found, where=f"premise {i + 1}"))
            if names:
                premises[i] = rewrite(f, names)
    if not alignments:
        return reading, []
    return replace(reading, premises=premises, conclusion=conclusion), alignments
