"""Read-only views of a reasoner :class:`~kgreason.reasoning.engine.Store` over numpy arrays
(memory-mapped from the compiled-graph cache, see ``cache.py``).

A closure loaded from the cache is not rebuilt as Python dicts of sets (2.7M WordNet facts
would take seconds): each index answers point lookups by binary search over sorted arrays and
builds the small set a caller asks for. The views implement the parts of the dict interface the
reasoner uses (``get``, ``in``, ``[]``, iteration, ``items``, ``len``; ``keys`` is the sorted array
of a :class:`PairIndex` or :class:`ProvIndex`, not the dict method):

* :class:`PairIndex` — ``{p: {x: {y}}}`` (``Store.SP`` with x = subject, ``Store.OP`` with
  x = object) over ``keys = (p + T) * T + x`` (sorted) and ``vals`` (sorted within a key);
* :class:`ProvIndex` — ``Store.prov``: fact → (rule index, premise facts);
* ``Store.terms`` / ``Store.ids``: :class:`~kgreason.graph.array_graph.TermList` /
  :class:`~kgreason.graph.array_graph.TermIds`, the term dictionary the cached graph's view uses
  too (terms stored as text, decoded only when asked for; new terms interned at query time live
  beside them).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from kgreason.graph.array_graph import TermIds, TermList, term_key


def pair_keys(p: np.ndarray, x: np.ndarray, n_terms: int) -> np.ndarray:
    """``(p + T) * T + x`` as int64 (p may be negative: negative facts)."""
    return (p.astype(np.int64) + n_terms) * n_terms + x.astype(np.int64)


class _Lookup:
    """The read-only mapping methods of the views below, in terms of their ``get``/``items``."""

    __slots__ = ()

    def __getitem__(self, key):
        found = self.get(key)
        if found is None:
            raise KeyError(key)
        return found

    def __contains__(self, key) -> bool:
        return self.get(key) is not None

    def values(self) -> Iterator:
        return (v for _, v in self.items())


class _Row(_Lookup):
    """``index[p]``: {x: {y}} for one predicate, the rows ``lo:hi`` of a :class:`PairIndex`."""

    __slots__ = ("_base", "_hi", "_index", "_lo")

    def __init__(self, index: PairIndex, lo: int, hi: int, base: int):
        self._index, self._lo, self._hi, self._base = index, lo, hi, base

    def get(self, x: int, default=None):
        keys = self._index.keys
        k = self._base + x
        a = int(np.searchsorted(keys, k, "left"))
        if a >= len(keys) or keys[a] != k:
            return default
        b = int(np.searchsorted(keys, k, "right"))
        return set(self._index.vals[a:b].tolist())

    def _groups(self) -> tuple[np.ndarray, np.ndarray]:
        xs = self._index.keys[self._lo:self._hi] - self._base
        starts = np.flatnonzero(np.r_[True, xs[1:] != xs[:-1]]) if len(xs) else np.zeros(0, np.int64)
        return xs, starts

    def items(self) -> Iterator[tuple[int, set[int]]]:
        xs, starts = self._groups()
        vals = self._index.vals[self._lo:self._hi]
        ends = np.r_[starts[1:], len(xs)]
        for a, b in zip(starts.tolist(), ends.tolist()):
            yield int(xs[a]), set(vals[a:b].tolist())

    def keys(self) -> list[int]:
        xs, starts = self._groups()
        return xs[starts].tolist()

    def __iter__(self) -> Iterator[int]:
        return iter(self.keys())

    def __len__(self) -> int:
        return len(self._groups()[1])

    def __bool__(self) -> bool:
        return self._hi > self._lo


class PairIndex(_Lookup):
    """``{p: {x: {y}}}`` over sorted ``keys`` (see :func:`pair_keys`) and ``vals``."""

    def __init__(self, keys: np.ndarray, vals: np.ndarray, n_terms: int):
        self.keys, self.vals, self.n_terms = keys, vals, n_terms
        self._pred_list: list[int] | None = None

    @property
    def _preds(self) -> list[int]:
        """The predicates present (computed on first use: point lookups never need it)."""
        if self._pred_list is None:
            T = self.n_terms
            if len(self.keys):
                ps = np.asarray(self.keys) // T
                self._pred_list = (ps[np.r_[True, ps[1:] != ps[:-1]]] - T).tolist()
            else:
                self._pred_list = []
        return self._pred_list

    def get(self, p: int, default=None):
        T = self.n_terms
        if not -T < p < T:
            return default
        base = (p + T) * T
        lo = int(np.searchsorted(self.keys, base, "left"))
        hi = int(np.searchsorted(self.keys, base + T, "left"))
        if lo == hi:
            return default
        return _Row(self, lo, hi, base)

    def __iter__(self) -> Iterator[int]:
        return iter(self._preds)

    def items(self) -> Iterator[tuple[int, _Row]]:
        for p in self._preds:
            yield p, self[p]

    def __len__(self) -> int:
        return len(self._preds)


class ProvIndex(_Lookup):
    """``Store.prov``: derived fact → (rule index, premise facts), by binary search over the
    derived facts sorted by (p, s, o)."""

    def __init__(self, keys: np.ndarray, objs: np.ndarray, rules: np.ndarray, offsets: np.ndarray,
                 premises: np.ndarray, n_terms: int, clocks: np.ndarray | None = None):
        self.keys, self.objs, self.rules = keys, objs, rules
        self.offsets, self.premises, self.n_terms = offsets, premises, n_terms
        self.clocks = clocks  # >= 0: a reachability pair (premises found on demand)

    def _find(self, fact) -> int | None:
        try:
            s, p, o = fact
        except (TypeError, ValueError):
            return None
        T = self.n_terms
        if not (0 <= s < T and -T < p < T and 0 <= o < T):
            return None
        k = (p + T) * T + s
        a = int(np.searchsorted(self.keys, k, "left"))
        b = int(np.searchsorted(self.keys, k, "right"))
        if a == b:
            return None
        i = a + int(np.searchsorted(self.objs[a:b], o, "left"))
        return i if i < b and self.objs[i] == o else None

    def _entry(self, i: int) -> tuple[int, tuple[tuple[int, int, int], ...] | int]:
        if self.clocks is not None and self.clocks[i] >= 0:
            return int(self.rules[i]), int(self.clocks[i])
        prem = self.premises[self.offsets[i]:self.offsets[i + 1]].tolist()
        return int(self.rules[i]), tuple(tuple(f) for f in prem)

    def get(self, fact, default=None):
        i = self._find(fact)
        return default if i is None else self._entry(i)

    def __contains__(self, fact) -> bool:
        return self._find(fact) is not None

    def __len__(self) -> int:
        return len(self.keys)

    def __iter__(self) -> Iterator[tuple[int, int, int]]:
        T = self.n_terms
        for k, o in zip(self.keys.tolist(), self.objs.tolist()):
            ps, s = divmod(k, T)
            yield (s, ps - T, o)

    def items(self) -> Iterator[tuple[tuple[int, int, int], tuple]]:
        for i, fact in enumerate(self):
            yield fact, self._entry(i)


# ---------------------------------------------------------------------- Store <-> arrays
def _sorted_pairs(p: np.ndarray, x: np.ndarray, y: np.ndarray, n_terms: int) -> tuple[np.ndarray, np.ndarray]:
    keys = pair_keys(p, x, n_terms)
    order = np.lexsort((y, keys))
    return keys[order], y[order].astype(np.int32)


def store_arrays(store) -> tuple[dict[str, np.ndarray], list[str], dict]:
    """``Store.to_arrays``: every fact in both pair indexes, and the provenance of derived facts
    sorted by (p, s, o); premises as one flat array with offsets (a reachability pair keeps its
    clock instead, ``clock >= 0``)."""
    T = len(store.terms)
    ps: list[int] = []
    ss: list[int] = []
    os_: list[int] = []
    for p, d in store.SP.items():
        for s, objs in d.items():
            n = len(objs)
            ps.extend([p] * n)
            ss.extend([s] * n)
            os_.extend(objs)
    p_arr, s_arr, o_arr = (np.asarray(a, dtype=np.int64) for a in (ps, ss, os_))
    del ps, ss, os_
    arrays: dict[str, np.ndarray] = {}
    arrays["sp_keys"], arrays["sp_vals"] = _sorted_pairs(p_arr, s_arr, o_arr, T)
    arrays["op_keys"], arrays["op_vals"] = _sorted_pairs(p_arr, o_arr, s_arr, T)
    dp: list[int] = []
    ds: list[int] = []
    do: list[int] = []
    rules: list[int] = []
    clocks: list[int] = []
    counts: list[int] = []
    flat: list[int] = []
    for (s, p, o), (rule, premises) in store.prov.items():
        ds.append(s)
        dp.append(p)
        do.append(o)
        rules.append(rule)
        if type(premises) is int:
            clocks.append(premises)
            counts.append(0)
        else:
            clocks.append(-1)
            counts.append(len(premises))
            for f in premises:
                flat.extend(f)
    keys = pair_keys(np.asarray(dp, np.int64), np.asarray(ds, np.int64), T)
    objs = np.asarray(do, np.int64)
    order = np.lexsort((objs, keys))
    count = np.asarray(counts, np.int64)
    old_offsets = np.r_[0, np.cumsum(count)]
    new_count = count[order]
    new_offsets = np.r_[0, np.cumsum(new_count)]
    total = int(new_offsets[-1])
    gather = (np.repeat(old_offsets[:-1][order], new_count)
              + np.arange(total, dtype=np.int64) - np.repeat(new_offsets[:-1], new_count))
    prem = np.asarray(flat, np.int32).reshape(-1, 3)
    arrays["prov_keys"] = keys[order]
    arrays["prov_objs"] = objs[order].astype(np.int32)
    arrays["prov_rules"] = np.asarray(rules, np.int32)[order]
    arrays["prov_clocks"] = np.asarray(clocks, np.int64)[order]
    arrays["prov_offsets"] = new_offsets
    arrays["prov_premises"] = prem[gather] if total else np.zeros((0, 3), np.int32)
    term_keys = [""] + [term_key(store.terms[i]) for i in range(1, T)]
    counters = {"asserted": store.asserted, "n_data_terms": store.n_data_terms,
                "clock": getattr(store, "clock", 0), "n_terms": T}
    return arrays, term_keys, counters


def array_views(arrays: dict[str, np.ndarray], term_keys: list[str], base_ids: TermIds | None = None):
    """``Store.from_arrays``: (ids, terms, SP, OP, prov) views over the arrays; ``base_ids``: the
    ids of a prefix of ``term_keys`` already built (the cached graph's), shared."""
    T = len(term_keys)
    return (TermIds(term_keys, base_ids), TermList(term_keys),
            PairIndex(arrays["sp_keys"], arrays["sp_vals"], T),
            PairIndex(arrays["op_keys"], arrays["op_vals"], T),
            ProvIndex(arrays["prov_keys"], arrays["prov_objs"], arrays["prov_rules"],
                      arrays["prov_offsets"], arrays["prov_premises"], T,
                      clocks=arrays.get("prov_clocks")))
