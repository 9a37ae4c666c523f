"""Tiny random-init models saved in fixtures: a BERT (WordPiece vocab built here) and a GPT-2 (a byte
BPE trained here on a few sentences). Real architectures, real tokenizers, seconds to build."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgreason.models.nli_data import NLIExample

CORPUS = [
    "Tweety is a bird. Birds can fly. Tweety can fly.",
    "Penguins cannot fly. A penguin is a bird. The cow is not blue.",
    "The cat chases the mouse. Bob does not like the dog. Paris is in France.",
    "Yes, the answer is no. Unknown: the facts neither prove nor refute this.",
]
LABELS = ("entailment", "neutral", "contradiction")


def _vocab(words: list[str]) -> list[str]:
    special = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    chars = sorted({c for w in words for c in w})
    return special + sorted(set(words)) + chars + [f"##{c}" for c in chars]


@pytest.fixture(scope="session")
def tiny_bert_dirs(tmp_path_factory) -> dict[str, Path]:
    """``base``: a BertModel; ``cls``: a BertForSequenceClassification with NLI labels."""
    import torch
    from transformers import BertConfig, BertForSequenceClassification, BertModel, BertTokenizerFast

    from kgreason.language.morphology import tokens

    root = tmp_path_factory.mktemp("tiny_bert")
    words = sorted({t for line in CORPUS for t in tokens(line)} | {".", ",", ":"})
    vocab_file = root / "vocab.txt"
    vocab_file.write_text("\n".join(_vocab(words)) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(vocab_file), do_lower_case=True)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=128)
    torch.manual_seed(0)
    dirs = {"base": root / "base", "cls": root / "cls"}
    BertModel(config).save_pretrained(dirs["base"])
    tokenizer.save_pretrained(dirs["base"])
    cls_config = BertConfig(**config.to_dict())
    cls_config.id2label = dict(enumerate(LABELS))
    cls_config.label2id = {v: k for k, v in cls_config.id2label.items()}
    BertForSequenceClassification(cls_config).save_pretrained(dirs["cls"])
    tokenizer.save_pretrained(dirs["cls"])
    return dirs


@pytest.fixture(scope="session")
def tiny_gpt2_dir(tmp_path_factory) -> Path:
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast

    root = tmp_path_factory.mktemp("tiny_gpt2")
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(CORPUS * 4, vocab_size=300, min_frequency=1, special_tokens=["<|endoftext|>"])
    tokenizer = GPT2TokenizerFast(tokenizer_object=bpe._tokenizer, eos_token="<|endoftext|>",
                                  bos_token="<|endoftext|>", unk_token="<|endoftext|>")
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=256, n_embd=32, n_layer=2, n_head=2,
                        bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id)
    out = root / "model"
    GPT2LMHeadModel(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def tiny_nli_data() -> tuple[list[NLIExample], list[NLIExample]]:
    """Generated from lexicon worlds (the real generator), small."""
    from kgreason.models.nli_data import generate_examples

    return generate_examples([], 48, seed=3), generate_examples([], 24, seed=4)
