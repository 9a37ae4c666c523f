"""Prove a first-order conclusion from premises with z3: true / false / unknown / inconsistent.

Why z3 (``z3-solver``, MIT) over the E prover (GPL, a subprocess) and Prover9: it runs in-process
(no binary to find, no parsing of its output), it gives **unsat cores** (the premises a proof uses,
named by sentence) and **models** (the countermodel that explains an unknown) from one API, and its
model-based quantifier instantiation decides the small first-order theories people write (FOLIO,
LogicNLI) in milliseconds. Its proof objects are not readable, so the steps shown to people are
rebuilt here as a chain of ground facts, each of which z3 checks follows from the premises and
earlier steps it cites; the whole answer is re-checked by a second, independent solver on the
premises used alone.

The premises ⊢ conclusion and premises ⊢ ¬conclusion runs give the answer:

* premises have no model: **inconsistent** (the clashing premises named);
* premises ∧ ¬conclusion has no model: **true**; premises ∧ conclusion has none: **false**;
* both have models: **unknown**, explained by a countermodel (premises hold, conclusion fails);
* the solver gives up within the time limit: **unknown**, with a message saying so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Literal

import z3

from kgreason.core.formulas import (
    Constant,
    Formula,
    Not,
    Predicate,
    constants,
    negate,
    predicates,
)
from kgreason.proving.z3_terms import Signature, ground_atoms

Outcome = Literal["true", "false", "unknown", "inconsistent"]
DEFAULT_TIMEOUT_S = 10.0
#: ground facts tried as intermediate steps at most (atoms over the problem's names, both signs)
MAX_STEP_CANDIDATES = 400


@dataclass(frozen=True)
class Step:
    """One line of a proof: ``formula`` follows from the cited premises and earlier steps."""

    number: int
    formula: Formula
    premises: tuple[int, ...]  # 0-based indices of the premises cited
    steps: tuple[int, ...] = ()  # numbers of the earlier steps cited
    conclusion: bool = False  # the last line: the conclusion (or its negation, or a contradiction)


@dataclass(frozen=True)
class Countermodel:
    """A small world where every premise holds and the conclusion fails."""

    elements: tuple[str, ...]  # the things in the world: named ones by their constant
    facts: tuple[Formula, ...]  # what holds there: ground atoms and negated atoms


@dataclass
class FirstOrderAnswer:
    outcome: Outcome
    used: tuple[int, ...] = ()  # premises the proof needs (0-based)
    steps: list[Step] = field(default_factory=list)
    countermodel: Countermodel | None = None
    rechecked: bool = False  # a second solver, given only ``used``, agrees
    timed_out: bool = False
    seconds: float = 0.0
    message: str = ""


def _solver(sig: Signature, timeout_s: float) -> z3.Solver:
    s = z3.Solver(ctx=sig.ctx)
    s.set("timeout", max(1, int(timeout_s * 1000)))
    s.set("core.minimize", True)
    return s


def _tracked(sig: Signature, s: z3.Solver, formulas: list[z3.BoolRef], prefix: str) -> dict[str, int]:
    names: dict[str, int] = {}
    for i, f in enumerate(formulas):
        name = f"{prefix}{i}"
        s.assert_and_track(f, z3.Bool(name, sig.ctx))
        names[name] = i
    return names


def _core(sig, premises, extra, goal, timeout_s):
    """(result, premise indices, extra indices) of premises ∧ extra ∧ goal (goal: a z3 formula or
    None); the indices are the unsat core's when unsat."""
    s = _solver(sig, timeout_s)
    pn = _tracked(sig, s, premises, "p")
    en = _tracked(sig, s, extra, "s")
    if goal is not None:
        s.add(goal)
    result = s.check()
    if result != z3.unsat:
        return result, (), (), s
    core = [str(c) for c in s.unsat_core()]
    return result, tuple(sorted(pn[c] for c in core if c in pn)), tuple(sorted(en[c] for c in core if c in en)), s


def prove(premises: list[Formula], conclusion: Formula | None,
          timeout_s: float = DEFAULT_TIMEOUT_S) -> FirstOrderAnswer:
    """Decide ``conclusion`` from ``premises`` (None: only check that the premises are consistent)."""
    start = time.perf_counter()
    deadline = start + timeout_s

    def left() -> float:
        return max(0.05, deadline - time.perf_counter())

    sig = Signature()
    enc = [sig.encode(p) for p in premises]
    goal = sig.encode(conclusion) if conclusion is not None else None

    def done(answer: FirstOrderAnswer) -> FirstOrderAnswer:
        answer.seconds = time.perf_counter() - start
        return answer

    def gave_up() -> FirstOrderAnswer:
        return done(FirstOrderAnswer(
            "unknown", timed_out=True,
            message=f"the prover found no answer within {timeout_s:g} s; the answer is unknown"))

    result, used, _, _ = _core(sig, enc, [], None, left())
    if result == z3.unsat:
        answer = FirstOrderAnswer("inconsistent", used=used,
                                  message="the premises contradict each other")
        return done(_explain(answer, premises, None, timeout_s, left))
    if result == z3.unknown and time.perf_counter() >= deadline:
        return gave_up()
    if conclusion is None:
        return done(FirstOrderAnswer("unknown", message="the premises are consistent"))

    not_goal = z3.Not(goal)
    r_true, used_true, _, s_neg = _core(sig, enc, [], not_goal, left())
    if r_true == z3.unsat:
        answer = FirstOrderAnswer("true", used=used_true)
        return done(_explain(answer, premises, conclusion, timeout_s, left))
    r_false, used_false, _, _ = _core(sig, enc, [], goal, left())
    if r_false == z3.unsat:
        answer = FirstOrderAnswer("false", used=used_false)
        return done(_explain(answer, premises, negate(conclusion), timeout_s, left))
    if r_true == z3.sat and r_false == z3.sat:
        model = s_neg.model()
        return done(FirstOrderAnswer(
            "unknown", countermodel=_countermodel(sig, model, premises, conclusion),
            message="the premises hold in a world where the conclusion fails, and in one where it holds"))
    if time.perf_counter() >= deadline:
        return gave_up()
    return done(FirstOrderAnswer(
        "unknown", message="the prover could not decide the conclusion either way (no countermodel found)"))


def _explain(answer: FirstOrderAnswer, premises: list[Formula], target: Formula | None,
             timeout_s: float, left) -> FirstOrderAnswer:
    """Re-check on the premises used alone (a fresh solver and context) and build the steps."""
    used_premises = [premises[i] for i in answer.used]
    sig = Signature()
    enc = [sig.encode(p) for p in used_premises]
    goal = z3.Not(sig.encode(target)) if target is not None else None
    result, _, _, _ = _core(sig, enc, [], goal, left())
    answer.rechecked = result == z3.unsat
    if not answer.rechecked:
        answer.message = "the proof did not re-check on the premises it used; treat it with care"
        return answer
    answer.steps = _steps(sig, used_premises, list(answer.used), target, left)
    return answer


def _steps(sig: Signature, used: list[Formula], used_ids: list[int], target: Formula | None,
           left) -> list[Step]:
    """Ground facts in an order where each follows from premises and earlier facts, ending in the
    target (None: a contradiction). Each line is checked by z3 with only what it cites."""
    enc = [sig.encode(p) for p in used]
    names = sorted(set().union(*(constants(p) for p in used), constants(target) if target is not None else set()))
    preds: dict[str, int] = {}
    for p in used:
        preds.update(predicates(p))
    candidates: list[tuple[Formula, z3.BoolRef]] = []
    for atom, z in ground_atoms(sig, names)[: MAX_STEP_CANDIDATES // 2]:
        candidates += [(atom, z), (Not(atom), z3.Not(z))]
    stated = {str(p) for p in used}
    entailed: list[tuple[Formula, z3.BoolRef]] = []
    for formula, z in candidates:
        if str(formula) in stated or (target is not None and str(formula) == str(target)):
            continue
        if _core(sig, enc, [], z3.Not(z), min(1.0, left()))[0] == z3.unsat:
            entailed.append((formula, z))
    lines: list[tuple[Formula, tuple[int, ...], tuple[int, ...], bool]] = []
    established: list[z3.BoolRef] = []
    remaining = list(entailed)
    while remaining:
        best = None
        for k, (formula, z) in enumerate(remaining):
            r, ps, ss, _ = _core(sig, enc, established, z3.Not(z), min(1.0, left()))
            if r != z3.unsat:
                continue
            key = (len(ps) + len(ss), len(ps))
            if best is None or key < best[0]:
                best = (key, k, ps, ss)
        if best is None:
            break
        _, k, ps, ss = best
        formula, z = remaining.pop(k)
        lines.append((formula, ps, ss, False))
        established.append(z)
    goal = z3.Not(sig.encode(target)) if target is not None else None
    r, ps, ss, _ = _core(sig, enc, established, goal, min(2.0, left()))
    if r != z3.unsat:  # cannot happen after the re-check, but never print an unchecked line
        ps, ss = tuple(range(len(used))), ()
    final = target if target is not None else Predicate("⊥", ())
    lines.append((final, ps, ss, True))
    # keep only the lines the last one needs, renumbered from 1
    needed: set[int] = set()
    todo = [len(lines) - 1]
    while todo:
        i = todo.pop()
        if i in needed:
            continue
        needed.add(i)
        todo.extend(lines[i][2])
    order = sorted(needed)
    number = {old: new + 1 for new, old in enumerate(order)}
    return [Step(number[i], lines[i][0], tuple(used_ids[p] for p in lines[i][1]),
                 tuple(number[s] for s in lines[i][2]), lines[i][3]) for i in order]


def _countermodel(sig: Signature, model: z3.ModelRef, premises: list[Formula],
                  conclusion: Formula) -> Countermodel:
    names = sorted(set().union(*(constants(p) for p in premises), constants(conclusion)))
    universe = model.get_universe(sig.thing) or []
    label: dict[str, str] = {}
    for name in names:
        value = model.eval(sig.constant(name), model_completion=True)
        label.setdefault(str(value), name)
    elements = list(dict.fromkeys(label.values()))
    extra = 0
    for value in universe:
        if str(value) not in label:
            extra += 1
            label[str(value)] = f"thing{extra}"
            elements.append(label[str(value)])
    by_value = {str(v): v for v in universe}
    for name in names:
        by_value.setdefault(str(model.eval(sig.constant(name), model_completion=True)),
                            model.eval(sig.constant(name), model_completion=True))
    facts: list[Formula] = []
    for (pred, arity), fn in sorted(sig.functions.items()):
        keys = list(label)
        if arity == 1:
            tuples = [(k,) for k in keys]
        elif arity == 2 and len(keys) <= 8:
            tuples = [(a, b) for a in keys for b in keys]
        else:
            continue
        for tup in tuples:
            value = model.eval(fn(*(by_value[k] for k in tup)), model_completion=True)
            atom = Predicate(pred, tuple(Constant(label[k]) for k in tup))
            if z3.is_true(value):
                facts.append(atom)
            elif all(label[k] in names for k in tup):
                facts.append(Not(atom))
    for pred, arity in sorted({k for p in premises for k in predicates(p).items()} | set(predicates(conclusion).items())):
        if arity == 0:
            value = model.eval(z3.Bool(f"p:{pred}", sig.ctx), model_completion=True)
            facts.append(Predicate(pred, ()) if z3.is_true(value) else Not(Predicate(pred, ())))
    return Countermodel(tuple(elements), tuple(facts))
