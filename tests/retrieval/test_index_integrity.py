"""A vector file whose bytes changed on disk (same size) is refused by its sha256, recorded in the
manifest: the default cache is rebuilt with a warning, an explicit --index folder is an error
(issue 13, item 4)."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import IndexMismatchError
from kgreason.retrieval import Retriever
from kgreason.retrieval.facts import collect_facts, collect_labels
from kgreason.retrieval.index import MANIFEST, FactIndex


def _flip_vectors(faiss_file) -> None:
    """Overwrite the middle of the file (the float32 vectors) with large floats, same size: FAISS
    itself loads this without complaint and scores come out in the hundreds."""
    data = bytearray(faiss_file.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 64] = np.full(16, 300.0, np.float32).tobytes()
    faiss_file.write_bytes(bytes(data))


@pytest.fixture()
def folder(food_kg, tiny_embedder, tmp_path):
    index = FactIndex.build(collect_facts(food_kg), collect_labels(food_kg), tiny_embedder,
                            graph_fingerprint=food_kg.fingerprint())
    return index.save(tmp_path / "idx")


def test_the_manifest_records_the_hash_of_every_vector_file(folder):
    from kgreason.retrieval.vector_store import sha256_file

    manifest = json.loads((folder / MANIFEST).read_text())
    for meta in manifest["stores"].values():
        assert meta["index_sha256"] == sha256_file(folder / meta["index_file"])


def test_flipped_bytes_of_the_same_size_are_refused(folder, tiny_embedder):
    import faiss

    faiss_file = next(folder.glob("facts-*.faiss"))
    size = faiss_file.stat().st_size
    _flip_vectors(faiss_file)
    assert faiss_file.stat().st_size == size
    assert faiss.read_index(str(faiss_file)).ntotal > 0  # FAISS alone would load it silently
    with pytest.raises(IndexMismatchError, match="sha256 differs") as info:
        FactIndex.load(folder, embedder=tiny_embedder)
    assert str(faiss_file) in str(info.value) and "--rebuild" in str(info.value)


def test_an_index_without_hashes_is_refused(folder, tiny_embedder):
    manifest = json.loads((folder / MANIFEST).read_text())
    del manifest["stores"]["labels"]["index_sha256"]
    (folder / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatchError, match="without a content hash"):
        FactIndex.load(folder, embedder=tiny_embedder)


def test_default_cache_is_rebuilt_with_a_warning(food_kg, tiny_embedder, caplog):
    retriever = Retriever(food_kg, embedder=tiny_embedder)
    retriever.warm_up()
    _flip_vectors(next(retriever.directory.glob("facts-*.faiss")))
    from kgreason.retrieval import retriever as retriever_module

    retriever_module._INDEXES.clear()  # a new process: nothing shared in memory
    with caplog.at_level(logging.WARNING):
        again = Retriever(food_kg, embedder=tiny_embedder)
        top = again.retrieve("penguin cannot fly", k=3).evidence
    assert "unusable; rebuilding" in caplog.text
    assert top[0].text == "penguin cannot fly"
    rebuilt = FactIndex.load(again.directory, embedder=tiny_embedder)  # the new files check out
    cosines = rebuilt.facts.search(tiny_embedder.encode(["penguin cannot fly"]), 5)[0]
    assert all(score <= 1.0 + 1e-4 for _, score in cosines)


def test_explicit_index_folder_is_a_one_line_error(tmp_path, tiny_model_dir):
    from .conftest import DATA

    out = tmp_path / "idx"
    graph = str(DATA / "food.ttl")
    runner = CliRunner()
    res = runner.invoke(app, ["index", "build", graph, "--out", str(out), "--model", str(tiny_model_dir)])
    assert res.exit_code == 0, res.output
    _flip_vectors(next(out.glob("facts-*.faiss")))
    from kgreason.retrieval import retriever as retriever_module

    retriever_module._INDEXES.clear()  # as in a new process
    res = runner.invoke(app, ["index", "search", graph, "penguin", "--index", str(out), "--model",
                              str(tiny_model_dir)])
    assert res.exit_code != 0
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "sha256 differs" in lines[0] and "--rebuild" in lines[0]
