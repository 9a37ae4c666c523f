"""`kgreason ask` over an English graph of first-order sentences: the question becomes the
statement it asks (over the theory's own words), z3 decides it, the answer carries the numbered
proof naming the premises, or the countermodel of an unknown; the server returns the same."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kgreason.config import PipelineConfig, RetrievalConfig
from kgreason.language.first_order_questions import read_question, statement_candidates
from kgreason.pipeline import Pipeline

DATA = Path(__file__).resolve().parents[1] / "data"
THEORY = DATA / "remote_work.txt"
ROOT = Path(__file__).resolve().parents[2]


def premises() -> list[str]:
    from kgreason.language.english_words import split_sentences

    return [s for _, s in split_sentences(THEORY.read_text(encoding="utf-8"))]


def pipeline(path: Path = THEORY, **reasoning) -> Pipeline:
    config = PipelineConfig(graphs=[str(path)], retrieval=RetrievalConfig(enabled=False, rank_candidates=False))
    for key, value in reasoning.items():
        setattr(config.reasoning, key, value)
    return Pipeline(config)


@pytest.mark.parametrize("question, statement", [
    ("Does some manager have a laptop?", "Some manager has a laptop."),
    ("Do all managers work remotely?", "All managers work remotely."),
    ("Is there an intern who is bored?", "There is an intern who is bored."),
    ("Is it true that Ann is bored?", "Ann is bored."),
    ("Ann is bored.", "Ann is bored."),
])
def test_a_question_becomes_the_statement_it_asks(question, statement):
    assert statement_candidates(question)[0] == statement


def test_where_the_subject_ends_is_chosen_by_the_theorys_words():
    # "Is every manager bored?": "Every is manager bored." is tried first and not read
    assert statement_candidates("Is every manager bored?")[:2] == ["Every is manager bored.", "Every manager is bored."]
    assert read_question(premises(), "Is every manager bored?")[0] == "Every manager is bored."
    assert read_question(premises(), "Is Bob either a manager or an intern?")[0] == \
        "Bob is either a manager or an intern."


@pytest.mark.parametrize("question, answer, used", [
    ("Does some manager have a laptop?", "yes", [1, 2, 3]),  # an existential, from the "some" premise
    ("Is Bob an intern?", "yes", [7, 8]),  # exclusive or with a negated fact
    ("Is every manager bored?", "no", None),  # Ann: a manager who works remotely has a laptop
    ("Is Ann bored?", "no", [1, 3, 4, 5, 6]),  # manager → employee → laptop → not bored
])
def test_ask_decides_a_first_order_theory_with_the_prover(question, answer, used):
    result = pipeline().ask(question)
    assert result.answer == answer and result.decided_by == "prover"
    fo = result.first_order
    assert fo["rechecked"] is True and result.proof == fo["proof"] and result.proof
    assert all(line[0].isdigit() and "(from premise" in line for line in result.proof)
    if used is not None:
        assert fo["premises_used"] == used
    data = result.ask_json()
    assert data["first_order"]["premises"][0] == {"source": str(THEORY), "line": 2,
                                                  "sentence": "Every employee who works remotely has a laptop."}
    assert data["not_understood"] == []


def test_an_unknown_shows_a_countermodel_and_the_words_no_premise_uses():
    result = pipeline().ask("Is Ann happy?")
    assert result.answer == "unknown"
    assert result.first_order["countermodel"] and not result.proof
    assert any(line.startswith("Ann ") and "is not happy" in line for line in result.first_order["countermodel"])
    assert "no premise speaks of: is happy" in result.reason


def test_a_premise_not_understood_is_named_with_its_line(tmp_path):
    theory = tmp_path / "theory.txt"
    theory.write_text("Every dog is either loud or calm.\nRex is a dog.\nRex is not loud.\n"
                      "Rex, which is rarely loud, barks when it rains and whenever cats appear.\n", encoding="utf-8")
    result = pipeline(theory).ask("Is Rex calm?")
    assert result.answer == "yes" and result.first_order["premises_used"] == [1, 2, 3]
    unread = result.ask_json()["not_understood"]
    assert [(u["line"], u["sentence"]) for u in unread] == [
        (4, "Rex, which is rarely loud, barks when it rains and whenever cats appear.")]
    assert unread[0]["status"] == "not understood" and unread[0]["reason"]


def test_horn_theories_rdf_graphs_and_the_closed_world_stay_on_the_reasoner(tmp_path):
    horn = tmp_path / "horn.txt"
    horn.write_text("Apples are fruits.\nFruits can be eaten raw.\n", encoding="utf-8")
    assert pipeline(horn).first_order is None
    answer = pipeline(horn).ask("Can apples be eaten raw?")
    assert answer.answer == "yes" and answer.decided_by == "reasoner" and answer.first_order is None
    assert pipeline(THEORY, closed_world=True).first_order is None
    assert Pipeline(PipelineConfig(graphs=["commonsense"])).first_order is None


def test_an_open_question_over_a_first_order_theory_says_what_is_answered():
    result = pipeline().ask("Which managers have laptops?")
    assert result.answer == "unknown" and "yes/no questions" in result.reason


def test_the_cli_answers_with_the_proof_and_json(tmp_path):
    run = subprocess.run([sys.executable, "-m", "kgreason.cli", "ask", "-g", str(THEORY),
                          "Does some manager have a laptop?"], capture_output=True, text=True, cwd=ROOT, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("yes  Some manager has a laptop")
    assert "1. Something is a manager and has a laptop. (from premises 1, 2, 3)" in run.stdout
    assert "warning" not in run.stdout + run.stderr  # the Horn loader never saw the theory
    run = subprocess.run([sys.executable, "-m", "kgreason.cli", "ask", "-g", str(THEORY), "--json",
                          "Is Ann happy?"], capture_output=True, text=True, cwd=ROOT, check=False)
    data = json.loads(run.stdout)
    assert data["answer"] == "unknown" and data["decided_by"] == "prover" and data["countermodel"]


def test_the_server_returns_the_first_order_answer(tmp_path):
    from fastapi.testclient import TestClient

    from kgreason.server import ServerState, create_app

    config = tmp_path / "theory.yaml"
    config.write_text(f"graphs: ['{THEORY}']\nmode: symbolic\n"
                      "retrieval: {enabled: false, rank_candidates: false}\n", encoding="utf-8")
    with TestClient(create_app(ServerState.load([str(config)])), base_url="http://127.0.0.1:8000") as client:
        data = client.post("/ask", json={"question": "Is Bob an intern?"}).json()
    assert data["answer"] == "yes" and data["first_order"]["proof"] == ["1. Bob is an intern. (from premises 7, 8)"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kgreason.cli", *args], capture_output=True, text=True, cwd=ROOT, check=False)


def test_prove_a_statement_over_a_first_order_theory():
    run = _cli("prove", str(THEORY), "-s", "Some manager has a laptop.", "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["answer"] == "true" and data["premises_used"] == [1, 2, 3] and data["rechecked"]
    run = _cli("prove", "commonsense", "-s", "Apples are fruits.")  # not a first-order theory
    assert run.returncode == 2 and "-s/--statement reads first-order English theories" in run.stderr
    run = _cli("prove", str(THEORY))  # neither -t nor -s
    assert run.returncode == 2 and "give what to prove" in run.stderr


def test_validate_names_the_premises_that_contradict_each_other(tmp_path):
    theory = tmp_path / "clash.txt"
    theory.write_text("Every dog is either loud or calm.\nRex is a dog.\nRex is not loud.\nRex is not calm.\n",
                      encoding="utf-8")
    run = _cli("graph", "validate", str(theory), "--json")
    assert run.returncode == 1
    data = json.loads(run.stdout)
    assert data["first_order"]["answer"] == "inconsistent"
    assert data["first_order"]["proof"][-1] == "2. The premises contradict each other. (from premise 4 and step 1)"
    error, = [f for f in data["errors"] if f["kind"] == "inconsistency"]
    assert "Rex is not calm. (" in error["message"] and ":4)" in error["message"]
    run = _cli("graph", "validate", str(THEORY))  # consistent, every sentence read
    assert run.returncode == 0 and "a first-order theory of 8 premises (8 read), 0 error(s), 0 warning(s)" in run.stdout


def test_validate_a_first_order_theory_logs_nothing_of_the_horn_reader():
    run = _cli("graph", "validate", str(THEORY))
    assert run.returncode == 0 and "not read exactly" not in run.stdout + run.stderr
