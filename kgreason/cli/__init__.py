"""The ``kgreason`` command line: a thin typer app. Each command group lives in its own module
and registers itself here; the commands parse options, call the API, and render with rich.

Errors: a :class:`~kgreason.errors.KGReasonError` (and any other exception) prints one line to
stderr and exits non-zero; ``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import importlib
import logging
import sys

import click
import typer
from typer.core import TyperGroup

from kgreason import __version__
from kgreason.errors import InputError, KGReasonError

_state = {"debug": False, "json": False}

#: Usage errors (missing argument, bad option value) that typer itself reports with exit code 2;
#: typer >= 0.2x raises its own ClickException classes (subclasses of typer.TyperException).
_TYPER_USAGE_ERRORS: tuple[type[BaseException], ...] = tuple(
    {click.ClickException, getattr(typer, "TyperException", click.ClickException)}
)

#: Modules that add commands; each defines ``register(app: typer.Typer)``.
COMMAND_MODULES = (
    "kgreason.cli.graph",
    "kgreason.cli.reason",
    "kgreason.cli.first_order",
    "kgreason.cli.index",
    "kgreason.cli.ask",
    "kgreason.cli.train",
    "kgreason.cli.evaluate",
    "kgreason.cli.serve",
    "kgreason.cli.plugins",
    "kgreason.cli.config",
)


def _one_line(exc: BaseException) -> str:
    """The error's text on one line (messages may quote a library's multi-line text)."""
    return " ".join(line.strip() for line in str(exc).splitlines() if line.strip())


def _check_utf8_args(args: list[str]) -> None:
    """Arguments are read as UTF-8; bytes that are not arrive as lone surrogates (Python's
    surrogateescape) and would fail deep inside a library. A file name in another encoding
    that exists is still accepted."""
    import os

    for arg in args:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            if os.path.lexists(arg):
                continue
            shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            raise InputError(
                f"command-line argument \"{shown}\" is not valid UTF-8 (character {exc.start + 1})",
                hint="retype it, or run in a UTF-8 locale (e.g. LANG=C.UTF-8)",
            ) from None


class _ErrorHandlingGroup(TyperGroup):
    """Turns exceptions into one clear line and an exit code (tracebacks only with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            _check_utf8_args([*getattr(ctx, "_protected_args", ()), *ctx.args])
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort):
            raise
        except (typer.Exit, typer.Abort):  # typer >= 0.20 has its own (non-click) classes
            raise
        except _TYPER_USAGE_ERRORS as exc:  # click's or typer's: missing argument, bad value, ...
            if not _state["json"]:
                raise  # typer prints the usage and the error and exits 2
            command = getattr(getattr(exc, "ctx", None), "command_path", None) or ctx.command_path
            _json_error(exc.format_message(), command, f"see '{command} --help'")
            ctx.exit(exc.exit_code)
        except KGReasonError as exc:
            if _state["debug"]:
                raise
            if _state["json"]:
                _json_error(exc.message, exc.where, exc.hint)
            else:
                click.echo(f"error: {_one_line(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            if _state["json"]:
                _json_error("interrupted", None, None)
            else:
                click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `kgreason ... | head`: the reader left; not an error of ours
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)
        except MemoryError:  # "MemoryError:" alone says nothing of what to do
            if _state["debug"]:
                raise
            message = "out of memory"
            hint = ("give a lower --max-facts (or KGREASON_MAX_FACTS) so reasoning stops with a clear error "
                    "first, use --reasoning query-time, or run on a machine with more memory")
            if _state["json"]:
                _json_error(message, None, hint)
            else:
                click.echo(f"error: {message} — {hint}", err=True)
            ctx.exit(1)
        except Exception as exc:  # an unexpected failure: still one line, not a traceback
            if _state["debug"]:
                raise
            if _state["json"]:
                _json_error(f"{type(exc).__name__}: {exc}", None, "run with --debug for the traceback")
            else:
                click.echo(f"error: {type(exc).__name__}: {_one_line(exc)} (run with --debug for the traceback)", err=True)
            ctx.exit(1)

    def main(self, args=None, *rest, **kwargs):
        # With --json, errors are JSON too: seen here, before parsing, so that usage errors of
        # any command (and failures before its --json option is read) come out as JSON.
        argv = list(sys.argv[1:] if args is None else args)
        _state["json"] = "--json" in (argv[: argv.index("--")] if "--" in argv else argv)
        return super().main(args, *rest, **kwargs)


def _json_error(message: str, where: str | None, hint: str | None) -> None:
    """An error as ``{"error", "where", "hint"}`` on stdout (one line each, like the text form)."""
    import json

    click.echo(json.dumps({"error": _one_line(message), "where": where and _one_line(where),
                           "hint": hint and _one_line(hint)}, ensure_ascii=False))


def _flags_show_no_type() -> None:
    """typer >= 0.2x prints every option's type in --help, flags included (``--json <bool>``,
    ``--help <bool>``); a flag takes no value, so it shows none: ``--json``,
    ``--closed-world/--open-world``. Options with a value keep their type (``--graph <list[str]>``)."""
    from typer.core import TyperOption

    shown = getattr(TyperOption, "display_type_rich", None)
    if shown is None or getattr(shown, "kgreason_flags", False):
        return

    def display_type_rich(self, ctx):
        if getattr(self, "is_flag", False) and not getattr(self, "count", False) and self.metavar is None:
            return None
        return shown(self, ctx)

    display_type_rich.kgreason_flags = True
    TyperOption.display_type_rich = display_type_rich


_flags_show_no_type()

#: Python type names typer prints in --help (``<list[str]>``, ``<int>``), as words a user reads.
_TYPE_WORDS = {"str": "TEXT", "int": "INTEGER", "float": "NUMBER", "Path": "PATH", "bool": "BOOLEAN",
               "int range": "INTEGER", "float range": "NUMBER"}


def _readable_type(shown: str | None) -> str | None:
    """``<list[str]>`` → ``TEXT``, ``<int>`` → ``INTEGER``, ``<Path>...`` → ``PATH...``; metavars
    given by hand (``FILE``, ``STRATEGY``) pass unchanged."""
    import re

    if not shown:
        return shown
    match = re.fullmatch(r"<(?:list\[)?([^\]>]+)\]?>(\.\.\.)?", shown)
    if match is None:
        return shown
    word = _TYPE_WORDS.get(match.group(1), match.group(1).upper())
    return word + (match.group(2) or "")


def _help_speaks_words() -> None:
    """typer >= 0.2x shows Python types as metavars (``--graph <list[str]>``) and arguments in
    braces on the usage line (``{theory}``); --help shows words instead (``--graph GRAPH``,
    ``--limit INTEGER``); arguments name their metavar (``THEORY CONCLUSION``)."""
    from typer.core import TyperArgument, TyperOption

    for cls in (TyperOption, TyperArgument):
        shown = getattr(cls, "display_type_rich", None)
        if shown is None or getattr(shown, "kgreason_words", False):
            continue

        def display_type_rich(self, ctx, _shown=shown):
            return _readable_type(_shown(self, ctx))

        display_type_rich.kgreason_words = True
        cls.display_type_rich = display_type_rich


_help_speaks_words()

app = typer.Typer(
    cls=_ErrorHandlingGroup,
    help="Answer questions from a knowledge graph, with a proof.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kgreason {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks instead of one-line errors."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what happens (INFO level)."),
) -> None:
    _state["debug"] = debug
    if not (debug or verbose):
        # Library chatter (deprecation notices, per-load weight bars) is not ours to show users.
        import os
        import warnings

        warnings.filterwarnings("ignore", category=FutureWarning)
        warnings.filterwarnings("ignore", category=DeprecationWarning)
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.INFO if verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()

