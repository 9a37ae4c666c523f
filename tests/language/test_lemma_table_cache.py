"""lemminflect's lemma table from kgreason's cache: same lemmas, and a damaged copy is rebuilt."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import logging, sys
logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="%(message)s")
from kgreason.language.morphology import singular, verb_lemma
print(singular("geese"), singular("apples"), verb_lemma("lays"), verb_lemma("has"))
"""


def _run(cache: Path) -> str:
    env = {**os.environ, "KGREASON_CACHE": str(cache)}
    out = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True,
                         timeout=120, check=True)
    return out.stdout


def test_the_cached_table_gives_the_same_lemmas_and_a_damaged_one_is_rebuilt(tmp_path):
    first = _run(tmp_path)
    assert first.strip() == "goose apple lay have"
    (copy,) = (tmp_path / "lemminflect").glob("lemmas-*.marshal")
    assert _run(tmp_path) == first  # read from the cache
    data = bytearray(copy.read_bytes())
    data[-100] ^= 0xFF  # one flipped byte
    copy.write_bytes(bytes(data))
    damaged = _run(tmp_path)
    assert "damaged" in damaged and damaged.strip().endswith("goose apple lay have")
    assert _run(tmp_path) == first  # rebuilt: no warning any more
