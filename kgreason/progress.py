"""Progress bars for kgreason, all drawn with rich on stderr: shown when someone sees them.

:func:`wanted` decides: ``show`` when given (True: always, False: never), else
``KGREASON_PROGRESS`` (``1``/``0``), else whether stderr is a terminal. :func:`progress_bar` is a
bar for a loop of known length (evaluation, WordNet import); training draws its own from a Trainer
callback (:mod:`kgreason.models.trainer`; the Trainer's tqdm bars are off), the reasoner's closure
display is in :mod:`kgreason.cli.progress`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager


def wanted(show: bool | None = None) -> bool:
    """Show progress? ``show`` if given, else ``KGREASON_PROGRESS``, else whether stderr is a TTY."""
    if show is not None:
        return show
    from kgreason.settings import get_settings

    if get_settings().progress is not None:
        return get_settings().progress
    return sys.stderr.isatty()


def new_progress(*columns, transient: bool = False):
    """A rich ``Progress`` on stderr with the given columns (rich's default set when none)."""
    from rich.console import Console
    from rich.progress import Progress

    return Progress(*columns, console=Console(stderr=True), transient=transient)


@contextmanager
def progress_bar(description: str, total: int | None, *, show: bool | None = None, unit: str = "",
                 in_bytes: bool = False, transient: bool = False) -> Iterator[Callable[[int], None]]:
    """``with progress_bar("reading", total) as advance: ... advance(n)``: a bar on stderr when
    :func:`wanted` (``show``) says so; ``advance`` does nothing otherwise."""
    if not wanted(show):
        yield lambda n=1: None
        return
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    count = DownloadColumn() if in_bytes else MofNCompleteColumn()
    columns = [TextColumn("{task.description}"), BarColumn(), count]
    if unit:
        columns.append(TextColumn(unit))
    progress = new_progress(*columns, TimeElapsedColumn(), TimeRemainingColumn(), transient=transient)
    task = progress.add_task(description, total=total)
    with progress:
        yield lambda n=1: progress.advance(task, n)
