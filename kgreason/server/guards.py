"""What a request must pass before it reaches a pipeline: the body size cap (an ASGI middleware,
so an over-long body is never read whole) and the bearer token."""

from __future__ import annotations

import json
import secrets

import anyio
from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kgreason.server.responses import error_body


class BodyLimit:
    """Answers 413 (JSON) for a request whose body is longer than ``max_bytes``: by its
    Content-Length before reading, or while reading a body sent in chunks."""

    def __init__(self, app, max_bytes: int, body_seconds: float = 10.0):
        self.app, self.max_bytes, self.body_seconds = app, max_bytes, body_seconds

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        length = dict(scope.get("headers") or []).get(b"content-length")
        if length is not None:
            try:
                too_long = int(length) > self.max_bytes
            except ValueError:
                return await self._refuse(send, 400, "the Content-Length header is not a number")
            if too_long:
                return await self._too_long(send, int(length))
        chunks, size, more = [], 0, True
        try:
            with anyio.fail_after(self.body_seconds):  # a client that sends its body slowly
                while more:  # read the body (at most max_bytes) before the app sees it
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        return
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > self.max_bytes:
                        return await self._too_long(send, None)
                    chunks.append(chunk)
                    more = message.get("more_body", False)
        except TimeoutError:
            return await self._refuse(send, 408, f"the request body was not sent within {self.body_seconds:g} s",
                                      hint="send the whole request at once")
        body, sent = b"".join(chunks), False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)

    async def _too_long(self, send, size: int | None):
        what = f"{size:,} bytes" if size is not None else "longer"
        await self._refuse(send, 413, f"the request body is {what}; at most {self.max_bytes:,} bytes are read",
                           hint="send one question or query per request")

    @staticmethod
    async def _refuse(send, status: int, message: str, hint: str | None = None):
        data = json.dumps(error_body(message, None, hint)).encode("utf-8")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(data)).encode()),
                                (b"connection", b"close")]})
        await send({"type": "http.response.body", "body": data})


class TokenRequired(Exception):
    """No or a wrong bearer token (answered 401)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


bearer = HTTPBearer(auto_error=False, description="The server's token (KGREASON_TOKEN or --token-file), when it has one.")


def token_check(token: str | None):
    """A FastAPI dependency: passes every request when the server has no token; otherwise
    only those sending ``Authorization: Bearer <token>`` (compared in constant time)."""

    async def dependency(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if token is None:
            return
        if credentials is None:
            raise TokenRequired("this server needs a bearer token: send 'Authorization: Bearer <token>'")
        if not token_matches(credentials.credentials, token):
            raise TokenRequired("wrong bearer token")

    return dependency


def token_matches(sent: str | None, token: str | None) -> bool:
    """Whether ``sent`` is the token (constant time; True when the server has none)."""
    if token is None:
        return True
    if sent is None:
        return False
    return secrets.compare_digest(sent.encode("utf-8", "surrogateescape"), token.encode("utf-8"))


class TrustedHosts:
    """Answers 400 (JSON) to a request whose ``Host`` header is not one the server is reached by
    (starlette's TrustedHostMiddleware, with IPv6 literals parsed): a page on another site that
    points its own name at 127.0.0.1 (DNS rebinding) cannot talk to a local server."""

    def __init__(self, app, allowed: list[str]):
        self.app = app
        self.allowed = {h.lower() for h in allowed}
        self.any = "*" in self.allowed

    @staticmethod
    def host_of(value: str) -> str:
        value = value.strip().lower()
        if value.startswith("["):  # [::1]:8000
            return value[1:value.find("]")] if "]" in value else value
        return value.rsplit(":", 1)[0] if value.count(":") == 1 else value

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket") or self.any:
            return await self.app(scope, receive, send)
        raw = dict(scope.get("headers") or []).get(b"host", b"")
        host = self.host_of(raw.decode("latin-1"))
        if host in self.allowed:
            return await self.app(scope, receive, send)
        await BodyLimit._refuse(send, 400, f"the Host header {raw.decode('latin-1')[:100]!r} is not this server",
                                hint="reach the server by the address it listens on "
                                "(start it with --allowed-host NAME to accept another name)")
