""""Xs are not Ys." in English is class disjointness (owl:disjointWith), as in Turtle; an
individual's "Bob is not big." stays a negative fact."""

from __future__ import annotations

import pytest
from rdflib import OWL

from kgreason.graph.vocab import EX
from kgreason.reasoning import check_proof

ENGLISH = """Mammals are not birds.
Bats are mammals.
No fish is a mammal.
Bob is a bat.
Bob is not big.
Tweety is a bird.
"""

TURTLE = """@prefix ex: <https://w3id.org/kgreason/entity#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
ex:Mammal owl:disjointWith ex:Bird . ex:Bat rdfs:subClassOf ex:Mammal .
ex:Fish owl:disjointWith ex:Mammal .
ex:Bob a ex:Bat . ex:Tweety a ex:Bird .
ex:Bat rdfs:label "bat" . ex:Bird rdfs:label "bird" . ex:Mammal rdfs:label "mammal" .
ex:Fish rdfs:label "fish" . ex:Bob rdfs:label "Bob" . ex:Tweety rdfs:label "Tweety" .
"""


@pytest.fixture(scope="module", params=["txt", "ttl"])
def pipe(request, tmp_path_factory, make_table_pipeline):
    path = tmp_path_factory.mktemp("disjoint") / f"animals.{request.param}"
    path.write_text(ENGLISH if request.param == "txt" else TURTLE, encoding="utf-8")
    return make_table_pipeline(str(path))


@pytest.mark.parametrize("question, answer", [
    ("Is a bat a bird?", "no"),
    ("Is Bob a bird?", "no"),
    ("Is a bird a mammal?", "no"),      # disjointness holds both ways
    ("Is Tweety a mammal?", "no"),
    ("Is a fish a bat?", "no"),          # a bat is a mammal, no fish is one
    ("Is a bat a mammal?", "yes"),
])
def test_disjoint_classes_answer_no_with_a_proof(pipe, question, answer):
    got = pipe.ask(question)
    assert got.answer == answer, (question, got.statement, got.reason)
    assert got.decided_by == "reasoner"
    assert check_proof(got.decision.proof, pipe.reasoner) == []


def test_the_english_graph_states_disjointness_and_keeps_negative_facts(make_table_pipeline, tmp_path):
    path = tmp_path / "animals.txt"
    path.write_text(ENGLISH, encoding="utf-8")
    pipe = make_table_pipeline(str(path))
    assert (EX.Mammal, OWL.disjointWith, EX.Bird) in pipe.kg.rdf
    assert (EX.Bob, EX.isNot, EX.Big) in pipe.kg.rdf  # an individual: a negative fact
    assert not list(pipe.kg.rdf.subjects(OWL.disjointWith, EX.Big))
    assert pipe.ask("Is Bob big?").answer == "no"
    proof = " ".join(pipe.ask("Is a bat a bird?").proof)
    assert "Nothing is both a mammal and a bird." in proof
