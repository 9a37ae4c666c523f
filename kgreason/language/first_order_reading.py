"""Read first-order English into formulas, over one vocabulary per problem.

The grammar reads the shapes first-order English is written in, exactly, and refuses the rest
(a sentence it cannot read is *not understood*, never guessed):

* quantified: all / every / each / any A (who|that …) VP; no / none of the A VP; some A VP; there
  is (a|an|some) A who VP; there is no A who VP; only A VP; everyone / everything / someone /
  something / no one / nothing (who|that …) VP; a bare plural or "A/An A" subject: a generic (all);
* connectives: if …, then … / … if … (a subject that is "someone", "a person", "an A" makes the
  conditional universal, and "they / he / she / it" in the consequent refer back to it); unless;
  if and only if; either … or (exclusive: FOLIO's reading of "either"), … or … (inclusive), "…, or
  both" (inclusive), "…, but not both" (exclusive); neither … nor; both … and; not;
* predicates: "is (not) (a|an) N", "is ADJ", "does not V", "cannot V", "V …", coordinated with
  and / or / either-or inside one subject; named subjects ("Rina", "Captain America") are
  constants, and a named object stays part of its predicate ("loves Tom").

**One vocabulary**: a predicate is named by the lemmas of its phrase (articles, "a person who" and
auxiliaries dropped), so "drinks coffee", "drink coffee" and "people who drink coffee" are one
predicate across premises and conclusion; :class:`~kgreason.language.verbalize_formulas.Phrases`
keeps an English verb phrase for each, for proofs.
"""

from __future__ import annotations

import re
from contextvars import ContextVar
from dataclasses import dataclass, field

from kgreason.core.formulas import (
    Constant,
    Exists,
    ForAll,
    Formula,
    Iff,
    Implies,
    Not,
    Or,
    Predicate,
    Term,
    Variable,
    Xor,
    conj,
    disj,
)
from kgreason.language.morphology import lemma, verb_lemma
from kgreason.language.verbalize_formulas import Phrases

X = Variable("x")
_PERSON_NOUNS = {"person", "people", "persons", "one", "someone", "somebody", "everyone", "everybody",
                 "anyone", "anybody", "thing", "things", "something", "everything", "anything"}
_COPULAS = {"is", "are", "was", "were", "be", "am"}
_NEG_AUX = {"doesn't": "does", "don't": "do", "isn't": "is", "aren't": "are", "wasn't": "was",
            "weren't": "were", "cannot": "can", "can't": "can", "didn't": "did", "won't": "will",
            "hasn't": "has", "haven't": "have", "hadn't": "had"}
_MODALS = {"can", "could", "will", "would", "should", "must", "may", "might"}
_AUX = _COPULAS | {"do", "does", "did", "has", "have", "had"} | _MODALS
_PRONOUNS = {"they", "he", "she", "it", "them", "him", "her"}
_QUANT_WORDS = {"never", "all", "every", "each", "any", "no", "none", "some", "only", "nothing", "nobody",
                "everyone", "everything", "everybody", "someone", "something", "somebody", "either",
                "neither", "nor", "unless", "if", "iff", "both", "not", "or", "and", "then", "who",
                "that", "which", "there"}
_DROP = {"a", "an", "the", "who", "that", "which", "also", "always", "really", "indeed", "ever"}
_NAME_STOP = {"The", "A", "An", "All", "Every", "Each", "Some", "No", "If", "Either", "Neither",
              "There", "Only", "Any", "Nothing", "None", "Everyone", "Someone", "Everything",
              "Something", "Nobody", "Both", "It", "They", "He", "She", "Unless"}


class NotUnderstood(Exception):
    """The sentence is outside the grammar; ``why`` says where."""


@dataclass
class FirstOrderReading:
    """A problem read: one formula per premise (None where not understood), the conclusion, and
    the vocabulary shared by all of them."""

    premises: list[Formula | None]
    conclusion: Formula | None
    phrases: Phrases
    unread: list[tuple[int, str, str]] = field(default_factory=list)  # (index, sentence, why); -1: the conclusion


def _tokens(text: str) -> list[str]:
    text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    text = re.sub(r"\s+", " ", text.strip()).rstrip(".!").strip()
    return re.findall(r"[A-Za-z0-9][A-Za-z0-9'\-]*|[,;:]", text)


class _Reader:
    def __init__(self, phrases: Phrases):
        self.phrases = phrases

    # -- predicates ---------------------------------------------------------------------------
    def predicate(self, words: list[str], subject: Term, *, copula: bool, opaque: bool = False,
                  noun: bool = False) -> Formula:
        """The atom for a verb phrase (``copula``: it followed "is/are": a noun or adjective);
        a noun with a place ("a plane in Delta", "houses in an urban area") is two: the noun
        and where it is."""
        if copula:
            lows = [w.lower() for w in words]
            cut = next((i for i, w in enumerate(lows) if i > 0 and w in _PLACE_PREPOSITIONS), None)
            noun_phrase = lows[0] in ("a", "an") or (cut is not None and _looks_plural(lows[cut - 1]))
            if cut is not None and cut < len(words) - 1 and noun_phrase and _nounish(words[cut - 1]) and \
                    not _adjective_only(lows[cut - 1]) and [w for w in lows[:cut] if w not in _DROP]:
                return conj([self._atom(words[:cut], subject, copula=True),
                             self._atom(words[cut:], subject, copula=True)])
        return self._atom(words, subject, copula=copula, opaque=opaque, noun=noun)

    def _atom(self, words: list[str], subject: Term, *, copula: bool, opaque: bool = False,
              noun: bool = False) -> Formula:
        """``opaque``: a coordination inside one object or adverbial ("reads the Times and other
        papers regularly", "limps often and regularly") stays in the predicate's name."""
        shown = [w for w in words if w != ","]
        noun = noun or (bool(shown) and shown[0].lower() in ("a", "an"))  # "is an animal", not "is animal"
        while shown and shown[0].lower() in ("a", "an", "the"):
            shown = shown[1:]
        words = [w for w in words if w.lower() not in _DROP and w not in (",",)]
        if not words:
            raise NotUnderstood("an empty phrase")
        lows = [w.lower() for w in words]
        if any(w in _QUANT_WORDS - {"that", "who", "which"} - ({"and", "or"} if opaque else set())
               and not _time_adverbial(lows, k) for k, w in enumerate(lows)):
            raise NotUnderstood(f"'{' '.join(words)}' has a logical word inside a predicate")
        key = [_key_word(w, orig) for w, orig in zip(lows, words)]
        if not copula:  # the verb of a verb phrase by its verb lemma: "lives in" → live, not "life"
            v = next((k for k, w in enumerate(lows) if not w.endswith("ly")), None)
            if v is not None and not _is_name(words[v]) and "VERB" in _pos_of(lows[v]):
                key[v] = _key_word(lows[v], words[v]) if lows[v] in _AUX else verb_lemma(lows[v])
        if not copula and key and key[0] in ("be",):
            key = key[1:]
        if not key:
            raise NotUnderstood("an empty phrase")
        name = "_".join(key)
        if name not in self.phrases:
            text = [w.lower() if not _is_name(w) else w for w in shown]
            self.phrases[name] = self._copula_text(text, noun=noun) if copula else self._vp_text(text)
        return Predicate(name, (subject,))

    @staticmethod
    def _copula_text(lows: list[str], *, noun: bool = False) -> str:
        """"is a student" for a noun (plural or not, or ``noun``: written with an article or
        the kind a quantifier speaks of), "is happy" for an adjective."""
        from kgreason.language.english_words import _pos
        from kgreason.language.morphology import singular

        last = lows[-1]
        pos = _pos(last)
        if set(lows) & (_COPULAS | {"that", "than", "to", "of", "by", "in", "with", "on", "at", "for"}):
            return "is " + " ".join(lows)
        if noun or _looks_plural(last) or ("NOUN" in pos and "ADJ" not in pos and len(lows) == 1) or \
                ("NOUN" in pos and len(lows) > 1 and "ADJ" not in pos):
            words = [*lows[:-1], singular(last)]
            article = "an" if words[0][0] in "aeiou" else "a"
            return f"is {article} {' '.join(words)}"
        return "is " + " ".join(lows)

    @staticmethod
    def _vp_text(lows: list[str]) -> str:
        from kgreason.language.english_words import third_person

        if lows[0] in ("have", "do", "are", "were"):
            return " ".join([{"have": "has", "do": "does", "are": "is", "were": "was"}[lows[0]], *lows[1:]])
        if lows[0] in _AUX:
            return " ".join(lows)
        out = list(lows)
        for k, w in enumerate(out):  # the verb after any adverbs: "regularly drinks coffee"
            if not w.endswith("ly"):
                out[k] = third_person(lemma(w)) if not w.endswith("ed") else w
                break
        return " ".join(out)

    # -- verb phrases: what is said of the subject --------------------------------------------
    def vp(self, toks: list[str], subject: Term) -> Formula:
        """A (possibly coordinated) verb phrase about ``subject``."""
        if not toks:
            raise NotUnderstood("a sentence without a verb phrase")
        lows = [t.lower() for t in toks]
        # "does not go on a diet and is diligent": two verb phrases, each with its own verb
        for i, w in enumerate(lows):
            if w in ("and", "but") and 0 < i < len(lows) - 1 and lows[0] not in ("either", "neither", "both") \
                    and (lows[i + 1] in _AUX or lows[i + 1] in _NEG_AUX or lows[i + 1] == "never") \
                    and "either" not in lows[:i] and "neither" not in lows[:i]:
                left = [t for t in toks[:i] if t != ","]
                return conj([self.vp(left, subject), self.vp(toks[i + 1:], subject)])
        # ", but not both" / ", or both"
        if lows[-3:] == ["but", "not", "both"] or lows[-2:] == ["not", "both"]:
            cut = len(toks) - (3 if lows[-3:] == ["but", "not", "both"] else 2)
            inner = [t for t in toks[:cut] if t != ","] if toks[cut - 1] == "," else toks[:cut]
            f = self.vp(inner, subject)
            return _exclusive(f)
        if lows[-2:] == ["or", "both"]:
            inner = toks[:-2]
            inner = inner[:-1] if inner and inner[-1] == "," else inner
            f = self.vp([t for t in inner if t.lower() != "either"] if inner[:1] and inner[0].lower() == "either" else inner, subject)
            return f
        # copula first: "is (not) (either) A or B" distributes
        head = lows[0]
        neg = False
        if head in _NEG_AUX:
            toks = [_NEG_AUX[head], "not", *toks[1:]]
            lows = [t.lower() for t in toks]
            head = lows[0]
        if head in _COPULAS:
            rest = toks[1:]
            if rest and rest[0].lower() == "never":
                rest = ["not", *rest[1:]]
            if rest and rest[0].lower() == "not":
                neg, rest = True, rest[1:]
                _no_ambiguous_not(rest)
            f = self.coordinated(rest, subject, copula=True)
            return Not(f) if neg else f
        if head == "never":
            toks, lows, head = ["does", "not", *toks[1:]], ["does", "not", *lows[1:]], "does"
        if head in ("does", "do", "did") and len(toks) > 1 and lows[1] == "not":
            _no_ambiguous_not(toks[2:])
            return Not(self.coordinated(_any_under_negation(toks[2:]), subject, copula=False))
        if head in _MODALS and len(toks) > 1 and lows[1] == "not":
            return Not(self.coordinated(_any_under_negation([toks[0], *toks[2:]]), subject, copula=False))
        if head in ("has", "have", "had") and len(toks) > 2:
            if lows[1] in ("not", "never") and _past_participle(lows[2]):
                # "has not invested in gold": not what "has invested in gold" says
                _no_ambiguous_not(toks[2:])
                return Not(self.coordinated(_any_under_negation([toks[0], *toks[2:]]), subject, copula=False))
            if lows[1] == "no" and lows[2] not in ("one", "longer", "more", "less", "fewer", "other", "such"):
                # "has no prerequisites": does not have any, the negation of "has a prerequisite"
                if "and" in lows[2:]:
                    raise NotUnderstood("'has no … and …' can be read two ways (neither / not both)")
                return Not(self.coordinated([toks[0], *toks[2:]], subject, copula=False))
        return self.coordinated(toks, subject, copula=False)

    def coordinated(self, toks: list[str], subject: Term, *, copula: bool) -> Formula:
        lows = [t.lower() for t in toks]
        if not toks:
            raise NotUnderstood("an empty phrase")
        if lows[0] == "either" and "or" in lows:
            i = lows.index("or")
            return Xor(self.coordinated(_trim(toks[1:i]), subject, copula=copula),
                       self.coordinated(_trim(toks[i + 1:]), subject, copula=copula))
        if lows[0] == "neither" and "nor" in lows:
            i = lows.index("nor")
            return conj([Not(self.coordinated(_trim(toks[1:i]), subject, copula=copula)),
                         Not(self.coordinated(_trim(toks[i + 1:]), subject, copula=copula))])
        if lows[0] == "both" and "and" in lows:
            toks, lows = toks[1:], lows[1:]
        if "or" in lows:
            parts = _distribute(_split([t if t != "," else "or" for t in toks], "or"), copula)
            if parts is None:  # "reads the Times and other papers regularly": one predicate
                return self.predicate(toks, subject, copula=copula, opaque=True)
            return disj([self.part(p, subject, copula) for p in parts])
        if "and" in lows:
            parts = _distribute(_split([t if t != "," else "and" for t in toks], "and"), copula)
            if parts is None:  # "reads the Times and other papers regularly": one predicate
                return self.predicate(toks, subject, copula=copula, opaque=True)
            return conj([self.part(p, subject, copula) for p in parts])
        return self.part(toks, subject, copula)

    def part(self, toks: list[str], subject: Term, copula: bool) -> Formula:
        toks = [t for t in toks if t != ","]
        if not toks:
            raise NotUnderstood("an empty part of a coordination")
        lows = [t.lower() for t in toks]
        if lows[0] in _COPULAS or lows[0] in _NEG_AUX or (lows[0] in ("does", "do", "did") and lows[1:2] == ["not"]):
            return self.vp(toks, subject)  # "is a student and does not drink"
        if lows[0] == "not":
            return Not(self.part(toks[1:], subject, copula))
        if copula:
            rel = _relative_pronoun(toks)
            if rel is not None:  # "is a person who jokes about …": what the relative clause says
                head = self.restrictor(toks[:rel], subject) if toks[:rel] else None
                body = self.vp(toks[rel + 1:], subject)
                return conj([head, body]) if head is not None else body
            words = [t for t in toks if t.lower() not in ("a", "an", "the")]
            if len(words) > 1 and words[0].lower() in _PERSON_NOUNS:
                toks = words[1:]  # "a person dependent on caffeine" → dependent on caffeine
            elif len(words) > 1 and words[-1].lower() in ("person", "people", "one"):
                toks = words[:-1]  # "a Czech person" → Czech
        return self.predicate(toks, subject, copula=copula)

    # -- noun phrases: the restrictor of a quantifier ------------------------------------------
    def restrictor(self, toks: list[str], var: Variable) -> Formula | None:
        """"people who drink coffee" → drink_coffee(x); "students" → student(x); None: no
        restriction ("everyone")."""
        lows = [t.lower() for t in toks]
        for rel in ("who", "that", "which", "whom"):
            if rel in lows:
                i = lows.index(rel)
                noun = toks[:i]
                clause = toks[i + 1:]
                parts = []
                head = self.restrictor(noun, var) if noun else None
                if head is not None:
                    parts.append(head)
                parts.append(self.vp(clause, var))
                return conj(parts)
        words = [t for t in toks if t.lower() not in _DROP]
        if not words or all(w.lower() in _PERSON_NOUNS for w in words):
            return None
        kind = True  # the kind a quantifier speaks of: a noun ("There is an animal": "is an animal")
        if words[0].lower() in _PERSON_NOUNS and len(words) > 1:  # "something preceded by X"
            words, kind = words[1:], False
        if words[-1].lower() in ("people", "persons") and len(words) > 1:
            words, kind = words[:-1], False  # "American people" → American
        kind = kind and "NOUN" in _pos_of(words[-1].lower()) and not any(
            t.lower() in _PREPOSITIONS for t in words)
        return self.predicate(words, var, copula=True, noun=kind)

    # -- whole sentences ---------------------------------------------------------------------
    def sentence(self, text: str) -> Formula:
        toks = _tokens(text)
        if not toks:
            raise NotUnderstood("an empty sentence")
        _no_proportional_quantifier(toks)
        lows = [t.lower() for t in toks[:2]]
        if len(toks) > 2 and lows[0] == "not" and lows[1] in _EVERY:  # "Not all dogs are loud."
            return Not(self.clause(toks[1:], subject=None))
        return self.clause(toks, subject=None)

    def clause(self, toks: list[str], subject: Term | None) -> Formula:
        lows = [t.lower() for t in toks]
        # if and only if
        for i in range(len(lows) - 3):
            if lows[i:i + 4] == ["if", "and", "only", "if"]:
                var = self._generic_subject(toks[:i])
                if not var and toks[i + 4:i + 5] and toks[i + 4].lower() in _PRONOUNS:
                    # "Maya sings if and only if she is happy": the pronoun is the named subject
                    return self._ground_pair(toks[:i], toks[i + 4:], Iff)
                return self._bind(var, lambda s: Iff(self.clause(toks[:i], s), self.clause(toks[i + 4:], s)))
        if lows[0] in ("if", "when", "whenever"):
            comma = _comma_then(lows)
            if comma is None:
                raise NotUnderstood(f"an '{lows[0]}' without a main clause")
            cond, main = toks[1:comma[0]], toks[comma[1]:]
            if lows[0] == "when":
                self._present_condition(cond)
            if not self._generic_subject(cond):
                return self._ground_pair(cond, main, Implies)
            return ForAll(X, Implies(self.clause(cond, X), self._anaphoric(main, X, self._head_nouns(cond))))
        if "unless" in lows:
            i = lows.index("unless")
            main, cond = [t for t in toks[:i] if t != ","], toks[i + 1:]
            if not main:
                comma = _comma_then([t.lower() for t in cond])
                if comma is None:
                    raise NotUnderstood("'unless' without a main clause")
                main, cond = cond[comma[1]:], cond[:comma[0]]
            var = self._generic_subject(main)
            return self._bind(var, lambda s: Implies(Not(self.clause(cond, s)), self.clause(main, s)))
        mid = next((i for i, w in enumerate(lows) if i > 0 and w in ("if", "whenever")), None)
        if mid is not None and mid > 1:
            i = mid
            main, cond = [t for t in toks[:i] if t != ","], toks[i + 1:]
            var = self._generic_subject(main)
            if not var and cond and cond[0].lower() in _PRONOUNS:
                # "Tom dreams whenever he sleeps": "he" is the main clause's named subject
                a = self.clause(main, None)
                return Implies(self.clause(cond, _subject_of(a) if _ground(a) else None), a)
            return self._bind(var, lambda s: Implies(self.clause(cond, s), self.clause(main, s)))
        if lows[0] in ("either", "neither") and subject is None and self._clausal_coordination(toks):
            return self._clausal(toks)
        return self.simple(toks, subject)

    def _present_condition(self, cond: list[str]) -> None:
        """"When a dog barks, …" is a conditional; "When Tom was young, …" speaks of one time
        in the past, not of every time: refused."""
        try:
            _, vp = self._split_subject([t for t in cond if t != ","])
        except NotUnderstood as exc:
            raise NotUnderstood(f"'when' without a clause: {exc}") from None
        if _past_tense(vp[0]):
            raise NotUnderstood("'when' in the past tense speaks of one time, not a condition")

    def _head_nouns(self, cond: list[str]) -> frozenset[str]:
        """The noun that "that N" / "the N" in the main clause may repeat: "If a musician is …,
        that musician …"; "person" for "someone"."""
        lows = [t.lower() for t in cond if t != ","]
        if lows[:1] in (["someone"], ["somebody"], ["anyone"], ["anybody"]):
            return frozenset({"person"})
        if lows[:1] not in (["a"], ["an"]):
            return frozenset()
        try:
            np, _ = self._split_subject(cond[1:])
        except NotUnderstood:
            return frozenset()
        words = []
        for w in (t.lower() for t in np):
            if w in ("who", "that", "which", "whom") or w in _PREPOSITIONS:
                break
            words.append(w)
        return frozenset(words[-1:])

    def _anaphoric(self, main: list[str], var: Variable, nouns: frozenset[str]) -> Formula:
        """The main clause of a universal conditional; "that musician" / "the musician" there is
        the bound one when it repeats the condition's noun."""
        lows = [t.lower() for t in main if t != ","]
        if len(lows) > 2 and lows[0] in ("that", "the", "this") and lows[1] in nouns and \
                lows[2] not in ("who", "that", "which", "whom"):
            return self.clause(["it", *[t for t in main if t != ","][2:]], var)
        return self.clause(main, var)

    def _clausal_coordination(self, toks: list[str]) -> bool:
        """"Either Rina is a student or Rina is …": a clause on each side (each with its own verb
        after a name), not a coordinated predicate."""
        lows = [t.lower() for t in toks]
        sep = "or" if lows[0] == "either" else "nor"
        if sep not in lows:
            return False
        i = lows.index(sep)
        right = toks[i + 1:]
        return bool(right) and (_is_name(right[0]) or right[0].lower() in _PRONOUNS) and any(
            t.lower() in _AUX | set(_NEG_AUX) or _verbish(t) for t in right[1:3])

    def _clausal(self, toks: list[str]) -> Formula:
        lows = [t.lower() for t in toks]
        sep = "or" if lows[0] == "either" else "nor"
        i = lows.index(sep)
        left, right = [t for t in toks[1:i] if t != ","], toks[i + 1:]
        tail = [t.lower() for t in right[-3:]]
        exclusive = lows[0] == "either"
        if tail == ["but", "not", "both"]:
            right = [t for t in right[:-3] if t != ","] if right[-4] == "," else right[:-3]
        elif [t.lower() for t in right[-2:]] == ["or", "both"]:
            right, exclusive = right[:-2], False
            right = right[:-1] if right and right[-1] == "," else right
        if right[0].lower() in _PRONOUNS - {"them", "him", "her"} and left and \
                left[0].lower() in ("a", "an", "someone", "somebody", "something"):
            # "Either an animal can swim or it can walk": the pronoun is the generic subject, so
            # the whole coordination is said of every such thing
            np, vp = self._split_subject(left[1:] if left[0].lower() in ("a", "an") else left)
            r = self.restrictor(np, X)
            a, b = self.vp(vp, X), self.clause(right, X)
            if lows[0] == "neither":
                inner = conj([Not(a), Not(b)])
            else:
                inner = Xor(a, b) if exclusive else disj([a, b])
            return ForAll(X, Implies(r, inner) if r is not None else inner)
        a = self.clause(left, None)
        # "Either Tom sleeps or he eats": "he" is the named subject of the first clause
        b = self.clause(right, _subject_of(a) if _ground(a) and right[0].lower() in _PRONOUNS else None)
        if lows[0] == "neither":
            return conj([Not(a), Not(b)])
        return Xor(a, b) if exclusive else disj([a, b])

    def _generic_subject(self, toks: list[str]) -> bool:
        """Does this clause speak of an arbitrary someone ("someone", "a person", "an animal",
        "people who …", "they")? Then the conditional is universal."""
        lows = [t.lower() for t in toks if t != ","]
        if not lows:
            return False
        return lows[0] in ("someone", "somebody", "something", "anyone", "anybody", "anything", "a", "an",
                           "people", "everyone", "everybody", "everything", "they", "it", "he", "she", "you") or (
            lows[0] not in _QUANT_WORDS and not _is_name(toks[0]) and _looks_plural(lows[0]))

    def _bind(self, generic: bool, build) -> Formula:
        if not generic:
            return build(None)
        return ForAll(X, build(X))

    def _ground_pair(self, first: list[str], second: list[str], make) -> Formula:
        """Two clauses about a named subject: "it / he / she / they" in the second is the first's
        subject ("If the monitor has a port, then it is …")."""
        a = self.clause(first, None)
        return make(a, self.clause(second, _subject_of(a) if _ground(a) else None))

    def simple(self, toks: list[str], subject: Term | None) -> Formula:
        """One subject and its verb phrase (the subject may be quantified)."""
        lows = [t.lower() for t in toks]
        first = lows[0]
        if first == "there" and len(lows) > 2 and lows[1] in ("is", "are", "exists", "exist"):
            rest = toks[2:]
            rl = lows[2:]
            if rl and rl[0] in ("no", "nothing", "nobody", "noone"):
                body = self._existential_body(rest[1:] if rl[0] == "no" else ["something", *rest[1:]])
                return Not(Exists(X, body))
            if rl[:2] == ["at", "least"] and rl[2:3] in (["one"], ["a"]):
                rest, rl = rest[3:], rl[3:]
            if rl and rl[0] in ("a", "an", "some", "one"):
                rest = rest[1:]
            return Exists(X, self._existential_body(rest))
        if first in ("all", "every", "each", "any"):
            rest = toks[1:]
            if rest and rest[0].lower() == "of":
                rest = rest[1:]
            np, vp = self._split_subject(rest)
            r = self.restrictor(np, X)
            body = self.vp(vp, X)
            return ForAll(X, Implies(r, body) if r is not None else body)
        if first in ("no", "none"):
            rest = toks[1:]
            if first == "none" and rest[:1] and rest[0].lower() == "of":
                rest = rest[1:]
            if rest and rest[0].lower() == "one":
                rest = ["someone", *rest[1:]]
            np, vp = self._split_subject(rest)
            r = self.restrictor(np, X)
            body = self.vp(vp, X)
            return ForAll(X, Implies(r, Not(body)) if r is not None else Not(body))
        if first in ("nothing", "nobody"):
            np, vp = self._split_subject(["something", *toks[1:]])
            r = self.restrictor(np, X)
            body = self.vp(vp, X)
            return ForAll(X, Implies(r, Not(body)) if r is not None else Not(body))
        if first in ("some", "someone", "somebody", "something"):
            rest = toks[1:] if first == "some" else toks
            if rest and rest[0].lower() == "of":
                rest = rest[1:]
            if subject is not None and first != "some":  # "if someone …, they …": the bound one
                np, vp = self._split_subject(rest)
                r = self.restrictor(np, subject)
                body = self.vp(vp, subject)
                return conj([r, body]) if r is not None else body
            np, vp = self._split_subject(rest)
            r = self.restrictor(np, X)
            body = self.vp(vp, X)
            if first != "some" and r is not None:
                # "Someone who is nice is kind", "Someone nice is kind": said of anyone so
                # described (the reading of ParaRules, LogicNLI and FOLIO); "Someone is kind": one
                return ForAll(X, Implies(r, body))
            return Exists(X, conj([r, body]) if r is not None else body)
        if first == "only":
            np, vp = self._split_subject(toks[1:])
            r = self.restrictor(np, X)
            if r is None:
                raise NotUnderstood("'only' needs a kind of thing")
            return ForAll(X, Implies(self.vp(vp, X), r))
        if first in ("everyone", "everybody", "everything", "anyone", "anybody", "anything"):
            np, vp = self._split_subject(toks)
            if subject is not None:
                r = self.restrictor(np, subject)
                body = self.vp(vp, subject)
                return Implies(r, body) if r is not None else body
            r = self.restrictor(np, X)
            body = self.vp(vp, X)
            return ForAll(X, Implies(r, body) if r is not None else body)
        run = _name_run(toks)
        if run:
            start = 1 if first == "the" else 0
            name = self._constant([t for t in toks[:run] if t.lower() != "the" or start == 0])
            rest = toks[run:]
            if rest and rest[0].lower() == "and" and (run2 := _name_run(rest[1:])):
                other = self._constant(rest[1:1 + run2])
                vp = rest[1 + run2:]
                if vp[:1] and vp[0].lower() in _COPULAS and vp[1:2] and vp[1].lower() == "both":
                    vp = [vp[0], *vp[2:]]
                elif vp[:1] and vp[0].lower() == "both":
                    vp = vp[1:]
                if vp[:1] and vp[0].lower() == "are":
                    vp = ["is", *vp[1:]]
                return conj([self.vp(vp, name), self.vp(vp, other)])
            if rest:
                return self.vp(rest, name)
        if first == "the" and len(toks) > 2 and not _is_name(toks[1]):
            np, vp = self._split_subject(toks[1:])
            if any(t.lower() in ("who", "that", "which") for t in np):
                raise NotUnderstood(f"'the {' '.join(np)}' names nobody in particular")
            return self.vp(vp, self._constant(["the", *np]))
        if first == "you":  # generic "you" ("If you are late, you lose"): only the bound one
            if subject is None:
                raise NotUnderstood("'you' speaks of anyone only inside a conditional")
            return self.vp(toks[1:], subject)
        if first in _PRONOUNS:
            if subject is None:
                raise NotUnderstood(f"'{toks[0]}' refers to nothing in this sentence")
            return self.vp(toks[1:], subject)
        if first in ("a", "an") or (not _is_name(toks[0]) and first not in _QUANT_WORDS):
            # a generic subject: "A hatchery is …", "Students who … are …"; inside a universal
            # conditional it is the bound one
            np, vp = self._split_subject(toks[1:] if first in ("a", "an") else toks)
            if first not in ("a", "an") and not _plural_subject(np):
                if _bare_singular(np) and (len(np) == 1 or subject is None or not _looks_plural(np[-1].lower())):
                    # "Bob is …", "Sea salt is …", "if bladder cancer is …": a bare singular noun
                    # phrase names one thing (a name that is also a word, a substance, a disease)
                    return self.vp(vp, self._constant(np))
                raise NotUnderstood(f"'{' '.join(np)}' is neither a name nor a kind of thing")
            if subject is not None:
                r = self.restrictor(np, subject)
                body = self.vp(vp, subject)
                return conj([r, body]) if r is not None else body
            if first not in ("a", "an") and vp and _past_tense(vp[0]) and not _relative_pronoun(np) \
                    and vp[0].lower() not in ("was", "were", "had", "didn't") \
                    and [t.lower() for t in vp[:2]] != ["did", "not"]:
                # "People died in the earthquake": some people, one event, not a rule about all
                # ("Injured people did not fight": none did, a rule about all)
                raise NotUnderstood(f"'{' '.join(np)}' with a verb in the past tense: some or all?")
            r = self.restrictor(np, X)
            body = self.vp(vp, X)
            if first in ("a", "an") and vp and _past_tense(vp[0]):  # "A Czech person wrote a book": one
                return Exists(X, conj([r, body]) if r is not None else body)
            return ForAll(X, Implies(r, body) if r is not None else body)
        # a name
        i = 0
        while i < len(toks) and (_is_name(toks[i]) or (i > 0 and toks[i].lower() in ("of", "de", "the") and i + 1 < len(toks) and _is_name(toks[i + 1]))):
            i += 1
        if i == 0:
            raise NotUnderstood(f"cannot tell who or what '{toks[0]}' is")
        return self.vp(toks[i:], self._constant(toks[:i]))

    def _constant(self, words: list[str]) -> Constant:
        """A named thing: one constant per name in the whole problem, shown as written; a
        negation never becomes part of a name ("Not Rex and Max are …")."""
        negation = next((w for w in words if w.lower() in _NEGATION_WORDS), None)
        if negation is not None:
            raise NotUnderstood(f"'{negation}' would become part of the name '{' '.join(words)}'")
        c = Constant("_".join(w.lower() for w in words))
        self.phrases.names.setdefault(c.name, " ".join(words))
        return c

    def _existential_body(self, toks: list[str]) -> Formula:
        lows = [t.lower() for t in toks]
        for rel in ("who", "that", "which"):
            if rel in lows:
                i = lows.index(rel)
                r = self.restrictor(toks[:i], X)
                body = self.vp(toks[i + 1:], X)
                return conj([r, body]) if r is not None else body
        r = self.restrictor(toks, X)
        if r is None:
            raise NotUnderstood("'there is' without what there is")
        return r

    def _split_subject(self, toks: list[str]) -> tuple[list[str], list[str]]:
        np, vp = self._split_at_verb(toks)
        relative = any(t.lower() in ("who", "that", "which") for t in np)
        while np and (np[-1].lower() in ("either", "neither", "both", "not", "also", "always", "never", "often", "ever")
                      or (np[-1].lower().endswith("ly") and len(np) > 1 and not relative)):
            vp = [np[-1], *vp]
            np = np[:-1]
        if not np:
            raise NotUnderstood("a verb phrase without a subject")
        return np, vp

    def _split_at_verb(self, toks: list[str]) -> tuple[list[str], list[str]]:
        """Split "people who regularly drink coffee | are dependent on caffeine": the main verb is
        the first verb after the relative clause's own verb (or the first verb if there is none)."""
        lows = [t.lower() for t in toks]
        rel = next((i for i, w in enumerate(lows) if w in ("who", "that", "which")), None)
        verbs = [i for i, w in enumerate(lows) if i > 0 and not toks[i][:1].isupper() and (
            w in _AUX or w in _NEG_AUX or (_verbish(toks[i]) and lows[i - 1] not in _DETERMINERS))]
        if rel is None:
            j = 1
            while j < len(lows) and (_adverb(lows[j]) or lows[j] in ("either", "neither", "both")):
                j += 1
            if len(lows) > j + 1 and _looks_plural(lows[0]) and not _is_name(toks[0]) and lows[0] not in _QUANT_WORDS \
                    and _verbish(lows[j]) and lows[j] not in _AUX and _verb_form(lows[j]) == "base" \
                    and lows[j] not in _PREPOSITIONS and verb_lemma(lows[j]) == lows[j]:
                # "People eat …", "Dogs either bark or …": a plural noun, then a verb agreeing with it
                return toks[:j], toks[j:]
            aux = [i for i in verbs if lows[i] in _AUX or lows[i] in _NEG_AUX]
            plain = [i for i in verbs if _nounish(toks[_before_adverbs(lows, i)]) and not _participle(lows, i)]
            if len(plain) > 1:  # the verb agrees with its subject: "every … scare comes", "all … come"
                singular = not _looks_plural(lows[plain[0] - 1]) if plain[0] > 0 else True
                agreeing = [i for i in plain if lows[i].endswith("s") == singular]
                plain = agreeing or plain
            cut = aux[0] if aux else (plain[0] if plain else None)
            if cut is None:
                # "People died in the earthquake", "A song appeared in a film": a regular past
                # tense looks like a reduced relative ("born in"), but with no other verb after
                # it, it is the main verb; two such verbs stay ambiguous and are refused
                past = [i for i in verbs if lows[i].endswith("ed") and lows[i] not in _AUX
                        and _nounish(toks[_before_adverbs(lows, i)])]
                cut = past[0] if len(past) == 1 and past == verbs[-len(past):] else None
            if cut is None:
                raise NotUnderstood("cannot find the verb")
            return toks[:cut], toks[cut:]
        after = [i for i in verbs if i > rel]
        if len(after) < 1:
            raise NotUnderstood("cannot find the main verb after the relative clause")
        # the relative clause's verb group: its first verb, then the main verb is the next
        # auxiliary (is/are/can/do …), or else the next verb
        first = after[0] if after[0] > rel else rel + 1
        aux = [i for i in after if i > first and (lows[i] in _AUX or lows[i] in _NEG_AUX)]
        if aux:
            return toks[:aux[0]], toks[aux[0]:]
        later = [i for i in after if i > first + 1 and _nounish(toks[i - 1])]
        if not later:
            raise NotUnderstood("cannot find the main verb after the relative clause")
        return toks[:later[0]], toks[later[0]:]


_PLACE_PREPOSITIONS = {"in", "from", "at", "on", "near", "inside", "outside", "within"}


#: "every day", "each morning", "every other week": how often, not a quantifier over the things
#: the problem speaks of; such an adverbial stays in its predicate's name
_TIME_NOUNS = frozenset({"day", "week", "month", "year", "morning", "afternoon", "evening", "night", "weekend",
                         "hour", "minute", "season", "summer", "winter", "spring", "autumn", "semester",
                         "weekday", "decade", "monday", "tuesday", "wednesday", "thursday", "friday",
                         "saturday", "sunday"})


def _time_adverbial(toks: list[str], k: int) -> bool:
    """Does ``toks[k]`` start "every/each (other|single) <time>"?"""
    lows = [t.lower() for t in toks[k:k + 3]]
    if not lows or lows[0] not in ("every", "each"):
        return False
    rest = lows[1:]
    if rest[:1] in (["other"], ["single"]):
        rest = rest[1:]
    return bool(rest) and rest[0] in _TIME_NOUNS


def _pos_of(w: str) -> frozenset[str]:
    from kgreason.language.english_words import _pos

    return _pos(w)


def _adjective_only(w: str) -> bool:
    from kgreason.language.english_words import _pos

    pos = _pos(w)
    return "ADJ" in pos and "NOUN" not in pos


def _key_word(w: str, original: str) -> str:
    """The form a word takes in a predicate's name: plurals singular, verbs in their lemma,
    names and words without an inflection ending as written ("area", not "areum")."""
    if original[:1].isupper() and _is_name(original) or any(c.isdigit() for c in w):
        return w
    if w in ("is", "are", "was", "were", "am", "be", "been"):
        return "be"
    if w.endswith(("s", "ed", "ing", "en")) or w in ("has", "had", "does", "did"):
        return lemma(w)
    return w


def _past_tense(tok: str) -> bool:
    w = tok.lower()
    if w in ("was", "were", "did", "had"):
        return True
    return w not in _AUX and not w.endswith("s") and _verbish(w) and lemma(w) != w


def _relative_pronoun(toks: list[str]) -> int | None:
    """The index of a relative pronoun after a noun ("a person who", "a book that"), not a
    that-clause after an adjective ("unaware that caffeine is a drug")."""
    from kgreason.language.english_words import _pos

    for i, t in enumerate(toks):
        w = t.lower()
        if i == 0 or w not in ("who", "that", "which"):
            continue
        prev = toks[i - 1].lower()
        if w == "who" or prev in _PERSON_NOUNS or _looks_plural(prev) or (
                "NOUN" in _pos(prev) and "ADJ" not in _pos(prev)):
            return i
    return None


def _plural_subject(np: list[str]) -> bool:
    """A generic plural subject: "animals", "people who …", "animals that can walk", "people
    born in Ohio"."""
    lows = [t.lower() for t in np]
    rel = next((i for i, w in enumerate(lows) if w in ("who", "that", "which")), None)
    if rel is not None:
        return lows[0] == "who" or (rel > 0 and (lows[rel] == "who" or _looks_plural(lows[rel - 1])))
    if len(lows) > 1 and _looks_plural(lows[0]) and not _is_name(np[0]) and \
            _past_participle(lows[1]):
        return True  # a reduced relative clause: "people born in …"
    return bool(lows) and _looks_plural(lows[-1])


def _past_participle(w: str) -> bool:
    return "VERB" in _pos_of(w) and not w.endswith(("s", "ing")) and verb_lemma(w) != w


def _bare_singular(np: list[str]) -> bool:
    """A noun phrase without article, quantifier, preposition or clause: "Sea eel", "Bob"."""
    from kgreason.language.morphology import NUMBER_WORDS

    lows = [t.lower() for t in np]
    if not lows or len(lows) > 4 or any(w in _DETERMINERS or w in _PRONOUNS or w in ("you", "we", "i") or
                                        w in NUMBER_WORDS or w.isdigit() or len(w) == 1 for w in lows):
        return False  # "two teams", "you", "place A", "y": not one named thing
    if _looks_plural(lows[-1]) and not _name_like(np[-1]) and len(lows) > 1:
        return False
    if not (_is_name(np[-1]) or _name_like(np[-1]) or "NOUN" in _pos_of(lows[-1])):
        return False
    return all(_is_name(t) or _name_like(t) or ({"NOUN", "ADJ"} & _pos_of(t.lower())) for t in np)


def _name_like(tok: str) -> bool:
    """A word shaped like a name whatever its first letter: "2Sum", "iPod1", "K-12"."""
    has_digit = any(c.isdigit() for c in tok)
    has_alpha = any(c.isalpha() for c in tok)
    inner_capital = any(c.isupper() for c in tok[1:])
    return (has_digit and has_alpha) or (tok[:1].islower() and inner_capital)


def _name_run(toks: list[str]) -> int:
    """How many leading tokens name someone: "The Scream", "New York City", "Jack Odell",
    "System 7", "Rina" (0: not a name). A single capitalized word that is also a common word
    ("People", "Cats") is a name only where the problem writes it capitalized mid-sentence."""
    i = 1 if toks and toks[0].lower() == "the" else 0
    start = i
    while i < len(toks) and (toks[i][:1].isupper() or _name_like(toks[i]) or (i > start and toks[i][:1].isdigit())) \
            and toks[i] not in _NAME_STOP:
        i += 1
    n = i - start
    if n == 0:
        return 0
    if n == 1 and start == 0 and not _is_name(toks[0]):
        return 0
    return i


def _any_under_negation(toks: list[str]) -> list[str]:
    """"does not choose any plans" says what "does not choose plans" says: "any" before a noun
    inside a negation is dropped ("any more", "any longer", "any of" stay, and are refused)."""
    lows = [t.lower() for t in toks]
    return [t for k, t in enumerate(toks) if not (
        lows[k] == "any" and k + 1 < len(toks) and lows[k + 1] not in ("more", "longer", "less", "of", "other")
        and lows[k + 1] not in _QUANT_WORDS and _np_word(toks[k + 1]))]


def _ground(f: Formula) -> bool:
    """No quantifier inside: a pronoun after it can only mean a named subject."""
    from kgreason.core.formulas import subformulas

    return not any(isinstance(g, (ForAll, Exists)) for g in subformulas(f))


def _subject_of(f: Formula) -> Term | None:
    """The first argument of the first atom of a ground formula (what a later pronoun means)."""
    from kgreason.core.formulas import subformulas

    for g in subformulas(f):
        if isinstance(g, Predicate) and g.args and isinstance(g.args[0], Constant):
            return g.args[0]
    return None


#: Quantifiers first-order logic cannot say ("most dogs", "a few cats", "the majority of"): a
#: sentence with one is not understood, never read as "every" or as a new noun.
_PROPORTIONAL = frozenset({"most", "many", "few", "several", "numerous"})
_PROPORTION_OF = frozenset({"majority", "minority", "half", "proportion", "percent"})
_EVERY = frozenset({"all", "every", "each", "everyone", "everybody", "everything"})
_NEGATION_WORDS = frozenset({"not", "no", "never", "none", "nobody", "nothing", "neither", "nor"})


def _no_proportional_quantifier(toks: list[str]) -> None:
    lows = [t.lower() for t in toks]
    for i, w in enumerate(lows):
        before = lows[i - 1] if i else ""
        after = lows[i + 1] if i + 1 < len(lows) else ""
        superlative = w == "most" and before in ("the", "a", "an")  # "the most popular dog"
        if (w in _PROPORTIONAL and not superlative) or (w in _PROPORTION_OF and after == "of"):
            raise NotUnderstood(f"'{toks[i]}' is a quantifier first-order logic cannot say "
                                "(most, many, few, several, the majority of)")


def _no_ambiguous_not(toks: list[str]) -> None:
    """"is not A and B" is read both as "not (A and B)" and as "not A, and B" by people (FOLIO's
    own annotations disagree): refuse it rather than pick one silently."""
    lows = [t.lower() for t in toks]
    if lows and lows[0] not in ("either", "neither", "both") and ("and" in lows or "or" in lows):
        k = lows.index("and") if "and" in lows else lows.index("or")
        if k + 1 < len(lows) and (lows[k + 1] in _AUX or lows[k + 1] in _NEG_AUX):
            return  # a second verb phrase: "does not go on a diet and is diligent"
        raise NotUnderstood("'not' before 'and'/'or' can be read two ways (not both / neither)")


def _exclusive(f: Formula) -> Formula:
    if isinstance(f, Or) and len(f.parts) == 2:
        return Xor(*f.parts)
    return f


def _trim(toks: list[str]) -> list[str]:
    while toks and toks[0] == ",":
        toks = toks[1:]
    while toks and toks[-1] == ",":
        toks = toks[:-1]
    return toks


def _split(toks: list[str], word: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    lows = [t.lower() for t in toks]
    toks = [t for i, t in enumerate(toks) if not (lows[i] == word and i + 1 < len(toks) and lows[i + 1] == word)]
    for t in toks:
        if t.lower() == word:
            parts.append([])
        else:
            parts[-1].append(t)
    if any(not [t for t in p if t != ","] for p in parts):
        raise NotUnderstood(f"'{word}' with nothing on one side")
    return parts


_DETERMINERS = frozenset({"a", "an", "the", "his", "her", "their", "its", "our", "my", "your", "this", "these"})
_PREPOSITIONS = frozenset({"in", "on", "at", "to", "from", "of", "for", "with", "by", "about", "into", "over",
                           "under", "without", "near", "after", "before", "during", "than", "like", "as",
                           "through", "between", "among", "within", "inside", "outside", "around", "across"})


def _np_word(tok: str) -> bool:
    """Can ``tok`` be part of a plain noun phrase ("the", "busy", "schedule", "scrambled", "Paris")?"""
    from kgreason.language.english_words import _pos

    w = tok.lower()
    if w in _DETERMINERS or w[:1].isdigit():
        return True
    if w in _PREPOSITIONS or w in _QUANT_WORDS or w in _AUX or w in _NEG_AUX or w in _PRONOUNS:
        return False
    pos = _pos(w)
    if not pos:
        return not w.endswith("ly")
    return "NOUN" in pos or "ADJ" in pos or (w.endswith("ed") and "VERB" in pos)


def _last_np(toks: list[str], *, verb_first: bool = False) -> int | None:
    """Where the noun phrase ending ``toks`` starts ("has | a busy schedule", "goes to | Paris",
    "enjoys eating | hamburgers"); None: ``toks`` does not end with one after a verb or a
    preposition. ``verb_first``: ``toks`` is a verb phrase, its first word (after adverbs) the verb."""
    lows = [t.lower() for t in toks]
    rel = max((i for i, w in enumerate(lows) if w in ("who", "that", "which")), default=None)
    floor = 0
    if rel is not None:  # "a person who drinks | coffee": the relative clause's verb stays
        floor = rel + 1
        while floor < len(toks) and lows[floor].endswith("ly"):
            floor += 1
        floor += 1
    elif verb_first:
        while floor < len(toks) and toks[floor].lower().endswith("ly"):
            floor += 1
        floor += 1
    k = len(toks)
    while k > floor and _np_word(toks[k - 1]):
        k -= 1
    if k == 0 or k == len(toks) or all(t.lower() in _DETERMINERS for t in toks[k:]):
        return None
    return k


def _verb_form(w: str) -> str:
    w = w.lower()
    if w.endswith("ed"):
        return "past"
    if w.endswith("s") and not w.endswith("ss"):
        return "s"
    return "ing" if w.endswith("ing") else "base"


def _first_verb(toks: list[str]) -> str | None:
    for t in toks:
        if not t.lower().endswith("ly"):
            return t.lower()
    return None


def _disagrees(word: str, first: list[str]) -> bool:
    """A noun that could be a verb but not the first conjunct's form ("eats | milk")."""
    v0 = _first_verb(first)
    return "NOUN" in _pos_of(word.lower()) and v0 is not None and _verb_form(word) != _verb_form(v0)


def _conjunct_is_vp(part: list[str], first: list[str]) -> bool:
    """Is a later conjunct a verb phrase of its own ("… and eats cake") or an object that shares
    the first conjunct's verb ("eats hamburgers and steaks")? Refused where English leaves it open
    ("likes cats and dogs": "dogs" could be a verb)."""
    from kgreason.language.english_words import _pos

    w = _first_verb(part)
    if w is None:
        raise NotUnderstood("an empty part of a coordination")
    if w in _AUX or w in _NEG_AUX or w in ("not", "never", "either", "neither", "both", "to"):
        return True
    if not _verbish(w):
        return False
    pos = _pos(w)
    nounish = "NOUN" in pos or "ADJ" in pos
    v0 = _first_verb(first)
    agree = v0 is not None and _verb_form(w) == _verb_form(v0)
    if not agree:
        return not (nounish or (w.endswith("ed") and len(part) > 1))
    second = part[1].lower() if len(part) > 1 else ""
    if nounish and _last_np(first, verb_first=True) is not None and all(_np_word(t) for t in part) \
            and second not in _DETERMINERS:  # "… and reads the news": a verb before an article
        raise NotUnderstood(f"'{' '.join(part)}' could be a verb phrase or what '{' '.join(first)}' is said of")
    return True


_ADVERBS = frozenset({"often", "always", "sometimes", "rarely", "seldom", "usually", "well", "hard", "fast", "late",
                      "early", "together", "alone", "abroad", "home", "online", "daily", "weekly"})


def _adverb(tok: str) -> bool:
    w = tok.lower()
    return w in _ADVERBS or (w.endswith("ly") and "NOUN" not in _pos_of(w) and "ADJ" not in _pos_of(w))


def _distribute(parts: list[list[str]], copula: bool) -> list[list[str]] | None:
    """A coordinated object or complement shares the words before it: "eats hamburgers and
    steaks" → "eats hamburgers", "eats steaks"; "is made of wood or metal" → "made of wood",
    "made of metal". None: the coordination is inside one object that a modifier after it
    shares ("reads the Times and other papers regularly"), or of adverbs ("limps often and
    regularly"): the whole phrase is one predicate. A conjunct that is none of these is refused."""
    if not copula and len(parts) > 1:
        last = [t for t in parts[-1] if t != ","]
        before = [t for t in parts[-2] if t != ","]
        if last and all(_adverb(t) for t in last) and before and _adverb(before[-1]):
            return None
        k = 0
        while k < len(last) and _np_word(last[k]):
            k += 1
        if 0 < k < len(last) and last[0].lower() not in _DETERMINERS | {"a", "an"} | set(_AUX) and \
                (_adverb(last[k]) or last[k].lower() in _PREPOSITIONS | {"to"} or _time_adverbial(last, k)) and \
                (not _verbish(last[0]) or _disagrees(last[0], before)) and \
                _last_np(before, verb_first=True) is not None:
            return None
    out = [parts[0]]
    full = [t for t in parts[0] if t != ","]
    for part in parts[1:]:
        part = [t for t in part if t != ","]
        lows = [t.lower() for t in part]
        if copula:
            rel = any(w in ("who", "that", "which") for w in lows)
            if not rel and any(w in _COPULAS for w in lows[1:]):
                raise NotUnderstood(f"'{' '.join(part)}' is a clause, not what is said of the subject")
            if lows[0] in ("a", "an") and [t.lower() for t in full][:1] not in (["a"], ["an"]) and \
                    any(t.lower() in _PREPOSITIONS for t in full):
                raise NotUnderstood(f"'{' '.join(part)}' could be said of the subject or of what "
                                    f"'{' '.join(full)}' speaks of")
            shares = (lows[0] not in ("a", "an", "not") and lows[0] not in _COPULAS and lows[0] not in _NEG_AUX
                      and not all(_np_word(t) for t in full) and all(_np_word(t) for t in part))
            if shares:
                from kgreason.language.english_words import _pos

                if "ADJ" in _pos(lows[-1]) or not _pos(lows[-1]) and not _is_name(part[-1]):
                    raise NotUnderstood(f"'{' '.join(part)}' could be said of the subject or of "
                                        f"what '{' '.join(full)}' speaks of")
                cut = _last_np(full)
                if cut is None:
                    raise NotUnderstood(f"cannot tell what '{' '.join(part)}' is said of")
                part = [*full[:cut], *part]
            else:
                full = part
            out.append(part)
            continue
        if _conjunct_is_vp(part, full):
            full = part
            out.append(part)
            continue
        cut = _last_np(full, verb_first=True)
        if cut is None or not all(_np_word(t) for t in part):
            raise NotUnderstood(f"cannot tell what '{' '.join(part)}' is said of")
        out.append([*full[:cut], *part])
    return out


def _comma_then(lows: list[str]) -> tuple[int, int] | None:
    if "then" in lows:
        i = lows.index("then")
        return (i - 1 if i > 0 and lows[i - 1] == "," else i), i + 1
    if "," in lows:
        i = lows.index(",")
        return i, i + 1
    return None


#: (names written capitalized mid-sentence, words written in lower case) of the problem being
#: read: per context, so concurrent readings (the server's threads) never see each other's
_PROBLEM_WORDS: ContextVar[tuple[frozenset[str], frozenset[str]]] = ContextVar(
    "first_order_problem_words", default=(frozenset(), frozenset()))


def _is_name(tok: str) -> bool:
    if tok and _name_like(tok):
        return True
    if not tok or not tok[0].isupper() or tok in _NAME_STOP:
        return False
    from kgreason.language.english_words import _pos

    names, lower_words = _PROBLEM_WORDS.get()
    if tok.lower() in names or tok.isupper():
        return True
    return not _pos(tok.lower()) and not (_looks_plural(tok.lower()) and tok.lower()[:-1] in lower_words)


def _looks_plural(word: str) -> bool:
    from kgreason.language.english_words import _looks_plural as plural

    return plural(word)


def _verbish(tok: str) -> bool:
    """A finite verb form that can start a verb phrase ("drinks", "jokes", "likes")."""
    from kgreason.language.english_words import is_verb_form

    w = tok.lower()
    if w in _AUX or w in _NEG_AUX:
        return True
    return not w.endswith("ly") and is_verb_form(w)


def _before_adverbs(lows: list[str], i: int) -> int:
    """The word before position i, skipping adverbs and "either"/"both"/"not"."""
    k = i - 1
    while k > 0 and (lows[k].endswith("ly") or lows[k] in ("either", "neither", "both", "not", "also", "always", "never", "often", "ever")):
        k -= 1
    return k


def _participle(lows: list[str], i: int) -> bool:
    """"preceded by", "born in", "running": a reduced relative clause, not the main verb."""
    w = lows[i]
    nxt = lows[i + 1] if i + 1 < len(lows) else ""
    return w.endswith("ing") or (w.endswith(("ed", "en", "rn")) and nxt in ("by", "in", "at", "on", "from", "with", "for", "to"))


def _nounish(tok: str) -> bool:
    """Can ``tok`` end a noun phrase (a noun, a plural, a name)?"""
    from kgreason.language.english_words import _pos

    w = tok.lower()
    return _is_name(tok) or "NOUN" in _pos(w) or _looks_plural(w) or not _pos(w)


def read_first_order(premises: list[str], conclusion: str | None) -> FirstOrderReading:
    """Read a problem's premises and conclusion with one shared vocabulary."""
    phrases = Phrases()
    reader = _Reader(phrases)
    names: set[str] = set()
    lower_words: set[str] = set()
    for text in [*premises, conclusion or ""]:
        toks = _tokens(text)
        lower_words.update(t for t in toks if t[:1].islower())
        names.update(t.lower() for t in toks[1:] if t[:1].isupper() and t not in _NAME_STOP)
    token = _PROBLEM_WORDS.set((frozenset(names), frozenset(lower_words)))
    try:
        return _read_all(reader, phrases, premises, conclusion)
    finally:
        _PROBLEM_WORDS.reset(token)


def _read_all(reader: _Reader, phrases: Phrases, premises: list[str], conclusion: str | None) -> FirstOrderReading:
    out: list[Formula | None] = []
    unread: list[tuple[int, str, str]] = []
    for i, text in enumerate(premises):
        try:
            out.append(reader.sentence(text))
        except NotUnderstood as exc:
            out.append(None)
            unread.append((i, text, str(exc)))
    goal = None
    if conclusion is not None:
        try:
            goal = reader.sentence(conclusion)
        except NotUnderstood as exc:
            unread.append((-1, conclusion, str(exc)))
    return FirstOrderReading(out, goal, phrases, unread)
