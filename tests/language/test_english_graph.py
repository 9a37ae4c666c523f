"""The English loader: sentences → triples (with labels), rules, and reported issues."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Literal

from kgreason.core.rules import Atom, Var
from kgreason.errors import ParseError
from kgreason.graph.loaders import load_graph
from kgreason.graph.vocab import ATTRIBUTE, EX, KGR
from kgreason.language.english_graph import parse_theory
from kgreason.language.verbalize import sentence, verbalize

X = Var("x")
TYPE = RDF.type


def triples(kg):
    return set(kg.rdf)


def rule_for(kg, text):
    found = [r for r in kg.rules if r.text == text]
    assert len(found) == 1, f"no single rule for {text!r}: {[r.text for r in kg.rules]}"
    return found[0]


def test_facts_and_negative_facts():
    kg = parse_theory("Bob is cold. Bob is not big. The cat is big. The bear chases the cat. "
                      "The bear does not eat the cat. Max is a wumpus.")
    t = triples(kg)
    assert (EX.Bob, TYPE, EX.Cold) in t
    assert (EX.Bob, EX.isNot, EX.Big) in t
    assert (EX.isNot, KGR.negationOf, RDF.type) in t
    assert (EX.TheCat, TYPE, EX.Big) in t
    assert (EX.TheBear, EX.chases, EX.TheCat) in t
    assert (EX.TheBear, EX.doesNotEat, EX.TheCat) in t
    assert (EX.doesNotEat, KGR.negationOf, EX.eats) in t
    assert (EX.Max, TYPE, EX.Wumpus) in t
    # adjectives are kgr:Attribute classes, nouns rdfs:Class; every node has a label
    assert (EX.Cold, TYPE, ATTRIBUTE) in t and (EX.Wumpus, TYPE, RDFS.Class) in t
    assert kg.label(EX.TheBear) == "the bear" and kg.label(EX.Bob) == "Bob"
    assert kg.label(EX.doesNotEat) == "does not eat"
    assert "wumpuses" in kg.labels(EX.Wumpus)
    assert kg.rules == [] and kg.issues == []


def test_generic_sentences_become_subclasses_and_defaults():
    kg = parse_theory("Apples are fruits. Every wumpus is a yumpus. Wumpuses are dull. "
                      "Fruits can be eaten raw. Birds can fly. Penguins are birds. Penguins cannot fly. "
                      "Pingu is a penguin. Mammals breathe oxygen. Whales do not lay eggs.")
    t = triples(kg)
    assert (EX.Apple, RDFS.subClassOf, EX.Fruit) in t
    assert (EX.Wumpus, RDFS.subClassOf, EX.Yumpus) in t
    assert (EX.Wumpus, RDFS.subClassOf, EX.Dull) in t
    assert (EX.Fruit, EX.canBe, EX.EatenRaw) in t
    assert (EX.canBe, TYPE, KGR.InheritableProperty) in t
    assert (EX.Bird, EX.can, EX.Fly) in t
    assert (EX.Penguin, EX.cannot, EX.Fly) in t
    assert (EX.cannot, KGR.negationOf, EX.can) in t
    assert (EX.can, TYPE, KGR.InheritableProperty) in t
    assert (EX.Mammal, EX.breathes, EX.Oxygen) in t
    assert (EX.Whale, EX.doesNotLay, EX.Egg) in t
    assert (EX.doesNotLay, KGR.negationOf, EX.lays) in t
    assert kg.rules == []


@pytest.mark.parametrize("text, cls, other", [
    ("Each yumpus is not small.", EX.Yumpus, EX.Small),
    ("Mammals are not birds.", EX.Mammal, EX.Bird),
    ("No mammal is a bird.", EX.Mammal, EX.Bird),
    ("A mammal is not a bird.", EX.Mammal, EX.Bird),
    ("No birds are mammals.", EX.Bird, EX.Mammal),
    ("No cat is a dog.", EX.Cat, EX.Dog),
])
def test_negative_generic_is_class_disjointness(text, cls, other):
    kg = parse_theory(text)
    assert (cls, OWL.disjointWith, other) in kg.rdf
    assert kg.rules == []


@pytest.mark.parametrize("text, body, head", [
    ("All red things are rough.", [(TYPE, "Red", False)], [(TYPE, "Rough", False)]),
    ("Cold people are red.", [(TYPE, "Cold", False)], [(TYPE, "Red", False)]),
    ("Red, cold things are round.", [(TYPE, "Red", False), (TYPE, "Cold", False)], [(TYPE, "Round", False)]),
    ("Rough, young people are nice.", [(TYPE, "Rough", False), (TYPE, "Young", False)], [(TYPE, "Nice", False)]),
    ("All young people are nice.", [(TYPE, "Young", False)], [(TYPE, "Nice", False)]),
    ("If something is cold and red then it is round.",
     [(TYPE, "Cold", False), (TYPE, "Red", False)], [(TYPE, "Round", False)]),
    ("If something is big and not red then it is cold.",
     [(TYPE, "Big", False), (TYPE, "Red", True)], [(TYPE, "Cold", False)]),
    ("If someone chases the bear then they are big.",
     [(EX.chases, "TheBear", False)], [(TYPE, "Big", False)]),
    ("If something is cold then it is round and it is not blue.",
     [(TYPE, "Cold", False)], [(TYPE, "Round", False), (TYPE, "Blue", True)]),
    ("If someone is kind then they do not visit the mouse.",
     [(TYPE, "Kind", False)], [(EX.visits, "TheMouse", True)]),
])
def test_variable_rules(text, body, head):
    rule = rule_for(parse_theory(text), text)
    assert rule.body == tuple(Atom(X, p, EX[o], neg) for p, o, neg in body)
    assert rule.head == tuple(Atom(X, p, EX[o], neg) for p, o, neg in head)
    assert rule.source == "<text>:1"


def test_ground_rules_and_mixed_subjects():
    kg = parse_theory("If the cat is cold then the cat is not big.\n"
                      "If something needs the cat and the cat is cold then it visits the mouse.\n"
                      "If Bob is cold then Bob is not big.\n"
                      "If it rains then the ground is wet.")
    r1, r2, r3, r4 = kg.rules
    assert r1.body == (Atom(EX.TheCat, TYPE, EX.Cold),) and r1.head == (Atom(EX.TheCat, TYPE, EX.Big, True),)
    assert r2.body == (Atom(X, EX.needs, EX.TheCat), Atom(EX.TheCat, TYPE, EX.Cold))
    assert r2.head == (Atom(X, EX.visits, EX.TheMouse),)
    assert r3.head == (Atom(EX.Bob, TYPE, EX.Big, True),)
    assert r4.body == (Atom(EX.It, EX.does, EX.Rain),) and r4.head == (Atom(EX.TheGround, TYPE, EX.Wet),)
    assert [r.source for r in kg.rules] == ["<text>:1", "<text>:2", "<text>:3", "<text>:4"]
    assert len({r.id for r in kg.rules}) == 4


def test_unparsed_sentences_are_reported_with_lines(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text("# a comment\nBob is cold.\nBlah blah.\n\nIf it is then.\nThe cat is big.\n",
                    encoding="utf-8")
    kg = load_graph([path])
    assert (EX.Bob, TYPE, EX.Cold) in kg.rdf and (EX.TheCat, TYPE, EX.Big) in kg.rdf
    assert len(kg.issues) == 2
    assert kg.issues[0].startswith(f"{path}:3: Blah blah. — ")
    assert kg.issues[1].startswith(f"{path}:5: If it is then. — ")


def test_a_file_with_no_english_raises(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("1,2,3\n4,5,6\n", encoding="utf-8")
    with pytest.raises(ParseError) as err:
        load_graph([path])
    assert "data.txt:1" in str(err.value)


def test_verbalize_round_trip():
    kg = parse_theory("Bob is not big. Alex is not a wumpus. Wumpuses are dull. Fruits can be eaten raw. "
                      "Penguins cannot fly. The bear does not eat the cat. The heart is part of the body.")
    said = {sentence(verbalize(kg, t)) for t in kg.rdf if t[1] not in (RDFS.label,) and
            not isinstance(t[2], Literal) and t[1] not in (KGR.negationOf, RDF.type) or
            (t[1] == RDF.type and t[2] not in (ATTRIBUTE, RDFS.Class, KGR.InheritableProperty))}
    for expected in ["Bob is not big.", "Alex is not a wumpus.", "Wumpuses are dull.",
                     "Fruit can be eaten raw.", "Penguin cannot fly.", "The bear does not eat the cat.",
                     "The heart is part of the body."]:
        assert expected in said
    assert verbalize(kg, (EX.TheBear, EX.eats, EX.TheCat), negated=True) == "the bear does not eat the cat"


def test_shipped_english_test_graph_loads_cleanly():
    kg = load_graph(["tests/data/geography.txt"])
    assert kg.issues == []
    assert (EX.Paris, EX.isIn, EX.France) in kg.rdf
    assert (EX.Greenland, EX.isNot, EX.Country) in kg.rdf
    assert len(kg.rules) > 10


@pytest.mark.parametrize("text, body, head", [
    ("Everything that is cold is red.", [(TYPE, "Cold", False)], [(TYPE, "Red", False)]),
    ("People who are rough are cold.", [(TYPE, "Rough", False)], [(TYPE, "Cold", False)]),
    ("All things that are red are round.", [(TYPE, "Red", False)], [(TYPE, "Round", False)]),
    ("Cats that chase mice are fast.", [(TYPE, "Cat", False), (EX.chases, "Mouse", False)],
     [(TYPE, "Fast", False)]),
    ("Everything that is round chases the cat.", [(TYPE, "Round", False)], [(EX.chases, "TheCat", False)]),
])
def test_relative_clauses(text, body, head):
    rule = rule_for(parse_theory(text), text)
    assert rule.body == tuple(Atom(X, p, EX[o], neg) for p, o, neg in body)
    assert rule.head == tuple(Atom(X, p, EX[o], neg) for p, o, neg in head)


def test_conjoined_subjects_and_trailing_if():
    kg = parse_theory("Bob, Anne and the cat are cold. Bob is round if he is cold.")
    assert {(EX.Bob, TYPE, EX.Cold), (EX.Anne, TYPE, EX.Cold), (EX.TheCat, TYPE, EX.Cold)} <= triples(kg)
    rule = rule_for(kg, "Bob is round if he is cold.")
    assert rule.body == (Atom(EX.Bob, TYPE, EX.Cold),) and rule.head == (Atom(EX.Bob, TYPE, EX.Round),)


def test_same_noun_plural_and_singular_share_one_class():
    kg = parse_theory("Sterpuses are dull. Every sterpus is a lorpus. Fae is a sterpus.")
    assert (EX.Sterpus, RDFS.subClassOf, EX.Dull) in kg.rdf
    assert (EX.Sterpus, RDFS.subClassOf, EX.Lorpus) in kg.rdf
    assert (EX.Fae, TYPE, EX.Sterpus) in kg.rdf


def test_adjectives_before_a_noun():
    kg = parse_theory("Fiona is a nice, kind person. Knut is a polar bear. Rex is not a big dog.")
    t = triples(kg)
    assert {(EX.Fiona, TYPE, EX.Nice), (EX.Fiona, TYPE, EX.Kind), (EX.Fiona, TYPE, EX.Person)} <= t
    assert (EX.Knut, TYPE, EX.PolarBear) in t  # a compound noun stays one class
    assert (EX.Rex, EX.isNot, EX.BigDog) in t  # "not (big and dog)" cannot be split
