"""The pipelines a server keeps warm: loaded once at start-up (graph, closure, index, models) and
shared by every request.

A pipeline's lazy caches (the label index, the reasoner's per-world closure, the linker, the
index's open files) are not safe to build from two threads at once, so they are built at
start-up (:func:`warm_up`, models included) and each request that reads them runs under the lock
of the graph it reads; pipelines over the same graph files share one loaded graph and one lock.
SPARQL queries take no lock (they run in a forked process), and a request past the time limit
is cancelled, so it gives the lock back (``app.run_cancellable``). Python runs one thread at a
time anyway (the GIL), so the lock costs little throughput (see benchmarks/serve_latency.py).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kgreason.errors import InputError
from kgreason.pipeline import Pipeline

log = logging.getLogger(__name__)


@dataclass
class LoadedPipeline:
    """One warm pipeline: ``name`` is the reference it was started with (``default``, a path)."""

    name: str
    pipeline: Pipeline
    lock: threading.Lock
    load_seconds: float
    info: dict[str, Any] = field(default_factory=dict)
    _inferred: Any = None  # the closure as an rdflib graph, made on the first /query --inferred

    @property
    def kg(self):
        return self.pipeline.kg

    @property
    def reasons(self) -> bool:
        config = self.pipeline.config
        return self.pipeline.mode.reasons and config.reasoning.enabled

    def inferred_graph(self):
        """Asserted + inferred triples (made once; call with the lock held)."""
        if not self.reasons:
            raise InputError(f"pipeline {self.name!r} does not reason, so it has no inferred triples",
                             hint='query without "inferred", or start the server with a reasoning pipeline')
        if self._inferred is None:
            from kgreason.reasoning import materialized_graph

            self._inferred = materialized_graph(self.pipeline.reasoner)
        return self._inferred

    def matches(self, graphs: Sequence[str]) -> bool:
        """Whether ``graphs`` names this pipeline's graphs: as started (``commonsense``,
        ``my.ttl``) or as the files they were read from (``GET /graphs``: ``sources``)."""
        wanted = {str(g) for g in graphs}  # compared as text: a request never touches the disk
        return wanted in ({str(g) for g in self.pipeline.config.graphs}, set(self.kg.sources))


def _describe(name: str, pipe: Pipeline, seconds: float) -> dict[str, Any]:
    """What ``GET /graphs`` says about a loaded pipeline (fixed once loaded)."""
    kg, config = pipe.kg, pipe.config
    info: dict[str, Any] = {
        "name": name,
        "mode": config.mode,
        "graphs": list(config.graphs),
        "sources": list(kg.sources),
        "triples": len(kg),
        "rules": len(kg.rules),
        "fingerprint": kg.fingerprint(),
        "issues": len(kg.issues),
        "closed_world": config.reasoning.closed_world,
        "derived": None,
        "retrieval": config.retrieval.enabled,
        "index_facts": None,
        "load_seconds": round(seconds, 3),
    }
    if pipe.mode.reasons and config.reasoning.enabled:
        info["derived"] = pipe.reasoner.stats["derived"]
    if config.retrieval.enabled:
        info["index_facts"] = len(pipe.retriever.index.facts)
    return info


def warm_up(pipe: Pipeline) -> None:
    """Everything a request could load on first use, loaded now (before the server listens):
    graph, closure, index, the verifier, the neural reader and the verifier that confirms its
    readings, and the lazy caches a first question builds. A request never waits for a model."""
    from kgreason.errors import KGReasonError, ModelError

    pipe.warm_up()  # graph, closure (as the pipeline's strategy says), index, verifier
    stage = pipe.reader
    if stage is not None:
        try:
            _ = stage.reader
            if getattr(stage, "entails", None) is not None:
                _ = stage.verifier
        except ModelError as exc:
            if stage.model != "default":
                raise
            stage.unavailable = f"no neural reader ({exc})"
            log.warning("%s: questions the controlled parser does not read are not understood",
                        stage.unavailable)
    try:  # the label index, linker and parser caches a first question would build
        pipe.ask("Is it warm?")
    except KGReasonError:
        pass


class ServerState:
    """The loaded pipelines; the first is used when a request names none."""

    def __init__(self, pipelines: list[LoadedPipeline]):
        if not pipelines:
            raise InputError("no pipeline to serve", hint="give --pipeline NAME")
        self.pipelines = pipelines
        self.started = time.time()

    @classmethod
    def load(
        cls,
        pipelines: Sequence[str | Path] = ("default",),
        *,
        graphs: Sequence[str] | None = None,
        closed_world: bool | None = None,
        loaded: Callable[[LoadedPipeline], None] | None = None,
    ) -> ServerState:
        """Load and warm each pipeline (``--graph`` replaces their graphs, as for ``ask``);
        ``loaded`` is called after each one (the CLI prints it)."""
        shared: dict[tuple, tuple[Any, threading.Lock]] = {}
        out: list[LoadedPipeline] = []
        for ref in dict.fromkeys(str(p) for p in pipelines):
            start = time.perf_counter()
            pipe = Pipeline.from_config(ref, graphs=list(graphs) if graphs else None,
                                        closed_world=closed_world)
            key = (tuple(pipe.config.graphs), pipe.config.base_dir)
            if key in shared:  # the same graph files: one graph in memory, one lock
                kg, lock = shared[key]
                pipe = Pipeline(pipe.config, kg=kg)
            else:
                lock = threading.Lock()
                shared[key] = (pipe.kg, lock)
            warm_up(pipe)
            seconds = time.perf_counter() - start
            item = LoadedPipeline(ref, pipe, lock, seconds, _describe(ref, pipe, seconds))
            log.info("loaded pipeline %s (%s: %d triples) in %.2f s", ref,
                     ", ".join(pipe.config.graphs), len(pipe.kg), seconds)
            out.append(item)
            if loaded is not None:
                loaded(item)
        return cls(out)

    def select(self, pipeline: str | None = None, graphs: Sequence[str] | None = None) -> LoadedPipeline:
        """The loaded pipeline a request names (by ``pipeline`` and / or ``graphs``); the first
        when it names neither. Nothing is loaded on request: an InputError lists what is."""
        found = [p for p in self.pipelines
                 if (pipeline is None or pipeline in (p.name, p.pipeline.config.name))
                 and (not graphs or p.matches(graphs))]
        if found:
            return found[0]
        loaded = "; ".join(f"{p.name} ({', '.join(p.pipeline.config.graphs)})" for p in self.pipelines)
        what = " and ".join(x for x in (
            f"pipeline {pipeline!r}" if pipeline is not None else "",
            f"graphs {list(graphs)!r}" if graphs else "") if x)
        raise InputError(f"{what} not loaded in this server (loaded: {loaded})",
                         hint="name a loaded pipeline / graphs (GET /graphs), or restart the server "
                         "with --pipeline / --graph")

    def describe(self) -> dict[str, Any]:
        return {"pipelines": [{**p.info, "default": i == 0} for i, p in enumerate(self.pipelines)]}
