"""The pipeline's reader stage with a real (tiny, random-init) NLI verifier confirming the neural
reader's proposals: theories, Theory.complete, evaluation records and parse coverage."""

from __future__ import annotations

import pytest

from kgreason.core import CONFIRMED, EXACT, NOT_UNDERSTOOD
from kgreason.evaluation.metrics import summarize
from kgreason.models.reader import Proposal
from kgreason.pipeline.reading import ReaderStage
from kgreason.pipeline.theory import TheoryCache

CONTEXT = "Harry is big.\nHarry, who is nice, is also quite cold.\nIf someone is cold then they are round."
PROPOSALS = {"Harry, who is nice, is also quite cold.": "Harry is nice. Harry is cold."}


class GivenProposals:
    """The neural reader's interface over given proposals (the input to confirmation is data)."""

    def __init__(self, proposals: dict[str, str]):
        self.proposals = proposals
        self.asked: list[str] = []

    def propose(self, sentences, *, batch_size: int = 16):
        self.asked += list(sentences)
        return [Proposal(self.proposals.get(s, ""), 0.7) for s in sentences]

    def alternatives(self, sentences, *, k: int = 4):
        """No other readings than the first (an alternative already tried is not checked again)."""
        self.asked_alternatives = list(sentences)
        return [[Proposal(self.proposals.get(s, ""), 0.7)] for s in sentences]


def _stage(tiny_bert_dirs, threshold: float, alternatives: int = 1) -> tuple[ReaderStage, GivenProposals]:
    reader = GivenProposals(PROPOSALS)
    return ReaderStage("default", nli=str(tiny_bert_dirs["cls"]), device="cpu", threshold=threshold,
                       reader=reader, alternatives=alternatives), reader


def test_confirmed_by_the_verifier_completes_the_theory(tiny_bert_dirs):
    stage, reader = _stage(tiny_bert_dirs, threshold=0.0)  # any entailment probability confirms
    theory = TheoryCache(reader=stage).read(CONTEXT, source="context")
    assert [r.status for r in theory.readings] == [EXACT, CONFIRMED, EXACT]
    assert reader.asked == ["Harry, who is nice, is also quite cold."]  # only what the fast path refused
    assert theory.complete and theory.reading_counts()[CONFIRMED] == 1
    assert theory.reasoner.holds(*_triple(theory, "Harry", "Round")).value.value == "true"
    assert 0.0 < theory.readings[1].confidence <= 0.7


def test_refused_by_the_verifier_leaves_the_theory_incomplete(tiny_bert_dirs):
    # no probability reaches 1: every reading refused, the alternatives (here only the same one) too
    stage, _ = _stage(tiny_bert_dirs, threshold=1.0, alternatives=4)
    theory = TheoryCache(reader=stage).read(CONTEXT, source="context")
    assert [r.status for r in theory.readings] == [EXACT, NOT_UNDERSTOOD, EXACT]
    assert not theory.complete and theory.issues[0].startswith("context:2: Harry, who is nice")
    assert "NLI" in theory.issues[0]
    assert stage.reader.asked_alternatives == ["Harry, who is nice, is also quite cold."]
    records = [{"gold": "entailment", "predicted": "entailment", "parsed": theory.complete,
                "readings": theory.reading_counts(), "latency_ms": 1.0}]
    metrics = summarize(records)
    assert metrics["parse_coverage"] == 0.0 and metrics["readings"][NOT_UNDERSTOOD] == 1
    assert metrics["sentence_coverage"] == 2 / 3


def test_fast_path_only_without_a_reader():
    theory = TheoryCache().read(CONTEXT, source="context")
    assert [r.status for r in theory.readings] == [EXACT, NOT_UNDERSTOOD, EXACT] and not theory.complete


def _triple(theory, name: str, attribute: str):
    from rdflib import RDF, Namespace

    ex = Namespace("https://w3id.org/kgreason/entity#")
    return ex[name], RDF.type, ex[attribute]


def test_prefetch_reads_what_the_fast_path_refuses_in_one_batch(tiny_bert_dirs):
    stage, reader = _stage(tiny_bert_dirs, threshold=0.0)
    other = "Anne is kind.\nAnne sure is nice."
    assert stage.prefetch([CONTEXT, other, CONTEXT]) == 2
    assert reader.asked == ["Harry, who is nice, is also quite cold.", "Anne sure is nice."]
    TheoryCache(reader=stage).read(CONTEXT)  # served from the stage's cache
    assert len(reader.asked) == 2


def test_eval_reads_contexts_through_the_reader_in_every_mode(tmp_path, tiny_bert_dirs, tiny_gpt2_dir):
    """``kgreason eval --reader``: a (tiny, untrained) reader's proposals do not parse or are not
    confirmed, so the crowd theory stays incomplete and its sentences are counted as not understood;
    the templated theory is read exactly; nothing errors."""
    import json

    from typer.testing import CliRunner

    from kgreason.cli import app

    rows = [
        {"id": "T-OWA-1", "context": "Bob is big. If someone is big then they are red.",
         "questions": [{"id": "T-OWA-1-Q1", "text": "Bob is red.", "label": "true", "meta": {"QDep": 1}}]},
        {"id": "C-OWA-2", "context": "Bob is big. Big people are also quite red.",
         "questions": [{"id": "C-OWA-2-Q1", "text": "Bob is red.", "label": "true", "meta": {"QDep": 1}}]},
    ]
    data = tmp_path / "mixed.jsonl"
    data.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = CliRunner().invoke(app, [
        "eval", str(data), "--mode", "all", "--reader", str(tiny_gpt2_dir), "--nli-model",
        str(tiny_bert_dirs["cls"]), "--device", "cpu", "--report", str(tmp_path / "report"), "--json"])
    assert result.exit_code == 0, result.output
    modes = json.loads(result.stdout)["modes"]
    for mode in ("symbolic", "hybrid"):
        assert modes[mode]["parse_coverage"] == 0.5 and modes[mode]["errors"] == 0
        assert modes[mode]["readings"] == {"exact": 3, "confirmed": 0, "not_understood": 1}
    records = [json.loads(line) for line in (tmp_path / "report" / "predictions.jsonl").read_text().splitlines()]
    crowd = next(r for r in records if r["key"].startswith("C-OWA-2") and r["mode"] == "symbolic")
    assert crowd["parse_issues"][0].startswith("context:1: Big people are also quite red.")
    templated = next(r for r in records if r["key"].startswith("T-OWA-1") and r["mode"] == "symbolic")
    assert templated["predicted"] == "entailment" and templated["parsed"]


@pytest.mark.slow
def test_shipped_reader_on_a_few_crowd_sentences():
    """The shipped adapter through the whole stage: every sentence gets a reading; what is confirmed
    is in the graph with the theory's own names, what is not is reported with its line."""
    from rdflib import RDF, Namespace

    from kgreason.models.reader import DEFAULT_READER_DIR

    if not (DEFAULT_READER_DIR / "adapter_config.json").exists():
        pytest.skip("the shipped reader is not in this checkout")
    ex = Namespace("https://w3id.org/kgreason/entity#")
    context = ("Bob is big.\nPeople who are big are also quite red.\nBob seems to be round.\n"
               "Anne is a kind, young person who is cold.")
    theory = TheoryCache(reader=ReaderStage("default", device="cpu")).read(context, source="crowd")
    assert [r.line for r in theory.readings if r.status == EXACT] == [1]
    assert len({r.line for r in theory.readings}) == 4
    assert [i.split(":")[1] for i in theory.issues] == [
        str(r.line) for r in theory.readings if r.status == NOT_UNDERSTOOD]
    names = {str(n).rsplit("#", 1)[-1] for t in theory.kg.rdf for n in t}
    assert not {"AlsoQuiteRed", "seemTo", "seemsTo", "BeRound"} & names
    if any(r.line == 3 and r.status == CONFIRMED for r in theory.readings):
        assert (ex.Bob, RDF.type, ex.Round) in theory.kg.rdf
