"""Controlled English → logical forms (no RDF here): the grammar of English graphs and theories.

The language is the one of ProofWriter / ProntoQA theories and of small hand-written domains:
facts ("Bob is not big.", "The bear chases the cat."), generic sentences ("Apples are fruits.",
"Every wumpus is a yumpus.", "Birds can fly.", "Red, cold things are round.") and conditionals
("If something is cold and not red then it is round."). A sentence becomes a :class:`Sentence`:
``body`` clauses (conditions; empty for facts) and ``head`` clauses (what is stated). Mapping
logical forms to triples and rules is done by :mod:`kgreason.language.english_graph`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from kgreason.language.english_words import (  # noqa: F401 — re-exported for callers
    AUX,
    COPULA,
    DO,
    HAVE,
    MODAL,
    PLACEHOLDERS,
    PREPOSITIONS,
    PRONOUNS,
    QUANTIFIERS,
    VAR_WORDS,
    Lexicon,
    _looks_plural,
    _lows,
    _pos,
    is_verb_form,
    split_sentences,
    third_person,
    tokenize,
)
from kgreason.language.fillers import PERSON_WORDS
from kgreason.language.morphology import verb_lemma


class SyntaxProblem(ValueError):
    """A sentence outside the controlled language; the message says which part failed."""


@dataclass(frozen=True)
class Ref:
    """A noun phrase. ``kind``: ``var`` (something / it), ``name`` (Bob), ``the`` (the cat),
    ``it`` (impersonal "it rains"), ``thing`` (a bare object: "oxygen", "eaten raw")."""

    kind: str
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pred:
    """``adj``: "is cold"; ``noun``: "is a wumpus"; ``rel``: any other predicate, with
    ``label`` the property's positive words ("chases", "can be", "is part of") and ``base``
    its plural/base form ("chase"); ``neg`` its negative form ("does not chase")."""

    kind: str
    negated: bool
    words: tuple[str, ...] = ()  # adj / noun words (noun singular)
    label: tuple[str, ...] = ()
    base: tuple[str, ...] = ()
    neg: tuple[str, ...] = ()
    obj: Ref | None = None


@dataclass(frozen=True)
class Clause:
    subject: Ref
    pred: Pred


@dataclass
class Sentence:
    """``head`` holds if every ``body`` clause holds. ``generic`` is the class phrase of a generic
    subject ("apples" → noun ("apple",), modifiers ()) when the sentence is a generic one."""

    body: list[Clause] = field(default_factory=list)
    head: list[Clause] = field(default_factory=list)
    generic_noun: tuple[str, ...] | None = None
    generic_modifiers: tuple[tuple[str, ...], ...] = ()
    text: str = ""


class Parser:
    """One text's parser: ``parse(tokens)`` → :class:`Sentence` or :class:`SyntaxProblem`."""

    def __init__(self, lexicon: Lexicon | None = None):
        self.lex = lexicon or Lexicon()

    # ------------------------------------------------------------------ sentences
    def parse(self, toks: list[str], text: str = "") -> Sentence:
        if not toks:
            raise SyntaxProblem("empty sentence")
        low = _lows(tuple(toks))
        if low[0] == "if":
            return self._conditional(toks, low, text)
        if "if" in low[1:]:  # "Bob is round if he is cold." → "If Bob is cold then Bob is round."
            k = low.index("if", 1)
            main, cond = list(toks[:k]), list(toks[k + 1:])
            subj_end = self._np_end(main, 0)
            if low[0] not in VAR_WORDS and low[0] not in QUANTIFIERS and subj_end < len(main):
                subj = main[:subj_end]
                cond = [x for t in cond for x in (subj if t.lower() in PRONOUNS else [t])]
            toks = ["If", *cond, "then", *main]
            return self._conditional(toks, _lows(tuple(toks)), text)
        if low[0] == "no":  # "No birds are mammals." = every bird is not a mammal
            sent = self.parse(["Every", *toks[1:]], text)
            if not sent.head or any(c.pred.negated for c in sent.head):
                raise SyntaxProblem("'No ... not ...' is not supported")
            sent.head = [Clause(c.subject, replace(c.pred, negated=True)) for c in sent.head]
            return sent
        rel = next((i for i in range(1, len(low) - 2) if low[i] in ("that", "who", "which")), None)
        if rel is not None:
            return self._relative(toks, low, rel, text)
        scope: dict[str, bool] = {"var": False}
        end = self._np_end(toks, 0)
        if "and" in low[1:end] and end < len(toks):  # "Bob and the cat are cold."
            subjects = self._conjoined(toks[:end])
            preds = self._predicates(toks[end:], scope)
            return Sentence([], [Clause(s, p) for s in subjects for p in preds], text=text)
        subject, rest, generic = self._subject(toks, 0, scope, sentence_start=True)
        preds = self._predicates(rest, scope)
        if generic is not None:
            noun, mods = generic
            var = Ref("var")
            body = [Clause(var, Pred("adj", False, m)) for m in mods]
            if noun:
                body.insert(0, Clause(var, Pred("noun", False, noun)))
            return Sentence(body, [Clause(var, p) for p in preds], noun, mods, text)
        return Sentence([], [Clause(subject, p) for p in preds], text=text)

    def _conjoined(self, words: list[str]) -> list[Ref]:
        """"Bob and Anne", "Bob, the cat and Anne" → one Ref per individual."""
        refs: list[Ref] = []
        part: list[str] = []
        for w in [*words, "and"]:
            if w.lower() in (",", "and"):
                if not part:
                    continue
                if part[0].lower() == "the" and len(part) > 1:
                    refs.append(Ref("the", tuple(x.lower() for x in part[1:])))
                elif all(x[:1].isupper() for x in part):
                    refs.append(Ref("name", tuple(part)))
                else:
                    raise SyntaxProblem("only names or 'the ...' can be joined with 'and' as a subject")
                part = []
            else:
                part.append(w)
        return refs

    def _relative(self, toks: list[str], low: tuple[str, ...], r: int, text: str) -> Sentence:
        """"Everything that is cold is red", "People who are rough are cold", "Cats that chase
        mice are fast": the relative clause joins the conditions of a rule."""
        words = [w for w in low[:r] if w not in QUANTIFIERS]
        if not words:
            raise SyntaxProblem("no noun before 'that'")
        if len(words) == 1 and words[0] in VAR_WORDS:
            noun, mods = (), ()
        else:
            noun, mods = self._class_phrase(list(words))
        rest = list(toks[r + 1:])
        rlow = _lows(tuple(rest))
        auxes = [j for j in range(1, len(rest)) if rlow[j] in AUX]
        j = auxes[-1] if auxes else next(
            (k for k in range(2, len(rest)) if "VERB" in _pos(rlow[k]) and "ADJ" not in _pos(rlow[k])), None)
        if j is None:
            raise SyntaxProblem("cannot find the main verb after the 'that' clause")
        scope = {"var": True}
        var = Ref("var")
        body = [Clause(var, Pred("noun", False, noun))] if noun else []
        body += [Clause(var, Pred("adj", False, m)) for m in mods]
        body += [Clause(var, p) for p in self._predicates(rest[:j], scope)]
        head = [Clause(var, p) for p in self._predicates(rest[j:], scope)]
        return Sentence(body, head, text=text)

    def _conditional(self, toks: list[str], low: list[str], text: str) -> Sentence:
        if "then" in low:
            k = low.index("then")
            cond, concl = toks[1:k], toks[k + 1:]
        elif "," in low:
            k = low.index(",")
            cond, concl = toks[1:k], toks[k + 1:]
        else:
            raise SyntaxProblem("a conditional needs 'then' (If ... then ...)")
        if cond and cond[-1] == ",":
            cond = cond[:-1]
        scope = {"var": False}
        body = self._clauses(cond, scope)
        head = self._clauses(concl, scope)
        return Sentence(body, head, text=text)

    def _clauses(self, toks: list[str], scope: dict[str, bool]) -> list[Clause]:
        """``A and B`` where B starts a new subject; "and" between adjectives stays inside."""
        out: list[Clause] = []
        low = _lows(tuple(toks))
        i = 0
        while i < len(toks):
            subject, rest, generic = self._subject(toks, i, scope, sentence_start=False)
            if generic is not None:
                raise SyntaxProblem("a generic phrase inside a conditional is not supported")
            start = len(toks) - len(rest)
            end = next((j for j in range(start + 1, len(toks) - 1)
                        if low[j] == "and" and self._starts_subject(toks, j + 1)), len(toks))
            out.extend(Clause(subject, p) for p in self._predicates(toks[start:end], scope))
            i = end + 1
        if not out:
            raise SyntaxProblem("missing clause")
        return out

    def _starts_subject(self, toks: list[str], j: int) -> bool:
        w = toks[j].lower()
        return (w in VAR_WORDS or w in PRONOUNS or w == "the" or
                (toks[j][:1].isupper() and w not in AUX))

    # ------------------------------------------------------------------ noun phrases
    def _subject(self, toks: list[str], i: int, scope: dict[str, bool], *, sentence_start: bool
                 ) -> tuple[Ref, list[str], tuple[tuple[str, ...], tuple[tuple[str, ...], ...]] | None]:
        """The subject at ``toks[i]``; returns (ref, remaining tokens, generic class phrase)."""
        low = _lows(tuple(toks))
        w = low[i]
        if w in VAR_WORDS:
            scope["var"] = True
            return Ref("var"), toks[i + 1:], None
        if w in ("a", "an") and i + 1 < len(toks) and low[i + 1] in ("thing", "person") and not sentence_start:
            scope["var"] = True
            return Ref("var"), toks[i + 2:], None
        if w in PRONOUNS:
            if scope["var"]:
                return Ref("var"), toks[i + 1:], None
            if w == "it":
                return Ref("it"), toks[i + 1:], None
            raise SyntaxProblem(f"'{toks[i]}' does not refer to anything")
        end = self._np_end(toks, i)
        if end <= i:
            raise SyntaxProblem("no subject before the verb")
        words = toks[i:end]
        if w == "the":
            return Ref("the", tuple(x.lower() for x in words[1:])), toks[end:], None
        verb = low[end] if end < len(toks) else ""
        quantified = w in QUANTIFIERS
        plural_verb = verb in ("are", "do", "have", "were") or (
            verb not in AUX and verb and not verb.endswith("s"))
        capitalized = all(x[:1].isupper() for x in words if x != ",")
        if not quantified and capitalized and not plural_verb and "," not in words and \
                (not sentence_start or len(words) > 1 or not self._is_common_plural(words[-1])):
            if sentence_start and len(words) > 1 and "ADJ" in _pos(low[i]):
                # "Big Dave is ...": a name, or an adjective capitalized by the sentence start?
                raise SyntaxProblem(f"'{words[0]}' may be an adjective or part of the name "
                                    f"'{' '.join(words)}' (not read exactly)")
            return Ref("name", tuple(words)), toks[end:], None
        if not sentence_start and not quantified:
            raise SyntaxProblem(f"cannot read '{' '.join(words)}' as a subject")
        if quantified:
            words = words[1:]
        if not words:
            raise SyntaxProblem("no noun after the quantifier")
        return Ref("var"), toks[end:], self._class_phrase(words)

    def _is_common_plural(self, word: str) -> bool:
        return _looks_plural(word) and self.lex.singular(word) != word.lower()

    def _class_phrase(self, words: list[str]) -> tuple[tuple[str, ...], tuple[tuple[str, ...], ...]]:
        items = [w.lower() for w in words if w not in (",",) and w.lower() != "and"]
        if not items:  # "All , are red.": only commas and "and" where the noun should be
            raise SyntaxProblem("no noun where a class name was expected")
        head = items[-1]
        mods = tuple((m,) for m in items[:-1])
        if head in PLACEHOLDERS or head in PERSON_WORDS:  # "Any nice fellow is ..."
            return (), mods
        return (self.lex.singular(head),), mods

    def _np_end(self, toks: list[str], i: int) -> int:
        """Index of the verb after the noun phrase starting at ``i``."""
        low = _lows(tuple(toks))
        for j in range(i + 1, len(toks)):
            w = low[j]
            if w in AUX:
                return j
            if w in (",", "and"):
                continue
            if is_verb_form(w) and low[j - 1] not in (",", "and", "the", "a", "an", "every", "each", "all") \
                    and self._can_end_np(low[j - 1]):
                # "the bald eagle chases": 'chases' is the verb; a noun that is also a verb
                # ("bears", "eats") is taken as the verb only if nothing follows it that could be
                if j + 1 < len(toks) and low[j + 1] in AUX:
                    continue
                return j
        return len(toks)

    def _can_end_np(self, word: str) -> bool:
        pos = _pos(word)
        return not pos or "NOUN" in pos or "PROPN" in pos or word[:1].isupper() or \
            word in PLACEHOLDERS or word in self.lex.nouns

    def _object(self, toks: list[str], scope: dict[str, bool]) -> Ref:
        if not toks:
            raise SyntaxProblem("missing object")
        low = _lows(tuple(toks))
        if low[0] in PRONOUNS and len(toks) == 1:
            if scope["var"]:
                return Ref("var")
            raise SyntaxProblem(f"'{toks[0]}' does not refer to anything")
        if low[0] in VAR_WORDS and len(toks) == 1:
            raise SyntaxProblem("a second 'something' is not supported")
        if low[0] == "the" and len(toks) > 1:
            return Ref("the", tuple(low[1:]))
        if all(t[:1].isupper() for t in toks):
            return Ref("name", tuple(toks))
        words = [w for w in low if w not in ("a", "an")]
        if not words:
            raise SyntaxProblem("missing object")
        return Ref("thing", tuple(words))

    # ------------------------------------------------------------------ predicates
    def _predicates(self, toks: list[str], scope: dict[str, bool]) -> list[Pred]:
        if not toks:
            raise SyntaxProblem("missing verb")
        low = _lows(tuple(toks))
        v = low[0]
        negated = len(low) > 1 and low[1] == "not"
        rest = toks[2:] if negated else toks[1:]
        rlow = _lows(tuple(rest))
        if v in COPULA:
            return self._copula(rest, rlow, negated, scope)
        if v in MODAL:
            if not rest:
                raise SyntaxProblem(f"nothing after '{v}'")
            if rlow[0] == "be":
                label = (v, "be")
                obj = Ref("thing", tuple(rlow[1:])) if len(rlow) > 1 else None
                if obj is None:
                    raise SyntaxProblem(f"nothing after '{v} be'")
                if rlow[1] in ("a", "an", "the") or any(w in PREPOSITIONS for w in rlow[1:-1]):
                    return [self._verb_pred((v, "be"), rest[1:], negated, scope, modal=v)]
                return [Pred("rel", negated, label=label, base=label, neg=(v + "not", "be") if v == "can"
                             else (v, "not", "be"), obj=obj)]
            return [self._verb_pred((v, verb_lemma(rlow[0])), rest[1:], negated, scope, modal=v)]
        if v in DO:
            if not rest:
                raise SyntaxProblem(f"nothing after '{v}'")
            return [self._verb_pred((verb_lemma(rlow[0]),), rest[1:], negated, scope)]
        if v in HAVE and not negated:
            return [self._verb_pred(("have",), toks[1:], False, scope)]
        if not is_verb_form(v) and _pos(v):
            raise SyntaxProblem(f"'{toks[0]}' is not a verb")
        return [self._verb_pred((verb_lemma(v),), toks[1:], False, scope)]

    def _copula(self, rest: list[str], rlow: list[str], negated: bool, scope: dict[str, bool]) -> list[Pred]:
        if not rest:
            raise SyntaxProblem("nothing after 'is'")
        if rlow[0] in ("a", "an"):
            words = [w for w in rlow[1:] if w not in (",", "and")]
            if words[:2] in (["kind", "of"], ["type", "of"], ["sort", "of"]):
                words = words[2:]
            if not words:
                raise SyntaxProblem("no noun after 'a'")
            if any(w in PREPOSITIONS for w in words):  # "is a part of the body"
                return [self._relation(rest[1:], rlow[1:], negated, scope)]
            noun = self.lex.singular(words[-1])
            mods = words[:-1]
            # "a nice, kind person" (a list, or words the text uses as adjectives) → nice + kind +
            # person; "a polar bear" stays one class; "not a big dog" cannot be split either
            if mods and not negated and ("," in rlow or all(m in self.lex.adjectives for m in mods)):
                return [*(Pred("adj", False, (m,)) for m in mods), Pred("noun", False, (noun,))]
            return [Pred("noun", negated, (*mods, noun))]
        if any(w in PREPOSITIONS for w in rlow[:-1]) or rlow[0] == "the":
            return [self._relation(rest, rlow, negated, scope)]
        # adjective list: "cold", "big and not red", "red, cold and round"
        preds: list[Pred] = []
        neg = negated
        current: list[str] = []
        for w in (*rlow, ","):
            if w in (",", "and"):
                if current:
                    preds.append(self._adj_or_noun(tuple(current), neg))
                    current, neg = [], False
                continue
            if w == "not" and not current:
                neg = True
                continue
            current.append(w)
        if not preds:
            raise SyntaxProblem("nothing after 'is'")
        return preds

    def _adj_or_noun(self, words: tuple[str, ...], negated: bool) -> Pred:
        """"are fruits" (plural noun) → class; "are dull" → adjective."""
        if len(words) == 1 and self.lex.is_noun(words[0]) and (
                _looks_plural(words[0]) or self.lex.singular(words[0]) in self.lex.nouns):
            return Pred("noun", negated, (self.lex.singular(words[0]),))
        return Pred("adj", negated, words)

    def _relation(self, rest: list[str], rlow: list[str], negated: bool, scope: dict[str, bool]) -> Pred:
        """"is part of the body", "is the capital of France", "is bigger than the cat"."""
        k = next((j for j in range(len(rlow)) if rlow[j] in PREPOSITIONS), None)
        if k is None or k + 1 >= len(rlow):
            raise SyntaxProblem("cannot read the relation after 'is'")
        rel = tuple(w for w in rlow[: k + 1] if w not in ("a", "an"))
        label = ("is", *rel)
        return Pred("rel", negated, label=label, base=("are", *rel), neg=("is", "not", *rel),
                    obj=self._object(rest[k + 1:], scope))

    def _verb_pred(self, verb: tuple[str, ...], rest: list[str], negated: bool, scope: dict[str, bool],
                   modal: str | None = None) -> Pred:
        """``verb`` is the base form (with a modal first); a following preposition joins it
        ("lives in"); no object → intransitive ("it rains" → does rain, "birds can fly")."""
        rlow = _lows(tuple(rest))
        words = list(verb)
        if rlow and rlow[0] in PREPOSITIONS and len(rlow) > 1:
            words.append(rlow[0])
            rest, rlow = rest[1:], rlow[1:]
        if modal:
            base = tuple(words)
            neg = ("cannot", *words[1:]) if modal == "can" else (modal, "not", *words[1:])
            label = base
        else:
            base = tuple(words)
            label = (third_person(words[0]), *words[1:])
            neg = ("does", "not", *words)
        if not rest:  # intransitive: the verb becomes the object of "does" / "can"
            obj = Ref("thing", tuple(words[1:] if modal else words))
            if modal:
                label = base = (modal,)
                neg = ("cannot",) if modal == "can" else (modal, "not")
            else:
                label, base, neg = ("does",), ("do",), ("does", "not")
            return Pred("rel", negated, label=label, base=base, neg=neg, obj=obj)
        return Pred("rel", negated, label=label, base=base, neg=neg, obj=self._object(rest, scope))
