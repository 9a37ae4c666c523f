"""Every command's --help is readable and the CLI speaks one vocabulary (issue 26, item 5):
no text swallowed by rich markup, no Python types as metavars, one meaning per short flag,
-g/--graph wherever graphs are read, -o/--output wherever something is written."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from kgreason.cli import app

ROOT = typer.main.get_command(app)


def _walk(command, path: tuple[str, ...] = ()):
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from _walk(sub, (*path, name))


COMMANDS = list(_walk(ROOT))


def _help(path: tuple[str, ...]) -> str:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


def _flat(text: str) -> str:
    """The help as one line of words (box drawing and line breaks gone)."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=lambda p: " ".join(p) or "kgreason")
def test_help_is_readable(path):
    out = _help(path)
    flat = _flat(out)
    # metavars are words, not Python types
    assert not re.search(r"<(list|dict|tuple|set)\[", out), out
    assert not re.search(r"<(str|int|float|Path|bool)>", out), out
    # usage: a required argument is typer's {NAME}, never a Python parameter name ({theory})
    assert not re.search(r"\{[a-z_]+\}", out.splitlines()[1]), out
    # rich markup swallowed nothing: no empty brackets, no ": ," where a [word] was
    assert not re.search(r":\s*,", flat), flat
    assert "[]" not in flat and "()" not in flat, flat
    command = dict(COMMANDS)[path]
    texts = [command.help or ""] + [getattr(p, "help", None) or "" for p in command.params
                                     if not getattr(p, "hidden", False)]
    for text in texts:
        for bracketed in re.findall(r"\[[^\]\s]*\]", text):
            assert bracketed in flat, f"{bracketed} of {text!r} is not shown: {flat}"


def _options(command):
    for param in command.params:
        if param.param_type_name == "option":
            yield param


def test_a_short_flag_means_one_long_option_everywhere():
    meaning: dict[str, tuple[str, str]] = {}
    for path, command in COMMANDS:
        for option in _options(command):
            shorts = [o for o in option.opts if re.fullmatch(r"-\w", o)]
            longs = sorted(o for o in option.opts if o.startswith("--"))
            for short in shorts:
                where = " ".join(path) or "kgreason"
                if short in meaning:
                    assert meaning[short][0] == longs[0], (
                        f"{short} is {longs[0]} in `{where}` but {meaning[short][0]} in `{meaning[short][1]}`")
                else:
                    meaning[short] = (longs[0], where)
    assert meaning["-g"][0] == "--graph" and meaning["-o"][0] == "--output"


def _names(command) -> set[str]:
    return {o for option in _options(command) for o in option.opts + option.secondary_opts}


READS_GRAPHS = ["ask", "prove", "materialize", "eval", "serve", "rules list", "graph info", "graph validate",
                "graph convert", "graph query", "graph store", "index build", "index search",
                "train nli", "train nli-data"]
WRITES = ["materialize", "graph convert", "graph store", "graph import-wordnet", "index build", "eval",
          "train nli", "train nli-data", "train reader", "train reader-data"]
WORLD = ["ask", "prove", "materialize", "eval", "serve"]


@pytest.mark.parametrize("name", READS_GRAPHS)
def test_every_command_that_reads_graphs_takes_dash_g(name):
    assert {"-g", "--graph"} <= _names(dict(COMMANDS)[tuple(name.split())])


@pytest.mark.parametrize("name", WRITES)
def test_every_command_that_writes_takes_dash_o_output(name):
    assert {"-o", "--output"} <= _names(dict(COMMANDS)[tuple(name.split())])


@pytest.mark.parametrize("name", WORLD)
def test_the_world_is_closed_world_or_open_world(name):
    assert {"--closed-world", "--open-world"} <= _names(dict(COMMANDS)[tuple(name.split())])


def test_reasoning_is_only_a_strategy():
    for path, command in COMMANDS:
        for option in _options(command):
            if "--reasoning" in option.opts:
                assert not option.is_flag and option.metavar == "STRATEGY", path


def test_no_default_points_outside_the_package():
    for path, command in COMMANDS:
        for param in command.params:
            default = param.default
            if default is not None and not callable(default):
                assert "../" not in str(default) and "shared" not in str(default), (path, param.name, default)


def test_graph_option_and_positional_shorthand_agree(tmp_path):
    graph = tmp_path / "g.txt"
    graph.write_text("Birds can fly.\nPenguins are birds.\nPingu is a penguin.\n", encoding="utf-8")
    query = "ASK { ex:Pingu a ?kind }"
    for args in (["graph", "query", str(graph), query], ["graph", "query", "-g", str(graph), query]):
        result = CliRunner().invoke(app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        assert '"boolean": true' in result.stdout
    triple = ["--triple", "ex:Pingu ex:can ex:Fly", "--json"]
    short = CliRunner().invoke(app, ["prove", str(graph), *triple])
    long = CliRunner().invoke(app, ["prove", "-g", str(graph), *triple])
    assert short.exit_code == long.exit_code == 0 and short.stdout == long.stdout
    out = tmp_path / "g.ttl"
    result = CliRunner().invoke(app, ["graph", "convert", "-g", str(graph), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists()
    missing = CliRunner().invoke(app, ["prove", "--triple", "ex:a ex:b ex:c"])
    assert missing.exit_code == 2 and "-g/--graph" in missing.output


def test_old_option_names_still_work_but_are_hidden(tmp_path):
    out = CliRunner().invoke(app, ["eval", "--help"], env={"COLUMNS": "250"}).output
    assert "--report" not in out and "--output" in out
    out = CliRunner().invoke(app, ["index", "build", "--help"], env={"COLUMNS": "250"}).output
    assert "--out " not in out and "--output" in out
    assert "--report" in _names(dict(COMMANDS)[("eval",)])
    assert "--out" in _names(dict(COMMANDS)[("index", "build")])


def test_train_data_must_be_named(tmp_path):
    result = CliRunner().invoke(app, ["train", "reader-data", "-o", str(tmp_path / "d")])
    assert result.exit_code == 2 and "--data FILE is required" in result.output, result.output
    result = CliRunner().invoke(app, ["train", "nli-data", "-o", str(tmp_path / "n")])
    assert result.exit_code == 2 and "--proofwriter FILE is required" in result.output, result.output
