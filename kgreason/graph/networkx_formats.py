"""GraphML and node-link JSON through NetworkX: property-graph files become triples.

Mapping (documented in README "Graphs"):

* a node id that is an IRI (``https://…``, ``urn:…``) or a known prefixed name stays that IRI;
  any other id becomes ``ex:<id>`` (spaces → ``_``);
* node attribute ``label`` or ``name`` → rdfs:label; ``type`` or ``class`` → rdf:type (its value
  read like a CSV cell: a label, prefixed name or IRI); any other attribute → ``ex:<attr>`` with a
  literal value;
* the edge attribute ``predicate`` (else ``label``, ``relation``, or in node-link JSON a
  non-numeric multigraph ``key``, as ``KnowledgeGraph.nx()`` writes) names the predicate, read
  like a CSV predicate cell (``is a`` → rdf:type, ...); an edge with none becomes
  ``ex:relatedTo`` and is counted in ``kg.issues``. Undirected graphs keep each edge once, in the
  order the file lists its ends.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from rdflib import RDF, RDFS, Literal, URIRef
from rdflib.term import Node

from kgreason.errors import InputError, ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.terms import TermReader
from kgreason.graph.vocab import EX, property_iri

log = logging.getLogger(__name__)

PREDICATE_ATTRIBUTES = ("predicate", "label", "relation", "key")
_LABEL_ATTRS = ("label", "name")
_TYPE_ATTRS = ("type", "class")
RELATED_TO = EX.relatedTo


def _node_term(node_id: Any, terms: TermReader) -> Node:
    text = str(node_id).strip()
    if " " not in text and ":" in text:
        try:
            return terms.node(text, subject=True)
        except InputError:
            pass
    return URIRef(str(terms.namespace) + re.sub(r"[^\w\-.]+", "_", text))


def _edge_predicate(attrs: dict[str, Any]) -> str | None:
    for name in PREDICATE_ATTRIBUTES:
        value = attrs.get(name)
        if isinstance(value, str) and value.strip() and not value.strip().isdigit():
            return value
    return None


def graph_to_triples(graph, kg: KnowledgeGraph, source: str, *, use_keys: bool = True) -> None:
    """Add a NetworkX graph's nodes and edges to ``kg`` with the mapping in the module docstring.

    ``use_keys=False`` ignores multigraph keys (GraphML keys are edge ids like ``e0``, not predicates).
    """
    terms = TermReader(kg)
    rdf = kg.rdf
    nodes: dict[Any, Node] = {}
    for node_id, attrs in graph.nodes(data=True):
        subject = nodes[node_id] = _node_term(node_id, terms)
        if not attrs and graph.degree(node_id) == 0:  # keep isolated nodes visible
            rdf.add((subject, RDF.type, RDFS.Resource))
        for name, value in attrs.items():
            if value is None or name == "id":
                continue
            if name in _LABEL_ATTRS:
                rdf.add((subject, RDFS.label, Literal(str(value))))
            elif name in _TYPE_ATTRS:
                rdf.add((subject, RDF.type, terms.node(str(value))))
            else:
                prop = property_iri(name, terms.namespace)
                rdf.add((prop, RDFS.label, Literal(name.replace("_", " "))))
                rdf.add((subject, prop, Literal(value)))
    unnamed = 0
    edges = (
        graph.edges(keys=True, data=True)
        if graph.is_multigraph()
        else ((u, v, None, d) for u, v, d in graph.edges(data=True))
    )
    for u, v, key, attrs in edges:
        attrs = dict(attrs)
        if use_keys and key is not None and "key" not in attrs:
            attrs["key"] = key
        name = _edge_predicate(attrs)
        if name is None:
            unnamed += 1
            predicate = RELATED_TO
            rdf.add((RELATED_TO, RDFS.label, Literal("related to")))
        else:
            predicate = terms.node(name, predicate=True)
        rdf.add((nodes[u], predicate, nodes[v]))
    if unnamed:
        kg.issues.append(
            f"{source}: {unnamed} edge(s) had no predicate attribute "
            f"({', '.join(PREDICATE_ATTRIBUTES)}); they were loaded as 'related to'"
        )


def load_graphml(path: Path, kg: KnowledgeGraph) -> None:
    import xml.etree.ElementTree as ET

    import networkx as nx

    from kgreason.graph.xml_safety import check_xml_entities

    check_xml_entities(path, "GraphML")  # no nested/external entities before ElementTree sees it
    try:
        graph = nx.read_graphml(path)
    except ET.ParseError as exc:
        line, col = exc.position
        raise ParseError(
            f"malformed GraphML (XML): {exc.msg if hasattr(exc, 'msg') else exc}",
            path=str(path),
            line=line,
            column=col + 1,
            hint="fix the XML at that position",
        ) from None
    except (nx.NetworkXError, ValueError, KeyError) as exc:
        raise ParseError(
            f"not valid GraphML: {exc}",
            path=str(path),
            hint="check the <key>/<node>/<edge> elements against the GraphML schema",
        ) from None
    _to_kg(graph, kg, path, use_keys=False)


def load_node_link(path: Path, kg: KnowledgeGraph) -> None:
    """Node-link JSON (``networkx.node_link_data``); a JSON-LD document is handed to rdflib."""
    import networkx as nx

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ParseError.from_json(exc, path, hint="fix the JSON at that position") from None
    if _looks_like_jsonld(data):
        from kgreason.graph.rdf_formats import load_jsonld

        load_jsonld(path, kg)
        return
    if not isinstance(data, dict) or "nodes" not in data:
        raise InputError(
            'not node-link JSON (no "nodes" list)',
            where=str(path),
            hint='write {"nodes": [{"id": ...}], "links": [{"source": ..., "target": ..., '
            '"predicate": ...}]} (networkx.node_link_data) or JSON-LD with "@context"',
        )
    edges_key = "edges" if "edges" in data else "links"
    data.setdefault(edges_key, [])
    try:
        graph = nx.node_link_graph(data, edges=edges_key)
    except (KeyError, TypeError, nx.NetworkXError) as exc:
        raise ParseError(
            f"not valid node-link JSON: missing or bad field {exc}",
            path=str(path),
            hint='every node needs "id"; every link needs "source" and "target"',
        ) from None
    _to_kg(graph, kg, path)


def _looks_like_jsonld(data: Any) -> bool:
    if isinstance(data, list):
        return any(isinstance(d, dict) and any(k.startswith("@") for k in d) for d in data)
    return isinstance(data, dict) and any(k.startswith("@") for k in data)


def _to_kg(graph, kg: KnowledgeGraph, path: Path, *, use_keys: bool = True) -> None:
    try:
        graph_to_triples(graph, kg, str(path), use_keys=use_keys)
    except InputError as exc:
        raise ParseError(exc.message, path=str(path), hint=exc.hint) from None
    log.info("%s: %d nodes, %d edges", path, graph.number_of_nodes(), graph.number_of_edges())
