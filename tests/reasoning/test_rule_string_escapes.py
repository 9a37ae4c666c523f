"""Strings in rule files: Turtle's escapes only, non-ASCII kept as written, a bad escape reported
as a RuleError at file:line:col (issue 13, item 3)."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import RuleError
from kgreason.graph import load_graph
from kgreason.reasoning import parse_rules
from kgreason.reasoning.rule_parser import parse_rules_file

HEAD = '@prefix ex: <http://example.org/> .\n[r] ?x ex:name {} :- ?x a ex:C .\n'


def _value(literal_text: str) -> Literal:
    return parse_rules(HEAD.format(literal_text))[0].head[0].o


@pytest.mark.parametrize(
    "written, value",
    [
        (r'"café\tau"', "café\tau"),
        (r'"a\nb\rc\bd\fe"', "a\nb\rc\bd\fe"),
        (r'"q\"q\'q\\q"', "q\"q'q\\q"),
        (r'"\u00e9\U0001F600"', "é\U0001F600"),
        ('"ünïcödé 中文"', "ünïcödé 中文"),
        (r'"\\u00e9"', "\\u00e9"),  # an escaped backslash, then plain text
    ],
)
def test_turtle_escapes_and_non_ascii_text(written, value):
    assert str(_value(written)) == value


def test_language_tag_and_datatype_keep_the_unescaped_value():
    assert _value(r'"été\t"@fr') == Literal("été\t", lang="fr")
    xsd_string = "http://www.w3.org/2001/XMLSchema#string"
    assert _value(rf'"x\ty"^^<{xsd_string}>') == Literal("x\ty", datatype=URIRef(xsd_string))


@pytest.mark.parametrize(
    "written, shown, column",
    [
        (r'"ab\x4"', r"\x", 20),  # python's \x is not Turtle's
        (r'"\u12"', r"\u12", 18),  # too few hex digits
        (r'"a\uD800"', r"\uD800", 19),  # a surrogate is not a character
        (r'"\N{BULLET}"', r"\N", 18),
        (r'"\a"', r"\a", 18),
    ],
)
def test_a_bad_escape_is_a_rule_error_at_line_and_column(tmp_path, written, shown, column):
    path = tmp_path / "bad.rules"
    path.write_text('# comment\n' + HEAD.format(written).replace("?x ex:name", "?x  ex:name"), encoding="utf-8")
    with pytest.raises(RuleError) as info:
        parse_rules_file(path)
    err = info.value
    assert (err.path, err.line, err.column) == (str(path), 3, column)
    assert f"bad escape {shown}" in str(err) and r"\uXXXX" in str(err)
    assert str(err).startswith(f"{path}:3:{column}: ")


def test_materialized_literal_round_trips(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text("@prefix ex: <http://example.org/> .\nex:a a ex:C .\n", encoding="utf-8")
    rules = tmp_path / "g.rules"
    rules.write_text(HEAD.format(r'"café\tau"'), encoding="utf-8")
    out = tmp_path / "out.nt"
    res = CliRunner().invoke(app, ["materialize", str(graph), "-o", str(out)])
    assert res.exit_code == 0, res.output
    names = list(load_graph([out]).rdf.objects(URIRef("http://example.org/a"), URIRef("http://example.org/name")))
    assert names == [Literal("café\tau")]


def test_cli_reports_the_bad_escape_on_one_line(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text("@prefix ex: <http://example.org/> .\nex:a a ex:C .\n", encoding="utf-8")
    rules = tmp_path / "g.rules"
    rules.write_text(HEAD.format(r'"\x4"'), encoding="utf-8")
    res = CliRunner().invoke(app, ["materialize", str(graph), "-o", str(tmp_path / "o.nt")])
    assert res.exit_code == 2
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) == 1 and f"{rules}:2:" in lines[0] and "bad escape" in lines[0]
    assert "UnicodeDecodeError" not in res.output
