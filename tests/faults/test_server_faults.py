"""The server under faults (issue 24, items 10-11): slow queries beside questions, work past
the time limit, slow and half-open clients, foreign Host headers, tokens that cannot be sent,
bad addresses — it answers every request in time or refuses it in one line."""

from __future__ import annotations

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from kgreason.cli import app as cli
from kgreason.errors import InputError
from kgreason.server import ServerSettings, create_app

LOCAL = "http://127.0.0.1:8000"
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def test_slow_queries_do_not_stall_questions(state):
    """Three cross joins (each running to the query limit) beside 20 questions: every question
    is answered (they shared one lock with the queries before)."""
    app = create_app(state, ServerSettings(request_seconds=6, query_seconds=4))
    with TestClient(app, base_url=LOCAL) as client, ThreadPoolExecutor(23) as pool:
        queries = [pool.submit(client.post, "/query", json={"query": CROSS}) for _ in range(3)]
        time.sleep(0.3)
        started = time.monotonic()
        asks = [pool.submit(client.post, "/ask", json={"question": "Can penguins fly?"}) for _ in range(20)]
        answers = [f.result() for f in asks]
        asked = time.monotonic() - started
        stopped = [f.result() for f in queries]
    assert [r.status_code for r in answers] == [200] * 20, [r.text for r in answers if r.status_code != 200]
    assert asked < 6  # not queued behind the queries (each runs 4 s)
    assert all(r.status_code in (400, 503) and "time limit" in r.json()["error"] for r in stopped), [r.text for r in stopped]


def test_work_past_the_time_limit_is_stopped_and_gives_the_lock_back(state, monkeypatch):
    loaded = state.pipelines[0]
    pipeline = loaded.pipeline
    real_ask = pipeline.ask
    progress = {"steps": 0}

    def slow_ask(question, **kwargs):
        if question.startswith("Slow"):
            while True:  # pure Python work that would run for ever
                progress["steps"] += 1
                sum(range(1000))
        return real_ask(question, **kwargs)

    monkeypatch.setattr(pipeline, "ask", slow_ask)
    app = create_app(state, ServerSettings(request_seconds=1.0))
    with TestClient(app, base_url=LOCAL) as client:
        started = time.monotonic()
        slow = client.post("/ask", json={"question": "Slow question?"})
        assert slow.status_code == 503 and time.monotonic() - started < 3
        time.sleep(0.3)
        steps = progress["steps"]
        time.sleep(0.3)
        assert progress["steps"] == steps  # the work was cancelled, not left running
        assert not loaded.lock.locked()
        after = client.post("/ask", json={"question": "Can penguins fly?"})
        assert after.status_code == 200 and after.json()["answer"] == "no"


@pytest.mark.parametrize(("host", "status"), [("127.0.0.1:8000", 200), ("localhost:8000", 200), ("[::1]:8000", 200),
                                              ("localhost", 200), ("evil.example:8000", 400),
                                              ("127.0.0.1.nip.io", 400), ("", 400)])
def test_only_the_bound_host_is_trusted(state, host, status):
    app = create_app(state, ServerSettings())
    with TestClient(app, base_url=LOCAL) as client:
        response = client.get("/health", headers={"host": host})
        assert response.status_code == status, response.text
        if status == 400:
            assert "Host header" in response.json()["error"]


def test_allowed_hosts_and_wildcard_addresses():
    assert ServerSettings(host="0.0.0.0", token="tok-123").trusted_hosts() == ["*"]
    assert ServerSettings(host="0.0.0.0", token="tok-123", allowed_hosts=("kg.example",)).trusted_hosts() == ["kg.example"]
    assert "localhost" in ServerSettings(host="::1").trusted_hosts()


def test_health_says_only_ok_and_the_version_without_the_token(state, fast_pipeline):
    app = create_app(state, ServerSettings(token="s3cret-token"))
    with TestClient(app, base_url=LOCAL) as client:
        open_ = client.get("/health").json()
        assert set(open_) == {"status", "version"} and str(fast_pipeline) not in json.dumps(open_)
        wrong = client.get("/health", headers={"Authorization": "Bearer nope"}).json()
        assert set(wrong) == {"status", "version"}
        full = client.get("/health", headers={"Authorization": "Bearer s3cret-token"}).json()
        assert full["pipelines"] == [str(fast_pipeline)]


@pytest.mark.parametrize("token", ["pässwört", "with space", "tab\there", "é"])
def test_a_token_that_cannot_be_sent_is_refused_at_start(token, monkeypatch):
    with pytest.raises(InputError, match="HTTP header cannot carry"):
        ServerSettings(token=token)
    monkeypatch.setenv("KGREASON_TOKEN", token)
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["serve", "--json"])
    assert result.exit_code == 2 and time.monotonic() - started < 5
    assert "HTTP header cannot carry" in json.loads(result.stdout)["error"]


def test_the_token_comes_from_a_file_or_the_environment(tmp_path, monkeypatch):
    from kgreason.server.settings import read_token

    monkeypatch.delenv("KGREASON_TOKEN", raising=False)
    path = tmp_path / "token"
    path.write_text("from-the-file\n", encoding="utf-8")
    assert read_token(path) == "from-the-file"
    assert read_token(None) is None
    monkeypatch.setenv("KGREASON_TOKEN", "from-env")  # the settings are read again (tests/conftest.py)
    assert read_token(None) == "from-env"
    assert read_token(path) == "from-the-file"  # the file comes first
    monkeypatch.setenv("KGREASON_TOKEN", "   ")
    assert read_token(None) is None
    with pytest.raises(InputError, match="cannot read the token file"):
        read_token(tmp_path / "missing")
    (tmp_path / "empty").write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="is empty"):
        read_token(tmp_path / "empty")


@pytest.mark.parametrize("host", ["not a host", "[::1", "300.1.2.3.4.5:80", "http://127.0.0.1", "::1]", "::zz"])
def test_bad_hosts_fail_before_anything_loads(host, monkeypatch):
    monkeypatch.setenv("KGREASON_TOKEN", "tok-123")
    started = time.monotonic()
    result = CliRunner().invoke(cli, ["serve", "--host", host, "--json"])
    assert result.exit_code == 2, result.output
    assert time.monotonic() - started < 10
    error = json.loads(result.stdout)
    assert "\n" not in error["error"] and "loaded" not in result.output


def test_bracketed_ipv6_is_an_address():
    assert ServerSettings(host="[::1]").host == "::1"


# ------------------------------------------------------------------ a real server, real sockets
@pytest.fixture(scope="module")
def guarded_server(fast_pipeline):
    from server.conftest import RunningServer

    with RunningServer("--pipeline", str(fast_pipeline), "--header-timeout", "1", "--max-connections", "30",
                       startup=120) as server:
        yield server


def test_half_open_connections_are_closed_and_health_answers(guarded_server):
    sockets = []
    try:
        for _ in range(60):  # twice the connection limit, none sends a request
            s = socket.create_connection(("127.0.0.1", guarded_server.port), timeout=5)
            s.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # headers never finished
            sockets.append(s)
        time.sleep(2.0)  # past the header deadline: they are closed by the server
        closed = 0
        for s in sockets:
            s.settimeout(0.5)
            try:
                closed += s.recv(1) == b""
            except (TimeoutError, OSError):
                pass
        assert closed >= len(sockets) - 5
        response = httpx.get(f"{guarded_server.url}/health", timeout=5)
        assert response.status_code == 200 and response.json()["status"] == "ok"
    finally:
        for s in sockets:
            s.close()


def test_a_slow_body_gets_a_408(guarded_server):
    with socket.create_connection(("127.0.0.1", guarded_server.port), timeout=10) as s:
        s.sendall(b"POST /ask HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 100\r\n\r\n{\"question\":")
        started = time.monotonic()
        data = s.recv(4096)
        assert b" 408 " in data.split(b"\r\n", 1)[0] and time.monotonic() - started < 5


def test_a_foreign_host_header_is_refused_by_the_real_server(guarded_server):
    response = httpx.get(f"{guarded_server.url}/health", headers={"host": "attacker.example"}, timeout=5)
    assert response.status_code == 400
