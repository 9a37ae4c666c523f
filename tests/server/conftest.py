"""The server's tests: the app on the shipped commonsense graph, symbolic, without a retrieval
index (no model is loaded, so it starts in well under a second); the slow tests start the real
server with the default pipeline."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: The pipeline of the fast tests (a YAML file, so the CLI can be run with the same one).
FAST_PIPELINE = """\
description: commonsense graph, reasoner only (server tests)
graphs: [commonsense]
mode: symbolic
retrieval: {enabled: false, rank_candidates: false}
reasoning: {enabled: true, closed_world: false}
"""


@pytest.fixture(scope="session")
def fast_pipeline(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("server") / "reasoner.yaml"
    path.write_text(FAST_PIPELINE, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def state(fast_pipeline):
    from kgreason.server import ServerState

    return ServerState.load([str(fast_pipeline)])


@pytest.fixture(scope="session")
def client(state):
    from fastapi.testclient import TestClient

    from kgreason.server import create_app

    with TestClient(create_app(state), base_url="http://127.0.0.1:8000") as c:
        yield c


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RunningServer:
    """``kgreason serve`` in a subprocess on a free port, stopped (SIGTERM) on exit."""

    def __init__(self, *args: str, env: dict[str, str] | None = None, startup: float = 300):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.args, self.env, self.startup = args, env, startup

    def __enter__(self) -> RunningServer:  # noqa: PYI034
        import httpx

        self.process = subprocess.Popen(
            [sys.executable, "-m", "kgreason.cli", "serve", "--port", str(self.port), *self.args],
            cwd=ROOT, env={**os.environ, **(self.env or {})}, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + self.startup
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                out, err = self.process.communicate()
                raise AssertionError(f"kgreason serve exited {self.process.returncode}:\n{out}\n{err}")
            try:
                if httpx.get(f"{self.url}/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise AssertionError(f"kgreason serve did not answer within {self.startup} s")

    def stop(self) -> tuple[int, str, str]:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            out, err = self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, err = self.process.communicate()
        return self.process.returncode, out, err

    def __exit__(self, *exc) -> None:
        self.stop()
