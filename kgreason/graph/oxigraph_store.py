"""An on-disk graph store (pyoxigraph's RocksDB store) for graphs larger than memory.

``kgreason graph store PATH FILES... [--materialize]`` loads graph files into a store folder
(streamed by pyoxigraph's bulk loader: the files are never held in memory) and, with
``--materialize``, adds the reasoner's inferred triples to the named graph
:data:`INFERRED_GRAPH`; ``kgreason graph query --store PATH "SPARQL"`` then queries asserted +
inferred triples (the default graph of a query is the union of all graphs; ``GRAPH
kgr:inferred { ... }`` selects the inferred ones only). The asserted triples stay in the store's
default graph, untouched.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kgreason.errors import InputError
from kgreason.graph.query import QueryResult
from kgreason.graph.vocab import KGR

#: The named graph that holds the reasoner's inferred triples.
INFERRED_GRAPH = str(KGR) + "inferred"

_FORMATS = {".nt": "N_TRIPLES", ".ntriples": "N_TRIPLES", ".nq": "N_QUADS", ".ttl": "TURTLE",
            ".turtle": "TURTLE", ".trig": "TRIG", ".rdf": "RDF_XML", ".owl": "RDF_XML",
            ".xml": "RDF_XML", ".jsonld": "JSON_LD"}


def open_store(path: str | Path, *, create: bool = False):
    """The RocksDB store in folder ``path`` (made when ``create``)."""
    import pyoxigraph as ox

    path = Path(path)
    if not create and not path.is_dir():
        raise InputError(f"no graph store at {path}",
                         hint="create one with: kgreason graph store PATH GRAPH_FILES...")
    try:
        return ox.Store(str(path))
    except OSError as exc:  # locked by another process, not a store, unreadable
        raise InputError(f"cannot open the graph store {path}: {exc}",
                         hint="close other kgreason processes using it, or give another folder") from None


def load_files(store, paths: Iterable[str | Path]) -> None:
    """Stream graph files into the store's default graph (pyoxigraph's bulk loader)."""
    import pyoxigraph as ox

    for p in paths:
        path = Path(p)
        name = _FORMATS.get(path.suffix.lower())
        if name is None:
            raise InputError(f"the graph store loads RDF files, not {path.suffix or 'this file'}",
                             where=str(path), hint=f"use one of: {', '.join(sorted(_FORMATS))}")
        try:
            store.bulk_load(path=str(path), format=getattr(ox.RdfFormat, name))
        except SyntaxError as exc:
            raise InputError(f"cannot parse {path.name}: {' '.join(str(exc).split())[:200]}",
                             where=str(path), hint="check the file with: kgreason graph validate FILE") from None


def _ox_term(node):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise ValueError(f"not an RDF term: {node!r}")


def add_inferred(store, triples: Iterable[tuple], *, batch: int = 100_000, progress=None) -> int:
    """Add rdflib triples to :data:`INFERRED_GRAPH` (replacing what it held), in batches;
    generalized triples (literal subject, non-IRI predicate) are skipped. Returns how many."""
    import pyoxigraph as ox
    from rdflib import Literal, URIRef

    graph = ox.NamedNode(INFERRED_GRAPH)
    store.remove_graph(graph) if store.contains_named_graph(graph) else None
    quads: list = []
    n = 0
    for s, p, o in triples:
        if isinstance(s, Literal) or not isinstance(p, URIRef):
            continue
        quads.append(ox.Quad(_ox_term(s), _ox_term(p), _ox_term(o), graph))
        if len(quads) >= batch:
            store.bulk_extend(quads)
            n += len(quads)
            quads = []
            if progress is not None:
                progress(n)
    store.bulk_extend(quads)
    n += len(quads)
    store.flush()
    return n


def count(store, graph: str | None = None) -> int:
    """Triples in the default graph (None) or in a named graph."""
    where = "{ ?s ?p ?o }" if graph is None else f"{{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    result = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {where}")
    for row in result:
        return int(row[0].value)
    return 0


def _rdflib(term):
    import pyoxigraph as ox
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return URIRef(str(term))


def run_sparql_store(store, query: str, namespaces: dict[str, str] | None = None) -> QueryResult:
    """SELECT / ASK / CONSTRUCT over every graph of the store (asserted + inferred); read-only."""
    import pyoxigraph as ox

    prefixes = {k: str(v) for k, v in (namespaces or {}).items() if k}
    prefixes.setdefault("kgr", str(KGR))
    try:
        result = store.query(query, prefixes=prefixes, use_default_graph_as_union=True)
    except SyntaxError as exc:
        message = " ".join(str(exc).split())[:300]
        del store  # a traceback kept by the caller must not keep the store (its lock) open
        raise InputError(f"bad SPARQL: {message} (updates are refused: the query is read-only)",
                         hint="check the query syntax (SELECT ?x WHERE { ?x rdfs:subClassOf ex:Fruit })") from None
    if isinstance(result, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = [{v: _rdflib(sol[v]) for v in variables} for sol in result]
        return QueryResult("select", variables, rows)
    rows = [{"subject": _rdflib(t.subject), "predicate": _rdflib(t.predicate), "object": _rdflib(t.object)}
            for t in result]
    return QueryResult("graph", ["subject", "predicate", "object"], rows)


_STORE_HINT = ("query the store's own graphs (load other graphs into it with `kgreason graph store`), or pass "
               "--allow-network to let the query go online")


def _query_read_only(path: str, query: str, namespaces: dict[str, str] | None) -> QueryResult:
    """Open the store read-only (no lock: a writer may hold it) and run the query."""
    import pyoxigraph as ox

    try:
        store = ox.Store.read_only(path)
    except OSError as exc:
        raise InputError(f"cannot open the graph store {path}: {' '.join(str(exc).split())[:200]}",
                         hint="check that the folder is a store made by `kgreason graph store`") from None
    return run_sparql_store(store, query, namespaces)


def query_store(path: str | Path, query: str, namespaces: dict[str, str] | None = None, *,
                timeout: float | None = None, allow_network: bool = False) -> QueryResult:
    """``kgreason graph query --store``: the query is refused when it would go online (SERVICE,
    FROM, LOAD: pyoxigraph resolves SERVICE itself) unless ``allow_network``, and runs in a
    forked process that opens the store read-only and is killed after ``timeout`` seconds
    (None or 0: no limit), as on the in-memory path."""
    from kgreason.graph.query import refuse_network_text, run_with_time_limit

    path = Path(path)
    if not path.is_dir():
        raise InputError(f"no graph store at {path}",
                         hint="create one with: kgreason graph store PATH GRAPH_FILES...")
    if not allow_network:
        refuse_network_text(query, hint=_STORE_HINT)
    if not timeout:
        return run_sparql_store(open_store(path), query, namespaces)
    return run_with_time_limit(_query_read_only, (str(path), query, namespaces), float(timeout))
