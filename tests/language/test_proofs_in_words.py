"""Proofs in words: every rule the reasoner can put in a proof has an English name and gloss
(text, JSON ``rule_label`` / ``rule_gloss``, drawings), user rules are named by their own text, and
class expressions (blank nodes) are verbalized instead of shown as blank-node ids."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from rdflib import RDF, BNode, Graph, URIRef

import kgreason.reasoning
from kgreason.core import ASSERTED, CWA
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.language.english_graph import parse_theory
from kgreason.language.proof_graph import proof_graph
from kgreason.language.render import proof_json, proof_sentences, proof_text
from kgreason.language.rule_labels import RULE_LABELS, rule_gloss, rule_label
from kgreason.language.verbalize import class_phrase, verbalize
from kgreason.reasoning import Reasoner, load_reasoner
from kgreason.reasoning.builtin_rules import INHERIT, INHERIT_NEG, builtin_rules, query_time_rules
from kgreason.reasoning.closed_world import INDIVIDUAL
from kgreason.reasoning.owl_rules import W3C_ALIASES, W3C_RULES, graph_rules, owl_rl_rules

DATA = Path(__file__).parent.parent / "data"
PZ = "http://example.org/pizza#"
#: A rule id as the reasoner writes them: RDFS, rdfD1, and the W3C / kgr- tables.
RULE_ID = re.compile(r"^(rdfs\d+|rdfD1|(eq|prp|cls|cax|scm|dt|kgr)-[a-z0-9-]+)$")
#: Every construct that makes the reasoner write rules out per axiom (owl_rules.graph_rules).
PER_AXIOM = """
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:C owl:intersectionOf (ex:A ex:B) ; owl:unionOf (ex:A ex:B) ; owl:oneOf (ex:a ex:b) .
ex:p owl:propertyChainAxiom (ex:q ex:r) ; a owl:FunctionalProperty .
ex:C owl:hasKey (ex:q) .
[] a owl:AllDisjointClasses ; owl:members (ex:A ex:B) .
[] a owl:AllDisjointProperties ; owl:members (ex:q ex:r) .
[] a owl:AllDifferent ; owl:members (ex:a ex:b) ; owl:distinctMembers (ex:a ex:b) .
ex:R0 owl:onProperty ex:q ; owl:maxCardinality 0 .
ex:R1 owl:onProperty ex:q ; owl:maxCardinality 1 .
ex:Q0 owl:onProperty ex:q ; owl:maxQualifiedCardinality 0 ; owl:onClass ex:A .
ex:Q1 owl:onProperty ex:q ; owl:maxQualifiedCardinality 1 ; owl:onClass ex:A .
ex:T0 owl:onProperty ex:q ; owl:maxQualifiedCardinality 0 ; owl:onClass owl:Thing .
ex:T1 owl:onProperty ex:q ; owl:maxQualifiedCardinality 1 ; owl:onClass owl:Thing .
ex:a ex:p "1"^^xsd:integer , "01"^^xsd:integer , "2"^^xsd:integer ; ex:r "x"^^xsd:integer .
"""


def _ids_in_reasoning_source() -> set[str]:
    """Every string of kgreason/reasoning/*.py that is a rule id (``"kgr-neg-maxqc" if qualified
    else ...`` included) and every ``[id]`` of the rule texts there."""
    found = set()
    for path in Path(kgreason.reasoning.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if RULE_ID.match(node.value):
                    found.add(node.value)
                found |= {w for w in re.findall(r"^\[([\w-]+)\]", node.value, re.MULTILINE) if RULE_ID.match(w)}
    return found


def reasoner_rule_ids() -> set[str]:
    """Every rule id the reasoner can put in a proof, taken from kgreason.reasoning: the parsed
    rule tables, the W3C table and its aliases, the ids of defaults and the closed world, the
    rules written out for a graph with every per-axiom construct, and every id-like string of the
    reasoning source (so a new rule is seen even before a test graph uses it)."""
    ids = {r.id for r in builtin_rules() + owl_rl_rules() + query_time_rules()}
    ids |= set(W3C_RULES) | set(W3C_ALIASES)
    ids |= {ASSERTED, CWA, INHERIT, INHERIT_NEG, INDIVIDUAL}
    kg = KnowledgeGraph(Graph().parse(data=PER_AXIOM, format="turtle"))
    generated = graph_rules(kg.rdf, kg.namespaces)
    ids |= {r.id.split("#")[0] for r in generated}
    ids |= _ids_in_reasoning_source()
    return ids


def test_every_rule_the_reasoner_can_use_has_an_english_name_and_gloss():
    ids = reasoner_rule_ids()
    assert len(ids) > 100 and {"rdfs11", "cax-eqc1", "kgr-inherit", "cls-maxqc3", "rdfD1",
                               "kgr-neg-maxqc", "dt-not-type", "scm-avf2-dp"} <= ids
    missing = sorted(i for i in ids if i not in RULE_LABELS)
    assert missing == []
    for rid in ids:
        name, gloss = RULE_LABELS[rid]
        assert name and gloss and name != rid and not RULE_ID.match(name), rid
        assert len(name) <= 50 and "\n" not in gloss, rid
    # numbered rules (written out per axiom) are named by their table's id
    assert rule_label("cls-int1#3") == RULE_LABELS["cls-int1"][0]
    assert rule_label("rdfs11") == "subclass of a subclass"
    assert rule_label("prp-trp") == "is transitive"
    assert rule_label("kgr-inherit") == "inherits from its class"


def test_user_rules_keep_their_own_text():
    assert rule_label("theory#3", "If something is big then it is red.") == "If something is big then it is red"
    assert rule_label("grandparent", "[grandparent] ?x ex:gp ?z :- ?x ex:p ?y, ?y ex:p ?z .") == \
        "?x ex:gp ?z :- ?x ex:p ?y, ?y ex:p ?z"
    assert rule_gloss("user:1", "") == "user:1"
    kg = parse_theory("The bear is big. If something is big then it is red.")
    r = Reasoner(kg)
    verdict = r.holds(*(kg.resolve(t) for t in ("ex:TheBear", "rdf:type", "ex:Red")))
    data = proof_json(verdict.proof, kg)
    assert data["rule_label"] == "If something is big then it is red"
    assert data["rule"] == verdict.proof.rule  # the id stays beside the name
    assert "[If something is big then it is red]" in proof_text(verdict.proof, kg)


@pytest.fixture(scope="module")
def pizza():
    return load_reasoner([str(DATA / "pizza.owl")])


def _proof(reasoner, subject: str, cls: str):
    verdict = reasoner.holds(URIRef(PZ + subject), RDF.type, URIRef(PZ + cls))
    assert verdict.proof is not None
    return verdict.proof


BLANK_ID = re.compile(r"\bN[0-9a-f]{20,}\b|_:")


def test_the_pizza_proof_is_said_in_words(pizza):
    proof = _proof(pizza, "Diavola", "SpicyPizza")
    kg = pizza.kg
    raw = [verbalize(kg, s.triple, negated=s.negated) for s in proof.steps()]
    assert any(BLANK_ID.search(t) for t in [str(s.triple[0]) for s in proof.steps()])  # blank nodes there
    sentences = proof_sentences(proof, kg)
    assert not any(BLANK_ID.search(s) for s in sentences + raw), sentences
    # the class expressions, in words
    assert "Spicy pizza means a pizza that has some spicy topping." in sentences
    assert "Spicy topping means a pizza topping whose spiciness is hot." in sentences
    assert "Every pepperoni topping is something whose spiciness is hot." in sentences
    assert "Diavola is a pizza that has some spicy topping." in sentences
    assert "Whatever has a topping is a pizza." in sentences  # rdfs:domain
    assert "Every topping of something is a pizza topping." in sentences  # rdfs:range
    assert sentences[-1] == "Diavola is a spicy pizza."
    # definitions of the expressions (onProperty, hasValue, intersectionOf lists) are left out,
    # and a step that restates a premise in the same words is that premise: 28 steps, 17 lines
    assert len(proof.steps()) >= 28 and len(sentences) <= 17
    text = proof_text(proof, kg)
    assert text.splitlines()[0] == "Diavola is a spicy pizza.  [member of a superclass]"
    assert "[in every part, so in the intersection]" in text and "[has some of that class]" in text
    assert not BLANK_ID.search(text) and "cls-" not in text and "rdfs" not in text
    g = proof_graph(proof, kg)
    assert not any(BLANK_ID.search(d["label"]) for _, d in g.nodes(data=True))
    rules = {d["rule"]: d["label"] for _, d in g.nodes(data=True) if d["kind"] == "rule"}
    assert rules["cls-svf1"] == "has some of that class" and rules["rdfs9"] == "member of a superclass"
    # the JSON keeps the whole checked proof, with names and glosses beside the ids
    data = proof_json(proof, kg)
    assert data["rule"] == "rdfs9" and data["rule_label"] == "member of a superclass"
    assert data["rule_gloss"] == RULE_LABELS["rdfs9"][1]

    def nodes(d):
        yield d
        for p in d["premises"]:
            yield from nodes(p)

    every = list(nodes(data))
    assert any(n.get("definition") for n in every)  # kept, marked
    assert not any(BLANK_ID.search(n["text"]) for n in every)


def test_other_pizza_proofs_in_words(pizza):
    kg = pizza.kg
    basil = proof_sentences(_proof(pizza, "Basil1", "VegetarianTopping"), kg)
    assert "Every vegetable topping is a cheese topping or a vegetable topping." not in basil
    assert "Every vegetarian pizza is something that has only vegetarian toppings." in basil
    tomato = proof_sentences(_proof(pizza, "Tomato1", "VegetarianTopping"), kg)
    assert "Vegetarian topping means a cheese topping or a vegetable topping." in tomato
    verdict = pizza.holds(URIRef(PZ + "Diavola"), RDF.type, URIRef(PZ + "VegetarianPizza"))
    no = proof_sentences(verdict.proof, kg)
    assert no[-1] == "Diavola is not a vegetarian pizza."
    assert "Nothing is both a vegetarian pizza and a meaty pizza." in no


EXPRESSIONS = """
@prefix ex: <http://example.org/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:hasPet rdfs:label "has pet" . ex:eats rdfs:label "eats" . ex:livesIn rdfs:label "lives in" .
ex:Dog rdfs:label "dog" . ex:Cat rdfs:label "cat" . ex:Plant rdfs:label "plant" .
ex:Person rdfs:label "person" . ex:Africa rdfs:label "Africa" . ex:Meat rdfs:label "meat" .
ex:a rdfs:label "alpha" . ex:b rdfs:label "beta" .
ex:has_topping rdfs:label "has topping" . ex:SpicyTopping rdfs:label "spicy topping" .
ex:hasTopping owl:equivalentClass [ owl:onProperty ex:has_topping ; owl:someValuesFrom ex:SpicyTopping ] .
ex:some owl:equivalentClass [ owl:onProperty ex:hasPet ; owl:someValuesFrom ex:Dog ] .
ex:eater owl:equivalentClass [ owl:onProperty ex:eats ; owl:someValuesFrom ex:Meat ] .
ex:only owl:equivalentClass [ owl:onProperty ex:eats ; owl:allValuesFrom ex:Plant ] .
ex:onlyPets owl:equivalentClass [ owl:onProperty ex:hasPet ; owl:allValuesFrom ex:Cat ] .
ex:value owl:equivalentClass [ owl:onProperty ex:livesIn ; owl:hasValue ex:Africa ] .
ex:both owl:equivalentClass [ owl:intersectionOf ( ex:Person [ owl:onProperty ex:hasPet ; owl:someValuesFrom ex:Dog ]
                                                   [ owl:complementOf ex:Cat ] ) ] .
ex:either owl:equivalentClass [ owl:unionOf ( ex:Dog ex:Cat ) ] .
ex:not owl:equivalentClass [ owl:complementOf ex:Dog ] .
ex:few owl:equivalentClass [ owl:onProperty ex:hasPet ; owl:maxCardinality 2 ] .
ex:oneDog owl:equivalentClass [ owl:onProperty ex:hasPet ; owl:maxQualifiedCardinality 1 ; owl:onClass ex:Dog ] .
ex:listed owl:equivalentClass [ owl:oneOf ( ex:a ex:b ) ] .
ex:nested owl:equivalentClass [ owl:onProperty ex:hasPet ;
                                owl:someValuesFrom [ owl:onProperty ex:eats ; owl:someValuesFrom ex:Meat ] ] .
"""


@pytest.mark.parametrize(("cls", "said"), [
    ("some", "something that has some pet that is a dog"),
    ("eater", "something that eats some meat"),
    ("only", "something that eats only plants"),
    ("onlyPets", "something whose pets are all cats"),
    ("value", "something that lives in Africa"),
    ("both", "a person that has some pet that is a dog and that is not a cat"),
    ("either", "a dog or a cat"),
    ("not", "something that is not a dog"),
    ("few", "something that has at most 2 pets"),
    ("oneDog", "something that has at most 1 dog"),
    ("listed", "one of alpha or beta"),
    ("nested", "something that has some pet that is something that eats some meat"),
    ("hasTopping", "something that has some spicy topping"),
])
def test_class_expressions_are_verbalized(cls, said):
    kg = KnowledgeGraph(Graph().parse(data=EXPRESSIONS, format="turtle"))
    from rdflib import OWL

    node = kg.rdf.value(URIRef("http://example.org/" + cls), OWL.equivalentClass)
    assert isinstance(node, BNode)
    assert class_phrase(kg, node) == said
    # said in facts about it too, never as its blank-node id
    fido = URIRef("http://example.org/fido")
    assert verbalize(kg, (fido, RDF.type, node)) == f"fido is {said}"
    assert verbalize(kg, (fido, RDF.type, node), negated=True) == f"fido is not {said}"


def test_an_unknown_says_in_words_what_is_missing():
    from kgreason.language.render import missing_text

    kg = parse_theory("Dave is a fish. The bear is a fish. The bear is not wet. "
                      "If something is a fish and it is wet then it can swim.")
    r = Reasoner(kg)
    dave = r.holds(*(kg.resolve(t) for t in ("ex:Dave", "ex:can", "ex:Swim")))
    assert dave.value.value == "unknown"
    assert missing_text(kg, dave.triple, dave.missing, kg.rules) == (
        "nothing in the graph says whether Dave can swim; “If something is a fish and it is wet then "
        "it can swim” would say so if Dave is a fish and Dave is wet, but nothing says whether Dave is wet")
    bear = r.holds(*(kg.resolve(t) for t in ("ex:TheBear", "ex:can", "ex:Swim")))
    assert missing_text(kg, bear.triple, bear.missing, kg.rules).endswith(", but the bear is not wet")


def test_cli_says_no_answer_proved_not_zero_answers(tmp_path):
    from typer.testing import CliRunner

    from kgreason.cli import app as cli

    pipeline = tmp_path / "reasoner.yaml"
    pipeline.write_text("graphs: [commonsense]\nretrieval: {enabled: false, rank_candidates: false}\n")
    result = CliRunner().invoke(cli, ["ask", "Which reptiles can fly?", "-p", str(pipeline)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no answer proved  X can fly.") and "0 answers" not in result.output
    unknown = CliRunner().invoke(cli, ["ask", "Can a dog swim?", "-p", str(pipeline)])
    assert "nothing in the graph says whether a dog can swim" in " ".join(unknown.output.split())
