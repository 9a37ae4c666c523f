"""Questions and statements → candidate triples, on English graphs and on a user's Turtle graph."""

from __future__ import annotations

import pytest
from rdflib import RDF, RDFS, Graph, Namespace

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.loaders import load_graph
from kgreason.graph.vocab import EX
from kgreason.language import parse_question, parse_statement, parse_theory

THEORY = """Apples are fruits. Fruits can be eaten raw. Penguins are birds. Birds can fly.
Penguins cannot fly. Pingu is a penguin. Birds are animals. Animals breathe oxygen.
Whales are mammals. Mammals do not lay eggs. Bats are mammals. The heart is part of the body.
If it rains then the ground is wet. It does not rain. Bob is cold. The bear chases the cat.
Max is a wumpus. Wumpuses are dull."""

ZOO = """@prefix z: <http://example.org/zoo#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix kgr: <https://w3id.org/kgreason#> .
z:layEggs a kgr:InheritableProperty ; rdfs:label "lays" ; skos:altLabel "lay" .
z:hasPart rdfs:label "has" .
z:Platypus rdfs:label "duck-billed platypus" ; skos:altLabel "platypus" ; rdfs:subClassOf z:Mammal .
z:Mammal rdfs:label "mammal" .
z:Egg rdfs:label "egg" .
z:Tail rdfs:label "tail" .
z:Platypus z:layEggs z:Egg ; z:hasPart z:Tail .
z:Perry a z:Platypus ; rdfs:label "Perry" .
"""
Z = Namespace("http://example.org/zoo#")


@pytest.fixture(scope="module")
def kg():
    return parse_theory(THEORY)


@pytest.fixture(scope="module")
def zoo():
    g = Graph()
    g.parse(data=ZOO, format="turtle")
    return KnowledgeGraph(g)


def best(hyp):
    assert hyp.candidates, hyp.reason
    c = hyp.candidates[0]
    return c.triple, c.negated


@pytest.mark.parametrize("question, triple, negated, negated_question", [
    ("Can apples be eaten raw?", (EX.Apple, EX.canBe, EX.EatenRaw), False, False),
    ("Do whales lay eggs?", (EX.Whale, EX.lays, EX.Egg), False, False),
    ("Is a bat a bird?", (EX.Bat, RDFS.subClassOf, EX.Bird), False, False),
    ("Does Pingu breathe oxygen?", (EX.Pingu, EX.breathes, EX.Oxygen), False, False),
    ("Is the heart part of the body?", (EX.TheHeart, EX.isPartOf, EX.TheBody), False, False),
    ("Can't penguins fly?", (EX.Penguin, EX.can, EX.Fly), False, True),
    ("Cannot Pingu fly?", (EX.Pingu, EX.can, EX.Fly), False, True),
    ("Is it true that apples are not fruit?", (EX.Apple, RDFS.subClassOf, EX.Fruit), True, False),
    ("Is the ground wet?", (EX.TheGround, RDF.type, EX.Wet), False, False),
    ("Does it rain?", (EX.It, EX.does, EX.Rain), False, False),
    ("Is Bob not cold?", (EX.Bob, RDF.type, EX.Cold), True, False),
    ("Isn't Bob cold?", (EX.Bob, RDF.type, EX.Cold), False, True),
    ("Does the bear chase the cat?", (EX.TheBear, EX.chases, EX.TheCat), False, False),
    ("Are wumpuses dull?", (EX.Wumpus, RDFS.subClassOf, EX.Dull), False, False),
    ("Is Max a wumpus?", (EX.Max, RDF.type, EX.Wumpus), False, False),
])
def test_questions_on_an_english_graph(kg, question, triple, negated, negated_question):
    hyp = parse_question(question, kg)
    assert best(hyp) == (triple, negated)
    assert hyp.negated_question is negated_question
    assert hyp.candidates[0].score == 1.0 and hyp.candidates[0].text


@pytest.mark.parametrize("statement, triple, negated", [
    ("Bob is round.", (EX.Bob, RDF.type, EX.Round), False),
    ("Max is not small.", (EX.Max, RDF.type, EX.Small), True),
    ("The bear does not chase the cat.", (EX.TheBear, EX.chases, EX.TheCat), True),
    ("Alex is not a wumpus.", (EX.Alex, RDF.type, EX.Wumpus), True),
    (("Based on the above information, is the following statement true, false, or unknown? "
     "The cat is big."), (EX.TheCat, RDF.type, EX.Big), False),
])
def test_statements(kg, statement, triple, negated):
    assert best(parse_statement(statement, kg)) == (triple, negated)


def test_statement_text_is_natural(kg):
    hyp = parse_statement("The bear does not chase the cat.", kg)
    assert hyp.candidates[0].text == "the bear does not chase the cat"


@pytest.mark.parametrize("question, triple", [
    ("Do platypuses lay eggs?", (Z.Platypus, Z.layEggs, Z.Egg)),
    ("Does a duck-billed platypus lay an egg?", (Z.Platypus, Z.layEggs, Z.Egg)),
    ("Does Perry have a tail?", (Z.Perry, Z.hasPart, Z.Tail)),
    ("Is Perry a mammal?", (Z.Perry, RDF.type, Z.Mammal)),
    ("Is a platypus a mammal?", (Z.Platypus, RDFS.subClassOf, Z.Mammal)),
])
def test_questions_use_the_graphs_own_labels(zoo, question, triple):
    assert best(parse_question(question, zoo)) == (triple, False)


def test_unanswerable_questions_say_why(zoo):
    hyp = parse_question("What does Perry eat?", zoo)
    assert hyp.candidates == [] and "yes/no" in hyp.reason
    hyp = parse_question("Do unicorns sparkle?", zoo)
    assert hyp.candidates == [] and hyp.reason


def test_geography_turtle_labels():
    kg = load_graph(["tests/data/geography.ttl"])
    geo = Namespace(kg.namespaces["geo"])
    assert best(parse_question("Is Paris in Europe?", kg)) == ((geo.Paris, geo.locatedIn, geo.Europe), False)
    assert best(parse_question("Does Europe contain Paris?", kg)) == ((geo.Europe, geo.contains, geo.Paris), False)


def test_hypothesis_json(kg):
    data = parse_question("Can't penguins fly?", kg).to_json(kg)
    assert data["negated_question"] is True
    assert data["candidates"][0]["triple"] == ["ex:Penguin", "ex:can", "ex:Fly"]


def test_commonsense_graph_phrasings():
    """The shipped graph, its own labels: modal over a plain verb, generic 'you', altLabels."""
    kg = load_graph(["commonsense"])
    cs = Namespace(kg.namespaces["cs"])
    cases = {
        "Do echidnas lay eggs?": (cs.Echidna, cs.lays, cs.Egg),
        "Can a spiny anteater lay eggs?": (cs.Echidna, cs.lays, cs.Egg),
        "Can you eat apples raw?": (cs.Apple, cs.canBe, cs.EatenRaw),
        "Can you eat raw potatoes?": (cs.Potato, cs.canBe, cs.EatenRaw),
        "Can't penguins fly?": (cs.Penguin, cs.can, cs.Fly),
    }
    for question, triple in cases.items():
        assert best(parse_question(question, kg)) == (triple, False), question
