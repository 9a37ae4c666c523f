"""Questions in other words: paraphrases of one question get one reading and one answer (shipped
commonsense graph, the geography test graph in Turtle and in English, the rain theory); irregular
plurals; "raw chicken" is the graph's chicken meat; mass nouns stay singular when said back."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDFS

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import MASS_NOUN
from kgreason.language.morphology import plural, singular
from kgreason.language.verbalize import is_mass_noun, verbalize
from kgreason.reasoning import check_proof

DATA = Path(__file__).parent.parent / "data"


def _same(pipe, questions: list[str], answer: str, statement: str) -> None:
    for q in questions:
        got = pipe.ask(q)
        assert (got.answer, got.statement) == (answer, statement), q
        if got.decision.proof is not None:
            assert check_proof(got.decision.proof, pipe.reasoner) == [], q


@pytest.mark.parametrize("questions, answer, statement", [
    (["Can penguins fly?", "Can a penguin fly?", "Are penguins able to fly?",
      "Is a penguin able to fly?", "Is it possible for a penguin to fly?"], "no", "Penguin can fly."),
    (["Can you eat raw chicken?", "Is it safe to eat raw chicken?", "Can one eat raw chicken?",
      "Can chicken meat be eaten raw?"], "no", "Chicken meat can be eaten raw."),
    (["Can people talk?", "Can a person talk?", "Is it possible for people to talk?"],
     "yes", "Person can talk."),
    (["Is glass transparent?", "Is glass see-through?"], "yes", "Glass is transparent."),
    (["Can you eat apples raw?", "Can apples be eaten raw?", "Can you eat raw apples?"],
     "yes", "Apple can be eaten raw."),
])
def test_commonsense_paraphrases(commonsense, questions, answer, statement):
    _same(commonsense, questions, answer, statement)


def test_raw_chicken_is_the_meat_not_the_bird(commonsense):
    for q in ("Can you eat raw chicken?", "Is it safe to eat raw chicken?"):
        got = commonsense.ask(q)
        assert got.triple == ["cs:ChickenMeat", "cs:canBe", "cs:EatenRaw"], q
        assert "Edible" not in got.statement and "kind of" not in got.statement
    # the bird is still the bird
    assert commonsense.ask("Is a chicken a bird?").answer == "yes"


@pytest.fixture(scope="module", params=["geography.ttl", "geography.txt"])
def geography(request, make_table_pipeline):
    return make_table_pipeline(str(DATA / request.param))


@pytest.mark.parametrize("questions, answer", [
    (["Is Paris in France?", "Is Paris located in France?", "Is it true that Paris is in France?"], "yes"),
    (["Is the Louvre in Europe?", "Is it true that the Louvre is in Europe?"], "yes"),
    (["Is Paris a country?", "Is it true that Paris is a country?"], "no"),
    (["Is a capital a country?", "Are capitals countries?"], "no"),  # capitals are cities, cities not countries
    (["Is Greenland a country?", "Is it true that Greenland is a country?"], "no"),
    (["Is a city a place?", "Are cities places?"], "yes"),
])
def test_geography_paraphrases(geography, questions, answer):
    answers = {q: geography.ask(q) for q in questions}
    assert {a.answer for a in answers.values()} == {answer}, {q: a.answer for q, a in answers.items()}
    assert len({a.statement for a in answers.values()}) == 1  # one reading, however asked


def test_rain_paraphrases(make_table_pipeline):
    rain = make_table_pipeline(str(DATA / "rain.txt"))
    for q in ("Is the weather rainy?", "Is it true that the weather is rainy?"):
        assert rain.ask(q).answer == "no", q
    for q in ("Is the ground wet?", "Is it true that the ground is wet?"):
        assert rain.ask(q).answer == "unknown", q  # open world: denying the antecedent proves nothing


@pytest.mark.parametrize("plural_form, singular_form", [
    ("people", "person"), ("men", "man"), ("women", "woman"), ("children", "child"),
    ("mice", "mouse"), ("geese", "goose"), ("feet", "foot"), ("teeth", "tooth"), ("oxen", "ox"),
    ("apples", "apple"), ("glasses", "glass"), ("sheep", "sheep"), ("bus", "bus"), ("gas", "gas"),
])
def test_irregular_plurals(plural_form, singular_form):
    assert singular(plural_form) == singular_form
    if plural_form not in ("bus", "gas", "sheep"):
        assert plural(singular_form) == plural_form


def test_irregular_plurals_in_questions(make_table_pipeline, tmp_path):
    graph = tmp_path / "family.txt"
    graph.write_text("Children can play.\nMen are people.\nGeese can fly.\nMice are small.\n", encoding="utf-8")
    pipe = make_table_pipeline(str(graph))
    assert pipe.ask("Can children play?").answer == "yes"
    assert pipe.ask("Can a child play?").answer == "yes"
    assert pipe.ask("Can geese fly?").answer == "yes"
    assert pipe.ask("Is a mouse small?").answer == "yes"
    assert pipe.ask("Is a man a person?").answer == "yes"


def test_mass_nouns_stay_singular(commonsense):
    kg = commonsense.kg
    glass, mug = kg.resolve("cs:Glass"), kg.resolve("cs:Mug")
    transparent, fragile = kg.resolve("cs:Transparent"), kg.resolve("cs:Fragile")
    assert (glass, RDFS.subClassOf, transparent) in kg.rdf and is_mass_noun(kg, glass)
    assert verbalize(kg, (glass, RDFS.subClassOf, transparent)) == "glass is transparent"
    assert verbalize(kg, (glass, RDFS.subClassOf, transparent), negated=True) == "glass is not transparent"
    assert verbalize(kg, (mug, RDFS.subClassOf, fragile)) == "mugs are fragile"  # a count noun
    assert commonsense.ask("Is glass fragile?").statement == "Glass is fragile."


def test_mass_nouns_from_the_graph_or_the_common_list():
    from rdflib import RDF, Graph, Literal, Namespace

    ex = Namespace("http://example.org/")
    g = Graph()
    for node, label in ((ex.Ceramic, "ceramic"), (ex.Milk, "milk"), (ex.Cup, "cup"), (ex.White, "white")):
        g.add((node, RDFS.label, Literal(label)))
    g.add((ex.Ceramic, RDF.type, MASS_NOUN))
    kg = KnowledgeGraph(g)
    assert is_mass_noun(kg, ex.Ceramic)      # marked in the graph
    assert is_mass_noun(kg, ex.Milk)         # a common mass noun
    assert not is_mass_noun(kg, ex.Cup)
