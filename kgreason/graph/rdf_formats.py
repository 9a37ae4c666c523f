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
_BOM = b"\xef\xbb\xbf"
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


def _starts_with_bom(path: Path) -> bool:
    """A UTF-8 byte order mark (editors on Windows write one) is accepted and skipped, as the
    CSV and English loaders do; the RDF parsers would report an invisible character."""
    with path.open("rb") as handle:
        return handle.read(3) == _BOM


def _value_too_long(path: Path, exc: MemoryError) -> ParseError:
    """pyoxigraph's buffer limit (16 MiB for one token): name the first line longer than that."""
    limit = int(m.group(1)) if (m := re.search(r"(\d{6,})", str(exc))) else 16 << 20
    line = None
    with path.open("rb") as handle:
        for number, text in enumerate(iter(lambda: handle.readline(limit + 1), b""), 1):
            if len(text) > limit:
                line = number
                break
    return ParseError(
        f"a single literal or IRI is longer than the parser's limit of {limit // (1 << 20)} MiB",
        path=str(path),
        line=line,
        hint="shorten that value (keep large text in its own file and link to it)",
    )


# ------------------------------------------------------------------------------------ rdflib
def _parse_into(path: Path, kg: KnowledgeGraph, rdflib_format: str, label: str) -> None:
    try:
        if rdflib_format == "json-ld" and _starts_with_bom(path):  # XML parsers skip a BOM themselves
            kg.rdf.parse(data=path.read_bytes()[len(_BOM):], format=rdflib_format,
                         publicID=path.resolve().as_uri())
        else:
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
    handle = None
    if _starts_with_bom(path):  # read past the BOM (the parser would see a stray character)
        handle = path.open("rb")
        handle.seek(len(_BOM))
    parser = ox.parse(
        handle, path=None if handle else str(path), format=fmt, base_iri=path.resolve().as_uri(),
        rename_blank_nodes=True,
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
        except MemoryError as exc:  # the parser's buffer limit, not the machine's memory
            raise _value_too_long(path, exc) from None
        except OSError as exc:
            raise ParseError(f"cannot read file: {exc}", path=str(path)) from None
        finally:
            if handle is not None:
                handle.close()
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
    _refuse_context_references(path)  # rdflib would fetch them (over HTTP, with no timeout)
    _parse_into(path, kg, "json-ld", "JSON-LD")


def _refuse_context_references(path: Path) -> None:
    """No network (and no other file) is read for a data file: a JSON-LD ``@context`` (or
    ``@import``) that names a document instead of holding the context is a ParseError at its
    line:column. Inline contexts (``"@context": {...}``) are read as before."""
    import json

    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    try:
        data = json.loads(text)
    except ValueError:
        return  # rdflib reports the JSON syntax error with its position
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        for key, value in node.items():
            if key in ("@context", "@import"):
                listed = value if isinstance(value, list) else [value]
                refs = [v for v in listed if isinstance(v, str)]
                if refs:
                    offset = text.find(json.dumps(refs[0]))
                    line = text.count("\n", 0, offset) + 1 if offset >= 0 else None
                    column = offset - text.rfind("\n", 0, offset) if offset >= 0 else None
                    raise ParseError(
                        f"JSON-LD {key} refers to the document {refs[0]!r}: kgreason never fetches "
                        "anything (network or file) for a data file",
                        path=str(path),
                        line=line,
                        column=column,
                        hint=f'put the context itself in the file ("{key}": {{...}}, e.g. the content of '
                        "that document, downloaded once)",
                    )
            stack.append(value)


def load_rdfxml(path: Path, kg: KnowledgeGraph) -> None:
    from kgreason.graph.xml_safety import check_xml_entities

    check_xml_entities(path, "RDF/XML")  # no nested/external entities: rdflib would expand them
    _parse_into(path, kg, "xml", "RDF/XML")
