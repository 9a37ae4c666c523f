"""WordNet 3.0 → Turtle: import time, output size, and load time of the result (both parsers).

Usage: ``python benchmarks/loaders_wordnet.py [--wordnet-dir /usr/share/wordnet]``. Needs Debian's
``wordnet-base``. The Turtle goes to ``benchmarks/_work/wordnet.ttl`` (git-ignored).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from loaders_ntriples import WORK, run

from kgreason.graph.wordnet import DEFAULT_WORDNET_DIR, import_wordnet


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wordnet-dir", type=Path, default=DEFAULT_WORDNET_DIR)
    args = parser.parse_args()
    out = WORK / "wordnet.ttl"
    started = time.perf_counter()
    result = import_wordnet(out, args.wordnet_dir, progress=False)
    print(
        f"import: {result.synsets:,} synsets, {result.triples:,} triples, "
        f"{result.bytes / 1e6:.1f} MB, {time.perf_counter() - started:.1f} s"
    )
    print("| load wordnet.ttl with | triples | seconds | peak RSS (MB) |")
    print("|---|---:|---:|---:|")
    for method in ("kg-rdflib", "kg-oxigraph"):
        r = run(method, out)
        print(f"| {r['method']} | {r['triples']:,} | {r['seconds']} | {r['peak_mb']} |", flush=True)


if __name__ == "__main__":
    main()
