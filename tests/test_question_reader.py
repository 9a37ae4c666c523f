"""Yes/no questions the controlled grammar cannot read go through the neural reader (where the
pipeline config names one): its statement is accepted only when every part links to the graph,
and the answer shows what the question was read as; otherwise "not understood", never a silent
misreading. The reader's output is data here (given proposals); the shipped adapter runs in the
slow test."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgreason.config import ModelsConfig, PipelineConfig, RetrievalConfig
from kgreason.language.questions import needs_reader, parse_question, read_proposal
from kgreason.models.reader import DEFAULT_READER_DIR, Proposal
from kgreason.pipeline import Pipeline
from kgreason.pipeline.reading import ReaderStage
from kgreason.reasoning import check_proof

DATA = Path(__file__).parent / "data"
#: Questions outside the controlled grammar, and the statement a reader would give for each.
PROPOSALS = {
    "Would you say that penguins have the ability to fly?": "Penguins can fly.",
    "Would you agree that bats are basically mammals?": "Bats are mammals.",
    "Would you say that griffins fly?": "Griffins can fly.",  # not in the graph
    "Would you say that the cat is nice?": "The cat is nice. The cat is big.",  # not one statement
}


class GivenReader:
    """A neural reader whose proposals are given (the reader's output is the input under test);
    records what it was asked."""

    def __init__(self, proposals: dict[str, str]):
        self.proposals = proposals
        self.asked: list[str] = []

    def propose(self, sentences, *, batch_size: int = 16):
        self.asked += list(sentences)
        return [Proposal(self.proposals.get(s, ""), 0.8) for s in sentences]


def _pipeline(graph: str, reader: GivenReader | None) -> Pipeline:
    config = PipelineConfig(graphs=[graph], retrieval=RetrievalConfig(enabled=False),
                            models=ModelsConfig(reader="default" if reader else None))
    # the configured stage, given proposals: handed in, not written into the pipeline
    return Pipeline(config, reader=ReaderStage(reader=reader) if reader is not None else None)


def test_a_linked_proposal_is_read(commonsense):
    kg = commonsense.kg
    hyp = read_proposal("Would you say that penguins have the ability to fly?", "Penguins can fly.", kg)
    assert hyp.understood and hyp.statement == "Penguins can fly"
    best = hyp.candidates[0]
    assert [kg.qname(t) for t in best.triple] == ["cs:Penguin", "cs:can", "cs:Fly"]


@pytest.mark.parametrize("proposal, why", [
    ("Unicorns can fly.", "not every part of that names something"),
    ("Penguins can fly. Penguins can swim.", "not one statement"),
    ("", "proposed no statement"),
    ("Penguins enjoy jazz.", "not every part of that names something"),
])
def test_a_proposal_that_does_not_link_is_not_understood(commonsense, proposal, why):
    hyp = read_proposal("Some question?", proposal, commonsense.kg)
    assert not hyp.understood and why in hyp.reason
    if proposal:
        assert proposal in hyp.reason  # says what it was read as


def test_the_pipeline_answers_through_the_reader_and_shows_the_reading():
    reader = GivenReader(PROPOSALS)
    pipe = _pipeline("commonsense", reader)
    q = "Would you say that penguins have the ability to fly?"
    assert needs_reader(parse_question(q, pipe.kg))  # the grammar alone does not read it
    answer = pipe.ask(q)
    assert reader.asked == [q]
    assert answer.answer == "no" and answer.decided_by == "reasoner"
    assert answer.read_as == {"text": "Penguins can fly.", "confidence": 0.8, "accepted": True}
    assert answer.statement == "Penguin can fly."
    assert check_proof(answer.decision.proof, pipe.reasoner) == []
    data = answer.to_json()
    assert data["read_as"]["text"] == "Penguins can fly." and data["answer"] == "no"
    assert pipe.ask("Would you agree that bats are basically mammals?").answer == "yes"


def test_a_refused_reading_stays_not_understood_and_says_so():
    reader = GivenReader(PROPOSALS)
    pipe = _pipeline("commonsense", reader)
    for q in ("Would you say that griffins fly?", "Would you say that the cat is nice?"):
        assert not parse_question(q, pipe.kg).understood
        answer = pipe.ask(q)
        assert answer.answer == "unknown" and answer.decision.candidate is None
        assert answer.read_as["accepted"] is False
        assert PROPOSALS[q] in answer.reason  # what it was read as, and why it was refused


def test_questions_the_grammar_reads_never_reach_the_reader():
    reader = GivenReader(PROPOSALS)
    pipe = _pipeline("commonsense", reader)
    assert pipe.ask("Can penguins fly?").answer == "no"
    assert pipe.ask("Can you eat raw chicken?").answer == "no"
    assert reader.asked == [] and pipe.ask("Can penguins fly?").read_as is None


def test_without_a_reader_in_the_config_nothing_changes():
    pipe = _pipeline("commonsense", None)
    answer = pipe.ask("Would you say that penguins have the ability to fly?")
    assert pipe.reader is None and answer.read_as is None


def test_the_cli_shows_the_neural_reading(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from kgreason.cli import app
    from kgreason.pipeline import pipeline as pipeline_module

    stage = ReaderStage(reader=GivenReader(PROPOSALS))
    monkeypatch.setattr(pipeline_module.Pipeline, "reader", property(lambda self: stage))
    config = tmp_path / "p.yaml"
    config.write_text("graphs: [commonsense]\nretrieval: {enabled: false}\nmodels: {reader: default}\n")
    runner = CliRunner()
    q = "Would you say that penguins have the ability to fly?"
    out = runner.invoke(app, ["ask", "--pipeline", str(config), q])
    assert out.exit_code == 0, out.output
    assert "read by the neural reader as: Penguins can fly." in out.output
    data = json.loads(runner.invoke(app, ["ask", "--pipeline", str(config), "--json", q]).output)
    assert data["read_as"]["accepted"] is True and data["answer"] == "no"


@pytest.mark.slow
@pytest.mark.skipif(not (DEFAULT_READER_DIR / "adapter_config.json").exists(),
                    reason="the shipped neural reader adapter is not built yet")
def test_the_shipped_reader_on_free_questions():
    pipe = Pipeline(PipelineConfig(graphs=[str(DATA / "geography.ttl")],
                                   retrieval=RetrievalConfig(enabled=False),
                                   models=ModelsConfig(reader="default")))
    for q, expected in [("Do you think Rome is in Italy?", "yes"),
                        ("Is it really the case that Paris happens to be a country?", "no")]:
        answer = pipe.ask(q)
        assert answer.read_as is not None and answer.read_as["accepted"], (q, answer.read_as)
        assert answer.answer == expected, (q, answer.read_as)
        assert check_proof(answer.decision.proof, pipe.reasoner) == []
    refused = pipe.ask("Would you say that griffins fly?")  # nothing in the graph is a griffin
    assert refused.answer == "unknown" and refused.decision.candidate is None
    assert refused.read_as is not None and not refused.read_as["accepted"]


@pytest.fixture(scope="module")
def tiny_random_reader(tmp_path_factory) -> Path:
    """A 2-layer random-init GPT-2 with a byte BPE trained here: a reader folder whose proposals
    are noise (``models.reader`` may name any causal LM folder)."""
    import torch
    from tokenizers import ByteLevelBPETokenizer
    from transformers import GPT2Config, GPT2LMHeadModel, GPT2TokenizerFast

    corpus = list(PROPOSALS) + list(PROPOSALS.values()) + ["Rewrite in simple sentences:"]
    bpe = ByteLevelBPETokenizer()
    bpe.train_from_iterator(corpus * 4, vocab_size=300, min_frequency=1, special_tokens=["<|endoftext|>"])
    tokenizer = GPT2TokenizerFast(tokenizer_object=bpe._tokenizer, eos_token="<|endoftext|>",
                                  bos_token="<|endoftext|>", unk_token="<|endoftext|>")
    torch.manual_seed(0)
    config = GPT2Config(vocab_size=len(tokenizer), n_positions=256, n_embd=32, n_layer=2, n_head=2,
                        bos_token_id=tokenizer.eos_token_id, eos_token_id=tokenizer.eos_token_id)
    out = tmp_path_factory.mktemp("tiny_reader") / "model"
    GPT2LMHeadModel(config).save_pretrained(out)
    tokenizer.save_pretrained(out)
    return out


def test_a_random_reader_is_never_believed(tiny_random_reader):
    """The configured reader really runs (a tiny random model): its noise links to nothing in the
    graph, so the question is reported as not understood, with what it was read as."""
    config = PipelineConfig(graphs=["commonsense"], retrieval=RetrievalConfig(enabled=False),
                            models=ModelsConfig(reader=str(tiny_random_reader), device="cpu"))
    pipe = Pipeline(config)
    q = "Would you say that griffins fly?"
    answer = pipe.ask(q)
    assert answer.read_as is not None and answer.read_as["accepted"] is False
    assert answer.answer == "unknown" and answer.decision.candidate is None
    assert answer.reason.startswith("no reading of")
