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


# ---------------------------------------------------------------------- one vocabulary
# Every command speaks the same options (README, "The command line's vocabulary"):
#   -g/--graph FILE        a graph to read (repeatable); positional graph paths stay a shorthand
#   -o/--output PATH       the file or folder written
#   --closed-world/--open-world   the world assumption
#   --reasoning STRATEGY   materialize | query-time | auto (never a yes/no flag)
#   -f/--format, -p/--pipeline, -m/--mode, ... one meaning each (tests/cli/test_help.py)


def usage_error(message: str) -> Exception:
    """A usage error (exit 2, printed with the usage) of the click that typer runs on: its own
    vendored copy in typer >= 0.2x, click itself before."""
    try:
        from typer._click.exceptions import UsageError
    except ImportError:  # older typer: plain click
        from click.exceptions import UsageError
    return UsageError(message)


def graph_option(help: str = "Graph file or shipped graph name (repeatable).") -> Any:
    return typer.Option(None, "--graph", "-g", metavar="GRAPH", help=help)


def output_option(help: str, default: Any = None) -> Any:
    return typer.Option(default, "--output", "-o", metavar="PATH", help=help)


def hidden_alias(name: str) -> Any:
    """An old spelling still accepted, not shown in --help (e.g. --out, --report)."""
    return typer.Option(None, name, hidden=True, help=f"Old spelling of --output.")


def pick_output(output: Any, alias: Any, alias_name: str) -> Any:
    """--output, or the old spelling of it; both given is a usage error."""
    if output is not None and alias is not None and output != alias:
        raise typer.BadParameter(f"give -o/--output or {alias_name}, not both", param_hint="--output")
    return output if output is not None else alias


def graphs_given(positional: list[str] | None, option: list[str] | None, *,
                 required: bool = True) -> list[str]:
    """The graphs named with -g/--graph and, as a shorthand, as positional paths."""
    graphs = [*(option or ()), *(positional or ())]
    if required and not graphs:
        raise usage_error("Missing argument 'GRAPH': give one with -g/--graph FILE "
                               "(repeatable) or as a path after the command")
    return graphs
