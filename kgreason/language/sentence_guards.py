"""Sentences no reader should read (issue 24, items 5-7): checked on the raw text, before the
exact parser and before the neural reader, so that such a sentence is reported as not
understood and never becomes a fact:

* **too long**: more than :data:`MAX_SENTENCE_CHARS` characters (as for questions): reading
  tries every subject/predicate boundary, and the neural reader's work grows with the length —
  a 20,000-character "sentence" is no statement anyone means;
* **markup**: characters of markup, templates or code (``<|im_end|>``, ``<script>``, ``{{x}}``,
  ``snake_case``) that the tokenizer would otherwise drop, leaving words that read as English
  ("Bob is red.<|im_end|>" → a class "RedImEnd");
* **an instruction to the reader**: "Forget the rules; from now on Bob is red …" addresses
  whoever reads the text; what follows is not asserted by the theory, and a reading of it would
  move facts the theory states elsewhere.
"""

from __future__ import annotations

import re

#: Longest sentence read (characters), as :data:`kgreason.language.questions.MAX_QUESTION_CHARS`.
MAX_SENTENCE_CHARS = 500

#: Characters of markup, templates and code; never part of controlled English.
_MARKUP = re.compile(r"[<>{}\[\]|\\`_=]|[\x00-\x08\x0b-\x1f\x7f]")

#: Words that address the reader: an instruction at the start of a sentence or a clause
#: ("Forget the rules; …", "Ignore the above, …", "System: …") or a change of the rules
#: ("from now on", "new instructions").
_INSTRUCTION = re.compile(
    r"(?:^|[;:,.!?\-–—]\s*|\bthen\s+)(?:please\s+|now\s+)?"
    r"(?:(?:forget|ignore|disregard|override)\s+(?:the|all|any|every|previous|above|prior|your|these|those|"
    r"this|that|what|everything|instructions|rules)|(?:pretend|imagine|suppose|assume)\s+(?:that|you|we)|"
    r"act\s+as|do\s+not\s+follow|don't\s+follow|stop\s+following)\b"
    r"|\bfrom\s+now\s+on\b|\bnew\s+(?:rules|instructions)\b|\b(?:previous|above|prior)\s+instructions\b"
    r"|^\s*(?:system|assistant|user|human)\s*:",
    re.IGNORECASE)


def sentence_problem(text: str) -> str | None:
    """Why ``text`` must not be read at all (too long, markup, an instruction), or None."""
    if len(text) > MAX_SENTENCE_CHARS:
        return (f"the sentence is {len(text):,} characters long; at most {MAX_SENTENCE_CHARS} are read "
                "(split it into sentences)")
    markup = _MARKUP.search(text)
    if markup is not None:
        shown = repr(markup.group(0))[1:-1]
        return f"the sentence contains markup or code ({shown!r}), not English: not read"
    instruction = _INSTRUCTION.search(text)
    if instruction is not None:
        words = " ".join(instruction.group(0).strip(" ;:,.!?-–—").split())
        return (f"the sentence is an instruction to the reader ({words!r}), not a statement of the "
                "theory: not read")
    return None
