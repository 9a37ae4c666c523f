"""Common knowledge the text leaves unsaid, from WordNet: "All kind animals are quiet. The bear is
kind." says nothing about the bear unless a bear is known to be an animal.

For every class a theory's rules or facts name ("animals") and every thing it names by a common
noun ("the bear", the class "puppy"), WordNet (Debian ``wordnet-base``, read on demand by
:mod:`kgreason.graph.wordnet_lookup`) is asked whether the noun is a kind of the class. Each link
found becomes a rule without conditions whose id names the synset and whose text gives the chain
("WordNet: bear.n.01 is a kind of animal.n.01 (bear → carnivore → … → animal)"), so every proof
that uses it shows that step. Only positive links are added: the absence of a WordNet link never
says "no". Nothing happens when WordNet is not installed or the text names no class."""

from __future__ import annotations

import logging
import re

from rdflib import RDF, RDFS, URIRef
from rdflib.term import Node

from kgreason.core.rules import Atom, Rule
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import ATTRIBUTE
from kgreason.language.morphology import singular

log = logging.getLogger(__name__)

#: Rule ids of background links start with this.
PREFIX = "wordnet:"
#: Texts naming more classes than this are graphs, not theories: looked up by questions instead.
MAX_CLASSES = 200
_PLACEHOLDERS = frozenset(["thing", "things", "someone", "something", "person", "people", "one"])


def _head_noun(label: str) -> str | None:
    words = [w for w in label.lower().split() if w.isalpha()]
    if words and words[0] == "the":
        words = words[1:]
    if not words or words[-1] in _PLACEHOLDERS:
        return None
    return singular(words[-1])


def _class_words(label: str) -> str | None:
    words = [w for w in label.lower().split() if w.isalpha() and w != "the"]
    if not words or words[-1] in _PLACEHOLDERS:
        return None
    return "_".join(words[:-1] + [singular(words[-1])])


def add_background(kg: KnowledgeGraph, *, lookup=None) -> list[Rule]:
    """Add WordNet's class links for ``kg`` to ``kg.rules``; the rules added."""
    rdf = kg.rdf
    if (None, RDF.type, RDFS.Class) not in rdf and not any(
            a.p == RDF.type and (a.o, RDF.type, ATTRIBUTE) not in rdf
            for r in kg.rules for a in (*r.body, *r.head)):
        return []  # no class anywhere, only attributes: nothing to link (most templated theories)
    if lookup is None:
        from kgreason.graph.wordnet_lookup import lookup as shared

        lookup = shared()
    if lookup is None:
        return []
    attributes = set(rdf.subjects(RDF.type, ATTRIBUTE))
    # the classes the text relies on: rule conditions and conclusions, class facts
    targets: set[Node] = set()
    for rule in kg.rules:
        for atom in (*rule.body, *rule.head):
            if atom.p == RDF.type and isinstance(atom.o, URIRef) and atom.o not in attributes:
                targets.add(atom.o)
    targets |= {o for o in rdf.objects(None, RDFS.subClassOf) if o not in attributes}
    classes = set(rdf.subjects(RDF.type, RDFS.Class))
    targets |= classes  # class-level statements ("All birds can fly") are inherited too
    if not targets or len(targets) > MAX_CLASSES:
        return []
    things = {s for s, label in rdf.subject_objects(RDFS.label)
              if isinstance(s, URIRef) and str(label).lower().startswith("the ")}
    known = {(s, o) for s, o in rdf.subject_objects(RDF.type)} | \
        {(s, o) for s, o in rdf.subject_objects(RDFS.subClassOf)}
    added: list[Rule] = []
    for target in sorted(targets, key=str):
        kind = _class_words(kg.label(target))
        if kind is None:
            continue
        for node in sorted((classes | things) - {target}, key=str):
            if (node, target) in known:
                continue
            noun = _head_noun(kg.label(node))
            if noun is None:
                continue
            is_class = node in classes and node not in things
            if noun == kind:  # "the penguin" is a penguin: its own noun, no WordNet needed
                if is_class:
                    continue
                rule_id, text = f"noun:{noun}", f"{kg.label(node)} is named by the noun '{noun}'"
            else:
                chain = lookup.is_a(noun, kind)
                if chain is None:
                    continue
                rule_id = f"{PREFIX}{chain[0]}"
                text = (f"WordNet: {chain[0]} ({noun}) is a kind of {chain[-1]} "
                        f"({kind.replace('_', ' ')})" + (f": {' < '.join(chain)}" if len(chain) > 2 else ""))
            head = Atom(node, RDFS.subClassOf if is_class else RDF.type, target)
            rule = Rule(id=rule_id, head=(head,), body=(), text=text)
            kg.rules.append(rule)
            added.append(rule)
    if added:
        log.debug("background knowledge: %d WordNet links", len(added))
    return added



# ---------------------------------------------------------------------- questions against a graph
#: Words of a membership question found in WordNet but not in the graph get IRIs here; their
#: local name is the word, so they read as the word ("Sun is a star.").
WORD = "https://w3id.org/kgreason/wordnet/word#"
_ARTICLE = frozenset(["a", "an", "the"])


def membership_words(question: str) -> list[tuple[str, str]]:
    """"Is the sun a star?" → [("sun", "star")]: the (subject, class) noun phrases a membership
    question may mean, most likely first; [] for other questions (and for negated ones: a WordNet
    link never answers "not")."""
    text = question.strip().rstrip("?.! ").strip()
    words = text.split()
    if len(words) < 3 or words[0].lower() not in ("is", "are", "was", "were") or \
            any(w.lower() in ("not", "n't") for w in words[1:]) or words[0].lower().endswith("n't"):
        return []
    rest = words[1:]
    if rest and rest[0].lower() in _ARTICLE:
        rest = rest[1:]
    out = []
    article = [i for i, w in enumerate(rest) if i and w.lower() in ("a", "an")]
    if article:  # "sun a star", "a robin a bird"
        i = article[0]
        out.append((" ".join(rest[:i]), " ".join(w for w in rest[i + 1:] if w.lower() not in _ARTICLE)))
    else:  # "whales mammals", "milk food": every split
        out += [(" ".join(rest[:i]), " ".join(rest[i:])) for i in range(1, len(rest))]
    return [(a, b) for a, b in out if a and b]


def answer_membership(question: str, kg: KnowledgeGraph, *, lookup=None):
    """A yes from WordNet for a membership question the graph cannot decide ("Is the sun a
    star?", "Is milk a drink?"): a :class:`~kgreason.core.Decision` whose proof is the WordNet
    step (rule ``wordnet:<synset>``, its text naming the synsets and the hypernym chain), or None
    when WordNet is not installed or has no such link — never a "no"."""
    pairs = membership_words(question)
    if not pairs:
        return None
    if lookup is None:
        from kgreason.graph.wordnet_lookup import lookup as shared

        lookup = shared()
    if lookup is None:
        return None
    for subject, kind in pairs:
        for noun in _noun_forms(subject):
            for cls in _noun_forms(kind):
                chain = lookup.is_a(noun, cls) if noun != cls else None
                if chain is not None:
                    return _decision(kg, lookup, subject, kind, noun, cls, chain)
    return None


def _noun_forms(phrase: str) -> list[str]:
    """WordNet lemmas a phrase may be: its singular ("whales" → whale) and, where that differs,
    the words as written ("Paris", not "pari")."""
    words = [w for w in phrase.lower().split() if w.isalpha() and w not in _ARTICLE]
    if not words or words[-1] in _PLACEHOLDERS:
        return []
    forms = ["_".join(words[:-1] + [singular(words[-1])]), "_".join(words)]
    return list(dict.fromkeys(forms))


def _decision(kg: KnowledgeGraph, lookup, subject: str, kind: str, noun: str, cls: str, chain: list[str]):
    from kgreason.core import REASONER, Candidate, Decision, Proof, Truth, Verdict
    from kgreason.language.label_index import label_index
    from kgreason.language.verbalize import sentence, verbalize

    index = label_index(kg)

    def node(words: str, name: str) -> Node:
        exact = [n for n, score in index.link(words.lower().split()) if score >= 1.0]
        return exact[0] if exact else URIRef(WORD + name)

    s, o = node(subject, noun), node(kind, cls)
    instance = lookup.is_instance(chain[0], chain[1]) if len(chain) > 1 else False
    # a thing (WordNet's instance, or an individual of the graph) is one; a kind is a kind of one
    thing = instance if str(s).startswith(WORD) else s not in index.classes
    p = RDF.type if thing else RDFS.subClassOf
    how = "an instance of" if instance else "a kind of"
    text = (f"WordNet: {chain[0]} ({noun.replace('_', ' ')}) is {how} {chain[-1]} "
            f"({cls.replace('_', ' ')})" + (f": {' < '.join(chain)}" if len(chain) > 2 else ""))
    triple = (s, p, o)
    proof = Proof(triple, False, f"{PREFIX}{chain[0]}", text)
    cand = Candidate(triple, False, 1.0)
    return Decision(answer="yes", decided_by=REASONER, confidence=1.0, candidate=cand,
                    statement=sentence(verbalize(kg, triple)),
                    verdict=Verdict(Truth.TRUE, triple, proof),
                    reason=f"proved with background knowledge from WordNet ({chain[0]} is {how} "
                           f"{chain[-1]})")
