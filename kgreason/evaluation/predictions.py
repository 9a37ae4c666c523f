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

    def load(self) -> list[dict[str, Any]]:
        """Records already written. A half-written last line (the run was killed mid-write) is
        cut off so that the next append starts on a clean line."""
        if not self.path.exists():
            return []
        records: list[dict[str, Any]] = []
        good_bytes = 0
        with self.path.open("rb") as handle:
            for raw in handle:
                if not raw.endswith(b"\n"):
                    break
                try:
                    records.append(json.loads(raw))
                except json.JSONDecodeError:
                    break
                good_bytes += len(raw)
        if good_bytes != self.path.stat().st_size:
            log.warning("%s: dropping a partly written last record", self.path)
            with self.path.open("r+b") as handle:
                handle.truncate(good_bytes)
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


def done_keys(records: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    return {(r["mode"], r["key"]) for r in records}
