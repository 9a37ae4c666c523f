"""A progress display for long closures: rich, on stderr, only when it is slow and someone sees it.

``Reasoner(progress=...)`` takes any ``progress(what, done, total)`` callable (``total`` None when
unknown); :func:`closure_progress` makes the one the CLI uses. Nothing is shown for the first
``delay`` seconds (small graphs stay silent), nor when stderr is not a terminal, unless asked
(``show=True``, or ``KGREASON_PROGRESS=1``; ``KGREASON_PROGRESS=0`` turns it off; see
:func:`kgreason.progress.wanted`).
"""

from __future__ import annotations

import time
from contextlib import contextmanager

from kgreason.progress import new_progress, wanted

__all__ = ["closure_progress", "wanted"]


class _Display:
    def __init__(self, delay: float):
        self.start = time.monotonic()
        self.delay = delay
        self.progress = None
        self.tasks: dict[str, int] = {}
        self.last = 0.0

    def __call__(self, what: str, done: int, total: int | None) -> None:
        now = time.monotonic()
        if now - self.start < self.delay or now - self.last < 0.1:
            return
        self.last = now
        if self.progress is None:
            from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn

            self.progress = new_progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                                         TimeElapsedColumn(), transient=True)
            self.progress.start()
        task = self.tasks.get(what)
        if task is None:
            task = self.tasks[what] = self.progress.add_task(what, total=total)
        self.progress.update(task, completed=done, total=total)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()



@contextmanager
def closure_progress(show: bool | None = None, delay: float = 2.0):
    """``with closure_progress() as progress: Reasoner(kg, progress=progress)...`` — yields
    None when nothing should be shown."""
    if not wanted(show):
        yield None
        return
    display = _Display(delay)
    try:
        yield display
    finally:
        display.stop()
