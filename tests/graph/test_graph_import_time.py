"""``import kgreason`` stays light: no torch/transformers/faiss, measured in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys

HEAVY = ("torch", "transformers", "faiss", "sentence_transformers")

_PROBE = """
import json, sys, time
t = time.perf_counter()
import {module}
seconds = time.perf_counter() - t
print(json.dumps({{"seconds": seconds, "heavy": [m for m in {heavy!r} if m in sys.modules]}}))
"""


def probe(module: str) -> dict:
    code = _PROBE.format(module=module, heavy=HEAVY)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_kgreason_imports_no_heavy_library():
    data = probe("kgreason")
    assert data["heavy"] == []
    assert data["seconds"] < 0.5  # measured ~0.5 ms: everything public is imported lazily


def test_graph_and_cli_modules_import_no_heavy_library():
    for module in ("kgreason.graph", "kgreason.graph.loaders", "kgreason.cli"):
        assert probe(module)["heavy"] == [], module
