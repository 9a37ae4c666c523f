"""The closure as an rdflib graph (``kgreason materialize``, ``graph query --inferred``)."""

from __future__ import annotations

import logging

from rdflib import OWL, RDF, BNode, Graph, Literal, URIRef

from kgreason.reasoning.reasoner import Reasoner

log = logging.getLogger(__name__)

#: Rules that only restate an asserted negative (``X N O`` or an owl:NegativePropertyAssertion):
#: their conclusions are already in the graph in another form.
RESTATING = frozenset({"kgr-neg", "prp-npa1", "prp-npa2"})


def is_rdf_triple(s, p, o) -> bool:
    """True when ``(s, p, o)`` can be written as RDF: an IRI or blank-node subject and an IRI
    predicate. Rules (a user's ``?o ?p ?s :- ?s ?p ?o``, or rdfs3 with a literal range) may
    derive *generalized* triples — a literal subject, a literal or blank-node predicate; the
    reasoner keeps them as intermediate steps, as OWL 2 RL does, but no RDF syntax can say them."""
    return isinstance(s, (URIRef, BNode)) and isinstance(p, URIRef)


def materialized_graph(
    reasoner: Reasoner, *, inferred_only: bool = False, skipped: list | None = None
) -> Graph:
    """Asserted (unless ``inferred_only``) + inferred triples of ``reasoner.kg`` as a new rdflib
    graph with the graph's prefixes; ``kg.rdf`` itself is not touched. A derived negative fact is
    written ``s N o`` when a negation property ``N kgr:negationOf P`` is declared, else as an
    owl:NegativePropertyAssertion (4 triples).

    Generalized triples (see :func:`is_rdf_triple`) are left out with a warning, so that what is
    written parses back; they are appended to ``skipped`` when a list is given."""
    kg = reasoner.kg
    out = Graph()
    for prefix, ns in kg.rdf.namespaces():
        out.bind(prefix, ns, override=False)
    if not inferred_only:
        out += kg.rdf
    dropped = skipped if skipped is not None else []
    before = len(dropped)
    for triple in reasoner.inferred_triples():
        if is_rdf_triple(*triple):
            out.add(triple)
        else:
            dropped.append(triple)
    declared = set(reasoner.negation_of.values())
    for s, p, o in reasoner.negative_facts():
        if p in declared:
            continue  # written above as ``s N o``
        if reasoner.derived_by((s, p, o), negated=True) in RESTATING:
            continue
        node = BNode()
        out.add((node, RDF.type, OWL.NegativePropertyAssertion))
        out.add((node, OWL.sourceIndividual, s))
        out.add((node, OWL.assertionProperty, p))
        out.add((node, OWL.targetValue if isinstance(o, Literal) else OWL.targetIndividual, o))
    if len(dropped) > before:
        s, p, o = dropped[before]
        log.warning(
            "%d derived triple(s) are not RDF (a literal subject, or a predicate that is not an "
            "IRI) and were not written, e.g. %s %s %s from rule %s — they stay usable inside the "
            "reasoner; to not derive them, restrict that rule so its head never puts a literal "
            "in subject or predicate position",
            len(dropped) - before,
            s.n3(),
            p.n3(),
            o.n3(),
            reasoner.derived_by((s, p, o)),
        )
    return out
