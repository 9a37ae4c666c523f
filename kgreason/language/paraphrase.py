"""Everyday phrasings → the controlled language's own words, before parsing; and the polarity of a
sentence, which every reading must keep.

The controlled language says "can" / "can not", "does not have", and active voice. People also
write "is able to", "is unable to", "lacks", "has no", "is eaten by". Read word for word, those
become new predicates (``isAbleTo``, ``lacks``) that nothing else in the graph uses — or, worse,
"has no legs" loses its "no". :func:`canonical_tokens` rewrites the few shapes whose meaning is
certain (WordNet's own glosses: *lack* = "be without", *unable* = "not able"; the passive is the
active with its roles swapped) into the words the parser already reads; everything else is left
alone for the parser (or the neural reader) to read or refuse.

:func:`negation_cues` counts what negates in a sentence (no / not / never / none / nobody /
nothing / neither / nor / without / lack / unable …, minus "not only" and double negatives such as
"not unusual"); a reading whose polarity differs from it is refused, on every path
(:func:`polarity_problem`)."""

from __future__ import annotations

from functools import lru_cache

from kgreason.language.alignment import _INEVITABLE, _NEGATIONS, _litotes

#: Words that negate by themselves (one list with the neural path's word check).
NEGATION_WORDS = _NEGATIONS
_BE = {"is": "is", "are": "are", "was": "is", "were": "are", "am": "is"}


def negation_cues(tokens: tuple[str, ...] | list[str]) -> int:
    """How many negations the sentence says ("not only … but" and "not un-X" say none; "cannot
    help being X" says X)."""
    low = [t.lower() for t in tokens]
    n, skip = 0, False
    for i, w in enumerate(low):
        if skip:
            skip = False
            continue
        if w not in NEGATION_WORDS:
            continue
        nxt = low[i + 1] if i + 1 < len(low) else ""
        if w == "not" and nxt == "only":
            continue
        if w == "not" and (_litotes(nxt) or nxt in ("unable", "without")
                           or (nxt in ("a", "an") and i + 2 < len(low) and _litotes(low[i + 2]))):
            skip = True  # "not unusual", "not without": nothing is negated
            continue
        if w == "not" and nxt in _INEVITABLE:
            continue
        if w == "no" and nxt in ("longer",):  # "no longer" still negates
            n += 1
            continue
        n += 1
    return n


def _verb_forms(word: str) -> tuple[str | None, str | None, str | None]:
    """(lemma, 3rd person singular, past participle) of a verb, or Nones."""
    from lemminflect import getAllInflections, getAllLemmas

    lemmas = getAllLemmas(word.lower()).get("VERB")
    if not lemmas:
        return None, None, None
    base = lemmas[0]
    infl = getAllInflections(base, upos="VERB")
    vbz = (infl.get("VBZ") or [None])[0]
    vbn = infl.get("VBN") or infl.get("VBD") or []  # regular verbs: one form for both
    return base, vbz, (word.lower() if word.lower() in vbn else None)


def _plural_subject(words: list[str]) -> bool:
    from kgreason.language.morphology import singular

    last = words[-1]
    if last.lower() in ("people", "children", "men", "women", "mice", "geese", "cattle"):
        return True
    return last[:1].islower() and last.lower().endswith("s") and singular(last) != last.lower()


def _passive(toks: list[str]) -> list[str] | None:
    """"Grass is eaten by cows" → "cows eat Grass"; "The mouse is not chased by the cat" → "the cat
    does not chase The mouse". Only a simple sentence: subject, be, [not], a past participle,
    "by", an agent of plain words, nothing after."""
    low = [t.lower() for t in toks]
    if "by" not in low or any(w in low for w in ("if", "then", "and", "or", ",", "who", "that", "which")):
        return None
    b = low.index("by")
    if b < 3 or b == len(low) - 1:
        return None
    negated = low[b - 2] == "not"
    aux_i = b - 3 if negated else b - 2
    if aux_i < 1 or low[aux_i] not in _BE:
        return None
    base, _, vbn = _verb_forms(low[b - 1])
    if base is None or vbn is None or base in ("be", "have", "do"):
        return None
    agent = toks[b + 1:]
    subject = toks[:aux_i]
    if not all(w.isalpha() for w in agent + subject):
        return None
    from lemminflect import getAllInflections

    vbz = (getAllInflections(base, upos="VERB").get("VBZ") or [base + "s"])[0]
    plural = _plural_subject(agent)
    if negated:
        verb = ["do" if plural else "does", "not", base]
    else:
        verb = [base if plural else vbz]
    agent = [agent[0][:1].upper() + agent[0][1:]] + agent[1:]
    subject = [subject[0] if subject[0][:1].isupper() and subject[0].lower() not in ("the", "a", "an")
               else subject[0].lower()] + subject[1:]
    return agent + verb + subject


@lru_cache(maxsize=65536)
def canonical_tokens(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """The sentence's tokens with everyday phrasings replaced by the controlled language's words
    (the same tokens when nothing applies)."""
    low = [t.lower() for t in tokens]
    if not any(w in ("able", "unable", "capable", "incapable", "lack", "lacks", "no", "by") for w in low):
        return tokens
    out: list[str] = []
    i = 0
    n = len(tokens)
    while i < n:
        w = low[i]
        # be [not] able to V → can [not] V ; be unable to V → can not V
        if w in _BE and i + 2 < n:
            j = i + 1
            neg = low[j] == "not"
            if neg:
                j += 1
            if j + 1 < n and low[j] in ("able", "unable") and low[j + 1] == "to" and j + 2 < n:
                negated = neg != (low[j] == "unable")
                out += ["can", "not"] if negated else ["can"]
                i = j + 2
                continue
            if j + 1 < n and low[j] in ("capable", "incapable") and low[j + 1] == "of" and j + 2 < n \
                    and low[j + 2].endswith("ing"):
                base, _, _ = _verb_forms(low[j + 2])
                if base:
                    negated = neg != (low[j] == "incapable")
                    out += (["can", "not"] if negated else ["can"]) + [base]
                    i = j + 3
                    continue
        # lack(s) X → do(es) not have X
        if w in ("lack", "lacks") and i > 0 and i + 1 < n and low[i - 1] not in _BE \
                and low[i - 1] not in ("a", "an", "the", "to"):
            out += ["does" if w == "lacks" else "do", "not", "have"]
            i += 1
            continue
        # has / have no X → does / do not have X
        if w in ("has", "have") and i + 1 < n and low[i + 1] == "no" and i + 2 < n \
                and low[i + 2] not in ("longer", "one", "idea"):
            out += ["does" if w == "has" else "do", "not", "have"]
            i += 2
            continue
        out.append(tokens[i])
        i += 1
    passive = _passive(out) if "by" in low else None
    return tuple(passive if passive is not None else out)


def polarity_problem(tokens: tuple[str, ...] | list[str], negated_parts: int) -> str | None:
    """Why a reading with ``negated_parts`` negated parts (negated atoms, negative facts,
    disjointness) does not keep the sentence's polarity, or None."""
    said = negation_cues(tokens)
    if bool(said) == bool(negated_parts):
        return None
    if said:
        return "the sentence negates something the reading does not (the negation would be lost)"
    return "the reading negates what the sentence does not"
