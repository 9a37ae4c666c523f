"""First-order theories: read with one vocabulary, proved by z3, answered in English.

Horn theories stay on kgreason's reasoner (its proofs, its closed world); a theory comes here only
when a sentence, as read, needs first-order logic (:func:`needs_prover`: either … or, some, there
is, if and only if, neither … nor, a negated conjunction). Premises the grammar could not read are
left out and named: a proof from the others still holds (first-order logic is monotonic), so an
unread premise can turn an answer into *unknown*, never into a wrong *true* or *false*.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from kgreason.core.formulas import (
    And,
    Equals,
    Exists,
    Formula,
    Iff,
    Not,
    Or,
    Predicate,
    Xor,
    predicates,
    subformulas,
)
from kgreason.language.first_order_alignment import Alignment, align_reading
from kgreason.language.first_order_reading import FirstOrderReading, read_first_order
from kgreason.language.verbalize_formulas import Verbalizer
from kgreason.proving import FirstOrderAnswer, prove
from kgreason.proving.prover import DEFAULT_TIMEOUT_S

#: answer → NLI label (the evaluation's vocabulary)
LABELS = {"true": "entailment", "false": "contradiction", "unknown": "neutral"}


def needs_prover(f: Formula) -> bool:
    """Does ``f`` need more than Horn rules with negated facts?"""
    for g in subformulas(f):
        if isinstance(g, (Or, Xor, Exists, Iff, Equals)):
            return True
        if isinstance(g, Not) and isinstance(g.body, (And, Or, Exists, Not)):
            return True
    return False


@dataclass
class FirstOrderResult:
    """A first-order problem answered, with what people read."""

    answer: str  # true | false | unknown | inconsistent
    reading: FirstOrderReading
    proof: FirstOrderAnswer | None
    steps: list[str] = field(default_factory=list)  # numbered English lines
    countermodel: list[str] = field(default_factory=list)  # English facts of the world
    message: str = ""
    alignments: list[Alignment] = field(default_factory=list)  # phrases read as others' words

    @property
    def label(self) -> str | None:
        return LABELS.get(self.answer)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"answer": self.answer, "message": self.message, "proof": self.steps,
                               "formulas": [str(f) if f is not None else None for f in self.reading.premises],
                               "conclusion_formula": str(self.reading.conclusion) if self.reading.conclusion else None}
        if self.countermodel:
            out["countermodel"] = self.countermodel
        if self.alignments:
            out["aligned"] = [a.to_json() for a in self.alignments]
        if self.reading.unread:
            out["not_understood"] = [{"sentence": s, "premise": i + 1 if i >= 0 else None, "why": w}
                                     for i, s, w in self.reading.unread]
        if self.proof is not None:
            out.update(premises_used=[i + 1 for i in self.proof.used], rechecked=self.proof.rechecked,
                       prover_seconds=round(self.proof.seconds, 3))
        return out


def routes_to_prover(reading: FirstOrderReading) -> bool:
    """A theory goes to the prover when something read in it needs first-order logic."""
    formulas = [f for f in reading.premises if f is not None]
    if reading.conclusion is not None:
        formulas.append(reading.conclusion)
    return any(needs_prover(f) for f in formulas)


def first_order_premises(paths: list[str]) -> list[tuple[str, int, str]] | None:
    """English graph files whose sentences, as read, need first-order logic: their premises as
    (file, line, sentence); None when any path is not a readable ``.txt`` file or the theory is
    Horn (then kgreason's reasoner reads and answers it)."""
    from pathlib import Path

    from kgreason.language.english_words import split_sentences

    if not paths or not all(p.lower().endswith(".txt") and Path(p).is_file() for p in paths):
        return None
    premises = []
    for p in paths:
        try:
            premises += [(p, line, s) for line, s in split_sentences(Path(p).read_text(encoding="utf-8"))]
        except (OSError, UnicodeDecodeError):
            return None  # the graph loader says what is wrong with the file
    if not premises or not routes_to_prover(read_first_order([s for *_, s in premises], None)):
        return None
    return premises


def check_premises(premises: list[str], *, timeout_s: float = DEFAULT_TIMEOUT_S) -> FirstOrderResult:
    """Are the premises consistent, as read? ``inconsistent`` with the steps to the contradiction
    (naming the premises that clash), else ``unknown`` ("the premises are consistent")."""
    reading = read_first_order(premises, None)
    kept = [(i, f) for i, f in enumerate(reading.premises) if f is not None]
    result = prove([f for _, f in kept], None, timeout_s=timeout_s)
    result.used = tuple(kept[k][0] for k in result.used)
    result.steps = [replace(s, premises=tuple(kept[p][0] for p in s.premises)) for s in result.steps]
    say = Verbalizer(reading.phrases)
    return FirstOrderResult(result.outcome, reading, result, [_step_line(s, say, premises) for s in result.steps],
                            [], result.message)


def answer_first_order(premises: list[str], conclusion: str, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                       reading: FirstOrderReading | None = None, align: bool = True) -> FirstOrderResult:
    """Read, prove and explain one problem (premises: one sentence each). ``align``: link
    phrases only one sentence uses to the other sentences' words
    (:mod:`kgreason.language.first_order_alignment`); each link made is said in the message."""
    reading = reading or read_first_order(premises, conclusion)
    alignments: list[Alignment] = []
    if align:
        reading, alignments = align_reading(reading)
    if reading.conclusion is None:
        why = next((w for i, _, w in reading.unread if i == -1), "")
        return FirstOrderResult("unknown", reading, None,
                                message=f"the conclusion was not understood ({why}); nothing was proved")
    kept = [(i, f) for i, f in enumerate(reading.premises) if f is not None]
    result = prove([f for _, f in kept], reading.conclusion, timeout_s=timeout_s)
    # premise numbers in the original problem
    result.used = tuple(kept[k][0] for k in result.used)
    result.steps = [replace(s, premises=tuple(kept[p][0] for p in s.premises)) for s in result.steps]
    say = Verbalizer(reading.phrases)
    steps = [_step_line(s, say, premises) for s in result.steps]
    world = _world_lines(result.countermodel, say) if result.countermodel is not None else []
    message = result.message
    said = set().union(*(predicates(f) for _, f in kept)) if kept else set()
    strange = sorted(set(predicates(reading.conclusion)) - said)
    if strange:  # never a silent reading: words no premise uses cannot be proved either way
        words = "; ".join(reading.phrases.phrase(name, 1).replace(" {1}", "") for name in strange)
        message = (message + "; " if message else "") + f"no premise speaks of: {words}"
    unread = [i for i, _, _ in reading.unread if i >= 0]
    if result.outcome == "unknown" and unread:
        message = (message + "; " if message else "") + \
            f"premise{'s' if len(unread) > 1 else ''} {', '.join(str(i + 1) for i in unread)} not understood and left out"
    if alignments:  # never silent: every phrase read as another one is said
        message = (message + "; " if message else "") + "assumed: " + "; ".join(a.describe() for a in alignments)
    return FirstOrderResult(result.outcome, reading, result, steps, world, message, alignments)


def _world_lines(world, say: Verbalizer) -> list[str]:
    """One sentence per thing of the countermodel: "Bob is an intern, is not a manager and does
    not work remotely."; things no premise names are "something else"."""
    by_thing: dict[str, list[str]] = {}
    other: list[str] = []
    for f in world.facts:
        atom = f.body if isinstance(f, Not) else f
        if not isinstance(atom, Predicate) or not atom.args:
            other.append(say.sentence(f))
            continue
        name = atom.args[0].name
        by_thing.setdefault(name, []).append(say.vp(atom, negated=isinstance(f, Not)))
    lines = []
    unnamed = 0
    for name in world.elements:
        phrases = by_thing.get(name)
        if not phrases:
            continue
        if name.startswith("thing") and name[5:].isdigit():
            unnamed += 1
            subject = "something else" if unnamed == 1 else "another thing"
        else:
            subject = name.replace("_", " ")
        said = phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
        lines.append(f"{subject[:1].upper()}{subject[1:]} {said}.")
    return lines + other


def _step_line(step, say: Verbalizer, premises: list[str]) -> str:
    cited = []
    if step.premises:
        cited.append(("premise " if len(step.premises) == 1 else "premises ")
                     + ", ".join(str(p + 1) for p in step.premises))
    if step.steps:
        cited.append(("step " if len(step.steps) == 1 else "steps ") + ", ".join(map(str, step.steps)))
    text = say.sentence(step.formula)
    if step.conclusion and isinstance(step.formula, Predicate) and step.formula.name == "⊥":
        text = "The premises contradict each other."
    return f"{step.number}. {text} (from {' and '.join(cited) or 'nothing'})"
