"""The converted-GGUF cache verifies what it loads (issue 24, item 2): a damaged, edited or
stale cached checkpoint is reported in one warning line and converted again, never used."""

from __future__ import annotations

import json
import logging

import pytest

from kgreason.models import generate
from kgreason.models.generate import CACHE_MANIFEST, gguf_cache_dir, load_gguf_cached


@pytest.fixture
def fake_gguf(tmp_path, monkeypatch, tiny_gpt2_dir):
    """A 'GGUF' whose conversion (counted) gives the tiny GPT-2: the cache logic runs for real."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    source = tmp_path / "tiny.gguf"
    source.write_bytes(b"GGUF tiny stand-in")
    calls = []

    def convert(path):
        calls.append(path)
        return AutoModelForCausalLM.from_pretrained(tiny_gpt2_dir), AutoTokenizer.from_pretrained(tiny_gpt2_dir)

    monkeypatch.setattr(generate, "_convert_gguf", convert)
    return source, calls


def _weights(folder):
    return next(p for p in folder.iterdir() if p.suffix == ".safetensors")


def test_the_cache_is_used_when_intact(fake_gguf, caplog):
    source, calls = fake_gguf
    load_gguf_cached(source)
    cache = gguf_cache_dir(source)
    assert (cache / CACHE_MANIFEST).exists() and len(calls) == 1
    with caplog.at_level(logging.WARNING):
        _, _, folder = load_gguf_cached(source)
    assert folder == str(cache) and len(calls) == 1 and not caplog.records


@pytest.mark.parametrize("damage", ["flip_weights", "truncate_weights", "no_manifest", "bad_manifest"])
def test_a_damaged_cached_model_is_rebuilt_with_one_warning(fake_gguf, caplog, damage):
    source, calls = fake_gguf
    model, _, _ = load_gguf_cached(source)
    cache = gguf_cache_dir(source)
    weights = _weights(cache)
    if damage == "flip_weights":  # same size: only a checksum sees it
        data = bytearray(weights.read_bytes())
        data[len(data) // 2] ^= 0xFF
        weights.write_bytes(bytes(data))
    elif damage == "truncate_weights":
        weights.write_bytes(weights.read_bytes()[:100])
    elif damage == "no_manifest":
        (cache / CACHE_MANIFEST).unlink()
    else:
        (cache / CACHE_MANIFEST).write_text("{", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        rebuilt, _, folder = load_gguf_cached(source)
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1 and "unusable" in lines[0] and "rebuilding" in lines[0] and "\n" not in lines[0]
    assert len(calls) == 2 and folder == str(cache)
    before = {k: v for k, v in model.state_dict().items()}
    assert all((rebuilt.state_dict()[k] == v).all() for k, v in before.items())
    manifest = json.loads((cache / CACHE_MANIFEST).read_text())
    assert _weights(cache).name in manifest["files"]
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        load_gguf_cached(source)
    assert len(calls) == 2 and not caplog.records


def test_a_source_edited_in_place_is_converted_again(fake_gguf, caplog):
    import os

    source, calls = fake_gguf
    load_gguf_cached(source)
    stat = source.stat()
    source.write_bytes(b"GGUF tiny stand-In")  # same size
    os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    with caplog.at_level(logging.WARNING):
        load_gguf_cached(source)
    assert len(calls) == 2 and any("another version" in r.getMessage() for r in caplog.records)
