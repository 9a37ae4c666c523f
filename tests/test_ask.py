"""`ask` end to end over question tables: the shipped commonsense graph, a second domain graph
(geography) in Turtle AND in plain English (same answers), and the seeds' fallacy. Every answer
the reasoner decides must come with a proof that re-checks."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.config import PipelineConfig, RetrievalConfig
from kgreason.language.verbalize import sentence, verbalize
from kgreason.pipeline import Pipeline
from kgreason.reasoning import check_proof

DATA = Path(__file__).parent / "data"


def _table(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / "questions" / name).read_text().splitlines() if line.strip()]


def _check(pipe: Pipeline, row: dict) -> None:
    answer = pipe.ask(row["question"])
    assert answer.answer == row["answer"], (row["question"], answer.hypothesis, answer.triple, answer.reason)
    if answer.decided_by == "reasoner" and answer.answer != "unknown":
        proof = answer.decision.proof
        assert proof is not None and answer.proof
        assert check_proof(proof, pipe.reasoner) == [], row["question"]
    if answer.triple is not None:  # the statement shown is the triple decided
        cand = answer.decision.candidate
        assert answer.statement == sentence(verbalize(pipe.kg, cand.triple, negated=cand.negated))


@pytest.mark.parametrize("row", _table("commonsense.jsonl"), ids=lambda r: r["question"])
def test_commonsense_questions(commonsense, row):
    _check(commonsense, row)


@pytest.mark.parametrize("row", _table("geography.jsonl"), ids=lambda r: r["question"])
def test_geography_questions_on_turtle(geography_ttl, row):
    _check(geography_ttl, row)


@pytest.mark.parametrize("row", _table("geography.jsonl"), ids=lambda r: r["question"])
def test_geography_questions_on_plain_english(geography_txt, row):
    _check(geography_txt, row)


@pytest.mark.parametrize("row", _table("rain.jsonl"), ids=lambda r: r["question"])
def test_the_seeds_fallacy(row, make_table_pipeline):
    _check(make_table_pipeline(str(DATA / "rain.txt")), row)


def test_ask_cli_json_has_the_promised_fields(tmp_path, monkeypatch):
    """The README's main job, through the CLI with the full default pipeline (index included)."""
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    result = CliRunner().invoke(app, ["ask", "Can apples be eaten raw?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("question", "answer", "hypothesis", "triple", "proof", "evidence", "timings_ms"):
        assert key in data
    assert data["answer"] == "yes"
    assert data["decided_by"] == "reasoner"
    assert any("fruit" in line.lower() for line in data["proof"])
    assert data["evidence"], "retrieval returned no evidence"


def test_ask_on_an_english_graph_with_closed_world(tmp_path):
    graph = tmp_path / "g.txt"
    graph.write_text("Bob is cold. If something is cold and not big then it is red.\n")
    runner = CliRunner()
    open_world = runner.invoke(app, ["ask", "Is Bob red?", "--graph", str(graph), "--json"])
    closed = runner.invoke(app, ["ask", "Is Bob red?", "--graph", str(graph), "--closed-world", "--json"])
    assert json.loads(open_world.stdout)["answer"] == "unknown", open_world.output
    assert json.loads(closed.stdout)["answer"] == "yes", closed.output


def test_bad_input_gives_one_line_and_nonzero_exit(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["ask", "   "])
    assert result.exit_code != 0 and "empty" in result.output
    result = runner.invoke(app, ["ask", "Is Bob red?", "--graph", str(tmp_path / "missing.ttl")])
    assert result.exit_code != 0 and "not found" in result.output
    result = runner.invoke(app, ["ask", "Is Bob red?", "--pipeline", "nope"])
    assert result.exit_code != 0 and "pipeline" in result.output


@pytest.mark.slow
@pytest.mark.parametrize(
    ("graph", "table"),
    [("commonsense", "commonsense.jsonl"), (str(DATA / "geography.ttl"), "geography.jsonl"),
     (str(DATA / "geography.txt"), "geography.jsonl")],
)
def test_tables_through_the_full_default_pipeline(graph, table, tmp_path, monkeypatch):
    """The same tables with retrieval on (FAISS index, embedding-aware linking, ranking)."""
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path))
    pipe = Pipeline.from_config("default", graphs=[graph]).warm_up()
    wrong = [(r["question"], r["answer"], a.answer) for r in _table(table)
             if (a := pipe.ask(r["question"])).answer != r["answer"]]
    assert wrong == []


def test_open_questions_are_answered_not_refused():
    """what / how many / why are questions the graph answers (no longer refused); what it cannot
    read says so in ``reason`` with an empty answer list, like an unread yes/no question."""
    runner = CliRunner()
    result = runner.invoke(app, ["ask", "What is an apple?", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["kind"] == "what_is" and [a["label"] for a in data["answers"]][:1] == ["fruit"]
    data = json.loads(runner.invoke(app, ["ask", "Where is the nearest bakery?", "--json"]).stdout)
    assert data["kind"] == "what" and data["count"] == 0 and data["reason"]
    moons = json.loads(runner.invoke(app, ["ask", "How many moons does Mars have?", "--json"]).stdout)
    assert moons["kind"] == "how_many" and moons["count"] is None  # never 0 for "not known"
    assert moons["reason"].startswith("no count proved")
    why = json.loads(runner.invoke(app, ["ask", "Why, then?", "--json"]).stdout)
    assert why["kind"] == "why" and why["answer"] == "unknown" and why["reason"]


def test_ask_takes_a_verifier_and_checks_the_device_name(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["ask", "Can penguins fly?", "--device", "tpu"])
    assert result.exit_code != 0 and "unknown device 'tpu'" in result.output
    graph = tmp_path / "g.txt"
    graph.write_text("Bob is cold.\n")
    missing = tmp_path / "no-such-model"
    result = runner.invoke(app, ["ask", "Is Bob big?", "--graph", str(graph), "--mode", "hybrid",
                                 "--nli-model", str(missing)])
    assert result.exit_code != 0 and "no-such-model" in result.output and "Traceback" not in result.output


def test_ask_uses_the_rules_file_beside_the_graph(tmp_path):
    """``food.ttl`` + ``food.rules``: the graph's own rules take part in ``ask`` (and a pipeline's
    ``reasoning.rules`` add to them)."""
    (tmp_path / "food.ttl").write_text(
        '@prefix ex: <http://example.org/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n'
        'ex:Apple rdfs:label "apple" ; a ex:Fruit . ex:Fruit rdfs:label "fruit" .\n'
        'ex:canBe rdfs:label "can be" . ex:EatenRaw rdfs:label "eaten raw" .\n'
        'ex:Cooked rdfs:label "cooked" .\n')
    (tmp_path / "food.rules").write_text(
        "@prefix ex: <http://example.org/> .\n[edible] ?x ex:canBe ex:EatenRaw :- ?x a ex:Fruit .\n")
    extra = tmp_path / "extra.rules"
    extra.write_text("@prefix ex: <http://example.org/> .\n"
                     "[cook] ?x ex:canBe ex:Cooked :- ?x ex:canBe ex:EatenRaw .\n")
    config = PipelineConfig(graphs=[str(tmp_path / "food.ttl")],
                            retrieval=RetrievalConfig(enabled=False, rank_candidates=False))
    config.reasoning.rules = [str(extra)]
    pipe = Pipeline(config)
    answer = pipe.ask("Can apple be eaten raw?")
    assert answer.answer == "yes" and answer.decision.proof.rule == "edible"
    cooked = pipe.ask("Can apple be cooked?")
    assert cooked.answer == "yes" and cooked.decision.proof.rule == "cook", cooked.reason


def _hybrid(verifier: str, *graphs: str) -> Pipeline:
    config = PipelineConfig(graphs=list(graphs) or ["commonsense"], mode="hybrid",
                            retrieval=RetrievalConfig(enabled=False, rank_candidates=False))
    config.models.verifier = verifier
    return Pipeline(config)


def test_hybrid_keeps_the_reasoners_unknown_when_everything_was_read():
    """'Is a cat a dog?' is read and the graph neither proves nor refutes it: the open-world
    unknown is the answer; the verifier is never asked (its model does not even exist)."""
    pipe = _hybrid("/nonexistent-verifier")
    for question, expected in [("Is a cat a dog?", "unknown"), ("Is a dog a cat?", "unknown"),
                               ("Can penguins fly?", "no"), ("Can apples be eaten raw?", "yes")]:
        answer = pipe.ask(question)
        assert (answer.answer, answer.decided_by) == (expected, "reasoner"), question
        assert answer.decision.judgement is None


@pytest.mark.slow
def test_hybrid_asks_the_verifier_where_the_question_was_not_read(tmp_path):
    """A question the reader cannot turn into a triple goes to the verifier, marked as such with
    its confidence; the same pipeline answers a read question by the reasoner."""
    from kgreason.models.classifier import build_classifier, save_classifier

    model, tokenizer = build_classifier("minilm")
    save_classifier(model, tokenizer, tmp_path / "nli",
                    {"labels": list(model.config.id2label.values()), "max_length": 128})
    config = PipelineConfig(graphs=["commonsense"], mode="hybrid",
                            retrieval=RetrievalConfig(enabled=True, rank_candidates=False))
    config.models.verifier = str(tmp_path / "nli")
    config.models.verifier_threshold = 0.0
    pipe = Pipeline(config)
    unread = pipe.ask("Do wombats enjoy opera?")
    assert not unread.hypothesis.understood
    assert unread.decided_by == "verifier" and unread.decision.judgement is not None
    assert unread.confidence == pytest.approx(unread.decision.judgement.confidence, abs=1e-4)
    assert unread.to_json()["verifier"]["label"] in ("entailment", "neutral", "contradiction")
    read = pipe.ask("Can penguins fly?")
    assert (read.answer, read.decided_by) == ("no", "reasoner")


def test_ask_cli_text_shows_the_decided_statement_proof_conflicts_and_evidence(tmp_path, monkeypatch):
    """The text output a person reads (not only --json)."""
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    runner = CliRunner()
    result = runner.invoke(app, ["ask", "Can apples be eaten raw?"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["yes", "Apple", "can", "be", "eaten", "raw."]
    assert "because" in lines and any("Fruit can be eaten raw." in line for line in lines)
    assert "evidence" in lines
    scores = [float(line.split()[0]) for line in lines[lines.index("evidence") + 1:-1]]
    assert scores and all(0.0 <= score <= 1.0 for score in scores)   # a relevance in [0, 1]
    assert re.fullmatch(r"answered in \d+ ms", lines[-1]), lines[-1]   # labelled, not a bare "892 ms"
    conflict = runner.invoke(app, ["ask", "Can an amphibious car float?", "--evidence", "0"])
    assert conflict.exit_code == 0, conflict.output
    assert conflict.stdout.startswith("unknown  Amphibious car can float.")
    assert "conflict:" in conflict.stdout and "conflicting defaults" in conflict.stdout
