"""The closure as an rdflib graph (``kgreason materialize``, ``graph query --inferred``)."""

from __future__ import annotations

from rdflib import OWL, RDF, BNode, Graph, Literal

from kgreason.reasoning.reasoner import Reasoner

#: Rules that only restate an asserted negative (``X N O`` or an owl:NegativePropertyAssertion):
#: their conclusions are already in the graph in another form.
RESTATING = frozenset({"kgr-neg", "prp-npa1", "prp-npa2"})


def materialized_graph(reasoner: Reasoner, *, inferred_only: bool = False) -> Graph:
    """Asserted (unless ``inferred_only``) + inferred triples of ``reasoner.kg`` as a new rdflib
    graph with the graph's prefixes; ``kg.rdf`` itself is not touched. A derived negative fact is
    written ``s N o`` when a negation property ``N kgr:negationOf P`` is declared, else as an
    owl:NegativePropertyAssertion (4 triples)."""
    kg = reasoner.kg
    out = Graph()
    for prefix, ns in kg.rdf.namespaces():
        out.bind(prefix, ns, override=False)
    if not inferred_only:
        out += kg.rdf
    for triple in reasoner.inferred_triples():
        out.add(triple)
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
    return out
