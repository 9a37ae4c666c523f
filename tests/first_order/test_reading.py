"""First-order English read into formulas, one vocabulary per problem, and answered with proofs."""

from __future__ import annotations

from kgreason.language.first_order_reading import read_first_order
from kgreason.language.verbalize_formulas import Verbalizer
from kgreason.pipeline.first_order import answer_first_order, needs_prover


def _read(*sentences):
    reading = read_first_order(list(sentences), None)
    return [str(f) if f is not None else None for f in reading.premises]


def test_quantifiers():
    assert _read("All people who regularly drink coffee are dependent on caffeine.",
                 "No soccer players are professional basketball players.",
                 "Some managers work remotely.",
                 "Some dogs are not friendly.",
                 "Only students can vote.",
                 "There is a dog that barks.") == [
        "∀x (regularly_drink_coffee(x) → dependent_on_caffeine(x))",
        "∀x (soccer_player(x) → ¬professional_basketball_player(x))",
        "∃x (manager(x) ∧ work_remotely(x))",
        "∃x (dog(x) ∧ ¬friendly(x))",  # not "no dog is friendly"
        "∀x (can_vote(x) → student(x))",
        "∃x (dog(x) ∧ bark(x))",
    ]


def test_connectives():
    assert _read("Rina is either a student or a teacher.",
                 "Rina is a student or a teacher, or both.",
                 "Rina is neither a student nor a teacher.",
                 "Tom is happy unless Tom is tired.",
                 "If someone is kind, then they are quiet.",
                 "Tom is happy if and only if Tom is rich.") == [
        "student(rina) ⊕ teacher(rina)",
        "student(rina) ∨ teacher(rina)",
        "¬student(rina) ∧ ¬teacher(rina)",
        "¬tire(tom) → happy(tom)",
        "∀x (kind(x) → quiet(x))",
        "happy(tom) ↔ rich(tom)",
    ]


def test_one_vocabulary_across_forms():
    reading = read_first_order(["People who drink coffee are awake.", "Rina drinks coffee."],
                               "Rina is a person who drinks coffee.")
    assert str(reading.premises[1]) == "drink_coffee(rina)"
    assert str(reading.conclusion) == "drink_coffee(rina)"


def test_what_is_not_read_is_said_not_guessed():
    reading = read_first_order(["Stephen Curry is not a centerback and a defender."], "Tom runs.")
    assert reading.premises == [None]
    assert "two ways" in reading.unread[0][2]


def test_proportional_quantifiers_and_negated_names_are_refused_not_misread():
    sentences = ["Most dogs are loud.", "A few cats purr.", "Several students passed.", "Few dogs bark.",
                 "The majority of cats purr.", "If most people agree, then the law passes.",
                 "Not Rex and Max are loud."]
    reading = read_first_order(sentences, None)
    assert reading.premises == [None] * len(sentences)  # never "every dog", never a name "not_rex"
    why = [w for _, _, w in reading.unread]
    assert all("quantifier first-order logic cannot say" in w for w in why[:6])
    assert why[6] == "'Not' would become part of the name 'Not Rex'"
    # a superlative is not a quantifier; "not all" is the negation of "all"
    assert _read("Rex is the most popular dog.", "Not all dogs are loud.") == [
        "most_popular_dog(rex)", "¬∀x (dog(x) → loud(x))"]


def test_english_back_from_formulas():
    reading = read_first_order(["All singers are musicians.", "Nothing preceded by data processing acquires data."], None)
    say = Verbalizer(reading.phrases)
    assert say.sentence(reading.premises[0]) == "Everything that is a singer is a musician."
    assert say.sentence(reading.premises[1]) == \
        "Everything that is preceded by data processing does not acquire data."


def test_answers_with_numbered_steps_naming_premises():
    premises = ["All employees who work remotely have a laptop.", "Some managers work remotely.",
                "Every manager is an employee.", "Ann is a manager.", "Ann works remotely."]
    result = answer_first_order(premises, "Ann has a laptop.")
    assert result.answer == "true" and result.label == "entailment"
    assert result.proof.rechecked
    assert result.steps[-1].startswith(f"{len(result.steps)}. Ann has a laptop.")
    assert "premise" in result.steps[0]
    assert 1 not in result.proof.used  # premise 2, "Some managers work remotely", is not needed


def test_unknown_is_explained_by_a_world():
    result = answer_first_order(["Some managers work remotely.", "Ann is a manager."], "Ann works remotely.")
    assert result.answer == "unknown"
    assert any(line.startswith("Ann ") and "does not work remotely" in line for line in result.countermodel)


def test_an_unread_premise_never_makes_a_wrong_answer():
    result = answer_first_order(["Ann is a manager.", "Stephen Curry is not a centerback and a defender."],
                                "Ann is a manager.")
    assert result.answer == "true"
    assert result.to_json()["not_understood"][0]["premise"] == 2


def test_horn_theories_stay_on_the_reasoner():
    horn = read_first_order(["All cats are mammals.", "Tom is a cat.", "Tom is not a dog."], "Tom is a mammal.")
    assert not any(needs_prover(f) for f in [*horn.premises, horn.conclusion])
    fo = read_first_order(["Tom is either a cat or a dog."], None)
    assert needs_prover(fo.premises[0])


def test_cli_answers_with_steps_and_json(tmp_path):
    import json

    from typer.testing import CliRunner

    from kgreason.cli import app

    theory = tmp_path / "remote.txt"
    theory.write_text("Every employee who works remotely has a laptop.\nEvery manager is an employee.\n"
                      "Ann is a manager.\nAnn works remotely.\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["first-order", str(theory), "Ann has a laptop.", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["answer"] == "true" and data["rechecked"]
    assert data["proof"][-1].startswith("2. Ann has a laptop.")
    missing = CliRunner().invoke(app, ["first-order", str(tmp_path / "none.txt"), "Ann has a laptop."])
    assert missing.exit_code == 2 and "not found" in missing.output


def test_a_statement_no_premise_speaks_of_says_so():
    result = answer_first_order(["Ann is a manager."], "Ann is a pilot.")
    assert result.answer == "unknown"
    assert "pilot" in result.message.split("no premise speaks of:")[1]
    assert "no premise speaks of" not in answer_first_order(["Ann is a manager."], "Ann is not a manager.").message
