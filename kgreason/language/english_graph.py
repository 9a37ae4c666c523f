"""English graphs: controlled-English text → triples (with labels) + rules, and the ``.txt`` loader.

How sentences map (the design, kept stable because questions and verbalization rely on it):

* Individuals: names ("Bob" → ``ex:Bob``) and definite phrases ("the bald eagle" →
  ``ex:TheBaldEagle``, label "the bald eagle"); impersonal "it" ("it rains") → ``ex:It``.
* Adjectives → classes typed ``kgr:Attribute`` ("cold" → ``ex:Cold``); nouns → ``rdfs:Class``
  ("wumpus" → ``ex:Wumpus``, altLabel "wumpuses"). "Bob is cold" → ``ex:Bob a ex:Cold``.
* Negative facts use declared negative properties: "Bob is not big" → ``ex:Bob ex:isNot ex:Big``
  (``ex:isNot kgr:negationOf rdf:type``); "the bear does not eat the cat" →
  ``ex:doesNotEat kgr:negationOf ex:eats``.
* Generic sentences with a plain noun subject: "Apples are fruits" / "Every wumpus is a yumpus" /
  "Wumpuses are dull" → ``rdfs:subClassOf`` (strict); with a verb, modal or relation ("Birds can
  fly", "Fruits can be eaten raw", "Mammals breathe oxygen") → a class-level triple whose property
  is a ``kgr:InheritableProperty`` (a default: "Penguins cannot fly" overrides "Birds can fly").
  Negative class statements ("Each yumpus is not small") → a strict rule with a negated head.
* Generic sentences with modifiers or a placeholder noun ("All red things are rough", "Cold
  people are red") and conditionals → :class:`~kgreason.core.rules.Rule` (negated atoms for
  "not"; several head atoms allowed). "things", "people", "someone" put no class constraint.
* Intransitive verbs: "it rains" → ``ex:It ex:does ex:Rain``; "birds can fly" → ``ex:Bird ex:can
  ex:Fly`` — so "Does it rain?" / "Can birds fly?" find them.
"""

from __future__ import annotations

import logging
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import RDF, RDFS, SKOS, Literal, Namespace, URIRef
from rdflib.term import Node

from kgreason.core.rules import Atom, Rule, Var
from kgreason.errors import ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import ATTRIBUTE, EX, EX_PREFIX, KGR
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

log = logging.getLogger(__name__)

X = Var("x")
# rdflib's namespace attribute lookups are slow in hot loops: bind the terms once.
_TYPE, _CLASS, _SUBCLASS = RDF.type, RDFS.Class, RDFS.subClassOf
_LABEL, _ALT = RDFS.label, SKOS.altLabel
_INHERITABLE, _NEGATION_OF = KGR.InheritableProperty, KGR.negationOf
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")

Triple = tuple[Node, Node, Node]


@lru_cache(maxsize=65536)
def _camel(words: tuple[str, ...], upper: bool) -> str:
    parts = [p for w in words for p in _NON_ALNUM.split(w) if p]
    text = "".join(p[:1].upper() + p[1:] for p in parts)
    if not upper:
        text = text[:1].lower() + text[1:]
    return text or "Thing"


@lru_cache(maxsize=131072)
def _uri(namespace: str, local: str) -> URIRef:
    return URIRef(namespace + local)


@lru_cache(maxsize=131072)
def _lit(text: str) -> Literal:
    return Literal(text)


@dataclass
class Script:
    """What one sentence contributes, independent of the rest of the text: node declarations
    (node, label, altLabel, extra triples), facts, and rules as (body, head). Pure, so cached."""

    decls: list[tuple[Node, Literal, Literal | None, tuple[Triple, ...]]] = field(default_factory=list)
    facts: list[Triple] = field(default_factory=list)
    rules: list[tuple[tuple[Atom, ...], tuple[Atom, ...]]] = field(default_factory=list)


class SentenceCompiler:
    """Logical form → :class:`Script` in one namespace (the loader's term-minting; questions reuse
    it to find the exact nodes a graph written in English uses)."""

    def __init__(self, namespace: str | Namespace | None = None, lexicon: Lexicon | None = None):
        self.ns = Namespace(str(namespace)) if namespace is not None else EX
        self._ns = str(self.ns)
        self.lexicon = lexicon or Lexicon()
        self.script = Script()

    def _decl(self, node: Node, label: str, alt: str | None = None, extra: tuple[Triple, ...] = ()) -> Node:
        self.script.decls.append((node, _lit(label), _lit(alt) if alt and alt != label else None, extra))
        return node

    # ------------------------------------------------------------------ nodes
    def individual(self, ref: Ref) -> Node:
        if ref.kind == "name":
            return self._decl(_uri(self._ns, _camel(ref.words, True)), " ".join(ref.words))
        if ref.kind == "the":
            return self._decl(_uri(self._ns, _camel(("the", *ref.words), True)), "the " + " ".join(ref.words))
        if ref.kind == "it":
            return self._decl(_uri(self._ns, "It"), "it")
        # a bare object ("oxygen", "eggs", "eaten raw"): named by its singular, labelled as written
        words = ref.words
        key = (*words[:-1], self.lexicon.singular(words[-1])) if len(words) <= 2 else words
        return self._decl(_uri(self._ns, _camel(key, True)), " ".join(words))

    def noun_class(self, words: tuple[str, ...]) -> Node:
        node = _uri(self._ns, _camel(words, True))
        return self._decl(node, " ".join(words), " ".join((*words[:-1], plural(words[-1]))),
                          ((node, _TYPE, _CLASS),))

    def attribute(self, words: tuple[str, ...]) -> Node:
        node = _uri(self._ns, _camel(words, True))
        return self._decl(node, " ".join(words), None, ((node, _TYPE, ATTRIBUTE),))

    def prop(self, pred: Pred, *, negative: bool = False, inheritable: bool = False) -> Node:
        """The property for ``pred`` (its declared negative property when ``negative``)."""
        if pred.kind in ("adj", "noun"):
            pos: Node = _TYPE
        else:
            pos = _uri(self._ns, _camel(pred.label, False))
            extra = ((pos, _TYPE, _INHERITABLE),) if inheritable else ()
            self._decl(pos, " ".join(pred.label), " ".join(pred.base), extra)
        if not negative:
            return pos
        if pos == _TYPE:
            neg_words, alt = ("is", "not"), ("are", "not")
        else:
            neg_words = pred.neg
            alt = ("do", "not", *neg_words[2:]) if neg_words[:2] == ("does", "not") else None
        neg = _uri(self._ns, _camel(neg_words, False))
        return self._decl(neg, " ".join(neg_words), " ".join(alt) if alt else None,
                          ((neg, _NEGATION_OF, pos),))

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
        if clause.pred.negated:
            self.prop(clause.pred, negative=True)  # declared for proofs and verbalization
        return Atom(self.term(clause.subject), p, self.obj(clause.pred), clause.pred.negated)

    # ------------------------------------------------------------------ sentences
    def compile(self, sent: Sentence) -> Script:
        """The script of one sentence (raises SyntaxProblem when it has no reading)."""
        self.script = script = Script()
        if sent.generic_noun and not sent.generic_modifiers:
            cls = self.noun_class(sent.generic_noun)
            rule_heads: list[Atom] = []
            for clause in sent.head:
                pred = clause.pred
                if pred.kind in ("adj", "noun") and not pred.negated:
                    script.facts.append((cls, _SUBCLASS, self.obj(pred)))
                elif pred.kind in ("adj", "noun"):
                    rule_heads.append(self.atom(clause))
                else:
                    o = self.obj(pred)
                    if isinstance(o, Var):
                        raise SyntaxProblem("a generic sentence cannot refer back to its subject")
                    self.prop(pred, inheritable=True)
                    script.facts.append((cls, self.prop(pred, negative=pred.negated), o))
            if rule_heads:
                script.rules.append(((Atom(X, _TYPE, cls),), tuple(rule_heads)))
            return script
        if sent.body:
            body = tuple(self.atom(c) for c in sent.body)
            head = tuple(self.atom(c) for c in sent.head)
            bound = {t for a in body for t in a.terms() if isinstance(t, Var)}
            if any(isinstance(t, Var) and t not in bound for a in head for t in a.terms()):
                raise SyntaxProblem("the conclusion refers to 'it' but no condition says 'something'")
            script.rules.append((body, head))
            return script
        for clause in sent.head:
            if clause.subject.kind == "var":
                raise SyntaxProblem("a fact needs a named subject, not 'something'")
            a = self.atom(clause)
            if isinstance(a.o, Var):
                raise SyntaxProblem("a fact cannot refer to 'it'")
            p = self.prop(clause.pred, negative=True) if a.negated else a.p
            script.facts.append((a.s, p, a.o))
        return script


class _Assembler:
    """Applies scripts to one graph: each node declared once, first label → rdfs:label, other
    surface forms → skos:altLabel."""

    def __init__(self, kg: KnowledgeGraph, source: str):
        self.kg, self.source = kg, source
        self.fresh = len(kg) == 0  # a new graph has no labels of its own to respect
        self.triples: list[Triple] = []
        self.labels: dict[Node, set[Literal]] = {}
        self.extra: set[Triple] = set()

    def apply(self, script: Script, sentence: str, line: int, number: int) -> None:
        triples = self.triples
        for node, label, alt, extra in script.decls:
            seen = self.labels.get(node)
            if seen is None:
                seen = self.labels[node] = {label}
                has = not self.fresh and self.kg.has_label(node)
                triples.append((node, _ALT if has else _LABEL, label))
            elif label not in seen:
                triples.append((node, _ALT, label))
                seen.add(label)
            if alt is not None and alt not in seen:
                triples.append((node, _ALT, alt))
                seen.add(alt)
            for t in extra:
                if t not in self.extra:
                    self.extra.add(t)
                    triples.append(t)
        triples.extend(script.facts)
        for k, (body, head) in enumerate(script.rules):
            rid = f"{self.source}#{number}" + (f".{k + 1}" if k else "")
            self.kg.rules.append(Rule(id=rid, head=head, body=body, text=sentence,
                                      source=f"{self.source}:{line}"))

    def flush(self) -> None:
        # Store.addN directly: the triples are built from valid nodes here, so rdflib's per-node
        # assertions (half the load time of a small theory) are not needed.
        rdf = self.kg.rdf
        rdf.store.addN((s, p, o, rdf) for s, p, o in self.triples)
        self.kg.changed()
        self.triples = []


_SCRIPTS: OrderedDict[tuple, Script | str] = OrderedDict()
_SCRIPT_CACHE_SIZE = 50_000


@lru_cache(maxsize=65536)
def _word_forms(sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    # tuples of str (not sets): CPython stops tracking them, so big caches cost the GC nothing
    words = {t.lower() for t in tokenize(sentence)}
    forms = set(words)
    for w in words:
        if w.endswith("s"):
            forms.update((w[:-1], w[:-2], w[:-3] + "y"))
    return tuple(sorted(words)), tuple(sorted(forms))


def _lexicon_signature(lexicon: Lexicon, sentence: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The part of the lexicon a sentence's parse can depend on (its words and their singulars)."""
    words, forms = _word_forms(sentence)
    nouns = lexicon.nouns.intersection(forms)
    adjectives = lexicon.adjectives.intersection(words)
    return (tuple(sorted(nouns)) if nouns else (), tuple(sorted(adjectives)) if adjectives else ())


def parse_into(text: str, kg: KnowledgeGraph, *, namespace: str | Namespace | None = None,
               source: str = "<text>", first_line: int = 1) -> KnowledgeGraph:
    """Parse controlled English into ``kg`` (facts → kg.rdf, rules → kg.rules, unparsed sentences
    → kg.issues as ``"source:line: sentence — why"``). Sentences are compiled once per process
    and cached (datasets repeat them), keyed by text, namespace and the words' lexicon entries."""
    sentences = split_sentences(text, first_line=first_line)
    toks = [tokenize(s) for _, s in sentences]
    lexicon = Lexicon.from_text(toks)
    parser = Parser(lexicon)
    compiler = SentenceCompiler(namespace, lexicon)
    kg.rdf.bind(EX_PREFIX, compiler.ns, override=False)
    assembler = _Assembler(kg, source)
    ns = str(compiler.ns)
    for number, ((line, sent_text), tokens) in enumerate(zip(sentences, toks), start=1):
        key = (ns, sent_text, _lexicon_signature(lexicon, sent_text))
        script = _SCRIPTS.get(key)
        if script is None:
            try:
                script = compiler.compile(parser.parse(tokens, sent_text))
            except SyntaxProblem as exc:
                script = str(exc)
            _SCRIPTS[key] = script
            if len(_SCRIPTS) > _SCRIPT_CACHE_SIZE:
                _SCRIPTS.popitem(last=False)
        if isinstance(script, str):
            kg.issues.append(f"{source}:{line}: {sent_text} — {script}")
        else:
            assembler.apply(script, sent_text, line, number)
    assembler.flush()
    return kg


def parse_theory(text: str, namespace: str | Namespace | None = None, source: str = "<text>") -> KnowledgeGraph:
    """A new KnowledgeGraph from controlled-English text (a theory, an English graph file)."""
    from rdflib import Graph

    # SimpleMemory: no named-graph bookkeeping, ~3x faster inserts for the many small theories
    # of a dataset; the standard prefixes are bound by KnowledgeGraph itself.
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    kg = KnowledgeGraph(graph, sources=[source] if source != "<text>" else [])
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
