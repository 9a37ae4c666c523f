"""Triples → short English sentences from labels: "apple is a kind of fruit", "penguin cannot fly".

Used for retrieval (each fact is indexed as a sentence), proofs shown to people, and model inputs.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, Literal
from rdflib.term import Node

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import ATTRIBUTE, KGR, MASS_NOUN

_VOWEL = tuple("aeiou")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in _VOWEL else "a"


def class_phrase(kg: KnowledgeGraph, cls: Node) -> str:
    """``fruit`` → "a fruit"; an adjective class (kgr:Attribute) → "cold"."""
    label = kg.label(cls)
    if (cls, RDF.type, ATTRIBUTE) in kg.rdf:
        return label
    return f"{_article(label)} {label}"


def is_mass_noun(kg: KnowledgeGraph, cls: Node) -> bool:
    """Is class ``cls`` named by a mass noun, said in the singular? Yes when the graph says so
    (``cls a kgr:MassNoun``) or, for graphs that do not mark them, when its label's last word is a
    common mass noun (``morphology.MASS_NOUNS``: "glass", "milk", "wood")."""
    if (cls, RDF.type, MASS_NOUN) in kg.rdf:
        return True
    from kgreason.language.morphology import is_mass_noun as common_mass_noun

    words = kg.label(cls).split()
    return bool(words) and common_mass_noun(words[-1])


def negation_property(kg: KnowledgeGraph, prop: Node) -> Node | None:
    """The property declared ``N kgr:negationOf prop``, if any."""
    return next(iter(kg.rdf.subjects(KGR.negationOf, prop)), None)


def positive_property(kg: KnowledgeGraph, prop: Node) -> Node | None:
    """For ``prop kgr:negationOf P`` return P (so ``prop`` is a negative property), else None."""
    return next(iter(kg.rdf.objects(prop, KGR.negationOf)), None)


#: Property characteristics, said as what they mean rather than as class membership.
_PROPERTY_KINDS = {
    OWL.TransitiveProperty: "transitive",
    OWL.SymmetricProperty: "symmetric",
    KGR.InheritableProperty: "inherited by subclasses and members",
}


def verbalize(kg: KnowledgeGraph, triple: tuple[Node, Node, Node], *, negated: bool = False) -> str:
    """One sentence (no final period) for ``triple``; ``negated`` states "not (s p o)"."""
    s, p, o = triple
    subj = kg.label(s)
    if p == RDF.type and o in _PROPERTY_KINDS:  # schema: say what the property does
        return f"\"{subj}\" is {'not ' if negated else ''}{_PROPERTY_KINDS[o]}"
    if p == RDF.type:
        return f"{subj} is {'not ' if negated else ''}{class_phrase(kg, o)}"
    if p == OWL.inverseOf:
        return f"\"{subj}\" is {'not ' if negated else ''}the inverse of \"{kg.label(o)}\""
    if p == RDFS.subClassOf:
        if (o, RDF.type, ATTRIBUTE) in kg.rdf:
            if is_mass_noun(kg, s):  # "glass is transparent", not "glasses are transparent"
                return f"{subj} is {'not ' if negated else ''}{kg.label(o)}"
            return f"{plural_phrase(subj)} are {'not ' if negated else ''}{kg.label(o)}"
        return f"{subj} is {'not ' if negated else ''}a kind of {kg.label(o)}"
    if p == OWL.disjointWith:
        text = f"nothing is both {class_phrase(kg, s)} and {class_phrase(kg, o)}"
        return f"it is not the case that {text}" if negated else text
    if p == OWL.equivalentClass:
        return f"{subj} is {'not ' if negated else ''}the same as {kg.label(o)}"
    if p == OWL.sameAs:
        return f"{subj} is {'not ' if negated else ''}the same as {kg.label(o)}"
    if p == RDFS.subPropertyOf:
        return f"to {subj} is {'not ' if negated else ''}to {kg.label(o)}"
    if p == KGR.negationOf:
        return f"\"{subj}\" means not \"{kg.label(o)}\""
    if positive_property(kg, p) == RDF.type:  # ex:isNot: "Alex is not a wumpus"
        return f"{subj} is {'' if negated else 'not '}{class_phrase(kg, o)}"
    obj = str(o) if isinstance(o, Literal) else kg.label(o)
    if negated:
        neg = negation_property(kg, p)
        if neg is not None:
            return f"{subj} {kg.label(neg)} {obj}"
        return f"{subj} {negative_phrase(kg.label(p))} {obj}"
    return f"{subj} {kg.label(p)} {obj}"


def negative_phrase(label: str) -> str:
    """The negative of a property label: "chases" → "does not chase", "is part of" → "is not part
    of", "can be" → "cannot be", "has" → "does not have"; otherwise "does not" + label."""
    from kgreason.language.morphology import verb_lemma

    first, _, rest = label.partition(" ")
    tail = f" {rest}" if rest else ""
    if first in ("is", "are", "was", "were", "should", "must", "will", "may"):
        return f"{first} not{tail}"
    if first == "can":
        return f"cannot{tail}"
    base = verb_lemma(first)
    if base != first:
        return f"does not {base}{tail}"
    return f"does not {label}"


def plural_phrase(label: str) -> str:
    """"wumpus" → "wumpuses", "red apple" → "red apples" (the last word is pluralized)."""
    from kgreason.language.morphology import plural, singular

    head, _, last = label.rpartition(" ")
    if singular(last) != last.lower():  # the label is already plural ("eggs")
        return label
    return f"{head} {plural(last)}" if head else plural(last)


def sentence(text: str) -> str:
    """Capitalize and end with a period."""
    text = text.strip()
    if not text:
        return text
    return text[0].upper() + text[1:] + ("" if text.endswith((".", "?", "!")) else ".")


def sense_name(kg: KnowledgeGraph, node: Node, *, max_chars: int = 120) -> str:
    """Which of several nodes with the same label ``node`` is: its local name (``hammer.n.02``)
    and its definition (skos:definition / rdfs:comment, e.g. a WordNet gloss), or else what it is a
    kind of and its other labels (``hammer.n.02, a kind of hand tool``)."""
    from rdflib.namespace import SKOS

    from kgreason.graph.vocab import local_name

    name = local_name(node) or kg.qname(node)
    for pred in (SKOS.definition, RDFS.comment):
        for text in kg.rdf.objects(node, pred):
            gloss = str(text).split(";")[0].strip()
            if len(gloss) > max_chars:
                gloss = gloss[: max_chars - 1].rstrip() + "…"
            return f'{name}, "{gloss}"'
    parts = [name]
    parent = next((p for pred in (RDFS.subClassOf, RDF.type) for p in kg.rdf.objects(node, pred)
                   if not isinstance(p, Literal)), None)
    if parent is not None:  # "hammer.n.02, a kind of hand tool"
        parts.append(f"a kind of {kg.label(parent)}")
    others = [label for label in kg.labels(node)[1:] if label.lower() != kg.label(node).lower()]
    if others:
        parts.append(f"also: {', '.join(others[:3])}")
    return ", ".join(parts)
