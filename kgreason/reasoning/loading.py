"""Graph files + rules → a :class:`Reasoner`, in one call.

A graph file's own rules live beside it as ``<file>.rules`` (``food.ttl`` → ``food.rules``); they
are *the graph's* rules, so they go into ``kg.rules`` (question parsing reads their vocabulary
there too). Rules files given by the user (``--rules``, a pipeline's ``reasoning.rules``) are
extra rules for the reasoner only. The graph package loads triples and knows nothing of rules
files; this module is where the two meet::

    reasoner = load_reasoner(["food.ttl"], rules=["extra.rules"], closed_world=False)
    reasoner.kg          # the loaded graph, its sidecar rules in kg.rules
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from kgreason.core.rules import Rule
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.loaders import load_graph
from kgreason.reasoning.cache import closure_cache_for
from kgreason.reasoning.reasoner import Reasoner
from kgreason.reasoning.rule_parser import parse_rules_file

RULES_SUFFIX = ".rules"


def sidecar_rules_file(graph_file: str | Path) -> Path:
    """Where a graph file's own rules live: ``<file>.rules`` beside it (it may not exist)."""
    return Path(graph_file).with_suffix(RULES_SUFFIX)


def sidecar_rules(graph_file: str | Path, namespaces: dict[str, str] | None = None) -> list[Rule]:
    """The rules of the ``<file>.rules`` beside ``graph_file`` ([] when there is none); prefixed
    names in it are read with ``namespaces`` (the graph's)."""
    path = sidecar_rules_file(graph_file)
    if not path.is_file():
        return []
    return parse_rules_file(path, namespaces=namespaces)


def attach_sidecar_rules(graph_file: Path, kg: KnowledgeGraph) -> None:
    """Add the rules beside ``graph_file`` to ``kg.rules``, read with the prefixes ``kg`` has
    now: the ``after_file`` hook of :func:`~kgreason.graph.loaders.load_graph` and
    :func:`~kgreason.graph.validate.validate_files`."""
    rules = sidecar_rules(graph_file, kg.namespaces)
    if rules:
        kg.rules.extend(rules)


def load_graph_with_rules(
    graphs: str | Path | list[str | Path], *, format: str | None = None
) -> KnowledgeGraph:
    """:func:`~kgreason.graph.loaders.load_graph` (files or shipped names, merged), with each
    file's ``<file>.rules`` added to ``kg.rules``."""
    return load_graph(graphs, format=format, after_file=attach_sidecar_rules)


def load_graph_cached(
    graphs: str | Path | list[str | Path], *, format: str | None = None
) -> KnowledgeGraph:
    """:func:`load_graph_with_rules`, but a big graph whose files are unchanged since it was
    cached is read from the compiled-graph cache instead of parsed (``cache.py``); the graph
    remembers its files so the reasoner can cache it on first use."""
    from kgreason.graph.loaders import resolve_graph_ref
    from kgreason.reasoning.cache import CompiledSource, graph_from_cache

    refs = [graphs] if isinstance(graphs, str | Path) else list(graphs)
    try:
        paths = [resolve_graph_ref(r) for r in refs]
    except Exception:  # noqa: BLE001 - the loader below reports it properly
        paths = None
    if paths and all(p.is_file() for p in paths):
        kg = graph_from_cache(paths, format)
        if kg is not None:
            for path in paths:
                attach_sidecar_rules(path, kg)
            return kg
    sidecar = 0

    def after_file(path: Path, kg: KnowledgeGraph) -> None:
        nonlocal sidecar
        before = len(kg.rules)
        attach_sidecar_rules(path, kg)
        sidecar += len(kg.rules) - before

    kg = load_graph(graphs, format=format, after_file=after_file)
    plain = len(kg.rules) == sidecar and not kg.issues and not getattr(kg, "readings", None)
    if paths and plain:  # a loader that adds rules or issues (English text) is never skipped
        kg.compiled_source = CompiledSource(paths, format, lazy=False, version=kg.version)
    return kg


def load_reasoner(
    graphs: KnowledgeGraph | str | Path | list[str | Path],
    *,
    rules: Iterable[str | Path | Rule] = (),
    closed_world: bool = False,
    format: str | None = None,
    strategy: str = "materialize",
    max_facts: int | None = None,
    progress=None,
) -> Reasoner:
    """A :class:`Reasoner` over ``graphs`` (graph files or shipped graph names, loaded with
    :func:`load_graph_with_rules`; or an already loaded KnowledgeGraph) with the graph's rules
    plus ``rules`` (rules files, read with the graph's prefixes, or Rule objects).
    ``reasoner.kg`` is the graph. Nothing is computed yet: the closure runs on first use."""
    kg = graphs if isinstance(graphs, KnowledgeGraph) else load_graph_cached(graphs, format=format)
    extra: list[Rule] = []
    for item in rules or ():
        if isinstance(item, Rule):
            extra.append(item)
        else:
            extra.extend(parse_rules_file(item, namespaces=kg.namespaces))
    reasoner = Reasoner(kg, rules=[*kg.rules, *extra], closed_world=closed_world,
                        strategy=strategy, max_facts=max_facts, progress=progress)
    reasoner.cache = closure_cache_for(reasoner)
    return reasoner
