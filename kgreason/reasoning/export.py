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


def _nt_term(node) -> str | None:
    """A term in N-Triples syntax (pyoxigraph writes it: escapes as the spec says), None when
    N-Triples cannot say it."""
    import pyoxigraph as ox

    try:
        if isinstance(node, URIRef):
            return str(ox.NamedNode(str(node)))
        if isinstance(node, BNode):
            return str(ox.BlankNode(str(node)))
        if isinstance(node, Literal):
            if node.language:
                return str(ox.Literal(str(node), language=node.language))
            if node.datatype is not None:
                return str(ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype))))
            return str(ox.Literal(str(node)))
    except ValueError:  # a blank node id or IRI pyoxigraph does not accept: rdflib's spelling
        return node.n3()
    return None


def write_ntriples(
    reasoner: Reasoner, path, *, inferred_only: bool = False, skipped: list | None = None
) -> dict[str, int]:
    """Asserted (unless ``inferred_only``) + inferred triples as N-Triples, streamed from the
    reasoner's store without building an rdflib graph: the same triples as
    :func:`materialized_graph` (negative facts as ``s N o`` or owl:NegativePropertyAssertion,
    generalized triples left out), ~20× faster on big closures. Returns counts
    ``written`` and ``negative_property_assertions``."""
    state = reasoner._state()
    store = state.store
    terms = store.terms
    prov = store.prov
    cache: dict[int, str | None] = {}

    def nt(i: int) -> str | None:
        text = cache.get(i, "")
        if text == "":
            text = cache[i] = _nt_term(terms[i])
        return text

    dropped = skipped if skipped is not None else []
    positive_of = {p: n for n, p in state.negation_of.items()}
    ids = store.ids
    written = reified = 0
    lines: list[str] = []
    with open(path, "w", encoding="utf-8") as out:

        def flush() -> None:
            out.write("".join(lines))
            lines.clear()

        if not inferred_only:  # the asserted facts: in the store's indexes, without provenance
            for p, d in list(store.SP.items()):
                if p < 0:
                    continue
                ps = nt(p)
                for s, objs in d.items():
                    ss = nt(s)
                    lines.extend(f"{ss} {ps} {nt(o)} .\n" for o in objs if (s, p, o) not in prov)
                if len(lines) >= 65536:
                    written += len(lines)
                    flush()
            written += len(lines)
        for fact in prov:
            s, p, o = fact
            if p < 0:
                continue
            ps = nt(p)
            ss = nt(s)
            if ps is None or not ps.startswith("<") or ss is None or ss.startswith('"'):
                dropped.append((terms[s], terms[p], terms[o]))
                continue
            lines.append(f"{ss} {ps} {nt(o)} .\n")
            written += 1
            if len(lines) >= 65536:
                flush()
        for fact in prov:  # negative facts: ``s N o`` when N is declared, else reified
            s, p, o = fact
            if p > 0:
                continue
            n = positive_of.get(terms[-p])
            if n is not None:
                if not store.has((s, ids[n], o)):
                    lines.append(f"{nt(s)} {_nt_term(n)} {nt(o)} .\n")
                    written += 1
                continue
            if state.rule_info[prov[fact][0]][0] in RESTATING:
                continue
            reified += 1
            node = f"_:npa{reified}"
            target = OWL.targetValue if isinstance(terms[o], Literal) else OWL.targetIndividual
            lines.append(f"{node} <{RDF.type}> <{OWL.NegativePropertyAssertion}> .\n"
                         f"{node} <{OWL.sourceIndividual}> {nt(s)} .\n"
                         f"{node} <{OWL.assertionProperty}> {nt(-p)} .\n"
                         f"{node} <{target}> {nt(o)} .\n")
            written += 4
        flush()
    return {"written": written, "negative_property_assertions": reified}
