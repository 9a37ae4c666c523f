"""What is indexed: facts as sentences, vocabulary bookkeeping left out, labels of every node."""

from __future__ import annotations

import subprocess
import sys

from rdflib import RDFS, URIRef

from kgreason.graph.loaders import load_graph
from kgreason.retrieval.facts import (
    collect_facts,
    collect_labels,
    is_fact,
    key_to_triple,
    triple_key,
)

from .conftest import DATA

EX = "https://example.org/food#"


def test_facts_are_verbalized_and_metadata_is_skipped(food_kg):
    texts = {f.text for f in collect_facts(food_kg)}
    assert {"apple is a kind of fruit", "fruit can be eaten raw", "penguin cannot fly",
            "potato cannot be eaten raw", "Tweety is a penguin"} <= texts
    # labels, kgr:negationOf and "X a kgr:InheritableProperty" are bookkeeping, not evidence
    assert not any("label" in t or "means not" in t or "inheritable" in t.lower() for t in texts)
    assert len(texts) == 12


def test_keys_round_trip_to_rdflib_nodes(food_kg):
    for rec in collect_facts(food_kg):
        assert triple_key(key_to_triple(rec.key)) == rec.key
        assert key_to_triple(rec.key) in food_kg


def test_is_fact_rejects_label_triples():
    assert not is_fact((URIRef(EX + "Apple"), RDFS.label, URIRef(EX + "x")))
    assert is_fact((URIRef(EX + "Apple"), RDFS.subClassOf, URIRef(EX + "Fruit")))


def test_negative_property_assertion_becomes_one_negated_fact():
    kg = load_graph(DATA / "negative.ttl")
    facts = {f.text: f for f in collect_facts(kg)}
    assert set(facts) == {"Bob likes cake", "Bob does not like carrot"}
    neg = facts["Bob does not like carrot"]
    assert neg.negated and neg.key[2] == "<https://example.org/neg#Carrot>"


def test_labels_cover_entities_and_properties(food_kg):
    labels = {(r.text, r.kind) for r in collect_labels(food_kg)}
    assert ("platypus", "entity") in labels and ("eaten raw", "entity") in labels
    assert ("cannot", "property") in labels and ("can be", "property") in labels


def test_inferred_facts_from_the_reasoner_are_flagged(food_kg):
    from kgreason.reasoning import Reasoner

    facts = collect_facts(food_kg, Reasoner(food_kg))
    inferred = {f.text for f in facts if f.inferred}
    assert "apple can be eaten raw" in inferred  # inherited default
    assert "Tweety is a bird" in inferred  # subclass chain
    assert not any(f.inferred for f in facts if f.text == "penguin cannot fly")


def test_importing_retrieval_loads_no_heavy_library():
    code = ("import sys, kgreason, kgreason.retrieval as r; r.Retriever, r.EntityLinker, r.Embedder; "
            "print(sorted(m for m in ('torch', 'faiss', 'transformers', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_domain_and_range_are_worded_as_facts():
    from rdflib import Graph, Literal, Namespace

    from kgreason.graph.knowledge_graph import KnowledgeGraph

    ex = Namespace("https://example.org/pets#")
    g = Graph()
    g.add((ex.hasPet, RDFS.label, Literal("has a pet")))
    g.add((ex.hasPet, RDFS.domain, ex.Human))
    g.add((ex.hasPet, RDFS.range, ex.Animal))
    texts = {f.text for f in collect_facts(KnowledgeGraph(g))}
    assert texts == {"if X has a pet Y then X is a human", "if X has a pet Y then Y is an animal"}
