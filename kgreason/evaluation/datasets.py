"""Dataset readers for batch evaluation: every format becomes a list of :class:`Example`.

Formats (``--format``; ``auto`` detects from the extension and the first record):

* ``nli`` — premise/hypothesis/label rows in JSONL, JSON, CSV, TSV, Parquet or a HF ``datasets``
  folder (``save_to_disk``). Field names: ``premise``/``hypothesis``/``label`` or SNLI/MNLI
  ``sentence1``/``sentence2``/``gold_label``. Integer labels follow the MNLI/SNLI order
  **0 = entailment, 1 = neutral, 2 = contradiction**; ``-`` and ``-1`` (no gold label) are
  skipped and counted.
* ``logiclm`` — the Logic-LM JSON list (``context``, ``question``, ``options``, ``answer``
  letter mapped through the option text True/False/Unknown).
* ``proofwriter`` — the original ProofWriter JSONL (``theory`` + ``questions`` with
  ``answer`` and ``QDep``); one example per question.
* ``questions`` — ``{"question", "answer": yes|no|unknown}`` JSONL asked against ``--graph``;
  open questions (which / what / who / how many / what is) give their gold answers as a list,
  ``{"question", "answers": ["penguin", "cs:Emu", ...]}`` (labels or prefixed names), scored
  by answer-set precision / recall / F1 and exact match.

Other packages add formats (``kgreason plugins`` lists them; see :data:`FORMATS`).

Labels normalise to ``entailment`` / ``contradiction`` / ``neutral`` (= true / false / unknown =
yes / no / unknown).
"""

from __future__ import annotations

import csv
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kgreason.errors import InputError, ParseError, file_error, unreachable_file
from kgreason.evaluation.labels import (
    NoGoldLabel,
    normalize_label,
    statement_from_question,
    world_from_id,
)
from kgreason.plugins import dataset_formats

log = logging.getLogger(__name__)

#: ``auto`` and the built-in formats; every format registered in
#: :data:`kgreason.plugins.dataset_formats` is accepted (a package adds one through the entry-point
#: group ``kgreason.dataset_formats``: ``read(path, split, skipped) -> Iterable[Example | dict]``,
#: counting what it skips in ``skipped``).
FORMATS = ("auto", "nli", "folio", "logiclm", "proofwriter", "questions")

_OPTION = re.compile(r"^\s*\(?([A-Za-z])[).:]\s*(.+?)\s*$")


@dataclass
class Example:
    """One evaluation item. ``premise`` is the theory (or NLI premise); None for graph questions."""

    key: str
    hypothesis: str
    label: str | None
    premise: str | None = None
    question: str | None = None
    depth: int | None = None
    closed_world: bool | None = None
    kind: str = "nli"  # nli | theory | questions
    source: str = ""
    meta: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Example:
        return cls(**data)


@dataclass
class Dataset:
    """Examples read from one or more files, with what was skipped and a content fingerprint."""

    examples: list[Example]
    format: str
    paths: list[str]
    skipped: dict[str, int] = field(default_factory=dict)
    fingerprint: str = ""
    #: the world assumption forced on every example (``--closed-world/--open-world``); None: from ids
    closed_world: bool | None = None

    def summary(self) -> dict[str, Any]:
        return {
            "paths": self.paths,
            "format": self.format,
            "examples": len(self.examples),
            "skipped": self.skipped,
            "fingerprint": self.fingerprint,
        }


# --------------------------------------------------------------------------- raw records
def _json_records(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, record) from a JSON list/object file or a JSON-lines file."""
    text = path.read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ParseError.from_json(
                exc, path, what="invalid JSON", hint="fix the JSON or use one record per line"
            ) from exc
        for i, record in enumerate(data):
            yield i + 1, record
        return
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            raise ParseError.from_json(
                exc, path, line=number, what="invalid JSON line", hint="each line must be one JSON object"
            ) from exc


def _table_records(path: Path, split: str | None) -> Iterator[tuple[int, dict[str, Any]]]:
    suffix = path.suffix.lower()
    if path.is_dir():
        yield from _hf_records(path, split)
    elif suffix == ".parquet":
        from kgreason.extras import require

        require("eval", "pyarrow", what="reading a Parquet dataset")
        import pyarrow.parquet as pq

        for i, record in enumerate(pq.read_table(path).to_pylist()):
            yield i + 1, record
    elif suffix in (".csv", ".tsv", ".txt"):
        with path.open(encoding="utf-8", newline="") as handle:
            if suffix == ".csv":
                reader = csv.DictReader(handle)
            else:  # MNLI/SNLI TSVs contain unbalanced quotes: read them raw
                reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for i, record in enumerate(reader):
                yield i + 2, record
    else:
        yield from _json_records(path)


def _hf_records(path: Path, split: str | None) -> Iterator[tuple[int, dict[str, Any]]]:
    """A folder written by ``datasets`` ``save_to_disk`` (Dataset or DatasetDict)."""
    from kgreason.extras import require

    require("eval", "datasets", what="reading a saved Hugging Face dataset folder")
    from datasets import DatasetDict, load_from_disk

    try:
        data = load_from_disk(str(path))
    except FileNotFoundError as exc:
        raise InputError(
            f"{path} is not a saved HF dataset",
            hint="pass a folder written by Dataset.save_to_disk, or a .jsonl/.csv/.parquet file",
        ) from exc
    if isinstance(data, DatasetDict):
        names = list(data.keys())
        if split is None:
            preferred = [
                n for n in ("test", "validation", "validation_matched", "dev") if n in names
            ]
            split = preferred[0] if preferred else names[0]
        if split not in data:
            raise InputError(
                f"split {split!r} not in {path}", hint=f"use --split with one of {names}"
            )
        data = data[split]
    for i, record in enumerate(data):
        yield i + 1, record


def _peek(path: Path, split: str | None) -> dict[str, Any]:
    for _, record in _table_records(path, split):
        if not isinstance(record, dict):
            raise InputError(
                f"{path}: records must be JSON objects", hint="see `kgreason eval --help`"
            )
        return record
    raise InputError(f"{path} holds no examples", hint="check the file is the dataset you meant")


def detect_format(path: Path, split: str | None = None) -> str:
    """Guess the format from the first record's field names."""
    record = _peek(path, split)
    keys = set(record)
    if {"context", "question", "answer"} <= keys and "options" in keys:
        return "logiclm"
    if "questions" in keys and ({"theory", "context"} & keys):
        return "proofwriter"
    if {"premises", "conclusion"} <= keys:
        return "folio"
    if ({"premise", "hypothesis"} <= keys) or ({"sentence1", "sentence2"} <= keys):
        return "nli"
    if "question" in keys and ({"answer", "answers"} & keys):
        return "questions"
    raise InputError(
        f"cannot tell the format of {path} from its fields {sorted(keys)}",
        hint="use premise/hypothesis/label, sentence1/sentence2/gold_label, Logic-LM "
        "context/question/options/answer, ProofWriter theory/questions, or question/answer; "
        "or pass --format",
    )


# --------------------------------------------------------------------------- readers
def _first(record: dict[str, Any], *names: str) -> Any:
    for name in names:
        if name in record and record[name] is not None:
            return record[name]
    return None


def read_nli(path: Path, split: str | None, skipped: dict[str, int]) -> Iterator[Example]:
    for number, record in _table_records(path, split):
        premise = _first(record, "premise", "sentence1")
        hypothesis = _first(record, "hypothesis", "sentence2")
        if premise is None or hypothesis is None:
            raise ParseError(
                "row has no premise/hypothesis",
                path=str(path),
                line=number,
                hint="name the fields premise/hypothesis or sentence1/sentence2",
            )
        label = _gold(_first(record, "gold_label", "label"), path, number, skipped)
        if label is None:
            continue
        key = str(_first(record, "id", "pairID", "idx") or f"{path.name}:{number}")
        yield Example(
            key=key,
            premise=str(premise),
            hypothesis=str(hypothesis),
            label=label,
            kind="nli",
            source=f"{path}:{number}",
        )


def read_folio(path: Path, split: str | None, skipped: dict[str, int]) -> Iterator[Example]:
    """FOLIO's own JSONL: ``premises`` (a list of sentences), ``conclusion``, ``label``
    True / False / Unknown (or Uncertain); its ``premises-FOL`` are kept in ``meta`` for checks."""
    for number, record in _table_records(path, split):
        premises = record.get("premises")
        if isinstance(premises, str):
            premises = [premises]
        if not isinstance(premises, list) or not record.get("conclusion"):
            raise ParseError("row has no premises list / conclusion", path=str(path), line=number,
                             hint="FOLIO rows: premises (a list of sentences), conclusion, label")
        label = _gold(record.get("label"), path, number, skipped)
        if label is None:
            continue
        sentences = [str(p).strip() for p in premises if str(p).strip()]
        text = " ".join(p if p.endswith((".", "!", "?")) else p + "." for p in sentences)
        key = str(_first(record, "example_id", "id") or f"{path.name}:{number}")
        meta: dict[str, Any] = {"premises": sentences}
        if record.get("premises-FOL"):
            meta["premises_fol"] = list(record["premises-FOL"])
        if record.get("story_id") is not None:
            meta["story_id"] = record["story_id"]
        yield Example(key=key, premise=text, hypothesis=str(record["conclusion"]).strip(), label=label,
                      kind="theory", source=f"{path}:{number}", meta=meta)


def _option_labels(options: list[str]) -> dict[str, str]:
    """``["A) True", "B) False", "C) Unknown"]`` → {"A": "entailment", ...}."""
    mapping = {}
    for option in options:
        match = _OPTION.match(option)
        if not match:
            raise ValueError(f"option {option!r} is not like 'A) True'")
        mapping[match.group(1).upper()] = normalize_label(match.group(2))
    return mapping


def read_logiclm(path: Path, split: str | None, skipped: dict[str, int]) -> Iterator[Example]:
    for number, record in _table_records(path, split):
        try:
            options = _option_labels(record["options"])
            letter = str(record["answer"]).strip().strip("()").upper()[:1]
            label = options[letter]
        except (KeyError, ValueError) as exc:
            raise ParseError(
                f"cannot map answer {record.get('answer')!r} through options "
                f"{record.get('options')}: {exc}",
                path=str(path),
                line=number,
                hint="Logic-LM options must read True/False/Unknown",
            ) from exc
        key = str(record.get("id") or f"{path.name}:{number}")
        depth = None
        explanation = record.get("explanation")
        if isinstance(explanation, list) and len(explanation) >= 3:
            depth = (len(explanation) - 1) // 2  # ProntoQA: fact, then (rule, conclusion) per hop
        yield Example(
            key=key,
            premise=record["context"],
            hypothesis=statement_from_question(record["question"]),
            question=record["question"],
            label=label,
            depth=depth,
            closed_world=world_from_id(key),
            kind="theory",
            source=f"{path}:{number}",
            meta={"labels": sorted(set(options.values()))},
        )


def read_proofwriter(path: Path, split: str | None, skipped: dict[str, int]) -> Iterator[Example]:
    for number, record in _table_records(path, split):
        theory = _first(record, "theory", "context")
        theory_id = str(record.get("id") or f"{path.name}:{number}")
        questions = record.get("questions") or {}
        items = (
            questions.items()
            if isinstance(questions, dict)
            else ((q.get("id", f"Q{i + 1}"), q) for i, q in enumerate(questions))
        )
        for qid, q in items:
            text = _first(q, "question", "text")
            label = _gold(_first(q, "answer", "label"), path, number, skipped)
            if label is None:
                continue
            qdep = _first(q, "QDep") if "QDep" in q else (q.get("meta") or {}).get("QDep")
            depth = int(qdep) if isinstance(qdep, (int, float)) or str(qdep).isdigit() else None
            key = qid if str(qid).startswith(theory_id) else f"{theory_id}_{qid}"
            yield Example(
                key=str(key),
                premise=theory,
                hypothesis=str(text),
                question=str(text),
                label=label,
                depth=depth,
                closed_world=world_from_id(theory_id),
                kind="theory",
                source=f"{path}:{number}",
            )


def _gold(raw, path: Path, number: int, skipped: dict[str, int]) -> str | None:
    """The normalised gold label, or None (counted in ``skipped``) for "-"/missing labels."""
    try:
        return normalize_label(raw)
    except NoGoldLabel:
        skipped["no_gold_label"] = skipped.get("no_gold_label", 0) + 1
        return None
    except ValueError as exc:
        raise ParseError(str(exc), path=str(path), line=number) from exc


def read_questions(path: Path, split: str | None, skipped: dict[str, int]) -> Iterator[Example]:
    for number, record in _table_records(path, split):
        meta: dict[str, Any] = {}
        answers = record.get("answers")
        if answers is not None:  # an open question: its gold answers, no yes/no label
            if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
                raise ParseError("'answers' must be a list of labels or names (strings)",
                                 path=str(path), line=number)
            label, meta["answers"] = None, list(answers)
        else:
            label = _gold(_first(record, "answer", "label"), path, number, skipped)
            if label is None:
                continue
        depth = record.get("depth")
        yield Example(
            key=str(record.get("id") or f"{path.name}:{number}"),
            hypothesis=str(record["question"]),
            question=str(record["question"]),
            label=label,
            depth=int(depth) if depth is not None else None,
            kind="questions",
            source=f"{path}:{number}",
            meta=meta,
        )


def _examples(fmt: str, path: Path, split: str | None, skipped: dict[str, int]) -> Iterator[Example]:
    """The examples of the registered dataset format ``fmt``: its ``read(path, split, skipped)``
    yields :class:`Example` objects (or dicts of their fields)."""
    reader = dataset_formats.get(fmt)
    origin = "" if fmt in FORMATS else f" (the {fmt!r} dataset format plugin)"
    for item in reader(path, split, skipped):
        if isinstance(item, dict):
            try:
                item = Example(**item)
            except TypeError as exc:
                raise InputError(f"{path}: a record read as {fmt!r}{origin} is not an example: {exc}",
                                 hint="give each example the fields of kgreason.evaluation.Example "
                                      "(key, hypothesis, label; premise, ...)") from None
        if not isinstance(item, Example):
            raise InputError(f"{path}: the {fmt!r} reader{origin} gave a {type(item).__name__}, not an "
                             "example", hint="yield kgreason.evaluation.Example objects or dicts of their fields")
        yield item


def file_fingerprint(paths: Iterable[Path]) -> str:
    """sha256 over the bytes of the dataset files (folders: every file inside, sorted)."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            digest.update(file.name.encode())
            with file.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
    return digest.hexdigest()[:16]


def read_dataset(
    paths: Iterable[str | Path],
    format: str = "auto",
    *,
    split: str | None = None,
    limit: int | None = None,
    closed_world: bool | None = None,
) -> Dataset:
    """Read examples from every path. ``closed_world`` overrides what ids say (None = detect)."""
    paths = [Path(p) for p in paths]
    if format != "auto" and format not in dataset_formats:
        raise InputError(
            f"unknown dataset format {format!r}",
            hint=f"use auto or one of: {', '.join(dataset_formats.names())} (see `kgreason plugins`)")
    examples: list[Example] = []
    skipped: dict[str, int] = {}
    formats: list[str] = []
    for path in paths:
        if not path.exists():
            raise unreachable_file(path) or InputError(f"dataset {path} does not exist", hint="check the path")
        try:
            fmt = detect_format(path, split) if format == "auto" else format
            formats.append(fmt)
            for example in _examples(fmt, path, split, skipped):
                if closed_world is not None:
                    example.closed_world = closed_world
                examples.append(example)
                if limit is not None and len(examples) >= limit:
                    break
        except UnicodeDecodeError as exc:
            raise InputError(
                f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
                where=str(path),
                hint="re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)",
            ) from None
        except OSError as exc:  # no permission, a folder, ...: one line that names the file
            raise file_error(path, exc, what="dataset") from None
        if limit is not None and len(examples) >= limit:
            break
    seen: dict[str, int] = {}
    for example in examples:  # keys must be unique for --resume
        count = seen.get(example.key, 0)
        seen[example.key] = count + 1
        if count:
            example.key = f"{example.key}#{count}"
    if skipped:
        log.info("skipped %s", skipped)
    return Dataset(
        examples=examples,
        format="+".join(dict.fromkeys(formats)),
        paths=[str(p) for p in paths],
        skipped=skipped,
        fingerprint=file_fingerprint(paths),
        closed_world=closed_world,
    )
