"""Reproducible NLI training data: short fact sets → entailed / contradicted / neutral statements.

The lesson measured before: do not ask the verifier to chain. The reasoner chains; the verifier
gets the facts (asserted, derived, and the proof steps) and judges one narrow thing: does this
short set of facts state the hypothesis (up to paraphrase), state its negation (or an antonym,
or a disjoint class), or say nothing about it (open world)? Neutral hypotheses are never one
inference step away from the premise, so the labels are exact.

Sources: ProofWriter theories (facts of ``context``), synthetic worlds from a lexicon
(:mod:`kgreason.models.nli_lexicon`), and any KnowledgeGraph (verbalized with
:func:`kgreason.language.verbalize.verbalize`). Everything is seeded.
"""

from __future__ import annotations

import json
import logging
import random
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from kgreason.language.morphology import plural
from kgreason.models import nli_lexicon as lex
from kgreason.models.nli_claims import Claim, format_sentence, parse_fact, render

if TYPE_CHECKING:
    from kgreason.graph.knowledge_graph import KnowledgeGraph

log = logging.getLogger(__name__)

LABELS = ("entailment", "neutral", "contradiction")
ANTONYM = {a: b for a, b in lex.ANTONYMS} | {b: a for a, b in lex.ANTONYMS}


@dataclass
class NLIExample:
    premise: str
    hypothesis: str
    label: str
    source: str = ""
    how: str = ""

    def to_json(self) -> dict:
        return asdict(self)


@dataclass
class World:
    """Facts of one theory/graph plus word pools to draw unseen subjects and predicates from."""

    name: str
    claims: list[Claim]
    entities: list[str] = field(default_factory=list)
    nouns: list[str] = field(default_factory=list)
    attrs: list[str] = field(default_factory=list)
    verbs: list[str] = field(default_factory=list)
    abilities: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- worlds
def proofwriter_worlds(path: str | Path, indices: Iterable[int] | None = None) -> list[World]:
    """One world per ProofWriter theory (its facts; rules are left to the reasoner)."""
    data = json.loads(Path(path).read_text())
    chosen = list(indices) if indices is not None else range(len(data))
    worlds = []
    for i in chosen:
        claims = [c for s in re.split(r"(?<=\.)\s+", data[i]["context"]) if (c := parse_fact(s))]
        if claims:
            worlds.append(World(f"proofwriter:{data[i].get('id', i)}", claims))
    _fill_pools(worlds)
    return worlds


def prontoqa_worlds(path: str | Path) -> list[World]:
    """ProntoQA contexts (fictional ontologies): a vocabulary never used in training."""
    data = json.loads(Path(path).read_text())
    worlds = [World(f"prontoqa:{e.get('id', i)}", [c for s in re.split(r"(?<=\.)\s+", e["context"])
                                                  if (c := parse_fact(s))]) for i, e in enumerate(data)]
    worlds = [w for w in worlds if w.claims]
    _fill_pools(worlds)
    return worlds


def _fill_pools(worlds: list[World]) -> None:
    """Pools shared by all worlds of one source, so unseen words come from the same vocabulary."""
    ents, nouns, attrs, verbs, abil, rels = set(), set(), set(), set(), set(), set()
    for w in worlds:
        for c in w.claims:
            (nouns if c.generic else ents).add(c.subj)
            {"attr": attrs, "verb": verbs, "can": abil, "rel": rels}.get(c.kind, set()).add(c.pred)
            if c.kind == "isa":
                nouns.add(c.obj)
            if c.kind in ("verb", "rel") and c.obj:
                ents.add(c.obj)
    for w in worlds:
        w.entities, w.nouns, w.attrs = sorted(ents), sorted(nouns), sorted(attrs)
        w.verbs, w.abilities, w.relations = sorted(verbs), sorted(abil), sorted(rels)


def lexicon_world(rng: random.Random, n_claims: int = 8) -> World:
    """A random small world over the lexicon, with proof-like groups (fact, rule step, derived)."""
    ents = [*lex.NAMES, *(f"the {n}" for n in lex.NOUNS)]
    attrs = [*ANTONYM, *lex.OTHER_ADJECTIVES]
    verbs = [*lex.VERBS, *lex.MULTIWORD_VERBS]
    w = World("lexicon", [], ents, list(lex.NOUNS), attrs, verbs, list(lex.ABILITIES), list(lex.RELATIONS))
    while len(w.claims) < n_claims:
        w.claims.extend(_random_claims(w, rng))
    return w


def _random_claim(w: World, rng: random.Random, subj: str | None = None, generic: bool | None = None) -> Claim:
    generic = rng.random() < 0.35 if generic is None else generic
    subj = subj or (rng.choice(w.nouns) if generic else rng.choice(w.entities))
    pools = {"attr": w.attrs, "isa": w.nouns, "can": w.abilities, "verb": w.verbs, "rel": w.relations}
    kind = rng.choice([k for k in ("attr", "isa", "can", "verb", "rel", "attr", "can") if pools[k]])
    neg = rng.random() < 0.3
    if kind == "attr":
        return Claim(subj, kind, rng.choice(w.attrs), "", neg, generic)
    if kind == "isa":
        return Claim(subj, kind, "", rng.choice(w.nouns), neg, generic)
    if kind == "can":
        return Claim(subj, kind, rng.choice(w.abilities), "", neg, generic)
    obj = rng.choice(w.entities) if rng.random() < 0.6 or not w.nouns else plural(rng.choice(w.nouns))
    pred = rng.choice(w.verbs) if kind == "verb" else rng.choice(w.relations)
    return Claim(subj, kind, pred, obj, neg, generic)


def _random_claims(w: World, rng: random.Random) -> list[Claim]:
    if rng.random() < 0.35:  # a proof: "Tweety is a bird. Birds can fly. Tweety can fly."
        ent, cls = rng.choice(w.entities), rng.choice(w.nouns)
        rule = _random_claim(w, rng, subj=cls, generic=True)
        if rule.kind == "isa" and rule.negated:
            rule = replace(rule, negated=False)
        derived = replace(rule, subj=ent, generic=False)
        return [Claim(ent, "isa", "", cls), rule, derived]
    return [_random_claim(w, rng)]


def graph_world(kg: KnowledgeGraph, name: str = "graph") -> World:
    """Claims from a graph's asserted triples, each keeping ``verbalize``'s sentence."""
    from rdflib import OWL, RDF, RDFS, Literal
    from rdflib.term import URIRef

    from kgreason.graph.vocab import ATTRIBUTE, KGR, LABEL_PREDICATES
    from kgreason.language.morphology import verb_lemma
    from kgreason.language.verbalize import positive_property, verbalize

    classes = set(kg.rdf.objects(None, RDF.type)) | set(kg.rdf.subjects(RDFS.subClassOf, None))
    classes |= set(kg.rdf.objects(None, RDFS.subClassOf))
    skip = {*LABEL_PREDICATES, RDFS.comment, KGR.negationOf, RDFS.domain, RDFS.range, RDFS.subPropertyOf,
            OWL.inverseOf, OWL.equivalentClass, OWL.sameAs}
    claims = []
    for s, p, o in kg.triples():
        if p in skip or isinstance(o, Literal) or not isinstance(s, URIRef):
            continue
        if o in (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.TransitiveProperty, OWL.SymmetricProperty,
                 KGR.InheritableProperty, ATTRIBUTE, RDF.Property, OWL.NamedIndividual):
            continue
        subj, generic = kg.label(s), s in classes
        text = verbalize(kg, (s, p, o))
        if p == RDF.type:
            kind = "attr" if (o, RDF.type, ATTRIBUTE) in kg.rdf else "isa"
            claims.append(Claim(subj, kind, kg.label(o) if kind == "attr" else "", "" if kind == "attr"
                                else kg.label(o), canonical=text))
            continue
        if p == RDFS.subClassOf:
            if (o, RDF.type, ATTRIBUTE) in kg.rdf:
                claims.append(Claim(subj, "attr", kg.label(o), "", generic=True, canonical=text))
            else:
                claims.append(Claim(subj, "isa", "", kg.label(o), generic=True, canonical=text))
            continue
        if p == OWL.disjointWith:
            claims.append(Claim(subj, "isa", "", kg.label(o), True, True, canonical=text))
            continue
        pos = positive_property(kg, p)
        negated = pos is not None
        label = kg.label(pos if negated else p).lower()
        head, _, rest = label.partition(" ")
        obj = kg.label(o)
        if head == "can":
            claims.append(Claim(subj, "can", f"{rest} {obj}".strip(), "", negated, generic, text))
        elif head in ("must", "should", "may", "will", "might", "would", "could") and rest:
            claims.append(Claim(subj, "modal", f"{head} {rest} {obj}".strip(), "", negated, generic, text))
        elif head in ("is", "are", "has", "have"):
            head = {"are": "is", "have": "has"}.get(head, head)
            claims.append(Claim(subj, "rel", f"{head} {rest}".strip(), obj, negated, generic, text))
        else:
            claims.append(Claim(subj, "verb", f"{verb_lemma(head)} {rest}".strip(), obj, negated, generic, text))
    w = World(name, claims)
    _fill_pools([w])
    return w


# ---------------------------------------------------------------- examples
def _premise_claims(w: World, rng: random.Random, max_facts: int = 5) -> list[Claim]:
    """A seed fact, facts sharing a term with it (a proof's neighbourhood) and a few distractors."""
    seed = rng.choice(w.claims)
    terms = {seed.subj, seed.obj} - {""}
    related = [c for c in w.claims if c is not seed and ({c.subj, c.obj} & terms)]
    others = [c for c in w.claims if c is not seed and c not in related]
    k = rng.randint(1, max_facts)
    picked = [seed, *rng.sample(related, min(len(related), rng.randint(0, k - 1)))]
    picked += rng.sample(others, min(len(others), max(0, k - len(picked))))
    seen, unique = set(), []
    for c in picked:  # one polarity per fact, no duplicates
        if c.key not in seen:
            seen.add(c.key)
            unique.append(c)
    rng.shuffle(unique)
    return unique


def _neutral(w: World, premise: list[Claim], target: Claim, rng: random.Random) -> tuple[Claim, str] | None:
    """A statement the premise says nothing about (and that no single step from it decides)."""
    terms = {c.subj.lower() for c in premise} | {c.obj.lower() for c in premise}
    pred_keys = {c.pred_key for c in premise}
    attrs = {c.pred.lower() for c in premise if c.kind == "attr"}
    neg = rng.random() < 0.5
    for _ in range(8):
        how = rng.choice(("new_subject", "new_subject", "new_predicate", "new_predicate", "new_object",
                          "swap", "reverse_isa"))
        if how == "new_subject":
            pool = w.nouns if target.generic else w.entities
            subj = rng.choice(pool) if pool else None
            if subj and subj.lower() not in terms:
                return replace(target, subj=subj, negated=neg, canonical=None), how
        elif how == "new_predicate":
            cand = _random_claim(w, rng, subj=target.subj, generic=target.generic)
            if (cand.pred_key not in pred_keys and cand.pred.lower() not in {ANTONYM.get(a) for a in attrs}
                    and (cand.kind != "isa" or cand.obj.lower() not in terms)
                    and (cand.kind not in ("verb", "rel") or cand.obj.lower() not in terms)):
                return replace(cand, negated=neg), how
        elif how == "new_object" and target.kind in ("verb", "rel", "isa"):
            pool = w.nouns if target.kind == "isa" else w.entities
            obj = rng.choice(pool) if pool else None
            if obj and obj.lower() not in terms:
                return replace(target, obj=obj, negated=neg, canonical=None), how
        elif how == "swap" and target.kind in ("verb", "rel") and not target.generic and target.obj:
            swapped = replace(target, subj=target.obj, obj=target.subj, negated=neg, canonical=None)
            if all(c.key != swapped.key for c in premise) and target.subj != target.obj:
                return swapped, how
        elif how == "reverse_isa" and target.kind == "isa" and target.generic and not target.negated:
            rev = replace(target, subj=target.obj, obj=target.subj, canonical=None)
            if all(c.key != rev.key for c in premise):
                return rev, how
    return None


def make_example(w: World, label: str, rng: random.Random) -> NLIExample | None:
    """One (premise, hypothesis, label) from world ``w``; None if this draw cannot make ``label``."""
    premise = _premise_claims(w, rng)
    target = rng.choice(premise)
    has_antonym = target.kind == "attr" and target.pred in ANTONYM and not target.negated
    if label == "entailment":
        if has_antonym and rng.random() < 0.12:
            hyp, how = replace(target, pred=ANTONYM[target.pred], negated=True, canonical=None), "antonym_negated"
        else:
            hyp, how = target, "restated"
    elif label == "contradiction":
        if has_antonym and rng.random() < 0.25:
            hyp, how = replace(target, pred=ANTONYM[target.pred], canonical=None), "antonym"
        else:
            hyp, how = target.flipped(), "negation"
    else:
        found = _neutral(w, premise, target, rng)
        if found is None:
            return None
        hyp, how = found
    facts = [format_sentence(render(c, rng), rng, 0.85) for c in premise]
    facts = [f if f.endswith(".") else f + "." for f in facts]
    text = render(hyp, rng)
    if label == "entailment" and how == "restated" and rng.random() < 0.2:
        text = facts[premise.index(target)].rstrip(".")  # the exact wording also occurs in practice
    return NLIExample(" ".join(facts), format_sentence(text, rng, 0.7), label, w.name.split(":")[0], how)


def generate_examples(worlds: Sequence[World], n: int, *, seed: int = 0,
                      lexicon_share: float = 0.0) -> list[NLIExample]:
    """``n`` label-balanced examples; ``lexicon_share`` of them from fresh lexicon worlds."""
    rng = random.Random(seed)
    out: list[NLIExample] = []
    while len(out) < n:
        label = LABELS[len(out) % 3]
        if worlds and rng.random() >= lexicon_share:
            w = rng.choice(worlds)
        else:
            w = lexicon_world(rng, rng.randint(3, 10))
        ex = make_example(w, label, rng)
        if ex is not None:
            out.append(ex)
    rng.shuffle(out)
    return out


# ---------------------------------------------------------------- files
def write_jsonl(examples: Iterable[NLIExample], path: str | Path) -> Path:
    from kgreason.files import write_text_atomic

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, "".join(json.dumps(ex.to_json(), ensure_ascii=False) + "\n"
                                    for ex in examples))
    return path


def read_jsonl(path: str | Path) -> Iterator[NLIExample]:
    from kgreason.errors import InputError

    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})",
                         where=str(path), hint="re-save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8)") from None
    for i, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            yield NLIExample(row["premise"], row["hypothesis"], row["label"], row.get("source", ""),
                             row.get("how", ""))
        except (json.JSONDecodeError, KeyError) as exc:
            raise InputError(f"bad NLI example ({exc})", where=f"{path}:{i}",
                             hint='each line must be {"premise": ..., "hypothesis": ..., "label": ...}') from exc


def build_default_splits(out_dir: str | Path, *, proofwriter: str | Path, n_train: int = 30000,
                         n_dev: int = 1500, seed: int = 13, graphs: Sequence[KnowledgeGraph] = (),
                         reading_data: str | Path | None = None, reading_share: float = 0.3) -> dict[str, Path]:
    """train/dev from ProofWriter theories (dev theories disjoint), lexicon worlds and ``graphs``;
    with ``reading_data`` (crowd ``*-sentences.jsonl``), ``reading_share`` of each split are
    (sentence, reading) pairs for confirming readings (:mod:`kgreason.models.nli_reading_data`),
    dev pairs from the last 10% of its theories."""
    import json as _json

    n_theories = len(_json.loads(Path(proofwriter).read_text()))
    cut = int(n_theories * 0.9)
    train_w = proofwriter_worlds(proofwriter, range(cut))
    dev_w = proofwriter_worlds(proofwriter, range(cut, n_theories))
    for i, kg in enumerate(graphs):
        gw = graph_world(kg, f"graph{i}")
        train_w += [gw] * max(1, len(train_w) // 3)  # graphs: about a quarter of the non-lexicon draws
    out = Path(out_dir)
    n_read_train = int(n_train * reading_share) if reading_data else 0
    n_read_dev = int(n_dev * reading_share) if reading_data else 0
    train = generate_examples(train_w, n_train - n_read_train, seed=seed, lexicon_share=0.45)
    dev = generate_examples(dev_w, n_dev - n_read_dev, seed=seed + 1, lexicon_share=0.45)
    if reading_data:
        from kgreason.models.nli_reading_data import reading_examples
        from kgreason.models.reader_data import read_sentences

        rows = read_sentences(reading_data)
        theories = sorted({str(r.get("theory", i)) for i, r in enumerate(rows)})
        held = set(theories[int(len(theories) * 0.9):])
        train_rows = [r for i, r in enumerate(rows) if str(r.get("theory", i)) not in held]
        dev_rows = [r for i, r in enumerate(rows) if str(r.get("theory", i)) in held]
        train += reading_examples(train_rows, n_read_train, seed=seed)
        dev += reading_examples(dev_rows or train_rows, n_read_dev, seed=seed + 1)
        random.Random(seed).shuffle(train)
    return {"train": write_jsonl(train, out / "train.jsonl"), "dev": write_jsonl(dev, out / "dev.jsonl")}
