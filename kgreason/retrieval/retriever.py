"""Retriever: question → evidence facts (scored), linked entities and their neighbourhood.

Scoring: the cosine similarity of the question and the fact sentence, plus a bonus for each node
the question names (by the entity linker) that the fact is about — so "Can penguins fly?" ranks
"penguin cannot fly" above facts that merely sound alike — scaled into [0, 1] (:func:`relevance`).
Facts about linked entities are scored even when the vector search did not return them. Ties are
broken by text, then id: same question, same order.

The index lives in ``index_dir`` or, by default, in a cache folder keyed by the graph's and the
embedder's fingerprints; loaded indexes and linkers are cached per process, so warm calls only
embed the question and search.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

import numpy as np
from rdflib import OWL, RDF, RDFS, Literal
from rdflib.term import Node

from kgreason.core import Evidence
from kgreason.errors import IndexMismatchError, InputError
from kgreason.files import cache_root
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.retrieval.embedder import Embedder
from kgreason.retrieval.facts import (
    FACTS_VERSION,
    collect_facts,
    collect_labels,
    is_vocabulary,
    key_to_triple,
    rules_fingerprint,
)
from kgreason.retrieval.index import LOCK, MANIFEST, FactIndex
from kgreason.retrieval.linker import EntityLinker, LinkedEntity, ordered_links

log = logging.getLogger(__name__)

#: Score added per weighted node a fact is about (subject and object; weight = link score, or a
#: decayed one for ancestors of linked entities).
ENTITY_BONUS = 0.1
#: The highest raw score: cosine 1 and both subject and object linked with weight 1.
MAX_RAW_SCORE = 1.0 + 2 * ENTITY_BONUS


def relevance(cosine: float, bonus: float) -> float:
    """An evidence score in [0, 1]: the cosine similarity of question and fact plus
    ``ENTITY_BONUS`` per unit of weight of the linked nodes the fact is about, divided by the
    highest possible sum (:data:`MAX_RAW_SCORE`); below 0 (opposite meaning) counts as 0."""
    return round(min(1.0, max(0.0, (cosine + ENTITY_BONUS * bonus) / MAX_RAW_SCORE)), 6)


#: Vector-search candidates fetched per requested result (re-ranked with the entity bonus).
OVERFETCH = 4
#: At most this many facts about linked entities are scored besides the vector-search hits.
MAX_ENTITY_FACTS = 512
#: Ancestors of linked entities (types, superclasses, transitive parents) weigh this much per step.
ANCESTOR_DECAY = 0.7
ANCESTOR_DEPTH = 3
MAX_WEIGHTED_NODES = 64

#: A big index is embedded and saved this many facts (or labels) at a time: an interrupted
#: ``kgreason index build`` resumes from the last chunk saved.
BUILD_CHUNK = 16_384
#: Loaded indexes kept per process (an evaluation may open one per graph).
MAX_CACHED_INDEXES = 8
_LOCK = threading.Lock()
_INDEXES: dict[tuple[str, int, int], FactIndex] = {}


def default_index_dir(kg: KnowledgeGraph, embedder: Embedder, reasoner=None, *, fingerprint: str | None = None) -> Path:
    """``<cache>/index/<graph fingerprint>-<embedder hash>[-inferred-<rules hash>]``. The graph
    fingerprint covers the triples only: the facts do not depend on ``kg.rules`` (inferred ones
    depend on the reasoner's rules, hashed separately)."""
    name = f"{fingerprint or kg.fingerprint(rules=False)}-{embedder.fingerprint[:12]}"
    rules = rules_fingerprint(reasoner)
    if rules is not None:
        name += f"-inferred-{rules[:12]}"
    return cache_root() / "index" / name


@dataclass
class RetrievalResult:
    """The evidence, the linked entities and (built on first use: NetworkX costs a cold ``ask``
    0.3 s it does not need) the entities' neighbourhood."""

    evidence: list[Evidence]
    entities: list[LinkedEntity]
    hood: Callable[[], Any] = field(repr=False)  # → nx.MultiDiGraph
    timings_ms: dict[str, float] = field(default_factory=dict)

    @cached_property
    def neighbourhood(self) -> Any:
        """The linked entities' neighbourhood in the graph (an nx.MultiDiGraph)."""
        t = time.perf_counter()
        g = self.hood()
        self.timings_ms["neighbourhood"] = (time.perf_counter() - t) * 1e3
        return g

    def to_json(self, kg: KnowledgeGraph | None = None) -> dict[str, Any]:
        def name(n):
            return kg.qname(n) if kg is not None else str(n)

        g = self.neighbourhood
        return {
            "evidence": [e.to_json(kg) for e in self.evidence],
            "entities": [e.to_json(kg) for e in self.entities],
            "neighbourhood": {
                "nodes": sorted(name(n) for n in g.nodes),
                "edges": sorted([name(s), name(p), name(o)] for s, o, p in g.edges(keys=True)),
            },
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


@dataclass(frozen=True)
class IndexBuildResult:
    """What :meth:`Retriever.build_index` did: ``action`` is "built" or "updated"; ``counts``
    (updates only) holds added / removed facts and labels."""

    action: str
    directory: Path
    index: FactIndex
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        index = self.index
        return {
            "action": self.action,
            "index_dir": str(self.directory),
            "facts": len(index.facts),
            "labels": len(index.labels),
            "index_type": index.facts.index_type,
            "embedder": index.manifest["embedder"]["id"],
            "dim": index.dim,
            "graph_fingerprint": index.graph_fingerprint,
            "inferred": bool(index.manifest.get("inferred")),
            "seconds": round(self.seconds, 2),
            **self.counts,
        }


class Retriever:
    """``retrieve(question, k)`` over ``kg``. Constructing is cheap; :meth:`warm_up` (or the first
    retrieve) loads the embedder and opens — or builds — the index.

    ``index_dir=None`` uses the cache (built on first use, rebuilt when the graph changed); an
    explicit folder is built if empty, and a stale one is refused with :class:`IndexMismatchError`
    (update it with :meth:`sync` or ``kgreason index build``). ``reasoner`` adds its inferred
    triples as evidence flagged ``inferred``.
    """

    def __init__(self, kg: KnowledgeGraph, embedder: Embedder | str | None = None, index_dir: str | Path | None = None,
                 reasoner=None, *, radius: int = 1, approximate_from: int | None = None):
        self.kg = kg
        self.embedder = embedder if isinstance(embedder, Embedder) else Embedder(embedder)
        self.index_dir = Path(index_dir).expanduser() if index_dir is not None else None
        self.reasoner = reasoner
        self.radius = radius
        self.approximate_from = approximate_from
        self._index: FactIndex | None = None
        self._index_version: int | None = None  # kg.version the index was opened for
        self._linker: EntityLinker | None = None
        self._upward: tuple[int, tuple[Node, ...]] | None = None
        #: called as ``progress(done, total)`` while a big index is embedded chunk by chunk
        self.progress = None

    # ------------------------------------------------------------------ index lifecycle
    @property
    def directory(self) -> Path:
        if self.index_dir is not None:
            return self.index_dir
        return default_index_dir(self.kg, self.embedder, self.reasoner, fingerprint=self._expected()[0])

    @property
    def index(self) -> FactIndex:
        """The open index; reopened (rebuilt, or refused when stale) after the graph changed."""
        if self._index is None or self._index_version != self.kg.version:
            self.warm_up()
        return self._index

    @property
    def linker(self) -> EntityLinker:
        if self._linker is None:
            self._linker = EntityLinker(self.kg, self.embedder, label_store=self.index.labels)
        return self._linker

    def _expected(self) -> tuple[str, str | None]:
        return self.kg.fingerprint(rules=False), rules_fingerprint(self.reasoner)  # cached by kg

    def warm_up(self) -> Retriever:
        """Open the index (building it when needed) and load the embedder."""
        self._linker = None
        directory = self.directory
        graph_fp, rules_fp = self._expected()
        explicit = self.index_dir is not None
        if not (directory / MANIFEST).exists():
            if explicit and directory.exists() and any(p.name != LOCK for p in directory.iterdir()):
                raise IndexMismatchError("folder is not empty and holds no kgreason index", where=str(directory),
                                         hint="choose an empty or new folder for the index")
            self._index = self.build(directory)
            return self
        try:
            index = _open(directory, self.embedder)
            stale = (index.graph_fingerprint != graph_fp or index.rules_fingerprint != rules_fp
                     or index.manifest.get("facts_version") != FACTS_VERSION
                     or index.manifest.get("complete") is False)
        except IndexMismatchError:
            if explicit:
                raise
            log.warning("cached index in %s is unusable; rebuilding it", directory, exc_info=log.isEnabledFor(10))
            index, stale = None, True
        if stale:
            if explicit:
                if index.graph_fingerprint != graph_fp:
                    what = "the graph changed"
                elif index.rules_fingerprint != rules_fp:
                    what = "the rules or reasoner settings changed"
                elif index.manifest.get("complete") is False:
                    what = "its build was interrupted (run the same `kgreason index build` again to resume)"
                else:
                    what = "it was built by a kgreason that words facts differently"
                raise IndexMismatchError(
                    f"index is stale: {what} since it was built "
                    f"(index {index.graph_fingerprint}, graph now {graph_fp})",
                    where=str(directory),
                    hint="update it with `kgreason index build GRAPH... -o DIR` (adds and removes only the "
                    "changed facts), or pass another --index folder",
                )
            if index is not None and index.manifest.get("complete") is False:  # interrupted: resume
                log.info("cached index in %s is incomplete; resuming its build", directory)
                self.sync()
                return self
            log.info("cached index in %s is stale; rebuilding", directory)
            index = self.build(directory)
        self._index, self._index_version = index, self.kg.version
        return self

    def build_index(self, *, rebuild: bool = False) -> IndexBuildResult:
        """Bring the index in :attr:`directory` up to date, the way ``kgreason index build`` does:
        an existing index (of this embedder) is updated in place — only changed facts are
        embedded (:meth:`sync`) — unless ``rebuild``, which replaces its files with a new build;
        a missing or empty folder gets a new index. An explicit ``index_dir`` that holds other
        files and no index is refused (:class:`IndexMismatchError`), and so is a broken manifest:
        neither is ever overwritten."""
        import time

        directory = self.directory
        started = time.perf_counter()
        has_index = (directory / MANIFEST).exists()
        counts: dict[str, int] = {}
        if has_index and not rebuild:
            FactIndex.read_manifest(directory)  # a broken manifest is an error here, never overwritten
            counts = self.sync()
            action = "updated"
        else:
            if (self.index_dir is not None and not has_index and directory.exists()
                    and any(p.name != LOCK for p in directory.iterdir())):
                raise IndexMismatchError("folder is not empty and holds no kgreason index", where=str(directory),
                                         hint="choose an empty or new folder for -o/--output")
            if has_index:  # rebuild: only the index's own files go
                FactIndex.remove_files(directory)
            self.build(directory)
            action = "built"
        return IndexBuildResult(action, directory, self.index, counts, time.perf_counter() - started)

    def build(self, directory: str | Path | None = None) -> FactIndex:
        """Embed all facts and labels, save to ``directory`` (default: :attr:`directory`). More than
        :data:`BUILD_CHUNK` of them are embedded and saved chunk by chunk, so an interrupted build
        resumes where it stopped (``kgreason index build`` again: :meth:`sync`)."""
        directory = Path(directory) if directory is not None else self.directory
        graph_fp, rules_fp = self._expected()
        kwargs = {"approximate_from": self.approximate_from} if self.approximate_from else {}
        facts, labels = collect_facts(self.kg, self.reasoner), collect_labels(self.kg)
        if len(facts) + len(labels) > BUILD_CHUNK:
            empty = FactIndex.build([], [], self.embedder, graph_fingerprint=graph_fp,
                                    rules_fingerprint=rules_fp, **kwargs)
            empty.manifest["complete"] = False
            empty.save(directory)
            _remember(directory, empty)
            self.sync()
            return self._index
        index = FactIndex.build(facts, labels, self.embedder,
                                graph_fingerprint=graph_fp, rules_fingerprint=rules_fp, **kwargs)
        index.save(directory)
        _remember(directory, index)
        self._index, self._linker, self._index_version = index, None, self.kg.version
        return index

    def sync(self) -> dict[str, int]:
        """Bring an existing index up to date with the graph by adding and removing only the facts
        (and labels) that changed; no full rebuild. Returns the counts."""
        directory = self.directory
        index = _open(directory, self.embedder, fresh=True)
        graph_fp, rules_fp = self._expected()
        wanted = {r.identity: r for r in collect_facts(self.kg, self.reasoner)}
        have = index.fact_ids_by_identity()
        removed = index.remove_facts([i for i in have if i not in wanted])
        changed_text = [i for i, fid in index.fact_ids_by_identity().items() if index.fact(fid) != wanted[i]]
        removed += index.remove_facts(changed_text)  # relabelled or now asserted instead of inferred
        labels = collect_labels(self.kg)
        known = index.fact_ids_by_identity()
        new_facts = list({r.identity: r for r in wanted.values() if r.identity not in known}.values())
        current = set(index.labels.records.values())
        new_labels = [rec for rec in dict.fromkeys(labels) if rec not in current]
        if len(new_facts) + len(new_labels) > BUILD_CHUNK:  # big: saved chunk by chunk (resumable)
            index.manifest.update(graph_fingerprint=graph_fp, rules_fingerprint=rules_fp,
                                  inferred=rules_fp is not None, facts_version=FACTS_VERSION, complete=False)
            self._add_in_chunks(index, directory, new_facts, new_labels)
        added = index.add_facts(wanted.values(), self.embedder)
        labels_added, labels_removed = index.sync_labels(labels, self.embedder)
        labels_added += len(new_labels) if len(new_facts) + len(new_labels) > BUILD_CHUNK else 0
        added += len(new_facts) if len(new_facts) + len(new_labels) > BUILD_CHUNK else 0
        index.manifest.update(graph_fingerprint=graph_fp, rules_fingerprint=rules_fp, inferred=rules_fp is not None,
                              facts_version=FACTS_VERSION)
        index.manifest.pop("complete", None)
        index.save(directory)
        _remember(directory, index)
        self._index, self._linker, self._index_version = index, None, self.kg.version
        return {"added": added, "removed": removed, "labels_added": labels_added, "labels_removed": labels_removed,
                "facts": len(index.facts)}

    def _add_in_chunks(self, index: FactIndex, directory: Path, facts: list, labels: list) -> None:
        """Embed and add ``facts`` then ``labels``, :data:`BUILD_CHUNK` at a time, saving the index
        after each chunk (its manifest says ``complete: false`` until the end); progress goes to
        :attr:`progress` (``kgreason index build`` draws a bar)."""
        total, done = len(facts) + len(labels), 0
        report = self.progress or (lambda done, total: None)
        report(0, total)
        for items, is_fact in ((facts, True), (labels, False)):
            for start in range(0, len(items), BUILD_CHUNK):
                chunk = items[start:start + BUILD_CHUNK]
                if is_fact:
                    index.add_facts(chunk, self.embedder)
                else:
                    index.labels.add(self.embedder.encode([r.text for r in chunk], show_progress=False), chunk)
                index.save(directory)
                done += len(chunk)
                report(done, total)

    # ------------------------------------------------------------------ retrieval
    def retrieve(self, question: str, k: int = 10, *, radius: int | None = None) -> RetrievalResult:
        """The ``k`` best facts for ``question``, the entities it names and their neighbourhood."""
        import time

        if not question or not question.strip():
            raise InputError("the question is empty", hint='ask about the graph, e.g. "Can penguins fly?"')
        t0 = time.perf_counter()
        index, linker = self.index, self.linker
        t1 = time.perf_counter()
        entities, pending = linker.link_lexical(question)
        t2 = time.perf_counter()
        vectors = self.embedder.encode([question, *pending.mentions])  # one batch: question + phrases
        qv = vectors[:1]
        if pending.mentions:
            entities = ordered_links([*entities, *linker.link_embedded(pending, vectors[1:])])
        t3 = time.perf_counter()
        evidence = self._rank(index, qv[0], entities, k)
        t4 = time.perf_counter()
        best: dict[Node, float] = {}
        for e in entities:
            best[e.node] = max(best.get(e.node, 0.0), e.score)
        kg, hops = self.kg, self.radius if radius is None else radius

        def hood():
            return kg.neighbourhood([n for n in best if n in kg.nx()], hops)

        timings = {"open": (t1 - t0) * 1e3, "link": (t2 - t1) * 1e3, "embed": (t3 - t2) * 1e3,
                   "search": (t4 - t3) * 1e3}
        return RetrievalResult(evidence, entities, hood, timings)

    def _weights(self, entities: list[LinkedEntity]) -> dict[str, float]:
        """How much each node matters to the question: linked entities by their link score, and
        their ancestors (rdf:type, rdfs:subClassOf, transitive properties such as part-of) with a
        decaying weight — inherited defaults live on the classes above the entity named."""
        weights: dict[Node, float] = {}
        for e in entities:
            if e.kind == "entity":
                weights[e.node] = max(weights.get(e.node, 0.0), e.score)
        if ANCESTOR_DECAY <= 0 or not weights:
            return {n.n3(): w for n, w in weights.items()}
        version = self.kg.version
        if self._upward is None or self._upward[0] != version:
            transitive = set(self.kg.rdf.subjects(RDF.type, OWL.TransitiveProperty))
            self._upward = (version, (RDF.type, RDFS.subClassOf, *sorted(transitive, key=str)))
        upward = self._upward[1]
        frontier = dict(weights)
        for _ in range(ANCESTOR_DEPTH):
            nxt: dict[Node, float] = {}
            for node, w in sorted(frontier.items(), key=lambda x: str(x[0])):
                for pred in upward:
                    for up in self.kg.rdf.objects(node, pred):
                        if not isinstance(up, Literal) and not is_vocabulary(up):
                            nxt[up] = max(nxt.get(up, 0.0), w * ANCESTOR_DECAY)
            frontier = {n: w for n, w in nxt.items() if w > weights.get(n, 0.0)}
            weights.update(frontier)
            if not frontier or len(weights) > MAX_WEIGHTED_NODES:
                break
        return {n.n3(): w for n, w in weights.items()}

    def _rank(self, index: FactIndex, qv: np.ndarray, entities: list[LinkedEntity], k: int) -> list[Evidence]:
        weights = self._weights(entities)
        cosine = dict(index.facts.search(qv[None, :], max(k * OVERFETCH, 32))[0])
        if weights:
            by_node = index.fact_ids_by_node()
            extra: list[int] = []
            seen = set(cosine)
            for n3 in sorted(weights, key=lambda n: (-weights[n], n)):  # most relevant nodes first
                for fid in by_node.get(n3, ()):
                    if fid not in seen:
                        seen.add(fid)
                        extra.append(fid)
                if len(extra) >= MAX_ENTITY_FACTS:
                    break
            extra = extra[:MAX_ENTITY_FACTS]
            if extra:
                cosine.update(zip(extra, (index.facts.vectors(extra) @ qv).tolist()))
        scored = []
        for fid, cos in cosine.items():
            rec = index.fact(fid)
            s, o = rec.key[0], rec.key[2]
            bonus = weights.get(s, 0.0) + (weights.get(o, 0.0) if o != s else 0.0)
            score = relevance(cos, bonus)
            scored.append((-score, rec.text, fid))
        scored.sort()
        out = []
        for neg_score, _, fid in scored[:k]:
            rec = index.fact(fid)
            out.append(Evidence(rec.text, key_to_triple(rec.key), -neg_score, rec.inferred, rec.negated))
        return out


# ---------------------------------------------------------------------- per-process cache
def _cache_key(directory: Path) -> tuple[str, int, int]:
    st = (directory / MANIFEST).stat()
    return str(directory.resolve()), st.st_mtime_ns, st.st_size


def _remember(directory: Path, index: FactIndex) -> None:
    with _LOCK:
        _INDEXES[_cache_key(Path(directory))] = index
        while len(_INDEXES) > MAX_CACHED_INDEXES:  # oldest first (dicts keep insertion order)
            del _INDEXES[next(iter(_INDEXES))]


def _open(directory: Path, embedder: Embedder, *, fresh: bool = False) -> FactIndex:
    """A loaded index, shared within the process while its manifest is unchanged on disk."""
    key = _cache_key(directory)
    with _LOCK:
        cached = None if fresh else _INDEXES.get(key)
    if cached is not None:
        cached.check_embedder(embedder)
        return cached
    index = FactIndex.load(directory, embedder=embedder)
    if not fresh:
        _remember(directory, index)
    return index
