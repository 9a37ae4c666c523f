"""Write a KnowledgeGraph to a file, format chosen by extension (``kgreason graph convert``).

RDF serializations go through rdflib's serializers; CSV/TSV edge lists are written with prefixed
names (``ex:Apple``) and N-Triples literals, so they load back to the same triples.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

from rdflib import BNode, Literal

from kgreason.errors import InputError
from kgreason.files import write_file_atomic
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import EX

log = logging.getLogger(__name__)

#: Output format name → (extensions, rdflib serializer name or None for our own writer).
OUTPUT_FORMATS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "turtle": ((".ttl", ".turtle"), "turtle"),
    "nt": ((".nt", ".ntriples"), "nt"),
    "nquads": ((".nq", ".nquads"), "nt"),  # all in the default graph: N-Triples is valid N-Quads
    "trig": ((".trig",), "trig"),
    "json-ld": ((".jsonld", ".json-ld"), "json-ld"),
    "xml": ((".rdf", ".owl", ".xml"), "pretty-xml"),
    "csv": ((".csv",), None),
    "tsv": ((".tsv", ".tab"), None),
}


def output_format(path: Path, format: str | None = None) -> str:
    if format:
        key = format.lower().lstrip(".")
        for name, (exts, _) in OUTPUT_FORMATS.items():
            if key == name or f".{key}" in exts:
                return name
        raise InputError(
            f"unknown output format {format!r}", hint=f"use one of: {', '.join(OUTPUT_FORMATS)}"
        )
    for name, (exts, _) in OUTPUT_FORMATS.items():
        if path.suffix.lower() in exts:
            return name
    known = ", ".join(e for exts, _ in OUTPUT_FORMATS.values() for e in exts)
    raise InputError(
        f"cannot tell the output format from {path.suffix or '(no extension)'!r}",
        where=str(path),
        hint=f"use one of these extensions ({known}) or pass --to FORMAT",
    )


def _cell(kg: KnowledgeGraph, node, portable: set[str]) -> str:
    """Prefixed names only for prefixes a CSV reader knows without declarations, else ``<IRI>``."""
    if isinstance(node, Literal):
        return node.n3(kg.rdf.namespace_manager)
    if isinstance(node, BNode):
        return node.n3()
    text = kg.qname(node)
    return text if text.split(":", 1)[0] in portable else f"<{node}>"


def save_graph(kg: KnowledgeGraph, out: str | Path, format: str | None = None) -> str:
    """Serialize ``kg`` to ``out``; returns the format name used."""
    out = Path(out)
    name = output_format(out, format)
    out.parent.mkdir(parents=True, exist_ok=True)
    serializer = OUTPUT_FORMATS[name][1]

    def write(tmp: Path) -> None:
        if serializer is not None:
            kg.rdf.serialize(destination=str(tmp), format=serializer, encoding="utf-8")
        else:
            delimiter = "\t" if name == "tsv" else ","
            with tmp.open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle, delimiter=delimiter)
                writer.writerow(["subject", "predicate", "object"])
                portable = {"rdf", "rdfs", "owl", "skos", "kgr", "xsd"}
                if kg.namespaces.get("ex") == str(EX):
                    portable.add("ex")
                for s, p, o in sorted(kg.rdf):
                    writer.writerow(
                        [_cell(kg, s, portable), _cell(kg, p, portable), _cell(kg, o, portable)]
                    )

    write_file_atomic(out, write)  # converting a file onto itself never leaves half a graph
    log.info("wrote %s (%s, %d triples)", out, name, len(kg))
    return name
