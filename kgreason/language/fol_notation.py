"""Read first-order formulas written in the usual notation (FOLIO's annotations, Logic-LM's
programs, people typing): ``∀x (Drinks(x) → Dependent(x))``, ``¬``, ``∧``, ``∨``, ``⊕`` (exclusive
or), ``→``, ``↔``, ``∃``, ``=`` / ``≠``. ASCII spellings are accepted too (``forall``, ``exists``,
``~`` / ``-`` / ``not``, ``&``, ``|``, ``^`` / ``xor``, ``->``, ``<->``).

Precedence, tightest first: ¬, ∧, ∨ / ⊕, →, ↔ (→ and ↔ group to the right); a quantifier takes
everything to its right. A name bound by a quantifier is a variable; every other argument is a
constant. Errors say where the formula stops making sense.
"""

from __future__ import annotations

import re

from kgreason.core.formulas import (
    And,
    Constant,
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
from kgreason.errors import InputError

_SYMBOLS = {
    "∀": "forall", "∃": "exists", "¬": "not", "~": "not", "∧": "and", "&": "and", "∨": "or",
    "|": "or", "⊕": "xor", "^": "xor", "→": "implies", "->": "implies", "⟶": "implies",
    "↔": "iff", "<->": "iff", "⟷": "iff", "=": "eq", "≠": "neq", "!=": "neq", "(": "(", ")": ")",
    ",": ",",
}
_WORDS = {"forall": "forall", "exists": "exists", "not": "not", "and": "and", "or": "or",
          "xor": "xor", "implies": "implies", "iff": "iff"}
_TOKEN = re.compile(r"\s*(<->|->|!=|[∀∃¬~∧&∨|⊕^→⟶↔⟷=≠(),]|[A-Za-z_\d][\w'.+-]*[\w+]|[A-Za-z_\d])")


def _tokens(text: str) -> list[str]:
    out: list[str] = []
    pos = 0
    text = text.strip().removesuffix(".")
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            if text[pos:].strip() == "":
                break
            raise InputError(f"cannot read {text[pos:pos + 12]!r} in the formula {text!r}",
                             hint="write formulas like ∀x (Drinks(x) → Dependent(x))")
        out.append(m.group(1))
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str):
        self.text = text
        self.toks = _tokens(text)
        self.i = 0
        self.bound: list[str] = []

    def peek(self) -> str | None:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def kind(self, tok: str | None) -> str | None:
        if tok is None:
            return None
        return _SYMBOLS.get(tok) or _WORDS.get(tok.lower() if tok.lower() in _WORDS and not tok[0].isupper() else "")

    def take(self) -> str:
        tok = self.peek()
        if tok is None:
            self.fail("the formula ends too early")
        self.i += 1
        return tok

    def fail(self, why: str):
        raise InputError(f"{why} in the formula {self.text!r} (at token {self.i + 1})",
                         hint="write formulas like ∀x (Drinks(x) → Dependent(x))")

    def expect(self, kind: str) -> None:
        if self.kind(self.peek()) != kind:
            self.fail(f"expected {kind!r}, found {self.peek()!r}")
        self.i += 1

    def parse(self) -> Formula:
        f = self.iff()
        if self.peek() is not None:
            self.fail(f"unexpected {self.peek()!r}")
        return f

    def iff(self) -> Formula:
        left = self.implies()
        if self.kind(self.peek()) == "iff":
            self.i += 1
            return Iff(left, self.iff())
        return left

    def implies(self) -> Formula:
        left = self.disjunction()
        if self.kind(self.peek()) == "implies":
            self.i += 1
            return Implies(left, self.implies())
        return left

    def disjunction(self) -> Formula:
        left = self.conjunction()
        while self.kind(self.peek()) in ("or", "xor"):
            op = self.kind(self.take())
            right = self.conjunction()
            if op == "xor":
                left = Xor(left, right)
            else:
                left = Or((*left.parts, right)) if isinstance(left, Or) else Or((left, right))
        return left

    def conjunction(self) -> Formula:
        parts = [self.unary()]
        while self.kind(self.peek()) == "and":
            self.i += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Formula:
        tok = self.peek()
        kind = self.kind(tok)
        if kind == "not":
            self.i += 1
            return Not(self.unary())
        if kind in ("forall", "exists"):
            self.i += 1
            names = []
            tok = self.peek()
            if tok is not None and self.kind(tok) is None and re.fullmatch(r"[A-Za-z_]\w*", tok):
                names.append(self.take())
                while (t := self.peek()) is not None and re.fullmatch(r"[a-z]\d*", t) and self.kind(t) is None:
                    names.append(self.take())  # ∀x y (…)
            if not names:
                self.fail("a quantifier needs a variable")
            self.bound.extend(names)
            body = self.iff()
            del self.bound[-len(names):]
            for name in reversed(names):
                body = ForAll(Variable(name), body) if kind == "forall" else Exists(Variable(name), body)
            return body
        if kind == "(":
            self.i += 1
            f = self.iff()
            self.expect(")")
            return f
        if tok is None or kind is not None:
            self.fail(f"expected a predicate, found {tok!r}")
        name = self.take()
        if self.kind(self.peek()) == "(":
            self.i += 1
            args: list[Term] = []
            if self.kind(self.peek()) != ")":
                args.append(self.term())
                while self.kind(self.peek()) == ",":
                    self.i += 1
                    args.append(self.term())
            self.expect(")")
            atom: Formula = Predicate(name, tuple(args))
        else:  # a term on the left of = / ≠, or a proposition without arguments
            if self.kind(self.peek()) in ("eq", "neq"):
                left = self._term_named(name)
                op = self.kind(self.take())
                eq = Equals(left, self.term())
                return eq if op == "eq" else Not(eq)
            atom = Predicate(name, ())
        return atom

    def _term_named(self, name: str) -> Term:
        return Variable(name) if name in self.bound else Constant(name)

    def term(self) -> Term:
        tok = self.take()
        if self.kind(tok) is not None:
            self.fail(f"expected a name, found {tok!r}")
        words = [tok]  # a name of several words ("captain america") is one constant
        while (t := self.peek()) is not None and self.kind(t) is None:
            words.append(self.take())
        return self._term_named("_".join(words))


def parse_formula(text: str) -> Formula:
    """One formula from its notation (raises :class:`InputError` with where it went wrong)."""
    if not text or not text.strip():
        raise InputError("the formula is empty", hint="write formulas like ∀x (Drinks(x) → Dependent(x))")
    return _Parser(text).parse()
