"""Errors users see. Every message says what went wrong, where, and how to fix it.

The CLI prints ``str(error)`` on one line and exits non-zero; tracebacks only with ``--debug``.
"""

from __future__ import annotations


class KGReasonError(Exception):
    """Base class: ``message`` (what), ``where`` (file:line:col or a name), ``hint`` (how to fix)."""

    exit_code = 1

    def __init__(self, message: str, *, where: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        text = f"{self.where}: {self.message}" if self.where else self.message
        if self.hint:
            text += f" — {self.hint}"
        return text


class InputError(KGReasonError):
    """A file or argument the user gave cannot be used (missing, wrong format, empty...)."""

    exit_code = 2


class ParseError(InputError):
    """A file could not be parsed; ``where`` is ``path:line:column`` when known."""

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        column: int | None = None,
        hint: str | None = None,
    ):
        where = path
        if path is not None and line is not None:
            where = f"{path}:{line}" + (f":{column}" if column is not None else "")
        super().__init__(message, where=where, hint=hint)
        self.path, self.line, self.column = path, line, column

    @classmethod
    def from_json(cls, exc, path, *, line: int | None = None, hint: str, what: str = "malformed JSON") -> ParseError:
        """A ``json.JSONDecodeError`` as a ParseError at its line:column (``line`` overrides the
        decoder's line, for one-record-per-line files)."""
        return cls(f"{what}: {exc.msg}", path=str(path), line=line or exc.lineno, column=exc.colno, hint=hint)


class RuleError(ParseError):
    """A user rule is malformed or the rule set cannot be evaluated (e.g. not stratifiable)."""


class ReasoningError(KGReasonError):
    """The reasoner stopped: a limit was hit or the rule set does not terminate in practice."""


class IndexMismatchError(KGReasonError):
    """An on-disk index does not match the graph, the embedder or its own manifest."""


class ModelError(KGReasonError):
    """A model cannot be resolved or loaded (offline, missing files, wrong architecture)."""


class ConfigError(InputError):
    """A pipeline config or setting is invalid."""
