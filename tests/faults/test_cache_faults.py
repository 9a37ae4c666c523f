"""Fault injection on the compiled-graph cache (issue 24, items 2 and 3): a damaged, swapped,
edited or stale cache is never used: one warning line, then it is rebuilt and the answers are
those of a run without any cache."""

from __future__ import annotations

import logging
import os
import shutil
from pathlib import Path

import pytest
from rdflib import URIRef

from kgreason.core import Truth
from kgreason.graph.array_graph import AssertedTriples
from kgreason.reasoning import load_reasoner

DATA = Path(__file__).parents[1] / "data"
GEO = "https://w3id.org/kgreason/geography#"
LYON_IN_FRANCE = (URIRef(GEO + "Lyon"), URIRef(GEO + "locatedIn"), URIRef(GEO + "France"))


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KGREASON_GRAPH_CACHE_MIN_TRIPLES", "0")
    return tmp_path / "cache" / "graphs"


@pytest.fixture
def geography(tmp_path) -> Path:
    path = tmp_path / "geo.ttl"
    shutil.copy(DATA / "geography.ttl", path)
    return path


def _closure(reasoner) -> set:
    return set(reasoner.inferred_triples())


def _unusable(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if "unusable" in r.getMessage()]


@pytest.mark.parametrize("folder,a,b", [("closure-*", "sp_vals", "op_vals"),
                                         ("closure-*", "sp_keys", "op_keys"),
                                         ("graph", "spo_vals", "pos_vals")])
def test_swapped_arrays_are_detected_and_rebuilt(cache, geography, caplog, folder, a, b):
    expected = _closure(load_reasoner(geography).materialize())
    target = next(cache.glob(f"*/{folder}"))
    pa, pb = target / f"{a}.npy", target / f"{b}.npy"
    data_a, data_b = pa.read_bytes(), pb.read_bytes()
    pa.write_bytes(data_b)
    pb.write_bytes(data_a)
    with caplog.at_level(logging.WARNING):
        rebuilt = load_reasoner(geography).materialize()
    lines = _unusable(caplog)
    assert lines and all("\n" not in line and "rebuilding" in line for line in lines)
    assert any("checksum" in line for line in lines)
    assert _closure(rebuilt) == expected
    caplog.clear()
    with caplog.at_level(logging.WARNING):  # rewritten whole: the next load trusts it again
        again = load_reasoner(geography).materialize()
    assert not _unusable(caplog) and _closure(again) == expected


def test_a_flipped_byte_in_an_array_is_detected(cache, geography, caplog):
    expected = _closure(load_reasoner(geography).materialize())
    path = next(cache.glob("*/closure-*")) / "prov_rules.npy"
    data = bytearray(path.read_bytes())
    data[-1] ^= 0x01  # same size, same shape: only the checksum can tell
    path.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING):
        rebuilt = load_reasoner(geography).materialize()
    assert any("prov_rules.npy" in line and "checksum" in line for line in _unusable(caplog))
    assert _closure(rebuilt) == expected


def test_edited_meta_is_detected(cache, geography, caplog):
    expected = _closure(load_reasoner(geography).materialize())
    meta = next(cache.glob("*/closure-*")) / "meta.json"
    meta.write_text(meta.read_text().replace('"rounds": ', '"rounds": 1'), encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        rebuilt = load_reasoner(geography).materialize()
    assert any("meta.json" in line for line in _unusable(caplog))
    assert _closure(rebuilt) == expected


@pytest.mark.parametrize("new_process", [False, True])
def test_an_edit_that_keeps_size_and_mtime_is_not_answered_from_the_cache(cache, geography, new_process):
    import kgreason.files

    cached = load_reasoner(geography)
    assert cached.holds(*LYON_IN_FRANCE).value is Truth.TRUE
    stat = geography.stat()
    text = geography.read_text(encoding="utf-8")
    edited = text.replace('rdfs:label "Lyon" ; geo:locatedIn geo:France', 'rdfs:label "Lyon" ; geo:locatedIn geo:Franze')
    assert edited != text and len(edited) == len(text)
    geography.write_text(edited, encoding="utf-8")
    os.utime(geography, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # touch -r: same size, same mtime
    assert geography.stat().st_mtime_ns == stat.st_mtime_ns and geography.stat().st_size == stat.st_size
    if new_process:  # what another process sees: no hash remembered
        kgreason.files._CONTENT.clear()
    reasoner = load_reasoner(geography)
    assert not isinstance(reasoner.kg.rdf.store, AssertedTriples)  # parsed again
    assert reasoner.holds(*LYON_IN_FRANCE).value is Truth.UNKNOWN
    assert reasoner.holds(URIRef(GEO + "Lyon"), URIRef(GEO + "locatedIn"), URIRef(GEO + "Franze")).value is Truth.TRUE
