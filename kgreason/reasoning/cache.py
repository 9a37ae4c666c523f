"""Compiled graphs persist: the encoded facts, their dictionary and the closure with provenance,
written once per graph content, loaded (memory-mapped) instead of parsing and reasoning again.

Layout under ``<cache>/graphs/`` (``<cache>``: :func:`kgreason.files.cache_root`)::

    files/<hash of paths + format>.json    (path, size, mtime_ns, BLAKE2 of content) → fingerprint
    <fingerprint>/graph/                   the asserted triples: terms.json + sorted arrays (.npy)
    <fingerprint>/closure-<key>/           a closure: terms.json + pair indexes + provenance

``<fingerprint>`` is :meth:`KnowledgeGraph.fingerprint` ``(rules=False)``; ``<key>`` hashes it
with the reasoner's rules, the built-in rules, the world assumption, the cache format and the
kgreason version. A later load of the same files (same path, size, mtime_ns *and content*: the
content's BLAKE2 is computed once per process and kept beside the mtime, so an edit that keeps
size and mtime is still seen) reads the fingerprint from ``files/``, opens ``graph/`` as an rdflib
graph over the arrays (``graph/array_graph.py``, nothing parsed) and the closure as a read-only
store (:mod:`array_store`). Every folder's meta.json holds the BLAKE2 of each array, of terms.json and
of itself, checked on every load: anything damaged, swapped, unreadable or foreign (another
format version, a key that does not match) is reported in one warning line and rebuilt. Folders
are written whole and renamed into place, so a reader never sees half of one.

Only graphs of at least :func:`min_triples` triples are cached (small ones load in milliseconds);
``KGREASON_GRAPH_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kgreason import __version__
from kgreason.files import (
    blake2_bytes,
    blake2_file,
    cache_root,
    replace_dir_atomic,
    write_text_atomic,
)

if TYPE_CHECKING:
    import numpy as np

    from kgreason.graph.knowledge_graph import KnowledgeGraph

log = logging.getLogger(__name__)

FORMAT_VERSION = 2  # 2: BLAKE2 of arrays, terms and meta; content digests of the source files
CLOSURE_ARRAYS = ("sp_keys", "sp_vals", "op_keys", "op_vals", "prov_keys", "prov_objs",
                  "prov_rules", "prov_clocks", "prov_offsets", "prov_premises")
GRAPH_ARRAYS = ("spo_keys", "spo_vals", "pos_keys", "pos_vals", "osp_keys", "osp_vals")


def enabled() -> bool:
    from kgreason.settings import get_settings

    return get_settings().graph_cache


def min_triples() -> int:
    """Graphs smaller than this are not cached (KGREASON_GRAPH_CACHE_MIN_TRIPLES, default 20,000)."""
    from kgreason.settings import get_settings

    return get_settings().graph_cache_min_triples


def graphs_dir() -> Path:
    return cache_root() / "graphs"


class CacheError(Exception):
    """A cache folder that cannot be used (the caller rebuilds it)."""


# ---------------------------------------------------------------------- array folders
def _write_folder(path: Path, arrays: dict[str, np.ndarray], term_keys: list[str], meta: dict) -> None:
    import numpy as np  # only when a cache is read or written: small graphs never import it

    def write(tmp: Path) -> None:
        digests = {}
        for name, arr in arrays.items():
            arr = np.ascontiguousarray(arr)
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
            digests[name] = _array_digest(arr)
        terms = json.dumps(term_keys, ensure_ascii=False).encode("utf-8")
        (tmp / "terms.json").write_bytes(terms)
        shapes = {name: list(arr.shape) for name, arr in arrays.items()}
        full = {**meta, "shapes": shapes, "n_terms": len(term_keys), "digests": digests,
                "terms_blake2": blake2_bytes(terms)}
        full["meta_blake2"] = _meta_digest(full)
        (tmp / "meta.json").write_text(json.dumps(full), encoding="utf-8")

    path.parent.mkdir(parents=True, exist_ok=True)
    replace_dir_atomic(path, write)


def _array_digest(arr) -> str:
    """BLAKE2 of an array's dtype, shape and bytes (a swapped or edited .npy differs)."""
    import numpy as np

    arr = np.ascontiguousarray(arr)
    return blake2_bytes(f"{arr.dtype.str}{arr.shape}".encode() + blake2_bytes(arr.reshape(-1).view(np.uint8)).encode())


def _meta_digest(meta: dict) -> str:
    return blake2_bytes(json.dumps({k: v for k, v in meta.items() if k != "meta_blake2"},
                                   sort_keys=True).encode("utf-8"))


def _read_folder(path: Path, names: tuple[str, ...], key: str) -> tuple[dict, list[str], dict]:
    """(arrays memory-mapped, term texts, meta) of a cache folder; CacheError when it is not one
    this kgreason wrote for ``key``, or when any array, terms.json or meta.json does not match
    the BLAKE2 written with it (damaged, swapped or edited)."""
    import numpy as np  # only when a cache is read or written: small graphs never import it

    try:
        meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CacheError(f"meta.json unreadable ({exc.__class__.__name__})") from None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        raise CacheError(f"cache format {meta.get('format_version') if isinstance(meta, dict) else None!r}, "
                         f"this kgreason writes {FORMAT_VERSION}")
    if meta.get("meta_blake2") != _meta_digest(meta):
        raise CacheError("meta.json does not match its checksum (edited or damaged)")
    if meta.get("key") != key or meta.get("kgreason_version") != __version__:
        raise CacheError("written for other content or by another kgreason version")
    digests = meta.get("digests") or {}
    arrays = {}
    shapes = meta.get("shapes", {})
    for name in names:
        try:
            arr = np.load(path / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise CacheError(f"{name}.npy unreadable ({exc})") from None
        if list(arr.shape) != shapes.get(name):
            raise CacheError(f"{name}.npy has shape {arr.shape}, meta.json says {shapes.get(name)}")
        if _array_digest(arr) != digests.get(name):
            raise CacheError(f"{name}.npy does not match its checksum (damaged, swapped or edited)")
        arrays[name] = arr.view(np.ndarray)  # same mapped buffer, without memmap's per-slice cost
    try:
        raw = (path / "terms.json").read_bytes()
        if blake2_bytes(raw) != meta.get("terms_blake2"):
            raise CacheError("terms.json does not match its checksum (damaged or edited)")
        term_keys = json.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as exc:
        raise CacheError(f"terms.json unreadable ({exc.__class__.__name__})") from None
    if not isinstance(term_keys, list) or len(term_keys) != meta.get("n_terms"):
        raise CacheError("terms.json does not match meta.json")
    return arrays, term_keys, meta


def _digest(*parts) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(repr(part).encode("utf-8"))
        h.update(b"\n")
    return h.hexdigest()[:20]


def _rules_digest(rules) -> str:
    return _digest(*[(r.id, r.head, r.body, r.text, sorted((str(k), repr(v)) for k, v in r.meta.items())
                      if isinstance(r.meta, dict) else repr(r.meta)) for r in rules])


_BUILTINS: str | None = None


def _builtins_digest() -> str:
    global _BUILTINS
    if _BUILTINS is None:
        from kgreason.reasoning.builtin_rules import builtin_rules, query_time_rules

        _BUILTINS = _rules_digest([*builtin_rules(), *query_time_rules()])
    return _BUILTINS


# ---------------------------------------------------------------------- source files
def _file_stats(paths: list[Path]) -> list[list]:
    """(path, size, mtime_ns, BLAKE2 of the content) of each file; the content is hashed once
    per process per (size, mtime), so a later load in the same process costs only a stat."""
    out = []
    for p in paths:
        st = p.stat()
        out.append([str(p.resolve()), st.st_size, st.st_mtime_ns, blake2_file(p)])
    return out


def _quick_stat(path: Path) -> tuple:
    st = path.stat()
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _files_entry(paths: list[Path], format: str | None) -> Path:
    name = _digest([str(p.resolve()) for p in paths], format)
    return graphs_dir() / "files" / f"{name}.json"


def graph_from_cache(paths: list[Path], format: str | None) -> KnowledgeGraph | None:
    """The graph of ``paths`` from the cache (no parsing) when the files are unchanged since
    they were cached; None otherwise. Sidecar rules are not attached here."""
    if not enabled():
        return None
    entry = _files_entry(paths, format)
    try:
        record = json.loads(entry.read_text(encoding="utf-8"))
        if record.get("files") != _file_stats(paths) or record.get("format_version") != FORMAT_VERSION:
            return None
        fingerprint = record["fingerprint"]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    folder = graphs_dir() / fingerprint / "graph"
    try:
        arrays, term_keys, meta = _read_folder(folder, GRAPH_ARRAYS, fingerprint)
    except CacheError as exc:
        log.warning("compiled graph cache in %s is unusable (%s); rebuilding it", folder, exc)
        entry.unlink(missing_ok=True)
        return None
    from rdflib import Graph

    from kgreason.graph.array_graph import AssertedTriples
    from kgreason.graph.knowledge_graph import KnowledgeGraph

    store = AssertedTriples(arrays, term_keys, [tuple(x) for x in meta.get("namespaces", [])])
    store.terms_digest = meta.get("terms_digest")
    kg = KnowledgeGraph(Graph(store=store, bind_namespaces="none"), sources=[r[0] for r in record["files"]])
    kg.assume_fingerprint(fingerprint)
    kg.compiled_source = CompiledSource(paths, format, lazy=True)
    log.info("loaded %s from the compiled-graph cache (%d triples)", ", ".join(map(str, paths)), len(kg))
    return kg


class CompiledSource:
    """Where a graph came from (files + format), kept on ``kg.compiled_source`` so the closure
    cache can record the files once it has written the graph's arrays."""

    def __init__(self, paths: list[Path], format: str | None, *, lazy: bool, version: int = 0):
        self.paths = [Path(p) for p in paths]
        self.version = version  # the graph's version when loaded: a later edit is not the files
        self.format = format
        self.lazy = lazy  # the graph was read from the cache (its rdf is the array view)
        try:  # (size, mtime) now; the content digest only when the graph is cached (stats)
            self._quick = [_quick_stat(p) for p in self.paths]
        except OSError:
            self._quick = None
        self._stats: list[list] | None = None

    @property
    def stats(self) -> list[list] | None:
        """The files' record (:func:`_file_stats`), None when a file changed since it was read."""
        if self._quick is None:
            return None
        if self._stats is None:
            try:
                if [_quick_stat(p) for p in self.paths] != self._quick:
                    self._quick = None  # edited after it was read: the graph is not the file
                    return None
                self._stats = _file_stats(self.paths)
            except OSError:
                self._quick = None
                return None
        return self._stats


def _has_blank_nodes(kg: KnowledgeGraph) -> bool:
    from rdflib import BNode

    return any(isinstance(n, BNode) for n in kg.rdf.all_nodes())


# ---------------------------------------------------------------------- closures
class LoadedClosure:
    """A closure read from the cache: the store and what the reasoner's state needs besides."""

    def __init__(self, store, meta: dict):
        self.store = store
        self.meta = meta

    def select(self, templates: list) -> list:
        """The rule templates the cached closure was computed with, in its order."""
        by_id = {t.rule.id: t for t in templates}
        ids = self.meta["rules"]
        missing = [i for i in ids if i not in by_id]
        if missing:
            raise CacheError(f"rules {missing[:3]} of the cached closure are unknown")
        return [by_id[i] for i in ids]

    @property
    def domain_facts(self) -> list[tuple[int, int, int]]:
        return [tuple(f) for f in self.meta.get("domain_facts", [])]

    def restore(self, state) -> None:
        from collections import Counter

        from kgreason.reasoning.defaults import DefaultConflict

        stats = state.closure.stats
        saved = self.meta["stats"]
        stats.rounds, stats.seconds, stats.derived = saved["rounds"], saved["seconds"], saved["derived"]
        stats.per_rule = Counter(saved["per_rule"])
        state.defaults.conflicts = {
            tuple(c[0]): DefaultConflict(*c[0], tuple(c[1]), tuple(c[2])) for c in self.meta["conflicts"]}


class ClosureCache:
    """The cache of one reasoner's closures (one per world assumption); see the module docstring.
    ``Reasoner.cache``: its state calls :meth:`load` before computing and :meth:`save` after."""

    def __init__(self, reasoner):
        self.reasoner = reasoner

    def _key(self, closed_world: bool) -> tuple[str, str]:
        r = self.reasoner
        fingerprint = r.kg.fingerprint(rules=False)
        key = _digest(FORMAT_VERSION, __version__, fingerprint, _rules_digest(r.rules), _builtins_digest(),
                      bool(closed_world), bool(r.builtins))
        return fingerprint, key

    def _folder(self, closed_world: bool) -> tuple[Path, str, str]:
        fingerprint, key = self._key(closed_world)
        return graphs_dir() / fingerprint / f"closure-{key}", fingerprint, key

    def load(self, closed_world: bool) -> LoadedClosure | None:
        folder, _, key = self._folder(closed_world)
        if not (folder / "meta.json").exists():
            return None
        started = time.perf_counter()
        try:
            arrays, term_keys, meta = _read_folder(folder, CLOSURE_ARRAYS, key)
            from kgreason.reasoning.engine import Store

            term_keys, base_ids = self._full_terms(term_keys, meta)
            store = Store.from_arrays(arrays, term_keys, meta["counters"], base_ids)
            for field in ("rules", "stats", "conflicts"):
                if field not in meta:
                    raise CacheError(f"meta.json lacks {field!r}")
        except (CacheError, KeyError, TypeError, ValueError) as exc:
            log.warning("compiled graph cache in %s is unusable (%s); rebuilding it", folder, exc)
            return None
        limit = self.reasoner.max_facts
        if store.fact_count() > limit and getattr(self.reasoner, "strategy", None) == "query-time":
            log.info("cached closure of %d facts is over the limit of %d: reasoning per question",
                     store.fact_count(), limit)
            return None  # query-time reasoning builds only what each question needs
        if store.fact_count() > limit:  # cached under a higher limit: the limit holds all the same
            from kgreason.reasoning.reachability import RAISE_LIMIT, TooBig  # auto: per question

            raise TooBig(
                f"reasoning stopped after {limit} facts: the closure holds {store.fact_count()} facts "
                f"(read from the compiled-graph cache, {folder})",
                hint=f"{RAISE_LIMIT}, or use query-time reasoning (--reasoning query-time)")
        log.info("closure loaded from the cache in %.3fs (%s)", time.perf_counter() - started, folder)
        return LoadedClosure(store, meta)

    def _full_terms(self, term_keys: list[str], meta: dict) -> tuple[list[str], object]:
        """A closure saved beside its graph stores only the terms after the graph's (``base``):
        the graph's come from the open graph view (shared) or its folder."""
        base = meta.get("terms_base")
        if not base:
            return term_keys, None
        view = self.reasoner.kg.rdf.store
        from kgreason.graph.array_graph import AssertedTriples

        want = meta.get("terms_base_digest")
        if isinstance(view, AssertedTriples) and view.term_count == base and view.terms_digest == want:
            return view.term_keys + term_keys, view.term_ids
        folder = graphs_dir() / meta["fingerprint"] / "graph"
        _, graph_keys, graph_meta = _read_folder(folder, (), meta["fingerprint"])
        if len(graph_keys) != base or graph_meta.get("terms_digest") != want:
            raise CacheError("the graph's terms do not match the closure's")
        return graph_keys + term_keys, None

    def save(self, state) -> None:
        """Write the state's closure (and, for a graph read from files, its asserted triples and
        the files' quick-check record). Failures to write only warn: the cache is optional."""
        try:
            self._save(state)
        except OSError as exc:
            log.warning("could not write the compiled-graph cache (%s)", exc)

    def _save(self, state) -> None:
        started = time.perf_counter()
        folder, fingerprint, key = self._folder(state.closed_world)
        store = state.store
        arrays, term_keys, counters = store.to_arrays()
        conflicts = [[list(f), list(c.positive), list(c.negative)]
                     for f, c in state.defaults.conflicts.items()]
        st = state.closure.stats
        meta = {"format_version": FORMAT_VERSION, "kgreason_version": __version__, "key": key,
                "fingerprint": fingerprint, "closed_world": state.closed_world, "counters": counters,
                "rules": [t.rule.id for t in state.templates],
                "stats": {"rounds": st.rounds, "seconds": st.seconds, "derived": st.derived,
                          "per_rule": dict(st.per_rule)},
                "conflicts": conflicts,
                "domain_facts": [list(f) for f in getattr(state, "_domain_facts", [])],
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        source = getattr(self.reasoner.kg, "compiled_source", None)
        graph_saved = False
        if (source is not None and not source.lazy and source.stats is not None
                and source.version == self.reasoner.kg.version):
            graph_saved = self._save_graph(arrays, term_keys, counters, fingerprint, source)
        if graph_saved:  # the graph's terms are a prefix of the closure's: stored once
            n_data = int(counters["n_data_terms"])
            meta["terms_base"] = n_data
            meta["terms_base_digest"] = graph_saved
            term_keys = term_keys[n_data:]
        _write_folder(folder, arrays, term_keys, meta)
        if graph_saved:
            self._write_files_record(source, fingerprint)
        log.info("compiled graph cached in %.2fs (%s)", time.perf_counter() - started, folder)

    def _save_graph(self, arrays: dict, term_keys: list[str], counters: dict, fingerprint: str,
                    source: CompiledSource) -> str | None:
        """The asserted triples (facts with p > 0 that no rule derived) as a graph folder, and
        the files' record pointing at it."""
        import numpy as np

        from kgreason.graph.array_graph import asserted_arrays

        kg = self.reasoner.kg
        n_data = int(counters["n_data_terms"])
        T_all = int(counters["n_terms"])
        keys, vals = np.asarray(arrays["sp_keys"]), np.asarray(arrays["sp_vals"])
        ps, s = np.divmod(keys, T_all)
        p = ps - T_all
        # derived facts: provenance keys hold (p, s), objects separately; mark them by a 3-key
        dkeys, dobjs = np.asarray(arrays["prov_keys"]), np.asarray(arrays["prov_objs"]).astype(np.int64)
        all3 = keys * T_all + vals.astype(np.int64) if T_all < (1 << 20) else None
        if all3 is not None:
            derived = np.isin(all3, dkeys * T_all + dobjs)
        else:  # very many terms: compare as tuples
            dset = set(zip(dkeys.tolist(), dobjs.tolist()))
            derived = np.fromiter(((k, v) in dset for k, v in zip(keys.tolist(), vals.tolist())), bool, len(keys))
        keep = (~derived) & (p > 0)
        if int(keep.sum()) != len(kg) or (p[keep] >= n_data).any():
            log.debug("asserted facts of the store do not match the graph; graph not cached")
            return None
        graph_arrays = asserted_arrays(p[keep], s[keep], vals[keep].astype(np.int64), n_data)
        folder = graphs_dir() / fingerprint / "graph"
        meta = {"format_version": FORMAT_VERSION, "kgreason_version": __version__, "key": fingerprint,
                "namespaces": [[prefix, str(ns)] for prefix, ns in kg.rdf.namespaces()],
                "terms_digest": _digest("\n".join(term_keys[:n_data])),
                "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
        _write_folder(folder, graph_arrays, term_keys[:n_data], meta)
        return meta["terms_digest"]

    def _write_files_record(self, source: CompiledSource, fingerprint: str) -> None:
        record = {"format_version": FORMAT_VERSION, "files": source.stats, "fingerprint": fingerprint}
        entry = _files_entry(source.paths, source.format)
        entry.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(entry, json.dumps(record))


def closure_cache_for(reasoner) -> ClosureCache | None:
    """A :class:`ClosureCache` when the reasoner's graph is worth caching: the cache is on, the
    graph has at least :func:`min_triples` triples, and it was read from the cache or has no
    blank nodes (their ids differ from one parse to the next)."""
    kg = reasoner.kg
    if not enabled() or len(kg) < min_triples():
        return None
    source = getattr(kg, "compiled_source", None)
    if not (source is not None and source.lazy) and _has_blank_nodes(kg):
        return None
    return ClosureCache(reasoner)
