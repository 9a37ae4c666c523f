"""``kgreason plugins``: what each registry holds (graph formats, reasoning strategies, decision
modes, dataset formats, evaluation engines, readers) and where each name comes from."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from kgreason.cli.common import JSON_OPTION, console, print_json


def plugins(json: bool = JSON_OPTION) -> None:
    """List the registered names of every kind — built into kgreason, or added by an installed
    package through an entry point (group kgreason.<kind>) — with a one-line description. A
    plugin that cannot be loaded is listed with its error; the others still work."""
    from kgreason.plugins import listing

    data = listing()
    if json:
        print_json({"groups": data})
        return
    for kind, group in data.items():
        table = Table(title=f"{kind} ({group['group']})", title_justify="left", show_edge=False)
        table.add_column("name", style="bold")
        table.add_column("from")
        table.add_column("description")
        for row in group["entries"]:
            text = escape(row["description"] or "")
            if row["error"]:
                text = f"[red]{escape(row['error'])}[/red]"
            table.add_row(escape(row["name"]), escape(row["origin"]), text)
        console.print(table)
        for problem in group["problems"]:
            console.print(f"  [yellow]{escape(problem)}[/yellow]")
        console.print()
    console.print("A package adds names through the entry-point groups above (see the README, "
                  "\"Plugins\").", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("plugins")(plugins)
