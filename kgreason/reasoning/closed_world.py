"""Closed world: "not" conditions about anything ("If something is not quiet then it is red.").

Negation as failure needs every variable of a ``not`` atom bound by a positive body atom (the
engine rejects the rule otherwise). Under the closed world such a variable ranges over the
theory's **individuals**, so before the closure a rule is *rewritten*: one positive domain atom
``?x a kgr:Individual`` is added for each unbound variable of a negated atom. The domain facts
are materialized once per closure, each with a proof step (:data:`INDIVIDUAL`) whose premise is
the asserted fact that mentions the individual, so proofs stay checkable
(``reasoning.proof.check_proof``) and show the closed-world step (the rule's ``not`` atoms appear
as :data:`~kgreason.core.proof.CWA` leaves).

An **individual** is a named resource (an IRI, never a literal or blank node) that an asserted fact
or a user rule mentions as a thing, and that is neither a class nor a property nor a vocabulary
term: the subject of ``rdf:type`` (or of its declared negation, "Bob is not big"), or the subject or
object of any other non-vocabulary property ("the bear chases the cat"). Classes (objects of
``rdf:type``, anything typed a class, ``kgr:Attribute``, or linked by ``rdfs:subClassOf`` /
``owl:equivalentClass`` / ``owl:disjointWith``) and properties (used as predicates, or typed a
property) are not individuals. Rules cannot invent terms, so the closure's individuals are these.

Open world: no rewrite; a ``not`` atom in a body means a known negative fact, which binds its
variables itself ("If something is not quiet then it is red" fires for "Bob is not quiet.").
"""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import OWL, RDF, RDFS, URIRef
from rdflib.term import Node

from kgreason.core.rules import Atom, Rule, Var
from kgreason.graph.vocab import ATTRIBUTE, KGR, is_vocabulary

__all__ = ["DOMAIN_CLASS", "INDIVIDUAL", "INDIVIDUAL_TEXT", "individuals", "with_domain"]

#: The internal class of the theory's individuals (materialized only when a rewritten rule needs it).
DOMAIN_CLASS = KGR.Individual
#: The proof step "x is an individual of the theory" (premise: the asserted fact that mentions x).
INDIVIDUAL = "kgr-individual"
INDIVIDUAL_TEXT = "closed world: a 'not' condition about something ranges over the theory's individuals"

_CLASS_TYPES = frozenset({RDFS.Class, OWL.Class, ATTRIBUTE, RDFS.Datatype})
_PROPERTY_TYPES = frozenset({
    RDF.Property, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.TransitiveProperty,
    OWL.SymmetricProperty, OWL.FunctionalProperty, OWL.InverseFunctionalProperty,
    OWL.AnnotationProperty, KGR.InheritableProperty,
})
_CLASS_LINKS = (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith, OWL.complementOf)


def with_domain(rule: Rule) -> Rule | None:
    """``rule`` with a domain atom for each variable of a ``not`` body atom that no positive body
    atom binds; None when every such variable is bound (the rule needs no rewrite)."""
    bound: set[Var] = set()
    for atom in rule.body:
        if not atom.negated:
            bound |= atom.variables()
    free = sorted(
        {v for a in rule.body if a.negated for v in a.variables()} - bound, key=lambda v: v.name
    )
    if not free:
        return None
    domain = tuple(Atom(v, RDF.type, DOMAIN_CLASS) for v in free)
    meta = {**rule.meta, "closed_world_domain": tuple(v.name for v in free)}
    return Rule(rule.id, rule.head, domain + rule.body, rule.text, rule.source, meta)


def individuals(
    triples: Iterable[tuple[Node, Node, Node]], rules: Iterable[Rule] = ()
) -> dict[Node, tuple[Node, Node, Node] | None]:
    """Every individual of the theory → the asserted triple that first mentions it (in a stable
    order), or None for one that only a rule mentions. See the module docstring for the definition."""
    triples = sorted(triples, key=lambda t: tuple(str(x) for x in t))
    classes: set[Node] = set()
    properties: set[Node] = set()
    type_like = {RDF.type}
    for s, p, o in triples:
        if p == KGR.negationOf and o == RDF.type:
            type_like.add(s)
    for s, p, o in triples:
        properties.add(p)
        if p in type_like:
            classes.add(o)
            if o in _CLASS_TYPES:
                classes.add(s)
            elif o in _PROPERTY_TYPES:
                properties.add(s)
        elif p in _CLASS_LINKS:
            classes.update((s, o))
        elif p in (RDFS.subPropertyOf, OWL.equivalentProperty, OWL.inverseOf, KGR.negationOf):
            properties.update((s, o))
        elif p in (RDFS.domain, RDFS.range):
            properties.add(s)
            classes.add(o)
    rule_atoms = [a for r in rules for a in r.head + r.body]
    for a in rule_atoms:
        if not isinstance(a.p, Var):
            properties.add(a.p)
            if a.p in type_like and not isinstance(a.o, Var):
                classes.add(a.o)

    def candidate(node: Node) -> bool:
        return (
            isinstance(node, URIRef)
            and not is_vocabulary(node)
            and node not in classes
            and node not in properties
        )

    out: dict[Node, tuple[Node, Node, Node] | None] = {}
    for s, p, o in triples:
        if is_vocabulary(p) and p not in type_like:
            continue
        for node in (s,) if p in type_like else (s, o):
            if node not in out and candidate(node):
                out[node] = (s, p, o)
    for a in rule_atoms:
        if isinstance(a.p, Var) or (is_vocabulary(a.p) and a.p not in type_like):
            continue
        for node in (a.s,) if a.p in type_like else (a.s, a.o):
            if not isinstance(node, Var) and node not in out and candidate(node):
                out[node] = None
    return out
