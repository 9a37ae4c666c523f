"""Proofs as graphs (premises → rule → conclusion), exported as GraphML and node-link JSON, from
the library and ``kgreason ask --proof-graph`` (the server's /proof-graph: tests/server)."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from kgreason.cli import app as cli
from kgreason.errors import InputError
from kgreason.language.proof_graph import (
    proof_graph,
    proof_graph_graphml,
    proof_graph_json,
    write_proof_graph,
)


@pytest.fixture(scope="module")
def apple(commonsense):
    return commonsense.ask("Can apples be eaten raw?")


def test_premises_point_to_the_rule_and_the_rule_to_the_conclusion(apple, commonsense):
    g = apple.proof_graph()
    labels = {n: d["label"] for n, d in g.nodes(data=True)}
    [rule] = [n for n, d in g.nodes(data=True) if d["kind"] == "rule"]
    assert labels[rule] == "inherits from its class" and g.nodes[rule]["rule"] == "kgr-inherit"
    premises = {labels[n] for n in g.predecessors(rule)}
    assert premises == {"Apple is a kind of fruit.", "Fruit can be eaten raw."}
    [conclusion] = g.successors(rule)
    assert labels[conclusion] == "Apple can be eaten raw."
    assert g.nodes[conclusion]["conclusion"] is True and g.nodes[conclusion]["given"] is False
    assert all(g.nodes[n]["given"] for n in g.predecessors(rule))
    assert nx.is_directed_acyclic_graph(g)
    # the sentences of the graph are the answer's proof
    assert {d["label"] for _, d in g.nodes(data=True) if d["kind"] == "statement"} == set(apple.proof)
    assert g.nodes[conclusion]["triple"] == "cs:Apple cs:canBe cs:EatenRaw"


def test_no_proof_gives_an_empty_graph(commonsense):
    answer = commonsense.ask("Can apples fly?")
    assert answer.answer == "unknown" and answer.proof_graph().number_of_nodes() == 0


def test_an_open_question_draws_every_answers_proof_with_shared_steps_once(commonsense):
    answer = commonsense.ask("Which birds cannot fly?")
    g = answer.proof_graph()
    conclusions = {d["label"] for _, d in g.nodes(data=True) if d.get("conclusion")}
    assert {"Penguin cannot fly.", "Ostrich cannot fly.", "Emu cannot fly."} <= conclusions
    # "not (penguin can fly)" from "penguin cannot fly" by kgr-neg says what its premise says: the
    # step is folded into the given fact, and the vocabulary triple (cannot = not can) is not drawn
    penguin = next(d for _, d in g.nodes(data=True) if d["label"] == "Penguin cannot fly.")
    assert penguin["given"] and penguin["conclusion"]
    assert not [n for n, d in g.nodes(data=True) if d.get("triple") == "cs:cannot kgr:negationOf cs:can"]
    labels = [d["label"] for _, d in g.nodes(data=True) if d["kind"] == "statement"]
    assert len(labels) == len(set(labels))  # shared steps drawn once
    assert nx.is_directed_acyclic_graph(g)


def test_graphml_and_json_round_trip(apple, tmp_path):
    g = apple.proof_graph()
    back = nx.parse_graphml(proof_graph_graphml(g))
    assert set(back.edges) == set(g.edges)
    assert dict(back.nodes(data=True)) == dict(g.nodes(data=True))
    data = proof_graph_json(g)
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    assert {(e["source"], e["target"]) for e in data["edges"]} == set(g.edges)
    again = nx.node_link_graph(json.loads(json.dumps(data)), edges="edges")
    assert set(again.edges) == set(g.edges)


def test_write_picks_the_format_by_suffix_and_refuses_others(apple, tmp_path):
    g = apple.proof_graph()
    assert write_proof_graph(g, tmp_path / "p.graphml") == "graphml"
    assert nx.read_graphml(tmp_path / "p.graphml").number_of_nodes() == g.number_of_nodes()
    assert write_proof_graph(g, tmp_path / "deep" / "p.JSON") == "json"
    assert json.loads((tmp_path / "deep" / "p.JSON").read_text())["directed"] is True
    with pytest.raises(InputError, match="cannot tell the proof graph format"):
        write_proof_graph(g, tmp_path / "p.png")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(InputError, match="is a directory"):
        write_proof_graph(g, tmp_path / "folder.json")


def test_same_proof_same_graph(commonsense, apple):
    again = commonsense.ask("Can apples be eaten raw?").proof_graph()
    assert proof_graph_json(again) == proof_graph_json(apple.proof_graph())
    assert proof_graph(apple.decision.proof, apple.kg).nodes(data=True) == again.nodes(data=True)


def test_cli_ask_writes_the_proof_graph_and_keeps_its_json(tmp_path):
    pipeline = tmp_path / "reasoner.yaml"
    pipeline.write_text("graphs: [commonsense]\nretrieval: {enabled: false, rank_candidates: false}\n")
    out = tmp_path / "proof.graphml"
    runner = CliRunner()
    result = runner.invoke(cli, ["ask", "Can apples be eaten raw?", "-p", str(pipeline), "--json",
                                 "--proof-graph", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["answer"] == "yes"  # the answer JSON, nothing added
    g = nx.read_graphml(out)
    assert {d["label"] for _, d in g.nodes(data=True)} >= {"Apple can be eaten raw.", "inherits from its class"}
    text = runner.invoke(cli, ["ask", "Can apples be eaten raw?", "-p", str(pipeline),
                               "--proof-graph", str(tmp_path / "proof.json")])
    assert text.exit_code == 0 and "proof graph (4 nodes, 3 edges) written to" in text.output
    assert len(json.loads((tmp_path / "proof.json").read_text())["nodes"]) == 4


def test_cli_refuses_a_bad_proof_graph_name_before_answering(tmp_path):
    existing = tmp_path / "keep.txt"
    existing.write_text("data")
    result = CliRunner().invoke(cli, ["ask", "Can apples be eaten raw?", "--proof-graph", str(existing)])
    assert result.exit_code == 2 and "cannot tell the proof graph format" in result.output
    assert existing.read_text() == "data"
