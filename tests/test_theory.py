"""Theory + statement → true/false/unknown through the real reasoner, and the dataset samples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kgreason.graph.loaders import load_graph
from kgreason.language import parse_question
from kgreason.language.render import proof_sentences
from kgreason.pipeline import answer_theory_question
from kgreason.reasoning import Reasoner, check_proof

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"

RAIN = "If it rains then the ground is wet. It does not rain."


def test_the_rain_fallacy_is_unknown():
    truth, proof, issues = answer_theory_question(RAIN, "The ground is wet.")
    assert (truth, proof, issues) == ("unknown", None, [])
    assert answer_theory_question(RAIN, "It rains.")[0] == "false"
    assert answer_theory_question(RAIN, "It does not rain.")[0] == "true"


def test_rain_question_on_the_english_graph_is_unknown_in_open_world():
    kg = load_graph(["tests/data/rain.txt"])
    hyp = parse_question("Is the ground wet?", kg)
    verdict = Reasoner(kg, rules=kg.rules).holds(*hyp.candidates[0].triple)
    assert str(verdict.value.value if hasattr(verdict.value, "value") else verdict.value) == "unknown"


@pytest.mark.parametrize("statement, expected", [
    ("Bob is round.", "true"),           # two rules chained
    ("Bob is not round.", "false"),
    ("Bob is big.", "false"),            # negated head
    ("The cat is cold.", "unknown"),     # "not red" needs an explicit negative in open world
    ("The bear is cold.", "true"),       # "big and not red" with both known
    ("The bear is nice.", "unknown"),
    ("The bear does not chase the cat.", "false"),
])
def test_proofwriter_style_theory(statement, expected):
    theory = ("Bob is cold. Bob is red. The bear is big. The bear is not red. The bear chases the cat. "
              "If something is cold and red then it is round. If Bob is round then Bob is not big. "
              "If something is big and not red then it is cold. The cat is big.")
    truth, proof, issues = answer_theory_question(theory, statement)
    assert issues == []
    assert truth == expected
    assert (proof is not None) == (expected != "unknown")


def test_prontoqa_style_theory_with_proof():
    theory = ("Every wumpus is a yumpus. Yumpuses are not small. Each yumpus is a dumpus. "
              "Dumpuses are dull. Max is a wumpus. Numpuses are small.")
    truth, proof, _ = answer_theory_question(theory, "Max is dull.")
    assert truth == "true" and proof is not None
    text = " ".join(proof_sentences(proof, __import__("kgreason.language", fromlist=["x"]).parse_theory(theory)))
    assert "wumpus" in text
    assert answer_theory_question(theory, "Max is small.")[0] == "false"
    assert answer_theory_question(theory, "Max is not small.")[0] == "true"
    assert answer_theory_question(theory, "Max is a numpus.")[0] == "false"  # numpuses are small
    assert answer_theory_question(theory, "Max is sour.")[0] == "unknown"


def test_unparsed_statement_is_unknown_with_an_issue():
    truth, proof, issues = answer_theory_question("Bob is cold.", "Why is Bob cold?")
    assert truth == "unknown" and proof is None
    assert issues and issues[-1].startswith("statement:")


def _sample(name: str, n: int):
    path = DATA / name
    if not path.exists():
        pytest.skip(f"{path} not available")
    return json.loads(path.read_text())[:n]


def _gold(ex):
    return {"A": "true", "B": "false", "C": "unknown"}[ex["answer"]]


@pytest.mark.parametrize("name, n", [("proofwriter-d5-owa-train.json", 150), ("prontoqa-sample.json", 100)])
def test_dataset_samples_all_correct_with_valid_proofs(name, n):
    from kgreason.pipeline.theory import theory

    for ex in _sample(name, n):
        statement = ex["question"].rsplit("?", 1)[-1]
        truth, proof, issues = answer_theory_question(ex["context"], statement)
        assert issues == [], ex["id"]
        assert truth == _gold(ex), ex["id"]
        if proof is not None:
            assert check_proof(proof, theory(ex["context"]).reasoner) == [], ex["id"]


@pytest.mark.slow
def test_full_proofwriter_sample():
    wrong = [ex["id"] for ex in _sample("proofwriter-d5-owa-train.json", 3000)
             if answer_theory_question(ex["context"], ex["question"])[0] != _gold(ex)]
    assert len(wrong) <= 15, wrong[:20]
