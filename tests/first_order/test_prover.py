"""z3 on first-order premises: the four answers, the premises used, re-checked steps, countermodels."""

from __future__ import annotations

import pytest

from kgreason.core.formulas import Constant, Not, Predicate
from kgreason.errors import InputError
from kgreason.language.fol_notation import parse_formula
from kgreason.proving import prove

COFFEE = [
    "∀x (Drinks(x) → Dependent(x))",
    "∀x (Drinks(x) ⊕ Jokes(x))",
    "∀x (Jokes(x) → ¬Unaware(x))",
    "(Student(rina) ∧ Unaware(rina)) ⊕ ¬(Student(rina) ∨ Unaware(rina))",
    "¬(Dependent(rina) ∧ Student(rina)) → (Dependent(rina) ∧ Student(rina)) ⊕ ¬(Dependent(rina) ∨ Student(rina))",
]


def _premises(texts):
    return [parse_formula(t) for t in texts]


def test_notation_round_trips_through_str():
    for text in COFFEE:
        f = parse_formula(text)
        assert parse_formula(str(f)) == f


def test_a_bad_formula_says_where():
    with pytest.raises(InputError, match="unexpected"):
        parse_formula("∀x (P(x) → Q(x)))")


def test_true_with_the_premises_used_and_rechecked():
    answer = prove(_premises(COFFEE), parse_formula("Jokes(rina) ⊕ Unaware(rina)"))
    assert answer.outcome == "true"
    assert answer.rechecked
    assert set(answer.used) <= set(range(5)) and answer.used
    assert answer.steps[-1].conclusion


def test_a_chain_is_shown_step_by_step():
    premises = _premises(["∀x (Cat(x) → Mammal(x))", "∀x (Mammal(x) → Animal(x))", "Cat(tom)", "Dog(rex)"])
    answer = prove(premises, parse_formula("Animal(tom)"))
    assert answer.outcome == "true"
    assert answer.used == (0, 1, 2)  # the dog is not used
    assert [str(s.formula) for s in answer.steps] == ["Mammal(tom)", "Animal(tom)"]
    assert answer.steps[1].steps == (1,)  # the conclusion cites the step before it


def test_false_is_proved_from_the_negation():
    premises = _premises(["∀x (Fish(x) → ¬Plant(x))", "Fish(nemo)"])
    answer = prove(premises, parse_formula("Plant(nemo)"))
    assert answer.outcome == "false" and answer.rechecked
    assert str(answer.steps[-1].formula) == "¬Plant(nemo)"


def test_unknown_comes_with_a_countermodel_where_the_conclusion_fails():
    answer = prove(_premises(COFFEE), parse_formula("Student(rina)"))
    assert answer.outcome == "unknown"
    world = answer.countermodel
    assert world is not None and "rina" in world.elements
    assert Not(Predicate("Student", (Constant("rina"),))) in world.facts


def test_inconsistent_premises_are_their_own_answer():
    answer = prove(_premises(["P(a)", "∀x (P(x) → Q(x))", "¬Q(a)", "R(b)"]), parse_formula("R(c)"))
    assert answer.outcome == "inconsistent"
    assert answer.used == (0, 1, 2)


def test_existentials_are_not_universals():
    premises = _premises(["∃x (Defender(x) ∧ Centerback(x))", "Defender(sam)"])
    assert prove(premises, parse_formula("Centerback(sam)")).outcome == "unknown"
    assert prove(premises, parse_formula("∃x Centerback(x)")).outcome == "true"
