"""Is this question English? A cheap, offline check run before anything is loaded, so a question
in another language gets one line ("kgreason reads English") at once instead of an "unknown"
after the neural reader has tried it.

Two signals, both about the *question's own words*, never its names:

* **Script.** Most letters outside the Latin alphabet (Cyrillic, Greek, Arabic, Hebrew, CJK,
  Devanagari, ...): not English.
* **Function words.** Short questions in French, German, Spanish, Italian, Portuguese or Dutch
  are made of that language's articles, pronouns, auxiliaries and question words ("Les pingouins
  peuvent-ils voler ?"). A language is named when at least two of its function words (words that
  are not English words too) occur and they outnumber the English function words. Name particles
  ("de", "la", "van", "Los" in "Los Angeles") count half, so names do not make a question foreign.

A language-identification package was not used: the candidates are either large (lingua: ~100 MB
of models), need a model download (fastText's lid.176), or are unreliable on five-word questions
and non-deterministic without a seed (langdetect); questions are short, and their function words
are what tells the language.
"""

from __future__ import annotations

import re
import unicodedata

from kgreason.errors import InputError

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)

#: English function words (questions are mostly made of these around their content words).
ENGLISH = frozenset("""
a an the is are was were be been being am do does did done can could may might must shall should
will would have has had not no yes and or but if then than of in on at to for from by with without
about into over under after before all every each any some many much how what which who whom whose
why where when there it its they them their this that these those he she him her his we us our you
your i me my as so too very also only just more most less least other another both either neither
nor isn't aren't can't cannot don't doesn't didn't won't wouldn't couldn't shouldn't
""".split())

#: Function words of other languages that are not English words too.
OTHER: dict[str, frozenset[str]] = {
    "French": frozenset("""
        les une est sont peut peuvent ils elles il elle nous vous ou qui que quoi pourquoi combien
        comment quel quelle quels quelles dans sur avec pour pas ne ont sont-ils est-ce est-il
        peut-il peuvent-ils qu'est-ce au aux ces cette mais leur leurs très aussi tous toutes tout
        oiseaux chats chiens voler manger
        """.split()),
    "German": frozenset("""
        der das ist sind kann können ein eine einen nicht und oder wie viele was wer warum wo haben
        hat mit für auf ich sie wir ihr es den dem des alle jeder jede auch sehr vögel fliegen
        essen
        """.split()),
    "Spanish": frozenset("""
        los las es son pueden puede una y qué que cuántos cuántas cuantos cuantas por para
        cómo como dónde donde quién quien porqué todos todas muy también pájaros aves volar comer
        """.split()),
    "Italian": frozenset("""
        il lo gli sono è può possono una di che perché quanti quante come dove chi non con per
        tutti tutte molto anche uccelli volare mangiare
        """.split()),
    "Portuguese": frozenset("""
        os são podem pode um uma não que quantos quantas como onde quem por para todos todas
        muito também pássaros aves voar comer
        """.split()),
    "Dutch": frozenset("""
        het een zijn kunnen niet wat wie hoeveel hebben heeft waarom hoe waar ook alle
        vogels vliegen eten
        """.split()),
}
#: Words that begin names ("Rio de Janeiro", "La Paz", "Los Angeles", "Van Gogh"): half a hit.
PARTICLES = frozenset("de la le el del van von da di du des los las san santa der den il".split())


def _script(letters: list[str]) -> str:
    names = [unicodedata.name(c, "").split(" ")[0] for c in letters if ord(c) >= 0x250]
    if not names:
        return "another script"
    top = max(set(names), key=names.count)
    return {"CJK": "Chinese", "HIRAGANA": "Japanese", "KATAKANA": "Japanese",
            "HANGUL": "Korean"}.get(top, top.title())


def foreign_language(text: str) -> str | None:
    """The language ``text`` seems to be in when that is not English (a name such as "French"
    or a script such as "Cyrillic"); None for English, or when there is too little to tell."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return None
    latin = sum(1 for c in letters if ord(c) < 0x250)
    if latin < 0.5 * len(letters):
        return _script(letters)
    words = [w.lower() for w in _WORD.findall(text)]
    # "peuvent-ils": French inverts subject pronouns with a hyphen
    parts = [p for w in words for p in w.split("-") if p]
    english = sum(1 for w in parts if w in ENGLISH)
    best, score = None, 0.0
    for language, vocabulary in OTHER.items():
        hits = sum(0.5 if w in PARTICLES else 1.0 for w in parts if w in vocabulary and w not in ENGLISH)
        hits += sum(1.0 for w in words if "-" in w and w in vocabulary)  # the inversion itself
        if hits > score:
            best, score = language, hits
    if best is not None and score >= 2 and score > english:
        return best
    return None


def require_english(text: str) -> None:
    """An InputError (one line) when ``text`` is not in English (:func:`foreign_language`)."""
    language = foreign_language(text)
    if language is not None:
        raise InputError(f"the question seems to be in {language}: kgreason reads questions in English",
                         hint='ask it in English, e.g. "Can penguins fly?"')
