"""Open questions → a triple pattern with one variable (:class:`~kgreason.core.OpenQuestion`).

"Which birds cannot fly?" → ``?x cannot Fly`` restricted to birds; "What does a koala eat?" →
``Koala eats ?x``; "Who swims with Flipper?" → ``?x swimsWith Flipper``; "How many …?" as
"Which …?"; "What is X?" → X's types and superclasses; "Why …?" → the yes/no question it asks
about. The pattern is read by the statement reader itself — the question is turned into a
statement with a stand-in for the unknown ("Zorblax cannot fly.", "A koala eats Zorblax.") — so
open questions use exactly the labels, lemmas and linking of yes/no questions.
"""

from __future__ import annotations

import re
import weakref
from typing import Any

from rdflib import OWL, RDF, RDFS
from rdflib.term import Node, URIRef

from kgreason.core import OpenQuestion, QueryReading, X
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import KGR, is_vocabulary, local_name
from kgreason.language.english_words import COPULA, DO, HAVE, MODAL
from kgreason.language.label_index import label_index
from kgreason.language.questions import WH_WORDS, is_known, parse_question, parse_statement

#: A name no graph uses: graphs in controlled English mint it like any name.
STAND_IN = "Zorblax"
_WORD = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d+")
_ARTICLES = frozenset(["a", "an", "the"])
_STAND_INS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def is_open_question(text: str) -> bool:
    words = _WORD.findall(text)
    return bool(words) and words[0].lower() in WH_WORDS


def parse_open_question(text: str, kg: KnowledgeGraph, linker: Any = None) -> OpenQuestion:
    """The open question as a pattern over this graph's vocabulary (``readings`` empty and a
    ``reason`` when it cannot be read)."""
    question = text.strip()
    words = _WORD.findall(question)
    if not words or words[0].lower() not in WH_WORDS:
        return OpenQuestion(question, "what", reason="not a what / which / who / why / how many question")
    first, body = words[0].lower(), words[1:]
    if first == "why":
        yes_no = " ".join(body)
        hyp = parse_question(yes_no[:1].upper() + yes_no[1:] + "?", kg, linker)
        return OpenQuestion(question, "why", hypothesis=hyp, reason=hyp.reason)
    if first == "how":
        if not body or body[0].lower() != "many":
            return OpenQuestion(question, "what", reason="of 'how' questions only 'how many …?' is answered")
        kind, body = "how_many", body[1:]
    elif first in ("who", "whom"):
        kind = "who"
    elif first in ("what", "which"):
        kind = first
    else:
        return OpenQuestion(question, "what", reason=f"'{first}' questions are not answered yet "
                                                     "(ask what / which / who / why / how many)")
    if not body:
        return OpenQuestion(question, kind, reason="the question asks nothing")
    index = label_index(kg)
    if kind == "how_many":
        counting = _count_question(kg, index, question, body, linker)
        if counting is not None:
            return counting
    described = _what_is(kg, index, body, kind)
    if described is not None:
        return OpenQuestion(question, "what_is", subject=described)
    restriction, body = _restriction(index, body) if kind != "who" else (None, body)
    if restriction is not None and [w.lower() for w in body] in (["are", "there"], ["is", "there"]):
        # "How many fruits are there?": the members and kinds of the class itself
        return OpenQuestion(question, kind, readings=[QueryReading((X, RDFS.subClassOf, restriction),
                                                                   False, 1.0)])
    readings = _readings(kg, body, linker)
    out = OpenQuestion(question, kind, readings=readings, restriction=restriction)
    if not readings:
        out.reason = f"no reading of {question!r} matches this graph's labels"
    return out


def _count_question(kg: KnowledgeGraph, index, question: str, body: list[str],
                    linker: Any) -> OpenQuestion | None:
    """"How many legs does a spider have?" / "How many moons has Mars got?": what is counted
    ("legs"), the thing it is counted of (``subject``) and the object readings ("spider has X");
    None when the question counts its own answers ("How many birds cannot fly?")."""
    j = next((i for i, w in enumerate(body) if i and w.lower() in DO | HAVE), None)
    if j is None or j + 1 >= len(body):
        return None
    counted = tuple(w.lower() for w in body[:j])
    rest = body[j:]
    subject = None
    for end in range(len(rest) - 1, 1, -1):  # the subject: the longest span after the auxiliary
        words = [w for w in rest[1:end] if w.lower() not in _ARTICLES]
        exact = [n for n, score in index.link(words) if score >= 0.9] if words else []
        if exact:
            subject = exact[0]
            break
    readings = [r for r in _readings(kg, rest, linker) if r.slot == 2]
    if rest[0].lower() in HAVE and not readings:  # "How many legs has a spider (got)?"
        readings = [r for r in _readings(kg, ["does", *rest[1:-1], "have"] if rest[-1].lower() == "got"
                                         else ["does", *rest[1:], "have"], linker) if r.slot == 2]
    out = OpenQuestion(question, "how_many", readings=readings, subject=subject, counted=counted)
    if subject is None and not readings:
        out.reason = f"no reading of {question!r} matches this graph's labels"
    return out


#: Number words → values, for counts the graph states in words ("eight legs").
NUMBER_VALUES = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
NUMBER_VALUES.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
                      "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12, "a": 1, "an": 1,
                      "single": 1, "no": 0})


def stated_count(label: str, counted: tuple[str, ...]) -> int | None:
    """The number a label states of the counted thing: "eight legs" of ("legs",) → 8, "4 wheels"
    of ("wheels",) → 4; None when the label is not a count of it ("wings", "six legs" of eyes)."""
    from kgreason.language.morphology import singular

    words = [w.lower() for w in _WORD.findall(label)]
    want = [singular(w) for w in counted if w not in _ARTICLES]
    if len(words) < 2 or not want:
        return None
    if [singular(w) for w in words[1:]] != want:
        return None
    first = words[0]
    if first.isdigit():
        return int(first)
    return NUMBER_VALUES.get(first) if first not in ("a", "an", "no") else None


def _what_is(kg: KnowledgeGraph, index, body: list[str], kind: str) -> Node | None:
    """"What is (a|an|the) X?" / "Who is X?" where X names one thing of the graph exactly
    ("Who is a person?" asks for a list, not a description)."""
    if kind not in ("what", "who") or len(body) < 2 or body[0].lower() not in COPULA:
        return None
    article = body[1].lower() in _ARTICLES
    if kind == "who" and article and body[1].lower() != "the":
        return None
    phrase = body[2:] if article else body[1:]
    exact = [n for n, score in index.link(phrase, limit=100) if score >= 1.0]
    if not exact:
        return None
    # several things share the label (WordNet's senses "dog.n.01", "dog.n.03"): the first that
    # the graph describes, in IRI order (WordNet numbers its senses most frequent first)
    head = "_".join(w.lower() for w in phrase) + "."
    node = min([n for n in exact if _described(kg, n)] or exact,
               key=lambda n: (not local_name(n).lower().startswith(head), str(n)))
    if (node, RDF.type, KGR.Attribute) in kg.rdf:  # "What is cold?" asks which things are cold
        return None
    if not article and index.is_class(node) and not _described(kg, node):
        return None  # "What is part of the body?": a class label with nothing to say of it; a pattern
    return node


def _described(kg: KnowledgeGraph, node: Node) -> bool:
    """Does the graph state a type or superclass of ``node`` (beyond RDF/OWL vocabulary)?"""
    return any(not is_vocabulary(o)
               for p in (RDF.type, RDFS.subClassOf, OWL.equivalentClass)
               for o in kg.rdf.objects(node, p))


def _restriction(index, body: list[str]) -> tuple[Node | None, list[str]]:
    """"Which *birds* cannot fly": the longest leading phrase naming a class, if any."""
    if body and body[0].lower() in COPULA | DO | HAVE | MODAL | _ARTICLES:
        return None, body  # "What is a kind of apple?", "What can fly?": no class named first
    for i in range(min(len(body) - 1, 4), 0, -1):
        classes = [n for n, score in index.link(body[:i]) if score >= 0.9 and index.is_class(n)]
        if classes:
            return classes[0], body[i:]
    return None, body


def _stand_ins(kg: KnowledgeGraph) -> list[str]:
    """The words that stand in for the unknown: the minted name (graphs in controlled English),
    and for graphs named by labels a class ("apple") and an individual ("Tweety") whose one-word
    label names it alone — the slot's node is then known to be the stand-in."""
    hit = _STAND_INS.get(kg)
    if hit is not None and hit[0] == kg.version:
        return hit[1]
    index = label_index(kg)
    classes = {c for c in kg.classes() if not is_vocabulary(c)}
    individuals = set(kg.rdf.subjects(RDF.type, None)) - classes - kg.properties()
    found = [STAND_IN]
    for pool, case in ((classes, str.islower), (individuals, str.istitle)):
        for node in sorted(pool, key=str):
            if isinstance(node, URIRef) and not is_vocabulary(node):
                label = kg.label(node)
                if label.isalpha() and case(label) and len(label) > 2:
                    links = index.link([label])
                    if len(links) == 1 and links[0] == (node, 1.0):
                        found.append(label)
                        break
    _STAND_INS[kg] = (kg.version, found)
    return found


def _statements(body: list[str], stand_in: str) -> list[tuple[str, int]]:
    """(statement, slot of the unknown) for a question body: subject ("X can fly"), then object
    ("a koala eats X", "penguins can eat X") readings."""
    out = [(f"{stand_in} {' '.join(body)}.", 0)]
    aux = body[0].lower()
    negative = aux in _NEGATIVE_AUX  # "What cannot a penguin do?", "What doesn't a cow eat?"
    aux = _NEGATIVE_AUX.get(aux, aux)
    if (aux in DO or aux in MODAL or aux in COPULA) and len(body) > 2:
        rest = body[1:]
        for k in range(1, len(rest)):
            subject, verb = rest[:k], rest[k:]
            negated = negative or verb[0].lower() == "not"  # "What does a cow not eat?"
            verb = verb[1:] if verb[0].lower() == "not" else verb
            if not verb:
                continue
            if aux in DO and not negated:
                forms = [verb, [_third_person(verb[0]), *verb[1:]]]
                out += [(f"{' '.join(subject)} {' '.join(v)} {stand_in}.", 2) for v in forms]
            else:
                text = f"{' '.join(subject)} {aux}{' not' if negated else ''} {' '.join(verb)} {stand_in}."
                out.append((text, 2))
    return out


#: Negative auxiliaries of object questions and their positive form ("What cannot a penguin do?").
_NEGATIVE_AUX = {"cannot": "can", "can't": "can", "couldn't": "could", "won't": "will",
                 "wouldn't": "would", "mustn't": "must", "shouldn't": "should", "doesn't": "does",
                 "don't": "do", "didn't": "did", "isn't": "is", "aren't": "are", "wasn't": "was",
                 "weren't": "were"}


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "sh", "ch", "x", "z")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _readings(kg: KnowledgeGraph, body: list[str], linker: Any) -> list[QueryReading]:
    """The patterns the statement reader finds, by the graph's labels first; the embedding
    linker only when the labels give no reading at all (it costs about 5 ms a phrase, and the
    reader tries many phrases of each statement it is given)."""
    return _read(kg, body, None) or (_read(kg, body, linker) if linker is not None else [])


def _read(kg: KnowledgeGraph, body: list[str], linker: Any) -> list[QueryReading]:
    found: dict[tuple, QueryReading] = {}
    index = label_index(kg)
    mentioned = {w.lower() for w in body}
    for stand_in in _stand_ins(kg):
        if stand_in.lower() in mentioned:
            continue
        stand_nodes = {node for node, score in index.link([stand_in]) if score >= 1.0}
        for statement, slot in _statements(body, stand_in):
            hyp = parse_statement(statement, kg, linker)
            for cand in hyp.candidates:
                term = cand.triple[slot]
                if not (term in stand_nodes or _is_stand_in(term)):
                    continue
                pattern = tuple(X if i == slot else t for i, t in enumerate(cand.triple))
                if X in (pattern[1], pattern[2 - slot]) or not all(
                        is_known(kg, t) for t in pattern if t is not X):
                    continue
                key = (pattern, cand.negated)
                if key not in found or cand.score > found[key].score:
                    found[key] = QueryReading(pattern, cand.negated, float(cand.score))
    return sorted(found.values(), key=lambda r: -r.score)


def _is_stand_in(node: Node) -> bool:
    return isinstance(node, URIRef) and local_name(node) == STAND_IN
