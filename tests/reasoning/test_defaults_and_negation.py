"""Defaults with exceptions, negative facts, open vs closed world, contradictions, limits."""

from __future__ import annotations

import pytest

from kgreason.errors import ReasoningError, RuleError
from kgreason.language.render import proof_sentences
from kgreason.reasoning import Reasoner, Truth, check_proof

from .conftest import ask, make_kg

BIRDS = """
ex:can a kgr:InheritableProperty . ex:cannot kgr:negationOf ex:can .
ex:Bird ex:can ex:Fly .
ex:Penguin rdfs:subClassOf ex:Bird ; ex:cannot ex:Fly .
ex:EmperorPenguin rdfs:subClassOf ex:Penguin .
ex:tweety a ex:Bird . ex:pingu a ex:Penguin . ex:gus a ex:EmperorPenguin .
ex:opus a ex:Penguin ; ex:can ex:Fly .
"""


def test_penguin_most_specific_wins():
    kg = make_kg(BIRDS)
    r = Reasoner(kg)
    assert ask(kg, "ex:tweety ex:can ex:Fly", r).value == Truth.TRUE
    pingu = ask(kg, "ex:pingu ex:can ex:Fly", r)
    assert pingu.value == Truth.FALSE and pingu.proof.rule == "kgr-inherit-neg"
    assert ask(kg, "ex:gus ex:can ex:Fly", r).value == Truth.FALSE  # subclass of the exception
    assert ask(kg, "ex:EmperorPenguin ex:can ex:Fly", r).value == Truth.FALSE
    assert ask(kg, "ex:opus ex:can ex:Fly", r).value == Truth.TRUE  # the instance beats its class
    assert (
        ask(kg, "ex:pingu ex:cannot ex:Fly", r).value == Truth.TRUE
    )  # asked with the negative property
    assert r.conflicts == [] and r.contradictions == []


def test_platypus_is_a_mammal_that_lays_eggs():
    kg = make_kg("""
        ex:birth a kgr:InheritableProperty . ex:noBirth kgr:negationOf ex:birth .
        ex:Mammal ex:birth ex:LiveYoung . ex:Platypus rdfs:subClassOf ex:Mammal ; ex:noBirth ex:LiveYoung .
        ex:Dog rdfs:subClassOf ex:Mammal . ex:perry a ex:Platypus . ex:rex a ex:Dog .
    """)
    r = Reasoner(kg)
    assert ask(kg, "ex:rex ex:birth ex:LiveYoung", r).value == Truth.TRUE
    assert ask(kg, "ex:perry ex:birth ex:LiveYoung", r).value == Truth.FALSE
    assert ask(kg, "ex:perry a ex:Mammal", r).value == Truth.TRUE  # still a mammal (strict)


def test_nixon_diamond_is_unknown_with_a_conflict():
    kg = make_kg("""
        ex:view a kgr:InheritableProperty . ex:notView kgr:negationOf ex:view .
        ex:Quaker ex:view ex:Pacifism . ex:Republican ex:notView ex:Pacifism .
        ex:nixon a ex:Quaker , ex:Republican .
    """)
    r = Reasoner(kg)
    v = ask(kg, "ex:nixon ex:view ex:Pacifism", r)
    assert v.value == Truth.UNKNOWN and v.proof is None
    assert len(v.conflicts) == 1 and v.conflicts[0].kind == "default-conflict"
    c = v.conflicts[0].to_json(kg)
    assert c["yes"] == ["ex:Quaker"] and c["no"] == ["ex:Republican"]
    assert len(r.conflicts) == 1


def test_inherited_facts_feed_strict_rules_and_proofs_check():
    kg = make_kg(
        """ex:canBe a kgr:InheritableProperty . ex:Apple rdfs:subClassOf ex:Fruit .
        ex:Fruit ex:canBe ex:EatenRaw . ex:a1 a ex:Apple .""",
        rules="[snack] ?x ex:goodFor ex:Snack :- ?x ex:canBe ex:EatenRaw .",
    )
    v = ask(
        kg, "ex:a1 ex:goodFor ex:Snack"
    )  # ex:goodFor is not inheritable: only the rule gives it
    assert v.value == Truth.TRUE and v.proof.rule == "snack"
    assert v.proof.premises[0].rule == "kgr-inherit"
    assert (
        "Apple can be eaten raw."
        in proof_sentences(ask(kg, "ex:Apple ex:canBe ex:EatenRaw").proof, kg)[-1:]
    )


def test_rain_fallacy_is_unknown_in_open_world_and_false_in_closed_world():
    kg = make_kg(
        "ex:isNot kgr:negationOf rdf:type . ex:today ex:isNot ex:Rainy .",
        rules="[wet] ex:ground a ex:Wet :- ex:today a ex:Rainy .",
    )
    r = Reasoner(kg)
    v = ask(kg, "ex:ground a ex:Wet", r)
    assert v.value == Truth.UNKNOWN  # denying the antecedent proves nothing
    assert any("wet" in m for m in v.missing) and "ex:today a ex:Rainy" in " ".join(v.missing)
    assert ask(kg, "ex:today a ex:Rainy", r).value == Truth.FALSE
    closed = ask(kg, "ex:ground a ex:Wet", r, closed_world=True)
    assert closed.value == Truth.FALSE and closed.proof.rule == "kgr-cwa"


def test_open_world_negated_body_needs_a_derived_negative_fact():
    kg = make_kg(
        """ex:Full owl:disjointWith ex:Hungry . ex:rex a ex:Dog , ex:Full . ex:fido a ex:Dog .""",
        rules="[happy] ?x a ex:Happy :- ?x a ex:Dog, not ?x a ex:Hungry .",
    )
    r = Reasoner(kg)
    rex = ask(kg, "ex:rex a ex:Happy", r)
    assert rex.value == Truth.TRUE and rex.proof.premises[1].rule == "cax-dw"
    assert ask(kg, "ex:fido a ex:Happy", r).value == Truth.UNKNOWN
    assert ask(kg, "ex:fido a ex:Happy", r, closed_world=True).value == Truth.TRUE  # NAF


def test_negative_head_and_negative_membership_through_subclasses():
    kg = make_kg(
        "ex:isNot kgr:negationOf rdf:type . ex:Kitten rdfs:subClassOf ex:Cat . ex:tom a ex:Robot .",
        rules="not ?x a ex:Cat :- ?x a ex:Robot .",
    )
    v = ask(kg, "ex:tom a ex:Kitten")
    assert v.value == Truth.FALSE and v.proof.rule == "kgr-neg-sc"
    assert ask(kg, "ex:tom ex:isNot ex:Cat").value == Truth.TRUE
    r = Reasoner(kg)
    assert (kg.resolve("ex:tom"), kg.resolve("ex:isNot"), kg.resolve("ex:Cat")) in set(
        r.inferred_triples()
    )


def test_contradictions_are_reported_not_resolved():
    kg = make_kg("""ex:a ex:p ex:b .
        [] a owl:NegativePropertyAssertion ; owl:sourceIndividual ex:a ; owl:assertionProperty ex:p ; owl:targetIndividual ex:b .""")
    r = Reasoner(kg)
    v = ask(kg, "ex:a ex:p ex:b", r)
    assert v.value == Truth.UNKNOWN and v.conflicts[0].kind == "contradiction"
    assert len(r.contradictions) == 1
    for proof in r.contradictions[0].proofs:
        assert check_proof(proof, r) == []


def test_strict_fact_wins_over_a_default_it_contradicts():
    kg = make_kg(
        BIRDS + "ex:Flyer owl:disjointWith ex:Grounded . ex:tweety a ex:Grounded .",
        rules="?x a ex:Flyer :- ?x ex:can ex:Fly .\nnot ?x ex:can ex:Fly :- ?x a ex:Grounded, ?x a ex:Bird .",
    )
    r = Reasoner(kg)
    assert ask(kg, "ex:tweety ex:can ex:Fly", r).value == Truth.FALSE


def test_stratification_and_closed_world_rules():
    rules = """[edible] ?x ex:canBe ex:EatenRaw :- ?x a ex:Fruit, not ?x ex:canBe ex:Poisonous .
               [poison] ?x ex:canBe ex:Poisonous :- ?x a ex:Yew ."""
    kg = make_kg("ex:apple a ex:Fruit . ex:yewberry a ex:Fruit , ex:Yew .", rules=rules)
    r = Reasoner(kg, closed_world=True)
    assert ask(kg, "ex:apple ex:canBe ex:EatenRaw", r).value == Truth.TRUE
    assert ask(kg, "ex:yewberry ex:canBe ex:EatenRaw", r).value == Truth.FALSE
    assert ask(kg, "ex:apple ex:canBe ex:EatenRaw", r, closed_world=False).value == Truth.UNKNOWN
    bad = make_kg(
        "ex:a a ex:Fruit .",
        rules="?x a ex:B :- ?x a ex:Fruit, not ?x a ex:C .\n?x a ex:C :- ?x a ex:B .",
    )
    with pytest.raises(RuleError, match="not stratifiable.*cycle"):
        Reasoner(bad, closed_world=True).materialize()
    assert Reasoner(bad).materialize()  # open world: fine


def test_limits_name_the_rule_that_keeps_growing():
    chain = " ".join(f"ex:n{i} ex:in ex:n{i + 1} ." for i in range(60))
    kg = make_kg("ex:in a owl:TransitiveProperty . " + chain)
    with pytest.raises(ReasoningError, match="prp-trp"):
        Reasoner(kg, max_facts=500).materialize()
    assert Reasoner(kg).stats["derived"] == 60 * 61 // 2 - 60
    # the built-in transitivity is one reachability step; a user rule still runs in rounds
    by_rule = make_kg(chain, rules="[in-trans] ?x ex:in ?z :- ?x ex:in ?y, ?y ex:in ?z .")
    with pytest.raises(ReasoningError, match="3 rounds.*in-trans"):
        Reasoner(by_rule, max_rounds=3).materialize()


def test_user_rules_with_reserved_names_and_variable_predicates():
    kg = make_kg(
        "ex:a ex:likes ex:b . ex:isNot kgr:negationOf ex:likes . ex:c ex:isNot ex:d .",
        rules="[rdfs9] ?y ?p ?x :- ?x ex:likes ?y, ?x ?p ?y .\n"
        "[kgr-cwa] ?x a ex:Lonely :- ?x ex:likes ?y, not ?y ex:likes ?x .",
    )
    r = Reasoner(kg)
    v = ask(kg, "ex:b ex:likes ex:a", r)
    assert v.value == Truth.TRUE and v.proof.rule == "rdfs9#2"
    assert ask(kg, "ex:c ex:likes ex:d", r).value == Truth.FALSE
    with pytest.raises(
        RuleError, match=r"kgr-cwa#2 uses 'not http://example.org/likes \*'.*any fact"
    ):
        Reasoner(
            kg, closed_world=True
        ).materialize()  # the variable-predicate rule feeds everything
    lonely = ask(
        kg,
        "ex:a a ex:Lonely",
        Reasoner(
            make_kg(
                "ex:a ex:likes ex:b .",
                rules=("[kgr-cwa] ?x a ex:Lonely :- ?x ex:likes ?y, not ?y ex:likes ?x ."),
            ),
            closed_world=True,
        ),
    )
    assert lonely.value == Truth.TRUE and lonely.proof.rule == "kgr-cwa#2"
    inferred = list(Reasoner(kg).inferred_triples())
    assert len(inferred) == len(set(inferred))
