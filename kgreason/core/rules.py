"""Rules: the data model shared by the rule-file parser, the English reader and the engine.

A rule is ``head :- body``. Atoms are triple patterns over terms (rdflib nodes) and variables.

Negation has two readings, and a rule says only ``not``; the *mode* decides:

* ``Atom.negated`` in a **head** derives a negative fact, "not (s p o)" (strong/classical
  negation, stored as ``s N o`` where ``N kgr:negationOf p``).
* ``Atom.negated`` in a **body** means, in open-world mode, "the negative fact is known"
  (explicit negative) and, in closed-world mode, "the positive fact is not derivable"
  (negation as failure, stratified).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib.term import Node


@dataclass(frozen=True, slots=True)
class Var:
    """A rule variable, written ``?x``."""

    name: str

    def __str__(self) -> str:
        return f"?{self.name}"


Term = Node | Var


@dataclass(frozen=True, slots=True)
class Atom:
    """A triple pattern; ``negated`` flips its polarity (see the module docstring)."""

    s: Term
    p: Term
    o: Term
    negated: bool = False

    def terms(self) -> tuple[Term, Term, Term]:
        return (self.s, self.p, self.o)

    def variables(self) -> set[Var]:
        return {t for t in self.terms() if isinstance(t, Var)}


@dataclass(frozen=True)
class Rule:
    """``head :- body``. ``id`` is stable (W3C names for built-ins, ``user:<n>`` or a given name for
    user rules); ``text`` is the rule as the user wrote it (a rule line or an English sentence),
    shown in proofs; ``source`` is ``file:line`` when known."""

    id: str
    head: tuple[Atom, ...]
    body: tuple[Atom, ...]
    text: str = ""
    source: str = ""
    meta: dict = field(default_factory=dict, compare=False, hash=False)

    def variables(self) -> set[Var]:
        out: set[Var] = set()
        for atom in self.head + self.body:
            out |= atom.variables()
        return out
