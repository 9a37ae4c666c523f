"""The ``kgr:`` vocabulary (see graphs/README.md) and the label properties we read."""

from __future__ import annotations

import re

from rdflib import OWL, RDF, RDFS, SKOS, Namespace
from rdflib.term import Node, URIRef

KGR = Namespace("https://w3id.org/kgreason#")

#: Default base namespace for entities created from text (English graphs, CSV labels, GraphML ids).
EX = Namespace("https://w3id.org/kgreason/entity#")

#: Label properties in order of preference for the display label.
LABEL_PREDICATES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, SKOS.altLabel)

STANDARD_PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "kgr": KGR,
}

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def local_name(node: Node) -> str:
    """The part of an IRI after the last ``#``, ``/`` or ``:``."""
    text = str(node)
    for sep in ("#", "/", ":"):
        if sep in text:
            text = text.rsplit(sep, 1)[1] or text
    return text


def humanize(name: str) -> str:
    """``EatenRaw`` → ``eaten raw``; ``has_part`` → ``has part``; keeps acronyms (``DNA``)."""
    words = []
    for chunk in re.split(r"[_\-\s.]+", name):
        if not chunk:
            continue
        for word in _CAMEL.split(chunk):
            words.append(word if word.isupper() and len(word) > 1 else word.lower())
    return " ".join(words)


def fallback_label(node: Node) -> str:
    """A readable label for a node that has none: its IRI's local name, humanized."""
    if isinstance(node, URIRef):
        return humanize(local_name(node)) or str(node)
    return str(node)

#: ``C a kgr:Attribute``: class C is named by an adjective ("cold", "red"): "Bob is cold", not
#: "Bob is a cold". Used by verbalization; the English loader marks the classes it creates this way.
ATTRIBUTE = KGR.Attribute
