"""The compiled-graph cache (kgreason.reasoning.cache): a graph's encoded facts and closure with
provenance, written on first load and read back instead of parsing and reasoning."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import numpy as np
import pytest
from rdflib import RDF, RDFS, URIRef

from kgreason.core import Truth
from kgreason.graph.array_graph import AssertedTriples
from kgreason.reasoning import check_proof, load_reasoner
from kgreason.reasoning.array_store import PairIndex, ProvIndex
from kgreason.reasoning.cache import FORMAT_VERSION

DATA = Path(__file__).parents[1] / "data"
EX = "https://w3id.org/kgreason/geography#"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """A fresh cache that caches every graph (the default threshold skips small ones)."""
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KGREASON_GRAPH_CACHE_MIN_TRIPLES", "0")
    return tmp_path / "cache" / "graphs"


@pytest.fixture
def geography(tmp_path) -> Path:
    path = tmp_path / "geo.ttl"
    shutil.copy(DATA / "geography.ttl", path)
    return path


def _closure_dirs(cache: Path) -> list[Path]:
    return sorted(cache.glob("*/closure-*"))


def _answers(reasoner) -> dict:
    """Every inferred triple with its verdict, its proof's steps (rule per conclusion) and
    whether the independent checker accepts the proof."""
    out = {}
    for triple in sorted(reasoner.inferred_triples(), key=str):
        verdict = reasoner.holds(*triple)
        proof = reasoner.proof(triple)
        out[triple] = (verdict.value, (proof.triple, proof.negated), proof.rule, check_proof(proof, reasoner))
    return out


def test_round_trip_gives_the_same_answers_and_proofs(cache, geography):
    fresh = load_reasoner(geography).materialize()
    assert not isinstance(fresh.kg.rdf.store, AssertedTriples)  # parsed: nothing cached yet
    assert len(_closure_dirs(cache)) == 1 and (next(cache.glob("*/graph")) / "meta.json").exists()

    cached = load_reasoner(geography).materialize()
    assert isinstance(cached.kg.rdf.store, AssertedTriples)  # the file was not parsed again
    store = cached._state().store
    assert isinstance(store.SP, PairIndex) and isinstance(store.prov, ProvIndex)  # not recomputed

    assert len(cached.kg) == len(fresh.kg)
    assert set(cached.kg.rdf) == set(fresh.kg.rdf)
    assert cached.kg.fingerprint() == fresh.kg.fingerprint()
    before, after = _answers(fresh), _answers(cached)
    assert before and after.keys() == before.keys()
    for triple, (value, conclusion, rule, problems) in after.items():
        assert value is Truth.TRUE and problems == []
        assert (value, conclusion, rule) == before[triple][:3]
    assert cached.stats == fresh.stats
    # labels and prefixes come from the cache too
    node = next(iter(fresh.kg.rdf.subjects(RDFS.label, None)))
    assert cached.kg.labels(node) == fresh.kg.labels(node)
    assert cached.kg.namespaces == fresh.kg.namespaces
    # a fact outside the closure is unknown in both
    nowhere = (URIRef(EX + "Nowhere"), RDF.type, URIRef(EX + "City"))
    assert cached.holds(*nowhere).value is fresh.holds(*nowhere).value is Truth.UNKNOWN


def test_the_shipped_graph_round_trips_with_its_conflicts(cache, tmp_path):
    from kgreason.graph.loaders import shipped_graphs_dir

    path = tmp_path / "commonsense.ttl"
    shutil.copy(shipped_graphs_dir() / "commonsense.ttl", path)
    fresh = load_reasoner(path).materialize()
    cached = load_reasoner(path).materialize()
    assert isinstance(cached.kg.rdf.store, AssertedTriples)
    assert _answers(cached) == _answers(fresh)
    assert sorted(map(repr, cached.conflicts)) == sorted(map(repr, fresh.conflicts))
    assert sorted(map(repr, cached.contradictions)) == sorted(map(repr, fresh.contradictions))


def test_a_cached_graph_can_still_be_edited(cache, geography):
    load_reasoner(geography).materialize()
    reasoner = load_reasoner(geography)
    kg = reasoner.kg
    new = (URIRef(EX + "Atlantis"), RDF.type, URIRef(EX + "Capital"))
    kg.add(new)
    assert new in kg and len(kg) == len(set(kg.rdf))
    assert reasoner.holds(*new).value is Truth.TRUE


def test_changed_content_is_not_read_from_the_cache(cache, geography):
    first = load_reasoner(geography).materialize()
    text = geography.read_text(encoding="utf-8")
    geography.write_text(text + f"\n<{EX}Atlantis> a <{EX}Capital> .\n", encoding="utf-8")
    second = load_reasoner(geography).materialize()
    assert not isinstance(second.kg.rdf.store, AssertedTriples)  # parsed again
    assert second.kg.fingerprint(rules=False) != first.kg.fingerprint(rules=False)
    assert len(second.kg) == len(first.kg) + 1
    assert second.holds(URIRef(EX + "Atlantis"), RDF.type, URIRef(EX + "Capital")).value is Truth.TRUE
    assert len(_closure_dirs(cache)) == 2  # one per content


def test_rules_are_part_of_the_key(cache, geography, tmp_path):
    plain = load_reasoner(geography).materialize()
    rules = tmp_path / "extra.rules"
    rules.write_text(f"[near] ?x <{EX}near> ?y :- ?x <{EX}locatedIn> ?y .\n", encoding="utf-8")
    extended = load_reasoner(geography, rules=[rules]).materialize()
    assert len(_closure_dirs(cache)) == 2
    assert len(list(extended.inferred_triples())) > len(list(plain.inferred_triples()))


def test_sidecar_rules_apply_to_a_cached_graph(cache, geography):
    geography.with_suffix(".rules").write_text(
        f"[near] ?x <{EX}near> ?y :- ?x <{EX}locatedIn> ?y .\n", encoding="utf-8")
    fresh = load_reasoner(geography).materialize()
    cached = load_reasoner(geography).materialize()
    assert isinstance(cached.kg.rdf.store, AssertedTriples)
    assert [r.id for r in cached.kg.rules] == [r.id for r in fresh.kg.rules] == ["near"]
    paris_in_europe = (URIRef(EX + "Paris"), URIRef(EX + "near"), URIRef(EX + "Europe"))
    assert fresh.holds(*paris_in_europe).value is cached.holds(*paris_in_europe).value is Truth.TRUE
    assert _answers(cached) == _answers(fresh)


@pytest.mark.parametrize("damage", ["truncate_array", "foreign_format", "garbage_terms"])
def test_a_corrupt_or_foreign_cache_is_rebuilt_with_a_warning(cache, geography, caplog, damage):
    expected = _answers(load_reasoner(geography).materialize())
    folder = _closure_dirs(cache)[0]
    if damage == "truncate_array":
        path = folder / "prov_keys.npy"
        path.write_bytes(path.read_bytes()[:-16])
    elif damage == "foreign_format":
        meta = (folder / "meta.json").read_text(encoding="utf-8")
        (folder / "meta.json").write_text(meta.replace(f'"format_version": {FORMAT_VERSION}', '"format_version": 99'),
                                          encoding="utf-8")
    else:
        (folder / "terms.json").write_text("[not json", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        rebuilt = load_reasoner(geography).materialize()
    assert any("unusable" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)
    assert _answers(rebuilt) == expected
    caplog.clear()
    with caplog.at_level(logging.WARNING):  # rewritten: the next load uses it silently
        again = load_reasoner(geography).materialize()
    assert not [r for r in caplog.records if "unusable" in r.getMessage()]
    assert isinstance(again._state().store.prov, ProvIndex)
    assert _answers(again) == expected


def test_a_corrupt_graph_folder_is_parsed_again(cache, geography, caplog):
    load_reasoner(geography).materialize()
    graph = next(cache.glob("*/graph"))
    np.save(graph / "spo_keys.npy", np.zeros(3, np.int64))  # wrong shape
    with caplog.at_level(logging.WARNING):
        reasoner = load_reasoner(geography).materialize()
    assert any("unusable" in r.getMessage() for r in caplog.records)
    assert not isinstance(reasoner.kg.rdf.store, AssertedTriples)


def test_small_graphs_are_not_cached_by_default(tmp_path, monkeypatch, geography):
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("KGREASON_GRAPH_CACHE_MIN_TRIPLES", raising=False)
    load_reasoner(geography).materialize()
    assert not (tmp_path / "cache" / "graphs").exists()


def test_the_cache_can_be_turned_off(cache, geography, monkeypatch):
    monkeypatch.setenv("KGREASON_GRAPH_CACHE", "0")
    load_reasoner(geography).materialize()
    assert not cache.exists()
