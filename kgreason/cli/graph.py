"""``kgreason graph ...``: inspect, validate, convert, query and import graphs."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from kgreason.cli.common import (
    JSON_OPTION,
    console,
    err_console,
    graph_option,
    graphs_given,
    output_option,
    print_json,
    usage_error,
)

graph_app = typer.Typer(
    help="Inspect, validate, convert, query and import knowledge graphs.", no_args_is_help=True
)

GRAPHS_ARG = typer.Argument(
    None, metavar="GRAPH",
    help="Graph files (any supported format) or shipped graph names: a shorthand for -g/--graph.")
GRAPH_OPTION = graph_option()
FORMAT_OPTION = typer.Option(
    None, "--format", "-f", metavar="FORMAT", help="Force the input format (default: by extension)."
)
READER_OPTION = typer.Option(
    None, "--reader",
    help='English (.txt) graphs: read sentences the controlled parser does not read exactly with '
    'this reader ("default" = the shipped neural reader, a `kgreason train reader` folder, or a '
    'registered reader: see `kgreason plugins`), confirmed by '
    "the NLI verifier. Default: the exact parser only.",
)
CONVERT_ARGS = typer.Argument(
    None, metavar="SOURCE OUTPUT",
    help="Shorthand for -g SOURCE -o OUTPUT: the input graph file (or shipped name), then the output file.")
CONVERT_OUTPUT = output_option("Output file; its extension picks the format (.ttl, .nt, .jsonld, .csv, ...).")
TO_OPTION = typer.Option(
    None, "--to", metavar="FORMAT",
    help="Force the output format (turtle, nt, nquads, trig, json-ld, xml, csv, tsv).")
QUERY_ARGS = typer.Argument(
    ..., metavar="GRAPH... QUERY",
    help="The SPARQL query, last; graph files (or shipped names) before it are a shorthand for -g/--graph.")
WORDNET_OUT_ARG = typer.Argument(None, metavar="OUTPUT", help="Shorthand for -o OUTPUT.")
WORDNET_OUTPUT = output_option("Output Turtle file, e.g. wordnet.ttl.")
WORDNET_DIR_OPTION = typer.Option(
    Path("/usr/share/wordnet"),
    "--wordnet-dir",
    metavar="DIR",
    help="WordNet 3.0 database directory (Debian: apt-get install wordnet-base).",
)


@graph_app.command("info")
def info(
    paths: list[str] = GRAPHS_ARG, graph: list[str] = GRAPH_OPTION, format: str = FORMAT_OPTION,
    reader: str = READER_OPTION, json: bool = JSON_OPTION,
) -> None:
    """Counts of triples, entities, classes, properties; namespaces in use; top predicates;
    for English graphs, how each sentence was read (sentences not understood, with their line)."""
    from rich.markup import escape
    from rich.table import Table

    kg = _load(graphs_given(paths, graph), format, reader)
    data = kg.summary()
    used = _used_namespaces(kg)
    data["namespaces"] = {k: v for k, v in data["namespaces"].items() if v in used}
    if kg.readings:
        data["readings"] = reading_summary(kg)
        data["not_understood"] = [r.to_json() for r in kg.readings if not r.understood]
    if json:
        print_json(data)
        return
    table = Table(title=", ".join(data["sources"]), show_header=False)
    for key in ("triples", "entities", "classes", "properties", "rules", "issues"):
        table.add_row(key, f"{data[key]:,}")
    table.add_row(
        "namespaces", "\n".join(f"{k or '(default)'}: {v}" for k, v in data["namespaces"].items())
    )
    table.add_row(
        "top predicates",
        "\n".join(f"{d['predicate']}  {d['count']:,}" for d in data["top_predicates"]),
    )
    console.print(table)
    if kg.readings:
        counts = data["readings"]
        console.print(f"sentences: {counts['exact']} read exactly, {counts['confirmed']} through a "
                      f"confirmed neural reading, {counts['not_understood']} not understood",
                      highlight=False)
    for issue in kg.issues[:20]:
        err_console.print(f"[yellow]issue:[/] {escape(issue)}", highlight=False, soft_wrap=True)


def _load(paths: list[str], format: str | None, reader: str | None):
    """The graphs with their rules; English graphs read through the reader stage when one is named."""
    from kgreason.pipeline.reading import reader_stage, reading
    from kgreason.reasoning import load_graph_with_rules

    with reading(reader_stage(reader)):
        return load_graph_with_rules(paths, format=format)


def reading_summary(kg) -> dict[str, int]:
    from kgreason.core import reading_counts

    return reading_counts(kg.readings)


def _used_namespaces(kg) -> set[str]:
    """Bound namespaces that at least one IRI in the graph starts with."""
    bound = {str(ns) for _, ns in kg.rdf.namespaces()}
    used = set()
    for node in kg.rdf.all_nodes():
        text = str(node)
        for ns in bound - used:
            if text.startswith(ns):
                used.add(ns)
    for p in kg.rdf.predicates(unique=True):
        used.update(ns for ns in bound if str(p).startswith(ns))
    return used


@graph_app.command("validate")
def validate(
    paths: list[str] = GRAPHS_ARG,
    graph: list[str] = GRAPH_OPTION,
    format: str = FORMAT_OPTION,
    strict: bool = typer.Option(
        False, "--strict", help="Warnings (dangling labels, ...) also make it invalid."
    ),
    with_reasoning: bool = typer.Option(
        True, "--with-reasoning/--no-reasoning",
        help="Also run the reasoner and list inconsistencies (OWL 2 RL clashes) with their proofs.",
    ),
    json: bool = JSON_OPTION,
) -> None:
    """Parse errors (file:line:column), subclass cycles, negation declarations, dangling labels,
    and inconsistencies the reasoner derives (disjoint classes, complements, irreflexive or
    asymmetric properties, max cardinality, ill-typed literals, ...).

    Exit code 1 when the graph is invalid (any error; with --strict, any warning).
    """
    from rich.markup import escape

    from kgreason.graph.validate import validate_files
    from kgreason.reasoning import attach_sidecar_rules

    paths = graphs_given(paths, graph)
    from contextlib import nullcontext

    from kgreason.pipeline.first_order import first_order_premises

    # a first-order theory is read by the prover's grammar: the Horn reader's account of its
    # sentences ("not read exactly") would only confuse, so it is neither logged nor reported
    first_order = with_reasoning and format in (None, "english") and first_order_premises(paths) is not None
    with _muted("kgreason.language.english_graph") if first_order else nullcontext():
        report = validate_files(paths, format=format, after_file=attach_sidecar_rules)
    theory = _first_order_theory(paths, format, report) if first_order else None
    clashes = _inconsistencies(paths, format, report) if with_reasoning and theory is None else []
    if json:
        from kgreason.language.render import conflict_json

        data = report.to_json(strict)
        data["inconsistencies"] = [conflict_json(c, kg) for kg, c in clashes]
        if theory is not None:
            data["first_order"] = theory.to_json()
        print_json(data)
    else:
        for finding in report.findings:
            colour = "red" if finding.severity == "error" else "yellow"
            console.print(
                f"[{colour}]{finding.severity}[/] {escape(f'[{finding.kind}]')} {escape(str(finding))}",
                highlight=False,
                soft_wrap=True,
            )
        if theory is not None and theory.answer == "inconsistent":
            console.print("[bold]the contradiction, step by step (z3)[/]")
            for line in theory.steps:
                console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        verdict = "valid" if report.valid(strict) else "INVALID"
        read = theory.reading.premises if theory is not None else []
        size = (f"a first-order theory of {len(read)} premises ({sum(f is not None for f in read)} read)"
                if theory is not None else f"{report.triples:,} triples")
        console.print(
            f"{verdict}: {size}, {len(report.errors)} error(s), "
            f"{len(report.warnings)} warning(s)",
            highlight=False,
        )
    if not report.valid(strict):
        raise typer.Exit(1)


@contextmanager
def _muted(name: str):
    """The logger ``name`` says nothing below ERROR inside the block."""
    import logging

    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _first_order_theory(paths: list[str], format: str | None, report):
    """English files that need first-order logic are checked by the prover, not the reasoner:
    the reasoner's reading warnings give way to the first-order reading's (each sentence not
    understood), and premises that contradict each other are an ``inconsistency`` error naming
    them. The prover's result, or None when the files do not load."""
    from kgreason.graph.validate import Finding
    from kgreason.pipeline.first_order import check_premises, first_order_premises

    theory = None if report.errors else first_order_premises(paths)
    if theory is None:
        return None
    result = check_premises([s for *_, s in theory])
    report.findings = [f for f in report.findings if f.kind != "load"]  # the Horn reader's account
    for index, sentence, why in result.reading.unread:
        source, line, _ = theory[index]
        report.findings.append(Finding("warning", "not-understood", f"{sentence} — {why} (left out of "
                                       "the premises)", f"{source}:{line}"))
    if result.answer == "inconsistent":
        used = [theory[i] for i in result.proof.used]
        report.findings.append(Finding(
            "error", "inconsistency", "the premises contradict each other: "
            + "; ".join(f"{sentence} ({source}:{line})" for source, line, sentence in used)))
    return result


def _inconsistencies(paths: list[str], format: str | None, report) -> list:
    """(graph, Conflict) for each strict clash of the closure, also added to the report as
    ``inconsistency`` errors (skipped when the files do not load)."""
    from kgreason.graph.validate import Finding
    from kgreason.language.render import conflict_text
    from kgreason.reasoning import Reasoner, inconsistencies, load_graph_with_rules

    if report.errors:
        return []
    kg = load_graph_with_rules(paths, format=format)
    reasoner = Reasoner(kg)
    out = []
    for c in inconsistencies(reasoner):
        rules = sorted({s.rule for s in c.proofs[1].steps()} - {"asserted"})  # the denying side
        report.findings.append(Finding(
            "error", "inconsistency", f"{conflict_text(c, kg)} — rules: {', '.join(rules)}",
            kg.qname(c.triple[0])))
        out.append((kg, c))
    for c in reasoner.conflicts:
        if c.kind == "blocked-default":
            report.findings.append(Finding("warning", "blocked-default", conflict_text(c, kg),
                                           kg.qname(c.triple[0])))
    return out


@graph_app.command("convert")
def convert(
    files: list[str] = CONVERT_ARGS,
    graph: list[str] = GRAPH_OPTION,
    output: Path = CONVERT_OUTPUT,
    format: str = FORMAT_OPTION,
    to: str = TO_OPTION,
    reader: str = READER_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """Convert a graph between formats (all RDF serializations via rdflib, plus CSV/TSV).

    Example: kgreason graph convert my.txt my.ttl (or: -g my.txt -o my.ttl)"""
    from kgreason.graph.writers import output_format, save_graph

    files = list(files or ())
    if output is None:
        if not files or (len(files) == 1 and not graph):
            raise usage_error("Missing argument 'OUTPUT': give the output file with -o/--output FILE "
                                   "(or as the last path: kgreason graph convert my.txt my.ttl)")
        output = Path(files.pop())
    sources = graphs_given(files, graph)
    source = ", ".join(sources)
    out = output
    output_format(out, to)  # fail on a bad output name before parsing a big input
    kg = _load(sources, format, reader)
    name = save_graph(kg, out, to)
    data = {
        "input": source,
        "output": str(out),
        "format": name,
        "triples": len(kg),
        "rules_not_written": len(kg.rules),
        "issues": kg.issues,
    }
    if kg.readings:
        data["readings"] = reading_summary(kg)
        data["not_understood"] = [r.to_json() for r in kg.readings if not r.understood]
    if json:
        print_json(data)
        return
    console.print(f"wrote {out} ({name}, {len(kg):,} triples)", highlight=False)
    from rich.markup import escape

    for issue in kg.issues[:20]:
        err_console.print(f"[yellow]issue:[/] {escape(issue)}", highlight=False, soft_wrap=True)
    if kg.rules:  # "If ... then ..." sentences and .rules files are not triples
        err_console.print(
            f"[yellow]warning:[/] {len(kg.rules)} rule(s) of {escape(source)} are not triples and "
            f"were not written; keep the source (or its .rules file) for reasoning",
            highlight=False,
            soft_wrap=True,
        )


@graph_app.command("query")
def query(
    args: list[str] = QUERY_ARGS,
    graph: list[str] = GRAPH_OPTION,
    format: str = FORMAT_OPTION,
    limit: int = typer.Option(
        200, "--limit", help="Show at most this many rows in the table (JSON: all)."
    ),
    inferred: bool = typer.Option(
        False, "--inferred", help="Query asserted + inferred triples (runs the reasoner)."
    ),
    timeout: float = typer.Option(
        30.0, "--timeout", min=0, metavar="SECONDS", help="Stop the query after this many seconds (0: no limit)."
    ),
    allow_network: bool = typer.Option(
        False, "--allow-network", help="Let SERVICE / FROM go online (refused by default: a query never does)."
    ),
    store: Path = typer.Option(
        None, "--store", metavar="DIR", help="Query an on-disk graph store (`kgreason graph store`) "
        "instead of graph files: asserted + inferred triples, no graph given."),
    json: bool = JSON_OPTION,
) -> None:
    """Run a SPARQL SELECT or ASK query; the graph's prefixes need no PREFIX lines.

    Example: kgreason graph query -g commonsense "SELECT ?x WHERE { ?x rdfs:subClassOf ?y }"
    (the shorthand puts the graphs first: kgreason graph query commonsense "SELECT ...")
    """
    from kgreason.errors import InputError
    from kgreason.graph.query import run_sparql
    from kgreason.reasoning import load_reasoner, materialized_graph

    if store is not None:
        from kgreason.graph.knowledge_graph import KnowledgeGraph
        from kgreason.graph.oxigraph_store import query_store

        if len(args) != 1 or graph:
            raise InputError("with --store, give only the query (the store holds the graph)",
                             hint='kgreason graph query --store DIR "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"')
        kg = KnowledgeGraph()
        render_result(query_store(store, args[0], kg.namespaces, timeout=timeout, allow_network=allow_network),
                      kg, json=json, limit=limit)
        return
    if len(args) + len(graph or ()) < 2:
        raise InputError(
            "give at least one graph and then the query",
            hint='kgreason graph query -g my.ttl "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"',
        )
    *paths, sparql = args
    import re

    for arg in paths:
        if re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", arg, re.IGNORECASE):
            raise InputError(
                f"the query {arg[:40]!r} is not the last argument",
                hint='give the graphs first and the query last: kgreason graph query my.ttl "ASK { ... }"',
            )
    reasoner = load_reasoner(graphs_given(paths, graph), format=format)
    kg = reasoner.kg
    target = kg.rdf
    if inferred:  # the closure goes into a copy; kg.rdf keeps the asserted triples only
        target = materialized_graph(reasoner)
    result = run_sparql(target, sparql, kg.namespaces, timeout=timeout, allow_network=allow_network)
    render_result(result, kg, json=json, limit=limit)


@graph_app.command("store")
def store_graph(
    args: list[str] = typer.Argument(
        None, metavar="STORE GRAPH",
        help="Shorthand for -o STORE -g GRAPH...: the store folder, then the graph files."),
    graph: list[str] = graph_option(
        "Graph file to load (repeatable; N-Triples, Turtle, TriG, N-Quads, RDF/XML, JSON-LD)."),
    output: Path = output_option("The store folder (made if missing)."),
    materialize: bool = typer.Option(
        False, "--materialize", help="Also reason over the files and add the inferred triples "
        "(named graph kgr:inferred; the closure is computed in memory)."),
    max_facts: int = typer.Option(None, "--max-facts", min=1, metavar="N",
                                  help="Stop the closure above N facts (default: from the machine's memory)."),
    json: bool = JSON_OPTION,
) -> None:
    """Load graphs into an on-disk store (RocksDB, for graphs larger than memory); query it with
    ``kgreason graph query --store DIR "SPARQL"``.

    Example: kgreason graph store -o wn.db -g wordnet.ttl --materialize (or: graph store wn.db wordnet.ttl)"""
    import time

    from kgreason.graph.loaders import resolve_graph_ref
    from kgreason.graph.oxigraph_store import (
        INFERRED_GRAPH,
        add_inferred,
        count,
        load_files,
        open_store,
    )

    args = list(args or ())
    if output is None:
        if not args:
            raise usage_error("Missing argument 'STORE': give the store folder with -o/--output DIR")
        output = Path(args.pop(0))
    store = output
    paths = graphs_given(args, graph)
    start = time.perf_counter()
    files = [resolve_graph_ref(p) for p in paths]
    db = open_store(store, create=True)
    load_files(db, files)
    data = {"store": str(store), "asserted": count(db), "inferred": 0}
    if materialize:
        from kgreason.cli.progress import closure_progress
        from kgreason.reasoning import load_reasoner

        with closure_progress(None if not json else False) as progress:
            reasoner = load_reasoner([str(f) for f in files], max_facts=max_facts, progress=progress)
            reasoner.materialize()
            add_inferred(db, reasoner.inferred_triples())
        data["inferred"] = count(db, INFERRED_GRAPH)
    data["seconds"] = round(time.perf_counter() - start, 3)
    if json:
        print_json(data)
        return
    console.print(f"{store}: {data['asserted']:,} asserted triples, {data['inferred']:,} inferred "
                  f"({data['seconds']} s)", highlight=False)


def render_result(result, kg, *, json: bool, limit: int = 200) -> None:
    """Print a :class:`~kgreason.graph.query.QueryResult` as JSON or a rich table (shared with
    other commands that query, e.g. over inferred triples)."""
    from rich.markup import escape
    from rich.table import Table

    if json:
        print_json(result.to_json(kg.qname))
        return
    if result.kind == "ask":
        console.print("yes" if result.boolean else "no")
        return
    table = Table(*result.variables)
    for row in result.rows[:limit]:
        table.add_row(
            *("" if row[v] is None else escape(kg.qname(row[v])) for v in result.variables)
        )
    console.print(table)
    shown = min(limit, len(result.rows))
    console.print(
        f"{len(result.rows):,} row(s)"
        + (f", first {shown} shown" if shown < len(result.rows) else ""),
        highlight=False,
    )


@graph_app.command("import-wordnet")
def import_wordnet(
    out: Path = WORDNET_OUT_ARG,
    output: Path = WORDNET_OUTPUT,
    wordnet_dir: Path = WORDNET_DIR_OPTION,
    definitions: bool = typer.Option(
        False, "--definitions", help="Also write each gloss as skos:definition."
    ),
    json: bool = JSON_OPTION,
) -> None:
    """Convert WordNet 3.0 nouns and verbs to Turtle (synsets, labels, hypernyms, meronyms, ...)."""
    from kgreason.errors import InputError
    from kgreason.graph.wordnet import import_wordnet as run_import

    if output is not None and out is not None and output != out:
        raise InputError("give the output file once", hint="kgreason graph import-wordnet -o wordnet.ttl")
    out = output if output is not None else out
    if out is None:
        raise usage_error("Missing argument 'OUTPUT': give the Turtle file to write with -o/--output FILE")
    if out.suffix.lower() not in (".ttl", ".turtle"):
        raise InputError(
            f"the WordNet import writes Turtle, not {out.suffix or 'a file without extension'}",
            where=str(out),
            hint="name the output file *.ttl (convert it afterwards if needed)",
        )
    result = run_import(out, wordnet_dir, definitions=definitions, progress=not json)
    if json:
        print_json(result.to_json())
    else:
        console.print(
            f"wrote {out}: {result.synsets:,} synsets, {result.triples:,} triples, "
            f"{result.bytes / 1e6:.1f} MB in {result.seconds:.1f} s",
            highlight=False,
        )


def register(app: typer.Typer) -> None:
    app.add_typer(graph_app, name="graph")
