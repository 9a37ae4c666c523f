"""The graph formats this package adds to the loaders (named in ``kgreason.plugins``'s table of
built-ins and as a ``kgreason.graph_formats`` entry point in pyproject.toml, so ``kgreason.graph``
finds them without importing this package)."""

from __future__ import annotations

from kgreason.graph.loaders import Format

ENGLISH = Format("english", (".txt",), "kgreason.language.english_graph:load_english", "controlled English")
