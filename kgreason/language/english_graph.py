"""English graphs: controlled-English text → triples (with labels) + rules, and the ``.txt`` loader.

How sentences map (the design, kept stable because questions and verbalization rely on it):

* Individuals: names ("Bob" → ``en:Bob``) and definite phrases ("the bald eagle" →
  ``en:TheBaldEagle``, label "the bald eagle"); impersonal "it" ("it rains") → ``en:It``.
* Adjectives → classes typed ``kgr:Attribute`` ("cold" → ``en:Cold``); nouns → ``rdfs:Class``
  ("wumpus" → ``en:Wumpus``, altLabel "wumpuses"). "Bob is cold" → ``en:Bob a en:Cold``.
* Negative facts use declared negative properties: "Bob is not big" → ``en:Bob en:isNot en:Big``
  (``en:isNot kgr:negationOf rdf:type``); "the bear does not eat the cat" →
  ``en:doesNotEat kgr:negationOf en:eats``.
* Generic sentences with a plain noun subject: "Apples are fruits" / "Every wumpus is a yumpus" /
  "Wumpuses are dull" → ``rdfs:subClassOf`` (strict); with a verb, modal or relation ("Birds can
  fly", "Fruits can be eaten raw", "Mammals breathe oxygen") → a class-level triple whose property
  is a ``kgr:InheritableProperty`` (a default: "Penguins cannot fly" overrides "Birds can fly").
  Negative class statements ("Each yumpus is not small") → a strict rule with a negated head.
* Generic sentences with modifiers or a placeholder noun ("All red things are rough", "Cold
  people are red") and conditionals → :class:`~kgreason.reasoning.rules.Rule` (negated atoms for
  "not"; several head atoms allowed). "things", "people", "someone" put no class constraint.
* Intransitive verbs: "it rains" → ``en:It en:does en:Rain``; "birds can fly" → ``en:Bird en:can
  en:Fly`` — so "Does it rain?" / "Can birds fly?" find them.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Literal, Namespace, URIRef
from rdflib.term import Node

from kgreason.errors import ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import ATTRIBUTE, EX, KGR
from kgreason.language.english_parser import (
    Clause,
    Lexicon,
    Parser,
    Pred,
    Ref,
    Sentence,
    SyntaxProblem,
    split_sentences,
    tokenize,
)
from kgreason.language.morphology import plural
from kgreason.reasoning.rules import Atom, Rule, Var

log = logging.getLogger(__name__)

X = Var("x")
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")


def _camel(words: tuple[str, ...] | list[str], *, upper: bool) -> str:
    parts = [p for w in words for p in _NON_ALNUM.split(w) if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts)
    if not upper:
        text = text[:1].lower() + text[1:]
    return text or "Thing"


class TheoryBuilder:
    """Turns parsed sentences into triples + rules inside one namespace, declaring every node it
    mints once (labels, ``kgr:Attribute``, ``rdfs:Class``, negative properties)."""

    def __init__(self, kg: KnowledgeGraph, namespace: str | Namespace | None = None, source: str = "<text>"):
        self.kg = kg
        self.ns = Namespace(str(namespace)) if namespace is not None else EX
        self.source = source
        self.triples: list[tuple[Node, Node, Node]] = []
        self.declared: set[Node] = set()
        self.labelled: set[Node] = set()
        self.n_rules = 0
        kg.rdf.bind("en", self.ns, override=False)

    # ------------------------------------------------------------------ nodes
    def _label(self, node: Node, label: str, alt: str | None = None) -> None:
        if node not in self.labelled and not self.kg.has_label(node):
            self.triples.append((node, RDFS.label, Literal(label)))
            self.labelled.add(node)
        elif (node, RDFS.label, Literal(label)) not in self.triples:
            self.triples.append((node, SKOS.altLabel, Literal(label)))
        if alt and alt != label:
            self.triples.append((node, SKOS.altLabel, Literal(alt)))

    def individual(self, ref: Ref) -> Node:
        if ref.kind == "name":
            node = self.ns[_camel(ref.words, upper=True)]
            label = " ".join(ref.words)
        elif ref.kind == "the":
            node = self.ns[_camel(("the", *ref.words), upper=True)]
            label = "the " + " ".join(ref.words)
        elif ref.kind == "it":
            node, label = self.ns["It"], "it"
        else:  # "thing": a bare object ("oxygen", "eggs", "eaten raw")
            words = ref.words
            key = (*words[:-1], self._singular(words[-1])) if len(words) <= 2 else words
            node = self.ns[_camel(key, upper=True)]
            label = " ".join(words)
        if node not in self.declared:
            self.declared.add(node)
            self._label(node, label)
        return node

    def _singular(self, word: str) -> str:
        return self.lexicon.singular(word) if hasattr(self, "lexicon") else word

    def noun_class(self, words: tuple[str, ...]) -> Node:
        node = self.ns[_camel(words, upper=True)]
        if node not in self.declared:
            self.declared.add(node)
            label = " ".join(words)
            self._label(node, label, " ".join((*words[:-1], plural(words[-1]))))
            self.triples.append((node, RDF.type, RDFS.Class))
        return node

    def attribute(self, words: tuple[str, ...]) -> Node:
        node = self.ns[_camel(words, upper=True)]
        if node not in self.declared:
            self.declared.add(node)
            self._label(node, " ".join(words))
            self.triples.append((node, RDF.type, ATTRIBUTE))
        return node

    def prop(self, pred: Pred, *, negative: bool = False, inheritable: bool = False) -> Node:
        """The property for ``pred`` (its negative property when ``negative``)."""
        if pred.kind in ("adj", "noun"):
            pos: Node = RDF.type
        else:
            pos = self.ns[_camel(pred.label, upper=False)]
            if pos not in self.declared:
                self.declared.add(pos)
                self._label(pos, " ".join(pred.label), " ".join(pred.base))
            if inheritable and ("inh", pos) not in self.declared:
                self.declared.add(("inh", pos))  # type: ignore[arg-type]
                self.triples.append((pos, RDF.type, KGR.InheritableProperty))
        if not negative:
            return pos
        if pos == RDF.type:
            neg_words, alt = ("is", "not"), ("are", "not")
        else:
            neg_words = pred.neg
            alt = ("do", "not", *neg_words[2:]) if neg_words[:2] == ("does", "not") else None
        neg = self.ns[_camel(neg_words, upper=False)]
        if neg not in self.declared:
            self.declared.add(neg)
            self._label(neg, " ".join(neg_words), " ".join(alt) if alt else None)
            self.triples.append((neg, KGR.negationOf, pos))
        return neg

    def term(self, ref: Ref) -> Node | Var:
        return X if ref.kind == "var" else self.individual(ref)

    def obj(self, pred: Pred) -> Node | Var:
        if pred.kind == "adj":
            return self.attribute(pred.words)
        if pred.kind == "noun":
            return self.noun_class(pred.words)
        assert pred.obj is not None
        return self.term(pred.obj)

    def atom(self, clause: Clause) -> Atom:
        p = self.prop(clause.pred)
        if clause.pred.negated and p == RDF.type:
            self.prop(clause.pred, negative=True)  # declare en:isNot for proofs/verbalization
        elif clause.pred.negated:
            self.prop(clause.pred, negative=True)
        return Atom(self.term(clause.subject), p, self.obj(clause.pred), clause.pred.negated)

    # ------------------------------------------------------------------ sentences
    def add(self, sent: Sentence, line: int, number: int) -> None:
        """Triples or a rule for one parsed sentence (raises SyntaxProblem when it has no reading)."""
        where = f"{self.source}:{line}"
        plain_class = sent.generic_noun and not sent.generic_modifiers
        if plain_class:
            cls = self.noun_class(sent.generic_noun)
            rule_heads: list[Atom] = []
            for clause in sent.head:
                pred = clause.pred
                if pred.kind in ("adj", "noun") and not pred.negated:
                    self.triples.append((cls, RDFS.subClassOf, self.obj(pred)))
                elif pred.kind in ("adj", "noun"):
                    rule_heads.append(self.atom(clause))
                else:
                    o = self.obj(pred)
                    if isinstance(o, Var):
                        raise SyntaxProblem("a generic sentence cannot refer back to its subject")
                    p = self.prop(pred, negative=pred.negated, inheritable=True)
                    self.prop(pred, inheritable=True)
                    self.triples.append((cls, p, o))
            if rule_heads:
                self._rule(sent, (Atom(X, RDF.type, cls),), tuple(rule_heads), where, number)
            return
        if sent.body:
            body = tuple(self.atom(c) for c in sent.body)
            head = tuple(self.atom(c) for c in sent.head)
            bound = {t for a in body for t in a.terms() if isinstance(t, Var)}
            if any(isinstance(t, Var) and t not in bound for a in head for t in a.terms()):
                raise SyntaxProblem("the conclusion refers to 'it' but no condition says 'something'")
            self._rule(sent, body, head, where, number)
            return
        for clause in sent.head:
            if clause.subject.kind == "var":
                raise SyntaxProblem("a fact needs a named subject, not 'something'")
            a = self.atom(clause)
            if isinstance(a.o, Var):
                raise SyntaxProblem("a fact cannot refer to 'it'")
            p = self.prop(clause.pred, negative=True) if a.negated else a.p
            self.triples.append((a.s, p, a.o))

    def _rule(self, sent: Sentence, body: tuple[Atom, ...], head: tuple[Atom, ...], where: str,
              number: int) -> None:
        self.n_rules += 1
        self.kg.rules.append(Rule(id=f"{self.source}#{number}", head=head, body=body,
                                  text=sent.text, source=where))

    def flush(self) -> None:
        self.kg.add_all(self.triples)
        self.triples = []


def parse_into(text: str, kg: KnowledgeGraph, *, namespace: str | Namespace | None = None,
               source: str = "<text>", first_line: int = 1) -> KnowledgeGraph:
    """Parse controlled English into ``kg`` (facts → kg.rdf, rules → kg.rules, unparsed sentences
    → kg.issues as ``"source:line: sentence — why"``)."""
    sentences = split_sentences(text, first_line=first_line)
    toks = [tokenize(s) for _, s in sentences]
    lexicon = Lexicon.from_text(toks)
    parser = Parser(lexicon)
    builder = TheoryBuilder(kg, namespace, source)
    builder.lexicon = lexicon  # type: ignore[attr-defined]
    for number, ((line, sent_text), tokens) in enumerate(zip(sentences, toks), start=1):
        mark = (len(builder.triples), len(kg.rules), set(builder.declared), set(builder.labelled))
        try:
            builder.add(parser.parse(tokens, sent_text), line, number)
        except SyntaxProblem as exc:
            del builder.triples[mark[0]:]
            del kg.rules[mark[1]:]
            builder.declared, builder.labelled = mark[2], mark[3]
            kg.issues.append(f"{source}:{line}: {sent_text} — {exc}")
    builder.flush()
    return kg


def parse_theory(text: str, namespace: str | Namespace | None = None, source: str = "<text>") -> KnowledgeGraph:
    """A new KnowledgeGraph from controlled-English text (a theory, an English graph file)."""
    kg = KnowledgeGraph(sources=[source] if source != "<text>" else [])
    return parse_into(text, kg, namespace=namespace, source=source)


def load_english(path: Path, kg: KnowledgeGraph) -> None:
    """Loader for ``.txt`` English graphs: a few bad sentences become ``kg.issues``; a file where
    no sentence parses raises ParseError (it is probably not an English graph)."""
    text = path.read_text(encoding="utf-8")
    before_issues = len(kg.issues)
    before = (len(kg), len(kg.rules))
    parse_into(text, kg, source=str(path))
    new_issues = kg.issues[before_issues:]
    for issue in new_issues:
        log.warning("%s", issue)
    if new_issues and (len(kg), len(kg.rules)) == before:
        first = new_issues[0]
        line = int(first.split(":", 2)[1]) if first.split(":", 2)[1].isdigit() else None
        raise ParseError(
            f"no sentence could be read as controlled English ({len(new_issues)} tried); first: "
            f"{first.split(': ', 1)[-1]}",
            path=str(path), line=line,
            hint="write one simple sentence per line, e.g. 'Apples are fruits.' or "
                 "'If something is cold then it is red.' (see kgreason.language.english_graph)",
        )


def is_english_node(node: Node, namespace: str | Namespace | None = None) -> bool:
    return isinstance(node, URIRef) and str(node).startswith(str(namespace or EX))
