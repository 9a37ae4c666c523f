"""What a request must pass before it reaches a pipeline: the body size cap (an ASGI middleware,
so an over-long body is never read whole) and the bearer token."""

from __future__ import annotations

import json
import secrets

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kgreason.server.responses import error_body


class BodyLimit:
    """Answers 413 (JSON) for a request whose body is longer than ``max_bytes``: by its
    Content-Length before reading, or while reading a body sent in chunks."""

    def __init__(self, app, max_bytes: int):
        self.app, self.max_bytes = app, max_bytes

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


bearer = HTTPBearer(auto_error=False, description="The server's --token (or KGREASON_TOKEN), when it has one.")


def token_check(token: str | None):
    """A FastAPI dependency: passes every request when the server has no token; otherwise
    only those sending ``Authorization: Bearer <token>`` (compared in constant time)."""

    async def dependency(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> None:
        if token is None:
            return
        if credentials is None:
            raise TokenRequired("this server needs a bearer token: send 'Authorization: Bearer <token>'")
        sent = credentials.credentials.encode("utf-8", "surrogateescape")
        if not secrets.compare_digest(sent, token.encode("utf-8")):
            raise TokenRequired("wrong bearer token")

    return dependency
