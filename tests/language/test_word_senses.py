"""Word senses (issue 14): a name with several senses is answered over every sense; the answer
names the sense that was proved."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import URIRef

from kgreason.config import PipelineConfig, RetrievalConfig
from kgreason.language.label_index import label_index
from kgreason.pipeline import Pipeline
from kgreason.reasoning import load_graph_with_rules

DATA = Path(__file__).parents[1] / "data"
WN = "https://w3id.org/kgreason/wordnet#"


def _pipeline(graph: str) -> Pipeline:
    return Pipeline(PipelineConfig(graphs=[graph], retrieval=RetrievalConfig(enabled=False,
                                                                             rank_candidates=False)))


def test_every_sense_of_a_word_is_linked():
    kg = load_graph_with_rules(str(DATA / "wordnet_senses.ttl"))
    linked = [node for node, score in label_index(kg).link("hammer")]
    assert {str(n).removeprefix(WN) for n in linked} == {
        "hammer.n.01", "hammer.n.02", "hammer.n.03", "hammer.n.04", "hammer.n.05", "hammer.n.06",
        "hammer.v.01"}
    assert {score for _, score in label_index(kg).link("hammer")} == {1.0}  # the same label score


def test_the_proved_sense_wins_and_is_named():
    answer = _pipeline(str(DATA / "wordnet_senses.ttl")).ask("Is a hammer a tool?")
    assert answer.answer == "yes"
    assert answer.decision.candidate.triple[0] == URIRef(WN + "hammer.n.06")  # the sixth sense
    assert "hammer.n.06" in answer.statement and "a hand tool with a heavy rigid head" in answer.statement
    assert "tool.n.01" in answer.statement  # "tool" has two senses too
    assert any("hand tool" in line for line in answer.proof)


def test_no_sense_proved_stays_unknown_without_naming_one():
    answer = _pipeline(str(DATA / "wordnet_senses.ttl")).ask("Is a hammer a drive?")
    assert answer.answer == "unknown"
    assert answer.statement == "Hammer is a kind of drive."  # no sense singled out


def test_only_words_with_several_senses_are_annotated():
    answer = _pipeline(str(DATA / "wordnet_senses.ttl")).ask("Is a hand tool a tool?")
    assert answer.answer == "yes"
    assert "hand_tool.n.01" not in answer.statement  # one sense: nothing to say
    assert answer.statement.endswith('(tool as tool.n.01, "an implement used in the practice of a vocation").')


WORDNET = Path("/usr/share/wordnet/data.noun")


@pytest.mark.slow
@pytest.mark.skipif(not WORDNET.exists(), reason="WordNet (apt-get install wordnet-base) is not installed")
def test_hammer_is_a_tool_on_the_real_wordnet(tmp_path):
    from typer.testing import CliRunner

    from kgreason.cli import app

    graph = tmp_path / "wordnet.ttl"
    result = CliRunner().invoke(app, ["graph", "import-wordnet", str(graph)])
    assert result.exit_code == 0, result.output
    answer = _pipeline(str(graph)).ask("Is a hammer a tool?")
    assert answer.answer == "yes"
    assert answer.decision.candidate.triple[0] == URIRef(WN + "hammer.n.02")
    assert "hammer.n.02" in answer.statement
    assert any("hand tool" in line.lower() for line in answer.proof)
