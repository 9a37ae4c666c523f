"""Formulas (``kgreason.core.formulas``) as z3 expressions over one uninterpreted sort of things.

Every predicate name of arity n is a function Thingⁿ → Bool, every constant a Thing. No unique
names are assumed: two constants may name the same thing unless the premises say otherwise (the
reading of English in FOLIO, Prover9 and Logic-LM works the same way).
"""

from __future__ import annotations

import z3

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


class Signature:
    """The z3 symbols of one problem: one sort, a function per predicate, a constant per name."""

    def __init__(self, ctx: z3.Context | None = None):
        self.ctx = ctx or z3.Context()
        self.thing = z3.DeclareSort("Thing", self.ctx)
        self.functions: dict[tuple[str, int], z3.FuncDeclRef] = {}
        self.constants: dict[str, z3.ExprRef] = {}

    def function(self, name: str, arity: int) -> z3.FuncDeclRef:
        key = (name, arity)
        if key not in self.functions:
            self.functions[key] = z3.Function(f"{name}/{arity}", *([self.thing] * arity), z3.BoolSort(self.ctx))
        return self.functions[key]

    def constant(self, name: str) -> z3.ExprRef:
        if name not in self.constants:
            self.constants[name] = z3.Const(f"c:{name}", self.thing)
        return self.constants[name]

    def term(self, t: Term, env: dict[str, z3.ExprRef]) -> z3.ExprRef:
        if isinstance(t, Variable):
            if t.name not in env:  # a free variable reads as a constant of that name
                return self.constant(t.name)
            return env[t.name]
        return self.constant(t.name)

    def encode(self, f: Formula, env: dict[str, z3.ExprRef] | None = None) -> z3.BoolRef:
        env = env or {}
        ctx = self.ctx
        if isinstance(f, Predicate):
            if not f.args:
                return z3.Bool(f"p:{f.name}", ctx)
            return self.function(f.name, len(f.args))(*(self.term(a, env) for a in f.args))
        if isinstance(f, Equals):
            return self.term(f.left, env) == self.term(f.right, env)
        if isinstance(f, Not):
            return z3.Not(self.encode(f.body, env), ctx)
        if isinstance(f, And):
            return z3.And(*(self.encode(p, env) for p in f.parts))
        if isinstance(f, Or):
            return z3.Or(*(self.encode(p, env) for p in f.parts))
        if isinstance(f, Xor):
            return z3.Xor(self.encode(f.left, env), self.encode(f.right, env), ctx)
        if isinstance(f, Implies):
            return z3.Implies(self.encode(f.left, env), self.encode(f.right, env), ctx)
        if isinstance(f, Iff):
            return self.encode(f.left, env) == self.encode(f.right, env)
        if isinstance(f, (ForAll, Exists)):
            v = z3.Const(f"v:{f.var.name}:{len(env)}", self.thing)
            body = self.encode(f.body, {**env, f.var.name: v})
            return z3.ForAll([v], body) if isinstance(f, ForAll) else z3.Exists([v], body)
        raise TypeError(f"not a formula: {f!r}")


def ground_atoms(sig: Signature, names: list[str]) -> list[tuple[Predicate, z3.BoolRef]]:
    """Every atom of the signature over the named constants (for steps and countermodels)."""
    out: list[tuple[Predicate, z3.BoolRef]] = []
    for (name, arity), fn in sorted(sig.functions.items()):
        if arity == 1:
            for c in names:
                out.append((Predicate(name, (Constant(c),)), fn(sig.constant(c))))
        elif arity == 2:
            for a in names:
                for b in names:
                    out.append((Predicate(name, (Constant(a), Constant(b))), fn(sig.constant(a), sig.constant(b))))
    return out
