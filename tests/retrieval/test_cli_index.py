"""``kgreason index build/search/info`` through the real typer app."""

from __future__ import annotations

import json
import shutil

from typer.testing import CliRunner

from kgreason.cli import app

from .conftest import DATA

runner = CliRunner()


def _graph(tmp_path):
    path = tmp_path / "food.ttl"
    shutil.copy(DATA / "food.ttl", path)
    return path


def test_build_then_search_with_json(tmp_path, tiny_model_dir):
    graph, out = _graph(tmp_path), tmp_path / "idx"
    res = runner.invoke(app, ["index", "build", str(graph), "--out", str(out), "--model", str(tiny_model_dir), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["action"] == "built" and data["facts"] == 12 and data["index_type"] == "flat" and data["dim"] == 32
    res = runner.invoke(app, ["index", "search", str(graph), "penguin cannot fly", "-k", "3", "--index", str(out),
                              "--model", str(tiny_model_dir), "--json"])
    assert res.exit_code == 0, res.output
    found = json.loads(res.stdout)
    assert found["question"] == "penguin cannot fly" and len(found["evidence"]) == 3
    assert found["evidence"][0]["text"] == "penguin cannot fly"
    assert found["evidence"][0]["triple"][0].endswith("Penguin")
    res = runner.invoke(app, ["index", "info", str(out), "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["stores"]["facts"]["count"] == 12


def test_search_text_output_and_default_cache(tmp_path, tiny_model_dir):
    graph = _graph(tmp_path)
    res = runner.invoke(app, ["index", "search", str(graph), "Can penguins fly?", "--model", str(tiny_model_dir)])
    assert res.exit_code == 0, res.output
    assert "penguin cannot fly" in res.stdout and "penguins → " in res.stdout
    assert any((tmp_path / "cache" / "index").iterdir())


def test_stale_index_is_one_clear_error_then_build_updates_it(tmp_path, tiny_model_dir):
    graph, out = _graph(tmp_path), tmp_path / "idx"
    model = ["--model", str(tiny_model_dir)]
    assert runner.invoke(app, ["index", "build", str(graph), "--out", str(out), *model]).exit_code == 0
    graph.write_text(graph.read_text() + "\nex:Kiwi rdfs:subClassOf ex:Bird .\n")
    res = runner.invoke(app, ["index", "search", str(graph), "kiwi", "--index", str(out), *model])
    assert res.exit_code == 1
    assert "stale" in res.stderr and "kgreason index build" in res.stderr and len(res.stderr.strip().splitlines()) == 1
    res = runner.invoke(app, ["index", "build", str(graph), "--out", str(out), *model, "--json"])
    data = json.loads(res.stdout)
    assert data["action"] == "updated" and data["added"] == 1 and data["removed"] == 0 and data["facts"] == 13


def test_other_embedder_is_refused_and_rebuild_replaces(tmp_path, tiny_model_dir):
    graph, out = _graph(tmp_path), tmp_path / "idx"
    assert runner.invoke(app, ["index", "build", str(graph), "--out", str(out), "--model", str(tiny_model_dir)]).exit_code == 0
    other = tmp_path / "other"
    shutil.copytree(tiny_model_dir, other)
    (other / "extra.json").write_text("{}")  # a different model folder → a different fingerprint
    before = (out / "manifest.json").read_text()
    res = runner.invoke(app, ["index", "build", str(graph), "--out", str(out), "--model", str(other)])
    assert res.exit_code == 1 and "built with embedder" in res.stderr
    assert (out / "manifest.json").read_text() == before
    res = runner.invoke(app, ["index", "build", str(graph), "--out", str(out), "--model", str(other), "--rebuild", "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["embedder"] == str(other.resolve())


def test_search_needs_a_graph_and_a_question(tmp_path):
    res = runner.invoke(app, ["index", "search", "only-a-question"])
    assert res.exit_code == 2 and "at least one graph" in res.stderr


def test_index_folder_that_is_a_file_and_a_typo_in_device_are_one_line(tmp_path):
    graph = _graph(tmp_path)
    res = runner.invoke(app, ["index", "build", str(graph), "--out", str(graph)])
    assert res.exit_code == 2 and "is a file, not an index folder" in res.output
    res = runner.invoke(app, ["index", "search", str(graph), "apple", "--index", str(graph)])
    assert res.exit_code == 2 and "is a file, not an index folder" in res.output
    res = runner.invoke(app, ["index", "build", str(graph), "--device", "tpu"])
    assert res.exit_code != 0 and "unknown device 'tpu'" in res.output and "Traceback" not in res.output
