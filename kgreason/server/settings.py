"""What the server is started with: address, token and the limits every request is held to."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from kgreason.errors import InputError

#: Largest request body read (bytes); a question is at most 500 characters, a SPARQL query a page.
MAX_BODY_BYTES = 64 * 1024
#: A request (waiting for its pipeline included) is answered within this many seconds or gets a
#: 503; the question reader (5 s) and SPARQL queries (``query_seconds``) stop before it.
REQUEST_SECONDS = 20.0
#: A SPARQL query runs at most this many seconds (``kgreason graph query --timeout``).
QUERY_SECONDS = 10.0
#: A connection must have sent a request's headers within this many seconds (and its body within
#: as many again), else it is closed: half-open connections cannot pile up.
HEADER_SECONDS = 10.0
#: Idle keep-alive connections are closed after this many seconds (uvicorn's timeout_keep_alive).
KEEP_ALIVE_SECONDS = 5.0
#: Open connections at most (uvicorn's limit_concurrency: above it, new requests get a 503 at once).
MAX_CONNECTIONS = 256
#: Environment variable read for the bearer token (or ``--token-file``; never the command line).
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
    header_seconds: float = HEADER_SECONDS
    keep_alive_seconds: float = KEEP_ALIVE_SECONDS
    max_connections: int = MAX_CONNECTIONS
    #: Host headers accepted (DNS rebinding: a page elsewhere must not reach a local server);
    #: empty = the bound host (and its loopback names), or any for a wildcard address.
    allowed_hosts: tuple[str, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "host", normalize_host(self.host))
        if self.token is not None:
            check_token(self.token)
        if self.request_seconds <= 0 or self.query_seconds <= 0 or self.header_seconds <= 0:
            raise InputError("time limits must be positive",
                             hint="give --request-timeout and --query-timeout in seconds, e.g. 20")
        if self.query_seconds >= self.request_seconds:  # the query stops (400) before the request (503)
            object.__setattr__(self, "query_seconds", max(0.5, self.request_seconds * 0.8))
        if self.max_body_bytes < 1024:
            raise InputError("the request body limit is below 1 KiB",
                             hint="give --max-body of at least 1024 bytes")
        if self.max_connections < 2:
            raise InputError("the connection limit is below 2", hint="give --max-connections of at least 2")
        if not is_loopback(self.host) and self.token is None:
            raise InputError(
                f"refusing to serve on {self.host} without a token: anyone who can reach it could "
                "use the API",
                hint=f"give the token in {TOKEN_ENV} or a file (--token-file) so that requests must send it, "
                "or bind to 127.0.0.1 (the default)",
            )

    def trusted_hosts(self) -> list[str]:
        """Host header values accepted (without port); ``["*"]``: any."""
        if self.allowed_hosts:
            return [normalize_host(h).lower() for h in self.allowed_hosts]
        host = self.host.lower()
        if host in ("0.0.0.0", "::"):  # every interface: the names it is reached by are unknown
            return ["*"]
        names = {host}
        if is_loopback(host):
            names |= {"localhost", "127.0.0.1", "::1"}
        return sorted(names)


def normalize_host(host: str) -> str:
    """``[::1]`` → ``::1`` (the brackets belong in URLs, not in an address to bind); an InputError
    for what is no address or host name at all, before anything is loaded."""
    text = host.strip()
    if text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    if not text or any(c.isspace() for c in text) or "/" in text or text.count("[") or text.count("]"):
        raise InputError(f"--host {host!r} is not an address or host name",
                         hint="give an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name of this machine")
    try:
        ipaddress.ip_address(text)
    except ValueError:
        if ":" in text or not all(part and len(part) < 64 for part in text.split(".")):
            raise InputError(f"--host {host!r} is not an address or host name",
                             hint="give an IP address (127.0.0.1, ::1, 0.0.0.0) or a host name of this machine") from None
    return text


def check_token(token: str) -> str:
    """A token clients can send: printable ASCII without spaces (HTTP headers carry ASCII)."""
    hint = ("use a token of printable ASCII letters, digits and punctuation, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(32))'")
    if not token.strip():
        raise InputError("the token is empty", hint=hint)
    if not all(33 <= ord(c) <= 126 for c in token):
        raise InputError("the token has characters an HTTP header cannot carry (non-ASCII, spaces or "
                         "control characters)", hint=hint)
    return token


def read_token(token_file: str | Path | None) -> str | None:
    """The token from ``token_file`` (its first line) or the environment (:data:`TOKEN_ENV`, read
    through :func:`kgreason.settings.get_settings`); None when neither gives one."""
    if token_file is not None:
        path = Path(token_file)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(f"cannot read the token file {path}: {getattr(exc, 'strerror', None) or exc}",
                             hint="give a readable UTF-8 file whose first line is the token") from None
        lines = text.splitlines()
        token = lines[0].strip() if lines else ""
        if not token:
            raise InputError(f"the token file {path} is empty", hint="write the token on its first line")
        return check_token(token)
    from kgreason.settings import get_settings

    secret = get_settings().token
    value = secret.get_secret_value().strip() if secret is not None else ""
    return check_token(value) if value else None


def is_loopback(host: str) -> bool:
    """Whether ``host`` is only reachable from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip().strip("[]")).is_loopback
    except ValueError:  # a host name other than localhost may resolve to anything
        return False
