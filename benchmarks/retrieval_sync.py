"""Incremental update vs full rebuild of the commonsense index with the packaged MiniLM.

Builds the index, then adds one fact (and its new entity) and removes one, and times
``Retriever.sync()`` (embeds only what changed) against ``Retriever.build()`` (embeds everything).

    python benchmarks/retrieval_sync.py
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path

from rdflib import RDFS, Literal, URIRef

from kgreason.graph.loaders import load_graph
from kgreason.retrieval import Embedder, Retriever


def main() -> None:
    kg = load_graph("commonsense")
    embedder = Embedder()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "idx"
        start = time.perf_counter()
        Retriever(kg, embedder=embedder, index_dir=folder).warm_up()
        first_build = time.perf_counter() - start
        cs = "https://w3id.org/kgreason/commonsense#"
        kg.add((URIRef(cs + "Kiwi"), RDFS.label, Literal("kiwi")))
        kg.add((URIRef(cs + "Kiwi"), RDFS.subClassOf, URIRef(cs + "Bird")))
        kg.remove((URIRef(cs + "Penguin"), None, URIRef(cs + "Fly")))
        retriever = Retriever(kg, embedder=embedder, index_dir=folder)
        start = time.perf_counter()
        counts = retriever.sync()
        sync_s = time.perf_counter() - start
        start = time.perf_counter()
        retriever.build(Path(tmp) / "full")
        rebuild_s = time.perf_counter() - start
    report = {"facts": counts["facts"], "first_build_s": round(first_build, 2), "sync_s": round(sync_s, 2),
              "full_rebuild_s": round(rebuild_s, 2), **counts}
    print(json.dumps(report))


if __name__ == "__main__":
    main()
