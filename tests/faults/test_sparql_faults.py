"""SPARQL never goes online and never runs past its time limit, on every path (issue 24, items 1
and 8): graph files in memory, the on-disk store, the server's /query."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app

GEO = Path(__file__).parents[1] / "data" / "geography.ttl"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


class Listener:
    """A local endpoint that records whether anything connected (and never answers)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections: list = []
        self.running = True
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self):
        while self.running:
            try:
                conn, _ = self.sock.accept()
                self.connections.append(conn)
            except OSError:
                continue

    def close(self):
        self.running = False
        self.thread.join(2)
        for c in self.connections:
            c.close()
        self.sock.close()


@pytest.fixture
def listener():
    item = Listener()
    yield item
    item.close()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "s"
    result = CliRunner().invoke(app, ["graph", "store", str(path), str(GEO), "--json"])
    assert result.exit_code == 0, result.output
    return path


def _error(result) -> dict:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    return json.loads(result.output.strip().splitlines()[-1])


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:{port}/x> { ?s ?p ?o } }",
    "SELECT * FROM <http://127.0.0.1:{port}/g> WHERE { ?s ?p ?o }",
    "SELECT * FROM NAMED <http://127.0.0.1:{port}/g> WHERE { GRAPH ?g { ?s ?p ?o } }",
    "select * where { ?s ?p ?o . service <http://127.0.0.1:{port}/x> { ?s ?q ?r } }",
])
@pytest.mark.parametrize("where", ["store", "files"])
def test_no_query_goes_online(store, listener, query, where):
    text = query.replace("{port}", str(listener.port))
    target = ["--store", str(store)] if where == "store" else [str(GEO)]
    result = CliRunner().invoke(app, ["graph", "query", *target, text, "--json"])
    error = _error(result)
    assert "refused" in error["error"] and "--allow-network" in error["hint"]
    time.sleep(0.3)
    assert listener.connections == []  # nothing left the process


def test_keywords_inside_strings_iris_and_names_are_not_refused(store):
    query = ('SELECT ?service WHERE { ?service ?p ?o . FILTER(?o != "FROM SERVICE") '
             'FILTER(?p != <http://example.org/SERVICE>) } LIMIT 1  # LOAD')
    result = CliRunner().invoke(app, ["graph", "query", "--store", str(store), query, "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)["rows"]) == 1


def test_the_store_query_stops_at_its_time_limit(store):
    started = time.monotonic()
    result = CliRunner().invoke(app, ["graph", "query", "--store", str(store), CROSS, "--timeout", "1", "--json"])
    assert "time limit" in _error(result)["error"]
    assert time.monotonic() - started < 10


def test_an_allowed_service_call_still_stops_at_the_time_limit(store, listener):
    query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{listener.port}/x> {{ ?s ?p ?o }} }}"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["graph", "query", "--store", str(store), query, "--timeout", "1",
                                      "--allow-network", "--json"])
    assert "time limit" in _error(result)["error"]
    assert time.monotonic() - started < 10


def test_the_store_can_be_queried_while_a_writer_holds_it(store):
    from kgreason.graph.oxigraph_store import open_store

    writer = open_store(store)  # RocksDB's lock is held: the query opens the store read-only
    try:
        result = CliRunner().invoke(app, ["graph", "query", "--store", str(store), "ASK { ?s ?p ?o }", "--json"])
    finally:
        del writer
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["boolean"] is True


def test_from_named_is_a_400_on_the_server(client):
    for query in ("SELECT * FROM NAMED <http://example.org/g> WHERE { ?s ?p ?o }",
                  "SELECT * FROM <http://example.org/g> WHERE { ?s ?p ?o }"):
        response = client.post("/query", json={"query": query})
        assert response.status_code == 400, response.text
        assert "refused" in response.json()["error"]
