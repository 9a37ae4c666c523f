"""The ``kgr:`` vocabulary (see graphs/README.md) and the label properties we read."""

from __future__ import annotations

import re

from rdflib import OWL, RDF, RDFS, SKOS, Namespace
from rdflib.term import Node, URIRef

KGR = Namespace("https://w3id.org/kgreason#")

#: Default base namespace for entities created from text (English graphs, CSV labels, GraphML ids).
EX = Namespace("https://w3id.org/kgreason/entity#")
#: The one prefix of :data:`EX`, bound by every loader that mints names in it (English, CSV/TSV,
#: GraphML, node-link JSON), so ``ex:Apple`` means the same in a query whatever the source was.
EX_PREFIX = "ex"

#: Label properties in order of preference for the display label.
LABEL_PREDICATES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, SKOS.altLabel)

STANDARD_PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "skos": SKOS,
    "kgr": KGR,
}

_VOCABULARY = tuple(str(ns) for ns in STANDARD_PREFIXES.values())


def is_vocabulary(node: Node) -> bool:
    """A term of the RDF / RDFS / OWL / SKOS / kgr: vocabularies (a modelling term, not a thing
    the graph is about): never an answer, a stand-in or a description."""
    return str(node).startswith(_VOCABULARY)


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

#: ``C a kgr:MassNoun``: class C is named by a mass (uncountable) noun: "glass is transparent", not
#: "glasses are transparent". Used by verbalization only (``language.verbalize.is_mass_noun``).
MASS_NOUN = KGR.MassNoun

#: Predicate phrases that mean standard RDF terms when a table or GraphML edge names them in words.
PREDICATE_ALIASES: dict[str, URIRef] = {
    "a": RDF.type,
    "is a": RDF.type,
    "is an": RDF.type,
    "type": RDF.type,
    "instance of": RDF.type,
    "is an instance of": RDF.type,
    "subclass of": RDFS.subClassOf,
    "is a subclass of": RDFS.subClassOf,
    "is a kind of": RDFS.subClassOf,
    "kind of": RDFS.subClassOf,
    "is a type of": RDFS.subClassOf,
    "subproperty of": RDFS.subPropertyOf,
    "label": RDFS.label,
    "same as": OWL.sameAs,
    "negation of": KGR.negationOf,
}


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)


def entity_iri(label: str, namespace: Namespace = EX) -> URIRef:
    """``"apple tree"`` → ``ex:AppleTree``: the IRI a plain-text entity label gets (UpperCamelCase,
    so :func:`fallback_label` turns it back into the words)."""
    words = _words(label)
    if not words:
        from urllib.parse import quote

        return URIRef(str(namespace) + quote(label.strip(), safe=""))
    return URIRef(str(namespace) + "".join(w[:1].upper() + w[1:] for w in words))


def property_iri(label: str, namespace: Namespace = EX) -> URIRef:
    """``"can be"`` → ``ex:canBe``: the IRI a plain-text predicate label gets (lowerCamelCase)."""
    iri = str(entity_iri(label, namespace))
    local = iri[len(str(namespace)):]
    return URIRef(str(namespace) + local[:1].lower() + local[1:])

#: WordNet import (``kgreason graph import-wordnet``): synsets ``wn:apple.n.01`` (NLTK-style names:
#: first lemma, part of speech, sense number) and the relation properties (``wn:hasPart``, ...).
WN = Namespace("https://w3id.org/kgreason/wordnet#")
