"""Negation is never lost or invented: every reading — of a theory's sentence on the exact path, or
of a statement — has the polarity of the sentence, or the sentence is not read (reported)."""

from __future__ import annotations

import pytest
from rdflib import OWL

from kgreason.core import NOT_UNDERSTOOD
from kgreason.graph.vocab import KGR
from kgreason.language.english_graph import parse_theory, use_second_path
from kgreason.language.english_words import tokenize
from kgreason.language.paraphrase import canonical_tokens, negation_cues
from kgreason.pipeline.theory import decide_statement, theory

# (sentence, negative?) — 48 forms of saying (or not saying) "not"
TABLE = [
    ("Bob is not big.", True),
    ("Bob isn't big.", True),
    ("Bob is never big.", True),
    ("Bob wasn't red.", True),
    ("Bob can not fly.", True),
    ("Bob cannot fly.", True),
    ("Bob can't fly.", True),
    ("Bob does not eat fish.", True),
    ("Bob doesn't eat fish.", True),
    ("Bob never eats fish.", True),
    ("Dogs do not eat grass.", True),
    ("Dogs don't eat grass.", True),
    ("The cat does not chase the dog.", True),
    ("A snake has no legs.", True),
    ("Snakes have no legs.", True),
    ("Fish lack lungs.", True),
    ("A fish lacks lungs.", True),
    ("Penguins are unable to fly.", True),
    ("A penguin is unable to fly.", True),
    ("Penguins are not able to fly.", True),
    ("Bob isn't able to swim.", True),
    ("Bob is unable to swim.", True),
    ("Penguins are incapable of flying.", True),
    ("No fish is a mammal.", True),
    ("Mammals are not birds.", True),
    ("A bat is not a bird.", True),
    ("If something is not big then it is red.", True),
    ("If someone is big then they are not red.", True),
    ("All red things are not big.", True),
    ("Nobody is big.", True),
    ("Nothing is red.", True),
    ("Bob is neither big nor red.", True),
    ("Bob is big without being red.", True),
    ("None of the dogs are red.", True),
    ("The mouse is not chased by the cat.", True),
    ("Anne is no fool.", True),
    ("Bob is not only big but also red.", False),
    ("Bob is not unkind.", False),
    ("Bob cannot help being kind.", False),
    ("Birds are able to fly.", False),
    ("Dogs are capable of swimming.", False),
    ("Bob is big.", False),
    ("Grass is eaten by cows.", False),
    ("If something is big then it is red.", False),
    ("Bob has legs.", False),
    ("Anne is loved by Bob.", False),
    ("Known as kind, Bob is big.", False),
    ("Bob knows that Anne is red.", False),
]

#: forms the exact path must read (not just refuse), with the triple (local names) they give
READ = {
    "A snake has no legs.": ("Snake", "doesNotHave", "Leg"),
    "Snakes have no legs.": ("Snake", "doesNotHave", "Leg"),
    "Fish lack lungs.": ("Fish", "doesNotHave", "Lung"),
    "A fish lacks lungs.": ("Fish", "doesNotHave", "Lung"),
    "Penguins are unable to fly.": ("Penguin", "cannot", "Fly"),
    "A penguin is unable to fly.": ("Penguin", "cannot", "Fly"),
    "Penguins are not able to fly.": ("Penguin", "cannot", "Fly"),
    "Penguins are incapable of flying.": ("Penguin", "cannot", "Fly"),
    "Birds are able to fly.": ("Bird", "can", "Fly"),
    "Dogs are capable of swimming.": ("Dog", "can", "Swim"),
    "Grass is eaten by cows.": ("Cow", "eats", "Grass"),
    "Anne is loved by Bob.": ("Bob", "loves", "Anne"),
    "The mouse is not chased by the cat.": ("TheCat", "doesNotChase", "TheMouse"),
}


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1]


def test_the_table_is_big_enough():
    assert len(TABLE) >= 40
    assert sum(neg for _, neg in TABLE) >= 30


@pytest.mark.parametrize("sentence,negative", TABLE)
def test_negation_cues(sentence, negative):
    assert bool(negation_cues(tokenize(sentence))) == negative


def _polarity_of_reading(kg) -> bool:
    negative_props = set(kg.rdf.subjects(KGR.negationOf, None))
    facts = [(s, p, o) for s, p, o in kg.rdf if p == OWL.disjointWith or p in negative_props]
    atoms = [a for r in kg.rules for a in (*r.body, *r.head) if a.negated]
    return bool(facts or atoms)


@pytest.mark.parametrize("sentence,negative", TABLE)
def test_exact_reading_keeps_polarity(sentence, negative):
    with use_second_path(None):
        kg = parse_theory(sentence)
    (reading,) = kg.readings
    if reading.status == NOT_UNDERSTOOD:
        assert sentence not in READ, reading.reason
        return
    assert _polarity_of_reading(kg) == negative, f"{sentence!r} read with the wrong polarity"
    if sentence in READ:
        triples = {tuple(_local(t) for t in triple) for triple in kg.rdf}
        assert READ[sentence] in triples, sorted(triples)


# statements checked against a small theory: the answer's polarity follows the statement's
CONTEXT = ("Snakes are reptiles. Reptiles have legs. Whales are mammals. Mammals have lungs. "
           "Sparrows are birds. Birds can fly. Cows eat grass. Bob is big. Penguins cannot fly.")


@pytest.mark.parametrize("statement,answer", [
    ("A snake has no legs.", "no"),
    ("Snakes have legs.", "yes"),
    ("Whales lack lungs.", "no"),
    ("A whale does not have lungs.", "no"),
    ("Sparrows are able to fly.", "yes"),
    ("Sparrows are unable to fly.", "no"),
    ("Penguins are not able to fly.", "yes"),
    ("Grass is eaten by cows.", "yes"),
    ("Bob is not big.", "no"),
    ("Bob isn't big.", "no"),
    ("Bob is big.", "yes"),
])
def test_statement_polarity(statement, answer):
    decision = decide_statement(theory(CONTEXT), statement)
    assert decision.answer == answer, (statement, decision.statement, decision.reason)


def test_canonical_tokens_leave_other_sentences_alone():
    for sentence in ["Bob is big.", "If something is cold then it is red.", "The cat chases the dog.",
                     "Bob is made of wood.", "Bob has no idea."]:
        toks = tuple(tokenize(sentence))
        assert canonical_tokens(toks) == toks
