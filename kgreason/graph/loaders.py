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

from kgreason.errors import InputError, ParseError, file_error, unreachable_file
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.plugins import PluginError, graph_formats

log = logging.getLogger(__name__)

#: A loader reads ``path`` and adds its triples (and rules, issues) to ``kg``.
Loader = Callable[[Path, KnowledgeGraph], None]


@dataclass(frozen=True)
class Format:
    name: str
    extensions: tuple[str, ...]
    loader: str  # "module:function", imported on first use
    description: str


#: The built-in formats, registered by name in :data:`kgreason.plugins.graph_formats` (with
#: ``english`` from ``kgreason.language.formats``, imported only there). Other packages add formats
#: through the entry-point group ``kgreason.graph_formats`` (the way rdflib finds its parser
#: plugins), so this package never imports the language package.
TURTLE = Format("turtle", (".ttl", ".turtle"), "kgreason.graph.rdf_formats:load_turtle", "Turtle")
NTRIPLES = Format("nt", (".nt", ".ntriples"), "kgreason.graph.rdf_formats:load_ntriples", "N-Triples")
NQUADS = Format("nquads", (".nq", ".nquads"), "kgreason.graph.rdf_formats:load_nquads", "N-Quads (merged)")
TRIG = Format("trig", (".trig",), "kgreason.graph.rdf_formats:load_trig", "TriG (merged)")
JSONLD = Format("json-ld", (".jsonld", ".json-ld"), "kgreason.graph.rdf_formats:load_jsonld", "JSON-LD")
RDFXML = Format("xml", (".rdf", ".owl", ".xml"), "kgreason.graph.rdf_formats:load_rdfxml", "RDF/XML")
CSV = Format("csv", (".csv",), "kgreason.graph.edge_lists:load_csv", "CSV edge list (subject,predicate,object)")
TSV = Format("tsv", (".tsv", ".tab"), "kgreason.graph.edge_lists:load_tsv", "TSV edge list (subject,predicate,object)")
GRAPHML = Format("graphml", (".graphml",), "kgreason.graph.networkx_formats:load_graphml", "GraphML (NetworkX)")
NODE_LINK = Format("node-link", (".json",), "kgreason.graph.networkx_formats:load_node_link",
                   "node-link JSON (NetworkX; JSON-LD is detected)")

#: Entry-point group through which other packages add graph formats.
PLUGIN_GROUP = graph_formats.group


def register_format(fmt: Format, *, replace: bool = False) -> None:
    """Add a format in code (a package can also declare it as a ``kgreason.graph_formats``
    entry point)."""
    graph_formats.register(fmt.name, fmt, description=fmt.description, replace=replace)


def formats() -> dict[str, Format]:
    """Every format that loads: the built-in RDF / NetworkX / CSV / English ones and the
    plugins'. A plugin that fails to import is left out with a warning (asking for it by name
    with ``--format`` gives its error); the others still work."""
    found: dict[str, Format] = {}
    # built-ins first: an extension two formats claim stays the built-in one's
    for entry in sorted(graph_formats.entries(), key=lambda e: (e.dist is not None, e.name)):
        try:
            found[entry.name] = graph_formats.get(entry.name)
        except PluginError as exc:
            log.warning("%s", exc)
    return found


def shipped_graphs_dir() -> Path:
    """The shipped graphs: the repository's top-level ``graphs/`` in a checkout or an editable
    install, ``kgreason/data/graphs/`` in a wheel (:func:`kgreason.files.shipped_data_dir`)."""
    from kgreason.files import shipped_data_dir

    return shipped_data_dir("graphs")


def resolve_graph_ref(ref: str | Path) -> Path:
    """A path, or the name of a shipped graph (``commonsense`` → ``graphs/commonsense.ttl`` in
    :func:`shipped_graphs_dir`)."""
    path = Path(ref)
    if path.exists():
        return path
    unreachable = unreachable_file(path)  # a symlink loop, a folder we may not enter
    if unreachable is not None:
        raise unreachable
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
        if key in graph_formats:  # by name: a broken plugin says so
            return graph_formats.get(key)
    known_formats = formats()
    if format:
        for fmt in known_formats.values():
            if key == fmt.name or f".{key}" in fmt.extensions:
                return fmt
        raise InputError(
            f"unknown format {format!r}",
            hint=f"use one of: {', '.join(sorted(known_formats))} (see `kgreason plugins`)"
        )
    suffixes = [s.lower() for s in path.suffixes]
    for ext in reversed(suffixes):
        for fmt in known_formats.values():
            if ext in fmt.extensions:
                return fmt
    known = ", ".join(sorted(e for f in known_formats.values() for e in f.extensions))
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
    """Load one file into ``kg`` (a new graph if None); its resolved path is appended to
    ``kg.sources``. A ``<file>.rules`` beside it is the reasoning layer's business
    (:func:`kgreason.reasoning.load_graph_with_rules`)."""
    if not str(path).strip():  # Path("") would mean the current directory
        raise InputError("empty graph path", hint="pass a graph file or a shipped graph name such as commonsense")
    path = resolve_graph_ref(path)
    kg = kg if kg is not None else KnowledgeGraph()
    if path.is_dir():
        raise InputError(f"{path} is a directory", hint="give the graph file inside it")
    if not path.is_file():  # a FIFO or a device: reading it would block or never end
        raise InputError("not a regular file (a pipe, socket or device)", where=str(path),
                         hint="save the graph to a file and pass that")
    fmt = format_for(path, format)
    before = len(kg)
    try:
        with path.open("rb"):  # unreadable files fail here, the same way for every format
            pass
        _check_utf8(path, fmt)
        _import_loader(fmt.loader)(path, kg)
    except OSError as exc:
        raise file_error(path, exc, what="graph file") from None
    except MemoryError:
        raise InputError("out of memory while loading the graph", where=str(path),
                         hint="split the file, or load it on a machine with more memory") from None
    kg.sources.append(str(path))
    kg.changed()
    log.info("loaded %s (%s): %d triples", path, fmt.name, len(kg) - before)
    return kg


#: Called with each loaded file's resolved path and the graph, right after the file loads.
AfterFile = Callable[[Path, KnowledgeGraph], None]


def load_graph(
    paths: list[str | Path] | str | Path, *, format: str | None = None, after_file: AfterFile | None = None
) -> KnowledgeGraph:
    """Load and merge several graph files into one KnowledgeGraph. Raises on an empty result
    (no triples and no rules). ``after_file(path, kg)`` runs after each file (the reasoning
    layer attaches the ``<file>.rules`` beside it that way)."""
    if isinstance(paths, str | Path):
        paths = [paths]
    if not paths:
        raise InputError("no graph given", hint="pass a graph file or a shipped graph name such as commonsense")
    kg = KnowledgeGraph()
    for path in paths:
        load_file(path, kg, format=format)
        if after_file is not None:
            after_file(Path(kg.sources[-1]), kg)
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
