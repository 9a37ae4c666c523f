from __future__ import annotations

import json

import pytest

from kgreason.errors import ModelError
from kgreason.models.nli import NLI_LABELS, NLIVerifier, normalize_labels

PAIRS = [
    ("Tweety is a bird. Birds can fly.", "Tweety can fly."),
    ("Penguins cannot fly.", "A penguin is a bird."),
    ("The cat chases the mouse. Bob does not like the dog. Paris is in France. The cow is not blue.", "Bob likes the dog."),
    ("The cow is not blue.", "The cow is blue."),
]


def test_predictions_are_distributions_in_input_order(tiny_bert_dirs):
    v = NLIVerifier(str(tiny_bert_dirs["cls"]), device="cpu")
    batched = v.predict(PAIRS, batch_size=3)  # mixed lengths: sorted, padded, put back in order
    single = [v.predict([p], batch_size=1)[0] for p in PAIRS]
    assert len(batched) == len(PAIRS)
    for b, s in zip(batched, single):
        assert set(b.probs) == set(NLI_LABELS) and abs(sum(b.probs.values()) - 1) < 1e-5
        assert b.label == max(b.probs, key=b.probs.get)
        for label in NLI_LABELS:
            assert b.probs[label] == pytest.approx(s.probs[label], abs=1e-5)
    assert v.predict([]) == []


def test_label_names_come_from_the_checkpoint_config(tiny_bert_dirs, tmp_path):
    import shutil

    reordered = tmp_path / "reordered"
    shutil.copytree(tiny_bert_dirs["cls"], reordered)
    cfg = json.loads((reordered / "config.json").read_text())
    cfg["id2label"] = {"0": "CONTRADICTION", "1": "NEUTRAL", "2": "ENTAILMENT"}
    cfg["label2id"] = {v: int(k) for k, v in cfg["id2label"].items()}
    (reordered / "config.json").write_text(json.dumps(cfg))
    original = NLIVerifier(str(tiny_bert_dirs["cls"])).predict(PAIRS[:1])[0]
    renamed = NLIVerifier(str(reordered)).predict(PAIRS[:1])[0]
    # same logits, index 0 is now called contradiction and index 2 entailment
    assert renamed.probs["contradiction"] == pytest.approx(original.probs["entailment"], abs=1e-6)
    assert renamed.probs["entailment"] == pytest.approx(original.probs["contradiction"], abs=1e-6)


def test_non_nli_labels_fail_clearly():
    assert normalize_labels({0: "ENTAILMENT", 1: "neutral", 2: "Contradiction"}) == list(NLI_LABELS)
    with pytest.raises(ModelError, match="not an NLI label"):
        normalize_labels({0: "LABEL_0", 1: "LABEL_1"})


def test_verify_splits_long_fact_lists_into_windows(tiny_bert_dirs):
    v = NLIVerifier(str(tiny_bert_dirs["cls"]), max_length=24).warm_up()
    facts = [f"the cat chases the mouse {i}" for i in range(12)] + ["Tweety can fly"]
    windows = v._windows(facts, "Tweety can fly.")
    assert len(windows) > 1 and windows[-1].endswith("Tweety can fly.")
    assert sum(w.count(".") for w in windows) == len(facts)  # every fact lands in exactly one window
    pred = v.verify(facts, "Tweety can fly.")
    by_window = v.predict([(w, "Tweety can fly.") for w in windows])
    assert pred.probs["neutral"] == pytest.approx(min(p.probs["neutral"] for p in by_window))
    assert v.verify([], "Tweety can fly.").label == "neutral"
