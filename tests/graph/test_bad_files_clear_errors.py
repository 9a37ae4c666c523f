"""Bad graph files and queries end with one clear line (what, where, how to fix), never a bare
exception class; a UTF-8 BOM is accepted in every text format (issue 13, items 11 and 12)."""

from __future__ import annotations

import errno
import os
import pathlib

import pytest
from rdflib import URIRef
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import InputError, ParseError
from kgreason.graph import load_graph
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.query import run_sparql
from kgreason.graph.validate import subclass_cycles

BOM = b"\xef\xbb\xbf"


def run(*args: str):
    return CliRunner().invoke(app, list(args))


@pytest.mark.parametrize(
    "name, body",
    [
        ("g.ttl", b"@prefix ex: <http://e/> .\nex:a ex:b ex:c .\n"),
        ("g.nt", b"<http://e/a> <http://e/b> <http://e/c> .\n"),
        ("g.jsonld", b'{"@id": "http://e/a", "http://e/b": {"@id": "http://e/c"}}\n'),
    ],
)
def test_utf8_bom_is_accepted_like_csv_and_text(tmp_path, name, body):
    path = tmp_path / name
    path.write_bytes(BOM + body)
    kg = load_graph([path])
    assert (URIRef("http://e/a"), URIRef("http://e/b"), URIRef("http://e/c")) in kg.rdf


def test_syntax_error_after_a_bom_keeps_its_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_bytes(BOM + b"@prefix ex: <http://e/> .\nex:a ex:b .\n")
    with pytest.raises(ParseError) as info:
        load_graph([path])
    assert info.value.line == 2 and "\ufeff" not in str(info.value)


def test_symlink_loop_is_not_called_missing(tmp_path):
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.symlink_to(b)
    b.symlink_to(a)
    result = run("graph", "info", str(a))
    assert result.exit_code == 2
    assert "symlink loop" in result.output and "not found" not in result.output
    assert len(result.output.strip().splitlines()) == 1


@pytest.mark.parametrize("kind", ["rules", "dataset"])
def test_symlink_loop_as_rules_file_or_dataset(tmp_path, kind):
    suffix = ".rules" if kind == "rules" else ".jsonl"
    a, b = tmp_path / f"a{suffix}", tmp_path / f"b{suffix}"
    a.symlink_to(b)
    b.symlink_to(a)
    graph = tmp_path / "g.nt"
    graph.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    args = (["prove", str(graph), "--rules", str(a), "--triple", "<http://e/a> <http://e/b> <http://e/c>"]
            if kind == "rules" else ["eval", str(a)])
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "symlink loop" in result.output and "OSError" not in result.output


def test_unreadable_file_names_the_file_and_the_fix(tmp_path, monkeypatch):
    path = tmp_path / "secret.ttl"
    path.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    real_open = pathlib.Path.open

    def deny(self, *args, **kwargs):  # tests run as root, who can read anything: simulate
        if self.name == "secret.ttl":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", deny)
    with pytest.raises(InputError) as info:
        load_graph([path])
    text = str(info.value)
    assert "permission denied" in text and str(path) in text and "chmod" in text
    assert "PermissionError" not in text


def test_unreadable_dataset_names_the_file(tmp_path, monkeypatch):
    from kgreason.evaluation.datasets import read_dataset

    path = tmp_path / "secret.jsonl"
    path.write_text('{"premise": "Bob is red.", "hypothesis": "Bob is red.", "label": "entailment"}\n',
                    encoding="utf-8")
    real_open = pathlib.Path.open

    def deny(self, *args, **kwargs):
        if self.name == "secret.jsonl":
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", deny)  # read_text and read_bytes go through it too
    with pytest.raises(InputError) as info:
        read_dataset([path])
    assert "permission denied" in str(info.value) and str(path) in str(info.value)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_for_real(tmp_path):
    path = tmp_path / "secret.ttl"
    path.write_text("@prefix ex: <http://e/> .\nex:a ex:b ex:c .\n", encoding="utf-8")
    path.chmod(0)
    result = run("graph", "info", str(path))
    assert result.exit_code == 2 and "permission denied" in result.output


def test_fifo_is_refused_instead_of_blocking(tmp_path):
    fifo = tmp_path / "g.ttl"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_graph([fifo])


def test_literal_over_the_parser_buffer_is_a_parse_error_with_its_line(tmp_path):
    path = tmp_path / "big.nt"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("<http://e/a> <http://e/b> <http://e/c> .\n")
        handle.write('<http://e/a> <http://e/b> "' + "x" * (17 << 20) + '" .\n')
    with pytest.raises(ParseError) as info:
        load_graph([path])
    assert info.value.line == 2 and "MiB" in info.value.message and info.value.hint
    assert "MemoryError" not in str(info.value)


def test_any_memory_error_while_loading_names_the_file(tmp_path, monkeypatch):
    from kgreason.graph import rdf_formats

    def exhausted(path, kg):
        raise MemoryError()

    monkeypatch.setattr(rdf_formats, "load_jsonld", exhausted)
    path = tmp_path / "g.jsonld"
    path.write_text("{}", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_graph([path])
    assert "out of memory" in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize("cell", ["<http://e/a b>", "<http://e/{x}>", "http://e/a|b", "ex:a^b", "<a>", "<>"])
def test_invalid_iri_in_a_csv_cell_fails_at_load_with_its_line(tmp_path, cell):
    path = tmp_path / "g.csv"
    path.write_text(f"subject,predicate,object\napple,is a,fruit\n{cell},is a,fruit\n", encoding="utf-8")
    with pytest.raises(ParseError) as info:
        load_graph([path])
    assert info.value.line == 3 and "IRI" in info.value.message and info.value.hint


def test_long_subclass_cycle_is_summarized_on_a_short_line(tmp_path):
    n = 10_000
    path = tmp_path / "cycle.nt"
    sub = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>"
    path.write_text("".join(f"<http://e/C{i}> {sub} <http://e/C{(i + 1) % n}> .\n" for i in range(n)),
                    encoding="utf-8")
    findings = subclass_cycles(load_graph([path]))
    assert len(findings) == 1
    message = findings[0].message
    assert len(message) < 300 and f"{n} classes" in message and "…" in message


def test_short_subclass_cycle_is_shown_whole():
    kg = KnowledgeGraph()
    sub = URIRef("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    a, b = URIRef("http://e/A"), URIRef("http://e/B")
    kg.rdf.add((a, sub, b))
    kg.rdf.add((b, sub, a))
    (finding,) = subclass_cycles(kg)
    assert "…" not in finding.message and "A" in finding.message and "B" in finding.message


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <http://e/a> <http://e/b> <http://e/c> }",
        "DELETE WHERE { ?s ?p ?o }",
        "PREFIX ex: <http://e/> DELETE { ?s ex:b ?o } INSERT { ?o ex:b ?s } WHERE { ?s ex:b ?o }",
        "CLEAR ALL",
    ],
)
def test_sparql_update_is_refused_as_read_only(update):
    kg = KnowledgeGraph()
    kg.rdf.add((URIRef("http://e/a"), URIRef("http://e/b"), URIRef("http://e/c")))
    with pytest.raises(InputError, match="read-only"):
        run_sparql(kg.rdf, update)
    assert len(kg.rdf) == 1


def test_sparql_update_from_the_cli(tmp_path):
    path = tmp_path / "g.nt"
    path.write_text("<http://e/a> <http://e/b> <http://e/c> .\n", encoding="utf-8")
    result = run("graph", "query", str(path), "DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 2 and "graph query is read-only" in result.output
    result = run("graph", "query", str(path), "SELEC ?x WHERE { ?x ?p ?o }")  # a typo stays a syntax error
    assert result.exit_code == 2 and "bad SPARQL" in result.output
