"""Every reader on tiny files; label mapping; format detection; fingerprints."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgreason.errors import InputError, ParseError
from kgreason.evaluation.datasets import detect_format, read_dataset
from kgreason.evaluation.labels import (
    NoGoldLabel,
    normalize_label,
    statement_from_question,
    world_from_id,
)

DATA = Path(__file__).parent.parent / "data" / "eval"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("entailment", "entailment"),
        ("Contradiction", "contradiction"),
        ("neutral", "neutral"),
        ("True", "entailment"),
        ("false", "contradiction"),
        ("Unknown", "neutral"),
        ("yes", "entailment"),
        ("no", "contradiction"),
        ("Uncertain", "neutral"),
        (True, "entailment"),
        (False, "contradiction"),
        (0, "entailment"),
        (1, "neutral"),
        (2, "contradiction"),
        ("2", "contradiction"),
    ],
)
def test_label_mapping(raw, expected):
    assert normalize_label(raw) == expected


@pytest.mark.parametrize("raw", ["-", -1, "-1", None, ""])
def test_missing_gold_labels_are_signalled(raw):
    with pytest.raises(NoGoldLabel):
        normalize_label(raw)


@pytest.mark.parametrize("raw", [3, "maybe"])
def test_bad_labels_are_errors(raw):
    with pytest.raises(ValueError):
        normalize_label(raw)


def test_statement_prefixes_are_stripped():
    assert (
        statement_from_question(
            "Based on the above information, is the following statement "
            "true, false, or unknown? The cat is big."
        )
        == "The cat is big."
    )
    assert (
        statement_from_question("Is the following statement true or false? Max is sour.")
        == "Max is sour."
    )
    assert statement_from_question("True or false: Bob is red.") == "Bob is red."
    assert statement_from_question("Bob is red.") == "Bob is red."


def test_world_from_ids():
    assert world_from_id("ProofWriter_AttNeg-OWA-D5-1041_Q1") is False
    assert world_from_id("RelNoneg-CWA-D0-2") is True
    assert world_from_id("ProntoQA_1") is None


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("nli.jsonl", "nli"),
        ("snli.jsonl", "nli"),
        ("mnli.tsv", "nli"),
        ("nli_int.csv", "nli"),
        ("logiclm.json", "logiclm"),
        ("proofwriter.jsonl", "proofwriter"),
        ("questions.jsonl", "questions"),
    ],
)
def test_detect_format(name, fmt):
    assert detect_format(DATA / name) == fmt


def test_premise_hypothesis_jsonl_skips_dash():
    data = read_dataset([DATA / "nli.jsonl"])
    assert [e.label for e in data.examples] == ["entailment", "contradiction", "neutral"]
    assert [e.key for e in data.examples] == ["n1", "n2", "n3"]
    assert data.skipped == {"no_gold_label": 1}
    assert data.examples[0].premise.startswith("Bob is cold.")


def test_snli_fields_and_mnli_tsv_with_quote():
    snli = read_dataset([DATA / "snli.jsonl"])
    assert [(e.key, e.label) for e in snli.examples] == [
        ("s1", "entailment"),
        ("s2", "contradiction"),
    ]
    mnli = read_dataset([DATA / "mnli.tsv"])
    assert [e.label for e in mnli.examples] == ["entailment", "contradiction", "neutral"]
    assert mnli.examples[0].premise == 'He said "hi.'  # unbalanced quote kept, not swallowed
    assert mnli.skipped == {"no_gold_label": 1}


def test_csv_integer_labels_use_mnli_order():
    data = read_dataset([DATA / "nli_int.csv"])
    assert [e.label for e in data.examples] == ["entailment", "neutral", "contradiction"]
    assert data.examples[0].premise == "Bob is cold, and Bob is round."
    assert data.skipped == {"no_gold_label": 1}


def test_parquet_and_hf_saved_dataset(tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq
    from datasets import Dataset as HFDataset
    from datasets import DatasetDict

    rows = {"premise": ["A.", "B.", "C."], "hypothesis": ["a", "b", "c"], "label": [0, 2, -1]}
    pq.write_table(pa.table(rows), tmp_path / "x.parquet")
    data = read_dataset([tmp_path / "x.parquet"])
    assert [e.label for e in data.examples] == ["entailment", "contradiction"]
    assert data.skipped == {"no_gold_label": 1}

    DatasetDict(
        {
            "train": HFDataset.from_dict(rows),
            "validation": HFDataset.from_dict({k: v[:1] for k, v in rows.items()}),
        }
    ).save_to_disk(str(tmp_path / "hf"))
    data = read_dataset([tmp_path / "hf"])  # no --split: validation preferred over train
    assert [e.label for e in data.examples] == ["entailment"]
    data = read_dataset([tmp_path / "hf"], split="train")
    assert len(data.examples) == 2
    with pytest.raises(InputError, match="split"):
        read_dataset([tmp_path / "hf"], split="nope")


def test_logiclm_reader():
    data = read_dataset([DATA / "logiclm.json"])
    first, unknown, cwa, pronto = data.examples
    assert first.hypothesis == "Bob is round." and first.label == "entailment"
    assert first.closed_world is False and first.kind == "theory"
    assert unknown.label == "neutral"
    assert cwa.closed_world is True and cwa.label == "contradiction"
    assert pronto.closed_world is None and pronto.label == "contradiction"
    assert pronto.depth == 2  # from the gold explanation: two hops
    assert pronto.meta["labels"] == ["contradiction", "entailment"]
    assert first.depth is None  # Logic-LM ProofWriter gives no QDep


def test_world_override():
    data = read_dataset([DATA / "logiclm.json"], closed_world=True)
    assert all(e.closed_world for e in data.examples)


def test_original_proofwriter_reader():
    data = read_dataset([DATA / "proofwriter.jsonl"])
    got = [(e.key, e.hypothesis, e.label, e.depth, e.closed_world) for e in data.examples]
    assert got == [
        ("AttNeg-OWA-D1-1_Q1", "Bob is round.", "entailment", 1, False),
        ("AttNeg-OWA-D1-1_Q2", "Erin is cold.", "contradiction", 0, False),
        ("AttNeg-OWA-D1-1_Q3", "Erin is round.", "neutral", 0, False),
        ("RelNoneg-CWA-D0-2-1", "The cat likes the dog.", "entailment", 0, True),
        ("RelNoneg-CWA-D0-2-2", "The dog likes the cat.", "contradiction", 0, True),
    ]
    assert data.examples[0].premise.startswith("Bob is cold.")


def test_questions_reader_and_limit():
    data = read_dataset([DATA / "questions.jsonl"], limit=2)
    assert [(e.kind, e.label, e.premise) for e in data.examples] == [
        ("questions", "entailment", None),
        ("questions", "contradiction", None),
    ]


def test_several_files_and_unique_keys():
    data = read_dataset([DATA / "nli.jsonl", DATA / "nli.jsonl"])
    keys = [e.key for e in data.examples]
    assert len(keys) == 6 and len(set(keys)) == 6


def test_fingerprint_follows_content(tmp_path):
    a = tmp_path / "a.jsonl"
    a.write_text((DATA / "nli.jsonl").read_text())
    first = read_dataset([a]).fingerprint
    assert first == read_dataset([a]).fingerprint
    a.write_text((DATA / "nli.jsonl").read_text().replace("Bob", "Rob"))
    assert read_dataset([a]).fingerprint != first


def test_errors_say_where(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"premise": "a", "hypothesis": "b", "label": "entailment"}\n{"premise": oops}\n'
    )
    with pytest.raises(ParseError) as info:
        read_dataset([bad])
    assert "bad.jsonl:2" in str(info.value)
    odd = tmp_path / "odd.jsonl"
    odd.write_text('{"text": "a"}\n')
    with pytest.raises(InputError, match="cannot tell the format"):
        read_dataset([odd])
    with pytest.raises(InputError, match="does not exist"):
        read_dataset([tmp_path / "missing.jsonl"])


def test_forced_format():
    data = read_dataset([DATA / "snli.jsonl"], format="nli")
    assert len(data.examples) == 2
    with pytest.raises(ParseError, match="options"):
        read_dataset([DATA / "nli.jsonl"], format="logiclm")
    with pytest.raises(InputError, match="unknown dataset format"):
        read_dataset([DATA / "nli.jsonl"], format="xml")


@pytest.mark.parametrize("name", ["latin.csv", "latin.jsonl"])
def test_non_utf8_dataset_is_an_input_error(tmp_path, name):
    bad = tmp_path / name
    if name.endswith(".csv"):
        bad.write_bytes(b"premise,hypothesis,label\ncaf\xe9,b,entailment\n")
    else:
        bad.write_bytes(b'{"premise": "caf\xe9", "hypothesis": "b", "label": "entailment"}\n')
    with pytest.raises(InputError, match="not UTF-8 text") as info:
        read_dataset([bad])
    assert info.value.where == str(bad) and "iconv" in str(info.value)
