"""RDF serializations through rdflib; syntax errors become ParseError with file:line:column."""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import ConjunctiveGraph, Dataset

from kgreason.errors import ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph

_LINE = re.compile(r"line (\d+)", re.I)
_COL = re.compile(r"col(?:umn)? (\d+)", re.I)


def _parse_error(path: Path, fmt: str, exc: Exception) -> ParseError:
    text = " ".join(str(exc).split())
    line = _LINE.search(text)
    col = _COL.search(text)
    return ParseError(
        f"malformed {fmt}: {text[:300]}",
        path=str(path),
        line=int(line.group(1)) if line else None,
        column=int(col.group(1)) if col else None,
        hint=f"fix the {fmt} syntax at that position (or pass --format if the file is not {fmt})",
    )


def _parse_into(path: Path, kg: KnowledgeGraph, rdflib_format: str, label: str) -> None:
    try:
        kg.rdf.parse(str(path), format=rdflib_format)
    except Exception as exc:  # rdflib raises many unrelated types for syntax errors
        raise _parse_error(path, label, exc) from exc


def _parse_quads_into(path: Path, kg: KnowledgeGraph, rdflib_format: str, label: str) -> None:
    """Quads: every named graph is merged into the default graph."""
    ds = Dataset() if rdflib_format == "trig" else ConjunctiveGraph()
    try:
        ds.parse(str(path), format=rdflib_format)
    except Exception as exc:
        raise _parse_error(path, label, exc) from exc
    for prefix, ns in ds.namespaces():
        kg.rdf.bind(prefix, ns, override=False)
    kg.rdf.addN((s, p, o, kg.rdf) for s, p, o, _ in ds.quads((None, None, None, None)))


def load_turtle(path: Path, kg: KnowledgeGraph) -> None:
    _parse_into(path, kg, "turtle", "Turtle")


def load_ntriples(path: Path, kg: KnowledgeGraph) -> None:
    _parse_into(path, kg, "nt", "N-Triples")


def load_nquads(path: Path, kg: KnowledgeGraph) -> None:
    _parse_quads_into(path, kg, "nquads", "N-Quads")


def load_trig(path: Path, kg: KnowledgeGraph) -> None:
    _parse_quads_into(path, kg, "trig", "TriG")


def load_jsonld(path: Path, kg: KnowledgeGraph) -> None:
    _parse_into(path, kg, "json-ld", "JSON-LD")


def load_rdfxml(path: Path, kg: KnowledgeGraph) -> None:
    _parse_into(path, kg, "xml", "RDF/XML")
