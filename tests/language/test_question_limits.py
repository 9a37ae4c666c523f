"""Long questions (issue 13, item 9): a question longer than the cap is a clear InputError, and
reading a question tries a bounded number of subject/predicate boundaries, so its cost grows
linearly with its length (it was O(n²)-O(n³): 2,000 characters took seconds, 10,000 hung)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import InputError
from kgreason.graph.loaders import load_graph
from kgreason.language import parse_question, parse_statement, questions
from kgreason.language.label_index import LabelIndex


@pytest.fixture(scope="module")
def commonsense():
    return load_graph(["commonsense"])


def test_a_long_question_is_one_clear_error(commonsense):
    question = "Is " + "apple " * 1700 + "a fruit?"  # 10,000+ characters
    with pytest.raises(InputError) as info:
        parse_question(question, commonsense)
    text = str(info.value)
    assert f"{len(question) - 1:,} characters" in text and "at most 500" in text and "--graph" in text


def test_a_long_statement_is_refused_but_a_long_prompt_before_it_is_not(commonsense):
    with pytest.raises(InputError, match="the statement is"):
        parse_statement("Apple " * 200 + "is a fruit.", commonsense)
    prompt = "Based on the theory above, " * 100 + "is the statement true, false, or unknown? "
    hyp = parse_statement(prompt + "Apples are fruits.", commonsense)
    assert hyp.candidates  # only the statement itself counts


def test_the_cap_is_exactly_the_limit(commonsense):
    at_limit = "Is an apple a fruit" + " " * (questions.MAX_QUESTION_CHARS - 19)
    assert len(at_limit) == questions.MAX_QUESTION_CHARS
    parse_question(at_limit, commonsense)  # no error at the limit
    with pytest.raises(InputError):
        parse_question("Is " + "x" * questions.MAX_QUESTION_CHARS + "?", commonsense)


def test_ask_cli_says_the_cap_on_one_line():
    result = CliRunner().invoke(app, ["ask", "Can " + "penguins " * 1200 + "fly?"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "at most 500" in lines[0], result.output


def _lookups(kg, question: str, monkeypatch) -> int:
    """How many label lookups reading ``question`` makes (with the length cap lifted)."""
    calls = {"n": 0}
    link, match = LabelIndex.link, LabelIndex.match_property

    def counting_link(self, *args, **kwargs):
        calls["n"] += 1
        return link(self, *args, **kwargs)

    def counting_match(self, *args, **kwargs):
        calls["n"] += 1
        return match(self, *args, **kwargs)

    monkeypatch.setattr(questions, "MAX_QUESTION_CHARS", 10**6)
    monkeypatch.setattr(LabelIndex, "link", counting_link)
    monkeypatch.setattr(LabelIndex, "match_property", counting_match)
    parse_question(question, kg)
    return calls["n"]


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "Is " + "apple " * n + "a fruit?",
        lambda n: "Can " + "the big red apple " * (n // 4) + "fly?",
        lambda n: "Can you eat " + "raw green apples " * (n // 3) + "?",
        lambda n: "Does the apple " + "can be eaten raw " * (n // 4) + "?",
    ],
)
def test_reading_does_a_bounded_number_of_lookups(commonsense, monkeypatch, make):
    short, long = _lookups(commonsense, make(80), monkeypatch), _lookups(commonsense, make(1600), monkeypatch)
    assert long <= short + 5, (short, long)  # was quadratic: ~55,000 lookups at 2,000 characters


def test_ordinary_questions_read_as_before(commonsense):
    hyp = parse_question("Can apples be eaten raw?", commonsense)
    assert hyp.candidates and hyp.candidates[0].score >= 0.9
    hyp = parse_question("Is a penguin a bird?", commonsense)
    assert hyp.candidates and hyp.candidates[0].score >= 0.9


def test_reading_a_question_has_a_time_limit(monkeypatch):
    """The backstop of the no-hangs policy: past PARSE_SECONDS reading stops with a clear error
    (simulated with a limit already spent), through the API and the CLI (exit 2, one line)."""
    from typer.testing import CliRunner

    from kgreason.cli import app
    from kgreason.errors import InputError
    from kgreason.graph.loaders import load_graph
    from kgreason.language import questions

    kg = load_graph("commonsense")
    assert questions.parse_question("Can the big apple be eaten raw?", kg).candidates
    monkeypatch.setattr(questions, "PARSE_SECONDS", -1.0)
    with pytest.raises(InputError, match="took longer than"):
        questions.parse_question("Can the big apple be eaten raw?", kg)
    with pytest.raises(InputError, match="took longer than"):
        questions.parse_statement("The big apple is a kind of fruit.", kg)
    result = CliRunner().invoke(app, ["ask", "Can the big apple be eaten raw?"])
    assert result.exit_code == 2 and "took longer than" in result.output
    assert len(result.output.strip().splitlines()) == 1
