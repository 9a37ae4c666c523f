"""First-order formulas back to English, for proofs and countermodels people read.

Each predicate has a *verb phrase* (``Student`` → "is a student", ``Drinks`` → "drinks coffee"):
the reader of first-order English records the phrase it read a predicate from
(:class:`Phrases`); a predicate written in notation gets one from its name ("DependentOn" →
"is dependent on"). Variables are said as "x", "y"; the common shapes read as English
("everything that drinks coffee is dependent on caffeine", "something is a student and …").
"""

from __future__ import annotations

import re

from kgreason.core.formulas import (
    And,
    Equals,
    Exists,
    ForAll,
    Formula,
    Iff,
    Implies,
    Not,
    Or,
    Predicate,
    Term,
    Variable,
    Xor,
)

_AUX = ("is", "are", "was", "were", "can", "could", "will", "would", "should", "must", "may", "might", "has been", "does", "did")


class Phrases(dict):
    """predicate name → verb phrase with ``{1}`` for a second argument ("is taller than {1}");
    ``names``: constant → the name as written ("captain_america" → "Captain America")."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.names: dict[str, str] = {}

    def phrase(self, name: str, arity: int) -> str:
        if name in self:
            return self[name]
        words = " ".join(w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+", name)) or name
        first = words.split()[0]
        if first in ("is", "are", "has", "have", "can", "does", "do") or (first.endswith("s") and not first.endswith(("ss", "ous", "ics"))):
            vp = words
        else:
            vp = f"is {words}"
        if arity >= 2:
            vp += " " + " and ".join("{%d}" % i for i in range(1, arity))
        return vp


def _negate_vp(vp: str) -> str:
    for aux in _AUX:
        if vp == aux or vp.startswith(aux + " "):
            return f"{aux} not{vp[len(aux):]}"
    if vp.startswith("has ") or vp.startswith("have "):
        return "does not have" + vp[vp.index(" "):]
    from kgreason.language.morphology import verb_lemma

    first, _, rest = vp.partition(" ")
    base = verb_lemma(first)
    return f"does not {base}{(' ' + rest) if rest else ''}"


def _name(t: Term, names: dict[str, str] | None = None) -> str:
    if isinstance(t, Variable):
        return t.name
    return (names or {}).get(t.name) or t.name.replace("_", " ")


class Verbalizer:
    def __init__(self, phrases: Phrases | None = None):
        self.phrases = phrases if phrases is not None else Phrases()

    def _name(self, t: Term) -> str:
        return _name(t, self.phrases.names)

    def vp(self, p: Predicate, negated: bool = False) -> str:
        """The verb phrase of an atom, its first argument left out."""
        vp = self.phrases.phrase(p.name, len(p.args))
        vp = vp.format(*[self._name(a) for a in p.args])
        return _negate_vp(vp) if negated else vp

    def sentence(self, f: Formula) -> str:
        text = self.say(f)
        return text[:1].upper() + text[1:] + "."

    def say(self, f: Formula) -> str:
        if isinstance(f, Predicate):
            if f.name == "⊥":
                return "a contradiction"
            if not f.args:
                return self.phrases.get(f.name, f.name)
            return f"{self._name(f.args[0])} {self.vp(f)}"
        if isinstance(f, Equals):
            return f"{self._name(f.left)} is {self._name(f.right)}"
        if isinstance(f, Not):
            b = f.body
            if isinstance(b, Predicate) and b.args:
                return f"{self._name(b.args[0])} {self.vp(b, negated=True)}"
            if isinstance(b, Equals):
                return f"{self._name(b.left)} is not {self._name(b.right)}"
            if isinstance(b, Or):
                return "neither " + " nor ".join(self.say(p) for p in b.parts)
            if isinstance(b, Exists):
                return f"nothing {self._relative(b.var, b.body)}" if self._simple(b.var, b.body) else \
                    f"there is no {b.var.name} such that {self.say(b.body)}"
            return f"it is not the case that {self.say(b)}"
        if isinstance(f, And):
            if len(f.parts) == 2 and self._same_subject(f.parts):
                return self.say(f.parts[0]) + " and " + self._rest(f.parts[1])
            return " and ".join(self.say(p) for p in f.parts)
        if isinstance(f, Or):
            return "either " + " or ".join(self.say(p) for p in f.parts)
        if isinstance(f, Xor):
            return f"either {self.say(f.left)} or {self.say(f.right)}, but not both"
        if isinstance(f, Implies):
            return f"if {self.say(f.left)}, then {self.say(f.right)}"
        if isinstance(f, Iff):
            return f"{self.say(f.left)} if and only if {self.say(f.right)}"
        if isinstance(f, ForAll):
            body = f.body
            if isinstance(body, Implies) and self._simple(f.var, body.left) and self._simple(f.var, body.right):
                return f"everything that {self._relative(f.var, body.left)} {self._relative(f.var, body.right)}"
            if self._simple(f.var, body):
                return f"everything {self._relative(f.var, body)}"
            return f"for every {f.var.name}, {self.say(body)}"
        if isinstance(f, Exists):
            if self._simple(f.var, f.body):
                return f"something {self._relative(f.var, f.body)}"
            return f"there is some {f.var.name} such that {self.say(f.body)}"
        raise TypeError(f"not a formula: {f!r}")

    # a formula about one variable only, in subject position: said as a relative clause
    def _simple(self, var: Variable, f: Formula) -> bool:
        if isinstance(f, Predicate):
            return bool(f.args) and f.args[0] == var and var not in f.args[1:]
        if isinstance(f, Not):
            return isinstance(f.body, Predicate) and self._simple(var, f.body)
        if isinstance(f, (And, Or)):
            return all(self._simple(var, p) for p in f.parts)
        if isinstance(f, Xor):
            return self._simple(var, f.left) and self._simple(var, f.right)
        return False

    def _relative(self, var: Variable, f: Formula) -> str:
        if isinstance(f, Predicate):
            return self.vp(f)
        if isinstance(f, Not):
            return self.vp(f.body, negated=True)
        if isinstance(f, And):
            return " and ".join(self._relative(var, p) for p in f.parts)
        if isinstance(f, Or):
            return "either " + " or ".join(self._relative(var, p) for p in f.parts)
        if isinstance(f, Xor):
            return f"either {self._relative(var, f.left)} or {self._relative(var, f.right)}, but not both"
        raise TypeError(f)

    @staticmethod
    def _subject(f: Formula):
        g = f.body if isinstance(f, Not) else f
        return g.args[0] if isinstance(g, Predicate) and g.args else None

    def _same_subject(self, parts) -> bool:
        subjects = {self._subject(p) for p in parts}
        return len(subjects) == 1 and None not in subjects

    def _rest(self, f: Formula) -> str:
        if isinstance(f, Not):
            return self.vp(f.body, negated=True)
        return self.vp(f)


def say_formula(f: Formula, phrases: Phrases | None = None) -> str:
    """One English sentence for ``f``."""
    return Verbalizer(phrases).sentence(f)
