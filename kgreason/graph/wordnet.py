"""WordNet 3.0 nouns and verbs → RDF (Turtle), for ``kgreason graph import-wordnet``.

Reads the database files Debian's ``wordnet-base`` installs in ``/usr/share/wordnet``
(``data.noun``, ``data.verb``, ``index.noun``, ``index.verb``; format in wndb(5)). We parse the
documented line format ourselves (~60 lines) rather than use NLTK: NLTK is not a dependency, and its
reader insists on NLTK's own corpus layout (a ``lexnames`` file and ``corpora/wordnet`` path that the
Debian package does not ship), so using it would need both a new dependency and workarounds.

Mapping (see README "Graphs"):

* synset → ``wn:<first lemma>.<n|v>.<sense>`` (NLTK's names: ``wn:apple.n.01``); unsafe characters
  percent-encoded. Every lemma → rdfs:label (underscores → spaces); the first → skos:prefLabel.
* ``@`` hypernym → rdfs:subClassOf (verb synsets are classes of events: walk ⊑ travel);
  ``@i`` instance hypernym → rdf:type.
* ``%p`` / ``%m`` / ``%s`` meronyms → ``wn:hasPart`` / ``wn:hasMember`` / ``wn:hasSubstance``.
  hasPart and hasSubstance are kgr:InheritableProperty (WordNet meronyms hold for hyponyms: its
  own ``wn -hmern`` lists inherited meronyms). Holonyms (``#``) are the same links reversed: skipped.
* ``*`` verb entailment → ``wn:entails``.
* ``!`` antonym → ``wn:antonym`` (owl:SymmetricProperty, "is the opposite of") always, plus
  ``owl:disjointWith`` when the two synsets share a direct hypernym (man/woman under adult): such
  co-hyponyms are contraries — "X is a man" contradicts "X is a woman". Antonyms without a shared
  parent are often converses that can both hold (parent/child, buy/sell), so they get no negation.
* optional glosses → skos:definition. Adjectives and adverbs are not imported.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from kgreason.errors import InputError, ParseError
from kgreason.files import write_file_atomic
from kgreason.graph.vocab import WN

log = logging.getLogger(__name__)

DEFAULT_WORDNET_DIR = Path("/usr/share/wordnet")
POS_FILES = {"n": "noun", "v": "verb"}

#: WordNet pointer symbol → (Turtle predicate, human label) for the relations we import.
RELATIONS = {
    "%p": ("wn:hasPart", "has part"),
    "%m": ("wn:hasMember", "has member"),
    "%s": ("wn:hasSubstance", "has substance"),
    "*": ("wn:entails", "entails"),
}

_PREFIXES = {
    "wn": str(WN),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "kgr": "https://w3id.org/kgreason#",
}

_HEADER = """\
# WordNet 3.0 nouns and verbs, converted by `kgreason graph import-wordnet` from {source}.
# WordNet is (c) Princeton University, under the WordNet 3.0 license (free use with attribution):
# https://wordnet.princeton.edu/license-and-commercial-use

wn:hasPart a owl:ObjectProperty, kgr:InheritableProperty ; rdfs:label "has part" .
wn:hasMember a owl:ObjectProperty ; rdfs:label "has member" .
wn:hasSubstance a owl:ObjectProperty, kgr:InheritableProperty ; rdfs:label "has substance" .
wn:entails a owl:ObjectProperty ; rdfs:label "entails" .
wn:antonym a owl:ObjectProperty, owl:SymmetricProperty ; rdfs:label "is the opposite of" .

"""
_HEADER_TRIPLES = 13

_SAFE_LOCAL = re.compile(r"^[A-Za-z0-9_%]([A-Za-z0-9_.%\-]*[A-Za-z0-9_%\-])?$")


@dataclass
class Synset:
    """One line of a ``data.*`` file: the lemmas and the pointers we care about."""

    offset: str
    pos: str
    lemmas: list[str]
    pointers: list[tuple[str, str, str]]  # (symbol, target offset, target pos)
    gloss: str = ""
    name: str = ""


@dataclass
class WordNetImport:
    """What an import wrote: counts, size and time (for the CLI and the README)."""

    out: Path
    synsets: int = 0
    triples: int = 0
    bytes: int = 0
    seconds: float = 0.0
    per_relation: dict[str, int] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "out": str(self.out),
            "synsets": self.synsets,
            "triples": self.triples,
            "bytes": self.bytes,
            "seconds": round(self.seconds, 2),
            "per_relation": self.per_relation,
        }


def read_index(path: Path) -> dict[str, list[str]]:
    """``index.<pos>``: lemma → synset offsets in sense order (sense 1 first)."""
    senses: dict[str, list[str]] = {}
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle, 1):
            if line.startswith(" ") or not line.strip():
                continue  # license header
            fields = line.split()
            try:
                count = int(fields[2])
            except (IndexError, ValueError):
                raise ParseError(
                    "not a WordNet index line",
                    path=str(path),
                    line=number,
                    hint="expected 'lemma pos synset_cnt p_cnt ... offsets' (wndb(5))",
                ) from None
            senses[fields[0]] = fields[-count:]
    return senses


def parse_data_line(line: str) -> Synset:
    """One ``data.*`` line (wndb(5)): offset lex_filenum ss_type w_cnt (word lex_id)* p_cnt ptr* | gloss."""
    body, _, gloss = line.partition(" | ")
    fields = body.split()
    offset, pos = fields[0], fields[2]
    words = int(fields[3], 16)
    lemmas = [fields[4 + 2 * i] for i in range(words)]
    at = 4 + 2 * words
    count = int(fields[at])
    pointers = []
    for i in range(count):
        symbol, target, target_pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
        pointers.append((symbol, target, target_pos))
    if len(lemmas) != words or len(pointers) != count:
        raise ValueError("truncated line")
    return Synset(offset, "v" if pos == "v" else "n", lemmas, pointers, gloss.strip())


def read_data(path: Path, progress=None) -> Iterator[Synset]:
    """Synsets of one ``data.*`` file; ``progress(bytes)`` is called as lines are read."""
    with path.open("rb") as handle:
        for number, raw in enumerate(handle, 1):
            if progress is not None:
                progress(len(raw))
            if raw.startswith(b" ") or not raw.strip():
                continue
            try:
                yield parse_data_line(raw.decode("utf-8", errors="replace"))
            except (IndexError, ValueError) as exc:
                raise ParseError(
                    f"not a WordNet data line ({exc})",
                    path=str(path),
                    line=number,
                    hint="expected the wndb(5) data format: offset lex_filenum ss_type "
                    "w_cnt words p_cnt pointers | gloss",
                ) from None


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _string(text: str) -> str:
    """A Turtle string literal (cheaper than building an rdflib Literal per lemma)."""
    return '"' + text.translate(_ESCAPES) + '"'


def _local(name: str) -> str:
    return quote(name, safe="_.-")


def _term(name: str) -> str:
    local = _local(name)
    return f"wn:{local}" if _SAFE_LOCAL.match(local) else f"<{WN}{local}>"


def check_wordnet_dir(wordnet_dir: Path) -> None:
    missing = [
        f"{kind}.{POS_FILES[p]}"
        for p in POS_FILES
        for kind in ("data", "index")
        if not (wordnet_dir / f"{kind}.{POS_FILES[p]}").is_file()
    ]
    if missing:
        raise InputError(
            f"no WordNet 3.0 database in {wordnet_dir} (missing {', '.join(missing)})",
            hint="install it with `apt-get install wordnet-base` (goes to /usr/share/wordnet) "
            "or pass --wordnet-dir DIR",
        )


def load_synsets(wordnet_dir: Path, progress=None) -> dict[tuple[str, str], Synset]:
    """All noun and verb synsets keyed by (pos, offset), named NLTK-style (``apple.n.01``)."""
    check_wordnet_dir(wordnet_dir)
    synsets: dict[tuple[str, str], Synset] = {}
    for pos, name in POS_FILES.items():
        index = read_index(wordnet_dir / f"index.{name}")
        for synset in read_data(wordnet_dir / f"data.{name}", progress):
            first = synset.lemmas[0].lower()
            offsets = index.get(first, [])
            if synset.offset in offsets:
                synset.name = f"{first}.{pos}.{offsets.index(synset.offset) + 1:02d}"
            else:  # index and data disagree: keep a unique, stable name
                log.warning(
                    "%s: %s not in index.%s; naming it by offset", synset.offset, first, name
                )
                synset.name = f"{first}.{pos}.o{synset.offset}"
            synsets[(pos, synset.offset)] = synset
    return synsets


def synset_lines(
    synset: Synset, synsets: dict[tuple[str, str], Synset], counts: dict[str, int]
) -> list[str]:
    """The predicate-object list of one synset (Turtle), counting triples per relation in ``counts``."""
    parts: list[tuple[str, str]] = []
    labels = []
    for lemma in synset.lemmas:
        text = lemma.replace("_", " ")
        if text not in labels:
            labels.append(text)
    parts.append(("skos:prefLabel", _string(labels[0])))
    parts.extend(("rdfs:label", _string(text)) for text in labels)
    parents = {t for s, t, p in synset.pointers if s == "@" and p == synset.pos}
    for symbol, target, target_pos in synset.pointers:
        other = synsets.get((target_pos, target))
        if other is None:  # adjectives/adverbs, or outside a fixture
            continue
        if symbol == "@":
            parts.append(("rdfs:subClassOf", _term(other.name)))
        elif symbol == "@i":
            parts.append(("rdf:type", _term(other.name)))
        elif symbol in RELATIONS:
            parts.append((RELATIONS[symbol][0], _term(other.name)))
        elif symbol == "!" and other.pos == synset.pos:
            parts.append(("wn:antonym", _term(other.name)))
            their_parents = {t for s, t, p in other.pointers if s == "@" and p == other.pos}
            if parents & their_parents:
                parts.append(("owl:disjointWith", _term(other.name)))
    if synset.gloss:
        parts.append(("skos:definition", _string(synset.gloss)))
    seen = set()
    lines = []
    for pred, obj in parts:
        if (pred, obj) in seen:
            continue
        seen.add((pred, obj))
        counts[pred] = counts.get(pred, 0) + 1
        lines.append(f"{pred} {obj}")
    return lines


def import_wordnet(
    out: str | Path,
    wordnet_dir: str | Path = DEFAULT_WORDNET_DIR,
    *,
    definitions: bool = False,
    progress: bool = True,
) -> WordNetImport:
    """Write WordNet nouns and verbs to ``out`` as Turtle; returns counts, size and time."""
    from kgreason.progress import progress_bar

    show = None if progress else False  # on a terminal (or KGREASON_PROGRESS=1), never when False
    started = time.perf_counter()
    wordnet_dir, out = Path(wordnet_dir), Path(out)
    check_wordnet_dir(wordnet_dir)
    total = sum((wordnet_dir / f"data.{n}").stat().st_size for n in POS_FILES.values())
    with progress_bar("reading WordNet", total, show=show, in_bytes=True) as advance:
        synsets = load_synsets(wordnet_dir, progress=advance)
    result = WordNetImport(out=out, synsets=len(synsets))
    counts: dict[str, int] = {}
    out.parent.mkdir(parents=True, exist_ok=True)

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as handle:
            for prefix, ns in _PREFIXES.items():
                handle.write(f"@prefix {prefix}: <{ns}> .\n")
            handle.write(_HEADER.format(source=wordnet_dir))
            with progress_bar("writing Turtle", len(synsets), show=show, unit="synsets") as advance:
                for synset in synsets.values():
                    if not definitions:
                        synset.gloss = ""
                    body = " ;\n    ".join(synset_lines(synset, synsets, counts))
                    handle.write(f"{_term(synset.name)} {body} .\n")
                    advance(1)

    write_file_atomic(out, write)  # a killed import leaves no truncated Turtle behind
    result.per_relation = counts
    result.triples = sum(counts.values()) + _HEADER_TRIPLES
    result.bytes = out.stat().st_size
    result.seconds = time.perf_counter() - started
    log.info("wrote %s: %d synsets, %d triples", out, result.synsets, result.triples)
    return result
