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
  Negative class statements ("Mammals are not birds", "No mammal is a bird", "Each yumpus is
  not small") → ``owl:disjointWith`` (class disjointness: strict, and it holds both ways).
* Generic sentences with modifiers or a placeholder noun ("All red things are rough", "Cold
  people are red") and conditionals → :class:`~kgreason.core.rules.Rule` (negated atoms for
  "not"; several head atoms allowed). "things", "people", "someone" put no class constraint.
* Intransitive verbs: "it rains" → ``ex:It ex:does ex:Rain``; "birds can fly" → ``ex:Bird ex:can
  ex:Fly`` — so "Does it rain?" / "Can birds fly?" find them.
"""

from __future__ import annotations

import logging
import re
from collections import ChainMap, OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, SKOS, Literal, Namespace, URIRef
from rdflib.term import Node

from kgreason.core.reading import CONFIRMED, EXACT, NOT_UNDERSTOOD, Reading
from kgreason.core.rules import Atom, Rule, Var
from kgreason.errors import ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import ATTRIBUTE, EX, EX_PREFIX, KGR
from kgreason.language.alignment import SUSPECT_KINDS, Similarity, Vocabulary, key, lexical_problem
from kgreason.language.coreference import resolve_leading_pronouns
from kgreason.language.english_parser import (
    PREPOSITIONS,
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
from kgreason.language.english_words import _pos
from kgreason.language.fillers import first_filler
from kgreason.language.misreadings import rule_problem, script_problem, symbol_problem
from kgreason.language.morphology import plural
from kgreason.language.paraphrase import canonical_tokens, polarity_problem
from kgreason.language.sentence_guards import sentence_problem

log = logging.getLogger(__name__)

X = Var("x")
# rdflib's namespace attribute lookups are slow in hot loops: bind the terms once.
_TYPE, _CLASS, _SUBCLASS, _DISJOINT = RDF.type, RDFS.Class, RDFS.subClassOf, OWL.disjointWith
_LABEL, _ALT = RDFS.label, SKOS.altLabel
_INHERITABLE, _NEGATION_OF = KGR.InheritableProperty, KGR.negationOf
_NON_ALNUM = re.compile(r"[^A-Za-z0-9]+")
#: Modal verbs the controlled language does not say ("will be round", "must be round"): only "can".
_MODALS = frozenset(["will", "would", "must", "could", "might", "may", "should", "shall"])
#: The words of a property's base form that are grammar, not its name ("are part of", "can be",
#: "do", "have").
_STRUCTURAL = frozenset(["are", "is", "be", "do", "does", "not", "have", "has", "the",
                         "can", "could", "will", "would", "may", "might", "must", "should"])

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
    #: (node, kind, content words) of every symbol the sentence names — kind: ``name`` (an
    #: individual's proper name), ``the`` / ``thing`` (other individuals), ``class``,
    #: ``attribute``, ``property`` — for the vocabulary checks (:mod:`kgreason.language.alignment`).
    names: list[tuple[Node, str, tuple[str, ...]]] = field(default_factory=list)
    #: The names that could be variants of others (see :meth:`Vocabulary.variant`).
    suspects: list[tuple[Node, str, tuple[str, ...]]] = field(default_factory=list)


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
    def _named(self, node: Node, kind: str, words: tuple[str, ...], what: str,
               content: tuple[str, ...] | None = None) -> None:
        """Record a symbol the sentence names; refuse one made of fillers ("also blue", "been",
        "that guy"): such a sentence is not read exactly (see :mod:`kgreason.language.fillers`).
        ``content``: the words to check when they are not all of ``words`` (a property's grammar)."""
        filler = first_filler(words if content is None else content)
        if filler is None and kind in ("thing", "the") and words and words[0] in PREPOSITIONS:
            filler = words[0]  # "known the world over as nice people": no name starts with "as"
        if filler is not None:
            raise SyntaxProblem(f"'{filler}' would become part of the {what} "
                                f"'{' '.join(words)}' (not read exactly)")
        problem = symbol_problem(kind, words)
        if problem is not None:
            raise SyntaxProblem(f"{problem} (not read exactly)")
        self.script.names.append((node, kind, words))

    def individual(self, ref: Ref) -> Node:
        if ref.kind == "name":
            node = _uri(self._ns, _camel(ref.words, True))
            self._named(node, "name", ref.words, "name")
            return self._decl(node, " ".join(ref.words))
        if ref.kind == "the":
            node = _uri(self._ns, _camel(("the", *ref.words), True))
            self._named(node, "the", ref.words, "name")
            return self._decl(node, "the " + " ".join(ref.words))
        if ref.kind == "it":
            return self._decl(_uri(self._ns, "It"), "it")
        # a bare object ("oxygen", "eggs", "eaten raw"): named by its singular, labelled as written
        words = ref.words
        key = (*words[:-1], self.lexicon.singular(words[-1])) if len(words) <= 2 else words
        node = _uri(self._ns, _camel(key, True))
        self._named(node, "thing", words, "name")
        return self._decl(node, " ".join(words))

    def noun_class(self, words: tuple[str, ...]) -> Node:
        node = _uri(self._ns, _camel(words, True))
        self._named(node, "class", words, "class")
        return self._decl(node, " ".join(words), " ".join((*words[:-1], plural(words[-1]))),
                          ((node, _TYPE, _CLASS),))

    def attribute(self, words: tuple[str, ...]) -> Node:
        node = _uri(self._ns, _camel(words, True))
        self._named(node, "attribute", words, "attribute")
        return self._decl(node, " ".join(words), None, ((node, _TYPE, ATTRIBUTE),))

    def prop(self, pred: Pred, *, negative: bool = False, inheritable: bool = False) -> Node:
        """The property for ``pred`` (its declared negative property when ``negative``)."""
        if pred.kind in ("adj", "noun"):
            pos: Node = _TYPE
        else:
            if pred.label[0] in _MODALS:  # "will be round": a prediction, "must be": a hedge
                raise SyntaxProblem(f"'{pred.label[0]} {' '.join(pred.label[1:])}' is not read "
                                    "exactly (say 'is' or 'can')")
            pos = _uri(self._ns, _camel(pred.label, False))
            content = tuple(w for w in pred.base if w not in _STRUCTURAL)
            self._named(pos, "relation" if pred.base[0] == "are" else "property",
                        content or pred.base, "property", content)
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
        try:
            return self._compile(sent)
        finally:
            script.suspects = [n for n in script.names if n[1] in SUSPECT_KINDS
                               or (n[1] in ("name", "attribute", "the") and len(n[2]) > 1)]

    def _compile(self, sent: Sentence) -> Script:
        script = self.script
        if sent.generic_noun and not sent.generic_modifiers:
            cls = self.noun_class(sent.generic_noun)
            for clause in sent.head:
                pred = clause.pred
                if pred.kind in ("adj", "noun") and not pred.negated:
                    script.facts.append((cls, _SUBCLASS, self.obj(pred)))
                elif pred.kind in ("adj", "noun"):
                    # "Mammals are not birds" / "No mammal is a bird" / "Each yumpus is not small":
                    # class disjointness (both ways: no bird is a mammal either)
                    self.prop(pred, negative=True)  # declared for proofs and verbalization
                    script.facts.append((cls, _DISJOINT, self.obj(pred)))
                else:
                    o = self.obj(pred)
                    if isinstance(o, Var):
                        raise SyntaxProblem("a generic sentence cannot refer back to its subject")
                    self.prop(pred, inheritable=True)
                    script.facts.append((cls, self.prop(pred, negative=pred.negated), o))
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


@dataclass(frozen=True)
class SecondPath:
    """The reader stage's second path, injected from above (this layer imports no model): for a
    sentence the controlled parser does not read exactly, ``propose(sentences)`` gives a reading
    in controlled English with a confidence (the neural reader); ``entails(pairs)`` gives, for
    each (sentence, reading), the probability that the sentence entails the reading (the NLI
    verifier; None = not checked); a reading is confirmed when it parses, names no variant of an
    existing symbol (after alignment; ``similarity`` optional) and ``entails`` ≥ ``threshold``."""

    propose: Callable[[list[str]], list[tuple[str, float]]]
    entails: Callable[[list[tuple[str, str]]], list[float]] | None = None
    threshold: float = 0.5
    similarity: Similarity | None = None
    #: other readings of each sentence, best first (tried where the first proposal is refused)
    alternatives: Callable[[list[str]], list[list[tuple[str, float]]]] | None = None
    #: whether the reader's time limit stopped a sentence (its proposal is then empty)
    stopped: Callable[[str], bool] | None = None


_SECOND_PATH: ContextVar[SecondPath | None] = ContextVar("kgreason_second_path", default=None)


@contextmanager
def use_second_path(second_path: SecondPath | None) -> Iterator[None]:
    """English read inside this block (``parse_into``, ``.txt`` graphs through the loaders) goes
    through ``second_path`` where the controlled parser does not read a sentence exactly."""
    token = _SECOND_PATH.set(second_path)
    try:
        yield
    finally:
        _SECOND_PATH.reset(token)


def _compile(ns: str, sent_text: str, tokens: list[str], lexicon: Lexicon, parser: Parser,
             compiler: SentenceCompiler) -> Script | str:
    """The (cached) script of one sentence, or why it has no exact reading."""
    key = (ns, sent_text, _lexicon_signature(lexicon, sent_text))
    script = _SCRIPTS.get(key)
    if script is None:
        try:
            script = compiler.compile(parser.parse(tokens, sent_text))
            problem = script_problem(script.names, tokens) or \
                polarity_problem(tokenize(sent_text), negated_parts(script))
            if problem is not None:
                script = f"{problem} (not read exactly)"
        except SyntaxProblem as exc:
            script = str(exc)
        _SCRIPTS[key] = script
        if len(_SCRIPTS) > _SCRIPT_CACHE_SIZE:
            _SCRIPTS.popitem(last=False)
    return script


def negated_parts(script: Script) -> int:
    """How many parts of a reading negate: negated rule atoms, negative facts (a property declared
    ``kgr:negationOf`` another) and class disjointness."""
    negative = {node for node, _, _, extra in script.decls
                if any(p == _NEGATION_OF for _, p, _ in extra)}
    n = sum(1 for _, p, _ in script.facts if p == _DISJOINT or p in negative)
    return n + sum(1 for body, head in script.rules for a in (*body, *head) if a.negated)


def graph_vocabulary(kg: KnowledgeGraph) -> Vocabulary:
    """The symbols a graph already names, for alignment and the variant check (labelled nodes:
    attributes, classes, properties, individuals)."""
    vocab = Vocabulary()
    rdf = kg.rdf
    if len(rdf) == 0:
        return vocab
    attributes = set(rdf.subjects(_TYPE, ATTRIBUTE))
    classes = set(rdf.subjects(_TYPE, _CLASS)) | set(rdf.objects(None, _TYPE))
    properties = set(rdf.predicates())
    for node, label in rdf.subject_objects(_LABEL):
        words = tuple(tokenize(str(label)))
        if not words or not isinstance(node, URIRef):
            continue
        if node in attributes:
            kind = "attribute"
        elif node in classes:
            kind = "class"
        elif node in properties:
            kind = "property"
        elif words[0].lower() == "the":
            kind, words = "the", words[1:]
        else:
            kind = "name" if all(w[:1].isupper() for w in words) else "thing"
        vocab.add(node, kind, words)
    return vocab


def _lonely_conclusions(scripts: list, kg: KnowledgeGraph) -> list:
    """Rules whose conclusion is an adjectival relation ("is rough around", "is fond of") to a
    thing that nothing else in the text (or the graph) names: "A big, cold person is rough around
    the edges." read as "… then they are rough around the edges" — an idiom minted into a
    relation, never used again (a verb's relation, "do not visit the mouse", is no idiom). Such a sentence
    is not read exactly (the second path may read it; otherwise it is reported)."""
    if not any(not isinstance(s, str) and s.rules and any(k == "relation" for _, k, _ in s.names)
               for s in scripts):
        return scripts  # no rule names an "is/are … <preposition>" relation
    uses: dict[Node, int] = {}
    for script in scripts:
        if not isinstance(script, str):
            for node in {n for n, _, _ in script.names}:
                uses[node] = uses.get(node, 0) + 1
    rdf = kg.rdf
    out = list(scripts)
    for i, script in enumerate(scripts):
        if isinstance(script, str) or not script.rules:
            continue
        adjectival = {n for n, kind, w in script.names
                      if kind == "relation" and any("ADJ" in _pos(x.lower()) for x in w)}
        for _, head in script.rules:
            lonely = next((a for a in head if a.p in adjectival and isinstance(a.o, URIRef)
                           and uses.get(a.p, 0) <= 1 and uses.get(a.o, 0) <= 1
                           and (a.p, None, None) not in rdf and (None, None, a.o) not in rdf
                           and (a.o, None, None) not in rdf), None)
            if lonely is not None:
                words = {n: " ".join(w) for n, _, w in script.names}
                out[i] = (f"the conclusion '{words.get(lonely.p, '')} {words.get(lonely.o, '')}' names a "
                          "relation and a thing that nothing else in the text uses (not read exactly)")
                break
    return out


def _predicate_adjectives(toks: list[list[str]], lexicon: Lexicon) -> set[str]:
    """Words a text uses as predicate adjectives anywhere ("... are rough.", "is rough and"):
    "is ADJ" followed by the end, a comma or "and" (not nouns: "are cities.")."""
    out: set[str] = set()
    for sent in toks:
        low = [t.lower() for t in sent]
        for i in range(1, len(low)):
            if low[i - 1] in ("is", "are") and (i + 1 == len(low) or low[i + 1] in (",", "and")) \
                    and low[i].isalpha() and low[i] not in ("a", "an", "the", "not") \
                    and not lexicon.is_noun(low[i]):
                out.add(low[i])
    return out


def _variant_problem(script: Script, vocab: Vocabulary) -> str | None:
    for node, kind, words in script.suspects:
        hit = vocab.variant(node, kind, words)
        if hit is not None:
            return (f"'{' '.join(words)}' would be a new symbol beside '{vocab.label(hit)}' "
                    f"(a variant of it: not read exactly)")
    return None


def _substitute(script: Script, mapping: dict[Node, Node]) -> Script:
    """The script with symbols linked to existing ones (alignment)."""
    if not mapping:
        return script
    get = mapping.get

    def atom(a: Atom) -> Atom:
        return Atom(get(a.s, a.s), get(a.p, a.p), get(a.o, a.o), a.negated)

    return Script(
        decls=[d for d in script.decls if d[0] not in mapping],
        facts=[(get(s, s), get(p, p), get(o, o)) for s, p, o in script.facts],
        rules=[(tuple(atom(a) for a in b), tuple(atom(a) for a in h)) for b, h in script.rules],
        names=[n for n in script.names if n[0] not in mapping],
        suspects=[n for n in script.suspects if n[0] not in mapping],
    )


def _read_proposal(text: str, ns: str, lexicon_toks: list[list[str]], vocab: Vocabulary,
                   similarity: Similarity | None, namespace: str | Namespace | None
                   ) -> tuple[Script | None, str, list]:
    """A proposal's script (its sentences merged, symbols aligned) or None and why not; and the
    symbols it mentions, as written (before alignment)."""
    parts = split_sentences(text)
    if not parts:
        return None, "the reader proposed no reading", []
    toks = [tokenize(t) for _, t in parts]
    lexicon = Lexicon.from_text(lexicon_toks + toks)
    parser, compiler = Parser(lexicon), SentenceCompiler(namespace, lexicon)
    merged = Script()
    for (_, part), tokens in zip(parts, toks):
        script = _compile(ns, part, tokens, lexicon, parser, compiler)
        if isinstance(script, str):
            return None, f"the reader's reading \"{text}\" does not parse: {script}", []
        merged.decls += script.decls
        merged.facts += script.facts
        merged.rules += script.rules
        merged.names += script.names
    mentions = list(merged.names)
    mapping: dict[Node, Node] = {}
    unknown: list[tuple[Node, str, tuple[str, ...]]] = []
    merged.suspects = [n for n in merged.names if n[1] in SUSPECT_KINDS
                       or (n[1] in ("name", "attribute", "the") and len(n[2]) > 1)]
    for node, kind, words in merged.names:
        if node in vocab or node in mapping:
            continue
        linked = vocab.link(kind, words)
        if linked is not None and linked != node:
            mapping[node] = linked
        else:
            unknown.append((node, kind, words))
    if similarity is not None and unknown:
        for (node, _, _), linked in zip(unknown, vocab.link_similar([(k, w) for _, k, w in unknown],
                                                                    similarity)):
            if linked is not None and linked != node:
                mapping[node] = linked
    merged = _substitute(merged, mapping)
    problem = _variant_problem(merged, vocab)
    if problem is not None:
        return None, f"the reader's reading \"{text}\": {problem}", mentions
    return merged, "", mentions


def parse_into(text: str, kg: KnowledgeGraph, *, namespace: str | Namespace | None = None,
               source: str = "<text>", first_line: int = 1,
               second_path: SecondPath | None = None) -> KnowledgeGraph:
    """Parse English into ``kg`` (facts → kg.rdf, rules → kg.rules, one
    :class:`~kgreason.core.Reading` per sentence → kg.readings; sentences not understood →
    kg.issues as ``"source:line: sentence — why"``).

    Fast path: the exact controlled-English parser (sentences compiled once per process and
    cached, keyed by text, namespace and the words' lexicon entries); a sentence whose reading
    would mint a filler ("also blue") or a variant of a symbol the text or graph already has
    ("Big Dave" beside Dave) is not read exactly. Such sentences go to ``second_path`` (or the
    one set by :func:`use_second_path`) when there is one, else they are not understood."""
    if second_path is None:
        second_path = _SECOND_PATH.get()
    sentences = split_sentences(text, first_line=first_line)
    toks = [list(canonical_tokens(tuple(tokenize(s)))) for _, s in sentences]
    lexicon = Lexicon.from_text(toks)
    parser = Parser(lexicon)
    compiler = SentenceCompiler(namespace, lexicon)
    kg.rdf.bind(EX_PREFIX, compiler.ns, override=False)
    ns = str(compiler.ns)
    # too long, markup, an instruction to the reader: never read, by either path
    guarded = {i: problem for i, (_, sent_text) in enumerate(sentences)
               if (problem := sentence_problem(sent_text)) is not None}
    scripts = [guarded[i] if i in guarded else _compile(ns, sent_text, tokens, lexicon, parser, compiler)
               for i, ((_, sent_text), tokens) in enumerate(zip(sentences, toks))]
    if any(not isinstance(s, str) and s.suspects for s in scripts):
        vocab = graph_vocabulary(kg)
        for script in scripts:
            if not isinstance(script, str):
                vocab.add_all(script.names)
        # words the text uses as adjectives anywhere ("Bob is rough"), read exactly or not, also
        # make "is rough around the edges" a variant (but are no symbols to link to)
        suspects = Vocabulary(dict(vocab.kinds), dict(vocab.words), dict(vocab.by_key))
        for word in lexicon.adjectives | _predicate_adjectives(toks, lexicon):
            suspects.add(_uri(ns, "_adjective_" + word), "attribute", (word,))
        variants = [None if isinstance(s, str) else _variant_problem(s, suspects) for s in scripts]
        # the variants' own symbols are no vocabulary to link to
        scripts = [problem if problem is not None else s for s, problem in zip(scripts, variants)]
    scripts = _lonely_conclusions(scripts, kg)
    vocab = None  # built when the second path needs it
    readings: list[Reading | None] = [
        Reading(line, sent_text, EXACT, sent_text, 1.0, source=source)
        if not isinstance(script, str) else None
        for (line, sent_text), script in zip(sentences, scripts)]
    failed = [i for i, script in enumerate(scripts) if isinstance(script, str) and i not in guarded]
    if failed and second_path is not None:
        vocab = graph_vocabulary(kg)
        for script in scripts:
            if not isinstance(script, str):
                vocab.add_all(script.names)
        _second_path(second_path, failed, sentences, scripts, readings, toks, vocab, ns, namespace,
                     source)
        # what the second path read is the theory's vocabulary too: an exact reading that is a
        # variant of it ("cold to strangers" where another sentence was read as "… is cold") is
        # read again, by the second path
        again = {i: problem for i, (script, reading) in enumerate(zip(scripts, readings))
                 if reading is not None and reading.status == EXACT and script.suspects
                 and (problem := _variant_problem(script, vocab)) is not None}
        if again:
            for i, problem in again.items():
                scripts[i], readings[i] = problem, None
            _second_path(second_path, list(again), sentences, scripts, readings, toks, vocab, ns,
                         namespace, source)
    assembler = _Assembler(kg, source)
    for number, ((line, sent_text), script, reading) in enumerate(zip(sentences, scripts, readings),
                                                                  start=1):
        if reading is None:
            reading = Reading(line, sent_text, NOT_UNDERSTOOD, "", 0.0, str(script), source)
        kg.readings.append(reading)
        if reading.status == NOT_UNDERSTOOD:
            kg.issues.append(reading.issue())
        else:
            assembler.apply(script, sent_text, line, number)  # type: ignore[arg-type]
    assembler.flush()
    return kg


def _second_path(second: SecondPath, failed: list[int], sentences: list[tuple[int, str]],
                 scripts: list, readings: list, toks: list[list[str]], vocab: Vocabulary, ns: str,
                 namespace: str | Namespace | None, source: str) -> None:
    """Proposals for the sentences in ``failed``, each confirmed or refused (in place). A sentence
    that starts with a personal pronoun is read, and checked, with the pronoun resolved to the
    name an earlier sentence gave ("He's often cold." → "Dave is often cold."). Where the
    reader's first proposal is refused and the second path has ``alternatives``, its other
    readings are checked the same way, best first; the first that passes is the reading."""
    resolution = resolve_leading_pronouns([text for _, text in sentences])
    # what is read and checked for sentence i, and the note its reading carries
    said = {i: resolution[i][0] if resolution[i] else sentences[i][1] for i in failed}
    note = {i: f"{resolution[i][1]}; " if resolution[i] else "" for i in failed}
    proposals = second.propose([said[i] for i in failed])
    round_ = _ConfirmRound(second, sentences, scripts, readings, toks, vocab, ns, namespace, source,
                           said, note)
    refused = round_.run([(i, text, confidence) for i, (text, confidence) in zip(failed, proposals)],
                         first=True)
    if not refused or second.alternatives is None:
        return
    tried = {i: {proposals[failed.index(i)][0]} for i in refused}
    options = dict(zip(refused, second.alternatives([said[i] for i in refused])))
    depth = max((len(v) for v in options.values()), default=0)
    for rank in range(depth):
        items = []
        for i in refused:
            if rank < len(options[i]) and options[i][rank][0] and options[i][rank][0] not in tried[i]:
                tried[i].add(options[i][rank][0])
                items.append((i, *options[i][rank]))
        if items:
            accepted = {i for i, *_ in items} - set(round_.run(items, first=False))
            refused = [i for i in refused if i not in accepted]
        if not refused:
            break


class _ConfirmRound:
    """Confirmation of proposals (parse + alignment, word checks, NLI round trip), in place."""

    def __init__(self, second: SecondPath, sentences, scripts, readings, toks, vocab: Vocabulary, ns: str,
                 namespace, source: str, said: dict[int, str], note: dict[int, str]):
        self.second, self.sentences, self.scripts, self.readings = second, sentences, scripts, readings
        self.toks, self.vocab, self.ns, self.namespace, self.source = toks, vocab, ns, namespace, source
        self.said, self.note = said, note
        self.known: set[str] | None = None

    def _refuse(self, i: int, text: str, confidence: float, why: str, first: bool) -> None:
        if first:  # the first proposal's reason is the one reported (alternatives only replace it
            line, sent_text = self.sentences[i]  # when one is confirmed)
            self.readings[i] = Reading(line, sent_text, NOT_UNDERSTOOD, text, confidence, why, self.source)

    def run(self, items: list[tuple[int, str, float]], *, first: bool) -> list[int]:
        """Confirm or refuse each (sentence index, text, confidence); the refused indices."""
        second, refused = self.second, []
        parsed = []
        for i, text, confidence in items:
            if not text and second.stopped is not None and second.stopped(self.said[i]):
                self._refuse(i, text, confidence, f"{self.scripts[i]}; the neural reader stopped at its time "
                             "limit before reading it", first)
                refused.append(i)
                continue
            script, why, mentions = _read_proposal(text, self.ns, self.toks, self.vocab, second.similarity,
                                                   self.namespace)
            if script is None:
                self._refuse(i, text, confidence, f"{self.scripts[i]}; {why}", first)
                refused.append(i)
                continue
            parsed.append((i, text, confidence, script, mentions))
        if self.known is None:
            # the theory's attribute and class words: read exactly, or named by any reading of the text
            known = {k[0] for (k, kind) in self.vocab.by_key if kind in ("attribute", "class") and len(k) == 1}
            for *_, mentions in parsed:
                known.update(key(words, kind)[0] for _, kind, words in mentions
                             if kind in ("attribute", "class") and len(key(words, kind)) == 1)
            self.known = known
        checked: list[tuple[int, str, float, Script]] = []
        for i, text, confidence, script, mentions in parsed:
            problem = lexical_problem(self.said[i], mentions, self.known, text)
            if problem is None and script.rules:
                words = ChainMap({node: w for node, _, w in script.names}, self.vocab.words)
                problem = rule_problem(self.said[i], script.rules, words)
            if problem is not None:
                self._refuse(i, text, confidence, f"the reader's reading \"{text}\": {problem}", first)
                refused.append(i)
                continue
            self.vocab.add_all(script.names)
            checked.append((i, text, confidence, script))
        probs = second.entails([(self.said[i], text) for i, text, *_ in checked]) \
            if second.entails is not None and checked else [1.0] * len(checked)
        for (i, text, confidence, script), p in zip(checked, probs):
            line, sent_text = self.sentences[i]
            if p >= second.threshold:
                self.scripts[i] = script
                alternative = "" if first else "an alternative reading; "
                self.readings[i] = Reading(line, sent_text, CONFIRMED, text, round(confidence * p, 4),
                                           f"read as \"{text}\" ({alternative}{self.note[i]}NLI entailment "
                                           f"{p:.2f})", self.source)
            else:
                self._refuse(i, text, round(confidence * p, 4),
                             f"the reading \"{text}\" is not entailed by the sentence "
                             f"(NLI {p:.2f} < {second.threshold:.2f})", first)
                refused.append(i)
        return refused


def parse_theory(text: str, namespace: str | Namespace | None = None, source: str = "<text>",
                 *, second_path: SecondPath | None = None) -> KnowledgeGraph:
    """A new KnowledgeGraph from controlled-English text (a theory, an English graph file)."""
    from rdflib import Graph

    # SimpleMemory: no named-graph bookkeeping, ~3x faster inserts for the many small theories
    # of a dataset; the standard prefixes are bound by KnowledgeGraph itself.
    graph = Graph(store="SimpleMemory", bind_namespaces="none")
    kg = KnowledgeGraph(graph, sources=[source] if source != "<text>" else [])
    return parse_into(text, kg, namespace=namespace, source=source, second_path=second_path)


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
