"""The OWL 2 RL datatype rules dt-type2, dt-eq, dt-diff and dt-not-type, generated from the
graph's literals (the rules quantify over literals, so they are written out per graph).

* dt-type2: ``lt a DT`` for each literal of a supported datatype DT whose lexical form is valid,
  and ``lt a DT2`` for each datatype DT2 that DT derives from (``xsd:integer`` → ``xsd:decimal``)
  and the graph names (a restriction's filler, a range ...); the other containing datatypes, and
  every literal's type when the graph names no datatype (W3C rdf-mt ``literal-type``), are
  answered when asked (:func:`literal_type`; ``Reasoner.holds``), never materialized;
* dt-not-type: ``not lt a DT`` for an ill-typed literal (``"abc"^^xsd:integer``), so a derived
  ``lt a DT`` (e.g. through ``rdfs:range xsd:integer``) is a clash with both proofs;
* dt-eq: ``lt1 owl:sameAs lt2`` for two literals with the same data value (``"1"^^xsd:integer``,
  ``"01"^^xsd:integer``);
* dt-diff: ``lt1 owl:differentFrom lt2`` for literals with different values — only among the
  values of functional properties and max-1 restrictions (where a sameAs between them can be
  derived; all pairs would be quadratic in the number of literals).

dt-type2 / dt-eq run only when the graph names a supported datatype (as a range, a restriction's
filler, a class ...). An ill-typed literal is a clash wherever it occurs (RDF 1.1 D-entailment):
``rdfD1`` types it with its datatype and dt-not-type denies that.
Each rule is one fact-rule per datatype (many heads, no body), so a proof step is
``dt-type2#n`` with no premises.
"""

from __future__ import annotations

from decimal import Decimal

from rdflib import OWL, RDF, RDFS, XSD, Literal
from rdflib.term import Node

from kgreason.core.rules import Atom, Rule

RDF_PLAIN = RDF.PlainLiteral
_INTEGER_RANGES = {
    XSD.nonNegativeInteger: (0, None),
    XSD.positiveInteger: (1, None),
    XSD.nonPositiveInteger: (None, 0),
    XSD.negativeInteger: (None, -1),
    XSD.long: (-(2**63), 2**63 - 1),
    XSD.int: (-(2**31), 2**31 - 1),
    XSD.short: (-(2**15), 2**15 - 1),
    XSD.byte: (-128, 127),
    XSD.unsignedLong: (0, 2**64 - 1),
    XSD.unsignedInt: (0, 2**32 - 1),
    XSD.unsignedShort: (0, 2**16 - 1),
    XSD.unsignedByte: (0, 255),
    XSD.integer: (None, None),
}
_NUMERIC = set(_INTEGER_RANGES) | {XSD.decimal, OWL.real, OWL.rational}
_STRINGS = {XSD.string, XSD.normalizedString, XSD.token, XSD.language, XSD.Name, XSD.NCName,
            XSD.NMTOKEN}

#: The datatypes of the OWL 2 RL profile (section 4.2 of the profiles document).
SUPPORTED = frozenset(
    _NUMERIC
    | _STRINGS
    | {RDF_PLAIN, RDF.XMLLiteral, RDFS.Literal, XSD.float, XSD.double, XSD.boolean,
       XSD.hexBinary, XSD.base64Binary, XSD.anyURI, XSD.dateTime, XSD.dateTimeStamp}
)


#: Each datatype's base type (XML Schema derivation, owl:rational ⊂ owl:real, xsd:string ⊂
#: rdf:PlainLiteral): the value space of a datatype is contained in its base type's.
_BASE = {
    XSD.integer: XSD.decimal, XSD.decimal: OWL.rational, OWL.rational: OWL.real,
    XSD.nonPositiveInteger: XSD.integer, XSD.negativeInteger: XSD.nonPositiveInteger,
    XSD.long: XSD.integer, XSD.int: XSD.long, XSD.short: XSD.int, XSD.byte: XSD.short,
    XSD.nonNegativeInteger: XSD.integer, XSD.positiveInteger: XSD.nonNegativeInteger,
    XSD.unsignedLong: XSD.nonNegativeInteger, XSD.unsignedInt: XSD.unsignedLong,
    XSD.unsignedShort: XSD.unsignedInt, XSD.unsignedByte: XSD.unsignedShort,
    XSD.normalizedString: XSD.string, XSD.token: XSD.normalizedString, XSD.language: XSD.token,
    XSD.NMTOKEN: XSD.token, XSD.Name: XSD.token, XSD.NCName: XSD.Name, XSD.string: RDF_PLAIN,
    XSD.dateTimeStamp: XSD.dateTime,
}

#: The proof step of a literal's type asked at query time (dt-type2, not materialized).
LITERAL_TYPE = "dt-type2"
LITERAL_TYPE_TEXT = ("a literal with a valid lexical form is an instance of its datatype and of "
                     "every datatype containing it (answered when asked)")


def containing(dt: Node | None) -> set[Node]:
    """``dt`` (a supported datatype) and the datatypes it derives from; empty otherwise."""
    out: set[Node] = set()
    while dt in SUPPORTED and dt not in out:
        out.add(dt)
        dt = _BASE.get(dt)
    return out


def literal_type(lit: Node, dt: Node) -> bool:
    """Is ``lit a dt`` true by dt-type2: a literal with a valid lexical form of a datatype
    that is ``dt`` or derives from it?"""
    return isinstance(lit, Literal) and dt in containing(lit.datatype) and valid(lit)


def valid(lit: Literal) -> bool:
    """Is the lexical form of ``lit`` in its datatype's lexical space (as far as rdflib can
    tell, plus the ranges of the bounded integer types)?"""
    if lit.datatype is None:
        return True
    if getattr(lit, "ill_typed", False):
        return False
    bounds = _INTEGER_RANGES.get(lit.datatype)
    if bounds is not None:
        try:
            value = int(str(lit).strip())
        except ValueError:
            return False
        low, high = bounds
        return (low is None or value >= low) and (high is None or value <= high)
    if lit.datatype in (XSD.decimal, OWL.real, OWL.rational):
        try:
            Decimal(str(lit).strip())
        except ArithmeticError:
            return False
    return True


def value_key(lit: Literal) -> tuple | None:
    """Equal keys ⇔ equal data values (None when the value cannot be compared)."""
    dt = lit.datatype
    if dt is None or dt in _STRINGS and not lit.language:
        return ("string", str(lit), lit.language)
    if not valid(lit):
        return None
    if dt in _NUMERIC:
        try:
            return ("number", Decimal(str(lit).strip()))
        except ArithmeticError:
            return None
    if dt in (XSD.float, XSD.double):
        try:
            return (str(dt), float(str(lit).strip()))
        except ValueError:
            return None
    if dt == XSD.boolean:
        return ("boolean", str(lit).strip() in ("true", "1"))
    value = lit.value
    return (str(dt), value if value is not None else str(lit))


_CARDINALITIES = (OWL.maxCardinality, OWL.minCardinality, OWL.cardinality,
                  OWL.maxQualifiedCardinality, OWL.minQualifiedCardinality, OWL.qualifiedCardinality)


def _mentioned_datatypes(graph) -> set[Node]:
    return {dt for dt in SUPPORTED if next(iter(graph.triples((None, None, dt))), None) is not None
            or next(iter(graph.triples((dt, None, None))), None) is not None}


def _fact_rule(rid: str, w3c: str, heads: list[Atom], note: str) -> Rule:
    return Rule(rid, tuple(heads), (), f"[{rid}] {note}", "<owl-rl>", {"w3c": w3c, "generated": True})


def datatype_rules(graph, namespaces: dict[str, str] | None = None, terms=None) -> list[Rule]:
    """The dt-* rules for ``graph``'s literals; ``terms``: the graph's distinct terms when the
    caller has them (the reasoner's interned terms: much cheaper than scanning every triple)."""
    out: list[Rule] = []
    n = {"dt-type2": 0, "dt-not-type": 0, "dt-eq": 0, "dt-diff": 0, "rdfD1": 0}

    def rid(w3c: str) -> str:
        n[w3c] += 1
        return f"{w3c}#{n[w3c]}"

    # ill-typed literals are a clash wherever they occur (RDF 1.1 D-entailment): rdfD1 types
    # the literal with its datatype, dt-not-type denies it; the other rules only run when the
    # graph names a datatype
    mentioned = _mentioned_datatypes(graph)
    mentions = bool(mentioned)
    candidates = terms if terms is not None else graph.objects()
    literals = {o for o in candidates if isinstance(o, Literal) and (mentions or o.datatype is not None)}
    typed: dict[Node, list[Atom]] = {}
    ill: dict[Node, list[Literal]] = {}
    by_value: dict[tuple, list[Literal]] = {}
    # the numbers of cardinality restrictions are schema, not data: left out of dt-eq
    schema = {o for p in _CARDINALITIES for o in graph.objects(None, p)} if mentions else set()
    for lit in literals:  # (heads are sorted below: the rules do not depend on set order)
        dt = lit.datatype
        if dt is not None and dt in SUPPORTED:
            if not valid(lit):
                ill.setdefault(dt, []).append(lit)
                continue
            if mentions:  # its datatype, and those containing it that the graph names
                types = {dt} | (containing(dt) & mentioned)
                typed.setdefault(dt, []).extend(Atom(lit, RDF.type, t) for t in types)
        if mentions and lit not in schema and (key := value_key(lit)) is not None:
            by_value.setdefault(key, []).append(lit)
    for dt, heads in sorted(typed.items()):
        heads.sort(key=lambda a: (str(a.s), str(a.s.datatype), str(a.o)))
        out.append(_fact_rule(rid("dt-type2"), "dt-type2", heads,
                              f"a literal with a valid lexical form of {dt.n3()} is an instance of it "
                              "(and of the datatypes containing it that the graph names)"))
    for dt, lits in sorted(ill.items()):
        lits.sort()
        out.append(_fact_rule(rid("rdfD1"), "rdfD1", [Atom(lit, RDF.type, dt) for lit in lits],
                              f"a literal written with datatype {dt.n3()} claims to be of that type"))
        out.append(_fact_rule(rid("dt-not-type"), "dt-not-type", [Atom(lit, RDF.type, dt, True) for lit in lits],
                              f"a literal whose lexical form is not valid for {dt.n3()} is not an instance of it"))
    if mentions:
        eq = [Atom(a, OWL.sameAs, b) for lits in by_value.values() if len(lits) > 1
              for i, a in enumerate(sorted(lits)) for b in sorted(lits)[i + 1:]]
        eq.sort(key=lambda a: (str(a.s), str(a.o)))
        eq += [Atom(b, OWL.sameAs, a) for a0 in eq for a, b in [(a0.s, a0.o)]]
        if eq:
            out.append(_fact_rule(rid("dt-eq"), "dt-eq", eq,
                                  "two literals with the same data value are the same"))
    functional = set(graph.subjects(RDF.type, OWL.FunctionalProperty))
    functional |= {p for x, _ in graph.subject_objects(OWL.maxCardinality)
                   for p in graph.objects(x, OWL.onProperty)}
    diff: list[Atom] = []
    for p in sorted(functional):
        by_subject: dict[Node, list[Literal]] = {}
        for s, o in graph.subject_objects(p):
            if isinstance(o, Literal):
                by_subject.setdefault(s, []).append(o)
        for lits in by_subject.values():
            lits = sorted(set(lits))[:200]
            for i, a in enumerate(lits):
                for b in lits[i + 1:]:
                    ka, kb = value_key(a), value_key(b)
                    if ka is not None and kb is not None and ka != kb:
                        diff.append(Atom(a, OWL.differentFrom, b))
    if diff:
        out.append(_fact_rule(rid("dt-diff"), "dt-diff", diff,
                              "two literals with different data values are different"))
    return out
