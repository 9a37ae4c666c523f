"""Bad input gets a 400 with the CLI's one-line message, never a traceback or a 5xx; the body cap,
the time limit and the bearer token."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kgreason.cli import app as cli
from kgreason.errors import InputError
from kgreason.server import ServerSettings, create_app

LOCAL = "http://127.0.0.1:8000"  # the Host header the server accepts (DNS-rebinding guard)


@pytest.mark.parametrize("question", ["", "   ", "x" * 501, ",,,", "你好吗?"])
def test_bad_questions_get_the_clis_json_error(client, fast_pipeline, question):
    response = client.post("/ask", json={"question": question})
    assert response.status_code == 400
    result = CliRunner().invoke(cli, ["ask", question, "--pipeline", str(fast_pipeline), "--json"])
    assert result.exit_code == 2
    assert response.json() == json.loads(result.stdout)
    assert "Traceback" not in response.text


@pytest.mark.parametrize("body", [
    b"{not json", b"[]", b'"a question"', b"{}", b'{"question": 3}', b'{"question": null}',
    b'{"question": "Can penguins fly?", "qustion": "typo"}', b'{"question": "\\ud800?"}',
    b'{"question": "Can penguins fly?", "closed_world": "maybe"}',
])
def test_malformed_bodies_are_400_with_one_line(client, body):
    response = client.post("/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400, response.text
    data = response.json()
    assert set(data) == {"error", "where", "hint"} and "\n" not in data["error"]


@pytest.mark.parametrize(("path", "body", "message"), [
    ("/prove", {"triple": "cs:Apple cs:canBe"}, "triple needs 3 terms"),
    ("/prove", {"triple": "nope:Apple cs:canBe cs:EatenRaw"}, "unknown prefix 'nope'"),
    ("/query", {"query": "SELEKT ?x"}, "bad SPARQL"),
    ("/query", {"query": "SELECT * WHERE { SERVICE <http://example.org/sparql> { ?s ?p ?o } }"},
     "would query a remote endpoint"),
    ("/proof-graph", {"question": "Can penguins fly?", "format": "png"}, "invalid request"),
])
def test_bad_triples_and_queries_get_the_clis_message(client, path, body, message):
    response = client.post(path, json=body)
    assert response.status_code == 400, response.text
    assert message in response.json()["error"]


def test_unknown_paths_and_methods_are_json_errors(client):
    assert client.get("/nope").status_code == 404 and client.get("/nope").json()["error"] == "Not Found"
    assert client.get("/ask").status_code == 405


def test_a_body_over_the_cap_is_refused_unread(state):
    app = create_app(state, ServerSettings(max_body_bytes=2048))
    with TestClient(app, base_url=LOCAL) as small:
        big = json.dumps({"question": "Can penguins fly?" + " " * 4000})
        response = small.post("/ask", content=big, headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert response.json()["error"].startswith("the request body is 4,")

        def chunks():  # no Content-Length: counted while read
            for _ in range(10):
                yield b" " * 1000

        response = small.post("/ask", content=chunks(), headers={"content-type": "application/json"})
        assert response.status_code == 413
        ok = small.post("/ask", json={"question": "Can penguins fly?"})
        assert ok.status_code == 200 and ok.json()["answer"] == "no"


def test_a_request_past_the_time_limit_gets_503_and_the_server_goes_on(state):
    app = create_app(state, ServerSettings(request_seconds=0.5))
    loaded = state.pipelines[0]
    with TestClient(app, base_url=LOCAL) as limited:
        with loaded.lock:  # the pipeline is busy (another request holds it) for longer than the limit
            response = limited.post("/ask", json={"question": "Can penguins fly?"})
        assert response.status_code == 503
        assert response.json()["error"] == "not answered within the server's time limit"
        after = limited.post("/ask", json={"question": "Can penguins fly?"})
        assert after.status_code == 200 and after.json()["answer"] == "no"


def test_a_slow_sparql_query_stops_at_the_query_time_limit(state):
    app = create_app(state, ServerSettings(query_seconds=1))
    product = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 1,230^3 rows
    with TestClient(app, base_url=LOCAL) as limited:
        response = limited.post("/query", json={"query": product})
    assert response.status_code == 400
    assert "stopped after 1 s" in response.json()["error"]


def test_the_token_is_required_when_set(state):
    app = create_app(state, ServerSettings(token="s3cret"))
    with TestClient(app, base_url=LOCAL) as guarded:
        assert guarded.post("/ask", json={"question": "Can penguins fly?"}).status_code == 401
        wrong = guarded.post("/ask", json={"question": "Can penguins fly?"},
                             headers={"Authorization": "Bearer guess"})
        assert wrong.status_code == 401 and wrong.json()["error"] == "wrong bearer token"
        assert wrong.headers["www-authenticate"] == "Bearer"
        assert guarded.get("/graphs").status_code == 401
        right = guarded.post("/ask", json={"question": "Can penguins fly?"},
                             headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200 and right.json()["answer"] == "no"
        health = guarded.get("/health")  # open, but says only ok and the version (issue 24, item 11)
        assert health.status_code == 200 and set(health.json()) == {"status", "version"}
        full = guarded.get("/health", headers={"Authorization": "Bearer s3cret"}).json()
        assert full["auth"] is True and full["pipelines"]


def test_binding_beyond_loopback_needs_a_token():
    for host in ("127.0.0.1", "localhost", "::1", "127.0.0.2"):
        ServerSettings(host=host)
    for host in ("0.0.0.0", "192.0.2.7", "example.org", "::"):
        with pytest.raises(InputError, match="without a token"):
            ServerSettings(host=host)
        ServerSettings(host=host, token="t")


def test_serve_refuses_to_start_without_a_token_on_other_hosts(monkeypatch):
    monkeypatch.delenv("KGREASON_TOKEN", raising=False)
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)
    assert "refusing to serve on 0.0.0.0 without a token" in error["error"]
    assert "--token-file" in error["hint"] and "KGREASON_TOKEN" in error["hint"]


def test_serve_says_when_the_port_is_taken():
    import socket

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
