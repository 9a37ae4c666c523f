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
from kgreason.errors import KGReasonError

_state = {"debug": False}

#: Usage errors (missing argument, bad option value) that typer itself reports with exit code 2;
#: typer >= 0.2x raises its own ClickException classes (subclasses of typer.TyperException).
_TYPER_USAGE_ERRORS: tuple[type[BaseException], ...] = tuple(
    {click.ClickException, getattr(typer, "TyperException", click.ClickException)}
)

#: Modules that add commands; each defines ``register(app: typer.Typer)``.
COMMAND_MODULES = (
    "kgreason.cli.graph",
    "kgreason.cli.reason",
    "kgreason.cli.index",
    "kgreason.cli.ask",
    "kgreason.cli.train",
    "kgreason.cli.evaluate",
)


def _one_line(exc: BaseException) -> str:
    """The error's text on one line (messages may quote a library's multi-line text)."""
    return " ".join(line.strip() for line in str(exc).splitlines() if line.strip())


class _ErrorHandlingGroup(TyperGroup):
    """Turns exceptions into one clear line and an exit code (tracebacks only with --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except (typer.Exit, typer.Abort):  # typer >= 0.20 has its own (non-click) classes
            raise
        except _TYPER_USAGE_ERRORS:  # typer's vendored click: missing argument, bad value, ...
            raise  # typer prints the usage and the error and exits 2
        except KGReasonError as exc:
            if _state["debug"]:
                raise
            click.echo(f"error: {_one_line(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:  # `kgreason ... | head`: the reader left; not an error of ours
            import os

            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(141)
        except Exception as exc:  # an unexpected failure: still one line, not a traceback
            if _state["debug"]:
                raise
            click.echo(f"error: {type(exc).__name__}: {_one_line(exc)} (run with --debug for the traceback)", err=True)
            ctx.exit(1)


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

