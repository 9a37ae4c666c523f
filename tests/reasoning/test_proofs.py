"""Proof rendering and the proof checker (which must also *reject* broken proofs)."""

from __future__ import annotations

import dataclasses

from kgreason.language.render import proof_sentences, proof_text, verdict_json
from kgreason.reasoning import Reasoner, Truth, check_proof

from .conftest import ask, make_kg

FOOD = """
ex:canBe a kgr:InheritableProperty ; rdfs:label "can be" .
ex:cannotBe kgr:negationOf ex:canBe ; rdfs:label "cannot be" .
ex:Apple rdfs:subClassOf ex:Fruit ; rdfs:label "apple" .
ex:Fruit rdfs:label "fruit" ; ex:canBe ex:EatenRaw .
ex:EatenRaw rdfs:label "eaten raw" .
ex:a1 a ex:Apple ; rdfs:label "my apple" .
"""


def test_renderings():
    kg = make_kg(FOOD)
    r = Reasoner(kg)
    proof = ask(kg, "ex:a1 ex:canBe ex:EatenRaw", r).proof
    text = proof_text(proof, kg)
    assert text.splitlines()[0] == "My apple can be eaten raw.  [inherits from its class]"
    assert "My apple is a fruit.  [member of a superclass]" in text  # rule names, not rdfs9
    assert "\n  Fruit can be eaten raw.  [given]" in text
    assert "\n    My apple is an apple.  [given]" in text
    sentences = proof_sentences(proof, kg)
    assert sentences[-1] == "My apple can be eaten raw."
    assert sentences.index("My apple is a fruit.") > sentences.index("My apple is an apple.")
    data = proof.to_json(kg)
    assert data["rule"] == "kgr-inherit" and data["triple"] == ["ex:a1", "ex:canBe", "ex:EatenRaw"]
    assert data["premises"][0]["rule"] == "rdfs9" and data["premises"][0]["rule_text"].startswith(
        "[rdfs9]"
    )
    g = proof.to_networkx()
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 4
    assert proof.depth == 2


def test_verdict_json():
    kg = make_kg(FOOD)
    data = verdict_json(ask(kg, "ex:a1 ex:canBe ex:EatenRaw"), kg)
    assert data["value"] == "true" and data["proof"]["text"] == "My apple can be eaten raw."
    unknown = ask(kg, "ex:a1 ex:canBe ex:Boiled").to_json(kg)
    assert unknown["value"] == "unknown" and unknown["proof"] is None and unknown["missing"]


def test_checker_rejects_tampered_proofs():
    kg = make_kg(FOOD + "ex:Pear rdfs:subClassOf ex:Fruit . ex:Potato ex:cannotBe ex:EatenRaw .")
    r = Reasoner(kg)
    proof = r.proof((kg.resolve("ex:a1"), kg.resolve("ex:canBe"), kg.resolve("ex:EatenRaw")))
    assert check_proof(proof, r) == []
    # a premise swapped for another asserted triple: the rule no longer matches
    link, _source = proof.premises
    wrong_source = r.proof(
        (kg.resolve("ex:Pear"), kg.resolve("rdfs:subClassOf"), kg.resolve("ex:Fruit"))
    )
    assert check_proof(dataclasses.replace(proof, premises=[link, wrong_source]), r)
    # a claimed rule that does not produce the conclusion
    type_step = link
    assert check_proof(dataclasses.replace(type_step, rule="rdfs11"), r)
    # a leaf that is not asserted
    fake = dataclasses.replace(type_step, rule="asserted", premises=[])
    assert check_proof(fake, r) == [
        (
            "(<http://example.org/a1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            "<http://example.org/Fruit>) by asserted: not an asserted triple of the graph"
        )
    ]
    # the wrong polarity
    assert check_proof(dataclasses.replace(proof, negated=True), r)
    # a default where a more specific source says otherwise
    potato = ask(kg, "ex:Potato ex:canBe ex:EatenRaw", r)
    assert potato.value == Truth.FALSE


def test_default_step_violating_specificity_is_rejected():
    kg = make_kg("""ex:can a kgr:InheritableProperty . ex:cannot kgr:negationOf ex:can .
        ex:Bird ex:can ex:Fly . ex:Penguin rdfs:subClassOf ex:Bird ; ex:cannot ex:Fly . ex:pingu a ex:Penguin .""")
    r = Reasoner(kg)
    good = r.proof(
        (kg.resolve("ex:pingu"), kg.resolve("ex:can"), kg.resolve("ex:Fly")), negated=True
    )
    assert check_proof(good, r) == []
    bird = r.proof((kg.resolve("ex:Bird"), kg.resolve("ex:can"), kg.resolve("ex:Fly")))
    link_to_bird = r.proof((kg.resolve("ex:pingu"), kg.resolve("rdf:type"), kg.resolve("ex:Bird")))
    bad = dataclasses.replace(
        good, negated=False, rule="kgr-inherit", premises=[link_to_bird, bird]
    )
    problems = check_proof(bad, r)
    assert problems and "more specific" in problems[0]
