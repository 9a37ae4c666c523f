"""The fault-injection suite (issue 24): damaged caches, killed and mixed runs, queries that go
online or never end, slow clients and concurrent slow requests. It reuses the server tests'
fast pipeline and their real-server runner."""

from __future__ import annotations

from server.conftest import RunningServer, client, fast_pipeline, free_port, state  # noqa: F401
