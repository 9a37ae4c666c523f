"""Odd questions and arguments end with the project's own one-line error and a non-zero exit;
conflicts are said in English in every text output (issue 13, items 10, 11 and 12)."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import ParseError
from kgreason.graph import load_graph
from kgreason.language import parse_question, parse_statement, parse_theory


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _one_error_line(result) -> str:
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: ") and "Error:" not in lines[0], lines[0]
    return lines[0]


@pytest.mark.parametrize("question", [",", " , , ", "企鹅会飞吗？", "?!", ""])
def test_question_without_english_words_is_an_input_error(question):
    result = run("ask", question)
    assert result.exit_code == 2, result.output  # the same code as the empty question
    line = _one_error_line(result)
    assert "IndexError" not in line and "e.g." in line


def test_lone_comma_in_the_parsers_is_no_index_error():
    kg = parse_theory("Bob is red.")
    for text in (",", ", ,", "All , are red", "Every , is big"):
        assert not parse_question(text + "?", kg).understood
        assert not parse_statement(text, kg).understood


def test_english_graph_line_with_a_lone_comma_is_a_parse_error_with_its_line(tmp_path):
    path = tmp_path / "g.txt"
    path.write_text("All , are red.\n", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        load_graph([path])
    assert info.value.line == 1 and "no noun" in str(info.value)
    path.write_text("Bob is big.\nAll , are red.\n", encoding="utf-8")  # one bad line among good ones
    kg = load_graph([path])
    assert any(issue.startswith(f"{path}:2:") and "no noun" in issue for issue in kg.issues)
    result = run("graph", "info", str(path), "--json")
    assert result.exit_code == 0


@pytest.mark.parametrize(
    "args",
    [
        ["ask", "Is \udcff\udcfe a bird?"],  # the bytes ff fe as Python's surrogateescape passes them
        ["prove", "commonsense", "--triple", "cs:Apple\udce9 cs:canBe cs:EatenRaw"],
        ["graph", "query", "commonsense", "ASK { cs:Apple\udcff ?p ?o }"],
    ],
)
def test_argument_that_is_not_utf8_is_an_input_error(args):
    result = run(*args)
    assert result.exit_code == 2, result.output
    line = _one_error_line(result)
    assert "not valid UTF-8" in line and ("\\xff" in line or "\\xe9" in line)
    assert "TypeError" not in line


def test_real_argv_bytes_and_an_existing_file_with_a_non_utf8_name(tmp_path):
    """Through a real process: argv bytes that are not UTF-8 are refused in one line, but a file
    whose (Latin-1) name exists is still read."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "kgreason.cli"]
    done = subprocess.run([*command, "ask", b"Is \xff\xfe a bird?"], capture_output=True, timeout=120, check=False)
    assert done.returncode == 2, done.stderr
    assert done.stderr.decode().count("\n") == 1 and b"not valid UTF-8" in done.stderr
    path = tmp_path / "caf\udce9.nt"
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    done = subprocess.run([*command, "graph", "info", os.fsencode(path)], capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr


CONFLICTS = """Quakers are pacifists.
Republicans are not pacifists.
Nixon is a quaker.
Nixon is a republican.
Bob is red.
Bob is not red.
"""


def test_conflicts_are_english_sentences_in_text_output(tmp_path):
    graph = tmp_path / "nixon.txt"
    graph.write_text(CONFLICTS, encoding="utf-8")
    outputs = {
        "prove": run("prove", str(graph), "--triple", "ex:Bob a ex:Red"),
        "materialize": run("materialize", str(graph), "--output", str(tmp_path / "closure.nt")),
        "ask": run("ask", "Is Bob red?", "--graph", str(graph), "--evidence", "0"),
    }
    for name, result in outputs.items():
        assert result.exit_code == 0, (name, result.output)
        assert "'Bob is red'" in result.output, (name, result.output)
        assert "{'" not in result.output and "'kind':" not in result.output, (name, result.output)
