"""Triples → short English sentences from labels: "apple is a kind of fruit", "penguin cannot fly".

Used for retrieval (each fact is indexed as a sentence), proofs shown to people, and model inputs.
"""

from __future__ import annotations

from rdflib import OWL, RDF, RDFS, BNode, Literal
from rdflib.term import Node

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import ATTRIBUTE, KGR, MASS_NOUN

_VOWEL = tuple("aeiou")


def _article(word: str) -> str:
    return "an" if word[:1].lower() in _VOWEL else "a"


def class_phrase(kg: KnowledgeGraph, cls: Node) -> str:
    """``fruit`` → "a fruit"; an adjective class (kgr:Attribute) → "cold"; a class expression (a
    blank node: restriction, intersection, union ...) in words: "a pizza that has some spicy
    topping", "something whose spiciness is hot" (:func:`class_noun`)."""
    if is_expression(kg, cls):
        return _expression_phrase(kg, cls, 0)
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
    OWL.ObjectProperty: "a relation between things",
    OWL.DatatypeProperty: "a relation to data values",
    OWL.FunctionalProperty: "functional (one value at most)",
    OWL.InverseFunctionalProperty: "inverse-functional (one subject per value at most)",
    OWL.IrreflexiveProperty: "irreflexive (never relates a thing to itself)",
    OWL.AsymmetricProperty: "asymmetric (never holds both ways)",
    OWL.ReflexiveProperty: "reflexive",
}


def verbalize(kg: KnowledgeGraph, triple: tuple[Node, Node, Node], *, negated: bool = False) -> str:
    """One sentence (no final period) for ``triple``; ``negated`` states "not (s p o)". Class
    expressions (blank nodes) are said in words, never as blank-node ids."""
    s, p, o = triple
    expr_s, expr_o = is_expression(kg, s), is_expression(kg, o)
    if expr_s or expr_o:
        said = _expression_triple(kg, s, p, o, negated, expr_s, expr_o)
        if said is not None:
            return said
    subj = name(kg, s)
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
    if p in (RDFS.domain, RDFS.range) and not isinstance(o, Literal):
        return _domain_range(kg, s, p, o, negated)
    if positive_property(kg, p) == RDF.type:  # ex:isNot: "Alex is not a wumpus"
        return f"{subj} is {'' if negated else 'not '}{class_phrase(kg, o)}"
    obj = str(o) if isinstance(o, Literal) else name(kg, o)
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


# ----------------------------------------------------------------------------- class expressions
#: The predicates that define a class expression (a blank node): said as part of the expression,
#: never as facts of their own ("N6ee41c… intersection of N12d9…").
DEFINING = frozenset({
    OWL.someValuesFrom, OWL.allValuesFrom, OWL.hasValue, OWL.onProperty, OWL.onClass,
    OWL.intersectionOf, OWL.unionOf, OWL.complementOf, OWL.oneOf, OWL.maxCardinality,
    OWL.minCardinality, OWL.cardinality, OWL.maxQualifiedCardinality, OWL.minQualifiedCardinality,
    OWL.qualifiedCardinality, OWL.onDataRange, RDF.first, RDF.rest,
})
_CARDINALITY = {
    OWL.maxCardinality: "at most", OWL.maxQualifiedCardinality: "at most",
    OWL.minCardinality: "at least", OWL.minQualifiedCardinality: "at least",
    OWL.cardinality: "exactly", OWL.qualifiedCardinality: "exactly",
}
_MAX_DEPTH = 4


def is_expression(kg: KnowledgeGraph, node: Node) -> bool:
    """Is ``node`` a blank node that a defining triple describes (a restriction, an
    intersection, union, complement or enumeration)?"""
    if not isinstance(node, BNode):
        return False
    return any(True for p in kg.rdf.predicates(node, None) if p in DEFINING and p not in (RDF.first, RDF.rest))


def is_definition(kg: KnowledgeGraph, triple: tuple[Node, Node, Node]) -> bool:
    """A triple that only defines a class expression or an RDF list (``_:x owl:onProperty p``,
    ``_:x owl:intersectionOf _:l``, ``_:x a owl:Restriction``): its content is in the words of
    the expression, so proofs shown to people leave it out."""
    s, p, o = triple
    if not isinstance(s, BNode):
        return False
    if p in DEFINING:
        return True
    return p == RDF.type and o in (OWL.Restriction, OWL.Class, RDFS.Class, RDF.List)


def name(kg: KnowledgeGraph, node: Node) -> str:
    """A term's label, or for a class expression its words ("something whose spiciness is hot")."""
    if is_expression(kg, node):
        return _expression_phrase(kg, node, 0)
    if isinstance(node, BNode) and not kg.has_label(node):
        return "something"
    return kg.label(node)


def class_noun(kg: KnowledgeGraph, cls: Node, depth: int = 0) -> str:
    """A class as a noun phrase without its article: "spicy topping", "pizza that has some spicy
    topping", "something whose spiciness is hot", "cheese topping or vegetable topping"."""
    if not is_expression(kg, cls) or depth > _MAX_DEPTH:
        return kg.label(cls) if not isinstance(cls, BNode) or kg.has_label(cls) else "something"
    g = kg.rdf
    members = _list_of(kg, cls, OWL.intersectionOf)
    if members is not None:
        named = [m for m in members if not is_expression(kg, m)]
        head = kg.label(named[0]) if named else "something"
        clauses = [f"that is {class_phrase(kg, m)}" for m in named[1:]]
        clauses += [_member_clause(kg, m, depth + 1) for m in members if is_expression(kg, m)]
        return _join_clauses(head, clauses)
    members = _list_of(kg, cls, OWL.unionOf)
    if members is not None:
        return " or ".join(class_noun(kg, m, depth + 1) for m in members) or "nothing"
    members = _list_of(kg, cls, OWL.oneOf)
    if members is not None:
        return "one of " + _and_list([name(kg, m) for m in members], "or")
    inner = g.value(cls, OWL.complementOf)
    if inner is not None:
        return f"something that is not {_phrase(kg, inner, depth + 1)}"
    if g.value(cls, OWL.onProperty) is not None:
        return _join_clauses("something", [_restriction_clause(kg, cls, depth + 1)])
    return "something"


def _expression_phrase(kg: KnowledgeGraph, cls: Node, depth: int) -> str:
    """A class expression with its article: "a pizza that …", "something that …", "a cheese
    topping or a vegetable topping", "one of red, green or blue"."""
    members = _list_of(kg, cls, OWL.unionOf)
    if members is not None and depth <= _MAX_DEPTH:
        return " or ".join(_phrase(kg, m, depth + 1) for m in members) or "nothing"
    noun = class_noun(kg, cls, depth)
    if noun.startswith(("something", "one of", "nothing")):
        return noun
    first = members[0] if (members := _list_of(kg, cls, OWL.intersectionOf)) else None
    if first is not None and not is_expression(kg, first) and (first, RDF.type, ATTRIBUTE) in kg.rdf:
        return f"something {noun}"  # an adjective first: "something cold that …"
    return f"{_article(noun)} {noun}"


def _phrase(kg: KnowledgeGraph, cls: Node, depth: int) -> str:
    return _expression_phrase(kg, cls, depth) if is_expression(kg, cls) else class_phrase(kg, cls)


def _member_clause(kg: KnowledgeGraph, member: Node, depth: int) -> str:
    """One member of an intersection as a relative clause: "that has some spicy topping"."""
    if kg.rdf.value(member, OWL.onProperty) is not None:
        return _restriction_clause(kg, member, depth)
    inner = kg.rdf.value(member, OWL.complementOf)
    if inner is not None:
        return f"that is not {_phrase(kg, inner, depth + 1)}"
    return f"that is {_expression_phrase(kg, member, depth)}"


def _join_clauses(head: str, clauses: list[str]) -> str:
    """"pizza" + ["that has some spicy topping", "whose price is 9"] → "pizza that has some spicy
    topping and whose price is 9"."""
    return " ".join([head, " and ".join(clauses)]) if clauses else head


def _restriction_clause(kg: KnowledgeGraph, r: Node, depth: int) -> str:
    """An owl:Restriction as a relative clause: "that has some spicy topping", "whose spiciness
    is hot", "that has only vegetarian toppings", "that has at most 1 spiciness"."""
    g = kg.rdf
    prop = g.value(r, OWL.onProperty)
    inverse = g.value(prop, OWL.inverseOf) if isinstance(prop, BNode) else None
    label = f"is {kg.label(inverse)} of" if inverse is not None else name(kg, prop)
    has_noun = label[4:] if label.startswith("has ") and len(label) > 4 else None
    value = g.value(r, OWL.hasValue)
    if value is not None:
        said = str(value) if isinstance(value, Literal) else name(kg, value)
        return f"whose {has_noun} is {said}" if has_noun else f"that {label} {said}"
    filler = g.value(r, OWL.someValuesFrom)
    if filler is not None:
        if filler == OWL.Thing:
            return f"that has some {has_noun}" if has_noun else f"that {label} something"
        noun = class_noun(kg, filler, depth)
        if has_noun and not _same_head(noun, has_noun):
            return f"that has some {has_noun} that is {_phrase(kg, filler, depth)}"
        return f"that {label if not has_noun else 'has'} some {noun}"
    filler = g.value(r, OWL.allValuesFrom)
    if filler is not None:
        many = _plural_class(kg, filler, depth)
        if has_noun and not _same_head(class_noun(kg, filler, depth), has_noun):
            return f"whose {plural_phrase(has_noun)} are all {many}"
        return f"that {label if not has_noun else 'has'} only {many}"
    for p, bound in _CARDINALITY.items():
        n = g.value(r, p)
        if n is None:
            continue
        on = g.value(r, OWL.onClass) or g.value(r, OWL.onDataRange)
        count = str(n)
        if on is not None and on != OWL.Thing:
            what = class_noun(kg, on, depth) if count == "1" else _plural_class(kg, on, depth)
        elif has_noun:
            what = has_noun if count == "1" else plural_phrase(has_noun)
        else:
            what = "thing" if count == "1" else "things"
        verb = "has" if has_noun else label
        return f"that {verb} {bound} {count} {what}"
    return f"that {label} something"


def _plural_class(kg: KnowledgeGraph, cls: Node, depth: int) -> str:
    if is_expression(kg, cls):
        return f"what is {_expression_phrase(kg, cls, depth)}"
    if (cls, RDF.type, ATTRIBUTE) in kg.rdf:
        return f"{kg.label(cls)} things"
    return kg.label(cls) if is_mass_noun(kg, cls) else plural_phrase(kg.label(cls))


def _same_head(noun: str, has_noun: str) -> bool:
    """Does the class name the property's noun ("spicy topping" for "has topping")?"""
    head = noun.split(" that ")[0].split(" whose ")[0].split()
    return bool(head) and head[-1].lower() == has_noun.split()[-1].lower()


def _list_of(kg: KnowledgeGraph, node: Node, predicate: Node) -> list[Node] | None:
    head = kg.rdf.value(node, predicate)
    if head is None:
        return None
    out, seen = [], set()
    while head is not None and head != RDF.nil and head not in seen and len(out) < 50:
        seen.add(head)
        first = kg.rdf.value(head, RDF.first)
        if first is not None:
            out.append(first)
        head = kg.rdf.value(head, RDF.rest)
    return out


def _and_list(words: list[str], conj: str = "and") -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conj} {words[-1]}"


def _every(kg: KnowledgeGraph, cls: Node) -> str:
    """"every pizza that …" / "everything that …" (a class as the subject of a general statement)."""
    noun = class_noun(kg, cls) if is_expression(kg, cls) else kg.label(cls)
    if noun.startswith("something"):
        return "everything" + noun[len("something"):]
    if noun.startswith("one of"):
        return f"each {noun}"
    return f"every {noun}"


def _expression_triple(kg: KnowledgeGraph, s: Node, p: Node, o: Node, negated: bool,
                       expr_s: bool, expr_o: bool) -> str | None:
    """Schema statements with a class expression on either side, said as general statements."""
    neg = "not " if negated else ""
    if p == RDFS.subClassOf:
        return f"{_every(kg, s)} is {neg}{class_phrase(kg, o)}"
    if p == OWL.equivalentClass:
        if expr_o and not expr_s:
            return f"{kg.label(s)} {'does not mean' if negated else 'means'} {class_phrase(kg, o)}"
        if expr_s and not expr_o:
            return f"{kg.label(o)} {'does not mean' if negated else 'means'} {class_phrase(kg, s)}"
        return f"{class_phrase(kg, s)} is {neg}the same as {class_phrase(kg, o)}"
    if p == OWL.disjointWith:
        text = f"nothing is both {class_phrase(kg, s)} and {class_phrase(kg, o)}"
        return f"it is not the case that {text}" if negated else text
    if p == RDF.type and expr_s:  # "_:x a owl:Class": a definition, said as such
        return f"{class_phrase(kg, s)} is {neg}{class_phrase(kg, o)}"
    return None


def _domain_range(kg: KnowledgeGraph, prop: Node, p: Node, cls: Node, negated: bool) -> str:
    """"whatever has a topping is a pizza", "every topping of something is a pizza topping"."""
    label = name(kg, prop)
    has_noun = label[4:] if label.startswith("has ") and len(label) > 4 else None
    what = class_phrase(kg, cls)
    neg = "not necessarily " if negated else ""
    if p == RDFS.domain:
        subject = f"whatever has {_article(has_noun)} {has_noun}" if has_noun else f"whatever {label} something"
    else:
        subject = f"every {has_noun} of something" if has_noun else f"whatever something {label}"
    return f"{subject} is {neg}{what}"
