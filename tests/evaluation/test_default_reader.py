"""`kgreason eval` reads like `ask`: the shipped reader is on by default (loaded only when a
sentence needs it), `--no-reader` turns it off."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from kgreason.cli import app

EXACT = {"premise": "Bob is big. If someone is big then they are kind.", "hypothesis": "Bob is kind.",
         "label": "entailment"}
FREE = {"premise": "Bob is a very big fellow. If someone is big then they are kind.",
        "hypothesis": "Bob is kind.", "label": "entailment"}


def _write(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_reader_is_the_default_and_no_reader_turns_it_off(tmp_path):
    data = _write(tmp_path / "d.jsonl", [EXACT])
    on = CliRunner().invoke(app, ["eval", str(data), "--json", "--no-progress"])
    assert on.exit_code == 0, on.output
    assert json.loads(on.stdout)["config"]["reader"] == "default"
    off = CliRunner().invoke(app, ["eval", str(data), "--json", "--no-progress", "--no-reader"])
    assert off.exit_code == 0, off.output
    assert json.loads(off.stdout)["config"]["reader"] is None


def test_reader_and_no_reader_contradict(tmp_path):
    data = _write(tmp_path / "d.jsonl", [EXACT])
    result = CliRunner().invoke(app, ["eval", str(data), "--reader", "default", "--no-reader"])
    assert result.exit_code != 0
    assert "contradict" in result.output


def test_templated_contexts_never_load_a_model(tmp_path):
    """Everything read exactly: the default reader is never loaded (no torch import)."""
    data = _write(tmp_path / "d.jsonl", [EXACT])
    code = ("import sys, json\nfrom typer.testing import CliRunner\nfrom kgreason.cli import app\n"
            f"r = CliRunner().invoke(app, ['eval', {str(data)!r}, '--json', '--no-progress'])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(json.dumps({'torch': 'torch' in sys.modules}))\n")
    out = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {"torch": False}


@pytest.mark.slow
def test_free_english_is_read_by_the_shipped_reader(tmp_path):
    data = _write(tmp_path / "d.jsonl", [FREE])
    on = CliRunner().invoke(app, ["eval", str(data), "--json", "--no-progress"])
    off = CliRunner().invoke(app, ["eval", str(data), "--json", "--no-progress", "--no-reader"])
    sym_on = json.loads(on.stdout)["modes"]["symbolic"]
    sym_off = json.loads(off.stdout)["modes"]["symbolic"]
    assert sym_on["readings"]["confirmed"] == 1 and sym_on["accuracy"] == 1.0
    assert sym_off["readings"]["not_understood"] == 1
