"""The OWL 2 RL/RDF rule tables (W3C "OWL 2 Profiles", section 4.3) beyond RDFS.

Three kinds of rules, all run by the same compiled engine and shown in proofs under their W3C id:

* fixed rules (``OWL_RL_RULES_TEXT``), written in the rule syntax like the RDFS ones;
* rules over RDF lists of any length (``owl:intersectionOf``, ``owl:unionOf``, ``owl:oneOf``,
  ``owl:propertyChainAxiom``, ``owl:hasKey``, ``owl:AllDisjointClasses``,
  ``owl:AllDisjointProperties``, ``owl:AllDifferent``) and the cardinality rules (whose ``0`` / ``1``
  may be written with any numeric datatype): :func:`graph_rules` reads each such axiom in the
  asserted graph and writes one concrete rule for it, id ``<w3c-id>#<n>``, whose body starts with the
  axiom's own triple(s) and whose text names the list's members;
* the datatype rules dt-* (``datatypes.py``).

A clash (a W3C rule whose head is ``false``) is written as a rule deriving a negative fact: the
clash is then a fact and its negation, both with proofs (``Reasoner.contradictions``). E.g. prp-irp
derives ``not x p x`` for every x with a p-value, which clashes with ``x p x``.

Not materialized (tautologies the W3C tables list, which only add reflexive or axiomatic triples):
eq-ref, prp-ap, cls-thing, cls-nothing1, scm-cls, scm-op, scm-dp, dt-type1 (see ``W3C_RULES``) —
they are query-time rules (``builtin_rules.QUERY_TIME_RULES_TEXT``): ``holds`` answers them when
asked, with the W3C id in the proof, under every strategy.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rdflib import OWL, RDF, RDFS, BNode, Literal
from rdflib.term import Node

from kgreason.core.rules import Atom, Rule, Var
from kgreason.reasoning.rule_parser import term_text

log = logging.getLogger(__name__)

OWL_RL_RULES_TEXT = """
# --- equality: clash
[eq-diff1] not ?x owl:sameAs ?y :- ?x owl:differentFrom ?y .
# --- property axioms: clashes
[prp-irp]  not ?x ?p ?x :- ?p a owl:IrreflexiveProperty, ?x ?p ?y .
[prp-asyp] not ?y ?p ?x :- ?p a owl:AsymmetricProperty, ?x ?p ?y .
[prp-pdw]  not ?x ?q ?y :- ?p owl:propertyDisjointWith ?q, ?x ?p ?y .
[prp-pdw-rev] not ?x ?p ?y :- ?p owl:propertyDisjointWith ?q, ?x ?q ?y .
# --- class expressions
[cls-nothing2] not ?x a owl:Nothing :- ?x a owl:Nothing .
[cls-com]  not ?x a ?d :- ?c owl:complementOf ?d, ?x a ?c .
[cls-com-rev] not ?x a ?c :- ?c owl:complementOf ?d, ?x a ?d .
[cls-svf1] ?u a ?x :- ?x owl:someValuesFrom ?y, ?x owl:onProperty ?p, ?u ?p ?v, ?v a ?y .
[cls-svf2] ?u a ?x :- ?x owl:someValuesFrom owl:Thing, ?x owl:onProperty ?p, ?u ?p ?v .
[cls-avf]  ?v a ?y :- ?x owl:allValuesFrom ?y, ?x owl:onProperty ?p, ?u a ?x, ?u ?p ?v .
[cls-hv1]  ?u ?p ?y :- ?x owl:hasValue ?y, ?x owl:onProperty ?p, ?u a ?x .
[cls-hv2]  ?u a ?x :- ?x owl:hasValue ?y, ?x owl:onProperty ?p, ?u ?p ?y .
# --- negative facts through restrictions (contrapositives of cls-hv2 and cls-svf1; kgr: ids)
[kgr-neg-hv]  not ?u ?p ?y :- ?x owl:hasValue ?y, ?x owl:onProperty ?p, not ?u a ?x .
[kgr-neg-svf] not ?v a ?y :- ?x owl:someValuesFrom ?y, ?x owl:onProperty ?p, not ?u a ?x, ?u ?p ?v .
# --- schema rules on restrictions (the -cls / -op / -dp variants are the W3C rule where the
# subclass or subproperty premise is the reflexive one that scm-cls / scm-op / scm-dp give for a
# declared class or property; those reflexive triples themselves are not materialized)
[scm-hv]   ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:hasValue ?i, ?c1 owl:onProperty ?p1, ?c2 owl:hasValue ?i, ?c2 owl:onProperty ?p2, ?p1 rdfs:subPropertyOf ?p2 .
[scm-hv-op] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:hasValue ?i, ?c1 owl:onProperty ?p, ?c2 owl:hasValue ?i, ?c2 owl:onProperty ?p, ?p a owl:ObjectProperty .
[scm-hv-dp] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:hasValue ?i, ?c1 owl:onProperty ?p, ?c2 owl:hasValue ?i, ?c2 owl:onProperty ?p, ?p a owl:DatatypeProperty .
[scm-svf1] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:someValuesFrom ?y1, ?c1 owl:onProperty ?p, ?c2 owl:someValuesFrom ?y2, ?c2 owl:onProperty ?p, ?y1 rdfs:subClassOf ?y2 .
[scm-svf1-cls] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:someValuesFrom ?y, ?c1 owl:onProperty ?p, ?c2 owl:someValuesFrom ?y, ?c2 owl:onProperty ?p, ?y a owl:Class .
[scm-svf2] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:someValuesFrom ?y, ?c1 owl:onProperty ?p1, ?c2 owl:someValuesFrom ?y, ?c2 owl:onProperty ?p2, ?p1 rdfs:subPropertyOf ?p2 .
[scm-svf2-op] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:someValuesFrom ?y, ?c1 owl:onProperty ?p, ?c2 owl:someValuesFrom ?y, ?c2 owl:onProperty ?p, ?p a owl:ObjectProperty .
[scm-svf2-dp] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:someValuesFrom ?y, ?c1 owl:onProperty ?p, ?c2 owl:someValuesFrom ?y, ?c2 owl:onProperty ?p, ?p a owl:DatatypeProperty .
[scm-avf1] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:allValuesFrom ?y1, ?c1 owl:onProperty ?p, ?c2 owl:allValuesFrom ?y2, ?c2 owl:onProperty ?p, ?y1 rdfs:subClassOf ?y2 .
[scm-avf1-cls] ?c1 rdfs:subClassOf ?c2 :- ?c1 owl:allValuesFrom ?y, ?c1 owl:onProperty ?p, ?c2 owl:allValuesFrom ?y, ?c2 owl:onProperty ?p, ?y a owl:Class .
[scm-avf2-op] ?c2 rdfs:subClassOf ?c1 :- ?c1 owl:allValuesFrom ?y, ?c1 owl:onProperty ?p, ?c2 owl:allValuesFrom ?y, ?c2 owl:onProperty ?p, ?p a owl:ObjectProperty .
[scm-avf2-dp] ?c2 rdfs:subClassOf ?c1 :- ?c1 owl:allValuesFrom ?y, ?c1 owl:onProperty ?p, ?c2 owl:allValuesFrom ?y, ?c2 owl:onProperty ?p, ?p a owl:DatatypeProperty .
[scm-avf2] ?c2 rdfs:subClassOf ?c1 :- ?c1 owl:allValuesFrom ?y, ?c1 owl:onProperty ?p1, ?c2 owl:allValuesFrom ?y, ?c2 owl:onProperty ?p2, ?p1 rdfs:subPropertyOf ?p2 .
"""

#: Variable pairs that must differ in the fixed OWL rules (no reflexive subClassOf from the
#: -same variants, as scm-cls is not materialized).
OWL_DISTINCT: dict[str, tuple[tuple[str, str], ...]] = {
    rid: (("c1", "c2"),)
    for rid in ("scm-hv", "scm-hv-op", "scm-hv-dp", "scm-svf1", "scm-svf1-cls", "scm-svf2",
                "scm-svf2-op", "scm-svf2-dp", "scm-avf1", "scm-avf1-cls", "scm-avf2", "scm-avf2-op",
                "scm-avf2-dp")
}

#: Every rule of the W3C tables: id → (table, how kgreason runs it). "rule": a fixed rule of that id
#: (the ``-rev`` / ``-cls`` / ``-op`` / ``-dp`` variants carry the same W3C id); "as <id>": the same rule under its
#: RDFS name; "per axiom": generated for each list/cardinality axiom of the graph (id ``<w3c>#n``);
#: "per literal": datatype rules generated from the graph's literals; "not materialized": a
#: tautology (reflexive or axiomatic triples only).
W3C_RULES: dict[str, tuple[str, str]] = {
    "eq-ref": ("equality", "not materialized (reflexive owl:sameAs; answered when asked)"),
    "eq-sym": ("equality", "rule"),
    "eq-trans": ("equality", "rule"),
    "eq-rep-s": ("equality", "rule"),
    "eq-rep-p": ("equality", "rule"),
    "eq-rep-o": ("equality", "rule"),
    "eq-diff1": ("equality", "rule (clash)"),
    "eq-diff2": ("equality", "per axiom (clash)"),
    "eq-diff3": ("equality", "per axiom (clash)"),
    "prp-ap": ("properties", "not materialized (axiomatic; answered when asked)"),
    "prp-dom": ("properties", "as rdfs2"),
    "prp-rng": ("properties", "as rdfs3"),
    "prp-fp": ("properties", "rule"),
    "prp-ifp": ("properties", "rule"),
    "prp-irp": ("properties", "rule (clash)"),
    "prp-symp": ("properties", "rule"),
    "prp-asyp": ("properties", "rule (clash)"),
    "prp-trp": ("properties", "rule"),
    "prp-spo1": ("properties", "as rdfs7"),
    "prp-spo2": ("properties", "per axiom"),
    "prp-eqp1": ("properties", "rule"),
    "prp-eqp2": ("properties", "rule"),
    "prp-pdw": ("properties", "rule (clash)"),
    "prp-adp": ("properties", "per axiom (clash)"),
    "prp-inv1": ("properties", "rule"),
    "prp-inv2": ("properties", "rule"),
    "prp-key": ("properties", "per axiom"),
    "prp-npa1": ("properties", "rule (clash)"),
    "prp-npa2": ("properties", "rule (clash)"),
    "cls-thing": ("classes", "not materialized (axiomatic; answered when asked)"),
    "cls-nothing1": ("classes", "not materialized (axiomatic; answered when asked)"),
    "cls-nothing2": ("classes", "rule (clash)"),
    "cls-int1": ("classes", "per axiom"),
    "cls-int2": ("classes", "per axiom"),
    "cls-uni": ("classes", "per axiom"),
    "cls-com": ("classes", "rule (clash)"),
    "cls-svf1": ("classes", "rule"),
    "cls-svf2": ("classes", "rule"),
    "cls-avf": ("classes", "rule"),
    "cls-hv1": ("classes", "rule"),
    "cls-hv2": ("classes", "rule"),
    "cls-maxc1": ("classes", "per axiom (clash)"),
    "cls-maxc2": ("classes", "per axiom"),
    "cls-maxqc1": ("classes", "per axiom (clash)"),
    "cls-maxqc2": ("classes", "per axiom (clash)"),
    "cls-maxqc3": ("classes", "per axiom"),
    "cls-maxqc4": ("classes", "per axiom"),
    "cls-oo": ("classes", "per axiom"),
    "cax-sco": ("class axioms", "as rdfs9"),
    "cax-eqc1": ("class axioms", "rule"),
    "cax-eqc2": ("class axioms", "rule"),
    "cax-dw": ("class axioms", "rule (clash)"),
    "cax-adc": ("class axioms", "per axiom (clash)"),
    "dt-type1": ("datatypes", "not materialized (axiomatic; answered when asked)"),
    "dt-type2": ("datatypes", "per literal (datatypes the graph names; any other answered when asked)"),
    "dt-eq": ("datatypes", "per literal"),
    "dt-diff": ("datatypes", "per literal (values of functional properties)"),
    "dt-not-type": ("datatypes", "per literal (clash)"),
    "scm-cls": ("schema", "not materialized (reflexive / owl:Thing; answered when asked)"),
    "scm-sco": ("schema", "as rdfs11"),
    "scm-eqc1": ("schema", "rule"),
    "scm-eqc2": ("schema", "rule"),
    "scm-op": ("schema", "not materialized (reflexive; answered when asked)"),
    "scm-dp": ("schema", "not materialized (reflexive; answered when asked)"),
    "scm-spo": ("schema", "as rdfs5"),
    "scm-eqp1": ("schema", "rule"),
    "scm-eqp2": ("schema", "rule"),
    "scm-dom1": ("schema", "rule"),
    "scm-dom2": ("schema", "rule"),
    "scm-rng1": ("schema", "rule"),
    "scm-rng2": ("schema", "rule"),
    "scm-hv": ("schema", "rule"),
    "scm-svf1": ("schema", "rule"),
    "scm-svf2": ("schema", "rule"),
    "scm-avf1": ("schema", "rule"),
    "scm-avf2": ("schema", "rule"),
    "scm-int": ("schema", "per axiom"),
    "scm-uni": ("schema", "per axiom"),
}

#: Built-in rule id → W3C id, where they differ (variants and RDFS names).
W3C_ALIASES = {
    "rdfs2": "prp-dom",
    "rdfs3": "prp-rng",
    "rdfs7": "prp-spo1",
    "rdfs9": "cax-sco",
    "rdfs11": "scm-sco",
    "rdfs5": "scm-spo",
    "cax-dw2": "cax-dw",
    "eq-ref-p": "eq-ref",
    "eq-ref-o": "eq-ref",
    "prp-pdw-rev": "prp-pdw",
    "cls-com-rev": "cls-com",
    "scm-hv-op": "scm-hv",
    "scm-hv-dp": "scm-hv",
    "scm-svf1-cls": "scm-svf1",
    "scm-svf2-op": "scm-svf2",
    "scm-svf2-dp": "scm-svf2",
    "scm-avf1-cls": "scm-avf1",
    "scm-avf2-op": "scm-avf2",
    "scm-avf2-dp": "scm-avf2",
}


def w3c_id(rule_id: str) -> str | None:
    """The W3C id of a built-in or generated rule id (None for kgr: rules and user rules)."""
    base = rule_id.split("#", 1)[0]
    base = W3C_ALIASES.get(base, base)
    return base if base in W3C_RULES else None


# ----------------------------------------------------------------------------- generated rules
X, Y, U, V = Var("x"), Var("y"), Var("u"), Var("v")
TYPE = RDF.type


class _Maker:
    """Numbers generated rules per W3C id and writes their text (the list shown inline)."""

    def __init__(self, namespaces: dict[str, str] | None, graph=None):
        self.ns = namespaces
        self.graph = graph
        self.counts: dict[str, int] = {}
        self.rules: list[Rule] = []

    def show(self, t, depth: int = 0) -> str:
        """A term; an anonymous class as ``[ex:p some ex:C]``, ``[ex:A and ex:B]``, ..."""
        if not isinstance(t, BNode) or self.graph is None or depth > 3:
            return term_text(t, self.ns)
        g = self.graph
        for p, word in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or "), (OWL.oneOf, " ")):
            lst = g.value(t, p)
            if lst is not None:
                members = read_list(g, lst) or []
                inner = word.join(self.show(m, depth + 1) for m in members)
                return f"[{inner}]" if p != OWL.oneOf else "{" + inner + "}"
        c = g.value(t, OWL.complementOf)
        if c is not None:
            return f"[not {self.show(c, depth + 1)}]"
        prop = g.value(t, OWL.onProperty)
        if prop is not None:
            for p, word in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"),
                            (OWL.hasValue, "value"), (OWL.maxCardinality, "max"),
                            (OWL.maxQualifiedCardinality, "max")):
                v = g.value(t, p)
                if v is not None:
                    extra = g.value(t, OWL.onClass)
                    tail = f" {self.show(extra, depth + 1)}" if extra is not None else ""
                    return f"[{self.show(prop, depth + 1)} {word} {self.show(v, depth + 1)}{tail}]"
        return term_text(t, self.ns)

    def add(self, w3c: str, head: list[Atom], body: list[Atom], lists: dict[Node, list],
            note: str, distinct: tuple[tuple[str, str], ...] = (), query_time: bool = False) -> None:
        n = self.counts[w3c] = self.counts.get(w3c, 0) + 1
        rid = f"{w3c}#{n}"

        def term(t) -> str:
            if t in lists:
                return "(" + " ".join(self.show(m) for m in lists[t]) + ")"
            return self.show(t)

        def atom(a: Atom) -> str:
            text = " ".join(term(t) for t in a.terms())
            return f"not {text}" if a.negated else text

        body_text = f" :- {', '.join(atom(a) for a in body)}" if body else ""
        text = f"[{rid}] {', '.join(atom(a) for a in head)}{body_text} .  # {note}"
        meta = {"w3c": w3c, "generated": True, "distinct": tuple((Var(a), Var(b)) for a, b in distinct)}
        if query_time:  # tried by ``holds`` for the question only (see builtin_rules.py)
            meta["query_time"] = True
        self.rules.append(Rule(rid, tuple(head), tuple(body), text, "<owl-rl>", meta))


def read_list(graph, head: Node) -> list[Node] | None:
    """The members of a well-formed RDF list (None when it is cyclic or broken)."""
    out: list[Node] = []
    seen: set[Node] = set()
    node = head
    while node != RDF.nil:
        if node in seen or len(seen) > 100_000:
            return None
        seen.add(node)
        first = list(graph.objects(node, RDF.first))
        rest = list(graph.objects(node, RDF.rest))
        if len(first) != 1 or len(rest) != 1:
            return None
        out.append(first[0])
        node = rest[0]
    return out


def _number(node: Node) -> int | None:
    if not isinstance(node, Literal):
        return None
    try:
        value = Decimal(str(node))
    except (InvalidOperation, ValueError):
        return None
    return int(value) if value == value.to_integral_value() else None


def _lists(graph, predicate: Node):
    """(subject, list head, members) for each ``subject predicate list`` with a well-formed list."""
    for s, head in graph.subject_objects(predicate):
        members = read_list(graph, head)
        if members is None:
            log.warning("ignoring %s %s: not a well-formed RDF list", s, predicate)
            continue
        yield s, head, members


def _vars(prefix: str, n: int) -> list[Var]:
    return [Var(f"{prefix}{i}") for i in range(n)]


def graph_rules(graph, namespaces: dict[str, str] | None = None, terms=None) -> list[Rule]:
    """The OWL 2 RL rules this graph needs beyond RDFS: the fixed rules of ``OWL_RL_RULES_TEXT``
    when the asserted graph uses their vocabulary, concrete rules for every list and cardinality
    axiom asserted in ``graph`` (rdflib graph), and the datatype rules (``datatypes.py``; ``terms``:
    the graph's distinct terms if known). Cheap on graphs without OWL: one index lookup per OWL
    term, and no rule to compile."""
    from kgreason.reasoning.datatypes import datatype_rules

    m = _Maker(namespaces, graph)

    if len(graph) < _SMALL_GRAPH:  # one pass over a small theory beats a lookup per OWL term
        predicates, objects = set(), set()
        for _, p, o in graph:
            predicates.add(p)
            objects.add(o)
        has = predicates.__contains__
        uses_fixed = not predicates.isdisjoint(_TRIGGER_PREDICATES) or not objects.isdisjoint(_TRIGGER_TYPES)
    else:
        def has(p: Node) -> bool:
            return next(iter(graph.triples((None, p, None))), None) is not None

        uses_fixed = _uses_fixed_rules(graph, has)
    fixed = list(owl_rl_rules()) if uses_fixed else []

    if has(OWL.intersectionOf):
        for c, lst, members in _lists(graph, OWL.intersectionOf):
            axiom = Atom(c, OWL.intersectionOf, lst)
            L = {lst: members}
            if members:
                m.add("cls-int1", [Atom(Y, TYPE, c)], [axiom] + [Atom(Y, TYPE, ci) for ci in members], L,
                      "an instance of every member is an instance of the intersection")
                m.add("cls-int2", [Atom(Y, TYPE, ci) for ci in members], [axiom, Atom(Y, TYPE, c)], L,
                      "an instance of the intersection is an instance of every member")
                heads = [Atom(c, RDFS.subClassOf, ci) for ci in members if ci != c]
                if heads:
                    m.add("scm-int", heads, [axiom], L, "the intersection is a subclass of each member")
    if has(OWL.unionOf):
        for c, lst, members in _lists(graph, OWL.unionOf):
            axiom = Atom(c, OWL.unionOf, lst)
            L = {lst: members}
            for ci in members:
                m.add("cls-uni", [Atom(Y, TYPE, c)], [axiom, Atom(Y, TYPE, ci)], L,
                      "an instance of a member is an instance of the union")
            heads = [Atom(ci, RDFS.subClassOf, c) for ci in members if ci != c]
            if heads:
                m.add("scm-uni", heads, [axiom], L, "each member is a subclass of the union")
    if has(OWL.oneOf):
        for c, lst, members in _lists(graph, OWL.oneOf):
            if members:
                m.add("cls-oo", [Atom(yi, TYPE, c) for yi in members], [Atom(c, OWL.oneOf, lst)],
                      {lst: members}, "each listed individual is an instance of the enumeration")
    if has(OWL.propertyChainAxiom):
        for p, lst, members in _lists(graph, OWL.propertyChainAxiom):
            if not members:
                continue
            u = _vars("u", len(members) + 1)
            body = [Atom(p, OWL.propertyChainAxiom, lst)]
            body += [Atom(u[i], pi, u[i + 1]) for i, pi in enumerate(members)]
            m.add("prp-spo2", [Atom(u[0], p, u[-1])], body, {lst: members},
                  "a chain of the listed properties implies the property")
    if has(OWL.hasKey):
        for c, lst, members in _lists(graph, OWL.hasKey):
            if not members:
                continue
            z = _vars("z", len(members))
            body = [Atom(c, OWL.hasKey, lst), Atom(X, TYPE, c)]
            body += [Atom(X, pi, z[i]) for i, pi in enumerate(members)]
            body += [Atom(Y, TYPE, c)]
            body += [Atom(Y, pi, z[i]) for i, pi in enumerate(members)]
            m.add("prp-key", [Atom(X, OWL.sameAs, Y)], body, {lst: members},
                  "two instances with the same key values are the same", (("x", "y"),))
    for kind, members_p, w3c in (
        (OWL.AllDisjointClasses, OWL.members, "cax-adc"),
        (OWL.AllDisjointProperties, OWL.members, "prp-adp"),
        (OWL.AllDifferent, OWL.members, "eq-diff2"),
        (OWL.AllDifferent, OWL.distinctMembers, "eq-diff3"),
    ):
        if not has(members_p):
            continue
        for ax in graph.subjects(TYPE, kind):
            for lst in graph.objects(ax, members_p):
                members = read_list(graph, lst)
                if members is None:
                    log.warning("ignoring %s %s: not a well-formed RDF list", ax, members_p)
                    continue
                axiom = [Atom(ax, TYPE, kind), Atom(ax, members_p, lst)]
                L = {lst: members}
                if w3c == "cax-adc":
                    for i, ci in enumerate(members):
                        heads = [Atom(X, TYPE, cj, True) for j, cj in enumerate(members) if j != i and cj != ci]
                        if heads:
                            m.add(w3c, heads, axiom + [Atom(X, TYPE, ci)], L,
                                  "the listed classes are pairwise disjoint")
                elif w3c == "prp-adp":
                    for i, pi in enumerate(members):
                        heads = [Atom(X, pj, Y, True) for j, pj in enumerate(members) if j != i and pj != pi]
                        if heads:
                            m.add(w3c, heads, axiom + [Atom(X, pi, Y)], L,
                                  "the listed properties are pairwise disjoint")
                else:
                    heads = [Atom(a, OWL.sameAs, b, True) for i, a in enumerate(members)
                             for b in members[i + 1:] if a != b]
                    if heads:
                        m.add(w3c, heads, axiom, L, "the listed individuals are pairwise different")
    _cardinality_rules(graph, m, has)
    dt = datatype_rules(graph, namespaces, terms)
    if not fixed and any(h.p == OWL.differentFrom for r in dt for h in r.head):
        fixed = list(owl_rl_rules())  # dt-diff's differentFrom needs eq-diff1
    return fixed + m.rules + dt


#: Terms whose presence (as predicate, or as object) switches the fixed OWL rules on.
_TRIGGER_PREDICATES = (OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.complementOf,
                       OWL.propertyDisjointWith, OWL.differentFrom)
_TRIGGER_TYPES = (OWL.IrreflexiveProperty, OWL.AsymmetricProperty, OWL.Nothing)


#: Graphs smaller than this are scanned once for their predicates and objects (graph_rules).
_SMALL_GRAPH = 2_000


def _uses_fixed_rules(graph, has) -> bool:
    return any(has(p) for p in _TRIGGER_PREDICATES) or any(
        next(iter(graph.triples((None, None, t))), None) is not None for t in _TRIGGER_TYPES)


@lru_cache(maxsize=1)
def owl_rl_rules() -> tuple[Rule, ...]:
    """The fixed rules of ``OWL_RL_RULES_TEXT``, parsed once per process (built-in rules: their
    ``not`` is classical in both modes; bound only for graphs that use their vocabulary)."""
    from kgreason.reasoning.rule_parser import parse_rules

    return tuple(
        replace(rule, source="builtin", meta={"builtin": True, "distinct": tuple(
            (Var(a), Var(b)) for a, b in OWL_DISTINCT.get(rule.id, ()))})
        for rule in parse_rules(OWL_RL_RULES_TEXT, source="<builtin>"))


def _cardinality_rules(graph, m: _Maker, has) -> None:
    """cls-maxc1/2 and cls-maxqc1-4: the restriction's 0 or 1 may be any numeric literal."""
    for card_p, qualified in ((OWL.maxCardinality, False), (OWL.maxQualifiedCardinality, True)):
        if not has(card_p):
            continue
        for x, n in graph.subject_objects(card_p):
            value = _number(n)
            if value not in (0, 1):
                continue
            for p in graph.objects(x, OWL.onProperty):
                axiom = [Atom(x, card_p, n), Atom(x, OWL.onProperty, p)]
                classes = list(graph.objects(x, OWL.onClass)) if qualified else [None]
                for c in classes:
                    ax = axiom + ([Atom(x, OWL.onClass, c)] if c is not None else [])
                    thing = c is None or c == OWL.Thing
                    typed = [] if thing else [Atom(V, TYPE, c)]
                    if value == 0:
                        w3c = "cls-maxc1" if not qualified else ("cls-maxqc2" if thing else "cls-maxqc1")
                        m.add(w3c, [Atom(U, TYPE, x, True)], ax + [Atom(U, p, V)] + typed, {},
                              "something with such a value is not in the restriction (max 0)")
                        m.add("kgr-neg-maxqc" if qualified else "kgr-neg-maxc", [Atom(U, p, V, True)],
                              ax + [Atom(U, TYPE, x)] + typed, {},
                              "a member of the restriction has no such value (max 0)", query_time=True)
                    else:
                        w3c = "cls-maxc2" if not qualified else ("cls-maxqc4" if thing else "cls-maxqc3")
                        y1, y2 = Var("y1"), Var("y2")
                        t1 = [] if thing else [Atom(y1, TYPE, c)]
                        t2 = [] if thing else [Atom(y2, TYPE, c)]
                        m.add(w3c, [Atom(y1, OWL.sameAs, y2)],
                              ax + [Atom(U, TYPE, x), Atom(U, p, y1)] + t1 + [Atom(U, p, y2)] + t2, {},
                              "two values of a max-1 restriction are the same", (("y1", "y2"),))



def rules_table(kg=None) -> list[dict]:
    """Every built-in rule (RDFS, OWL 2 RL, kgr:), each W3C rule that is not materialized, and —
    given a KnowledgeGraph — the rules written out for its lists, cardinalities and literals.
    Rows: ``id``, ``w3c`` (the W3C id or None), ``table``, ``kind`` (builtin / query-time /
    generated / not materialized), ``text`` (the rule in the rule syntax)."""
    from kgreason.reasoning.builtin_rules import builtin_rules, query_time_rules

    def row(rule: Rule, kind: str) -> dict:
        w3c = rule.meta.get("w3c") or w3c_id(rule.id)
        table = W3C_RULES[w3c][0] if w3c in W3C_RULES else "kgreason"
        return {"id": rule.id, "w3c": w3c, "table": table, "kind": kind, "text": rule.text}

    rows = [row(r, "builtin") for r in builtin_rules() + owl_rl_rules()]
    rows += [row(r, "query-time") for r in query_time_rules()]
    for rid, (table, how) in W3C_RULES.items():
        if how.startswith("not materialized"):
            rows.append({"id": rid, "w3c": rid, "table": table, "kind": "not materialized",
                         "text": how})
        elif how.startswith("per "):
            rows.append({"id": rid, "w3c": rid, "table": table, "kind": "per graph",
                         "text": f"written out {how} of the graph ({rid}#1, {rid}#2, ...)"})
    if kg is not None:
        rows += [row(r, "generated") for r in graph_rules(kg.rdf, kg.namespaces)]
    return rows
