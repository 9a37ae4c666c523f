"""The shipped neural reader on crowd-style sentences and questions written for this test (not
ParaRules dev/test sentences). Slow: loads SmolLM2-135M and the adapter."""

from __future__ import annotations

import json

import pytest

from kgreason.models.reader import DEFAULT_READER_DIR, load_reader
from kgreason.models.reader_data import same_reading

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (DEFAULT_READER_DIR / "adapter_config.json").exists(),
                       reason="the shipped reader adapter is not in this checkout"),
]

CASES = [
    ("Fred sure is nice, and he is big too.", "Fred is nice. Fred is big."),
    ("People who are young are also blue.", "If someone is young then they are blue."),
    ("Harry seems to be a very cold guy.", "Harry is cold."),
    ("Bob isn't round.", "Bob is not round."),
    ("Is it true that the bear is big?", "The bear is big."),
    ("Is Anne kind?", "Anne is kind."),
]


def test_shipped_reader_is_small_with_a_model_card():
    files = {p.name: p.stat().st_size for p in DEFAULT_READER_DIR.iterdir()}
    assert {"adapter_config.json", "adapter_model.safetensors", "kgreason_reader.json", "README.md"} <= set(files)
    assert files["adapter_model.safetensors"] <= 6 * 1024 * 1024
    manifest = json.loads((DEFAULT_READER_DIR / "kgreason_reader.json").read_text())
    assert manifest["base"] == "smollm2" and manifest["kind"] == "reader"


def test_shipped_reader_reads_crowd_sentences_and_questions():
    reader = load_reader("default", device="cpu")
    proposals = reader.propose([s for s, _ in CASES])
    assert len(proposals) == len(CASES)
    for (sentence, gold), proposal in zip(CASES, proposals):
        assert 0.0 <= proposal.confidence <= 1.0
        assert same_reading(proposal.text, gold) == "exact", (sentence, proposal)
