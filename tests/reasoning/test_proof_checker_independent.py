"""The proof checker does not trust the compiler: with rule compilation broken on purpose (a
condition dropped from the compiled rule, or from the generated join alone), the reasoner derives
wrong facts and the checker rejects every proof of them."""

from __future__ import annotations

import pytest

from kgreason.reasoning import Reasoner, check_proof, engine
from kgreason.reasoning import compile as compile_mod
from kgreason.reasoning import reasoner as reasoner_mod

from .conftest import make_kg

TTL = """
ex:tweety a ex:Bird ; ex:has ex:Wings .
ex:rex a ex:Bird .
ex:Flier rdfs:subClassOf ex:Mover .
"""
RULES = "[fly] ?x a ex:Flier :- ?x a ex:Bird, ?x ex:has ex:Wings ."


def _proofs(kg):
    r = Reasoner(kg)
    return r, {t: r.proof(t) for t in r.inferred_triples()}


@pytest.fixture
def fresh_compiler(monkeypatch):
    """Compiled rules and plans are cached per process: start (and leave) with empty caches."""
    monkeypatch.setattr(compile_mod, "_CACHE", {})
    monkeypatch.setattr(engine, "_TEMPLATES", {})
    for cached in (reasoner_mod._builtin_templates, reasoner_mod._query_templates):
        cached.cache_clear()
    yield
    for cached in (reasoner_mod._builtin_templates, reasoner_mod._query_templates):
        cached.cache_clear()


def test_correct_compilation_gives_proofs_that_check(fresh_compiler):
    kg = make_kg(TTL, RULES)
    r, proofs = _proofs(kg)
    rex, tweety = kg.resolve("ex:rex"), kg.resolve("ex:tweety")
    flier = kg.resolve("ex:Flier")
    assert r.holds(tweety, kg.resolve("rdf:type"), flier).value.value == "true"
    assert r.holds(rex, kg.resolve("rdf:type"), flier).value.value == "unknown"
    assert proofs and all(check_proof(p, r) == [] for p in proofs.values())


def test_a_compiled_rule_missing_a_condition_is_caught(fresh_compiler, monkeypatch):
    original = reasoner_mod.rule_template

    def broken(rule, **kw):  # compiles the user rule without its last condition
        if rule.id == "fly":
            rule = type(rule)(rule.id, rule.head, rule.body[:-1], rule.text, rule.source, rule.meta)
        return original(rule, **kw)

    monkeypatch.setattr(reasoner_mod, "rule_template", broken)
    kg = make_kg(TTL, RULES)
    r, proofs = _proofs(kg)
    rex, flier = kg.resolve("ex:rex"), kg.resolve("ex:Flier")
    wrong = [(rex, kg.resolve("rdf:type"), flier), (rex, kg.resolve("rdf:type"), kg.resolve("ex:Mover"))]
    for triple in wrong:  # derived without wings ...
        assert triple in proofs
        problems = check_proof(proofs[triple], r)  # ... and the checker says so
        assert any("fly" in p and "premises" in p for p in problems), problems


def test_a_join_that_drops_a_condition_is_caught(fresh_compiler, monkeypatch):
    original = compile_mod.generate_source

    def broken(head, body, delta, distinct, guard_same, pre=None):  # joins lose their last condition
        kept = body[:-1]                                   # (where the head stays bound)
        bound = set().union(*(a.vars() for a in kept)) if kept else set()
        if kept and delta != len(body) - 1 and set().union(*(h.vars() for h in head)) <= bound:
            body = kept
        return original(head, body, delta, distinct, guard_same, pre)

    monkeypatch.setattr(compile_mod, "generate_source", broken)
    kg = make_kg(TTL, RULES)
    r, proofs = _proofs(kg)
    rex = kg.resolve("ex:rex")
    wrong = (rex, kg.resolve("rdf:type"), kg.resolve("ex:Flier"))
    assert wrong in proofs
    assert check_proof(proofs[wrong], r) != []
    bad = [t for t, p in proofs.items() if check_proof(p, r)]
    assert wrong in bad


def test_a_goal_mode_join_that_drops_a_condition_is_caught(fresh_compiler, monkeypatch):
    """Query-time reasoning runs the same generated joins (goal mode): broken the same way, its
    wrong answer's proof is rejected too."""
    original = compile_mod.generate_source

    def broken(head, body, delta, distinct, guard_same, pre=None):
        if pre is not None and len(body) > 1:
            body = body[:-1] if set().union(*(h.vars() for h in head)) <= body[0].vars() else body
        return original(head, body, delta, distinct, guard_same, pre)

    monkeypatch.setattr(compile_mod, "generate_source", broken)
    kg = make_kg(TTL, RULES)
    r = Reasoner(kg, strategy="query-time")
    verdict = r.holds(kg.resolve("ex:rex"), kg.resolve("rdf:type"), kg.resolve("ex:Flier"))
    assert verdict.value.value == "true"  # wrong: rex has no wings ...
    assert any("fly" in p for p in check_proof(verdict.proof, r))  # ... and caught


def test_a_default_step_that_ignores_specificity_is_caught(monkeypatch):
    from kgreason.reasoning.defaults import Defaults

    def reversed_subs(s, sc, among):  # broken on purpose: the more general source wins
        return {t for t in among if t != s and t in sc.get(s, ()) and s not in sc.get(t, ())}

    monkeypatch.setattr(Defaults, "_subs", staticmethod(reversed_subs))
    kg = make_kg("""
        ex:canFly a kgr:InheritableProperty .
        ex:Bird ex:canFly ex:Yes . ex:Penguin rdfs:subClassOf ex:Bird .
        ex:cannotFly kgr:negationOf ex:canFly . ex:Penguin ex:cannotFly ex:Yes .
        ex:tweety a ex:Penguin .
    """)
    r = Reasoner(kg)
    triple = (kg.resolve("ex:tweety"), kg.resolve("ex:canFly"), kg.resolve("ex:Yes"))
    proof = r.proof(triple)
    assert proof is not None and proof.rule == "kgr-inherit"  # wrong: the penguin flies ...
    assert any("more specific source" in p for p in check_proof(proof, r))  # ... and caught
