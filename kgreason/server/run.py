"""Running the app on uvicorn (one process: the pipelines are loaded once and shared), with the
limits that keep one client from stalling the server: a deadline for each request's headers
(uvicorn has none: half-open connections would pile up), uvicorn's keep-alive timeout and its
connection limit (``limit_concurrency``: above it a request gets a 503 at once, not a wait)."""

from __future__ import annotations

import errno
import socket

from kgreason.errors import InputError
from kgreason.server.settings import ServerSettings


def check_port(host: str, port: int) -> None:
    """An InputError now, before minutes of loading, when ``host:port`` cannot be bound."""
    host = host.strip()
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise InputError(f"cannot listen on {host}:{port}: {getattr(exc, 'strerror', None) or exc}",
                         hint="give an address of this machine (--host 127.0.0.1) and a free --port") from None
    family, _, _, _, address = infos[0]
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(address)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise InputError(f"port {port} on {host} is already in use",
                             hint="give another --port, or stop the program that uses it") from None
        raise InputError(f"cannot listen on {host}:{port}: {exc.strerror or exc}",
                         hint="give an address of this machine (--host 127.0.0.1) and a free --port") from None


def protocol_with_header_deadline(seconds: float):
    """uvicorn's h11 protocol, closing a connection that has not sent a whole request's headers
    within ``seconds`` of connecting (or of its last response): slow or half-open clients."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeaderDeadline(H11Protocol):
        header_seconds = seconds

        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm()

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(self.header_seconds, self._headers_late)

        def _disarm(self) -> None:
            timer = getattr(self, "_header_timer", None)
            if timer is not None:
                timer.cancel()
            self._header_timer = None

        def _headers_late(self) -> None:
            self._header_timer = None
            if self.cycle is None or self.cycle.response_complete:  # no request in progress
                self.transport.close()

        def handle_events(self) -> None:
            cycle = self.cycle
            super().handle_events()
            if self.cycle is not None and self.cycle is not cycle:  # a request's headers arrived
                self._disarm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            if not self.transport.is_closing():
                self._arm()

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

    return HeaderDeadline


def uvicorn_config(app, settings: ServerSettings, *, log_level: str = "info"):
    import uvicorn

    return uvicorn.Config(app, host=settings.host, port=settings.port, log_level=log_level,
                          workers=1, server_header=False, timeout_graceful_shutdown=5,
                          http=protocol_with_header_deadline(settings.header_seconds),
                          timeout_keep_alive=max(1, int(settings.keep_alive_seconds)),
                          limit_concurrency=settings.max_connections)


def serve(app, settings: ServerSettings, *, log_level: str = "info") -> None:
    """Serve ``app`` until interrupted (Ctrl-C / SIGTERM stop it cleanly)."""
    import uvicorn

    uvicorn.Server(uvicorn_config(app, settings, log_level=log_level)).run()
