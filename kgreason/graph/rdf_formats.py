"""RDF serializations; syntax errors become ParseError with file:line:column.

N-Triples, N-Quads, Turtle and TriG are parsed by pyoxigraph (Rust) and the triples added to the
rdflib graph: on a 1M-triple N-Triples file that whole path is several times faster than
``rdflib.Graph.parse`` and uses less memory (numbers in benchmarks/README.md, "Loaders and
WordNet"). JSON-LD and RDF/XML stay with rdflib, which handles their many syntactic corners.
Quads from named graphs are merged into the default graph.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

from rdflib import XSD, Dataset
from rdflib import Literal as RdfLiteral
from rdflib.term import BNode, Node, URIRef

from kgreason.errors import ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph

log = logging.getLogger(__name__)

_LINE = re.compile(r"line[: ]+(\d+)", re.IGNORECASE)
_COL = re.compile(r"col(?:umn)?[: ]+(\d+)", re.IGNORECASE)
_OX_POSITION = re.compile(r"^Parser error at line \d+ (?:between columns \d+ and \d+|column \d+): ")

#: Parser used for the formats pyoxigraph reads. "rdflib" is kept for comparison (benchmarks).
PARSER_BACKEND = "pyoxigraph"

_XSD_STRING = str(XSD.string)
_RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _parse_error(path: Path, fmt: str, exc: Exception) -> ParseError:
    text = " ".join(str(exc).split())
    line = col = None
    if isinstance(exc, SyntaxError) and exc.lineno:
        line, col = exc.lineno, exc.offset
        text = _OX_POSITION.sub("", exc.msg or text)
    else:
        pos = _LINE.search(text)
        cpos = _COL.search(text)
        line = int(pos.group(1)) if pos else None
        col = int(cpos.group(1)) if cpos else None
    return ParseError(
        f"malformed {fmt}: {text[:300]}",
        path=str(path),
        line=line,
        column=col,
        hint=f"fix the {fmt} syntax at that position (or pass --format if the file is not {fmt})",
    )


# ------------------------------------------------------------------------------------ rdflib
def _parse_into(path: Path, kg: KnowledgeGraph, rdflib_format: str, label: str) -> None:
    try:
        kg.rdf.parse(str(path), format=rdflib_format)
    except Exception as exc:  # rdflib raises many unrelated types for syntax errors
        raise _parse_error(path, label, exc) from exc


def _parse_quads_into(path: Path, kg: KnowledgeGraph, rdflib_format: str, label: str) -> None:
    """Quads through rdflib: every named graph is merged into the default graph."""
    ds = Dataset()
    try:
        ds.parse(str(path), format=rdflib_format)
    except Exception as exc:
        raise _parse_error(path, label, exc) from exc
    for prefix, ns in ds.namespaces():
        kg.rdf.bind(prefix, ns, override=False)
    kg.rdf.addN((s, p, o, kg.rdf) for s, p, o, _ in ds.quads((None, None, None, None)))


# ------------------------------------------------------------------------------------ pyoxigraph
def oxigraph_triples(
    path: Path, ox_format: str, label: str
) -> tuple[Iterator[tuple[Node, Node, Node]], dict]:
    """Stream ``path`` through pyoxigraph as rdflib terms; quads lose their graph name.

    Returns the triple iterator and a dict that holds the file's prefixes once it is exhausted.
    Blank nodes are renamed to fresh ids so that several files merge without clashes.
    """
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, ox_format)
    parser = ox.parse(
        path=str(path), format=fmt, base_iri=path.resolve().as_uri(), rename_blank_nodes=True
    )
    prefixes: dict[str, str] = {}
    iris: dict[str, URIRef] = {}
    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal

    def term(t) -> Node:
        kind = type(t)
        if kind is named:
            value = t.value
            node = iris.get(value)
            if node is None:
                node = iris[value] = URIRef(value)
            return node
        if kind is literal:
            if t.language:
                return RdfLiteral(t.value, lang=t.language)
            dt = t.datatype.value
            if dt == _XSD_STRING:
                return RdfLiteral(t.value)
            datatype = iris.get(dt)
            if datatype is None:
                datatype = iris[dt] = URIRef(dt)
            return RdfLiteral(t.value, datatype=datatype)
        if kind is blank:
            return BNode(t.value)
        raise ParseError(
            f"unsupported RDF-star triple term {t}",
            path=str(path),
            hint="kgreason graphs hold plain triples; rewrite quoted triples with reification",
        )

    def triples() -> Iterator[tuple[Node, Node, Node]]:
        try:
            for quad in parser:
                yield term(quad.subject), term(quad.predicate), term(quad.object)
        except SyntaxError as exc:
            raise _parse_error(path, label, exc) from None
        except OSError as exc:
            raise ParseError(f"cannot read file: {exc}", path=str(path)) from None
        try:
            prefixes.update(parser.prefixes)
        except (AttributeError, ValueError):  # N-Triples/N-Quads have no prefixes
            pass

    return triples(), prefixes


def _oxigraph_into(path: Path, kg: KnowledgeGraph, ox_format: str, label: str) -> None:
    triples, prefixes = oxigraph_triples(path, ox_format, label)
    graph = kg.rdf
    graph.addN((s, p, o, graph) for s, p, o in triples)
    for prefix, ns in prefixes.items():
        graph.bind(prefix, ns, override=False)


def _load(path: Path, kg: KnowledgeGraph, ox_format: str, rdflib_format: str, label: str) -> None:
    if PARSER_BACKEND == "pyoxigraph":
        _oxigraph_into(path, kg, ox_format, label)
    elif rdflib_format in ("nquads", "trig"):
        _parse_quads_into(path, kg, rdflib_format, label)
    else:
        _parse_into(path, kg, rdflib_format, label)


def load_turtle(path: Path, kg: KnowledgeGraph) -> None:
    _load(path, kg, "TURTLE", "turtle", "Turtle")


def load_ntriples(path: Path, kg: KnowledgeGraph) -> None:
    _load(path, kg, "N_TRIPLES", "nt", "N-Triples")


def load_nquads(path: Path, kg: KnowledgeGraph) -> None:
    _load(path, kg, "N_QUADS", "nquads", "N-Quads")


def load_trig(path: Path, kg: KnowledgeGraph) -> None:
    _load(path, kg, "TRIG", "trig", "TriG")


def load_jsonld(path: Path, kg: KnowledgeGraph) -> None:
    _parse_into(path, kg, "json-ld", "JSON-LD")


def load_rdfxml(path: Path, kg: KnowledgeGraph) -> None:
    _parse_into(path, kg, "xml", "RDF/XML")
