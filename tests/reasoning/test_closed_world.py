"""Closed world: a 'not' condition about "something" ranges over the theory's individuals
(stratified negation as failure, by a rule rewrite with checkable proofs)."""

from __future__ import annotations

import copy

import pytest
from rdflib import RDF

from kgreason.core.proof import CWA
from kgreason.errors import RuleError
from kgreason.graph.vocab import EX
from kgreason.language.english_graph import parse_theory
from kgreason.language.render import proof_text
from kgreason.reasoning import Reasoner, Truth, check_proof
from kgreason.reasoning.closed_world import DOMAIN_CLASS, INDIVIDUAL, individuals, with_domain

from .conftest import ask, make_kg

# ProofWriter closed-world style: the rule's "something" is bound by nothing but the 'not'
THEORY = (
    "The bear is big. Anne is quiet. The bear chases the cat. Dave is round. "
    "If something is not quiet then it is red. "
    "If something is red and not big then it is blue."
)


def holds(r: Reasoner, who: str, cls: str):
    verdict = r.holds(EX[who], RDF.type, EX[cls])
    if verdict.proof is not None:
        assert check_proof(verdict.proof, r) == []
    return verdict


def test_not_about_something_ranges_over_the_individuals():
    kg = parse_theory(THEORY)
    r = Reasoner(kg, closed_world=True)
    assert holds(r, "TheBear", "Red").value == Truth.TRUE
    assert holds(r, "Anne", "Red").value == Truth.FALSE  # Anne is quiet
    # the cat is only an object ("the bear chases the cat"), Dave only has an attribute
    assert holds(r, "TheCat", "Red").value == Truth.TRUE
    assert holds(r, "TheCat", "Blue").value == Truth.TRUE
    assert holds(r, "Dave", "Blue").value == Truth.TRUE
    assert holds(r, "TheBear", "Blue").value == Truth.FALSE  # the bear is big
    # classes are not individuals: nothing says "red is red"
    assert r.holds(EX.Quiet, RDF.type, EX.Red).value == Truth.FALSE
    assert all(t[2] != DOMAIN_CLASS for t in r.inferred_triples())  # internal, never reported


def test_the_proof_shows_the_closed_world_steps():
    kg = parse_theory(THEORY)
    r = Reasoner(kg, closed_world=True)
    proof = holds(r, "TheCat", "Blue").proof
    steps = {(s.rule, s.negated, s.triple[0], s.triple[2]) for s in proof.steps()}
    assert (INDIVIDUAL, False, EX.TheCat, DOMAIN_CLASS) in steps
    assert (CWA, True, EX.TheCat, EX.Quiet) in steps
    assert (CWA, True, EX.TheCat, EX.Big) in steps
    text = proof_text(proof, kg)
    assert "The cat is an individual.  [one of the theory's individuals]" in text
    assert "The bear chases the cat.  [given]" in text  # why the cat is one
    assert "The cat is not quiet.  [not derivable (closed world)]" in text


def test_forged_closed_world_steps_are_rejected():
    kg = parse_theory(THEORY)
    r = Reasoner(kg, closed_world=True)
    proof = copy.deepcopy(holds(r, "TheBear", "Red").proof)  # proofs are cached: forge a copy
    individual = next(s for s in proof.steps() if s.rule == INDIVIDUAL)
    individual.triple = (EX.Quiet, RDF.type, DOMAIN_CLASS)  # a class is no individual
    assert any("not an individual" in p for p in check_proof(proof, r))
    proof = copy.deepcopy(holds(r, "TheBear", "Red").proof)
    absent = next(s for s in proof.premises if s.rule == CWA)
    absent.triple = (EX.TheBear, RDF.type, EX.Big)  # not the rule's 'not' condition
    assert any("'not' conditions" in p for p in check_proof(proof, r))


def test_stratified_through_positive_rules():
    # not big → round → quiet; not quiet → red: stratifiable (red is decided after quiet)
    kg = parse_theory(
        "Bob is young. Anne is big. If something is not quiet then it is red. "
        "If something is not big then it is round. If something is round then it is quiet."
    )
    r = Reasoner(kg, closed_world=True)
    assert holds(r, "Bob", "Quiet").value == Truth.TRUE
    assert holds(r, "Bob", "Red").value == Truth.FALSE
    assert holds(r, "Anne", "Red").value == Truth.TRUE


def test_a_real_cycle_through_not_is_still_rejected():
    kg = parse_theory("Bob is young. If something is not red then it is blue. "
                      "If something is blue then it is red.")
    with pytest.raises(RuleError, match="not stratifiable"):
        Reasoner(kg, closed_world=True).materialize()


def test_open_world_reads_not_as_a_known_negative_fact():
    kg = parse_theory(THEORY + " Eric is not quiet.")
    r = Reasoner(kg)  # no negation as failure: the rule needs "X is not quiet" stated
    assert holds(r, "Eric", "Red").value == Truth.TRUE
    assert holds(r, "TheBear", "Red").value == Truth.UNKNOWN
    assert holds(r, "Anne", "Red").value == Truth.UNKNOWN


def test_rule_files_and_the_rewrite():
    kg = make_kg(
        "ex:b a ex:Bat . ex:Bat rdfs:subClassOf ex:Mammal . ex:b ex:likes ex:c . "
        "ex:likes a owl:ObjectProperty . ex:isNot kgr:negationOf rdf:type . ex:d ex:isNot ex:Big .",
        rules="[r] ?x a ex:Red :- not ?x a ex:Quiet .\n[s] ?x ex:likes ex:e :- not ?x a ex:Red .",
    )
    assert ask(kg, "ex:c a ex:Red", Reasoner(kg, closed_world=True)).value == Truth.TRUE
    rewritten = with_domain(kg.rules[0])
    assert rewritten is not None and rewritten.body[0].o == DOMAIN_CLASS
    assert with_domain(kg.rules[1]) is not None
    found = individuals(kg.rdf, kg.rules)
    ex = "http://example.org/"
    assert {str(n)[len(ex):] for n in found} == {"b", "c", "d", "e"}  # e: only a rule mentions it
    assert found[kg.resolve("ex:e")] is None
    # a 'not' bound by a positive atom needs no rewrite
    bound = make_kg("ex:a a ex:B .", rules="?x a ex:C :- ?x a ex:B, not ?x a ex:D .")
    assert with_domain(bound.rules[0]) is None


def test_proofwriter_closed_world_theories_through_eval(tmp_path):
    """A ProofWriter-format closed-world dataset (ids say CWA) with "not" about "something":
    every question answered, by the reasoner, with proofs that re-check."""
    import json

    from typer.testing import CliRunner

    from kgreason.cli import app

    rows = [
        {"id": "Tiny-CWA-1", "context": THEORY, "questions": [
            {"id": "Tiny-CWA-1-Q1", "text": "The cat is blue.", "label": "true"},
            {"id": "Tiny-CWA-1-Q2", "text": "Anne is red.", "label": "false"},
            {"id": "Tiny-CWA-1-Q3", "text": "The bear is not red.", "label": "false"},
            {"id": "Tiny-CWA-1-Q4", "text": "Dave is not blue.", "label": "false"},
        ]},
        {"id": "Tiny-CWA-2", "context": "Bob is young. Anne is big. If something is not quiet then it is "
                                        "red. If something is not big then it is round. If something "
                                        "is round then it is quiet.", "questions": [
            {"id": "Tiny-CWA-2-Q1", "text": "Bob is red.", "label": "false"},
            {"id": "Tiny-CWA-2-Q2", "text": "Anne is red.", "label": "true"},
            {"id": "Tiny-CWA-2-Q3", "text": "Bob is quiet.", "label": "true"},
        ]},
    ]
    data = tmp_path / "tiny-cwa.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = CliRunner().invoke(app, ["eval", str(data), "--mode", "symbolic", "--json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)["modes"]["symbolic"]
    assert report["errors"] == 0 and report["n"] == 7
    assert report["accuracy"] == 1.0 and report["proof_validity"] == 1.0
