from __future__ import annotations

from kgreason.models.generate import (
    GeneratedAnswer,
    Generator,
    answer_claim,
    gguf_cache_dir,
    template_answer,
    verdict_value,
)
from kgreason.models.nli import NLIVerifier
from kgreason.models.resolve import smollm2_gguf_path

FACTS = ["Tweety is a bird", "Birds can fly", "Tweety can fly"]


def test_answer_claim_drops_polarity_and_filler():
    assert answer_claim("Yes, Tweety can indeed fly.") == "Tweety can fly."
    assert answer_claim("No, penguins cannot fly.") == "Penguins cannot fly."


def test_verdict_values_and_templates():
    assert [verdict_value(v) for v in ("true", "FALSE", "unknown", True, False, "yes")] == [
        "true", "false", "unknown", "true", "false", "true"]
    assert template_answer("Can Tweety fly?", "true", FACTS) == "Yes. Tweety is a bird. Birds can fly. Tweety can fly."
    assert template_answer("Can Tweety fly?", "false", ["Tweety cannot fly"]) == "No. Tweety cannot fly."
    assert template_answer("Can Bob fly?", "unknown", []).startswith("Unknown:")


def test_gpt2_generator_output_is_verified_or_replaced_by_the_template(tiny_gpt2_dir, tiny_bert_dirs):
    verifier = NLIVerifier(str(tiny_bert_dirs["cls"]))
    gen = Generator(str(tiny_gpt2_dir), device="cpu", verifier=verifier, max_new_tokens=8)
    for verdict in ("true", "false", "unknown"):
        ans = gen.generate("Can Tweety fly?", verdict, FACTS)
        assert isinstance(ans, GeneratedAnswer) and isinstance(ans, str)
        assert ans.generated is not None  # the model did run
        data = ans.to_json()
        assert data["text"] == str(ans) and data["used_template"] == ans.used_template
        if ans.used_template:
            assert ans.text == template_answer("Can Tweety fly?", verdict, FACTS)
        else:  # only an answer the verifier entailed (or a proper "unknown") gets through
            assert verdict == "unknown" or ans.verifier["label"] == "entailment"
        if verdict != "unknown" and ans.verifier is not None:
            direct = verifier.verify(FACTS, answer_claim(ans.generated))
            assert direct.label == ans.verifier["label"]


def test_generator_without_verifier_reports_unverified(tiny_gpt2_dir):
    gen = Generator(str(tiny_gpt2_dir), device="cpu", verifier=False, max_new_tokens=4)
    ans = gen.generate("Can Tweety fly?", "true", FACTS)
    assert ans.used_template is False and ans.reason.startswith("not verified")
    assert ans.text.startswith("Yes,")


def test_gguf_cache_location_is_keyed_by_file(tmp_path, monkeypatch):
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path))
    path = gguf_cache_dir(smollm2_gguf_path())
    assert path.parent == tmp_path / "models" and path.name.startswith("SmolLM2-135M-Instruct")
