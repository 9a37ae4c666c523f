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


def test_a_coordinated_object_shares_its_verb():
    assert _read("Rina eats hamburgers and steaks.",
                 "Rina goes to Paris or London.",
                 "Rina makes cookies, scrambled eggs, and muffins.",
                 "Rina is a person who drinks coffee and tea.",
                 "Rina is made of wood or metal.",
                 "Rina drinks coffee and eats cake.",
                 "Rina works in Paris and lives in London.") == [
        "eat_hamburger(rina) ∧ eat_steak(rina)",  # never "steak(rina)"
        "go_to_paris(rina) ∨ go_to_london(rina)",
        "make_cookie(rina) ∧ make_scramble_egg(rina) ∧ make_muffin(rina)",
        "drink_coffee(rina) ∧ drink_tea(rina)",
        "made_of_wood(rina) ∨ made_of_metal(rina)",
        "drink_coffee(rina) ∧ eat_cake(rina)",
        "work_in_paris(rina) ∧ live_in_london(rina)",  # "lives" is the verb "live", not "life"
    ]


def test_a_coordination_inside_one_object_or_adverbial_stays_one_predicate():
    assert _read("Rina reads the Times and other papers regularly.", "Rina limps often and regularly.",
                 "Rina runs quickly and quietly.") == [
        "read_times_and_other_paper_regularly(rina)", "limp_often_and_regularly(rina)", "run_quickly_and_quietly(rina)"]


def test_coordinations_english_leaves_open_are_refused():
    sentences = ["Rina likes cats and dogs.",  # "dogs" could be a verb
                 "Rina is possible with money and a strong car.",  # said of Rina, or of the money?
                 "Rina is happy and Tom is sad."]  # a second clause is no predicate of Rina
    reading = read_first_order(sentences, None)
    assert reading.premises == [None] * len(sentences)


def test_every_time_adverbial_is_no_quantifier():
    assert _read("Rina goes to cinemas every week.", "Rina does not go to cinemas every week.",
                 "Every student goes to class every day.", "Rina eats cereal and milk every day.") == [
        "go_to_cinema_every_week(rina)", "¬go_to_cinema_every_week(rina)",
        "∀x (student(x) → go_to_class_every_day(x))", "eat_cereal_and_milk_every_day(rina)"]
    # a quantifier over things, or "every time" with a clause after it, is still refused
    assert _read("Rina likes every dog.", "Rina sings every time she goes out.") == [None, None]


def test_generic_plural_subjects():
    assert _read("Animals that can walk travel on land.",
                 "People eat meat or are vegans.",
                 "People either order books or are happy.",
                 "People born in Ohio are happy.") == [
        "∀x ((animal(x) ∧ can_walk(x)) → travel_on_land(x))",
        "∀x (eat_meat(x) ∨ vegan(x))",
        "∀x (order_book(x) ⊕ happy(x))",
        "∀x (born_in_ohio(x) → happy(x))",
    ]


def test_bare_singular_subjects_and_odd_names_are_constants():
    assert _read("Sea eel is an eel.", "If bladder cancer is mild, then bladder cancer is rare.",
                 "2Sum is a problem.", "iPod1 is easy to operate.") == [
        "eel(sea_eel)", "mild(bladder_cancer) → rare(bladder_cancer)", "problem(2sum)", "easy_to_operate(ipod1)"]
    # numbers, articles, pronouns, single letters and clauses are no names
    assert _read("If two soccer teams win, they dance.", "Writing a novel is fun.",
                 "If place A is near place B, then place B is near place A.",
                 "Once the police arrive, they leave.") == [None] * 4


def test_generic_you_in_a_conditional():
    assert _read("If you are late, you are sad.", "You are late.") == ["∀x (late(x) → sad(x))", None]


def test_a_kind_is_said_with_its_article():
    reading = read_first_order(["There is an animal.", "Rex is an animal.", "Rex is happy."], None)
    say = Verbalizer(reading.phrases)
    assert [say.sentence(f) for f in reading.premises] == [
        "Something is an animal.", "Rex is an animal.", "Rex is happy."]


def _why(sentence):
    reading = read_first_order([sentence], None)
    assert reading.premises == [None], reading.premises
    return reading.unread[0][2]


def test_a_pronoun_refers_to_the_generic_subject_of_its_sentence():
    assert _read("Either a bird can fly or it can swim.",
                 "Neither a fish sings nor it dances.",
                 "Either Tom sleeps or he eats.",
                 "If a person is tired, they sleep.",
                 "If a painter is not famous, that painter does not sell paintings.",
                 "Tom dreams if he sleeps.") == [
        "∀x (bird(x) → (can_fly(x) ⊕ can_swim(x)))",
        "∀x (fish(x) → (¬sing(x) ∧ ¬dance(x)))",
        "sleep(tom) ⊕ eat(tom)",
        "∀x (tire(x) → sleep(x))",
        "∀x ((painter(x) ∧ ¬famous(x)) → ¬sell_painting(x))",
        "sleep(tom) → dream(tom)",
    ]
    assert _read("Maya sings if and only if she is happy.") == ["sing(maya) ↔ happy(maya)"]
    # a pronoun after a quantified clause has nothing to refer to; "the N" for another noun
    # is not the bound one
    assert "refers to nothing" in _why("Either some cat loves Tom or he sleeps.")
    assert "refers to nothing" in _why("All cats purr if they are happy.")


def test_has_no_has_not_and_any_under_negation():
    assert _read("Tom has a pet.",
                 "Tom has no pets.",
                 "Tom does not have any pets.",
                 "Tom has invested in gold.",
                 "Tom has not invested in gold.",
                 "Tom hasn't invested in gold.",
                 "Tom does not choose any plans.",
                 "Tom cannot find any keys.",
                 "There are no clients who do not choose any plans.") == [
        "have_pet(tom)",
        "¬have_pet(tom)",
        "¬have_pet(tom)",
        "have_invest_in_gold(tom)",
        "¬have_invest_in_gold(tom)",
        "¬have_invest_in_gold(tom)",
        "¬choose_plan(tom)",
        "¬can_find_key(tom)",
        "¬∃x (client(x) ∧ ¬choose_plan(x))",
    ]
    # look-alikes: "any" with no negation, "any more", "any of", "has no A and B" (neither / not both)
    assert "logical word" in _why("Tom chooses any plans.")
    assert "logical word" in _why("Tom does not work any more.")
    assert "logical word" in _why("Tom does not own any of the cars.")
    assert "two ways" in _why("Tom has no cats and dogs.")


def test_when_and_whenever_are_conditionals():
    assert _read("When a dog barks, it is loud.",
                 "Whenever Tom sleeps, he dreams.",
                 "Tom dreams whenever he sleeps.") == [
        "∀x ((dog(x) ∧ bark(x)) → loud(x))",
        "sleep(tom) → dream(tom)",
        "sleep(tom) → dream(tom)",
    ]
    # "when" in the past tense is one time, not a condition
    assert "past tense" in _why("When Tom was young, he lived in Paris.")


def test_a_regular_past_tense_is_the_main_verb_when_no_verb_follows():
    assert _read("A song appeared in a film.",
                 "No lawyer ever sat in the senate.",
                 "No chef specialized in desserts.") == [
        "∃x (song(x) ∧ appear_in_film(x))",
        "∀x (lawyer(x) → ¬sit_in_senate(x))",
        "∀x (chef(x) → ¬specialize_in_dessert(x))",
    ]
    # a bare plural with a past tense: some or all? refused, not read as a rule
    assert "some or all" in _why("Dogs barked in the park.")
    assert _read("Old dogs did not bark.") == ["∀x (old_dog(x) → ¬bark(x))"]  # none did
    # a capitalized "May" mid-sentence is a name, not the modal "may"; two past forms that
    # could each be the main verb ("enrolled", "graduated") are refused
    assert "cannot find the verb" in _why("Students enrolled in Math graduated in May.")
