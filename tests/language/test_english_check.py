"""Questions in another language are refused in one line, before anything loads; English
questions — with names, made-up words and particles ("Rio de Janeiro") — never are."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kgreason.errors import InputError
from kgreason.language.english_check import foreign_language, require_english
from kgreason.language.questions import check_question

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared" / "data"


@pytest.mark.parametrize("question, language", [
    ("Les pingouins peuvent-ils voler ?", "French"),
    ("Est-ce que les oiseaux volent ?", "French"),
    ("Können Pinguine fliegen?", "German"),
    ("Ist die Sonne ein Stern?", "German"),
    ("¿Pueden volar los pingüinos?", "Spanish"),
    ("I pinguini possono volare?", "Italian"),
    ("Os pinguins podem voar?", "Portuguese"),
    ("Kunnen pinguïns vliegen?", "Dutch"),
    ("Могут ли пингвины летать?", "Cyrillic"),
    ("企鹅会飞吗？", "Chinese"),
])
def test_other_languages_are_named(question, language):
    assert foreign_language(question) == language
    with pytest.raises(InputError, match=f"in {language}: kgreason reads questions in English"):
        check_question(question)


@pytest.mark.parametrize("question", [
    "Is La Paz the capital of Bolivia?", "Is Rio de Janeiro in Brazil?", "Do all birds die?",
    "Is Los Angeles de facto a city?", "Can Zoë eat crème brûlée?", "Is Der Spiegel a magazine?",
    "Does Van der Waals force exist?", "Every wumpus is a yumpus.", "Can penguins fly?",
])
def test_english_with_names_is_english(question):
    assert foreign_language(question) is None
    require_english(question)


def _english_questions() -> list[str]:
    texts = []
    files = sorted((ROOT / "tests" / "data" / "questions").glob("*.jsonl"))
    files += sorted((ROOT / "tests" / "data" / "eval").glob("*.jsonl"))
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                texts += [row[k] for k in ("question", "hypothesis", "premise") if isinstance(row.get(k), str)]
    for name in ("pararules-dev-owa.jsonl", "folio-train.jsonl"):
        path = SHARED / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines()[:2000]:
                row = json.loads(line)
                texts += [v for k, v in row.items() if k in ("question", "conclusion") and isinstance(v, str)]
                texts += [q["text"] for q in row.get("questions", []) if isinstance(q, dict) and "text" in q]
    return texts


def test_no_english_question_of_the_tables_and_datasets_is_refused():
    texts = _english_questions()
    assert len(texts) > 200
    assert [t for t in texts if foreign_language(t)] == []


def test_the_cli_refuses_in_one_line_in_under_a_second_of_its_own():
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "kgreason.cli", "ask", "Les pingouins peuvent-ils voler ?"],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode != 0
    lines = [x for x in (run.stdout + run.stderr).splitlines() if x.strip()]
    assert len(lines) == 1 and "kgreason reads questions in English" in lines[0]
    assert "torch" not in run.stderr
    # the bound is for a loaded 2-core machine; the interpreter's own start is most of it
    assert time.perf_counter() - start < 5
