"""Terms written by people in tables and GraphML: IRIs, prefixed names, literals or plain labels.

Shared by the CSV/TSV and NetworkX loaders so both read ``apple``, ``ex:Apple`` and
``<https://…/Apple>`` the same way. A plain label becomes an IRI in :data:`~kgreason.graph.vocab.EX`
(``apple tree`` → ``ex:AppleTree``, ``can be`` → ``ex:canBe``) and keeps its text as rdfs:label;
the usual phrases for RDF terms (``is a`` → rdf:type, ``is a kind of`` → rdfs:subClassOf) map to them.
"""

from __future__ import annotations

import re

from rdflib import RDFS, XSD, BNode, Literal, URIRef
from rdflib.term import Node

from kgreason.errors import InputError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import (
    EX,
    EX_PREFIX,
    LABEL_PREDICATES,
    PREDICATE_ALIASES,
    entity_iri,
    property_iri,
)

_PREFIXED = re.compile(r"^([A-Za-z][\w\-.]*)?:([^\s:/][^\s]*)?$")
_IRI_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:(//|[^\s]*$)")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?\d*\.\d+$")
_DOUBLE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+$")
_LITERAL_OBJECT = {*LABEL_PREDICATES, RDFS.comment}
#: Characters an IRI may not hold (RFC 3987); rdflib accepts them and fails only when writing.
_BAD_IRI_CHAR = re.compile(r'[\x00-\x20<>"{}|\\^`]')
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


def checked_iri(value: str, text: str) -> URIRef:
    """``value`` as an IRI; an InputError (the caller adds the file position) if it holds a
    character no IRI may hold, so a bad cell fails at load, not when the graph is written."""
    if not _HAS_SCHEME.match(value):  # "<a>", "<>": no base to resolve against in a table
        raise InputError(
            f"relative IRI {text!r}: an IRI in a cell needs a scheme",
            hint="write a full IRI (e.g. <https://example.org/a>), a prefixed name, or a plain label",
        )
    bad = _BAD_IRI_CHAR.search(value)
    if bad:
        char = bad.group()
        shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
        raise InputError(
            f"invalid IRI in {text!r}: {shown} is not allowed in an IRI",
            hint=f"percent-encode it (e.g. %{ord(char):02X}) or write a plain label instead of an IRI",
        )
    return URIRef(value)


class TermReader:
    """Turns cells into rdflib terms against ``kg``'s prefixes, adding labels for plain words.

    ``namespace`` is where plain labels go (default :data:`EX`). Raises :class:`InputError` for a
    prefixed name whose prefix the graph does not know (the caller adds the file position).
    """

    def __init__(self, kg: KnowledgeGraph, namespace: str = str(EX)):
        self.kg = kg
        self.namespace = namespace
        self._prefixes = {prefix: str(ns) for prefix, ns in kg.rdf.namespaces()}
        self._prefixes.setdefault("xsd", str(XSD))
        if EX_PREFIX not in self._prefixes:
            kg.rdf.bind(EX_PREFIX, namespace)
            self._prefixes[EX_PREFIX] = namespace

    def node(self, text: str, *, predicate: bool = False, subject: bool = False) -> Node:
        """An entity (or, with ``predicate=True``, a property) named by ``text``. A predicate is
        an IRI and a subject is not a literal (RDF's rules; a graph breaking them could be loaded
        but not written in any RDF syntax): an InputError otherwise."""
        term = self._term(text, predicate)
        if predicate and not isinstance(term, URIRef):
            kind = "a blank node" if isinstance(term, BNode) else "a literal"
            raise InputError(
                f"{text.strip()!r} is {kind}: a predicate must be an IRI",
                hint="name the predicate with a label (can be), a prefixed name (ex:canBe) or an <IRI>",
            )
        if subject and isinstance(term, Literal):
            raise InputError(
                f"{text.strip()!r} is a literal: a subject must be an IRI or a blank node",
                hint="put literals in the object column; name the subject with a label, a prefixed name or an <IRI>",
            )
        return term

    def _term(self, text: str, predicate: bool) -> Node:
        text = text.strip()
        if not text:
            raise InputError("empty cell", hint="every subject, predicate and object needs a value")
        if predicate:
            alias = PREDICATE_ALIASES.get(" ".join(text.lower().split()))
            if alias is not None:
                return alias
        if text.startswith("<") and text.endswith(">"):
            return checked_iri(text[1:-1], text)
        if text.startswith("_:") and len(text) > 2:
            return BNode(text[2:])
        if text.startswith('"'):
            from rdflib.util import from_n3

            try:
                return from_n3(text)
            except Exception as exc:  # noqa: BLE001 - from_n3 raises many types
                raise InputError(f"cannot read literal {text}: {exc}") from None
        if " " not in text and ":" in text:
            prefix, _, local = text.partition(":")
            if prefix in self._prefixes and not local.startswith("//"):
                return checked_iri(self._prefixes[prefix] + local, text)
            if _IRI_SCHEME.match(text) and ("://" in text or prefix in ("urn", "mailto", "tag")):
                return checked_iri(text, text)
            if _PREFIXED.match(text):
                known = ", ".join(sorted(p for p in self._prefixes if p))
                raise InputError(
                    f"unknown prefix {prefix!r} in {text!r}",
                    hint=f"use a known prefix ({known}), a full <IRI>, or a plain label without ':'",
                )
        iri = property_iri(text, self.namespace) if predicate else entity_iri(text, self.namespace)
        self.kg.rdf.add((iri, RDFS.label, Literal(text)))
        return iri

    def obj(self, text: str, predicate: Node) -> Node:
        """The object cell: a literal for label-like predicates and for numbers (``0.2`` →
        xsd:decimal, ``3`` → xsd:integer), else like :meth:`node`."""
        text = text.strip()
        if predicate in _LITERAL_OBJECT and not text.startswith(("<", '"')):
            return Literal(text)
        if _INTEGER.match(text):
            return Literal(text, datatype=XSD.integer)
        if _DECIMAL.match(text):
            return Literal(text, datatype=XSD.decimal)
        if _DOUBLE.match(text):
            return Literal(text, datatype=XSD.double)
        return self.node(text)


#: One term of a triple written on a line: a quoted literal (with a language or datatype), <IRI>,
#: or anything else up to white space (a prefixed name).
_TRIPLE_TERM = re.compile(r'"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^\S+)?|<[^>]*>|\S+')


def triple_terms(text: str, *, what: str = "--triple") -> list[str]:
    """The three terms of ``text`` ("ex:Apple ex:canBe ex:EatenRaw"), for ``kg.resolve``; an
    InputError naming ``what`` (the option or field it came from) unless there are three."""
    parts = _TRIPLE_TERM.findall(text)
    if len(parts) != 3:
        example = (f'{what} "ex:Apple ex:canBe ex:EatenRaw"' if what.startswith("-")
                   else f'{{"{what}": "ex:Apple ex:canBe ex:EatenRaw"}}')
        raise InputError(f"{what} needs 3 terms (subject predicate object), got {len(parts)}",
                         hint=f"e.g. {example}")
    return parts
