"""Lexical lookup of a graph's own labels: phrase → nodes, with lemma/plural handling.

"apples" finds ``ex:Apple`` (label "apple"), "lay" finds ``ex:lays`` (label "lays"), "has" ~
"have". Used by question parsing; the retrieval EntityLinker can reuse :func:`label_index`.
Built once per graph state and cached (keyed by the graph object and its ``version``, which
every change of its triples or rules bumps — a relabelled entity gets a fresh index).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from rdflib import RDF, RDFS, Literal
from rdflib.term import Node, URIRef

from kgreason.core.rules import Var
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import ATTRIBUTE, KGR, local_name
from kgreason.language.english_parser import Lexicon
from kgreason.language.morphology import STOPWORDS, numbers, phrase_key, tokens

Key = tuple[str, ...]

#: At most this many nodes with exactly the same label (senses of a word) are linked.
SENSES = 32

#: Leading words a property label may or may not carry ("is part of" ~ "part of").
_LIGHT_VERBS = ("be", "do", "have")


@dataclass
class LabelIndex:
    entities: dict[Key, list[Node]] = field(default_factory=dict)
    properties: dict[Key, list[Node]] = field(default_factory=dict)
    classes: set[Node] = field(default_factory=set)
    known: set[Node] = field(default_factory=set)  # nodes used in triples or rules
    negation_of: dict[Node, Node] = field(default_factory=dict)
    lexicon: Lexicon = field(default_factory=Lexicon)
    property_nodes: set[Node] = field(default_factory=set)
    surface: dict[Key, set[Node]] = field(default_factory=dict)  # label words as written
    _longest_property: int | None = field(default=None, repr=False, compare=False)
    _longest_entity: int | None = field(default=None, repr=False, compare=False)

    def link(self, text: str | tuple[str, ...] | list[str], *, limit: int = 5) -> list[tuple[Node, float]]:
        """Entities whose label matches ``text``: the same words → 1.0, the same lemmas → 0.95
        ("cities" finds a node labelled "cities" before one labelled "city"); overlap → lower."""
        text = text if isinstance(text, str) else " ".join(text)
        key = phrase_key(text)
        if not key:
            return []
        exact = self.entities.get(key)
        if exact:
            surface = self.surface.get(_surface(text), ())
            # ties in a stable order (not the hash order of a set): the node named after the
            # words first (WordNet's "dog.n.01" before "andiron.n.01", both labelled "dog")
            named = "".join(text.lower().split())
            ranked = sorted(exact, key=lambda n: (n not in surface,
                                                  not local_name(n).lower().startswith(named),
                                                  str(n)))
            # every sense of a word (WordNet: 10 nodes labelled "hammer") is a reading: all of
            # them, up to SENSES, not just ``limit`` — the reasoner decides which one holds
            return [(n, 1.0 if n in surface else 0.95) for n in ranked[:max(limit, SENSES)]]
        scored: dict[Node, float] = {}
        qs = set(key)
        quantities = numbers(key)
        for k, nodes in self.entities.items():
            common = qs & set(k)
            if not common or (quantities and numbers(k) != quantities):
                continue  # "four legs" is never "six legs"
            score = 0.6 * len(common) / max(len(qs), len(k))
            if score >= 0.3:
                for n in nodes:
                    scored[n] = max(scored.get(n, 0.0), score)
        return sorted(scored.items(), key=lambda x: (-x[1], str(x[0])))[:limit]

    def match_property(self, words: tuple[str, ...] | list[str]) -> list[tuple[Node, float]]:
        """Properties whose label matches ``words`` ("lay" ~ "lays"; "is part of" ~ "part of")."""
        key = phrase_key(" ".join(words))
        if not key:
            return []
        found = [(n, 1.0) for n in self.properties.get(key, [])]
        if not found and key[0] in _LIGHT_VERBS and len(key) > 1:
            found = [(n, 0.9) for n in self.properties.get(key[1:], [])]
        if not found:
            for light in _LIGHT_VERBS:
                found += [(n, 0.85) for n in self.properties.get((light, *key), [])]
        return found

    def is_class(self, node: Node) -> bool:
        return node in self.classes

    @property
    def longest_property_key(self) -> int:
        """Content words in the longest property label: a longer phrase matches no property."""
        if self._longest_property is None:
            self._longest_property = max((len(k) for k in self.properties), default=0)
        return self._longest_property

    @property
    def longest_entity_key(self) -> int:
        """Content words in the longest entity label: :meth:`link` matches no phrase of more
        than twice this many (its overlap score stays below its 0.3 floor)."""
        if self._longest_entity is None:
            self._longest_entity = max((len(k) for k in self.entities), default=0)
        return self._longest_entity


def _surface(text: str) -> Key:
    return tuple(t for t in tokens(text) if t not in STOPWORDS)


_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def label_index(kg: KnowledgeGraph) -> LabelIndex:
    """The (cached) label index of ``kg``, rebuilt after the graph changed."""
    stamp = kg.version
    hit = _CACHE.get(kg)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    index = _cached_build(kg)
    _CACHE[kg] = (stamp, index)
    _LEX_CACHE[kg] = (stamp, index.lexicon)  # built with it (from the cache: no second pass)
    return index


#: Bump when LabelIndex or how it is built changes: older cached label indexes are then ignored.
LABEL_INDEX_VERSION = 1


def _cached_build(kg: KnowledgeGraph) -> LabelIndex:
    """:func:`_build`, kept on disk for big graphs (the compiled-graph cache's size threshold):
    WordNet's takes ~20 s to build, ~1 s to read. Keyed by the graph's fingerprint (triples and
    rules); an unreadable file is rebuilt with a warning."""
    import logging
    import pickle

    from kgreason import __version__
    from kgreason.files import cache_root, write_file_atomic
    from kgreason.reasoning.cache import enabled, min_triples

    if not enabled() or len(kg) < min_triples():
        return _build(kg)
    path = cache_root() / "labels" / f"{kg.fingerprint(rules=True)}-{LABEL_INDEX_VERSION}-{__version__}.pickle"
    if path.exists():
        try:
            with path.open("rb") as fh:
                index = pickle.load(fh)  # our own cache folder, written below
            if isinstance(index, LabelIndex):
                return index
            raise TypeError(type(index).__name__)
        except Exception as exc:  # noqa: BLE001 - any unreadable cache file is rebuilt
            logging.getLogger(__name__).warning("cached label index %s is unusable (%s); rebuilding it",
                                                path, exc)
    index = _build(kg)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(path, lambda tmp: tmp.write_bytes(pickle.dumps(index, protocol=5)))
    except OSError as exc:
        logging.getLogger(__name__).warning("could not cache the label index (%s)", exc)
    return index


_LEX_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def graph_lexicon(kg: KnowledgeGraph) -> Lexicon:
    """Nouns (labels of rdfs:Class / subclass nodes) and adjectives (kgr:Attribute labels) of
    ``kg``, so statements singularize and read "are Y" the way the graph's text did."""
    stamp = kg.version
    hit = _LEX_CACHE.get(kg)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    if getattr(kg.rdf.store, "indexed_lookups", False):  # a cached big graph: from its label index
        return label_index(kg).lexicon
    lex = _lexicon(kg)
    _LEX_CACHE[kg] = (stamp, lex)
    return lex


def _lexicon(kg: KnowledgeGraph) -> Lexicon:
    lex = Lexicon()
    rdf = kg.rdf
    for cls in set(rdf.subjects(RDF.type, RDFS.Class)) | set(rdf.subjects(RDFS.subClassOf, None)):
        if (cls, RDF.type, ATTRIBUTE) not in rdf:
            words = kg.label(cls).lower().split()
            if words:
                lex.nouns.add(words[-1])
    for cls in rdf.subjects(RDF.type, ATTRIBUTE):
        lex.adjectives.add(kg.label(cls).lower())
    return lex


def _build(kg: KnowledgeGraph) -> LabelIndex:
    idx = LabelIndex()
    rdf = kg.rdf
    props = kg.properties()
    props |= {a.p for rule in kg.rules for a in rule.head + rule.body if not isinstance(a.p, Var)}
    idx.property_nodes = props
    idx.negation_of = {n: p for n, p in rdf.subject_objects(KGR.negationOf)}
    idx.classes = kg.classes() | set(rdf.subjects(RDF.type, ATTRIBUTE))
    idx.classes |= {a.o for rule in kg.rules for a in rule.head + rule.body
                    if a.p == RDF.type and not isinstance(a.o, Var)}
    known: set[Node] = set()
    for s, p, o in rdf:
        known.add(s)
        if not isinstance(o, Literal):
            known.add(o)
    for rule in kg.rules:
        for atom in rule.head + rule.body:
            known.update(t for t in atom.terms() if not isinstance(t, Var))
    idx.known = known
    for node in known | props:
        if not isinstance(node, URIRef):
            continue
        table = idx.properties if node in props else idx.entities
        for label in kg.labels(node):
            if table is idx.entities:
                idx.surface.setdefault(_surface(label), set()).add(node)
            key = phrase_key(label)
            if key:
                bucket = table.setdefault(key, [])
                if node not in bucket:
                    bucket.append(node)
    hit = _LEX_CACHE.get(kg)
    idx.lexicon = hit[1] if hit is not None and hit[0] == kg.version else _lexicon(kg)
    return idx
