"""What the server is started with: address, token and the limits every request is held to."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from kgreason.errors import InputError

#: Largest request body read (bytes); a question is at most 500 characters, a SPARQL query a page.
MAX_BODY_BYTES = 64 * 1024
#: A request (waiting for its pipeline included) is answered within this many seconds or gets a
#: 503; the question reader (5 s) and SPARQL queries (``query_seconds``) stop before it.
REQUEST_SECONDS = 20.0
#: A SPARQL query runs at most this many seconds (``kgreason graph query --timeout``).
QUERY_SECONDS = 10.0
#: Environment variable read for the bearer token when ``--token`` is not given.
TOKEN_ENV = "KGREASON_TOKEN"


@dataclass(frozen=True)
class ServerSettings:
    host: str = "127.0.0.1"
    port: int = 8000
    #: Bearer token every API request must send (``Authorization: Bearer ...``); None = none.
    token: str | None = None
    max_body_bytes: int = MAX_BODY_BYTES
    request_seconds: float = REQUEST_SECONDS
    query_seconds: float = QUERY_SECONDS

    def __post_init__(self) -> None:
        if self.token is not None and not self.token.strip():
            raise InputError("the token is empty", hint=f"give a non-empty --token or {TOKEN_ENV}")
        if self.request_seconds <= 0 or self.query_seconds <= 0:
            raise InputError("time limits must be positive",
                             hint="give --request-timeout and --query-timeout in seconds, e.g. 20")
        if self.max_body_bytes < 1024:
            raise InputError("the request body limit is below 1 KiB",
                             hint="give --max-body of at least 1024 bytes")
        if not is_loopback(self.host) and self.token is None:
            raise InputError(
                f"refusing to serve on {self.host} without a token: anyone who can reach it could "
                "use the API",
                hint=f"give --token (or set {TOKEN_ENV}) so that requests must send it, or bind "
                "to 127.0.0.1 (the default)",
            )


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost may resolve to anything
        return False
