"""The CLI's error handling: usage errors are typer's (exit 2, no "run with --debug"), every
error message is one line."""

from __future__ import annotations

from typer.testing import CliRunner

from kgreason.cli import _one_line, app


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_missing_argument_is_a_usage_error_not_an_unexpected_failure():
    result = run("prove", "--triple", "ex:a ex:b ex:c")
    assert result.exit_code == 2, result.output
    assert "Missing argument" in result.output
    assert "MissingParameter" not in result.output and "--debug" not in result.output


def test_bad_option_value_and_unknown_command_exit_2():
    result = run("ask", "Can penguins fly?", "--mode", "magic")
    flat = " ".join(result.output.replace("│", " ").split())  # the error box wraps lines
    assert result.exit_code == 2 and "use one of hybrid, neural, symbolic" in flat
    assert "BadParameter" not in result.output
    result = run("graph", "infoo", "commonsense")
    assert result.exit_code == 2 and "No such command" in result.output


def test_multi_line_library_messages_become_one_line():
    exc = ValueError("cannot load:\n  We couldn't connect.\n\nCheck your connection.")
    assert _one_line(exc) == "cannot load: We couldn't connect. Check your connection."
