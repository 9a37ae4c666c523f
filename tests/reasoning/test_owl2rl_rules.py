"""Every rule of the OWL 2 RL/RDF tables on a tiny graph of our own: the premise, the expected
consequence (or clash), the W3C id in the proof, and every proof re-checked by the proof checker.

The W3C conformance suite is not available offline; these cases follow the rule tables of
"OWL 2 Web Ontology Language Profiles", section 4.3."""

from __future__ import annotations

import pytest
from rdflib import OWL, Graph

from kgreason.reasoning import Reasoner, Truth, check_proof
from kgreason.reasoning.owl_rules import W3C_RULES, w3c_id

from .conftest import PREFIXES, ask, make_kg

XSD = "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"

# (W3C id, graph, "derive" | "clash", triple)
CASES = [
    # --- equality
    ("eq-sym", "ex:a owl:sameAs ex:b .", "derive", "ex:b owl:sameAs ex:a"),
    ("eq-trans", "ex:a owl:sameAs ex:b . ex:b owl:sameAs ex:c .", "derive", "ex:a owl:sameAs ex:c"),
    ("eq-rep-s", "ex:a owl:sameAs ex:b . ex:a ex:p ex:c .", "derive", "ex:b ex:p ex:c"),
    ("eq-rep-p", "ex:p owl:sameAs ex:q . ex:a ex:p ex:c .", "derive", "ex:a ex:q ex:c"),
    ("eq-rep-o", "ex:c owl:sameAs ex:d . ex:a ex:p ex:c .", "derive", "ex:a ex:p ex:d"),
    ("eq-diff1", "ex:a owl:sameAs ex:b . ex:a owl:differentFrom ex:b .", "clash", "ex:a owl:sameAs ex:b"),
    ("eq-diff2", "[] a owl:AllDifferent ; owl:members ( ex:a ex:b ex:c ) . ex:a owl:sameAs ex:c .",
     "clash", "ex:a owl:sameAs ex:c"),
    ("eq-diff3", "[] a owl:AllDifferent ; owl:distinctMembers ( ex:a ex:b ) . ex:b owl:sameAs ex:a .",
     "clash", "ex:a owl:sameAs ex:b"),
    # --- properties
    ("prp-dom", "ex:p rdfs:domain ex:C . ex:a ex:p ex:b .", "derive", "ex:a a ex:C"),
    ("prp-rng", "ex:p rdfs:range ex:C . ex:a ex:p ex:b .", "derive", "ex:b a ex:C"),
    ("prp-fp", "ex:p a owl:FunctionalProperty . ex:a ex:p ex:b, ex:c .", "derive", "ex:b owl:sameAs ex:c"),
    ("prp-ifp", "ex:p a owl:InverseFunctionalProperty . ex:a ex:p ex:c . ex:b ex:p ex:c .",
     "derive", "ex:a owl:sameAs ex:b"),
    ("prp-irp", "ex:p a owl:IrreflexiveProperty . ex:a ex:p ex:a .", "clash", "ex:a ex:p ex:a"),
    ("prp-symp", "ex:p a owl:SymmetricProperty . ex:a ex:p ex:b .", "derive", "ex:b ex:p ex:a"),
    ("prp-asyp", "ex:p a owl:AsymmetricProperty . ex:a ex:p ex:b . ex:b ex:p ex:a .",
     "clash", "ex:a ex:p ex:b"),
    ("prp-trp", "ex:p a owl:TransitiveProperty . ex:a ex:p ex:b . ex:b ex:p ex:c .",
     "derive", "ex:a ex:p ex:c"),
    ("prp-spo1", "ex:p rdfs:subPropertyOf ex:q . ex:a ex:p ex:b .", "derive", "ex:a ex:q ex:b"),
    ("prp-spo2", ("ex:uncle owl:propertyChainAxiom ( ex:parent ex:brother ) . "
     "ex:a ex:parent ex:b . ex:b ex:brother ex:c ."), "derive", "ex:a ex:uncle ex:c"),
    ("prp-eqp1", "ex:p owl:equivalentProperty ex:q . ex:a ex:p ex:b .", "derive", "ex:a ex:q ex:b"),
    ("prp-eqp2", "ex:p owl:equivalentProperty ex:q . ex:a ex:q ex:b .", "derive", "ex:a ex:p ex:b"),
    ("prp-pdw", "ex:p owl:propertyDisjointWith ex:q . ex:a ex:p ex:b . ex:a ex:q ex:b .",
     "clash", "ex:a ex:q ex:b"),
    ("prp-adp", ("[] a owl:AllDisjointProperties ; owl:members ( ex:p ex:q ex:r ) . "
     "ex:a ex:p ex:b . ex:a ex:r ex:b ."), "clash", "ex:a ex:r ex:b"),
    ("prp-inv1", "ex:p owl:inverseOf ex:q . ex:a ex:p ex:b .", "derive", "ex:b ex:q ex:a"),
    ("prp-inv2", "ex:p owl:inverseOf ex:q . ex:a ex:q ex:b .", "derive", "ex:b ex:p ex:a"),
    ("prp-key", ("ex:C owl:hasKey ( ex:isbn ex:ed ) . ex:a a ex:C ; ex:isbn ex:k ; ex:ed ex:e . "
     "ex:b a ex:C ; ex:isbn ex:k ; ex:ed ex:e ."), "derive", "ex:a owl:sameAs ex:b"),
    ("prp-npa1", ("[] owl:sourceIndividual ex:a ; owl:assertionProperty ex:p ; owl:targetIndividual ex:b . "
     "ex:a ex:p ex:b ."), "clash", "ex:a ex:p ex:b"),
    ("prp-npa2", ('[] owl:sourceIndividual ex:a ; owl:assertionProperty ex:p ; owl:targetValue "v" . '
     'ex:a ex:p "v" .'), "clash", 'ex:a ex:p "v"'),
    # --- classes
    ("cls-nothing2", "ex:a a owl:Nothing .", "clash", "ex:a a owl:Nothing"),
    ("cls-int1", "ex:C owl:intersectionOf ( ex:A ex:B ) . ex:x a ex:A, ex:B .", "derive", "ex:x a ex:C"),
    ("cls-int2", "ex:C owl:intersectionOf ( ex:A ex:B ) . ex:x a ex:C .", "derive", "ex:x a ex:B"),
    ("cls-uni", "ex:C owl:unionOf ( ex:A ex:B ) . ex:x a ex:B .", "derive", "ex:x a ex:C"),
    ("cls-com", "ex:A owl:complementOf ex:B . ex:x a ex:A, ex:B .", "clash", "ex:x a ex:B"),
    ("cls-svf1", "ex:R owl:someValuesFrom ex:B ; owl:onProperty ex:p . ex:x ex:p ex:y . ex:y a ex:B .",
     "derive", "ex:x a ex:R"),
    ("cls-svf2", "ex:R owl:someValuesFrom owl:Thing ; owl:onProperty ex:p . ex:x ex:p ex:y .",
     "derive", "ex:x a ex:R"),
    ("cls-avf", "ex:R owl:allValuesFrom ex:B ; owl:onProperty ex:p . ex:x a ex:R ; ex:p ex:y .",
     "derive", "ex:y a ex:B"),
    ("cls-hv1", "ex:R owl:hasValue ex:v ; owl:onProperty ex:p . ex:x a ex:R .", "derive", "ex:x ex:p ex:v"),
    ("cls-hv2", "ex:R owl:hasValue ex:v ; owl:onProperty ex:p . ex:x ex:p ex:v .", "derive", "ex:x a ex:R"),
    ("cls-maxc1", XSD + 'ex:R owl:maxCardinality "0"^^xsd:nonNegativeInteger ; owl:onProperty ex:p . '
     "ex:x a ex:R ; ex:p ex:y .", "clash", "ex:x a ex:R"),
    ("cls-maxc2", XSD + 'ex:R owl:maxCardinality "1"^^xsd:nonNegativeInteger ; owl:onProperty ex:p . '
     "ex:x a ex:R ; ex:p ex:y1, ex:y2 .", "derive", "ex:y1 owl:sameAs ex:y2"),
    ("cls-maxqc1", ('ex:R owl:maxQualifiedCardinality 0 ; owl:onProperty ex:p ; owl:onClass ex:C . '
     "ex:x a ex:R ; ex:p ex:y . ex:y a ex:C ."), "clash", "ex:x a ex:R"),
    ("cls-maxqc2", ('ex:R owl:maxQualifiedCardinality 0 ; owl:onProperty ex:p ; owl:onClass owl:Thing . '
     "ex:x a ex:R ; ex:p ex:y ."), "clash", "ex:x a ex:R"),
    ("cls-maxqc3", ('ex:R owl:maxQualifiedCardinality 1 ; owl:onProperty ex:p ; owl:onClass ex:C . '
     "ex:x a ex:R ; ex:p ex:y1, ex:y2, ex:y3 . ex:y1 a ex:C . ex:y2 a ex:C ."),
     "derive", "ex:y1 owl:sameAs ex:y2"),
    ("cls-maxqc4", ('ex:R owl:maxQualifiedCardinality 1 ; owl:onProperty ex:p ; owl:onClass owl:Thing . '
     "ex:x a ex:R ; ex:p ex:y1, ex:y2 ."), "derive", "ex:y2 owl:sameAs ex:y1"),
    ("cls-oo", "ex:C owl:oneOf ( ex:a ex:b ) .", "derive", "ex:b a ex:C"),
    # --- class axioms
    ("cax-sco", "ex:A rdfs:subClassOf ex:B . ex:x a ex:A .", "derive", "ex:x a ex:B"),
    ("cax-eqc1", "ex:A owl:equivalentClass ex:B . ex:x a ex:A .", "derive", "ex:x a ex:B"),
    ("cax-eqc2", "ex:A owl:equivalentClass ex:B . ex:x a ex:B .", "derive", "ex:x a ex:A"),
    ("cax-dw", "ex:A owl:disjointWith ex:B . ex:x a ex:A, ex:B .", "clash", "ex:x a ex:B"),
    ("cax-adc", "[] a owl:AllDisjointClasses ; owl:members ( ex:A ex:B ex:C ) . ex:x a ex:A, ex:C .",
     "clash", "ex:x a ex:C"),
    # --- datatypes
    ("dt-type2", XSD + 'ex:q rdfs:range xsd:integer . ex:a ex:p "5"^^xsd:integer .',
     "derive", '"5"^^xsd:integer a xsd:integer'),
    ("dt-eq", XSD + 'ex:p rdfs:range xsd:decimal . ex:a ex:p "1"^^xsd:integer, "1.0"^^xsd:decimal .',
     "derive", '"1"^^xsd:integer owl:sameAs "1.0"^^xsd:decimal'),
    ("dt-diff", XSD + 'ex:p a owl:FunctionalProperty . ex:a ex:p "1"^^xsd:integer, "2"^^xsd:integer .',
     "clash", '"1"^^xsd:integer owl:sameAs "2"^^xsd:integer'),
    ("dt-not-type", XSD + 'ex:p rdfs:range xsd:integer . ex:a ex:p "abc"^^xsd:integer .',
     "clash", '"abc"^^xsd:integer a xsd:integer'),
    ("dt-not-type", XSD + 'ex:a ex:p "12x"^^xsd:integer .', "clash", '"12x"^^xsd:integer a xsd:integer'),
    ("dt-not-type", XSD + 'ex:a ex:p "300"^^xsd:byte .', "clash", '"300"^^xsd:byte a xsd:byte'),
    # --- schema
    ("scm-sco", "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:C .", "derive", "ex:A rdfs:subClassOf ex:C"),
    ("scm-eqc1", "ex:A owl:equivalentClass ex:B .", "derive", "ex:B rdfs:subClassOf ex:A"),
    ("scm-eqc2", "ex:A rdfs:subClassOf ex:B . ex:B rdfs:subClassOf ex:A .", "derive", "ex:A owl:equivalentClass ex:B"),
    ("scm-spo", "ex:p rdfs:subPropertyOf ex:q . ex:q rdfs:subPropertyOf ex:r .", "derive",
     "ex:p rdfs:subPropertyOf ex:r"),
    ("scm-eqp1", "ex:p owl:equivalentProperty ex:q .", "derive", "ex:q rdfs:subPropertyOf ex:p"),
    ("scm-eqp2", "ex:p rdfs:subPropertyOf ex:q . ex:q rdfs:subPropertyOf ex:p .", "derive",
     "ex:p owl:equivalentProperty ex:q"),
    ("scm-dom1", "ex:p rdfs:domain ex:A . ex:A rdfs:subClassOf ex:B .", "derive", "ex:p rdfs:domain ex:B"),
    ("scm-dom2", "ex:q rdfs:domain ex:A . ex:p rdfs:subPropertyOf ex:q .", "derive", "ex:p rdfs:domain ex:A"),
    ("scm-rng1", "ex:p rdfs:range ex:A . ex:A rdfs:subClassOf ex:B .", "derive", "ex:p rdfs:range ex:B"),
    ("scm-rng2", "ex:q rdfs:range ex:A . ex:p rdfs:subPropertyOf ex:q .", "derive", "ex:p rdfs:range ex:A"),
    ("scm-hv", ("ex:R1 owl:hasValue ex:v ; owl:onProperty ex:p . ex:R2 owl:hasValue ex:v ; owl:onProperty ex:q . "
     "ex:p rdfs:subPropertyOf ex:q ."), "derive", "ex:R1 rdfs:subClassOf ex:R2"),
    ("scm-svf1", ("ex:R1 owl:someValuesFrom ex:A ; owl:onProperty ex:p . ex:R2 owl:someValuesFrom ex:B ; "
     "owl:onProperty ex:p . ex:A rdfs:subClassOf ex:B ."), "derive", "ex:R1 rdfs:subClassOf ex:R2"),
    ("scm-svf2", ("ex:R1 owl:someValuesFrom ex:A ; owl:onProperty ex:p . ex:R2 owl:someValuesFrom ex:A ; "
     "owl:onProperty ex:q . ex:p rdfs:subPropertyOf ex:q ."), "derive", "ex:R1 rdfs:subClassOf ex:R2"),
    ("scm-avf1", ("ex:R1 owl:allValuesFrom ex:A ; owl:onProperty ex:p . ex:R2 owl:allValuesFrom ex:B ; "
     "owl:onProperty ex:p . ex:A rdfs:subClassOf ex:B ."), "derive", "ex:R1 rdfs:subClassOf ex:R2"),
    ("scm-avf2", ("ex:R1 owl:allValuesFrom ex:A ; owl:onProperty ex:p . ex:R2 owl:allValuesFrom ex:A ; "
     "owl:onProperty ex:q . ex:p rdfs:subPropertyOf ex:q ."), "derive", "ex:R2 rdfs:subClassOf ex:R1"),
    ("scm-int", "ex:C owl:intersectionOf ( ex:A ex:B ) .", "derive", "ex:C rdfs:subClassOf ex:B"),
    ("scm-uni", "ex:C owl:unionOf ( ex:A ex:B ) .", "derive", "ex:A rdfs:subClassOf ex:C"),
]


def triple_of(text: str):
    g = Graph().parse(data=PREFIXES + XSD + text + " .", format="turtle")
    (t,) = list(g)
    return t


def rules_in(proof) -> set[str]:
    return {w3c_id(step.rule) for step in proof.steps()} - {None}


@pytest.mark.parametrize(("rule", "ttl", "kind", "triple"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_rule(rule: str, ttl: str, kind: str, triple: str) -> None:
    kg = make_kg(ttl)
    r = Reasoner(kg)
    t = triple_of(triple)
    if kind == "derive":
        proof = r.proof(t)
        assert proof is not None, f"{rule}: {triple} not derived"
        assert check_proof(proof, r) == []
        assert rule in rules_in(proof)
        assert not r.contradictions
        return
    clashes = [c for c in r.contradictions if c.triple == t]
    assert clashes, f"{rule}: no clash on {triple}; got {[c.triple for c in r.contradictions]}"
    (clash,) = clashes
    positive, negative = clash.proofs
    assert not positive.negated and negative.negated
    for proof in clash.proofs:
        assert check_proof(proof, r) == []
    assert rule in rules_in(positive) | rules_in(negative)


def test_every_w3c_rule_has_a_case() -> None:
    run = {rid for rid, (_, how) in W3C_RULES.items() if not how.startswith("not materialized")}
    assert run - {c[0] for c in CASES} == set()


def test_consistent_variants_do_not_clash() -> None:
    """The negative sides alone are no clash: only a fact together with its negation is."""
    kg = make_kg(
        "ex:p a owl:IrreflexiveProperty, owl:AsymmetricProperty . ex:a ex:p ex:b . "
        "ex:A owl:complementOf ex:B . ex:x a ex:A . [] a owl:AllDifferent ; owl:members ( ex:a ex:b ) ."
    )
    r = Reasoner(kg)
    assert r.contradictions == []
    assert r.proof(triple_of("ex:b ex:p ex:a"), negated=True).rule == "prp-asyp"
    assert r.proof(triple_of("ex:x a ex:B"), negated=True).rule == "cls-com"


def test_generated_rule_names_the_list() -> None:
    kg = make_kg("ex:C owl:intersectionOf ( ex:A ex:B ) . ex:x a ex:A, ex:B .")
    r = Reasoner(kg)
    proof = r.proof(triple_of("ex:x a ex:C"))
    assert proof.rule.startswith("cls-int1#")
    assert "(ex:A ex:B)" in proof.rule_text
    assert r.rule(proof.rule) is not None


def test_broken_list_is_ignored_not_fatal() -> None:
    kg = make_kg("ex:C owl:intersectionOf ex:L . ex:L rdf:first ex:A ; rdf:rest ex:L . ex:x a ex:C .")
    r = Reasoner(kg)
    assert r.proof(triple_of("ex:x a ex:A")) is None


def test_rdfs_only_graph_binds_no_owl_rules() -> None:
    kg = make_kg("ex:A rdfs:subClassOf ex:B . ex:x a ex:A . ex:x ex:p ex:y .")
    r = Reasoner(kg)
    assert r.holds(*triple_of("ex:x a ex:B")).proof is not None
    fired = set(r.stats["per_rule"])
    assert not any(w3c_id(rid) and rid.startswith(("cls-", "prp-spo2", "dt-", "scm-svf")) for rid in fired)


def test_nothing_reached_through_a_subclass_is_a_clash() -> None:
    r = Reasoner(make_kg("ex:A rdfs:subClassOf owl:Nothing . ex:x a ex:A ."))
    assert triple_of("ex:x a owl:Nothing") in {c.triple for c in r.contradictions}


REFLEXIVE_TTL = """
ex:A a owl:Class . ex:B a owl:Class ; rdfs:subClassOf ex:A .
ex:p a owl:ObjectProperty . ex:d a owl:DatatypeProperty . ex:x ex:p ex:y .
"""


@pytest.mark.parametrize("strategy", ["materialize", "query-time"])
@pytest.mark.parametrize(("question", "w3c"), [
    ("ex:A rdfs:subClassOf ex:A", "scm-cls"),
    ("ex:A owl:equivalentClass ex:A", "scm-cls"),
    ("ex:A rdfs:subClassOf owl:Thing", "scm-cls"),
    ("owl:Nothing rdfs:subClassOf ex:B", "scm-cls"),
    ("ex:p rdfs:subPropertyOf ex:p", "scm-op"),
    ("ex:p owl:equivalentProperty ex:p", "scm-op"),
    ("ex:d rdfs:subPropertyOf ex:d", "scm-dp"),
    ("ex:x owl:sameAs ex:x", "eq-ref"),
    ("ex:y owl:sameAs ex:y", "eq-ref"),
    ("owl:Thing rdf:type owl:Class", "cls-thing"),
    ("owl:Nothing rdf:type owl:Class", "cls-nothing1"),
    ("rdfs:label rdf:type owl:AnnotationProperty", "prp-ap"),
    ("xsd:integer rdf:type rdfs:Datatype", "dt-type1"),
])
def test_reflexive_and_axiomatic_triples_are_answered_when_asked(strategy, question, w3c):
    kg = make_kg(REFLEXIVE_TTL)
    r = Reasoner(kg, strategy=strategy)
    verdict = ask(kg, question, r)
    assert verdict.value == Truth.TRUE
    assert w3c_id(verdict.proof.rule) == w3c
    # ... and never written into the closure
    inferred = set(Reasoner(kg).inferred_triples())
    assert not any(t[0] == t[2] or OWL.Thing in t or OWL.Nothing in t for t in inferred)


def test_reflexive_answers_need_the_declaration():
    kg = make_kg(REFLEXIVE_TTL)
    assert ask(kg, "ex:z owl:sameAs ex:z").value == Truth.UNKNOWN  # not a term of the graph
    assert ask(kg, "ex:y rdfs:subClassOf ex:y").value == Truth.UNKNOWN  # not a declared class
