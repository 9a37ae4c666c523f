"""``kgreason graph ...``: inspect, validate, convert, query and import graphs."""

from __future__ import annotations

from pathlib import Path

import typer

from kgreason.cli.common import JSON_OPTION, console, print_json

graph_app = typer.Typer(help="Inspect, validate, convert, query and import knowledge graphs.", no_args_is_help=True)

GRAPHS_ARG = typer.Argument(..., help="Graph files (any supported format) or shipped graph names.")
FORMAT_OPTION = typer.Option(None, "--format", "-f", help="Force the input format (default: by extension).")


@graph_app.command("info")
def info(paths: list[str] = GRAPHS_ARG, format: str = FORMAT_OPTION, json: bool = JSON_OPTION) -> None:
    """Counts of triples, entities, classes, properties; namespaces; top predicates."""
    from rich.table import Table

    from kgreason.graph.loaders import load_graph

    kg = load_graph(paths, format=format)
    data = kg.summary()
    if json:
        print_json(data)
        return
    table = Table(title=", ".join(data["sources"]), show_header=False)
    for key in ("triples", "entities", "classes", "properties", "rules", "issues"):
        table.add_row(key, str(data[key]))
    table.add_row("namespaces", "\n".join(f"{k}: {v}" for k, v in data["namespaces"].items() if k))
    table.add_row("top predicates", "\n".join(f"{d['predicate']}  {d['count']}" for d in data["top_predicates"]))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(graph_app, name="graph")
