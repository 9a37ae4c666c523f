"""Neural and hybrid modes with a real (tiny, untrained) NLI classifier built in a fixture from
the packaged MiniLM: the plumbing, the fallback rule and the decided-by counts are what is tested
(accuracy of the shipped verifier is measured in benchmarks, not here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.labels import LABELS
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.runner import RunOptions, evaluate

DATA = Path(__file__).parent.parent / "data" / "eval"


@pytest.fixture(scope="module")
def tiny_nli(tmp_path_factory) -> str:
    pytest.importorskip("transformers")
    from kgreason.models.classifier import build_classifier, save_classifier

    model, tokenizer = build_classifier("minilm")
    out = tmp_path_factory.mktemp("nli")
    save_classifier(
        model, tokenizer, out, {"labels": list(model.config.id2label.values()), "max_length": 128}
    )
    return str(out)


def test_hybrid_needs_no_model_when_everything_was_read():
    """The reasoner's answers stand on fully read theories — its open-world unknown included —
    so hybrid never asks the verifier there (a missing model is never loaded)."""
    data = read_dataset([DATA / "logiclm.json"])
    result = evaluate(data, ["hybrid"], EvalConfig(nli_model="/nonexistent"), RunOptions())
    assert result.modes["hybrid"]["decided_by"] == {"reasoner": 4}
    assert result.modes["hybrid"]["accuracy"] == 1.0


def test_a_missing_model_stops_the_run_with_a_model_error(tmp_path):
    from kgreason.errors import ModelError

    data = read_dataset([DATA / "unread.jsonl"])
    out = tmp_path / "r"
    with pytest.raises(ModelError, match="nonexistent"):
        evaluate(
            data,
            ["symbolic", "hybrid"],
            EvalConfig(nli_model="/nonexistent"),
            RunOptions(report_dir=str(out), batch_size=2),
        )
    # what was done before the verifier was needed is on disk, ready for --resume
    written = (out / "predictions.jsonl").read_text().splitlines()
    assert len(written) >= 3


@pytest.mark.slow
def test_neural_and_hybrid_with_a_real_classifier(tiny_nli):
    data = read_dataset([DATA / "logiclm.json"])
    config = EvalConfig(nli_model=tiny_nli, device="cpu")
    result = evaluate(data, ["symbolic", "neural", "hybrid"], config, RunOptions(batch_size=3))
    neural = result.records["neural"]
    assert len(neural) == 4
    for record in neural:
        assert record["predicted"] in LABELS and record["decided_by"] == "verifier"
        assert sum(record["probs"].values()) == pytest.approx(1.0, abs=1e-3)
    hybrid = {r["key"]: r for r in result.records["hybrid"]}
    symbolic = {r["key"]: r for r in result.records["symbolic"]}
    assert result.modes["hybrid"]["decided_by"] == {"reasoner": 4}
    for key, record in hybrid.items():
        assert record["predicted"] == symbolic[key]["predicted"]
    assert set(result.modes) == {"symbolic", "neural", "hybrid"}


@pytest.mark.slow
def test_hybrid_asks_the_verifier_only_where_reading_failed(tiny_nli):
    """unread-1: a sentence of the theory is not read, but the reasoner proves the statement —
    TRUE stands. unread-2: one sentence of three not read and undecided — the reasoner's unknown
    stands by default (most of the context was read); with ``verifier_min_unread`` 0 the verifier
    decides exactly as in neural mode, unknown below the threshold. unread-4: two of three not
    read — the verifier decides. read-3: fully read — the open-world unknown stands."""
    data = read_dataset([DATA / "unread.jsonl"])
    default = evaluate(data, ["hybrid"], EvalConfig(nli_model=tiny_nli, device="cpu"), RunOptions())
    by_key = {r["key"]: r for r in default.records["hybrid"]}
    assert (by_key["unread-2"]["decided_by"], by_key["unread-2"]["predicted"]) == ("none", "neutral")
    assert by_key["unread-4"]["decided_by"] == "verifier"
    config = EvalConfig(nli_model=tiny_nli, device="cpu", verifier_threshold=0.0, verifier_min_unread=0.0)
    result = evaluate(data, ["symbolic", "neural", "hybrid"], config, RunOptions(batch_size=3))
    hybrid = {r["key"]: r for r in result.records["hybrid"]}
    assert hybrid["unread-1"]["decided_by"] == "reasoner"
    assert hybrid["unread-1"]["predicted"] == "entailment"
    assert hybrid["read-3"]["decided_by"] == "reasoner"
    assert hybrid["read-3"]["predicted"] == "neutral"
    asked = hybrid["unread-2"]
    assert asked["decided_by"] == "verifier"
    neural = {r["key"]: r for r in result.records["neural"]}["unread-2"]
    assert asked["predicted"] == neural["predicted"] and asked["probs"] == neural["probs"]
    assert asked["symbolic"]["truth"] == "unknown"
    assert asked["predicted"] in LABELS and asked["confidence"] == pytest.approx(
        max(asked["probs"].values()), abs=1e-3)
    # closed world: "if something is not quiet" ranges over the theory's individuals (reasoned);
    # a rule as read that cannot be reasoned with (negation through a cycle) is a reading failure,
    # not a crash, and hybrid asks the verifier
    cwa = evaluate(read_dataset([DATA / "unsafe_cwa.jsonl"]), ["symbolic", "hybrid"],
                   EvalConfig(nli_model=tiny_nli, device="cpu", closed_world=True), RunOptions())
    naf, cycle = cwa.records["symbolic"]
    assert (naf["predicted"], naf["decided_by"]) == ("entailment", "reasoner")
    assert "not stratifiable" in cycle["error"]
    unsafe = cwa.records["hybrid"][1]
    assert "not stratifiable" in unsafe["symbolic"]["error"] and unsafe["decided_by"] == "verifier"
    sure = evaluate(data, ["hybrid"], EvalConfig(nli_model=tiny_nli, device="cpu", verifier_threshold=1.0,
                                                 verifier_min_unread=0.0), RunOptions())
    unsure = {r["key"]: r for r in sure.records["hybrid"]}["unread-2"]
    assert unsure["decided_by"] == "verifier" and unsure["predicted"] == "neutral"


@pytest.mark.slow
def test_batched_windows_match_verify(tiny_nli):
    """judge_many scores every window of every example in one pass and must agree with
    NLIVerifier.verify example by example (long theories span several windows)."""
    from kgreason.evaluation.predictors import NeuralPredictor

    data = read_dataset([DATA / "logiclm.json"])
    neural = NeuralPredictor(EvalConfig(nli_model=tiny_nli, device="cpu"))
    neural.verifier.max_length = 24  # force several windows per theory
    items = [(neural.facts_for(e), e.hypothesis) for e in data.examples]
    batched = neural.judge_many(items)
    for (facts, hypothesis), got in zip(items, batched):
        alone = neural.verifier.verify(facts, hypothesis)
        assert got.label == alone.label
        assert got.probs == pytest.approx(alone.probs, abs=1e-4)
