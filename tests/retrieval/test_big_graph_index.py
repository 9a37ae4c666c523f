"""Big graphs (issue 14): `ask` never builds the retrieval index of a graph above
``retrieval.build_on_ask_max_triples`` (the reasoner and the label index answer, and the answer
says how to get evidence); `kgreason index build` embeds big graphs chunk by chunk, saving after
each chunk, so an interrupted build resumes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgreason.config import PipelineConfig, RetrievalConfig
from kgreason.files import cache_root
from kgreason.pipeline import Pipeline
from kgreason.retrieval import Retriever
from kgreason.retrieval import retriever as retriever_module
from kgreason.retrieval.index import MANIFEST, FactIndex

GEOGRAPHY = Path(__file__).resolve().parents[1] / "data" / "geography.ttl"


def _pipeline(max_triples: int, embedder: str | None = None) -> Pipeline:
    retrieval = RetrievalConfig(enabled=True, rank_candidates=False, build_on_ask_max_triples=max_triples,
                                embedder=embedder)
    return Pipeline(PipelineConfig(graphs=[str(GEOGRAPHY)], retrieval=retrieval))


def test_ask_on_a_big_graph_builds_no_index(tiny_model_dir):
    pipe = _pipeline(max_triples=10, embedder=str(tiny_model_dir))
    answer = pipe.ask("Is Paris in Europe?")
    assert answer.answer == "yes" and answer.proof  # the reasoner and the label index answer
    assert answer.evidence == []
    assert "kgreason index build" in answer.evidence_note
    assert answer.to_json()["evidence_note"] == answer.evidence_note
    assert not (cache_root() / "index").exists()  # nothing was embedded


def test_a_small_graph_still_gets_evidence(tiny_model_dir):
    pipe = _pipeline(max_triples=100_000, embedder=str(tiny_model_dir))
    answer = pipe.ask("Is Paris in Europe?")
    assert answer.answer == "yes" and answer.evidence and answer.evidence_note is None
    assert list((cache_root() / "index").glob(f"*/{MANIFEST}"))


def test_ask_uses_the_index_once_it_is_built(tiny_embedder, tiny_model_dir):
    from kgreason.reasoning import load_reasoner

    Retriever(load_reasoner(str(GEOGRAPHY)).kg, embedder=tiny_embedder).build_index()
    answer = _pipeline(max_triples=10, embedder=str(tiny_model_dir)).ask("Is Paris in Europe?")
    assert answer.evidence and answer.evidence_note is None


def test_big_builds_are_saved_chunk_by_chunk_and_resume(tiny_embedder, tmp_path, monkeypatch):
    from kgreason.reasoning import load_reasoner

    kg = load_reasoner(str(GEOGRAPHY)).kg
    monkeypatch.setattr(retriever_module, "BUILD_CHUNK", 50)
    out = tmp_path / "index"
    calls = {"n": 0}
    real_save = FactIndex.save

    def save_then_stop(self, directory):  # interrupted: killed right after saving a third chunk
        real_save(self, directory)
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt

    monkeypatch.setattr(FactIndex, "save", save_then_stop)
    seen: list[tuple[int, int]] = []
    retriever = Retriever(kg, embedder=tiny_embedder, index_dir=out)
    retriever.progress = lambda done, total: seen.append((done, total))
    with pytest.raises(KeyboardInterrupt):
        retriever.build_index()
    manifest = json.loads((out / MANIFEST).read_text())
    assert manifest["complete"] is False and 0 < manifest["stores"]["facts"]["count"]
    partial = manifest["stores"]["facts"]["count"]
    assert partial == 150 and seen[0][0] == 0 and seen[-1][0] == 100  # 3 chunks of 50 saved

    from kgreason.errors import IndexMismatchError

    with pytest.raises(IndexMismatchError, match="interrupted"):  # not used half-built
        _ = Retriever(kg, embedder=tiny_embedder, index_dir=out).index

    monkeypatch.setattr(FactIndex, "save", real_save)
    resumed = Retriever(kg, embedder=tiny_embedder, index_dir=out)
    embedded: list[int] = []
    real_encode = type(tiny_embedder).encode
    monkeypatch.setattr(type(tiny_embedder), "encode",
                        lambda self, texts, **kw: embedded.append(len(texts)) or real_encode(self, texts, **kw))
    result = resumed.build_index()
    monkeypatch.setattr(type(tiny_embedder), "encode", real_encode)
    assert result.action == "updated"
    manifest = json.loads((out / MANIFEST).read_text())
    assert "complete" not in manifest
    fresh = Retriever(kg, embedder=tiny_embedder, index_dir=tmp_path / "whole")
    monkeypatch.setattr(retriever_module, "BUILD_CHUNK", 1_000_000)
    whole = fresh.build_index().index
    assert len(result.index.facts) == len(whole.facts) and len(result.index.labels) == len(whole.labels)
    # only what the interrupted build had not saved was embedded again
    assert sum(embedded) == len(whole.facts) + len(whole.labels) - partial
