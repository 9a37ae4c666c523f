"""``kgreason config show``: the effective settings (``KGREASON_*`` environment variables) and
where each came from; with ``--pipeline``, a pipeline config's values and the file they came from."""

from __future__ import annotations

from typing import Any

import typer

from kgreason.cli.common import JSON_OPTION, console, print_json

config_app = typer.Typer(help="Show kgreason's settings and pipeline configs.", no_args_is_help=True)


def _effective(row: dict[str, Any]) -> Any:
    """What an unset setting amounts to here, where kgreason can say it without loading a model."""
    if row["name"] == "cache":
        from kgreason.files import cache_root

        return str(cache_root())
    if row["name"] == "max_facts" and row["value"] is None:
        from kgreason.reasoning.engine import default_max_facts

        return default_max_facts()
    return row["value"]


def _pipeline_values(model, prefix: str, source: str) -> list[dict[str, Any]]:
    """Each field of a pipeline config (nested sections as ``retrieval.k``), with ``source``: the
    file where the file sets it, else ``default``."""
    from pydantic import BaseModel

    rows = []
    for name, field in type(model).model_fields.items():
        if field.exclude:
            continue
        value = getattr(model, name)
        key = f"{prefix}{name}"
        if isinstance(value, BaseModel):
            inner = source if name in model.model_fields_set else "default"
            rows += _pipeline_values(value, f"{key}.", inner)
            continue
        rows.append({"key": key, "value": value,
                     "source": source if name in model.model_fields_set else "default",
                     "description": field.description})
    return rows


def _shown(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    return str(value)


@config_app.command("show")
def show(
    pipeline: str = typer.Option(None, "--pipeline", "-p", metavar="PIPELINE",
                                 help="Also show this pipeline config (a shipped name or a YAML path): each value and the file it came from."),
    json: bool = JSON_OPTION,
) -> None:
    """Print the effective settings and where each came from: its default or its environment
    variable (KGREASON_CACHE, KGREASON_MAX_FACTS, ...). The settings are read once per run; a bad
    value is an error that names the variable.

    Example: KGREASON_MAX_FACTS=5000000 kgreason config show --pipeline hybrid
    """
    from rich.table import Table

    from kgreason.settings import describe

    rows = describe()
    for row in rows:
        row["effective"] = _effective(row)
    report: dict[str, Any] = {"settings": rows}
    if pipeline is not None:
        from kgreason.config import load_config, pipeline_path

        path = pipeline_path(pipeline).resolve()
        config = load_config(path)
        report["pipeline"] = {"name": config.name, "file": str(path),
                              "values": _pipeline_values(config, "", str(path))}
    if json:
        print_json(report)
        return

    table = Table(title="settings: a default, or the environment variable", title_justify="left")
    table.add_column("variable", style="bold", no_wrap=True)
    table.add_column("value", overflow="fold")
    table.add_column("from", overflow="fold")
    for row in rows:
        table.add_row(row["variable"], _shown(row["effective"]),
                      "default" if row["source"] == "default" else "environment")
    console.print(table)
    if pipeline is not None:
        info = report["pipeline"]
        table = Table(title=f"pipeline {info['name']} ({info['file']})", title_justify="left")
        table.add_column("key", style="bold", no_wrap=True)
        table.add_column("value", overflow="fold")
        table.add_column("from", overflow="fold")
        for row in info["values"]:
            table.add_row(row["key"], _shown(row["value"]),
                          "the file" if row["source"] == info["file"] else row["source"])
        console.print(table)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
