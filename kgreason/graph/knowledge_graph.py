"""KnowledgeGraph: the triples (rdflib) plus labels, namespaces, a NetworkX view and attached rules.

Everything downstream (reasoning, retrieval, language, models) works on this one object. It holds
*asserted* triples only: the reasoner keeps inferred triples in its own store and never writes them
back here.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from rdflib import OWL, RDF, RDFS, Graph, Literal
from rdflib.term import BNode, Node, URIRef

from kgreason.errors import InputError
from kgreason.graph.vocab import KGR, LABEL_PREDICATES, STANDARD_PREFIXES, fallback_label

if TYPE_CHECKING:
    import networkx as nx

    from kgreason.core.reading import Reading
    from kgreason.core.rules import Rule

log = logging.getLogger(__name__)

Triple = tuple[Node, Node, Node]
Pattern = tuple[Node | None, Node | None, Node | None]


class KnowledgeGraph:
    """Asserted triples + what users and later stages need to read them.

    ``rules`` holds user rules that came with the graph (a ``.rules`` file beside it, attached by
    :func:`kgreason.reasoning.load_graph_with_rules`, or conditionals from an English ``.txt``
    graph); ``issues`` holds non-fatal load problems (e.g. English sentences that could not be
    parsed) so they are reported, never dropped.

    Change the graph through its methods (:meth:`add`, :meth:`add_all`, :meth:`remove`,
    :meth:`merge`, the loaders, edits of ``rules``): each bumps :attr:`version`, which caches
    (label index, reasoner closure, retrieval index) compare in O(1). Code that writes to
    ``kg.rdf`` directly calls :meth:`changed` afterwards.
    """

    def __init__(self, graph: Graph | None = None, *, sources: Iterable[str] = ()):
        # "core" prefixes only (rdf, rdfs, owl, xsd, xml): rdflib's default binds ~30 unrelated ones.
        self.rdf: Graph = graph if graph is not None else Graph(bind_namespaces="core")
        for prefix, ns in STANDARD_PREFIXES.items():
            self.rdf.bind(prefix, ns, override=False)
        self.sources: list[str] = list(sources)
        self._rules: _RuleList = _RuleList(self)
        self.issues: list[str] = []
        #: How each sentence of English text was read (:class:`kgreason.core.Reading`; exact,
        #: confirmed or not understood — the not understood ones are in ``issues`` too).
        self.readings: list[Reading] = []
        self._labels: dict[Node, list[str]] | None = None
        self._nx: nx.MultiDiGraph | None = None
        self._version = 0
        self._fingerprint: tuple[int, int, str, str] | None = None  # version, size, triples, + rules
        self._known_triples: tuple[int, str] | None = None  # (size, fingerprint) from a cache

    # ---------------------------------------------------------------- loading
    def merge(self, other: KnowledgeGraph) -> KnowledgeGraph:
        """Add another graph's triples, prefixes, rules and issues into this one (in place)."""
        for prefix, ns in other.rdf.namespaces():
            self.rdf.bind(prefix, ns, override=False)
        self.rdf += other.rdf
        self.sources.extend(other.sources)
        self.rules.extend(other.rules)
        self.issues.extend(other.issues)
        self.readings.extend(getattr(other, "readings", ()))
        self.changed()
        return self

    def __setstate__(self, state: dict[str, Any]) -> None:  # unpickled: the rules track edits again
        self.__dict__.update(state)
        self.__dict__.setdefault("readings", [])
        self._rules = _RuleList(self, state.get("_rules", ()))

    # ---------------------------------------------------------------- rules
    @property
    def rules(self) -> list[Rule]:
        """The rules that came with the graph; editing the list (append, extend, ...) or assigning
        a new one counts as a change of the graph (:attr:`version`)."""
        return self._rules

    @rules.setter
    def rules(self, rules: Iterable[Rule]) -> None:
        self._rules = _RuleList(self, rules)
        self._rules_changed()

    # ---------------------------------------------------------------- triples
    def __len__(self) -> int:
        return len(self.rdf)

    def __iter__(self) -> Iterator[Triple]:
        return iter(self.rdf)

    def __contains__(self, triple: Triple) -> bool:
        return triple in self.rdf

    def triples(self, pattern: Pattern = (None, None, None)) -> Iterator[Triple]:
        """Triples matching ``(s, p, o)`` where ``None`` is a wildcard."""
        return self.rdf.triples(pattern)

    def add(self, triple: Triple) -> None:
        self.rdf.add(triple)
        self.changed()

    def add_all(self, triples: Iterable[Triple]) -> None:
        self.rdf.addN((s, p, o, self.rdf) for s, p, o in triples)
        self.changed()

    def remove(self, pattern: Pattern) -> None:
        self.rdf.remove(pattern)
        self.changed()

    # ---------------------------------------------------------------- change tracking
    def changed(self) -> None:
        """Record that the triples changed (the methods above and the loaders call this; call it
        after writing to ``kg.rdf`` directly): drops the cached labels, NetworkX view and
        fingerprint and bumps :attr:`version`."""
        self._labels = None
        self._nx = None
        self._fingerprint = None
        self._known_triples = None
        self._version += 1

    def _rules_changed(self) -> None:
        self._fingerprint = None
        self._version += 1

    @property
    def version(self) -> int:
        """A number that changes whenever the graph does through its methods (triples or
        rules): caches keyed on the graph compare it in O(1) — it is read on every reasoner
        query, so it is a plain counter (``len(kg.rdf)`` alone costs 1.4 µs in rdflib). After
        writing to ``kg.rdf`` directly, call :meth:`changed`."""
        return self._version

    # ---------------------------------------------------------------- vocabulary
    @property
    def namespaces(self) -> dict[str, str]:
        return {prefix: str(ns) for prefix, ns in self.rdf.namespaces()}

    def qname(self, node: Node) -> str:
        """``ex:Apple`` when a prefix is bound, else ``<iri>``; literals in N-Triples form."""
        if isinstance(node, URIRef):
            try:
                prefix, _, name = self.rdf.compute_qname(str(node), generate=False)
                return f"{prefix}:{name}" if prefix else f":{name}"
            except Exception:  # noqa: BLE001 - rdflib raises several types for "no prefix"
                return f"<{node}>"
        return node.n3()

    def resolve(self, text: str) -> Node:
        """A prefixed name (``ex:Apple``), ``<iri>``, ``a`` (rdf:type), or a full IRI → node."""
        text = text.strip()
        if text == "a":
            return RDF.type
        if text.startswith("<") and text.endswith(">"):
            return URIRef(text[1:-1])
        if text.startswith('"'):
            from rdflib.util import from_n3

            return from_n3(text)
        if "://" in text:
            return URIRef(text)
        if ":" in text:
            prefix, name = text.split(":", 1)
            ns = dict(self.rdf.namespaces()).get(prefix)
            if ns is None:
                known = ", ".join(sorted(p for p, _ in self.rdf.namespaces() if p)) or "none"
                raise InputError(
                    f"unknown prefix {prefix!r} in {text!r}",
                    hint=f"use one of the graph's prefixes ({known}) or a full <IRI>",
                )
            return URIRef(str(ns) + name)
        raise InputError(
            f"cannot read {text!r} as a term", hint="write a prefixed name like ex:Apple or <IRI>"
        )

    # ---------------------------------------------------------------- labels
    def _label_index(self) -> dict[Node, list[str]]:
        if self._labels is None:
            index: dict[Node, list[str]] = {}
            for pred in LABEL_PREDICATES:
                for s, o in self.rdf.subject_objects(pred):
                    if isinstance(o, Literal) and (o.language in (None, "") or o.language.startswith("en")):
                        names = index.setdefault(s, [])
                        text = str(o)
                        if text not in names:
                            names.append(text)
            self._labels = index
        return self._labels

    def labels(self, node: Node) -> list[str]:
        """All labels of a node (preferred first); the IRI's humanized local name if it has none."""
        if isinstance(node, Literal):
            return [str(node)]
        if self._labels is None and getattr(self.rdf.store, "indexed_lookups", False):
            found = self._node_labels(node)  # a big cached graph: no table of every label
        else:
            found = self._label_index().get(node)
        return list(found) if found else [fallback_label(node)]

    def _node_labels(self, node: Node) -> list[str]:
        """The labels of one node, in :meth:`_label_index`'s order, by direct lookups."""
        names: list[str] = []
        for pred in LABEL_PREDICATES:
            for o in self.rdf.objects(node, pred):
                if isinstance(o, Literal) and (o.language in (None, "") or o.language.startswith("en")):
                    text = str(o)
                    if text not in names:
                        names.append(text)
        return names

    def label(self, node: Node) -> str:
        return self.labels(node)[0]

    def has_label(self, node: Node) -> bool:
        if self._labels is None and getattr(self.rdf.store, "indexed_lookups", False):
            return bool(self._node_labels(node))
        return node in self._label_index()

    # ---------------------------------------------------------------- inventory
    def subjects(self) -> set[Node]:
        return set(self.rdf.subjects(unique=True))

    def entities(self) -> set[Node]:
        """IRIs and blank nodes used as subject or object (not literals, not vocabulary terms)."""
        nodes = {n for n in self.rdf.all_nodes() if isinstance(n, URIRef | BNode)}
        return nodes - self.properties()

    def properties(self) -> set[Node]:
        props = set(self.rdf.predicates(unique=True))
        props |= set(self.rdf.subjects(RDF.type, RDF.Property))
        props |= set(self.rdf.subjects(RDF.type, OWL.ObjectProperty))
        props |= set(self.rdf.subjects(RDF.type, KGR.InheritableProperty))
        props |= set(self.rdf.subjects(KGR.negationOf, None)) | set(self.rdf.objects(None, KGR.negationOf))
        return props

    def classes(self) -> set[Node]:
        found = set(self.rdf.objects(None, RDF.type)) | set(self.rdf.subjects(RDF.type, RDFS.Class))
        found |= set(self.rdf.subjects(RDF.type, OWL.Class))
        found |= set(self.rdf.subjects(RDFS.subClassOf, None)) | set(self.rdf.objects(None, RDFS.subClassOf))
        vocab = {RDF.Property, OWL.ObjectProperty, KGR.InheritableProperty, OWL.TransitiveProperty,
                 OWL.SymmetricProperty, OWL.Class, RDFS.Class, OWL.DatatypeProperty}
        return {c for c in found if not isinstance(c, Literal)} - vocab

    # ---------------------------------------------------------------- identity
    def fingerprint(self, *, rules: bool = True) -> str:
        """A hash of the content — asserted triples and (unless ``rules=False``) ``rules`` —
        for keys that outlive the process (the retrieval index's folder and manifest).
        Order-independent (sorted N-Triples lines) and stable across blank-node ids (each blank
        node is written as a hash of its surroundings, see :func:`_canonical_bnode_lines`).
        Computed once per :attr:`version`; in-process caches compare :attr:`version` instead."""
        version, size = self._version, len(self.rdf)  # the size: a direct kg.rdf edit, at least
        if self._fingerprint is None or self._fingerprint[:2] != (version, size):
            known = getattr(self, "_known_triples", None)
            triples = known[1] if known is not None and known[0] == size else self._triples_digest().hexdigest()[:16]
            with_rules = triples
            if self._rules:
                digest = hashlib.sha256(triples.encode())
                for rule in self._rules:
                    digest.update(f"rule {_rule_line(rule)}\n".encode())
                with_rules = digest.hexdigest()[:16]
            self._fingerprint = (version, size, triples, with_rules)
        return self._fingerprint[3 if rules else 2]

    def assume_fingerprint(self, triples: str) -> None:
        """Take ``triples`` as :meth:`fingerprint` ``(rules=False)`` of the triples as they are now,
        without hashing them: the compiled-graph cache read them from a file it fingerprinted
        before (``kgreason.reasoning.cache``). Any change of the triples drops it."""
        self._fingerprint = None
        self._known_triples = (len(self.rdf), triples)

    def _triples_digest(self):
        digest = hashlib.sha256(b"kgreason graph fingerprint 2\n")
        ground: list[str] = []
        with_bnodes: list[Triple] = []
        for s, p, o in self.rdf:
            if isinstance(s, BNode) or isinstance(o, BNode):
                with_bnodes.append((s, p, o))
            else:
                ground.append(f"{s.n3()} {p.n3()} {o.n3()}\n")
        ground.sort()
        digest.update("".join(ground).encode("utf-8"))
        if with_bnodes:
            digest.update(b"bnodes\n")
            digest.update("".join(_canonical_bnode_lines(with_bnodes)).encode("utf-8"))
        return digest

    # ---------------------------------------------------------------- networkx
    def nx(self) -> nx.MultiDiGraph:
        """A NetworkX view: nodes are the graph's own IRI objects (shared, not copied), one edge per
        triple keyed by its predicate. Literal-valued triples (labels, data values) are left out —
        they are node attributes in spirit, reachable through :meth:`labels`. Built once, lazily.
        """
        if self._nx is None:
            import networkx as nx

            g = nx.MultiDiGraph()
            g.add_edges_from(
                (s, o, p) for s, p, o in self.rdf if not isinstance(o, Literal)
            )
            self._nx = g
        return self._nx

    def neighbourhood(self, nodes: Iterable[Node], radius: int = 1) -> nx.MultiDiGraph:
        """The sub-graph within ``radius`` hops (either direction) of ``nodes``."""
        g = self.nx()
        frontier = {n for n in nodes if n in g}
        seen = set(frontier)
        for _ in range(radius):
            nxt = set()
            for n in frontier:
                nxt.update(g.successors(n))
                nxt.update(g.predecessors(n))
            frontier = nxt - seen
            seen |= nxt
        return g.subgraph(seen)

    def __repr__(self) -> str:
        return f"KnowledgeGraph({len(self)} triples, sources={self.sources!r})"

    def summary(self) -> dict[str, Any]:
        from collections import Counter

        preds = Counter(p for _, p, _ in self.rdf)
        return {
            "sources": self.sources,
            "triples": len(self),
            "entities": len(self.entities()),
            "classes": len(self.classes()),
            "properties": len(self.properties()),
            "namespaces": self.namespaces,
            "top_predicates": [{"predicate": self.qname(p), "count": n} for p, n in preds.most_common(10)],
            "rules": len(self.rules),
            "issues": len(self.issues),
        }


class _RuleList(list):
    """``KnowledgeGraph.rules``: a list that tells its graph when it is edited."""

    def __init__(self, owner: KnowledgeGraph, rules: Iterable[Rule] = ()):
        super().__init__(rules)
        self._owner = owner

    def _changed(self) -> None:
        owner = getattr(self, "_owner", None)  # None while unpickling
        if owner is not None:
            owner._rules_changed()

    def __reduce_ex__(self, protocol):  # pickle (e.g. to worker processes) as a plain list
        return list, (list(self),)


def _mutator(name: str):
    method = getattr(list, name)

    def wrapper(self, *args, **kwargs):
        result = method(self, *args, **kwargs)
        self._changed()
        return result if name != "__iadd__" else self

    wrapper.__name__ = name
    return wrapper


for _name in ("append", "extend", "insert", "remove", "pop", "clear", "sort", "reverse",
              "__setitem__", "__delitem__", "__iadd__", "__imul__"):
    setattr(_RuleList, _name, _mutator(_name))


def _canonical_bnode_lines(triples: list[Triple]) -> list[str]:
    """The triples that hold a blank node as sorted N-Triples-like lines, each blank node written
    as a hash of its surroundings instead of its (arbitrary) id: colour refinement (1-dimensional
    Weisfeiler-Lehman), repeated until the colours split no further. Linear per round.

    Not rdflib.compare's canonical digest on purpose: that one individualizes and backtracks,
    and on 1,000 reified negative assertions (4,000 triples) it took 30 s, on 2,000 over 3 min;
    this takes milliseconds. The price: blank-node structures that colour refinement cannot tell
    apart (highly symmetric ones, e.g. one cycle of six identical blank nodes vs two of three)
    hash alike — harmless for a cache key of real graphs, where blank nodes hang off IRIs."""
    edges: dict[BNode, list[tuple[str, str, Node]]] = {}
    for s, p, o in triples:
        pn = p.n3()
        if isinstance(s, BNode):
            edges.setdefault(s, []).append(("out", pn, o))
        if isinstance(o, BNode):
            edges.setdefault(o, []).append(("in", pn, s))
    colour: dict[BNode, str] = dict.fromkeys(edges, "")
    classes = 1
    for _ in range(len(edges)):
        new: dict[BNode, str] = {}
        for b, incident in edges.items():
            signature = sorted(
                f"{d} {p} {'_:' + colour[x] if isinstance(x, BNode) else x.n3()}" for d, p, x in incident
            )
            text = colour[b] + "\n" + "\n".join(signature)
            new[b] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]
        colour = new
        count = len(set(colour.values()))
        if count == classes:  # stable: no class split this round
            break
        classes = count

    def term(x: Node) -> str:
        return "_:" + colour[x] if isinstance(x, BNode) else x.n3()

    return sorted(f"{term(s)} {p.n3()} {term(o)}\n" for s, p, o in triples)


def _rule_line(rule: Rule) -> str:
    """A rule as one stable line for the fingerprint: id, atoms (N3 terms), text."""

    def term(t) -> str:
        return t.n3() if hasattr(t, "n3") else f"?{getattr(t, 'name', t)}"

    def atoms(group) -> str:
        return " , ".join(("not " if a.negated else "") + " ".join(term(x) for x in a.terms())
                          for a in group)

    distinct = rule.meta.get("distinct", ()) if isinstance(rule.meta, dict) else ()
    return f"{rule.id}\t{atoms(rule.head)} :- {atoms(rule.body)}\t{distinct!r}\t{rule.text}"
