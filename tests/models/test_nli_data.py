from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from kgreason.errors import InputError
from kgreason.models.nli_claims import Claim, parse_fact, render
from kgreason.models.nli_data import (
    LABELS,
    generate_examples,
    graph_world,
    proofwriter_worlds,
    read_jsonl,
    write_jsonl,
)


def test_rendering_paraphrases_and_negates():
    rng = random.Random(0)
    can = Claim("penguin", "can", "fly", generic=True)
    positives = {render(can, rng) for _ in range(60)}
    negatives = {render(can.flipped(), rng) for _ in range(60)}
    assert {"penguins can fly", "penguins are able to fly", "a penguin can fly"} <= positives
    assert {"penguins cannot fly", "penguins are unable to fly"} <= negatives
    assert all(" not " in n or "cannot" in n or "unable" in n or "can't" in n for n in negatives)
    verb = Claim("Bob", "verb", "live in", "the house", negated=True)
    assert render(verb, rng) in {"Bob does not live in the house", "Bob doesn't live in the house"}
    assert render(Claim("body of water", "isa", "", "place", generic=True), random.Random(1)) in {
        "body of water is a kind of place", "bodies of water are places", "a body of water is a place",
        "every body of water is a place", "all bodies of water are places", "body of water is a type of place",
        "each body of water is a place"}


def test_parse_fact_reads_proofwriter_and_prontoqa_sentences():
    assert parse_fact("The bald eagle does not eat the tiger.") == Claim("the bald eagle", "verb", "eat",
                                                                         "the tiger", True)
    assert parse_fact("Bob is big.") == Claim("Bob", "attr", "big")
    assert parse_fact("Jompuses are yumpuses.") == Claim("jompus", "isa", "", "yumpus", generic=True)
    assert parse_fact("Each yumpus is not aggressive.") == Claim("yumpus", "attr", "aggressive", "", True, True)
    assert parse_fact("If something is cold then it is round.") is None


def test_generation_is_seeded_balanced_and_exact():
    a = generate_examples([], 90, seed=7)
    b = generate_examples([], 90, seed=7)
    assert [e.to_json() for e in a] == [e.to_json() for e in b]
    assert Counter(e.label for e in a) == {label: 30 for label in LABELS}
    for e in a:
        premise = e.premise.lower()
        hyp = e.hypothesis.lower().rstrip(".")
        if e.label == "neutral":
            assert hyp not in premise  # an open-world neutral is never stated
        if e.how == "negation":
            assert any(w in hyp for w in ("not", "n't", "cannot", "unable", "no ", "nothing")) or any(
                w in premise for w in ("not", "n't", "cannot", "unable", "no ", "nothing"))


def test_proofwriter_worlds_hold_only_facts():
    path = Path(__file__).resolve().parents[3] / "shared" / "data" / "proofwriter-d5-owa-train.json"
    if not path.exists():  # a clone without ../shared: skip, like the other tests of that data
        pytest.skip(f"{path} not available (the ProofWriter corpus lives outside the repository)")
    worlds = proofwriter_worlds(path, range(5))
    assert len(worlds) == 5
    assert all(c.kind in ("attr", "verb", "isa") for w in worlds for c in w.claims)
    assert all(w.entities and w.attrs for w in worlds)


def test_graph_world_keeps_verbalized_sentences(tmp_path):
    from kgreason.graph.loaders import load_graph

    ttl = tmp_path / "g.ttl"
    ttl.write_text("""@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix kgr: <https://w3id.org/kgreason#> .
ex:can rdfs:label "can" . ex:cannot kgr:negationOf ex:can ; rdfs:label "cannot" .
ex:Penguin rdfs:subClassOf ex:Bird ; rdfs:label "penguin" . ex:Bird rdfs:label "bird" .
ex:Bird ex:can ex:Fly . ex:Fly rdfs:label "fly" . ex:Penguin ex:cannot ex:Fly .
""")
    w = graph_world(load_graph([ttl]), "g")
    by_text = {c.canonical: c for c in w.claims}
    assert by_text["penguin is a kind of bird"] == Claim("penguin", "isa", "", "bird", generic=True,
                                                         canonical="penguin is a kind of bird")
    assert by_text["penguin cannot fly"].negated and by_text["penguin cannot fly"].kind == "can"
    assert len(generate_examples([w], 9, seed=1)) == 9


def test_jsonl_round_trip_and_bad_line(tmp_path):
    rows = generate_examples([], 6, seed=2)
    path = write_jsonl(rows, tmp_path / "d.jsonl")
    assert [r.to_json() for r in read_jsonl(path)] == [r.to_json() for r in rows]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"premise": "a", "hypothesis": "b", "label": "neutral"}\n{"premise": "x"}\n')
    with pytest.raises(InputError, match="bad.jsonl:2"):
        list(read_jsonl(bad))


def test_non_utf8_jsonl_is_an_input_error(tmp_path):
    bad = tmp_path / "latin.jsonl"
    bad.write_bytes(b'{"premise": "caf\xe9", "hypothesis": "b", "label": "neutral"}\n')
    with pytest.raises(InputError, match="not UTF-8 text"):
        list(read_jsonl(bad))


def test_reading_pairs_teach_the_verifier_to_confirm_readings():
    """(crowd sentence, reading) pairs: the rewrite or a part of it is entailed, one sentence
    negated is a contradiction, one sentence changed (a rule's condition and conclusion swapped,
    another attribute or name) is neutral — each checked by what the exact parser reads."""
    from collections import Counter

    from kgreason.models.nli_reading_data import reading_examples
    from kgreason.models.reader_data import controlled_form, same_reading, source_order

    rows = [
        {"theory": "T1", "sentence": "Kind, rough people tend to be green.",
         "templated": "If someone is kind and rough then they are green."},
        {"theory": "T1", "sentence": "Bob sure is round, and he is big too.", "templated": "Bob is big. Bob is round."},
        {"theory": "T2", "sentence": "A young person who is big is quite kind.",
         "templated": "If someone is big and young then they are kind."},
    ]
    examples = reading_examples(rows, 60, seed=3, renamed_share=0.0)
    assert Counter(e.label for e in examples) == {"entailment": 20, "neutral": 20, "contradiction": 20}
    gold = {r["sentence"]: source_order(r["sentence"], r["templated"]) for r in rows}
    for e in examples:
        assert e.source == "reading" and e.premise in gold
        facts, rules, _ = controlled_form(e.hypothesis)
        assert facts or rules, e.hypothesis  # every hypothesis is controlled English the parser reads
        if e.label == "entailment" and e.how == "the rewrite":
            assert same_reading(e.hypothesis, gold[e.premise]) == "exact"
        elif e.label == "contradiction":
            assert " not " in e.hypothesis
        elif e.label == "neutral":
            assert same_reading(e.hypothesis, gold[e.premise]) != "exact"
