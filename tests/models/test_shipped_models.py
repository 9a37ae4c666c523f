"""The shipped verifier and the packaged SmolLM2 generator on real inputs (slow: real models)."""

from __future__ import annotations

import pytest

from kgreason.models.generate import Generator
from kgreason.models.nli import NLIVerifier
from kgreason.models.resolve import DEFAULT_NLI_DIR

pytestmark = pytest.mark.slow

CASES = [
    ("Penguins cannot fly.", "Penguins can fly.", "contradiction"),
    ("Tweety is a bird. Birds can fly. Tweety can fly.", "Tweety is able to fly.", "entailment"),
    ("Paris is in France. France is in Europe.", "Bob likes the cat.", "neutral"),
    ("The cow is blue. The cow likes the lion.", "The cow is not blue.", "contradiction"),
    ("Apples are fruits. Bananas are yellow.", "An apple is a kind of fruit.", "entailment"),
    ("Anne is kind. Anne is young.", "Anne is big.", "neutral"),
]


def test_shipped_adapter_is_small_safetensors_with_a_model_card():
    files = {p.name: p.stat().st_size for p in DEFAULT_NLI_DIR.iterdir()}
    assert "adapter_model.safetensors" in files and "README.md" in files and "kgreason_nli.json" in files
    assert files["adapter_model.safetensors"] <= 5 * 1024 * 1024


@pytest.mark.parametrize(("premise", "hypothesis", "gold"), CASES)
def test_shipped_verifier_on_real_pairs(premise, hypothesis, gold):
    pred = NLIVerifier(device="cpu").predict([(premise, hypothesis)])[0]
    assert pred.label == gold, pred.to_json()


def test_smollm2_loads_from_gguf_caches_and_generates(tmp_path, monkeypatch):
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path))
    first = Generator(device="cpu", verifier=False, max_new_tokens=24).warm_up()
    cache = tmp_path / "models"
    assert any((d / "config.json").exists() for d in cache.iterdir())
    second = Generator(device="cpu", verifier=False, max_new_tokens=24).warm_up()
    assert second.loaded_from.startswith(str(cache)) and first.loaded_from == second.loaded_from
    ans = second.generate("Can penguins fly?", "false", ["Penguins cannot fly."])
    assert ans.generated and len(ans.text) < 400
