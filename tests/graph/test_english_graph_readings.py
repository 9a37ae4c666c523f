"""An English (.txt) graph with a line the reader does not understand: reported with its line in
``graph info`` (text and --json) and ``ask --json``; the pipeline knows its graph is incomplete."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.config import PipelineConfig
from kgreason.pipeline import Pipeline

TEXT = ("# a small English graph\nBob is big.\nPeople who are big are also blue.\n\n"
        "If someone is big then they are red.\n")


def _graph(tmp_path):
    path = tmp_path / "people.txt"
    path.write_text(TEXT)
    return path


def test_graph_info_reports_the_line_not_understood(tmp_path):
    path = _graph(tmp_path)
    result = CliRunner().invoke(app, ["graph", "info", str(path), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["readings"] == {"exact": 2, "confirmed": 0, "not_understood": 1}
    [missing] = data["not_understood"]
    assert missing["line"] == 3 and missing["sentence"] == "People who are big are also blue."
    assert "'also'" in missing["reason"]
    text = CliRunner().invoke(app, ["graph", "info", str(path)])
    assert f"{path}:3: People who are big are also blue." in " ".join(text.output.split())


def test_pipeline_reads_the_graph_through_the_reader_stage_and_knows_it_is_incomplete(tmp_path):
    path = _graph(tmp_path)
    config = PipelineConfig(graphs=[str(path)], retrieval={"enabled": False})
    assert config.models.reader is None
    pipe = Pipeline(config)
    assert [(r.line, r.status) for r in pipe.kg.readings] == [(2, "exact"), (3, "not_understood"),
                                                                (5, "exact")]
    assert pipe.kg.issues == [f"{path}:3: People who are big are also blue. — "
                              + pipe.kg.readings[1].reason]
    answer = pipe.ask("Is Bob blue?")
    assert answer.answer == "unknown" and not answer.decision.complete  # the graph was not read in full
    assert pipe.ask("Is Bob red?").answer == "yes"


def test_ask_json_lists_sentences_not_understood(tmp_path):
    path = _graph(tmp_path)
    pipeline = tmp_path / "exact-only.yaml"  # no neural reader: the test loads no model
    pipeline.write_text("mode: symbolic\nretrieval: {enabled: false}\nmodels: {reader: null}\n")
    result = CliRunner().invoke(app, ["ask", "Is Bob red?", "--graph", str(path), "--pipeline",
                                      str(pipeline), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["answer"] == "yes"
    assert [(r["line"], r["status"]) for r in data["not_understood"]] == [(3, "not_understood")]
