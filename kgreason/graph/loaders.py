"""Loaders by format: chosen from the file extension or an explicit ``format`` name.

Each loader reads one file into a :class:`KnowledgeGraph`. The registry maps format names and
extensions to loaders so other stages (e.g. the English loader in ``kgreason.language``) plug in
without this module importing them eagerly.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kgreason.errors import InputError, ParseError
from kgreason.graph.knowledge_graph import KnowledgeGraph

log = logging.getLogger(__name__)

#: A loader reads ``path`` and adds its triples (and rules, issues) to ``kg``.
Loader = Callable[[Path, KnowledgeGraph], None]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    loader: str  # "module:function", imported on first use
    description: str


FORMATS: dict[str, Format] = {}


def register_format(fmt: Format) -> None:
    FORMATS[fmt.name] = fmt


for _fmt in (
    Format("turtle", (".ttl", ".turtle"), "kgreason.graph.rdf_formats:load_turtle", "Turtle"),
    Format("nt", (".nt", ".ntriples"), "kgreason.graph.rdf_formats:load_ntriples", "N-Triples"),
    Format("nquads", (".nq", ".nquads"), "kgreason.graph.rdf_formats:load_nquads", "N-Quads (merged)"),
    Format("trig", (".trig",), "kgreason.graph.rdf_formats:load_trig", "TriG (merged)"),
    Format("json-ld", (".jsonld", ".json-ld"), "kgreason.graph.rdf_formats:load_jsonld", "JSON-LD"),
    Format("xml", (".rdf", ".owl", ".xml"), "kgreason.graph.rdf_formats:load_rdfxml", "RDF/XML"),
    Format("english", (".txt",), "kgreason.language.english_graph:load_english", "controlled English"),
    Format("csv", (".csv",), "kgreason.graph.edge_lists:load_csv", "CSV edge list (subject,predicate,object)"),
    Format("tsv", (".tsv", ".tab"), "kgreason.graph.edge_lists:load_tsv", "TSV edge list (subject,predicate,object)"),
    Format("graphml", (".graphml",), "kgreason.graph.networkx_formats:load_graphml", "GraphML (NetworkX)"),
    Format("node-link", (".json",), "kgreason.graph.networkx_formats:load_node_link",
           "node-link JSON (NetworkX; JSON-LD is detected)"),
):
    register_format(_fmt)


def shipped_graphs_dir() -> Path:
    """The shipped graphs: package data ``kgreason/data/graphs/`` (on disk in a wheel, editable
    or source install)."""
    from importlib.resources import files

    return Path(str(files("kgreason") / "data" / "graphs"))


def resolve_graph_ref(ref: str | Path) -> Path:
    """A path, or the name of a shipped graph (``commonsense`` → the package data file
    ``kgreason/data/graphs/commonsense.ttl``)."""
    path = Path(ref)
    if path.exists():
        return path
    if isinstance(ref, str) and "/" not in ref and "." not in ref:
        shipped = sorted(shipped_graphs_dir().glob(f"{ref}.*"))
        shipped = [p for p in shipped if p.suffix != ".md"]
        if shipped:
            return shipped[0]
        names = sorted({p.stem for p in shipped_graphs_dir().glob("*") if p.suffix != ".md"})
        raise InputError(
            f"no graph file or shipped graph named {ref!r}",
            hint=f"give a path to a graph file, or one of the shipped graphs: {', '.join(names) or 'none'}",
        )
    raise InputError(f"graph file not found: {ref}", hint="check the path (relative to the current directory)")


def format_for(path: Path, format: str | None = None) -> Format:
    if format:
        key = format.lower().lstrip(".")
        for fmt in FORMATS.values():
            if key == fmt.name or f".{key}" in fmt.extensions:
                return fmt
        raise InputError(
            f"unknown format {format!r}", hint=f"use one of: {', '.join(sorted(FORMATS))}"
        )
    suffixes = [s.lower() for s in path.suffixes]
    for ext in reversed(suffixes):
        for fmt in FORMATS.values():
            if ext in fmt.extensions:
                return fmt
    known = ", ".join(sorted(e for f in FORMATS.values() for e in f.extensions))
    raise InputError(
        f"unknown graph file extension {path.suffix or '(none)'!r}",
        where=str(path),
        hint=f"rename the file to a known extension ({known}) or pass --format",
    )


def _import_loader(spec: str) -> Loader:
    import importlib

    module, func = spec.split(":")
    return getattr(importlib.import_module(module), func)


def load_file(path: str | Path, kg: KnowledgeGraph | None = None, *, format: str | None = None) -> KnowledgeGraph:
    """Load one file into ``kg`` (a new graph if None). Rules in ``<file>.rules`` beside it load too."""
    if not str(path).strip():  # Path("") would mean the current directory
        raise InputError("empty graph path", hint="pass a graph file or a shipped graph name such as commonsense")
    path = resolve_graph_ref(path)
    kg = kg if kg is not None else KnowledgeGraph()
    if path.is_dir():
        raise InputError(f"{path} is a directory", hint="give the graph file inside it")
    fmt = format_for(path, format)
    _check_utf8(path, fmt)
    before = len(kg)
    _import_loader(fmt.loader)(path, kg)
    kg.sources.append(str(path))
    kg._invalidate()
    log.info("loaded %s (%s): %d triples", path, fmt.name, len(kg) - before)
    rules_file = path.with_suffix(".rules")
    if rules_file.exists():
        from kgreason.reasoning.rule_parser import parse_rules_file

        kg.rules.extend(parse_rules_file(rules_file, namespaces=kg.namespaces))
    return kg


def load_graph(paths: list[str | Path] | str | Path, *, format: str | None = None) -> KnowledgeGraph:
    """Load and merge several graph files into one KnowledgeGraph. Raises on an empty result."""
    if isinstance(paths, str | Path):
        paths = [paths]
    if not paths:
        raise InputError("no graph given", hint="pass a graph file or a shipped graph name such as commonsense")
    kg = KnowledgeGraph()
    for path in paths:
        load_file(path, kg, format=format)
    if len(kg) == 0 and not kg.rules:
        raise InputError(
            "the graph is empty (no triples)",
            where=", ".join(str(p) for p in paths),
            hint="check that the file holds triples in the format its extension says",
        )
    return kg


def _check_utf8(path: Path, fmt: Format) -> None:
    """Text formats must be UTF-8: report the first bad byte with its line and column."""
    if fmt.name in ("xml", "graphml"):  # XML declares its own encoding
        return
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    try:  # streamed: big N-Triples files are not held in memory twice
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        return
    except UnicodeDecodeError:
        pass
    data = path.read_bytes()  # only to locate the bad byte
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise ParseError(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x})",
            path=str(path),
            line=line,
            column=column,
            hint="re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
        ) from None
