"""JSON out: answers serialized like the CLI's ``--json`` and errors as ``{"error", "where",
"hint"}`` on one line each, the keys ``kgreason ... --json`` prints for an error."""

from __future__ import annotations

import json
from typing import Any

from fastapi.responses import JSONResponse

from kgreason.errors import KGReasonError


class CLIJSONResponse(JSONResponse):
    """``json.dumps(..., ensure_ascii=False, default=str)``: the encoding of ``--json`` output
    (kgreason.cli.common.print_json), so the API returns the same JSON values as the CLI."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def one_line(text: str | None) -> str | None:
    """A message on one line (messages may quote a library's multi-line text), like the CLI."""
    if text is None:
        return None
    return " ".join(line.strip() for line in str(text).splitlines() if line.strip())


def error_body(message: str, where: str | None = None, hint: str | None = None) -> dict[str, Any]:
    return {"error": one_line(message), "where": one_line(where), "hint": one_line(hint)}


def error_response(status: int, message: str, where: str | None = None, hint: str | None = None,
                   headers: dict[str, str] | None = None) -> CLIJSONResponse:
    return CLIJSONResponse(error_body(message, where, hint), status_code=status, headers=headers)


def kgreason_error_response(exc: KGReasonError) -> CLIJSONResponse:
    """A KGReasonError (bad question, unknown prefix, bad SPARQL ...) is the client's: 400."""
    return error_response(400, exc.message, exc.where, exc.hint)
