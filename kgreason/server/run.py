"""Running the app on uvicorn (one process: the pipelines are loaded once and shared)."""

from __future__ import annotations

import errno
import socket

from kgreason.errors import InputError
from kgreason.server.settings import ServerSettings


def check_port(host: str, port: int) -> None:
    """An InputError now, before minutes of loading, when ``host:port`` cannot be bound."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host.strip("[]"), port))
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} on {host} is already in use",
                             hint="give another --port, or stop the program that uses it") from None
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="give an address of this machine (--host 127.0.0.1) and a free --port") from None


def serve(app, settings: ServerSettings, *, log_level: str = "info") -> None:
    """Serve ``app`` until interrupted (Ctrl-C / SIGTERM stop it cleanly)."""
    import uvicorn

    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_level=log_level,
                            workers=1, server_header=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run()
