"""An rdflib store over a compiled graph's asserted triples (numpy arrays from the cache, see
``reasoning/cache.py``), so a cached graph is a real :class:`rdflib.Graph` without parsing its
source file; and the term dictionary of those arrays (:class:`TermList`, :class:`TermIds`), which
the cached closure's store shares (``reasoning/array_store.py``).

Terms are stored as text: ``U<iri>``, ``B<id>``, ``L<lang>\\x1f<datatype>\\x1f<lexical form>``.

Three sorted copies of the asserted facts answer every triple pattern by binary search:
``spo`` (key s*T+p, value o), ``pos`` (key p*T+o, value s) and ``osp`` (key o*T+s, value p).
Terms decode on demand (:class:`TermList`). Prefixes live in an
ordinary in-memory store from the start; the first write (``add``, ``remove``) copies every triple
into it and goes on there, so a cached graph can still be edited like any other.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
from rdflib import BNode, Literal, URIRef
from rdflib.plugins.stores.memory import Memory
from rdflib.store import Store
from rdflib.term import Node

_SEP = "\x1f"


def term_key(node: Node) -> str:
    """The stored text of a term (see the module docstring)."""
    if isinstance(node, URIRef):
        return "U" + str(node)
    if isinstance(node, Literal):
        return f"L{node.language or ''}{_SEP}{node.datatype or ''}{_SEP}{node}"
    if isinstance(node, BNode):
        return "B" + str(node)
    return "U" + str(node)  # Variables and other nodes never occur in stored facts


def term_from_key(key: str) -> Node:
    kind, rest = key[0], key[1:]
    if kind == "U":
        return URIRef(rest)
    if kind == "B":
        return BNode(rest)
    lang, datatype, lexical = rest.split(_SEP, 2)
    return Literal(lexical, lang=lang or None, datatype=URIRef(datatype) if datatype else None)


class TermList:
    """``Store.terms``: index 0 is None; stored terms decode on first access."""

    def __init__(self, keys: list[str]):
        self._keys = keys  # keys[0] is the placeholder of id 0
        self._decoded: dict[int, Node] = {}
        self._extra: list[Node] = []

    def __len__(self) -> int:
        return len(self._keys) + len(self._extra)

    def __getitem__(self, i: int) -> Node | None:
        if i < 0:
            i += len(self)
        if i == 0:
            return None
        n = len(self._keys)
        if i >= n:
            return self._extra[i - n]
        node = self._decoded.get(i)
        if node is None:
            node = self._decoded[i] = term_from_key(self._keys[i])
        return node

    def __iter__(self) -> Iterator[Node | None]:
        for i in range(len(self)):
            yield self[i]

    def append(self, node: Node) -> None:
        self._extra.append(node)


class TermIds:
    """``Store.ids``: term → id, looked up by the term's stored text."""

    def __init__(self, keys: list[str], base: TermIds | None = None):
        if base is not None and len(base._ids) + 1 <= len(keys):  # keys extend base's: share it
            n = len(base._ids) + 1
            self._ids = base._ids
            self._more = dict(zip(keys[n:], range(n, len(keys))))
        else:
            self._ids = dict(zip(keys, range(len(keys))))
            self._ids.pop(keys[0] if keys else "", None)
            self._more = {}
        self._extra: dict[Node, int] = {}

    def get(self, node: Node, default=None):
        found = self._extra.get(node)
        if found is not None:
            return found
        key = term_key(node)
        found = self._ids.get(key)
        if found is None:
            found = self._more.get(key)
        return default if found is None else found

    def __getitem__(self, node: Node) -> int:
        found = self.get(node)
        if found is None:
            raise KeyError(node)
        return found

    def __setitem__(self, node: Node, i: int) -> None:
        self._extra[node] = i

    def __contains__(self, node) -> bool:
        return self.get(node) is not None

    def __len__(self) -> int:
        return len(self._ids) + len(self._more) + len(self._extra)


ORDERS = ("spo", "pos", "osp")


def asserted_arrays(p: np.ndarray, s: np.ndarray, o: np.ndarray, n_terms: int) -> dict[str, np.ndarray]:
    """The three sorted copies of asserted facts ``(s, p, o)`` (p > 0)."""
    T = np.int64(n_terms)
    out = {}
    for name, (a, b, c) in zip(ORDERS, ((s, p, o), (p, o, s), (o, s, p))):
        keys = a.astype(np.int64) * T + b.astype(np.int64)
        order = np.lexsort((c, keys))
        out[f"{name}_keys"], out[f"{name}_vals"] = keys[order], c[order].astype(np.int32)
    return out


class AssertedTriples(Store):
    """Read-mostly rdflib store over :func:`asserted_arrays` (see the module docstring)."""

    context_aware = False
    formula_aware = False
    transaction_aware = False
    graph_aware = False

    def __init__(self, arrays: dict[str, np.ndarray], term_keys: list[str],
                 namespaces: list[tuple[str, str]] = ()):
        super().__init__()
        self._arrays = arrays
        self._T = len(term_keys)
        self._terms = TermList(term_keys)
        self._ids = TermIds(term_keys)
        self.term_keys, self.term_count = term_keys, len(term_keys)
        self.terms_digest: str | None = None  # set by the cache: which term list this is
        self._mem = Memory()  # the prefixes; the triples too once written to (``_thaw``)
        for prefix, ns in namespaces:
            self._mem.bind(prefix, URIRef(ns))
        self._thawed = False
        self._len = len(arrays["spo_keys"])

    #: kgreason reads labels node by node from this store (KnowledgeGraph.labels)
    indexed_lookups = True

    @property
    def term_ids(self) -> TermIds:
        return self._ids

    # ------------------------------------------------------------------ reading
    def _range(self, order: str, a: int, b: int | None) -> tuple[int, int]:
        keys = self._arrays[f"{order}_keys"]
        T = self._T
        lo_key = a * T + (b if b is not None else 0)
        hi_key = lo_key + 1 if b is not None else (a + 1) * T
        return int(np.searchsorted(keys, lo_key, "left")), int(np.searchsorted(keys, hi_key, "left"))

    def _ids_of(self, order: str, lo: int, hi: int) -> Iterator[tuple[int, int, int]]:
        """(s, p, o) ids of the rows lo:hi of ``order``."""
        keys = self._arrays[f"{order}_keys"][lo:hi]
        vals = self._arrays[f"{order}_vals"][lo:hi]
        T = self._T
        first, second = np.divmod(keys, T)
        for a, b, c in zip(first.tolist(), second.tolist(), vals.tolist()):
            if order == "spo":
                yield a, b, c
            elif order == "pos":
                yield c, a, b
            else:
                yield b, c, a

    def triples(self, triple_pattern, context=None):
        if self._thawed:
            yield from self._mem.triples(triple_pattern, context)
            return
        s, p, o = triple_pattern
        ids = self._ids
        si = ids.get(s) if s is not None else None
        pi = ids.get(p) if p is not None else None
        oi = ids.get(o) if o is not None else None
        if (s is not None and si is None) or (p is not None and pi is None) or (o is not None and oi is None):
            return
        if si is not None:
            if oi is not None and pi is None:
                rows = self._ids_of("osp", *self._range("osp", oi, si))
            else:
                rows = self._ids_of("spo", *self._range("spo", si, pi))
        elif pi is not None:
            rows = self._ids_of("pos", *self._range("pos", pi, oi))
        elif oi is not None:
            rows = self._ids_of("osp", *self._range("osp", oi, None))
        else:
            rows = self._ids_of("spo", 0, self._len)
        terms = self._terms
        check = si is not None and pi is not None and oi is not None  # spo rows of (s, p): o varies
        for a, b, c in rows:
            if check and c != oi:
                continue
            yield (terms[a], terms[b], terms[c]), iter(())

    def __len__(self, context=None) -> int:
        return self._mem.__len__(context) if self._thawed else self._len

    def contexts(self, triple=None):
        if self._thawed:
            yield from self._mem.contexts(triple)

    # ------------------------------------------------------------------ namespaces
    def bind(self, prefix, namespace, override=True):
        return self._mem.bind(prefix, namespace, override)

    def namespace(self, prefix):
        return self._mem.namespace(prefix)

    def prefix(self, namespace):
        return self._mem.prefix(namespace)

    def namespaces(self):
        return self._mem.namespaces()

    def unbind(self, prefix):
        return self._mem.unbind(prefix)

    # ------------------------------------------------------------------ writing: copy first
    def _thaw(self, context) -> Memory:
        if not self._thawed:
            terms = self._terms
            self._mem.addN((terms[s], terms[p], terms[o], context)
                           for s, p, o in self._ids_of("spo", 0, self._len))
            self._thawed = True
        return self._mem

    def add(self, triple, context, quoted=False):
        self._thaw(context).add(triple, context, quoted)
        super().add(triple, context, quoted)

    def addN(self, quads):
        quads = list(quads)
        if quads:
            self._thaw(quads[0][3]).addN(quads)

    def remove(self, triple, context=None):
        self._thaw(context).remove(triple, context)
        super().remove(triple, context)
