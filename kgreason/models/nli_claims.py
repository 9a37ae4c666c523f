"""Structured claims and their English renderings (paraphrases, negations) for NLI data.

A claim is one fact with its polarity; rendering picks one of several surface forms, so the same
claim appears as "birds can fly", "a bird is able to fly" or "Birds can fly." and its negation as
"birds cannot fly" / "birds are unable to fly". The verifier learns that these agree or clash.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from functools import lru_cache

from kgreason.language.morphology import plural, singular, verb_lemma
from kgreason.language.verbalize import sentence

#: kinds: attr (S is A), isa (S is a D / C is a kind of D), can (S can V), verb (S Vs O),
#: rel (S is part of O / S has O), modal (S must be cooked).
KINDS = ("attr", "isa", "can", "verb", "rel", "modal")


@dataclass(frozen=True)
class Claim:
    """One fact. ``generic``: the subject is a class noun (singular), "birds can fly"."""

    subj: str
    kind: str
    pred: str
    obj: str = ""
    negated: bool = False
    generic: bool = False
    canonical: str | None = None  # a verbalization from the graph (kept as one of the renderings)

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.subj.lower(), self.kind, self.pred.lower(), self.obj.lower())

    @property
    def pred_key(self) -> tuple[str, str]:
        """What is said, without who it is said of."""
        return (self.kind, self.pred.lower())

    def flipped(self) -> Claim:
        return replace(self, negated=not self.negated, canonical=None)


def article(noun: str) -> str:
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


@lru_cache(maxsize=65536)
def third_person(verb_phrase: str) -> str:
    """``live in`` → ``lives in``; ``chase`` → ``chases``."""
    from lemminflect import getInflection

    first, _, rest = verb_phrase.partition(" ")
    forms = getInflection(first, tag="VBZ")
    inflected = forms[0] if forms else first + "s"
    return f"{inflected} {rest}".strip()


def _plural_phrase(noun: str) -> str:
    """``body of water`` → ``bodies of water``; ``fruit bat`` → ``fruit bats``."""
    head, of, rest = noun.partition(" of ")
    words = head.split()
    return " ".join([*words[:-1], plural(words[-1])]) + (f"{of}{rest}" if of else "")


def _generic_subject(noun: str, rng: random.Random, *, positive: bool) -> tuple[str, bool]:
    """A generic subject and whether it is grammatically plural."""
    options = [(_plural_phrase(noun), True), (article(noun), False)]
    if positive:
        options += [(f"every {noun}", False), (f"all {_plural_phrase(noun)}", True),
                    (f"each {noun}", False)]
    return rng.choice(options)


def render(c: Claim, rng: random.Random) -> str:
    """One surface form of ``c`` (lower case, no final period)."""
    if c.canonical and rng.random() < 0.4:
        return c.canonical
    if c.kind == "isa" and c.generic:
        return _render_subclass(c, rng)
    if c.generic:
        subj, is_plural = _generic_subject(c.subj, rng, positive=not c.negated)
        if c.negated and rng.random() < 0.25 and c.kind in ("attr", "rel"):
            subj, is_plural = f"no {c.subj}", False
            return _render_plain(replace(c, negated=False), subj, is_plural, rng)
    else:
        subj, is_plural = c.subj, False
    return _render_plain(c, subj, is_plural, rng)


def _render_subclass(c: Claim, rng: random.Random) -> str:
    s, d = c.subj, c.obj
    if not c.negated:
        forms = [f"{s} is a kind of {d}", f"{_plural_phrase(s)} are {_plural_phrase(d)}",
                 f"{article(s)} is {article(d)}", f"every {s} is {article(d)}",
                 f"all {_plural_phrase(s)} are {_plural_phrase(d)}", f"{s} is a type of {d}",
                 f"each {s} is {article(d)}"]
    else:
        forms = [f"{_plural_phrase(s)} are not {_plural_phrase(d)}", f"{s} is not a kind of {d}",
                 f"no {s} is {article(d)}", f"nothing is both {article(s)} and {article(d)}",
                 f"{article(s)} is not {article(d)}", f"{_plural_phrase(s)} aren't {_plural_phrase(d)}"]
    return rng.choice(forms)


def _render_plain(c: Claim, subj: str, is_plural: bool, rng: random.Random) -> str:
    be = "are" if is_plural else "is"
    neg = c.negated
    if c.kind == "attr":
        if not neg:
            return f"{subj} {be} {c.pred}"
        forms = [f"{subj} {be} not {c.pred}", f"{subj} {be}n't {c.pred}"]
        if not c.generic:
            forms.append(f"it is not true that {subj} {be} {c.pred}")
        return rng.choice(forms)
    if c.kind == "isa":  # an instance of a class
        obj = article(c.obj)
        return rng.choice([f"{subj} is not {obj}", f"{subj} isn't {obj}"]) if neg else f"{subj} is {obj}"
    if c.kind == "can":
        if not neg:
            return rng.choice([f"{subj} can {c.pred}", f"{subj} {be} able to {c.pred}"])
        return rng.choice([f"{subj} cannot {c.pred}", f"{subj} can not {c.pred}",
                           f"{subj} {be} not able to {c.pred}", f"{subj} {be} unable to {c.pred}",
                           f"{subj} can't {c.pred}"])
    if c.kind == "verb":
        if not neg:
            verb = c.pred if is_plural else third_person(c.pred)
            return f"{subj} {verb} {c.obj}"
        aux = "do" if is_plural else "does"
        return rng.choice([f"{subj} {aux} not {c.pred} {c.obj}", f"{subj} {aux}n't {c.pred} {c.obj}"])
    if c.kind == "modal":  # "must be cooked", "should be washed"
        modal, _, rest = c.pred.partition(" ")
        return rng.choice([f"{subj} {modal} not {rest}", f"{subj} {modal}n't {rest}"]) if neg else f"{subj} {c.pred}"
    if c.kind == "rel":
        head, _, rest = c.pred.partition(" ")
        rest = f" {rest}" if rest else ""
        if head == "has":
            if not neg:
                return f"{subj} {'have' if is_plural else 'has'}{rest} {c.obj}"
            aux = "do" if is_plural else "does"
            return rng.choice([f"{subj} {aux} not have{rest} {c.obj}", f"{subj} {aux}n't have{rest} {c.obj}"])
        if not neg:
            return f"{subj} {be}{rest} {c.obj}"
        return rng.choice([f"{subj} {be} not{rest} {c.obj}", f"{subj} {be}n't{rest} {c.obj}"])
    raise ValueError(f"unknown claim kind {c.kind!r}")


def format_sentence(text: str, rng: random.Random, p_formal: float = 0.8) -> str:
    """Mostly "Birds can fly." (as the pipeline passes facts), sometimes raw lower case."""
    return sentence(text) if rng.random() < p_formal else text


# ---------------------------------------------------------------- parsing English facts
_SUBJ = r"(the (?:bald )?[a-z]+|[A-Z][a-z]+)"
_ATTR = re.compile(rf"^{_SUBJ} is (not )?([a-z]+)$", re.IGNORECASE)
_ISA = re.compile(rf"^{_SUBJ} is (not )?an? ([a-z]+)$", re.IGNORECASE)
_VERB = re.compile(rf"^{_SUBJ} (does not |doesn't )?([a-z]+) {_SUBJ}$", re.IGNORECASE)
_GEN_ISA = re.compile(r"^(?:every |each |all )?([a-z]+?) (?:are|is) (not )?(an? )?([a-z]+)$", re.IGNORECASE)


def _subject(text: str) -> str:
    return text[0].lower() + text[1:] if text.lower().startswith("the ") else text


def parse_fact(text: str) -> Claim | None:
    """A simple English fact (ProofWriter / ProntoQA style) → Claim; None for rules and others."""
    t = text.strip().rstrip(".").strip()
    low = f" {t.lower()} "
    if not t or low.startswith(" if ") or " then " in low or " things " in low or " people " in low:
        return None
    if (m := _ISA.match(t)) and (m.group(1)[0].isupper() or m.group(1).lower().startswith("the ")):
        return Claim(_subject(m.group(1)), "isa", "", m.group(3).lower(), bool(m.group(2)))
    if m := _VERB.match(t):
        verb = m.group(3).lower()
        if verb not in ("is", "are"):
            lemma = verb if m.group(2) else verb_lemma(verb)
            return Claim(_subject(m.group(1)), "verb", lemma, _subject(m.group(4)), bool(m.group(2)))
    if (m := _ATTR.match(t)) and (m.group(1)[0].isupper() and not m.group(1).lower().startswith("every")):
        return Claim(_subject(m.group(1)), "attr", m.group(3).lower(), "", bool(m.group(2)))
    if m := _GEN_ISA.match(t):
        noun = singular(m.group(1).lower())
        obj = m.group(4).lower()
        is_class = bool(m.group(3)) or singular(obj) != obj
        if is_class:
            return Claim(noun, "isa", "", singular(obj), bool(m.group(2)), generic=True)
        return Claim(noun, "attr", obj, "", bool(m.group(2)), generic=True)
    return None
