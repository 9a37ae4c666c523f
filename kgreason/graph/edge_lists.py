"""CSV/TSV edge lists: a ``subject,predicate,object`` header, one triple per row.

Cells may be IRIs (``<…>`` or ``https://…``), prefixed names (``rdfs:label``, or any prefix a graph
loaded before declared), literals in N-Triples form (``"5"^^xsd:int``), numbers (objects only) or plain labels (``apple``,
``can be``), which become IRIs with rdfs:label (see :mod:`kgreason.graph.terms`). Columns after the
third are ignored; lines starting with ``#`` are comments.
"""

from __future__ import annotations

import csv
import logging
from pathlib import Path

from kgreason.errors import InputError, ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.terms import TermReader

log = logging.getLogger(__name__)

EXPECTED_HEADER = ("subject", "predicate", "object")


def _rows(path: Path, delimiter: str):
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle, delimiter=delimiter, strict=True)
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ParseError(
                    f"malformed {'TSV' if delimiter == chr(9) else 'CSV'}: {exc}",
                    path=str(path),
                    line=reader.line_num,
                    hint="close the quoted cell or remove the stray quote",
                ) from None
            if not row or not any(cell.strip() for cell in row):
                continue
            if row[0].lstrip().startswith("#"):
                continue
            yield reader.line_num, row


def load_edge_list(path: Path, kg: KnowledgeGraph, delimiter: str = ",") -> None:
    """Read an edge list into ``kg``; a wrong header or a short row is a ParseError at its line."""
    kind = "TSV" if delimiter == "\t" else "CSV"
    sep = "\\t" if delimiter == "\t" else ","
    expected = sep.join(EXPECTED_HEADER)
    rows = _rows(path, delimiter)
    first = next(rows, None)
    if first is None:
        raise InputError(
            f"the {kind} file is empty",
            where=str(path),
            hint=f"start it with the header {expected}",
        )
    line, header = first
    got = tuple(cell.strip().lower() for cell in header[:3])
    if got != EXPECTED_HEADER:
        shown = sep.join(cell.strip() for cell in header)
        raise ParseError(
            f"wrong {kind} columns {shown!r}; expected the header {expected!r}",
            path=str(path),
            line=line,
            column=1,
            hint=f"make the first line '{expected}' (one triple per row; labels or IRIs in the cells)",
        )
    if len(header) > 3:
        log.info("%s: ignoring extra columns %s", path, header[3:])
    terms = TermReader(kg)
    triples = []
    for line, row in rows:
        if len(row) < 3:
            raise ParseError(
                f"row has {len(row)} cell(s), expected 3 ({expected})",
                path=str(path),
                line=line,
                hint=f"write subject{sep}predicate{sep}object (quote cells that contain '{sep}')",
            )
        try:
            predicate = terms.node(row[1], predicate=True)
            triples.append((terms.node(row[0], subject=True), predicate, terms.obj(row[2], predicate)))
        except InputError as exc:
            raise ParseError(exc.message, path=str(path), line=line, hint=exc.hint) from None
    kg.rdf.addN((s, p, o, kg.rdf) for s, p, o in triples)


def load_csv(path: Path, kg: KnowledgeGraph) -> None:
    load_edge_list(path, kg, ",")


def load_tsv(path: Path, kg: KnowledgeGraph) -> None:
    load_edge_list(path, kg, "\t")
