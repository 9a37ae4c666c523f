"""First-order formulas: the data a first-order theory is read into and proved over.

Plain immutable values, like the rest of ``core``: constants and variables, n-ary predicates,
equality, the connectives (not, and, or, exclusive or, implies, if and only if) and the two
quantifiers. ``str()`` writes the notation FOLIO uses (``∀x (Drinks(x) → Dependent(x))``, ``⊕`` for
exclusive or), which :mod:`kgreason.language.fol_notation` reads back; English comes from
:mod:`kgreason.language.verbalize_formulas`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Variable:
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Constant:
    name: str

    def __str__(self) -> str:
        return self.name


Term = Union[Variable, Constant]


@dataclass(frozen=True)
class Predicate:
    """``name(args…)``: a property (one argument) or a relation (two or more)."""

    name: str
    args: tuple[Term, ...]

    def __str__(self) -> str:
        return f"{self.name}({', '.join(map(str, self.args))})"


@dataclass(frozen=True)
class Equals:
    left: Term
    right: Term

    def __str__(self) -> str:
        return f"{self.left} = {self.right}"


@dataclass(frozen=True)
class Not:
    body: Formula

    def __str__(self) -> str:
        if isinstance(self.body, Equals):
            return f"{self.body.left} ≠ {self.body.right}"
        return f"¬{_wrap(self.body)}"


@dataclass(frozen=True)
class And:
    parts: tuple[Formula, ...]

    def __str__(self) -> str:
        return " ∧ ".join(_wrap(p) for p in self.parts)


@dataclass(frozen=True)
class Or:
    parts: tuple[Formula, ...]

    def __str__(self) -> str:
        return " ∨ ".join(_wrap(p) for p in self.parts)


@dataclass(frozen=True)
class _Binary:
    left: Formula
    right: Formula
    SYMBOL = ""

    def __str__(self) -> str:
        return f"{_wrap(self.left)} {self.SYMBOL} {_wrap(self.right)}"


class Xor(_Binary):
    """Exclusive or: exactly one of the two holds."""

    SYMBOL = "⊕"


class Implies(_Binary):
    SYMBOL = "→"


class Iff(_Binary):
    SYMBOL = "↔"


@dataclass(frozen=True)
class ForAll:
    var: Variable
    body: Formula

    def __str__(self) -> str:
        return f"∀{self.var} {_wrap(self.body, quantified=True)}"


@dataclass(frozen=True)
class Exists:
    var: Variable
    body: Formula

    def __str__(self) -> str:
        return f"∃{self.var} {_wrap(self.body, quantified=True)}"


Formula = Union[Predicate, Equals, Not, And, Or, Xor, Implies, Iff, ForAll, Exists]
_ATOMIC = (Predicate, Equals)


def _wrap(f: Formula, quantified: bool = False) -> str:
    if isinstance(f, _ATOMIC) or isinstance(f, (Not, ForAll, Exists)):
        return str(f) if not (quantified and isinstance(f, Equals)) else f"({f})"
    return f"({f})"


def conj(parts: list[Formula]) -> Formula:
    """The conjunction of ``parts`` (one part: itself)."""
    flat: list[Formula] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, And) else (p,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def disj(parts: list[Formula]) -> Formula:
    flat: list[Formula] = []
    for p in parts:
        flat.extend(p.parts if isinstance(p, Or) else (p,))
    return flat[0] if len(flat) == 1 else Or(tuple(flat))


def negate(f: Formula) -> Formula:
    """¬f, without a double negation."""
    return f.body if isinstance(f, Not) else Not(f)


def subformulas(f: Formula) -> Iterator[Formula]:
    yield f
    if isinstance(f, Not):
        yield from subformulas(f.body)
    elif isinstance(f, (And, Or)):
        for p in f.parts:
            yield from subformulas(p)
    elif isinstance(f, (Xor, Implies, Iff)):
        yield from subformulas(f.left)
        yield from subformulas(f.right)
    elif isinstance(f, (ForAll, Exists)):
        yield from subformulas(f.body)


def predicates(f: Formula) -> dict[str, int]:
    """Every predicate name with its arity."""
    return {p.name: len(p.args) for p in subformulas(f) if isinstance(p, Predicate)}


def constants(f: Formula) -> set[str]:
    out: set[str] = set()
    for p in subformulas(f):
        args = p.args if isinstance(p, Predicate) else (p.left, p.right) if isinstance(p, Equals) else ()
        out |= {a.name for a in args if isinstance(a, Constant)}
    return out
