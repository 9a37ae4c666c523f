"""Yes/no questions as statements, for first-order theories: "Does some manager have a laptop?" →
"Some manager has a laptop.", "Is Bob either a manager or an intern?" → "Bob is either a manager or
an intern.", "Is there an intern who is bored?" → "There is an intern who is bored.".

English puts the auxiliary first and leaves where the subject ends to the reader, so
:func:`statement_candidates` gives every split the words allow (the main verb must be a verb form)
and :func:`read_question` keeps the first one the first-order grammar reads over the theory's own
vocabulary (:func:`~kgreason.language.first_order_reading.read_first_order`): a statement with a
word no premise uses is taken only when no split reads without one, and then says so.
"""

from __future__ import annotations

import re

from kgreason.core.formulas import predicates
from kgreason.language.english_words import is_verb_form, third_person
from kgreason.language.first_order_reading import FirstOrderReading, read_first_order
from kgreason.language.morphology import verb_lemma

_BE = {"is": "is", "are": "are", "was": "was", "were": "were"}
_DO = {"does", "do", "did"}
_MODAL = {"can", "could", "will", "would", "should", "must", "may", "might"}
_TRUTH = re.compile(r"^(is it (true|the case) that|does it hold that)\s+", re.IGNORECASE)


def _words(text: str) -> list[str]:
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9'\-]*|[,;:]", text)


def _sentence(words: list[str]) -> str:
    text = " ".join(words).replace(" ,", ",").replace(" ;", ";").replace(" :", ":")
    return text[:1].upper() + text[1:] + "."


def statement_candidates(question: str) -> list[str]:
    """Every declarative reading of a yes/no question, shortest subject first; a statement (no
    question mark, no auxiliary first) is its own only reading."""
    text = question.strip()
    asked = text.endswith("?")
    text = _TRUTH.sub("", text.rstrip("?.! ").strip())
    words = _words(text)
    if not words:
        return []
    first = words[0].lower()
    if not asked or (first not in _BE and first not in _DO and first not in _MODAL):
        return [_sentence(words)]
    rest = words[1:]
    if first in _BE and rest and rest[0].lower() == "there":  # "Is there a ..." → "There is a ..."
        return [_sentence(["There", first, *rest[1:]])]
    out: list[str] = []
    for k in range(1, len(rest)):
        subject, predicate = rest[:k], rest[k:]
        if subject[-1] in (",", ";", ":") or predicate[0] in (",", ";", ":"):
            continue
        negated = predicate[0].lower() == "not"
        head = predicate[1:] if negated else predicate
        if not head:
            continue
        if first in _DO:  # the verb after the subject is a base form: "have", "work"
            if not is_verb_form(head[0]) or verb_lemma(head[0].lower()) != head[0].lower():
                continue
            if negated:
                said = [*subject, "does" if first == "does" else first, "not", *head]
            elif first == "does":
                said = [*subject, third_person(head[0].lower()), *head[1:]]
            elif first == "did":
                said = [*subject, head[0], *head[1:]]  # the grammar reads tenseless facts
            else:
                said = [*subject, *head]
        else:  # "is" / "can" stays after the subject: "Bob is ...", "Penguins can ..."
            said = [*subject, first, *predicate]
        out.append(_sentence(said))
    return list(dict.fromkeys(out))


def read_question(premises: list[str], question: str) -> tuple[str, FirstOrderReading]:
    """The statement a yes/no question asks and the problem's reading with it as the conclusion:
    the first candidate read whose words the premises use; else the first one read at all (its
    answer names the words no premise uses); else the question itself, not understood."""
    candidates = statement_candidates(question) or [question]
    fallback: tuple[str, FirstOrderReading] | None = None
    for statement in candidates:
        reading = read_first_order(premises, statement)
        if reading.conclusion is None:
            continue
        said = set().union(*(predicates(f) for f in reading.premises if f is not None))
        if set(predicates(reading.conclusion)) <= said:
            return statement, reading
        fallback = fallback or (statement, reading)
    if fallback is not None:
        return fallback
    return candidates[0], read_first_order(premises, candidates[0])
