"""``kgreason serve``: the pipelines loaded once and served over HTTP (FastAPI on uvicorn), with a
web page that shows an answer, its proof drawn as a graph, and the evidence.

The top layer beside the CLI: it uses the pipeline, retrieval, reasoning and language layers;
only ``kgreason.cli`` imports it. FastAPI and uvicorn are imported only when used.
"""

from __future__ import annotations

from kgreason._lazy import lazy_getattr

_LAZY = {
    "ServerSettings": "kgreason.server.settings",
    "ServerState": "kgreason.server.state",
    "create_app": "kgreason.server.app",
    "serve": "kgreason.server.run",
}

__all__ = list(_LAZY)

__getattr__ = lazy_getattr(__name__, _LAZY)
