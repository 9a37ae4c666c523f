"""Retriever: evidence + linked entities + neighbourhood; cache, staleness, incremental sync."""

from __future__ import annotations

import pytest
from rdflib import RDFS, Literal, Namespace

from kgreason.errors import IndexMismatchError, InputError
from kgreason.retrieval import Retriever
from kgreason.retrieval.index import MANIFEST
from kgreason.retrieval.retriever import ENTITY_BONUS, MAX_RAW_SCORE, relevance

EX = Namespace("https://example.org/food#")


def test_retrieve_returns_scored_evidence_entities_and_neighbourhood(food_kg, tiny_embedder):
    result = Retriever(food_kg, embedder=tiny_embedder).retrieve("penguin eats fish", k=4)
    top = result.evidence[0]
    assert top.text == "penguin eats fish" and top.triple == (EX.Penguin, EX.eats, EX.Fish)
    assert not top.inferred and len(result.evidence) == 4
    # facts about the linked entities get a bonus on top of the cosine similarity; the sum is
    # scaled into [0, 1] (the top fact has both: the highest score there is)
    assert top.score == pytest.approx(1.0, abs=1e-4)
    assert all(0.0 <= e.score <= 1.0 for e in result.evidence)
    assert relevance(1.0, 2.0) == 1.0 and relevance(-0.3, 0.0) == 0.0
    assert relevance(0.9, 1.0) == pytest.approx((0.9 + ENTITY_BONUS) / MAX_RAW_SCORE)
    assert [(e.mention, e.node) for e in result.entities if e.kind == "entity"] == [
        ("penguin", EX.Penguin), ("fish", EX.Fish)]
    hood = result.neighbourhood
    assert {EX.Penguin, EX.Fish, EX.Bird, EX.Fly, EX.Tweety} <= set(hood.nodes)
    assert EX.Apple not in hood.nodes
    assert EX.Animal in Retriever(food_kg, embedder=tiny_embedder).retrieve("penguin", radius=2).neighbourhood


def test_order_is_deterministic_score_then_text(food_kg, tiny_embedder):
    retriever = Retriever(food_kg, embedder=tiny_embedder)
    first = retriever.retrieve("Which animals lay eggs?", k=12)
    again = Retriever(food_kg, embedder=tiny_embedder).retrieve("Which animals lay eggs?", k=12)
    assert [(e.text, e.score) for e in first.evidence] == [(e.text, e.score) for e in again.evidence]
    keys = [(-e.score, e.text) for e in first.evidence]
    assert keys == sorted(keys) and len(keys) == 12


def test_index_is_built_once_and_shared_per_process(food_kg, tiny_embedder, tmp_path):
    one = Retriever(food_kg, embedder=tiny_embedder)
    one.retrieve("apple")
    assert one.directory.parent == tmp_path / "cache" / "index"
    assert one.directory.name.startswith(food_kg.fingerprint())
    two = Retriever(food_kg, embedder=tiny_embedder)
    two.retrieve("apple")
    assert two.index is one.index


def test_default_cache_rebuilds_when_the_graph_changes(food_kg, tiny_embedder):
    old = Retriever(food_kg, embedder=tiny_embedder)
    old.warm_up()
    old_dir = old.directory
    food_kg.add((EX.Kiwi, RDFS.label, Literal("kiwi")))
    food_kg.add((EX.Kiwi, RDFS.subClassOf, EX.Bird))
    new = Retriever(food_kg, embedder=tiny_embedder)
    assert new.retrieve("kiwi is a kind of bird", k=1).evidence[0].text == "kiwi is a kind of bird"
    assert new.directory != old_dir and (old_dir / MANIFEST).exists()


def test_default_cache_rebuilds_a_corrupt_entry(food_kg, tiny_embedder):
    retriever = Retriever(food_kg, embedder=tiny_embedder)
    retriever.warm_up()
    (retriever.directory / MANIFEST).write_text("{broken")
    again = Retriever(food_kg, embedder=tiny_embedder)
    assert again.retrieve("penguin cannot fly", k=1).evidence[0].text == "penguin cannot fly"


def test_explicit_folder_refuses_a_stale_index_until_synced(food_kg, tiny_embedder, tmp_path):
    folder = tmp_path / "idx"
    first = Retriever(food_kg, embedder=tiny_embedder, index_dir=folder)
    first.warm_up()
    old_ids = {r.text: i for i, r in first.index.facts.records.items()}
    manifest_before = (folder / MANIFEST).read_bytes()
    food_kg.add((EX.Kiwi, RDFS.subClassOf, EX.Bird))
    food_kg.remove((EX.Platypus, EX.lays, EX.Egg))
    stale = Retriever(food_kg, embedder=tiny_embedder, index_dir=folder)
    with pytest.raises(IndexMismatchError, match="stale"):
        stale.retrieve("kiwi")
    assert (folder / MANIFEST).read_bytes() == manifest_before  # nothing overwritten
    counts = stale.sync()
    assert counts["added"] == 1 and counts["removed"] == 1 and counts["labels_added"] == 1  # "kiwi" fallback label
    texts = {r.text: i for i, r in stale.index.facts.records.items()}
    assert "kiwi is a kind of bird" in texts and "platypus lays egg" not in texts
    assert all(texts[t] == i for t, i in old_ids.items() if t in texts)  # unchanged facts not re-embedded
    assert Retriever(food_kg, embedder=tiny_embedder, index_dir=folder).retrieve("kiwi", k=1).evidence


def test_a_folder_with_other_files_is_not_used(food_kg, tiny_embedder, tmp_path):
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("keep me")
    with pytest.raises(IndexMismatchError, match="not empty"):
        Retriever(food_kg, embedder=tiny_embedder, index_dir=tmp_path / "mine").warm_up()
    assert (tmp_path / "mine" / "notes.txt").read_text() == "keep me"


def test_inferred_facts_are_retrieved_and_flagged(food_kg, tiny_embedder):
    from kgreason.reasoning import Reasoner

    retriever = Retriever(food_kg, embedder=tiny_embedder, reasoner=Reasoner(food_kg))
    top = retriever.retrieve("apple can be eaten raw", k=1).evidence[0]
    assert top.text == "apple can be eaten raw" and top.inferred
    assert "-inferred-" in retriever.directory.name


def test_empty_question_is_an_input_error(food_kg, tiny_embedder):
    with pytest.raises(InputError):
        Retriever(food_kg, embedder=tiny_embedder).retrieve("  ")


def test_result_to_json_uses_prefixed_names(food_kg, tiny_embedder):
    food_kg.rdf.bind("ex", EX)
    data = Retriever(food_kg, embedder=tiny_embedder).retrieve("penguin cannot fly", k=2).to_json(food_kg)
    assert data["evidence"][0]["triple"] == ["ex:Penguin", "ex:cannot", "ex:Fly"]
    assert "ex:Penguin" in data["neighbourhood"]["nodes"]
    assert {"link", "embed", "search"} <= set(data["timings_ms"])


def test_ancestors_of_linked_entities_weigh_less_with_each_step(food_kg, tiny_embedder):
    retriever = Retriever(food_kg, embedder=tiny_embedder)
    weights = retriever._weights(retriever.linker.link("Can Tweety fly?"))
    assert weights[EX.Tweety.n3()] == 1.0 and weights[EX.Fly.n3()] == 1.0
    assert weights[EX.Penguin.n3()] == pytest.approx(0.7)  # Tweety a Penguin
    assert weights[EX.Bird.n3()] == pytest.approx(0.49) and weights[EX.Animal.n3()] == pytest.approx(0.343)
    assert EX.Fruit.n3() not in weights
    texts = [e.text for e in retriever.retrieve("Can Tweety fly?", k=12).evidence]
    assert texts.index("penguin cannot fly") < texts.index("apple is a kind of fruit")


def test_index_from_an_older_fact_wording_is_stale(food_kg, tiny_embedder, tmp_path):
    import json

    folder = tmp_path / "idx"
    Retriever(food_kg, embedder=tiny_embedder, index_dir=folder).warm_up()
    manifest = json.loads((folder / MANIFEST).read_text())
    manifest["facts_version"] = 1
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="words facts differently"):
        Retriever(food_kg, embedder=tiny_embedder, index_dir=folder).warm_up()


def test_the_same_retriever_sees_a_relabel_of_its_graph(food_kg, tiny_embedder):
    retriever = Retriever(food_kg, embedder=tiny_embedder)
    assert [e.node for e in retriever.retrieve("penguin", k=1).entities] == [EX.Penguin]
    size = len(food_kg)
    food_kg.remove((EX.Penguin, RDFS.label, None))
    food_kg.add((EX.Penguin, RDFS.label, Literal("pinguino")))
    assert len(food_kg) == size
    result = retriever.retrieve("pinguino", k=3)  # the cached index is rebuilt for the new graph
    assert [e.node for e in result.entities] == [EX.Penguin]
    assert any(e.text.startswith("pinguino") for e in result.evidence)


def test_build_index_builds_updates_and_rebuilds(food_kg, tiny_embedder, tmp_path):
    out = tmp_path / "idx"
    first = Retriever(food_kg, embedder=tiny_embedder, index_dir=out).build_index()
    assert (first.action, first.counts, first.directory) == ("built", {}, out)
    assert first.to_json()["facts"] == len(first.index.facts) == 12
    food_kg.add((EX.Kiwi, RDFS.subClassOf, EX.Bird))
    update = Retriever(food_kg, embedder=tiny_embedder, index_dir=out).build_index()
    assert update.action == "updated" and update.counts["added"] == 1 and update.counts["facts"] == 13
    (out / "stray.jsonl").write_text("")
    rebuilt = Retriever(food_kg, embedder=tiny_embedder, index_dir=out).build_index(rebuild=True)
    assert rebuilt.action == "built" and not (out / "stray.jsonl").exists()
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    with pytest.raises(IndexMismatchError, match="holds no kgreason index"):
        Retriever(food_kg, embedder=tiny_embedder, index_dir=other).build_index()
