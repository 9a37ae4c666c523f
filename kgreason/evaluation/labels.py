"""Label normalisation for evaluation datasets: every gold or predicted label becomes
entailment / contradiction / neutral (= true / false / unknown = yes / no / unknown).

Integer labels follow the MNLI/SNLI order used by HF ``glue/mnli``, ``snli`` and ``multi_nli``:
**0 = entailment, 1 = neutral, 2 = contradiction**; ``-1`` and ``-`` mean "no gold label".
"""

from __future__ import annotations

import re
from typing import Any

LABELS = ("entailment", "contradiction", "neutral")

_LABEL_WORDS = {
    "entailment": "entailment",
    "entails": "entailment",
    "entailed": "entailment",
    "true": "entailment",
    "yes": "entailment",
    "e": "entailment",
    "contradiction": "contradiction",
    "contradicts": "contradiction",
    "false": "contradiction",
    "no": "contradiction",
    "c": "contradiction",
    "neutral": "neutral",
    "unknown": "neutral",
    "uncertain": "neutral",
    "n": "neutral",
}
#: MNLI/SNLI integer order (HF ``glue/mnli``, ``snli``, ``multi_nli``).
_LABEL_INTS = {0: "entailment", 1: "neutral", 2: "contradiction"}
_NO_GOLD = {"-", "", "-1", "none", "null"}

_STATEMENT_PREFIX = re.compile(
    r"^\s*(?:based on .*?|is the following .*?|.*?\bstatement\b.*?|true or false)\s*[?:]\s*(?P<s>\S.*)$",
    re.IGNORECASE | re.DOTALL,
)
_WORLD = re.compile(r"(?<![A-Za-z])(CWA|OWA)(?![A-Za-z])")


class NoGoldLabel(ValueError):
    """The row has no gold label (``-`` in SNLI/MNLI); skipped and counted, not an error."""


def normalize_label(value: Any) -> str:
    """Gold or predicted label → entailment/contradiction/neutral; raises NoGoldLabel for ``-``."""
    if value is None:
        raise NoGoldLabel("no label")
    if isinstance(value, bool):
        return "entailment" if value else "contradiction"
    if isinstance(value, int) or (isinstance(value, float) and value.is_integer()):
        number = int(value)
        if number == -1:
            raise NoGoldLabel("label -1")
        if number in _LABEL_INTS:
            return _LABEL_INTS[number]
        raise ValueError(f"integer label {number} is not 0, 1 or 2 (MNLI order)")
    text = str(value).strip().lower()
    if text in _NO_GOLD:
        raise NoGoldLabel(f"label {value!r}")
    if text.lstrip("-").isdigit():
        return normalize_label(int(text))
    if text in _LABEL_WORDS:
        return _LABEL_WORDS[text]
    raise ValueError(
        f"label {value!r} is not entailment/neutral/contradiction, true/false/unknown or yes/no"
    )


def statement_from_question(question: str) -> str:
    """Strip prompts like "Based on the above information, is the following statement true,
    false, or unknown?" so that only the declarative statement is left."""
    match = _STATEMENT_PREFIX.match(question)
    return match.group("s").strip() if match else question.strip()


def world_from_id(example_id: str) -> bool | None:
    """True for closed-world ids (ProofWriter ``...-CWA-...``), False for open-world, else None."""
    match = _WORLD.search(example_id or "")
    return None if match is None else match.group(1) == "CWA"
