"""``kgreason first-order THEORY CONCLUSION``: a first-order English theory proved by z3."""

from __future__ import annotations

from pathlib import Path

import typer

from kgreason.cli.common import JSON_OPTION, console, print_json
from kgreason.errors import InputError

COLORS = {"true": "green", "false": "red", "unknown": "yellow", "inconsistent": "magenta"}


def first_order(
    theory: Path = typer.Argument(..., metavar="THEORY", help="A text file of English sentences (one premise each)."),
    conclusion: str = typer.Argument(..., metavar="CONCLUSION", help="The English statement to decide."),
    timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Seconds the prover may take."),
    json: bool = JSON_OPTION,
) -> None:
    """Decide a statement from first-order English (all, some, no, only, either … or, unless)
    with a theorem prover: TRUE / FALSE / UNKNOWN / INCONSISTENT, numbered proof steps naming the
    premises, or a world where the premises hold and the statement fails."""
    from kgreason.errors import file_error
    from kgreason.language.english_words import split_sentences
    from kgreason.pipeline.first_order import answer_first_order

    try:
        text = theory.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{theory} is not UTF-8 text", hint="re-save the file as UTF-8") from None
    except OSError as exc:
        raise file_error(theory, exc, what="theory") from None
    premises = [s for _, s in split_sentences(text)]
    if not premises:
        raise InputError(f"{theory} holds no sentences", hint="write one English sentence per premise")
    result = answer_first_order(premises, conclusion, timeout_s=timeout)
    show_result(result, conclusion, premises, json)


def show_result(result, conclusion: str, premises: list, json: bool) -> None:
    """A first-order answer as `kgreason first-order` and `kgreason prove -s` print it."""
    if json:
        print_json({"conclusion": conclusion, "premises": premises, **result.to_json()})
        return
    color = COLORS[result.answer]
    console.print(f"[bold {color}]{result.answer.upper()}[/bold {color}]  {conclusion}", highlight=False)
    for line in result.steps:
        console.print("  " + line, markup=False, highlight=False, soft_wrap=True)
    if result.countermodel:
        console.print("  a world where every premise holds and the statement does not:", highlight=False)
        for line in result.countermodel:
            console.print("    " + line, markup=False, highlight=False, soft_wrap=True)
    if result.message:
        console.print(f"  {result.message}", markup=False, highlight=False, soft_wrap=True)
    for index, sentence, why in result.reading.unread:
        where = "the statement" if index < 0 else f"premise {index + 1}"
        console.print(f"  not understood ({where}): {sentence} — {why}", markup=False, highlight=False,
                      soft_wrap=True)


def register(app: typer.Typer) -> None:
    app.command("first-order")(first_order)
