"""The shipped commonsense graph: the issue's headline chain and its exceptions, with valid proofs."""

from __future__ import annotations

import pytest

from kgreason.graph.loaders import load_graph
from kgreason.language.render import proof_sentences
from kgreason.reasoning import Reasoner, Truth, check_proof


@pytest.fixture(scope="module")
def setup():
    kg = load_graph(["commonsense"])
    return kg, Reasoner(kg).materialize()


@pytest.mark.parametrize(
    ("triple", "expected", "rule"),
    [
        ("cs:Apple cs:canBe cs:EatenRaw", Truth.TRUE, "kgr-inherit"),
        ("cs:Potato cs:canBe cs:EatenRaw", Truth.FALSE, "kgr-neg"),
        ("cs:Pingu cs:can cs:Fly", Truth.FALSE, "kgr-inherit-neg"),
        ("cs:Platypus cs:lays cs:Egg", Truth.TRUE, "kgr-inherit"),
        ("cs:AmphibiousCar cs:can cs:Float", Truth.UNKNOWN, None),
    ],
)
def test_commonsense(setup, triple, expected, rule):
    kg, r = setup
    verdict = r.holds(*(kg.resolve(t) for t in triple.split()))
    assert verdict.value == expected
    if rule is None:
        assert verdict.conflicts and verdict.conflicts[0].kind == "default-conflict"
        return
    assert verdict.proof.rule == rule and check_proof(verdict.proof, r) == []


def test_apple_proof_reads_as_the_chain(setup):
    kg, r = setup
    proof = r.holds(*(kg.resolve(t) for t in ["cs:Apple", "cs:canBe", "cs:EatenRaw"])).proof
    assert proof_sentences(proof, kg) == [
        "Apple is a kind of fruit.",
        "Fruit can be eaten raw.",
        "Apple can be eaten raw.",
    ]


def test_every_inferred_triple_has_a_valid_proof(setup):
    _kg, r = setup
    inferred = list(r.inferred_triples())
    assert len(inferred) > 500 and not r.contradictions
    for triple in inferred:
        assert check_proof(r.proof(triple), r) == [], triple
