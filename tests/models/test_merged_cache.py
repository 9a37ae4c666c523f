"""Merged adapters are cached once as safetensors, loaded without merging again, and a damaged
cache is reported and rebuilt."""

from __future__ import annotations

import logging
import shutil

import pytest

from kgreason.models.merged_cache import load_or_merge, merged_dir


@pytest.fixture()
def adapter(tmp_path, tiny_gpt2_dir):
    folder = tmp_path / "adapter"
    folder.mkdir()
    (folder / "adapter_config.json").write_text('{"base_model_name_or_path": "x"}')
    (folder / "adapter_model.safetensors").write_bytes(b"weights v1")
    return folder


def _calls(tiny_gpt2_dir):
    from transformers import AutoTokenizer, GPT2LMHeadModel

    merges = []

    def merge():
        merges.append(1)
        return GPT2LMHeadModel.from_pretrained(tiny_gpt2_dir), AutoTokenizer.from_pretrained(tiny_gpt2_dir)

    def cached(folder):
        return GPT2LMHeadModel.from_pretrained(folder), AutoTokenizer.from_pretrained(folder)

    return merges, merge, cached


def test_merged_once_then_loaded_from_the_cache(adapter, tiny_gpt2_dir, monkeypatch, tmp_path):
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    merges, merge, cached = _calls(tiny_gpt2_dir)
    first, _ = load_or_merge(adapter, "reader", cached, merge)
    second, _ = load_or_merge(adapter, "reader", cached, merge)
    assert merges == [1]
    folder = merged_dir(adapter, "reader")
    assert list(folder.glob("*.safetensors"))
    import torch

    for (name, a), (_, b) in zip(first.state_dict().items(), second.state_dict().items()):
        assert torch.equal(a, b), name
    # a changed adapter is another key: never the old merge
    (adapter / "adapter_model.safetensors").write_bytes(b"weights v2")
    assert merged_dir(adapter, "reader") != folder
    load_or_merge(adapter, "reader", cached, merge)
    assert merges == [1, 1]


def test_damaged_cache_is_reported_and_rebuilt(adapter, tiny_gpt2_dir, monkeypatch, tmp_path, caplog):
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    merges, merge, cached = _calls(tiny_gpt2_dir)
    load_or_merge(adapter, "reader", cached, merge)
    weights = next(merged_dir(adapter, "reader").glob("*.safetensors"))
    data = bytearray(weights.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = bytes(64)  # damage in the middle of the tensors
    weights.write_bytes(bytes(data))
    with caplog.at_level(logging.WARNING, logger="kgreason.models.merged_cache"):
        load_or_merge(adapter, "reader", cached, merge)
    assert merges == [1, 1]
    assert any("not usable" in r.getMessage() and "checksum" in r.getMessage() for r in caplog.records)
    # and a truncated one
    weights = next(merged_dir(adapter, "reader").glob("*.safetensors"))
    weights.write_bytes(weights.read_bytes()[:100])
    load_or_merge(adapter, "reader", cached, merge)
    assert merges == [1, 1, 1]
    shutil.rmtree(tmp_path / "cache")
