"""What gets indexed: facts as short sentences, and entities/properties by their labels.

A fact is an asserted triple that says something about the world ("apple is a kind of fruit",
"penguin cannot fly"); vocabulary bookkeeping (labels, comments, domains, ``X a owl:Class``,
``N kgr:negationOf P``) is not evidence and stays out. Triples are stored by their N3 forms,
which are exact, JSON-safe and parse back with rdflib.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from rdflib import OWL, RDF, RDFS, SKOS, XSD, BNode, Namespace
from rdflib.term import Node, URIRef
from rdflib.util import from_n3

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import KGR, LABEL_PREDICATES
from kgreason.language.verbalize import class_phrase, verbalize

TripleKey = tuple[str, str, str]

#: Bumped whenever what is indexed or how it is worded changes: older indexes count as stale.
FACTS_VERSION = 4

_DC = Namespace("http://purl.org/dc/elements/1.1/")
_DCTERMS = Namespace("http://purl.org/dc/terms/")
#: Namespaces whose terms are vocabulary, not things a question is about.
VOCAB_NAMESPACES = tuple(str(ns) for ns in (RDF, RDFS, OWL, SKOS, XSD, KGR, _DC, _DCTERMS))
#: RDF/RDFS/OWL predicates that do state a fact worth retrieving.
FACT_VOCAB_PREDICATES = frozenset(
    {RDF.type, RDFS.subClassOf, RDFS.subPropertyOf, RDFS.domain, RDFS.range, OWL.disjointWith,
     OWL.equivalentClass, OWL.sameAs}
)
_NPA_PARTS = (OWL.sourceIndividual, OWL.assertionProperty, OWL.targetIndividual, OWL.targetValue)


def is_vocabulary(node: Node) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(VOCAB_NAMESPACES)


def triple_key(triple: tuple[Node, Node, Node]) -> TripleKey:
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


def key_to_triple(key: Iterable[str]) -> tuple[Node, Node, Node]:
    s, p, o = (from_n3(x) for x in key)
    return s, p, o


@dataclass(frozen=True)
class FactRecord:
    """One indexed fact: ``negated`` means the text states "not (s p o)" (an
    owl:NegativePropertyAssertion); negative properties (``kgr:negationOf``) are ordinary triples."""

    key: TripleKey
    text: str
    inferred: bool = False
    negated: bool = False

    def to_json(self) -> dict:
        return {"text": self.text, "triple": list(self.key), "inferred": self.inferred, "negated": self.negated}

    @classmethod
    def from_json(cls, data: dict) -> FactRecord:
        return cls(tuple(data["triple"]), data["text"], bool(data["inferred"]), bool(data["negated"]))

    @property
    def identity(self) -> tuple[TripleKey, bool]:
        return self.key, self.negated


@dataclass(frozen=True)
class LabelRecord:
    """One label of one node: entities, classes and properties are linked by these."""

    node: str  # N3
    text: str
    kind: str  # "entity" | "property"

    def to_json(self) -> dict:
        return {"node": self.node, "text": self.text, "kind": self.kind}

    @classmethod
    def from_json(cls, data: dict) -> LabelRecord:
        return cls(data["node"], data["text"], data["kind"])


def is_fact(triple: tuple[Node, Node, Node]) -> bool:
    """True for triples that state something about the world (see module docstring)."""
    s, p, o = triple
    if isinstance(s, BNode) or isinstance(o, BNode):
        return False  # blank-node structures (lists, restrictions, negative assertions) are handled apart
    if p in LABEL_PREDICATES:
        return False
    if is_vocabulary(p) and p not in FACT_VOCAB_PREDICATES:
        return False
    if p == RDF.type and is_vocabulary(o):
        return False
    return not is_vocabulary(s)


def negative_assertions(kg: KnowledgeGraph) -> Iterator[tuple[Node, Node, Node]]:
    """owl:NegativePropertyAssertion blank nodes as (source, property, target) triples."""
    for npa in kg.rdf.subjects(RDF.type, OWL.NegativePropertyAssertion):
        s = kg.rdf.value(npa, OWL.sourceIndividual)
        p = kg.rdf.value(npa, OWL.assertionProperty)
        o = kg.rdf.value(npa, OWL.targetIndividual) or kg.rdf.value(npa, OWL.targetValue)
        if s is not None and p is not None and o is not None:
            yield s, p, o


def fact_text(kg: KnowledgeGraph, triple: tuple[Node, Node, Node]) -> str:
    """The sentence for a fact: :func:`verbalize`, plus domain and range, which it does not cover
    ("if X has a pet Y then X is a human")."""
    s, p, o = triple
    if p == RDFS.domain:
        return f"if X {kg.label(s)} Y then X is {class_phrase(kg, o)}"
    if p == RDFS.range:
        return f"if X {kg.label(s)} Y then Y is {class_phrase(kg, o)}"
    return verbalize(kg, triple)


def collect_facts(kg: KnowledgeGraph, reasoner=None) -> list[FactRecord]:
    """Every asserted fact (and, with ``reasoner``, every inferred one) verbalized, in a stable
    order (sorted by key) so builds are reproducible."""
    records: dict[tuple[TripleKey, bool], FactRecord] = {}
    for triple in kg.triples():
        if is_fact(triple):
            rec = FactRecord(triple_key(triple), fact_text(kg, triple))
            records[rec.identity] = rec
    for triple in negative_assertions(kg):
        rec = FactRecord(triple_key(triple), verbalize(kg, triple, negated=True), negated=True)
        records[rec.identity] = rec
    if reasoner is not None:
        for triple in reasoner.inferred_triples():
            if not is_fact(triple):
                continue
            key = triple_key(triple)
            if (key, False) not in records:  # asserted wins over inferred
                records[(key, False)] = FactRecord(key, fact_text(kg, triple), inferred=True)
    return [records[k] for k in sorted(records)]


def collect_labels(kg: KnowledgeGraph) -> list[LabelRecord]:
    """Every label of every entity, class and property (vocabulary terms and blank nodes aside)."""
    properties = {p for p in kg.properties() if not is_vocabulary(p)}
    nodes = {n for n in kg.entities() if isinstance(n, URIRef) and not is_vocabulary(n)}
    records: list[LabelRecord] = []
    for kind, group in (("entity", nodes), ("property", properties)):
        for node in sorted(group, key=str):
            n3 = node.n3()
            for text in kg.labels(node):
                if text.strip():
                    records.append(LabelRecord(n3, text.strip(), kind))
    return records


def rules_fingerprint(reasoner) -> str | None:
    """Inferred facts depend on the rules and the world assumption, not only on the triples."""
    if reasoner is None:
        return None
    rules = getattr(reasoner, "rules", None) or []
    digest = hashlib.sha256()
    for rule in sorted(f"{getattr(r, 'id', '')}:{getattr(r, 'text', '') or r!r}" for r in rules):
        digest.update(rule.encode())
        digest.update(b"\n")
    digest.update(f"closed_world={getattr(reasoner, 'closed_world', False)}".encode())
    return digest.hexdigest()[:16]


__all__ = [
    "FactRecord",
    "LabelRecord",
    "collect_facts",
    "collect_labels",
    "is_fact",
    "key_to_triple",
    "rules_fingerprint",
    "triple_key",
]
