"""Helpers shared by the CLI command modules: JSON output and rich rendering."""

from __future__ import annotations

import json
from typing import Any

import typer
from rich.console import Console

console = Console()
err_console = Console(stderr=True)

JSON_OPTION = typer.Option(False, "--json", help="Print machine-readable JSON instead of tables.")


def print_json(data: Any) -> None:
    """JSON to stdout, plain (no rich markup), so it pipes into jq."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
