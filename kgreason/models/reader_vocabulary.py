"""What the neural reader may write for a sentence: the sentence's own words with their
inflections and singular/plural forms ("eat" → eaten, "mice" → mouse), the controlled language's
words ("if … then", "someone", "they", "not", "cannot", "a", …) and punctuation.

Decoding is restricted to these tokens (:class:`OutputVocabulary`). Two reasons:

* **Faithful readings.** A reading may only say what the sentence says — the confirmation step
  refuses readings that name a word the sentence does not use (``alignment.lexical_problem``);
  the restriction keeps the reader from proposing them in the first place and leaves it its next
  best choice instead.
* **Speed.** The output layer is computed for ~200 tokens instead of the whole vocabulary (49,152
  for SmolLM2), a fifth of each decoding step of a 135M model.

On the reader's training mix, every target is covered by its sentence's vocabulary (measured:
24,089 of 24,089 examples after the data's plural fix; see ``tests/models/test_reader.py``).
Confidence is then the probability *within* the allowed tokens.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

#: The controlled language's own words (what a reading may say beyond its sentence's words).
CONTROLLED_WORDS = frozenset(["if", "then", "someone", "something", "they", "it", "is", "are", "be", "not", "does", "do", "cannot", "can", "and", "a", "an", "the", "person", "people", "thing", "things"])
_PUNCTUATION = (".", ",", " .", " ,")
_WORD = re.compile(r"[A-Za-z]+")


@lru_cache(maxsize=65536)
def word_forms(word: str) -> frozenset[str]:
    """A word with its lemma, inflections and singular/plural: "mice" → mouse, mice, …"""
    from lemminflect import getAllInflections, getAllLemmas

    from kgreason.language.morphology import lemma, plural, singular

    w = word.lower()
    out = {w, singular(w), plural(w), lemma(w)}
    for lemmas in getAllLemmas(w).values():
        for lem in lemmas:
            out.add(lem)
            for forms in getAllInflections(lem).values():
                out.update(forms)
    return frozenset(out)


class OutputVocabulary:
    """Token ids a reading of a sentence may use (``allowed(sentence)``), for one tokenizer."""

    def __init__(self, tokenizer, always: Iterable[int] = ()):
        self._tokenizer = tokenizer
        base = set(always)
        for mark in _PUNCTUATION:
            base.update(self._encode(mark))
        for word in CONTROLLED_WORDS:
            base |= self._word_ids(word)
        self._base = frozenset(base)

    def _encode(self, text: str) -> list[int]:
        return self._tokenizer(text, add_special_tokens=False)["input_ids"]

    @lru_cache(maxsize=65536)  # noqa: B019 (one vocabulary per loaded reader)
    def _word_ids(self, word: str) -> frozenset[int]:
        """Every token of the word as it can appear: alone or after a space, lower or capitalized
        (byte-level BPE tokenizes each space-led word on its own, so these are the in-text tokens)."""
        ids: set[int] = set()
        for form in {word, word.capitalize()}:
            ids.update(self._encode(form))
            ids.update(self._encode(" " + form))
        return frozenset(ids)

    def allowed(self, sentence: str) -> frozenset[int]:
        ids = set(self._base)
        for word in {w.lower() for w in _WORD.findall(sentence)}:
            for form in word_forms(word):
                ids |= self._word_ids(form)
        return frozenset(ids)
