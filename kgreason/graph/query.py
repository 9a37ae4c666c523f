"""SPARQL over a graph through rdflib: SELECT, ASK (and CONSTRUCT/DESCRIBE as triples).

:func:`run_sparql` takes any rdflib graph, so callers choose what is queried: the asserted triples
(``kg.rdf``) or, for ``kgreason graph query --inferred``, a graph that also holds the reasoner's
derived triples. The graph's prefixes are predeclared, so ``ex:Apple`` works without ``PREFIX``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from kgreason.errors import InputError

log = logging.getLogger(__name__)


@dataclass
class QueryResult:
    """``kind`` is "select", "ask" or "graph"; rows are dicts variable → node (None if unbound)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[dict[str, Node | None]] = field(default_factory=list)
    boolean: bool | None = None

    def to_json(self, render=str) -> dict[str, Any]:
        """JSON-able form; ``render`` turns a node into text (e.g. ``kg.qname``)."""
        if self.kind == "ask":
            return {"kind": "ask", "boolean": self.boolean}
        return {
            "kind": self.kind,
            "variables": self.variables,
            "rows": [
                {v: (None if n is None else render(n)) for v, n in row.items()} for row in self.rows
            ],
        }


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split())[:300]


def run_sparql(graph: Graph, query: str, namespaces: dict[str, str] | None = None) -> QueryResult:
    """Run ``query`` on ``graph``; a syntax error or an unknown prefix becomes one InputError line."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    init_ns = dict(
        namespaces if namespaces is not None else ((p, str(n)) for p, n in graph.namespaces())
    )
    try:
        prepared = prepareQuery(query, initNs=init_ns)
    except ParseException as exc:
        raise InputError(
            f"bad SPARQL at line {exc.lineno}, column {exc.col}: {exc.msg}",
            hint="check the query syntax (SELECT ?x WHERE { ?x rdfs:subClassOf ex:Fruit })",
        ) from None
    except Exception as exc:  # noqa: BLE001 - unknown prefix and other algebra errors: one line
        known = ", ".join(sorted(p for p in init_ns if p))
        raise InputError(
            f"bad SPARQL: {_one_line(exc)}",
            hint=f"declare prefixes with PREFIX or use one of: {known}",
        ) from None
    try:
        result = graph.query(prepared)
    except Exception as exc:  # noqa: BLE001 - evaluation errors (bad casts, ...) become one line
        raise InputError(
            f"SPARQL query failed: {_one_line(exc)}", hint="simplify the query"
        ) from None
    if result.type == "ASK":
        return QueryResult("ask", boolean=bool(result.askAnswer))
    if result.type == "SELECT":
        variables = [str(v) for v in result.vars]
        rows = [{v: row[i] for i, v in enumerate(variables)} for row in result]
        return QueryResult("select", variables, rows)
    rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in result.graph]
    return QueryResult("graph", ["subject", "predicate", "object"], rows)
