"""Settings come from one place (kgreason.settings, read once) and ``kgreason config show`` says
what each is and where it came from: its default or its ``KGREASON_*`` environment variable; with
``--pipeline``, a pipeline config's values and the file they came from."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from unittest import mock

import pytest
from typer.testing import CliRunner

import kgreason
from kgreason.cli import app
from kgreason.config import pipelines_dir
from kgreason.errors import ConfigError
from kgreason.settings import Settings, get_settings, reload_settings, variable

PACKAGE = Path(kgreason.__file__).resolve().parent


def run(*args: str):
    return CliRunner().invoke(app, list(args))


def shown(*args: str) -> dict:
    result = run("config", "show", "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_name(report: dict) -> dict[str, dict]:
    return {row["name"]: row for row in report["settings"]}


def test_every_setting_is_shown_with_its_default(monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(variable(name), raising=False)
    rows = by_name(shown())
    assert set(rows) == set(Settings.model_fields)
    for name, row in rows.items():
        assert row["variable"] == "KGREASON_" + name.upper()
        assert row["source"] == "default", row
        assert row["description"], f"{name} has no description"
    assert rows["graph_cache"]["value"] is True and rows["device"]["value"] == "auto"
    assert rows["max_facts"]["value"] is None and rows["max_facts"]["effective"] >= 1  # from the memory


def test_an_environment_variable_is_the_value_and_the_source(monkeypatch, tmp_path):
    monkeypatch.setenv("KGREASON_MAX_FACTS", "5000000")
    monkeypatch.setenv("KGREASON_GRAPH_CACHE", "off")
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KGREASON_DEVICE", " CPU ")
    rows = by_name(shown())
    assert rows["max_facts"]["value"] == rows["max_facts"]["effective"] == 5_000_000
    assert rows["max_facts"]["source"] == "environment variable KGREASON_MAX_FACTS"
    assert rows["graph_cache"]["value"] is False
    assert rows["graph_cache"]["source"] == "environment variable KGREASON_GRAPH_CACHE"
    assert rows["cache"]["effective"] == str(tmp_path / "cache")
    assert rows["device"]["value"] == "cpu"
    assert rows["threads"]["source"] == "default"

    result = run("config", "show")
    assert result.exit_code == 0, result.output
    line = next(line for line in result.stdout.splitlines() if "KGREASON_MAX_FACTS" in line)
    assert "5,000,000" in line and "environment" in line
    line = next(line for line in result.stdout.splitlines() if "KGREASON_THREADS" in line)
    assert "unset" in line and "default" in line


def test_an_empty_variable_counts_as_unset(monkeypatch):
    monkeypatch.setenv("KGREASON_PROGRESS", "")
    row = by_name(shown())["progress"]
    assert row["value"] is None and row["source"] == "default"


def test_the_token_is_never_printed(monkeypatch):
    monkeypatch.setenv("KGREASON_TOKEN", "s3cret-token")
    result = run("config", "show", "--json")
    assert result.exit_code == 0 and "s3cret-token" not in result.output
    row = by_name(json.loads(result.stdout))["token"]
    assert row["value"] == "(set, hidden)" and row["source"] == "environment variable KGREASON_TOKEN"
    assert "s3cret-token" not in run("config", "show").output


@pytest.mark.parametrize("name, value, needle", [
    ("KGREASON_MAX_FACTS", "lots", "whole number of facts"),
    ("KGREASON_MAX_FACTS", "0", "greater than or equal to 1"),
    ("KGREASON_GRAPH_CACHE", "maybe", "1 (on) or 0 (off)"),
    ("KGREASON_DEVICE", "tpu", "auto, cpu, cuda, cuda:N, mps"),
    ("KGREASON_THREADS", "-2", "at least 1"),
])
def test_a_bad_value_is_one_clear_error(monkeypatch, name, value, needle):
    monkeypatch.setenv(name, value)
    result = run("config", "show")
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith(f"error: {name}={value!r} is not a valid setting")
    assert needle in lines[0] and f"unset {name}" in lines[0]
    result = run("config", "show", "--json")
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert name in error["error"] and needle in error["error"] + error["hint"]


def test_a_bad_value_is_an_error_where_the_settings_are_read():
    with mock.patch.dict(os.environ, {"KGREASON_GRAPH_CACHE_MIN_TRIPLES": "many"}):
        reload_settings()
        with pytest.raises(ConfigError, match="KGREASON_GRAPH_CACHE_MIN_TRIPLES='many'"):
            get_settings()
    reload_settings()


def test_the_settings_are_read_once(monkeypatch):
    monkeypatch.setenv("KGREASON_THREADS", "3")
    first = get_settings()
    assert first.threads == 3 and get_settings() is first
    with mock.patch.dict(os.environ, {"KGREASON_THREADS": "4"}):  # behind the settings' back
        assert get_settings().threads == 3
        reload_settings()
        assert get_settings().threads == 4


def test_a_shipped_pipeline_shows_its_values_and_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # shipped names work from any folder
    report = shown("--pipeline", "hybrid")
    pipeline = report["pipeline"]
    assert pipeline["name"] == "hybrid"
    assert pipeline["file"] == str((pipelines_dir() / "hybrid.yaml").resolve())
    values = {row["key"]: row for row in pipeline["values"]}
    assert values["mode"]["value"] == "hybrid" and values["mode"]["source"] == pipeline["file"]
    assert values["retrieval.k"]["value"] == 10 and values["retrieval.k"]["source"] == pipeline["file"]
    assert values["reasoning.strategy"] == {"key": "reasoning.strategy", "value": "materialize",
                                            "source": "default",
                                            "description": values["reasoning.strategy"]["description"]}
    assert "base_dir" not in values
    result = run("config", "show", "-p", "hybrid")
    assert result.exit_code == 0, result.output
    assert "pipeline hybrid" in result.stdout and "models.verifier" in result.stdout


def test_a_pipeline_file_of_ones_own(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("mode: symbolic\nreasoning: {closed_world: true}\n", encoding="utf-8")
    values = {row["key"]: row for row in shown("--pipeline", str(path))["pipeline"]["values"]}
    assert values["reasoning.closed_world"] == {**values["reasoning.closed_world"], "value": True,
                                                "source": str(path.resolve())}
    assert values["reasoning.enabled"]["source"] == "default"
    assert values["retrieval.k"]["source"] == "default"


def test_an_unknown_pipeline_is_a_clear_error():
    result = run("config", "show", "--pipeline", "nosuch")
    assert result.exit_code == 2
    assert "no pipeline config 'nosuch'" in result.stderr and "hybrid" in result.stderr


def test_no_module_reads_a_kgreason_variable_but_the_settings():
    """Every KGREASON_* variable is read through kgreason.settings, nowhere else."""
    direct = re.compile(r"(environ|getenv)\b[^\n]*KGREASON_|KGREASON_\w+[\"']\s*\]\s*$")
    readers = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "settings.py" and path.parent == PACKAGE:
            continue
        text = path.read_text(encoding="utf-8")
        readers += [f"{path.relative_to(PACKAGE)}:{n}" for n, line in enumerate(text.splitlines(), 1)
                    if direct.search(line)]
    assert readers == [], f"KGREASON_ variables read outside kgreason/settings.py: {readers}"
