"""``kgreason graph ...``: inspect, validate, convert, query and import graphs."""

from __future__ import annotations

from pathlib import Path

import typer

from kgreason.cli.common import JSON_OPTION, console, err_console, print_json

graph_app = typer.Typer(
    help="Inspect, validate, convert, query and import knowledge graphs.", no_args_is_help=True
)

GRAPHS_ARG = typer.Argument(..., help="Graph files (any supported format) or shipped graph names.")
FORMAT_OPTION = typer.Option(
    None, "--format", "-f", help="Force the input format (default: by extension)."
)
SOURCE_ARG = typer.Argument(..., help="Input graph file (or shipped graph name).")
OUT_ARG = typer.Argument(
    ..., help="Output file; its extension picks the format (.ttl, .nt, .jsonld, .csv, ...)."
)
TO_OPTION = typer.Option(
    None, "--to", help="Force the output format (turtle, nt, nquads, trig, json-ld, xml, csv, tsv)."
)
QUERY_ARGS = typer.Argument(..., help="Graph files (or shipped names), then the SPARQL query last.")
WORDNET_OUT_ARG = typer.Argument(..., help="Output Turtle file, e.g. wordnet.ttl.")
WORDNET_DIR_OPTION = typer.Option(
    Path("/usr/share/wordnet"),
    "--wordnet-dir",
    help="WordNet 3.0 database directory (Debian: apt-get install wordnet-base).",
)


@graph_app.command("info")
def info(
    paths: list[str] = GRAPHS_ARG, format: str = FORMAT_OPTION, json: bool = JSON_OPTION
) -> None:
    """Counts of triples, entities, classes, properties; namespaces in use; top predicates."""
    from rich.markup import escape
    from rich.table import Table

    from kgreason.reasoning import load_graph_with_rules

    kg = load_graph_with_rules(paths, format=format)
    data = kg.summary()
    used = _used_namespaces(kg)
    data["namespaces"] = {k: v for k, v in data["namespaces"].items() if v in used}
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
    for issue in kg.issues[:20]:
        err_console.print(f"[yellow]issue:[/] {escape(issue)}", highlight=False, soft_wrap=True)


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
    format: str = FORMAT_OPTION,
    strict: bool = typer.Option(
        False, "--strict", help="Warnings (dangling labels, ...) also make it invalid."
    ),
    json: bool = JSON_OPTION,
) -> None:
    """Parse errors (file:line:column), subclass cycles, negation declarations, dangling labels.

    Exit code 1 when the graph is invalid (any error; with --strict, any warning).
    """
    from rich.markup import escape

    from kgreason.graph.validate import validate_files
    from kgreason.reasoning import attach_sidecar_rules

    report = validate_files(paths, format=format, after_file=attach_sidecar_rules)
    if json:
        print_json(report.to_json(strict))
    else:
        for finding in report.findings:
            colour = "red" if finding.severity == "error" else "yellow"
            console.print(
                f"[{colour}]{finding.severity}[/] {escape(f'[{finding.kind}]')} {escape(str(finding))}",
                highlight=False,
                soft_wrap=True,
            )
        verdict = "valid" if report.valid(strict) else "INVALID"
        console.print(
            f"{verdict}: {report.triples:,} triples, {len(report.errors)} error(s), "
            f"{len(report.warnings)} warning(s)",
            highlight=False,
        )
    if not report.valid(strict):
        raise typer.Exit(1)


@graph_app.command("convert")
def convert(
    source: str = SOURCE_ARG,
    out: Path = OUT_ARG,
    format: str = FORMAT_OPTION,
    to: str = TO_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """Convert a graph between formats (all RDF serializations via rdflib, plus CSV/TSV)."""
    from kgreason.graph.writers import output_format, save_graph
    from kgreason.reasoning import load_graph_with_rules

    output_format(out, to)  # fail on a bad output name before parsing a big input
    kg = load_graph_with_rules([source], format=format)
    name = save_graph(kg, out, to)
    data = {
        "input": source,
        "output": str(out),
        "format": name,
        "triples": len(kg),
        "rules_not_written": len(kg.rules),
        "issues": kg.issues,
    }
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
    json: bool = JSON_OPTION,
) -> None:
    """Run a SPARQL SELECT or ASK query; the graph's prefixes need no PREFIX lines.

    Example: kgreason graph query commonsense "SELECT ?x WHERE { ?x rdfs:subClassOf ?y }"
    """
    from kgreason.errors import InputError
    from kgreason.graph.query import run_sparql
    from kgreason.reasoning import load_reasoner, materialized_graph

    if len(args) < 2:
        raise InputError(
            "give at least one graph and then the query",
            hint='kgreason graph query my.ttl "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"',
        )
    *paths, sparql = args
    import re

    for arg in paths:
        if re.match(r"\s*(SELECT|ASK|CONSTRUCT|DESCRIBE|PREFIX|BASE)\b", arg, re.IGNORECASE):
            raise InputError(
                f"the query {arg[:40]!r} is not the last argument",
                hint='give the graphs first and the query last: kgreason graph query my.ttl "ASK { ... }"',
            )
    reasoner = load_reasoner(paths, format=format)
    kg = reasoner.kg
    target = kg.rdf
    if inferred:  # the closure goes into a copy; kg.rdf keeps the asserted triples only
        target = materialized_graph(reasoner)
    result = run_sparql(target, sparql, kg.namespaces, timeout=timeout, allow_network=allow_network)
    render_result(result, kg, json=json, limit=limit)


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
    wordnet_dir: Path = WORDNET_DIR_OPTION,
    definitions: bool = typer.Option(
        False, "--definitions", help="Also write each gloss as skos:definition."
    ),
    json: bool = JSON_OPTION,
) -> None:
    """Convert WordNet 3.0 nouns and verbs to Turtle (synsets, labels, hypernyms, meronyms, ...)."""
    from kgreason.errors import InputError
    from kgreason.graph.wordnet import import_wordnet as run_import

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
