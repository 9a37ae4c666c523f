"""The CLI as a new user meets it: the README's own-graph example runs as written, `--json`
errors are JSON, `--help` shows flags as flags, and the test session leaves ~/.cache alone."""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app

README = Path(__file__).resolve().parents[2] / "README.md"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def _readme_english_graph(text: str) -> str:
    """The ```text block under "Your own graph, in plain English"."""
    section = text.split("### Your own graph, in plain English", 1)[1]
    return re.search(r"```text\n(.*?)```", section, re.DOTALL).group(1)


def _readme_command(text: str, start: str) -> list[str]:
    """The README's command line that starts with ``start`` (its # comment dropped)."""
    line = next(line for line in text.splitlines() if line.startswith(start))
    return shlex.split(line, comments=True)[1:]  # without "kgreason"


def test_readme_own_graph_example_runs_as_written(tmp_path, monkeypatch):
    """my.txt as the README shows it → `graph convert my.txt my.ttl` → the README's ASK query:
    English, CSV and GraphML names share one prefix (ex:) for their one namespace."""
    readme = README.read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    Path("my.txt").write_text(_readme_english_graph(readme), encoding="utf-8")
    convert = _readme_command(readme, "kgreason graph convert my.txt my.ttl")
    result = run(*convert)
    assert result.exit_code == 0, result.output
    assert "@prefix ex: <https://w3id.org/kgreason/entity#>" in Path("my.ttl").read_text(encoding="utf-8")
    query = _readme_command(readme, "kgreason graph query my.ttl")
    result = run(*query)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"kind": "ask", "boolean": True}
    # the prefix the README gives for English names works in `prove`
    prove = re.search(r'`kgreason prove my\.txt --triple "([^"]+)"`', readme).group(1)
    result = run("prove", "my.txt", "--triple", prove, "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["value"] == "false"


def test_english_csv_and_graphml_bind_the_entity_namespace_to_one_prefix(tmp_path):
    from kgreason.graph.loaders import load_graph
    from kgreason.graph.vocab import EX, EX_PREFIX

    (tmp_path / "a.txt").write_text("Apples are fruits.\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text("subject,predicate,object\npear,is a kind of,fruit\n", encoding="utf-8")
    (tmp_path / "c.graphml").write_text(
        '<?xml version="1.0"?><graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
        '<key id="p" for="edge" attr.name="predicate" attr.type="string"/>'
        '<graph edgedefault="directed"><node id="Plum"/><node id="Fruit"/>'
        '<edge source="Plum" target="Fruit"><data key="p">subclass of</data></edge></graph></graphml>',
        encoding="utf-8")
    for name in ("a.txt", "b.csv", "c.graphml"):
        kg = load_graph([tmp_path / name])
        assert kg.namespaces.get(EX_PREFIX) == str(EX), name
        assert str(EX) not in {ns for prefix, ns in kg.namespaces.items() if prefix != EX_PREFIX}, name
    merged = load_graph([tmp_path / "a.txt", tmp_path / "b.csv", tmp_path / "c.graphml"])
    assert [p for p, ns in merged.namespaces.items() if ns == str(EX)] == [EX_PREFIX]


# ---------------------------------------------------------------------- --json errors
def test_json_errors_are_a_json_object_on_stdout_with_the_same_exit_code(tmp_path):
    missing = str(tmp_path / "missing.ttl")
    text = run("graph", "info", missing)
    as_json = run("graph", "info", missing, "--json")
    assert text.exit_code == as_json.exit_code != 0
    error = json.loads(as_json.stdout)
    assert set(error) == {"error", "where", "hint"}
    assert error["error"] and error["hint"] and "missing.ttl" in (error["where"] or "") + error["error"]
    assert "error:" not in as_json.stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text("@prefix ex: <http://example.org/> .\nex:a ex:b ex:c\nex:d ex:e .\n", encoding="utf-8")
    error = json.loads(run("graph", "info", str(bad), "--json").stdout)
    assert error["where"].startswith(f"{bad}:") and error["hint"]


def test_json_usage_errors_and_unexpected_failures_are_json_too(monkeypatch):
    usage = run("ask", "Can penguins fly?", "--mode", "magic", "--json")
    assert usage.exit_code == 2
    error = json.loads(usage.stdout)
    assert "use one of hybrid, neural, symbolic" in error["error"] and error["where"].endswith(" ask")
    assert "--help" in error["hint"]
    missing = run("prove", "--triple", "ex:a ex:b ex:c", "--json")
    assert missing.exit_code == 2 and "Missing argument" in json.loads(missing.stdout)["error"]

    import kgreason.reasoning

    def boom(*args, **kwargs):
        raise RuntimeError("something broke\non two lines")

    monkeypatch.setattr(kgreason.reasoning, "load_graph_with_rules", boom)
    text = run("graph", "info", "commonsense")
    as_json = run("graph", "info", "commonsense", "--json")
    assert text.exit_code == as_json.exit_code == 1
    assert json.loads(as_json.stdout) == {"error": "RuntimeError: something broke on two lines",
                                          "where": None, "hint": "run with --debug for the traceback"}


def test_without_json_errors_stay_one_text_line_on_stderr(tmp_path):
    result = run("graph", "info", str(tmp_path / "missing.ttl"))
    assert result.stdout == "" and result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
    # a value "--json" after "--" is an argument, not the flag
    result = run("graph", "info", "--", "--json")
    assert result.exit_code != 0 and result.stderr.startswith("error: ")


# ---------------------------------------------------------------------- --help
def _commands(group, path=()):
    import typer

    command = typer.main.get_command(group) if not hasattr(group, "commands") else group
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield (*path, name)
        if hasattr(sub, "commands"):
            yield from _commands(sub, (*path, name))


@pytest.mark.parametrize("path", [(), *list(_commands(app))], ids=lambda p: " ".join(p) or "kgreason")
def test_help_shows_flags_without_a_value_type(path):
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "160"})
    assert result.exit_code == 0, result.output
    assert "<bool>" not in result.output, result.output
    assert "--help" in result.output


def test_help_shows_paired_flags_and_typed_options():
    out = CliRunner().invoke(app, ["ask", "--help"], env={"COLUMNS": "160"}).output
    assert re.search(r"--closed-world\s+--open-world\s+Override", out), out
    assert re.search(r"--json\s+Print machine-readable JSON", out), out
    assert "INTEGER" in out and "<int>" not in out  # a value's type, in words (not Python's)


# ---------------------------------------------------------------------- the test session
def test_the_session_uses_a_temporary_cache_not_the_users():
    from kgreason.retrieval.retriever import cache_root

    real = Path.home() / ".cache" / "kgreason"
    assert os.environ.get("KGREASON_CACHE")
    root = cache_root().resolve()
    assert root != real.resolve() and real.resolve() not in root.parents
    assert "kgreason-cache" in str(root)
