"""Answers to open questions: every X the reasoner proves for the pattern, each with its proof.

For a reading ``?x p o`` (or ``s p ?x``) the candidates are the closure's facts that match
(:meth:`Reasoner.subjects` / :meth:`Reasoner.objects`); each is then decided by
:meth:`Reasoner.holds` like a yes/no question, so defaults and their exceptions, conflicts and
the strict-over-default resolution apply exactly as there (penguins are not listed under
"What can fly?"). A class restriction ("Which *birds* …") must be proved too. Open world: what
is not proved is not listed. Readings are tried best first within the candidate margin of
``decide`` and the first with answers wins. Order: stated before derived, then shallower
proofs, then by label; "What is X?" nearest first (a class before its superclasses). Names
declared the same (owl:sameAs, owl:equivalentClass) are one answer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS, Literal
from rdflib.term import BNode, Node

from kgreason.core import OpenItem, OpenQuestion, QueryReading, Truth, X
from kgreason.graph.vocab import is_vocabulary
from kgreason.pipeline.decide import CANDIDATE_MARGIN

if TYPE_CHECKING:
    from kgreason.reasoning import Reasoner

_MEMBERSHIP = (RDF.type, RDFS.subClassOf)


def answer_open(question: OpenQuestion, reasoner: Reasoner, *, closed_world: bool | None = None
                ) -> tuple[list[OpenItem], QueryReading | None]:
    """The answers (and the reading they answer) of a which / what / who / how-many question,
    or of "What is X?" (its types and superclasses, nearest first)."""
    if question.kind == "what_is":
        assert question.subject is not None
        items = []
        for p in _MEMBERSHIP:
            reading = QueryReading((question.subject, p, X), False, 1.0)
            items += _answers(reasoner, reading, None, closed_world)
        if items or not question.readings:
            return _distinct(reasoner, _nearest_first(reasoner, question.subject, _unique(items))), None
    if not question.readings:
        return [], None
    best = question.readings[0].score
    for reading in question.readings:
        if reading.score < best - CANDIDATE_MARGIN:
            break
        items = _answers(reasoner, reading, question.restriction, closed_world)
        if items:
            return _distinct(reasoner, _ordered(reasoner, items)), reading
    return [], question.readings[0]


def _answers(reasoner: Reasoner, reading: QueryReading, restriction: Node | None,
             closed_world: bool | None) -> list[OpenItem]:
    s, p, o = reading.triple
    # "X is a bird" means a kind of bird or a bird: both rdf:type and rdfs:subClassOf
    predicates = _MEMBERSHIP if p in _MEMBERSHIP else (p,)
    out: list[OpenItem] = []
    for pred in predicates:
        if reading.slot == 0:
            found = reasoner.subjects(pred, o, negated=reading.negated, closed_world=closed_world)
        else:
            found = reasoner.objects(s, pred, negated=reading.negated, closed_world=closed_world)
        for x in found:
            if not _answerable(x) or x in (s, o):
                continue
            triple = (x, pred, o) if reading.slot == 0 else (s, pred, x)
            proofs = _proved(reasoner, triple, reading.negated, closed_world)
            if proofs is None:
                continue
            if restriction is not None:
                member = _member(reasoner, x, restriction, closed_world)
                if member is None:
                    continue
                proofs += member
            out.append(OpenItem(x, proofs, inferred=any(p.rule != "asserted" for p in proofs)))
    return _unique(out)


def members_proved(reasoner: Reasoner, reading: QueryReading, cls: Node,
                   closed_world: bool | None = None) -> list[OpenItem]:
    """The members of ``cls`` (subclasses and instances, proved to be) for which the reading's
    pattern is proved, each with its proofs, in answer order (for "all" / "any" questions)."""
    return _distinct(reasoner, _ordered(reasoner, _answers(reasoner, reading, cls, closed_world)))


def _proved(reasoner: Reasoner, triple, negated: bool, closed_world: bool | None):
    verdict = reasoner.holds(*triple, closed_world=closed_world)
    want = Truth.FALSE if negated else Truth.TRUE
    if verdict.value is not want or verdict.proof is None:
        return None
    return [verdict.proof]


def _member(reasoner: Reasoner, x: Node, cls: Node, closed_world: bool | None):
    if x == cls:
        return None
    for p in _MEMBERSHIP:
        proofs = _proved(reasoner, (x, p, cls), False, closed_world)
        if proofs is not None:
            return proofs
    return None


def _answerable(node: Node) -> bool:
    return not isinstance(node, BNode | Literal) and not is_vocabulary(node)


def _unique(items: list[OpenItem]) -> list[OpenItem]:
    seen: dict[Node, OpenItem] = {}
    for item in items:
        if item.term not in seen or item.depth < seen[item.term].depth:
            seen[item.term] = item
    return list(seen.values())


def _ordered(reasoner: Reasoner, items: list[OpenItem]) -> list[OpenItem]:
    kg = reasoner.kg
    return sorted(items, key=lambda i: (i.inferred, i.depth, kg.label(i.term).lower(), str(i.term)))


def _distinct(reasoner: Reasoner, items: list[OpenItem]) -> list[OpenItem]:
    """One answer per thing: of names declared the same (owl:sameAs: Tweety, Tweety Bird) or
    classes declared equivalent (human, person) the first in order stays."""
    rdf, seen, out = reasoner.kg.rdf, set(), []
    for item in items:
        if item.term in seen:
            continue
        out.append(item)
        frontier = [item.term]
        while frontier:
            node = frontier.pop()
            if node in seen:
                continue
            seen.add(node)
            for p in (OWL.sameAs, OWL.equivalentClass):
                frontier += [*rdf.objects(node, p), *rdf.subjects(p, node)]
    return out


def _nearest_first(reasoner: Reasoner, subject: Node, items: list[OpenItem]) -> list[OpenItem]:
    """Types and superclasses by their distance from ``subject`` in the stated type / subclass
    graph (Flipper: dolphin, cetacean, mammal, animal, living thing), a class before its own
    superclasses among the answers (Alice, typed by a domain: human, mammal, animal, living
    thing), then as :func:`_ordered` (proof depth alone ties a class with its superclass)."""
    kg = reasoner.kg
    distance = _upward(kg, subject)
    far = len(distance) + 1
    terms = {item.term for item in items}
    above = {item.term: len(terms.intersection(_upward(kg, item.term))) - 1 for item in items}
    order = {id(item): n for n, item in enumerate(_ordered(reasoner, items))}
    return sorted(items, key=lambda i: (distance.get(i.term, far), -above[i.term], order[id(i)]))


def _upward(kg, node: Node) -> dict[Node, int]:
    """``node`` and what it is stated to be a member, kind or alias of, with the number of steps."""
    steps = ((RDF.type, False), (RDFS.subClassOf, False), (OWL.equivalentClass, False),
             (OWL.equivalentClass, True), (OWL.sameAs, False), (OWL.sameAs, True))
    distance, frontier = {node: 0}, [node]
    while frontier:
        nxt = []
        for x in frontier:
            for p, backwards in steps:
                for y in (kg.rdf.subjects(p, x) if backwards else kg.rdf.objects(x, p)):
                    if y not in distance:
                        distance[y] = distance[x] + 1
                        nxt.append(y)
        frontier = nxt
    return distance


# ---------------------------------------------------------------------- counts
#: OWL's exact cardinalities (a min and a max of the same number on one restriction count too).
_EXACT = (OWL.cardinality, OWL.qualifiedCardinality)


def answer_count(question: OpenQuestion, reasoner: Reasoner, *, closed_world: bool | None = None
                 ) -> tuple[int | None, list[OpenItem], QueryReading | None, str]:
    """"How many legs does a spider have?": (the count, the answers that state it with their
    proofs, the reading, why). A count is proved where the graph states one of the thing asked
    about ("spider has eight legs", inherited from arachnids) or an OWL cardinality restriction
    on a class the subject belongs to; otherwise the count is None — never 0 for "not known"."""
    from kgreason.language.open_questions import stated_count

    kg = reasoner.kg
    found: list[tuple[int, OpenItem]] = []
    items, reading = answer_open(question, reasoner, closed_world=closed_world) \
        if question.readings else ([], None)
    for item in items:
        counts = {n for label in kg.labels(item.term)
                  if (n := stated_count(label, question.counted)) is not None}
        if len(counts) == 1:
            found.append((counts.pop(), item))
    if question.subject is not None:
        found += _cardinalities(question, reasoner, closed_world)
    what = " ".join(question.counted)
    if not found:
        said = ", ".join(kg.label(i.term) for i in items[:5])
        why = (f"no count proved: the graph states no number of {what}"
               + (f" (it says: {said})" if said else "")) if (items or question.subject is not None) \
            else f"no count proved: {question.reason or 'the question does not match this graph'}"
        return None, [], reading, why
    values = sorted({n for n, _ in found})
    kept = [item for _, item in found]
    if len(values) > 1:
        return None, kept, reading, (f"no count proved: the graph gives different numbers of {what} "
                                     f"({', '.join(map(str, values))})")
    return values[0], kept, reading, f"proved from the graph: {values[0]} {what}"


def _cardinalities(question: OpenQuestion, reasoner: Reasoner, closed_world: bool | None
                   ) -> list[tuple[int, OpenItem]]:
    """Exact OWL cardinalities on a class the subject is (or is a kind of), on a property or
    class named like what is counted ("hasLeg", "leg")."""
    from kgreason.core import Proof
    from kgreason.graph.vocab import KGR
    from kgreason.language.morphology import singular

    kg, rdf, subject = reasoner.kg, reasoner.kg.rdf, question.subject
    want = {singular(w) for w in question.counted}
    out: list[tuple[int, OpenItem]] = []
    for restriction in set(rdf.subjects(OWL.onProperty, None)):
        number = _exact_number(rdf, restriction)
        if number is None:
            continue
        named = [rdf.value(restriction, OWL.onProperty), rdf.value(restriction, OWL.onClass)]
        words = {singular(w.lower()) for n in named if n is not None for label in kg.labels(n)
                 for w in label.split()}
        if not want <= words:
            continue
        for owner in rdf.subjects(RDFS.subClassOf, restriction):
            premises = []
            if owner != subject:
                member = _member(reasoner, subject, owner, closed_world)
                if member is None:
                    continue
                premises += member
            prop = named[0]
            text = f"exactly {number} {' '.join(question.counted)}"
            axiom = Proof((owner, KGR.has, Literal(text)), False, "owl-cardinality",
                          f"{kg.qname(owner)} rdfs:subClassOf [owl:onProperty {kg.qname(prop)}; "
                          f"exactly {number}]")
            proof = axiom if owner == subject else Proof(
                (subject, KGR.has, Literal(text)), False, "owl-cardinality",
                "a class's cardinality restriction holds for its subclasses and members",
                [*premises, axiom])
            out.append((number, OpenItem(subject, [proof], inferred=owner != subject)))
    return out


def _exact_number(rdf, restriction: Node) -> int | None:
    for p in _EXACT:
        value = rdf.value(restriction, p)
        if value is not None:
            return _int(value)
    low = rdf.value(restriction, OWL.minQualifiedCardinality) or rdf.value(restriction, OWL.minCardinality)
    high = rdf.value(restriction, OWL.maxQualifiedCardinality) or rdf.value(restriction, OWL.maxCardinality)
    if low is not None and high is not None and _int(low) == _int(high):
        return _int(low)
    return None


def _int(value: Node) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
