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


class MissingExtraError(KGReasonError):
    """A command needs an optional part of kgreason that is not installed (an extra: ``models``,
    ``serve``, ``eval``, ``ray``); ``extra`` names it, the hint is the pip command that adds it."""

    def __init__(self, message: str, *, extra: str, hint: str | None = None):
        super().__init__(message, hint=hint)
        self.extra = extra


def file_error(path, exc: OSError, *, what: str = "file") -> InputError:
    """An OSError on a file the user named, as one line (what, which file, how to fix) instead
    of the exception's class name: a symlink loop, no permission, anything else the OS says."""
    import errno

    where = str(path)
    if exc.errno == errno.ELOOP:
        return InputError("symlink loop: a link in the path leads back to itself", where=where,
                          hint=f"point the link at the {what} itself (ls -l shows where it leads)")
    if exc.errno in (errno.EACCES, errno.EPERM):
        return InputError(f"permission denied: cannot read the {what}", where=where,
                          hint="check the permissions of the file and its folders (ls -l; chmod u+r)")
    if exc.errno == errno.ENOENT:
        return InputError(f"{what} not found", where=where, hint="check the path")
    reason = exc.strerror or " ".join(str(exc).split()) or type(exc).__name__
    return InputError(f"cannot read the {what}: {reason}", where=where,
                      hint=f"check that the {what} exists and can be read")


def unreachable_file(path) -> InputError | None:
    """Why ``path`` cannot be reached although it may exist (``Path.exists()`` is False for a
    symlink loop and behind a folder without permission), or None if the OS says nothing more."""
    import errno
    import os

    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ELOOP, errno.EACCES, errno.EPERM):
            return file_error(path, exc)
    return None
