"""SPARQL over a graph through rdflib: SELECT, ASK (and CONSTRUCT/DESCRIBE as triples).

:func:`run_sparql` takes any rdflib graph, so callers choose what is queried: the asserted triples
(``kg.rdf``) or, for ``kgreason graph query --inferred``, a graph that also holds the reasoner's
derived triples. The graph's prefixes are predeclared, so ``ex:Apple`` works without ``PREFIX``.

Safety: a query runs under a time limit (in a forked process that is killed at the deadline) and
never goes online — SERVICE and FROM are refused unless the caller allows the network.
"""

from __future__ import annotations

import logging
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph
from rdflib.term import Node

from kgreason.errors import InputError, KGReasonError

log = logging.getLogger(__name__)

#: One query parsed at a time: pyparsing's parse state is shared (the server runs queries from
#: several threads without the pipeline's lock).
_PARSER_LOCK = threading.Lock()
#: Seconds a query may run (``kgreason graph query --timeout``): a cartesian product runs forever.
DEFAULT_TIMEOUT = 30.0


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


def _is_update(query: str) -> bool:
    """Whether ``query`` is a SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, ...): parsed, never run."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parseUpdate(query)
    except Exception:  # noqa: BLE001 - not an update either: the query's own error is reported
        return False
    return True


def run_sparql(
    graph: Graph,
    query: str,
    namespaces: dict[str, str] | None = None,
    *,
    timeout: float | None = DEFAULT_TIMEOUT,
    allow_network: bool = False,
) -> QueryResult:
    """Run ``query`` on ``graph``; a syntax error or an unknown prefix becomes one InputError line.

    The query is stopped after ``timeout`` seconds (None or 0: no limit) with an InputError, and
    refused when it would go online (SERVICE, FROM) unless ``allow_network``."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql import prepareQuery

    init_ns = dict(
        namespaces if namespaces is not None else ((p, str(n)) for p, n in graph.namespaces())
    )
    try:
        with _PARSER_LOCK:  # rdflib's SPARQL parser (pyparsing) is not thread-safe
            prepared = prepareQuery(query, initNs=init_ns)
    except ParseException as exc:
        with _PARSER_LOCK:
            update = _is_update(query)
        if update:
            raise InputError(
                "graph query is read-only: SPARQL UPDATE (INSERT, DELETE, LOAD, CLEAR, ...) is not run",
                hint="edit the graph file to change the graph; use SELECT, ASK or CONSTRUCT to query it",
            ) from None
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
    if not allow_network:
        _refuse_network(prepared)
    if not timeout:
        return _evaluate(graph, prepared)
    return _evaluate_with_time_limit(graph, prepared, float(timeout))


def _evaluate(graph: Graph, prepared) -> QueryResult:
    """Run a prepared query to the end (rows included: rdflib evaluates lazily)."""
    try:
        result = graph.query(prepared)
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars]
            rows = [{v: row[i] for i, v in enumerate(variables)} for row in result]
            return QueryResult("select", variables, rows)
        rows = [{"subject": s, "predicate": p, "object": o} for s, p, o in result.graph]
        return QueryResult("graph", ["subject", "predicate", "object"], rows)
    except (KGReasonError, MemoryError, KeyboardInterrupt):
        raise
    except Exception as exc:  # noqa: BLE001 - evaluation errors (bad casts, ...) become one line
        raise InputError(
            f"SPARQL query failed: {_one_line(exc)}", hint="simplify the query"
        ) from None


# ------------------------------------------------------------------------------ network policy
def _algebra_nodes(node) -> Iterator[Any]:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [node]
    while stack:
        x = stack.pop()
        if isinstance(x, CompValue):
            yield x
            stack.extend(x.values())
        elif isinstance(x, (list, tuple)):
            stack.extend(x)


_NETWORK_HINT = ("query the graph files given on the command line (load a remote graph by saving it to a file "
                 "first), or pass --allow-network to let the query go online")


def _refuse_network(prepared) -> None:
    """No query goes online unless the user says so: SERVICE (a remote endpoint) and FROM /
    FROM NAMED (rdflib would fetch those graphs) are refused before anything runs."""
    for node in _algebra_nodes(prepared.algebra):
        if node.name == "ServiceGraphPattern":
            raise InputError(f"SERVICE {node.get('term').n3()} would query a remote endpoint over the network: "
                             "refused", hint=_NETWORK_HINT)
    for clause in prepared.algebra.get("datasetClause") or []:
        # CompValue.get returns the key itself when it is missing: test membership instead
        kind = "FROM" if "default" in clause else "FROM NAMED"
        iri = clause["default"] if "default" in clause else clause["named"] if "named" in clause else None  # noqa: SIM401
        shown = iri.n3() if hasattr(iri, "n3") else str(iri or "")
        raise InputError(f"{kind} {shown} would read another graph (from the network or a file): refused",
                         hint=_NETWORK_HINT)


# Lexemes of a SPARQL text, so that keywords are found outside strings, IRIs and comments.
_STRING_LONG1 = r"'''(?:[^'\\]|\\.|'(?!''))*'''"
_STRING_LONG2 = r'"""(?:[^"\\]|\\.|"(?!""))*"""'
_STRING1 = r"'(?:[^'\\\n]|\\.)*'"
_STRING2 = r'"(?:[^"\\\n]|\\.)*"'
_IRI = r'<[^<>"{}|^`\\\x00-\x20]*>'
_COMMENT = r"#[^\n]*"
_KEYWORD = r"(?<![\w:?$])(SERVICE|FROM|LOAD)(?![\w:-])"
_LEXEMES = None
_KEYWORD_WHAT = {"SERVICE": "would query a remote endpoint over the network",
                 "FROM": "would read another graph (from the network or a file)",
                 "LOAD": "would load a graph (from the network or a file)"}


def refuse_network_text(query: str, *, hint: str = _NETWORK_HINT) -> None:
    """The same refusal for a query that another engine parses (pyoxigraph's store resolves
    SERVICE itself): SERVICE, FROM (NAMED) and LOAD as keywords — outside strings, IRIs and
    comments, and not part of a prefixed name or a variable — are refused before it runs."""
    import re

    global _LEXEMES
    if _LEXEMES is None:
        parts = [_STRING_LONG1, _STRING_LONG2, _STRING1, _STRING2, _IRI, _COMMENT, _KEYWORD]
        _LEXEMES = re.compile("|".join(parts), re.IGNORECASE)
    for match in _LEXEMES.finditer(query):
        keyword = match.group(1)
        if keyword:
            word = keyword.upper()
            raise InputError(f"{word} {_KEYWORD_WHAT[word]}: refused", hint=hint)


# ------------------------------------------------------------------------------ time limit
def _timeout_error(timeout: float) -> InputError:
    return InputError(
        f"SPARQL query stopped after {timeout:g} s (the time limit)",
        hint="make it more selective (patterns that share no variable multiply: a cartesian product), "
        "add LIMIT, or raise --timeout (0: no limit)",
    )


def _child(work, args, conn) -> None:  # pragma: no cover - runs in the forked process
    try:
        outcome: tuple[str, Any] = ("ok", work(*args))
    except KGReasonError as exc:  # sent as text: an exception's hint does not survive pickling
        outcome = ("error", (exc.message, exc.where, exc.hint))
    except MemoryError:
        outcome = ("error", ("SPARQL query ran out of memory", None, "make it more selective or add LIMIT"))
    except Exception as exc:  # noqa: BLE001 - anything else: one line, never a traceback
        outcome = ("error", (f"SPARQL query failed: {_one_line(exc) or type(exc).__name__}", None,
                             "simplify the query"))
    conn.send(outcome)
    conn.close()


def _evaluate_with_time_limit(graph: Graph, prepared, timeout: float) -> QueryResult:
    """Run the query in a forked process that is killed at the deadline: rdflib cannot be
    interrupted (and a SERVICE call, when allowed, blocks on the network without a timeout).
    The fork shares the graph copy-on-write, so nothing is copied in; the result comes back
    pickled. Without fork (Windows), a thread that is told to stop at the deadline."""
    import multiprocessing

    try:
        multiprocessing.get_context("fork")
    except ValueError:  # pragma: no cover - no fork on this platform
        return _evaluate_in_thread(graph, prepared, timeout)
    return run_with_time_limit(_evaluate, (graph, prepared), timeout)


def run_with_time_limit(work, args: tuple, timeout: float):
    """``work(*args)`` in a forked process that is killed at the deadline (an InputError then);
    its result comes back pickled, its KGReasonError as the same one-line error."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(work, args, writer), daemon=True)
    with warnings.catch_warnings():  # "fork() in a multi-threaded process": the child runs one query only
        warnings.simplefilter("ignore", DeprecationWarning)
        process.start()
    writer.close()
    try:
        if not reader.poll(timeout):
            raise _timeout_error(timeout)
        try:
            status, value = reader.recv()
        except EOFError:
            process.join(1)
            raise InputError(f"SPARQL query process ended without a result (exit code {process.exitcode})",
                             hint="the machine may have run out of memory: make the query more selective "
                             "or add LIMIT") from None
    finally:
        reader.close()
        if process.is_alive():
            process.kill()
        process.join()
    if status == "error":
        message, where, hint = value
        raise InputError(message, where=where, hint=hint)
    return value


def _evaluate_in_thread(graph: Graph, prepared, timeout: float) -> QueryResult:  # pragma: no cover
    import ctypes
    import threading

    box: dict[str, Any] = {}

    def work() -> None:
        try:
            box["result"] = _evaluate(graph, prepared)
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(timeout)
    if thread.is_alive():  # stop it at its next Python instruction
        ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(SystemExit))
        raise _timeout_error(timeout)
    if "error" in box:
        raise box["error"]
    return box["result"]
