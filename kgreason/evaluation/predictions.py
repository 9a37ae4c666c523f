"""predictions.jsonl: one JSON record per (mode, example), appended and flushed as produced, so
that a killed run loses nothing already written and ``--resume`` can skip what is done."""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)


class PredictionLog:
    """Append-only JSON-lines file of prediction records keyed by ``(mode, key)``."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        #: 1-based numbers of the lines the last :meth:`load` skipped (not a record)
        self.bad_lines: list[int] = []

    def load(self) -> list[dict[str, Any]]:
        """Records already written. A line that is not a record (corrupted, edited by hand) is
        skipped and reported with its line number, never the good lines after it; it stays in
        the file for inspection. Only a half-written last line (the run was killed mid-write:
        no newline, not a whole record) is cut off, so that the next append starts on a clean
        line; a whole last record that only lacks its newline is kept and the newline added."""
        self.bad_lines = []
        if not self.path.exists():
            return []
        records: list[dict[str, Any]] = []
        data = self.path.read_bytes()
        lines = data.split(b"\n")
        tail = lines.pop()  # b"" when the file ends with a newline
        for number, raw in enumerate(lines, start=1):
            if not raw.strip():
                continue
            record = _record(raw)
            if record is None:
                self.bad_lines.append(number)
            else:
                records.append(record)
        if tail.strip():
            record = _record(tail)
            with self.path.open("r+b") as handle:
                if record is None:
                    log.warning(
                        "%s:%d: dropping a partly written last record (the run was stopped while writing it)",
                        self.path,
                        len(lines) + 1,
                    )
                    handle.truncate(len(data) - len(tail))
                else:
                    records.append(record)
                    handle.seek(0, os.SEEK_END)
                    handle.write(b"\n")
        elif tail:  # only whitespace after the last newline
            with self.path.open("r+b") as handle:
                handle.truncate(len(data) - len(tail))
        if self.bad_lines:
            shown = ", ".join(str(n) for n in self.bad_lines[:20])
            more = f" and {len(self.bad_lines) - 20} more" if len(self.bad_lines) > 20 else ""
            log.warning(
                "%s: skipped %d line(s) that are not prediction records (line %s%s); "
                "their examples are run again — fix or delete those lines to silence this",
                self.path,
                len(self.bad_lines),
                shown,
                more,
            )
        return records

    def reset(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text("", encoding="utf-8")

    def append(self, records: Iterable[dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as handle:
            for record in records:
                handle.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            handle.flush()
            os.fsync(handle.fileno())


def _record(raw: bytes) -> dict[str, Any] | None:
    """One line as a prediction record, or None when it is not one."""
    try:
        record = json.loads(raw)
    except ValueError:  # JSONDecodeError, or bytes that are not UTF-8
        return None
    if not isinstance(record, dict) or not isinstance(record.get("mode"), str) or "key" not in record:
        return None
    if any(name not in record for name in REQUIRED):  # valid JSON, but not a whole record
        return None
    return record


#: What every prediction record has (the metrics read them): a line without one is not a record.
REQUIRED = ("key", "mode", "gold", "predicted")


def done_keys(records: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["mode"], r["key"]) for r in records}
