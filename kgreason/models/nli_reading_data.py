"""NLI pairs for confirming readings: (a free English sentence, a reading in controlled English).

The reader stage confirms a neural reading by asking the NLI verifier whether the sentence entails
it (round trip). A verifier trained only on templated facts judges facts well but rules badly
("A blue and round human being will also be a green human being." ⇒ "If someone is blue and round
then they are green.": 0.04). These pairs teach it that judgement, from crowd sentences with
their templated rewrites (``*-sentences.jsonl``, train split only):

* **entailment** — the rewrite (plain or compact: "Gary is round and red."), or a part of it
  (a subset of its facts is still entailed: completeness is the word checks' job);
* **contradiction** — the rewrite with one sentence negated ("… then they are not green.");
* **neutral** — one sentence changed so the sentence no longer says it: a rule's conclusion and a
  condition swapped, the conclusion or an attribute replaced by another word, another name.

Like the reader's data, a share of pairs is renamed consistently (other names and adjectives) so
the verifier judges structure, not ParaRules' vocabulary.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence

from kgreason.models.nli_data import NLIExample
from kgreason.models.reader_data import (
    ADJECTIVES,
    NAMES,
    compact,
    rename,
    source_order,
    split_sents,
)

_FACT = re.compile(r"^(?P<subj>.+?) is (?P<neg>not )?(?P<attr>\w+)\.$")
_RULE = re.compile(r"^If (?P<who>someone|something) is (?P<conds>.+?) then (?P<they>they are|it is) "
                   r"(?P<neg>not )?(?P<attr>\w+)\.$")


def _negated(sentence: str) -> str | None:
    """The sentence with its statement (a fact, or a rule's conclusion) negated, or None."""
    if m := _RULE.match(sentence):
        neg = "" if m["neg"] else "not "
        return f"If {m['who']} is {m['conds']} then {m['they']} {neg}{m['attr']}."
    if m := _FACT.match(sentence):
        neg = "" if m["neg"] else "not "
        return f"{m['subj']} is {neg}{m['attr']}."
    return None


def _unsaid(sentence: str, source: str, rng: random.Random) -> str | None:
    """The sentence changed so that ``source`` no longer says it, or None."""
    words = set(re.findall(r"[a-z]+", source.lower()))
    other = [a for a in ADJECTIVES if a not in words]
    if m := _RULE.match(sentence):
        conds = m["conds"].split(" and ")
        if rng.random() < 0.5 and not m["neg"]:  # conclusion and a condition swapped
            k = rng.randrange(len(conds))
            head, conds[k] = conds[k], m["attr"]
            return f"If {m['who']} is {' and '.join(conds)} then {m['they']} {head}."
        return f"If {m['who']} is {m['conds']} then {m['they']} {m['neg'] or ''}{rng.choice(other)}."
    if m := _FACT.match(sentence):
        if rng.random() < 0.3:
            names = [n for n in NAMES if n.lower() not in words]
            return f"{rng.choice(names)} is {m['neg'] or ''}{m['attr']}."
        return f"{m['subj']} is {m['neg'] or ''}{rng.choice(other)}."
    return None


def reading_examples(rows: Sequence[dict], n: int, *, seed: int = 0, renamed_share: float = 0.5) -> list[NLIExample]:
    """``n`` label-balanced (sentence, reading) pairs from crowd rows (sentence, templated)."""
    rng = random.Random(seed)
    labels = ("entailment", "neutral", "contradiction")
    out: list[NLIExample] = []
    tries = 0
    while len(out) < n and rows and tries < n * 20:
        tries += 1
        row = rng.choice(rows)
        source = " ".join(str(row["sentence"]).split())
        target = source_order(source, row["templated"])
        if rng.random() < renamed_share and (swapped := rename(source, target, rng)):
            source, target = swapped
        sents = split_sents(target)
        if not sents:
            continue
        label = labels[len(out) % 3]
        if label == "entailment":
            if len(sents) > 1 and rng.random() < 0.3:
                part = rng.sample(sents, rng.randint(1, len(sents) - 1))
                hyp, how = " ".join(s for s in sents if s in part), "part of the rewrite"
            else:
                hyp, how = target, "the rewrite"
        else:
            k = rng.randrange(len(sents))
            changed = _negated(sents[k]) if label == "contradiction" else _unsaid(sents[k], source, rng)
            if changed is None:
                continue
            kept = sents[:k] + [changed] + sents[k + 1:] if rng.random() < 0.5 else [changed]
            hyp, how = " ".join(kept), ("one sentence negated" if label == "contradiction" else "one sentence unsaid")
        if rng.random() < 0.5:
            hyp = compact(hyp)
        out.append(NLIExample(source, hyp, label, "reading", how))
    rng.shuffle(out)
    return out
