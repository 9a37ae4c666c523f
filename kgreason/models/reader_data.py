"""Training data for the neural reader: free English → the controlled English the exact parser reads.

Three sources, all built here from the ParaRules *train* sentences and small word lists of our own
(never from the dev/test sets):

* **Crowd sentences** (``pararules-train-sentences.jsonl``): a person's sentence → its templated
  rewrite. The rewrite's sentences (and a rule's conditions) are put in the order their words appear
  in the sentence, so the model copies left to right. Most are also **renamed**: names and
  attributes are swapped consistently in sentence and target for other English words (only words
  that occur as whole words in the sentence are swapped), so the model learns to copy words rather
  than to memorize ParaRules' eleven names and fifteen adjectives.
* **Synthetic paraphrases** of the wider controlled language ParaRules lacks: negation ("Bob isn't
  round" → "Bob is not round."), relations and passives, class membership and subclasses,
  disjointness ("No cat is a dog" → "Cats are not dogs."), abilities ("can"), rules with relations
  and negated conditions, and fillers the exact parser must not read as words ("seems to be",
  "sure is", "that guy Fred").
* **Questions**: a yes/no question → the controlled statement it asks about ("Is it true that the
  bear is big?" → "The bear is big.", "Can you eat raw chicken?" → "Raw chicken can be eaten.").

Plus **identity** examples (a controlled sentence → itself). Every synthetic target is checked by
the exact parser when the data is built (see :func:`parses_cleanly`), so the model is only ever
taught text the parser reads.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from kgreason.errors import InputError, ParseError

#: The prompt: short, so that most of a sequence is the sentence and its reading.
PROMPT = "Rewrite in simple sentences: {sentence}\n"


def prompt(sentence: str) -> str:
    return PROMPT.format(sentence=" ".join(sentence.split()))


@dataclass(frozen=True)
class ReaderExample:
    source: str  # the free English sentence (or question)
    target: str  # controlled English
    kind: str = "crowd"  # crowd | renamed | synthetic | question | identity

    def to_json(self) -> dict[str, str]:
        return asdict(self)


# ---------------------------------------------------------------------------------------- words
# Our own lists (common English words), used to rename ParaRules' vocabulary and fill templates.
# (Written as split strings so they read as word lists.)
# ruff: noqa: SIM905
NAMES = """Alice Ben Carla Daniel Ella Frank Grace Henry Iris Jack Kate Leo Maria Nina Oscar Paul Quinn Rosa
Sam Tina Uma Victor Wendy Xavier Yara Zack Amy Bruno Chloe Diego Emma Felix Gina Hugo Ivan Julia Kevin Laura
Mike Nora Olga Peter Rita Steve Tom Ursula Vera Walter Yusuf Zoe Adam Bella Carl Dora Eli Fay George Hanna
Igor Jane Karl Lily Max Nick Omar Pia Ralph Sara Ted Lucy Mark Anna Joe Ruth Ian Liam Mia Noah Owen""".split()
ADJECTIVES = """happy sad tall short heavy light strong weak brave shy calm loud quiet gentle angry clever
lazy busy rich poor smart wise old hungry thirsty sleepy tired fast slow soft hard warm hot cool wet dry clean
dirty bright dark shiny dull friendly lonely proud famous funny serious honest polite rude careful noisy
silent fierce tiny huge small large thin fat wild tame fresh sick healthy plain ugly purple orange yellow
pink brown grey black white golden silver striped spotted furry hairy smooth sharp sweet sour bitter salty
spicy fluffy sticky rusty empty full strange curious eager grumpy jolly nervous patient sneaky cheerful
rough round green red blue kind nice young big cold""".split()
ANIMALS = """bear cat dog mouse lion tiger rabbit squirrel cow horse sheep goat pig duck goose owl eagle fox
wolf deer frog snake turtle bird fish whale dolphin shark monkey zebra giraffe elephant hippo kangaroo koala
panda penguin parrot crow hawk bee ant spider bat camel donkey hamster badger beaver otter seal""".split()
# verb base, third person, past participle (relations between individuals)
VERBS = [("chase", "chases", "chased"), ("like", "likes", "liked"), ("see", "sees", "seen"),
         ("eat", "eats", "eaten"), ("visit", "visits", "visited"), ("need", "needs", "needed"),
         ("help", "helps", "helped"), ("love", "loves", "loved"), ("fear", "fears", "feared"),
         ("follow", "follows", "followed"), ("know", "knows", "known"), ("watch", "watches", "watched"),
         ("push", "pushes", "pushed"), ("hug", "hugs", "hugged"), ("trust", "trusts", "trusted"),
         ("admire", "admires", "admired"), ("attack", "attacks", "attacked"), ("feed", "feeds", "fed")]
ABILITIES = "fly swim run talk sing climb dance jump bark read walk dig hunt think".split()
# class nouns (singular, plural)
NOUNS = [(w, w + "s") for w in """animal mammal bird reptile fish insect plant tree flower fruit vegetable
tool vehicle car boat instrument toy stone metal planet star city country river mountain book dog cat
wumpus""".split()]
NOUNS = [(s, "wumpuses" if s == "wumpus" else "fish" if s == "fish" else
          s[:-1] + "ies" if s.endswith("y") and s[-2] not in "aeiou" else p) for s, p in NOUNS]
NOUNS += [("person", "people"), ("child", "children"), ("mouse", "mice"), ("goose", "geese"),
          ("wolf", "wolves"), ("knife", "knives"), ("sheep", "sheep"), ("woman", "women"), ("man", "men")]
# what you can do to a mass noun or thing: verb base, participle, objects (mass nouns stay singular)
USES = [("eat", "eaten", ["raw chicken", "bread", "rice", "cheese", "fresh fruit", "cooked fish", "honey"]),
        ("drink", "drunk", ["milk", "water", "sea water", "orange juice", "coffee"]),
        ("wear", "worn", ["wool", "leather", "cotton"]),
        ("recycle", "recycled", ["glass", "paper", "plastic", "metal"]),
        ("burn", "burned", ["wood", "paper", "coal"]),
        ("break", "broken", ["glass", "ice", "stone"]),
        ("melt", "melted", ["ice", "butter", "snow", "gold"])]
PROPERTIES = ["transparent", "hot", "cold", "hard", "soft", "heavy", "sweet", "wet", "shiny", "useful"]
FILLERS = ["seems to be", "sure is", "is really", "is also", "is definitely", "is quite", "is very",
           "happens to be", "looks", "is always", "appears to be", "is certainly"]

_PARARULES_NAMES = ("Anne", "Bob", "Charlie", "Dave", "Erin", "Fiona", "Gary", "Harry", "Alan", "Eric", "Fred")
_FACT = re.compile(r"^(?P<subj>.+?) is (?P<attr>\w+)\.$")
_RULE = re.compile(r"^If (?P<who>someone|something) is (?P<conds>.+?) then (?P<they>they|it) (?:are|is) "
                   r"(?P<attr>\w+)\.$")


_ATTRIBUTE_FACT = re.compile(r"^(?P<subj>[A-Z][\w ]*?) is (?P<attr>(?:not )?[a-z]+)\.$")


_NOT_A_SUBJECT = frozenset(["if", "is", "are", "then", "all", "every", "each", "no", "someone", "something",
                            "it", "they", "not"])


def compact(text: str) -> str:
    """Consecutive attribute facts about one subject as one sentence, which the exact parser reads
    the same: "Gary is round. Gary is not red. Gary is kind." → "Gary is round, not red and kind."
    (the reader writes ~40% fewer tokens for a theory's facts, so it reads faster)."""
    out: list[tuple[str, list[str]] | str] = []
    for sent in split_sents(text):
        m = _ATTRIBUTE_FACT.match(sent)
        if m and m["attr"] not in ("a", "an", "not a", "not an") and \
                not _NOT_A_SUBJECT.intersection(m["subj"].lower().split()):
            last = out[-1] if out else None
            if isinstance(last, tuple) and last[0] == m["subj"]:
                last[1].append(m["attr"])
            else:
                out.append((m["subj"], [m["attr"]]))
        else:
            out.append(sent)
    parts = []
    for item in out:
        if isinstance(item, str):
            parts.append(item)
            continue
        subj, attrs = item
        said = attrs[0] if len(attrs) == 1 else ", ".join(attrs[:-1]) + " and " + attrs[-1]
        parts.append(f"{subj} is {said}.")
    return " ".join(parts)


def split_sents(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=\.)\s+", text.strip()) if s.strip()]


def _cap(word: str) -> str:
    return word[:1].upper() + word[1:]


def _position(source: str, word: str) -> int:
    m = re.search(rf"\b{re.escape(word)}\b", source, re.IGNORECASE)
    return m.start() if m else len(source) + 1


def source_order(source: str, templated: str) -> str:
    """The templated sentences (and each rule's conditions) in the order their words appear in
    ``source``; sentences the patterns do not know keep their place."""
    sents = split_sents(templated)
    keyed = []
    for i, s in enumerate(sents):
        rule = _RULE.match(s)
        if rule:
            conds = sorted(rule["conds"].split(" and "), key=lambda a: _position(source, a))
            s = f"If {rule['who']} is {' and '.join(conds)} then {rule['they']} are {rule['attr']}." \
                if rule["they"] == "they" else \
                f"If {rule['who']} is {' and '.join(conds)} then it is {rule['attr']}."
            keyed.append((_position(source, conds[0]), i, s))
            continue
        fact = _FACT.match(s)
        keyed.append((_position(source, fact["attr"]) if fact else i, i, s))
    return " ".join(s for _, _, s in sorted(keyed))


def _words_in(templated: str) -> tuple[set[str], set[str]]:
    """(names, attributes) of a templated text."""
    names, attrs = set(), set()
    for s in split_sents(templated):
        if (rule := _RULE.match(s)):
            attrs.update(rule["conds"].split(" and "))
            attrs.add(rule["attr"])
        elif (fact := _FACT.match(s)):
            names.add(fact["subj"])
            attrs.add(fact["attr"])
    return names, attrs


def _swap(text: str, mapping: dict[str, str]) -> str:
    """Whole-word, case-keeping replacement (possessives follow: "Bob's" → "Kate's")."""
    if not mapping:
        return text
    pattern = re.compile(r"\b(" + "|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)) + r")\b",
                         re.IGNORECASE)

    def repl(m: re.Match) -> str:
        word = m.group(0)
        new = mapping[word.lower()]
        return _cap(new) if word[:1].isupper() else new

    return pattern.sub(repl, text)


def rename(source: str, templated: str, rng: random.Random) -> tuple[str, str] | None:
    """Swap the names and attributes of one example for other words, consistently; None when
    nothing could be swapped."""
    names, attrs = _words_in(templated)
    mapping: dict[str, str] = {}
    for name in names:
        if name in _PARARULES_NAMES and re.search(rf"\b{name}\b", source) and rng.random() < 0.8:
            mapping[name.lower()] = rng.choice(NAMES)
    pool = [a for a in ADJECTIVES if a not in attrs]
    rng.shuffle(pool)
    for attr in sorted(attrs):
        # only a word the sentence spells out can be swapped ("kindness" keeps "kind")
        if re.search(rf"\b{attr}\b", source, re.IGNORECASE) and rng.random() < 0.7 and pool:
            mapping[attr] = pool.pop()
    if len(set(mapping.values())) < len(mapping) or not mapping:
        return None
    return _swap(source, mapping), _swap(templated, mapping)


def read_sentences(path: str | Path) -> list[dict]:
    """Rows of a ``*-sentences.jsonl`` file (``sentence``, ``templated``, ...)."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"data file not found: {path}", hint="pass --data with pararules-train-sentences.jsonl")
    rows = []
    with path.open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ParseError.from_json(exc, path, line=n, hint="one JSON object a line") from None
            if not isinstance(row, dict) or not {"sentence", "templated"} <= set(row):
                raise ParseError("a row needs 'sentence' and 'templated'", path=str(path), line=n,
                                 hint="use a *-sentences.jsonl file from the shared data")
            rows.append(row)
    if not rows:
        raise InputError(f"no sentences in {path}", hint="pass a non-empty *-sentences.jsonl file")
    return rows


def crowd_examples(rows: Iterable[dict], rng: random.Random, *, renamed_share: float = 0.6) -> list[ReaderExample]:
    """Each crowd sentence once, in its own words or (``renamed_share`` of them) renamed."""
    out = []
    for row in rows:
        source = " ".join(str(row["sentence"]).split())
        target = source_order(source, row["templated"])
        if rng.random() < renamed_share and (swapped := rename(source, target, rng)):
            out.append(ReaderExample(swapped[0], swapped[1], "renamed"))
        else:
            out.append(ReaderExample(source, target, "crowd"))
    return out


# --------------------------------------------------------------------------- synthetic language
def _entity(rng: random.Random) -> str:
    return rng.choice(NAMES) if rng.random() < 0.5 else "the " + rng.choice(ANIMALS)


def _lower_first(text: str) -> str:
    return text if text.startswith(tuple(NAMES)) else text[:1].lower() + text[1:]


def _synthetic_one(rng: random.Random) -> tuple[str, str]:
    """One (paraphrase, controlled text) pair from a random template."""
    e, e2 = _entity(rng), _entity(rng)
    E, E2 = _cap(e), _cap(e2)
    a, b, c = rng.sample(ADJECTIVES, 3)
    base, third, part = rng.choice(VERBS)
    noun, nouns = rng.choice(NOUNS)
    noun2, nouns2 = rng.choice([n for n in NOUNS if n[0] != noun])
    kind = rng.randrange(20)
    if kind == 0:
        filler = rng.choice(FILLERS)
        return f"{E} {filler} {a}.", f"{E} is {a}."
    if kind == 1:
        name = rng.choice(NAMES)
        lead = rng.choice(["That guy", "Our friend", "Good old", "My neighbour", "The kid"])
        return f"{lead} {name} {rng.choice(['sure is', 'is', 'is very'])} {a}.", f"{name} is {a}."
    if kind == 2:
        src = rng.choice([f"{E} isn't {a}.", f"{E} is not {a}.", f"{E} is definitely not {a}.",
                          f"It is not true that {e} is {a}.", f"{E} is not at all {a}.", f"{E} is never {a}."])
        return src, f"{E} is not {a}."
    if kind == 3:
        src = rng.choice([f"{E} is {a}, {b} and {c}.", f"{E} is {a} and {b}, and also {c}.",
                          f"Being {a} and {b}, {e} is also {c}."])
        return src, f"{E} is {a}. {E} is {b}. {E} is {c}."
    if kind == 4:
        src = rng.choice([f"{E} is {a} but not {b}.", f"{E} is {a}, though {e} isn't {b}.",
                          f"{E} is {a} but is not {b}."])
        return src, f"{E} is {a}. {E} is not {b}."
    if kind == 5:
        src = rng.choice([f"{E} {third} {e2}.", f"{E2} is {part} by {e}.", f"{E} really {third} {e2}.",
                          f"{E} always {third} {e2}."])
        return src, f"{E} {third} {e2}."
    if kind == 6:
        src = rng.choice([f"{E} doesn't {base} {e2}.", f"{E} does not {base} {e2}.", f"{E} never {third} {e2}.",
                          f"{E2} is not {part} by {e}."])
        return src, f"{E} does not {base} {e2}."
    if kind == 7:
        name = rng.choice(NAMES)
        art = "an" if noun[0] in "aeiou" else "a"
        src = rng.choice([f"{name} is {art} {noun}.", f"{name} happens to be {art} {noun}.",
                          f"{name} is actually {art} {noun}."])
        return src, f"{name} is {art} {noun}."
    if kind == 8:
        art, art2 = ("an" if noun[0] in "aeiou" else "a"), ("an" if noun2[0] in "aeiou" else "a")
        src = rng.choice([f"All {nouns} are {nouns2}.", f"Every {noun} is {art2} {noun2}.",
                          f"Each {noun} is {art2} {noun2}.", f"{_cap(nouns)} are {nouns2}.",
                          f"{_cap(art)} {noun} is always {art2} {noun2}."])
        return src, f"{_cap(nouns)} are {nouns2}."
    if kind == 9:
        art2 = "an" if noun2[0] in "aeiou" else "a"
        src = rng.choice([f"No {noun} is {art2} {noun2}.", f"{_cap(nouns)} are never {nouns2}.",
                          f"{_cap(nouns)} are not {nouns2}.", f"None of the {nouns} are {nouns2}."])
        return src, f"{_cap(nouns)} are not {nouns2}."
    if kind == 10:
        src = rng.choice([f"All {nouns} are {a}.", f"Every {noun} is {a}.", f"{_cap(nouns)} are always {a}.",
                          f"{_cap(nouns)} are {a}."])
        return src, f"{_cap(nouns)} are {a}."
    if kind == 11:
        ability = rng.choice(ABILITIES)
        src = rng.choice([f"{_cap(nouns)} are able to {ability}.", f"{_cap(nouns)} can {ability}.",
                          f"All {nouns} know how to {ability}."])
        return src, f"{_cap(nouns)} can {ability}."
    if kind == 12:
        ability = rng.choice(ABILITIES)
        src = rng.choice([f"{_cap(nouns)} are not able to {ability}.", f"{_cap(nouns)} can't {ability}.",
                          f"{_cap(nouns)} are unable to {ability}.", f"No {noun} can {ability}."])
        return src, f"{_cap(nouns)} cannot {ability}."
    if kind == 13:
        src = rng.choice([f"Things that {base} {e2} are {a}.", f"Anything that {third} {e2} is {a}.",
                          f"Whoever {third} {e2} is {a}.", f"If something {third} {e2}, it is {a}."])
        return src, f"If something {third} {e2} then it is {a}."
    if kind == 14:
        src = rng.choice([f"{_cap(a)} people {base} {e2}.", f"Anyone who is {a} {third} {e2}.",
                          f"Someone {a} will {base} {e2}."])
        return src, f"If someone is {a} then they {base} {e2}."
    if kind == 15:
        src = rng.choice([f"Things that are not {a} are {b}.", f"Anything that isn't {a} is {b}.",
                          f"If something is not {a}, then it is {b}.", f"Whatever is not {a} is {b}."])
        return src, f"If something is not {a} then it is {b}."
    if kind == 16:
        src = rng.choice([f"{_cap(a)} things that {base} {e2} are {b}.",
                          f"Anything {a} that {third} {e2} is also {b}.",
                          f"If a thing is {a} and {third} {e2}, it is {b}."])
        return src, f"If something is {a} and it {third} {e2} then it is {b}."
    if kind == 17:
        src = rng.choice([f"If {e} is {a} then {e2} is {b}.", f"When {e} is {a}, {e2} is {b}.",
                          f"{E2} is {b} if {e} is {a}."])
        return src, f"If {e} is {a} then {e2} is {b}."
    if kind == 18:
        src = rng.choice([f"People who are {a} are also {b}.", f"{_cap(a)} people are {b} too.",
                          f"Someone who is {a} is usually {b}.", f"A {a} person is {b}."])
        return src, f"If someone is {a} then they are {b}."
    src = rng.choice([f"{_cap(a)}, {b} people are not {c}.", f"Someone who is {a} and {b} is not {c}.",
                      f"{_cap(a)} and {b} people are never {c}."])
    return src, f"If someone is {a} and {b} then they are not {c}."


#: Verbs that say what someone is ("has been blue", "turned red") in a causal or concessive clause.
_BECOMING = ["is", "has been", "is feeling", "became", "turned", "got", "has become", "is now"]


def _clauses_one(rng: random.Random) -> tuple[str, str]:
    """One sentence about a person that says several things in clauses joined by "because", "so",
    "since", "which makes" …: every clause is asserted ("Ann has been sad because she's tired" says
    Ann is sad and Ann is tired), in the order the sentence says them."""
    name = rng.choice(NAMES)
    he, him = rng.choice([("he", "him"), ("she", "her")])
    a, b, c = rng.sample(ADJECTIVES, 3)
    be = rng.choice(_BECOMING)
    is_ = rng.choice(["is", "'s"])
    pro_is = f"{he}{is_}" if is_ == "'s" else f"{he} is"
    said = [  # (sentence, what it says about the person, in order)
        (f"{name} {be} {a} because {pro_is} {b}.", (a, b)),
        (f"{name} {be} {a} because {pro_is} {b} and {c}.", (a, b, c)),
        (f"Because {name} is {a}, {he} {be} {b}.", (a, b)),
        (f"{name} is {a}, so {pro_is} {b}.", (a, b)),
        (f"{name} is {a}, which makes {him} {b}.", (a, b)),
        (f"{name} {be} {a} since {pro_is} {b}.", (a, b)),
        (f"{name} {be} {a} because {he} is not {b}.", (a, f"not {b}")),
        (f"Although {name} is {a}, {pro_is} also {b}.", (a, b)),
    ]
    sentence, facts = said[rng.randrange(len(said))]
    return sentence, " ".join(f"{name} is {fact}." for fact in facts)


def clause_examples(n: int, rng: random.Random) -> list[ReaderExample]:
    """``n`` distinct :func:`_clauses_one` pairs (targets the exact parser reads)."""
    return _drawn(n, rng, _clauses_one, "clauses")


def _question_one(rng: random.Random) -> tuple[str, str]:
    """One (yes/no question, the controlled statement it asks about) pair."""
    e, e2 = _entity(rng), _entity(rng)
    E = _cap(e)
    a = rng.choice(ADJECTIVES)
    base, third, _ = rng.choice(VERBS)
    noun, nouns = rng.choice(NOUNS)
    noun2, nouns2 = rng.choice([n for n in NOUNS if n[0] != noun])
    kind = rng.randrange(12)
    if kind == 0:
        return rng.choice([f"Is {e} {a}?", f"Is {e} really {a}?"]), f"{E} is {a}."
    if kind == 1:
        return rng.choice([f"Is {e} not {a}?", f"Is it true that {e} is not {a}?"]), f"{E} is not {a}."
    if kind == 2:
        return rng.choice([f"Is it true that {e} is {a}?", f"Would you say {e} is {a}?",
                           f"Can we say that {e} is {a}?"]), f"{E} is {a}."
    if kind == 3:
        return rng.choice([f"Does {e} {base} {e2}?", f"Is it true that {e} {third} {e2}?"]), f"{E} {third} {e2}."
    if kind == 4:
        return f"Does {e} not {base} {e2}?", f"{E} does not {base} {e2}."
    if kind == 5:
        ability = rng.choice(ABILITIES)
        return rng.choice([f"Can {nouns} {ability}?", f"Are {nouns} able to {ability}?"]), \
            f"{_cap(nouns)} can {ability}."
    if kind == 6:
        verb, part, objects = rng.choice(USES)
        obj = rng.choice(objects)
        return rng.choice([f"Can you {verb} {obj}?", f"Is it safe to {verb} {obj}?", f"Can {obj} be {part}?",
                           f"Is it possible to {verb} {obj}?"]), f"{_cap(obj)} can be {part}."
    if kind == 7:
        art, art2 = ("an" if noun[0] in "aeiou" else "a"), ("an" if noun2[0] in "aeiou" else "a")
        return rng.choice([f"Are {nouns} {nouns2}?", f"Is {art} {noun} {art2} {noun2}?",
                           f"Are all {nouns} {nouns2}?"]), f"{_cap(nouns)} are {nouns2}."
    if kind == 8:
        return rng.choice([f"Are {nouns} {a}?", f"Are all {nouns} {a}?"]), f"{_cap(nouns)} are {a}."
    if kind == 9:
        name = rng.choice(NAMES)
        art = "an" if noun[0] in "aeiou" else "a"
        return f"Is {name} {art} {noun}?", f"{name} is {art} {noun}."
    if kind == 10:
        mass = rng.choice([o for _, _, objs in USES for o in objs])
        prop = rng.choice(PROPERTIES)
        return rng.choice([f"Is {mass} {prop}?", f"Is it true that {mass} is {prop}?"]), f"{_cap(mass)} is {prop}."
    return rng.choice([f"Do {nouns} {base} {nouns2}?", f"Is it true that {nouns} {base} {nouns2}?"]), \
        f"{_cap(nouns)} {base} {nouns2}."


def parses_cleanly(text: str) -> bool:
    """Whether the exact parser reads every sentence of ``text`` (no issues)."""
    from kgreason.language.english_graph import parse_theory

    kg = parse_theory(text)
    return not kg.issues and (len(kg.rules) > 0 or len(kg) > 0)


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1].lower()


def controlled_form(text: str) -> tuple[frozenset, frozenset, int]:
    """(facts, rules, sentences not read) of controlled English as the sentence compiler sees it,
    names as their minted local names (so "someone … they" = "something … it", and the order of
    sentences and conditions does not matter): two texts with equal forms say the same thing."""
    from kgreason.language.english_graph import SentenceCompiler
    from kgreason.language.english_parser import (
        Lexicon,
        Parser,
        SyntaxProblem,
        split_sentences,
        tokenize,
    )

    sentences = split_sentences(text)
    toks = [tokenize(s) for _, s in sentences]
    lexicon = Lexicon.from_text(toks)
    parser, compiler = Parser(lexicon), SentenceCompiler(None, lexicon)
    facts, rules, bad = set(), set(), 0
    for (_, sent), tk in zip(sentences, toks):
        try:
            script = compiler.compile(parser.parse(tk, sent))
        except SyntaxProblem:
            bad += 1
            continue
        facts.update(tuple(_local(t) for t in triple) for triple in script.facts)
        for body, head in script.rules:
            rules.add(tuple(frozenset((_local(a.s), _local(a.p), _local(a.o), a.negated) for a in part)
                            for part in (body, head)))
    return frozenset(facts), frozenset(rules), bad


def same_reading(proposal: str, gold: str) -> str:
    """"exact" (same controlled form), "wrong_parseable" (every sentence parses, another form) or
    "unparseable"."""
    pf, pr, bad = controlled_form(proposal)
    if bad or not (pf or pr):
        return "unparseable"
    gf, gr, _ = controlled_form(gold)
    return "exact" if (pf, pr) == (gf, gr) else "wrong_parseable"


def _drawn(n: int, rng: random.Random, make, kind: str) -> list[ReaderExample]:
    """``n`` distinct pairs from ``make(rng)`` whose target the exact parser reads (others are
    drawn again)."""
    out, seen, tries = [], set(), 0
    while len(out) < n and tries < n * 20:
        tries += 1
        src, tgt = make(rng)
        if src in seen or not parses_cleanly(tgt):
            continue
        seen.add(src)
        out.append(ReaderExample(src, tgt, kind))
    return out


def synthetic_examples(n: int, rng: random.Random, *, questions: bool = False) -> list[ReaderExample]:
    """``n`` template pairs whose target the exact parser reads (others are drawn again)."""
    if questions:
        return _drawn(n, rng, _question_one, "question")
    return _drawn(n, rng, _synthetic_one, "synthetic")


def identity_examples(texts: Sequence[str], n: int, rng: random.Random) -> list[ReaderExample]:
    """Controlled sentences copied as they are (the reader must leave them alone)."""
    sents = sorted({s for t in texts for s in split_sents(t)})
    out = []
    for _ in range(n):
        k = rng.choice((1, 1, 2, 3))
        picked = " ".join(rng.sample(sents, min(k, len(sents))))
        out.append(ReaderExample(picked, picked, "identity"))
    return out


def _compacted(example: ReaderExample, rng: random.Random) -> ReaderExample:
    """The example with a compact target; an identity example copies either form."""
    target = compact(example.target)
    source = example.source
    if example.kind == "identity" and rng.random() < 0.5:
        source = target
    return ReaderExample(source, target, example.kind)


@dataclass
class ReaderData:
    train: list[ReaderExample]
    val: list[ReaderExample]  # held-out *train* theories, for choosing the checkpoint
    info: dict


def build_reader_data(rows: Sequence[dict], *, seed: int = 13, val_theories: int = 8,
                      renamed_share: float = 0.6, synthetic: float = 0.25, questions: float = 0.12,
                      identity: float = 0.08, clauses: float = 0.05, compact_facts: bool = True) -> ReaderData:
    """The training mix from crowd rows; ``synthetic``/``questions``/``identity`` are sizes relative
    to the number of crowd sentences, as is ``clauses`` (:func:`clause_examples`, drawn from their
    own random stream and put in at random places, so the rest of the mix stays as it was). Validation = all sentences of ``val_theories`` train theories
    (in their own words) plus a few synthetic and question pairs. ``compact_facts``: targets say
    consecutive facts about one subject in one sentence (:func:`compact`)."""
    rng = random.Random(seed)
    theories = sorted({str(r.get("theory", i)) for i, r in enumerate(rows)})
    held = set(rng.sample(theories, min(val_theories, max(0, len(theories) - 1)))) if len(theories) > 1 else set()
    train_rows = [r for i, r in enumerate(rows) if str(r.get("theory", i)) not in held]
    val_rows = [r for i, r in enumerate(rows) if str(r.get("theory", i)) in held]
    train = crowd_examples(train_rows, rng, renamed_share=renamed_share)
    n = len(train_rows)
    templated = [source_order(r["sentence"], r["templated"]) for r in train_rows]
    syn = synthetic_examples(max(1, int(n * synthetic)), rng)
    qs = synthetic_examples(max(1, int(n * questions)), rng, questions=True)
    ident = identity_examples(templated + [e.target for e in syn], max(1, int(n * identity)), rng)
    train += syn + qs + ident
    if compact_facts:
        train = [_compacted(e, rng) for e in train]
    rng.shuffle(train)
    if clauses > 0:
        clause_rng = random.Random(seed + 2)
        for example in clause_examples(max(1, int(n * clauses)), clause_rng):
            example = _compacted(example, clause_rng) if compact_facts else example
            train.insert(clause_rng.randrange(len(train) + 1), example)
    val = [ReaderExample(" ".join(r["sentence"].split()), source_order(r["sentence"], r["templated"]), "crowd")
           for r in val_rows]
    val_rng = random.Random(seed + 1)
    val += synthetic_examples(max(1, len(val) // 4), val_rng) + \
        synthetic_examples(max(1, len(val) // 8), val_rng, questions=True)
    if compact_facts:
        val = [_compacted(e, val_rng) for e in val]
    kinds: dict[str, int] = {}
    for e in train:
        kinds[e.kind] = kinds.get(e.kind, 0) + 1
    info = {"seed": seed, "compact_facts": compact_facts, "crowd_rows": len(rows), "train_examples": len(train), "val_examples": len(val),
            "val_theories": sorted(held), "kinds": kinds}
    return ReaderData(train, val, info)


def write_reader_data(data: ReaderData, out_dir: str | Path) -> dict[str, Path]:
    from kgreason.files import write_text_atomic

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"train": out / "train.jsonl", "val": out / "val.jsonl", "info": out / "info.json"}
    for split in ("train", "val"):
        rows = getattr(data, split)
        write_text_atomic(paths[split], "".join(json.dumps(e.to_json()) + "\n" for e in rows))
    write_text_atomic(paths["info"], json.dumps(data.info, indent=2))
    return paths
