"""Bad input through the CLI: exit code != 0, one clear line on stderr, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app

DATA = Path(__file__).resolve().parents[1] / "data" / "loaders"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def assert_one_clear_line(result, *needles: str) -> str:
    assert result.exit_code not in (0, None), result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    line = lines[0]
    assert line.startswith("error: ")
    for needle in needles:
        assert needle in line, line
    return line


@pytest.mark.parametrize("command", ["info", "validate-json", "query"])
def test_missing_file(command):
    args = {
        "info": ["graph", "info", "nope.ttl"],
        "validate-json": ["graph", "info", "--json", "nope.ttl"],
        "query": ["graph", "query", "nope.ttl", "ASK { ?s ?p ?o }"],
    }[command]
    if command == "validate-json":  # with --json the same error is a JSON object on stdout
        result = run(*args)
        assert result.exit_code == run(*args[:2], *args[3:]).exit_code == 2
        error = json.loads(result.stdout)
        assert "graph file not found: nope.ttl" in error["error"] and "check the path" in error["hint"]
        return
    assert_one_clear_line(run(*args), "graph file not found: nope.ttl", "check the path")


def test_unknown_shipped_name_lists_the_shipped_graphs():
    assert_one_clear_line(
        run("graph", "info", "nosuchgraph"), "no graph file or shipped graph named", "commonsense"
    )


def test_unknown_extension():
    assert_one_clear_line(
        run("graph", "info", str(DATA / "notes.docx")),
        "unknown graph file extension '.docx'",
        "--format",
    )


def test_malformed_turtle_gives_line_and_column():
    line = assert_one_clear_line(
        run("graph", "info", str(DATA / "malformed.ttl")), "malformed Turtle"
    )
    assert f"{DATA / 'malformed.ttl'}:4:1:" in line


def test_empty_graph():
    assert_one_clear_line(run("graph", "info", str(DATA / "empty.ttl")), "the graph is empty")


def test_csv_with_wrong_columns_names_the_expected_header():
    line = assert_one_clear_line(
        run("graph", "info", str(DATA / "wrong_columns.csv")),
        "source,relation,target",
        "'subject,predicate,object'",
    )
    assert ":1:1:" in line


def test_csv_short_row_names_its_line():
    assert_one_clear_line(
        run("graph", "info", str(DATA / "short_row.csv")), "short_row.csv:3:", "expected 3"
    )


def test_non_utf8_file_gives_the_byte_position():
    assert_one_clear_line(
        run("graph", "info", str(DATA / "latin1.ttl")), "latin1.ttl:2:58: not UTF-8", "iconv"
    )


def test_empty_csv(tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert_one_clear_line(
        run("graph", "info", str(empty)), "CSV file is empty", "subject,predicate,object"
    )


def test_malformed_graphml(tmp_path):
    bad = tmp_path / "bad.graphml"
    bad.write_text("<graphml><graph>\n<node id='a'>\n</graphml>", encoding="utf-8")
    assert_one_clear_line(run("graph", "info", str(bad)), "bad.graphml:3:", "malformed GraphML")


def test_malformed_json(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"nodes": [\n  {"id": 1},\n]}', encoding="utf-8")
    assert_one_clear_line(run("graph", "info", str(bad)), "bad.json:3:1: malformed JSON")


def test_bad_sparql_is_one_line():
    assert_one_clear_line(
        run("graph", "query", str(DATA / "tiny.ttl"), "SELEC ?x WHERE"),
        "bad SPARQL at line 1, column 1",
    )
    assert_one_clear_line(
        run("graph", "query", str(DATA / "tiny.ttl"), "SELECT ?x { ?x foo:p ?y }"),
        "Unknown namespace prefix",
        "PREFIX",
    )


def test_convert_to_unknown_extension_fails_before_loading(tmp_path):
    assert_one_clear_line(
        run("graph", "convert", "does-not-matter.ttl", str(tmp_path / "out.xyz")),
        "cannot tell the output format",
        ".ttl",
        "--to FORMAT",  # convert's option for the output format (--format is the input's)
    )


def test_import_wordnet_from_a_directory_without_wordnet(tmp_path):
    assert_one_clear_line(
        run("graph", "import-wordnet", str(tmp_path / "wn.ttl"), "--wordnet-dir", str(tmp_path)),
        "no WordNet 3.0 database",
        "wordnet-base",
    )


def test_debug_shows_the_traceback_instead():
    result = run("--debug", "graph", "info", str(DATA / "empty.ttl"))
    assert result.exit_code != 0 and result.exception is not None


def test_query_given_before_the_graph(tmp_path):
    assert_one_clear_line(
        run("graph", "query", "ASK { ?s ?p ?o }", str(DATA / "tiny.ttl")),
        "is not the last argument",
        "query last",
    )


def test_empty_graph_path_is_named_as_such():
    assert_one_clear_line(run("graph", "info", ""), "empty graph path", "commonsense")
