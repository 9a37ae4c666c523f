"""Defaults next to OWL 2 RL: strict consequences win, and a default that would lead to a clash
through a class expression is blocked (not derived) and reported with the proofs of that clash."""

from __future__ import annotations

from kgreason.reasoning import Reasoner, Truth, check_proof

from .conftest import ask, make_kg

BIRDS = """
ex:canFly a kgr:InheritableProperty .
ex:eats a kgr:InheritableProperty .
ex:Bird ex:canFly ex:Yes ; ex:eats ex:Seeds .
ex:Penguin rdfs:subClassOf ex:Bird .
ex:Robin rdfs:subClassOf ex:Bird .
ex:tweety a ex:Penguin .
ex:robin a ex:Robin .
"""


def test_strict_negation_through_has_value_and_complement_wins() -> None:
    kg = make_kg(BIRDS + """
        ex:Flyer owl:equivalentClass [ a owl:Restriction ; owl:onProperty ex:canFly ; owl:hasValue ex:Yes ] .
        ex:Penguin rdfs:subClassOf [ owl:complementOf ex:Flyer ] .
    """)
    r = Reasoner(kg)
    v = ask(kg, "ex:tweety ex:canFly ex:Yes", r)
    assert v.value == Truth.FALSE
    assert {s.rule for s in v.proof.steps()} >= {"kgr-neg-hv", "cls-com"}
    assert ask(kg, "ex:robin ex:canFly ex:Yes", r).value == Truth.TRUE
    assert r.contradictions == []


def test_default_that_would_break_a_max_cardinality_is_blocked() -> None:
    kg = make_kg(BIRDS + """
        ex:Penguin rdfs:subClassOf [ a owl:Restriction ; owl:onProperty ex:canFly ; owl:maxCardinality 0 ] .
    """)
    r = Reasoner(kg)
    v = ask(kg, "ex:tweety ex:canFly ex:Yes", r)
    # the strict axiom entails the negation: no, with its proof; the blocked default is kept
    assert v.value == Truth.FALSE and v.proof.rule.startswith("kgr-neg-maxc")
    assert {s.rule for s in v.proof.steps()}.isdisjoint({"kgr-inherit", "kgr-inherit-neg"})
    (blocked,) = [c for c in v.conflicts if c.kind == "blocked-default"]
    assert "maxc1" in " ".join(s.rule for p in blocked.proofs for s in p.steps())
    assert "not applied" in blocked.resolution
    assert blocked in r.conflicts
    assert r.contradictions == []  # the clash is not in the closure: the default was not derived
    assert ask(kg, "ex:robin ex:canFly ex:Yes", r).value == Truth.TRUE
    # the other default of penguins is untouched
    assert ask(kg, "ex:tweety ex:eats ex:Seeds", r).value == Truth.TRUE


def test_default_blocked_inside_all_values_from_and_disjointness() -> None:
    kg = make_kg(BIRDS + """
        ex:Penguin rdfs:subClassOf [ owl:intersectionOf ( ex:Bird
            [ a owl:Restriction ; owl:onProperty ex:eats ; owl:allValuesFrom ex:Fish ] ) ] .
        ex:Seeds a ex:Grain . ex:Grain owl:disjointWith ex:Fish .
    """)
    r = Reasoner(kg)
    v = ask(kg, "ex:tweety ex:eats ex:Seeds", r)
    assert v.value == Truth.FALSE and v.proof.rule == "kgr-neg-avf"
    assert [c.kind for c in v.conflicts] == ["blocked-default"]
    (blocked,) = [c for c in r.conflicts if c.kind == "blocked-default"]
    assert blocked.triple[1] == kg.resolve("ex:eats")
    pos, neg = blocked.proofs
    assert pos.triple == neg.triple
    assert pos.triple[0] == kg.resolve("ex:Seeds") and pos.triple[2] in {kg.resolve("ex:Fish"), kg.resolve("ex:Grain")}
    rules = {s.rule for p in (pos, neg) for s in p.steps()}
    assert "cls-avf" in rules and "kgr-inherit" in rules
    assert ask(kg, "ex:robin ex:eats ex:Seeds", r).value == Truth.TRUE
    assert ask(kg, "ex:tweety ex:canFly ex:Yes", r).value == Truth.TRUE
    assert r.contradictions == []
    # every proof the reasoner still gives is valid
    for c in r.contradictions:
        for p in c.proofs:
            assert check_proof(p, r) == []


def test_strict_clash_without_defaults_is_an_inconsistency_not_blocked() -> None:
    kg = make_kg("ex:A owl:disjointWith ex:B . ex:x a ex:A, ex:B .")
    r = Reasoner(kg)
    assert {c.triple[2] for c in r.contradictions} == {kg.resolve("ex:A"), kg.resolve("ex:B")}
    assert r.conflicts == []
