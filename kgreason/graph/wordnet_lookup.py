"""WordNet nouns looked up on demand: "is a bear a kind of animal?" without loading WordNet.

The Debian ``wordnet-base`` files are made for random access (wndb(5)): ``index.noun`` is sorted
by lemma (binary search), and its synset offsets are byte offsets into ``data.noun`` (one seek).
So a question costs a few file reads, not the seconds an import of the whole database takes
(``kgreason graph import-wordnet`` is for that). Names follow :mod:`kgreason.graph.wordnet`
(NLTK's: ``bear.n.01``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kgreason.graph.wordnet import Synset, parse_data_line
from kgreason.settings import DEFAULT_WORDNET_DIR

#: Where Debian's wordnet-base puts the database (``$KGREASON_WORDNET_DIR`` overrides it).
DEFAULT_DIR = DEFAULT_WORDNET_DIR
#: Hypernym steps followed at most (WordNet's deepest noun chains are under 20).
MAX_DEPTH = 20


def wordnet_dir() -> Path:
    from kgreason.settings import get_settings

    return get_settings().wordnet_dir


def available(folder: Path | None = None) -> bool:
    folder = folder or wordnet_dir()
    return (folder / "index.noun").is_file() and (folder / "data.noun").is_file()



def index_senses(data: bytes, word: str) -> list[str]:
    """The synset offsets of ``word`` in a WordNet ``index.<pos>`` file's bytes, most frequent
    first ([] when absent): a binary search over its sorted lines."""
    key = word.lower().replace(" ", "_").encode()
    lo, hi = 0, len(data)
    while lo < hi:
        mid = (lo + hi) // 2
        start = data.rfind(b"\n", 0, mid) + 1
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        line = data[start:end]
        if line.startswith(b" "):  # the licence header sorts first
            lo = end + 1
            continue
        lemma = line.split(b" ", 1)[0]
        if lemma == key:
            fields = line.split()
            count = int(fields[2])
            return [f.decode() for f in fields[-count:]]
        if lemma < key:
            lo = end + 1
        else:
            hi = start
    return []


class NounLookup:
    """Noun senses and hypernyms of one WordNet database folder."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or wordnet_dir()
        self._index = (self.folder / "index.noun").read_bytes()
        self._data = (self.folder / "data.noun").open("rb")
        self._synsets: dict[str, Synset] = {}
        self._is_a: dict[tuple[str, str], list[str] | None] = {}
        self._lines: dict[str, bytes] | None = None

    # ------------------------------------------------------------------ index (binary search)
    def senses(self, word: str) -> list[str]:
        """The synset offsets of ``word`` as a noun, sense 1 first ([] if it is no noun)."""
        return index_senses(self._index, word)

    # ------------------------------------------------------------------ data (one seek)
    def synset(self, offset: str) -> Synset:
        found = self._synsets.get(offset)
        if found is None:
            self._data.seek(int(offset))
            line = self._data.readline()
            if not line.startswith(offset.encode() + b" "):
                line = self._scan().get(offset, b"")  # a file whose offsets are not byte offsets
            if not line:
                raise KeyError(f"synset {offset} is not in {self.folder / 'data.noun'}")
            found = parse_data_line(line.decode("utf-8", errors="replace"))
            self._synsets[offset] = found
        return found

    def _scan(self) -> dict[str, bytes]:
        """Every data line by its offset field (only for excerpts of the database, such as test
        fixtures, where the offsets are not the lines' byte positions)."""
        if self._lines is None:
            self._data.seek(0)
            self._lines = {raw.split(b" ", 1)[0].decode(): raw for raw in self._data
                           if raw[:1].isdigit()}
        return self._lines

    def name(self, offset: str) -> str:
        """NLTK's name of the synset: its first lemma, ``n``, its sense number (``bear.n.01``)."""
        lemma = self.synset(offset).lemmas[0]
        senses = self.senses(lemma)
        number = senses.index(offset) + 1 if offset in senses else 1
        return f"{lemma.lower()}.n.{number:02d}"

    def gloss(self, offset: str) -> str:
        return self.synset(offset).gloss.split(";")[0].strip()

    def hypernym_path(self, offset: str, targets: set[str]) -> list[str] | None:
        """The shortest chain of hypernyms (and instance hypernyms) from ``offset`` to one of
        ``targets``, both ends included; None when there is none."""
        frontier, parent = [offset], {offset: None}
        for _ in range(MAX_DEPTH):
            nxt = []
            for node in frontier:
                if node in targets and node != offset:
                    path = [node]
                    while parent[path[-1]] is not None:
                        path.append(parent[path[-1]])
                    return path[::-1]
                try:
                    pointers = self.synset(node).pointers
                except KeyError:  # an excerpt of WordNet: the chain ends where the file does
                    continue
                for symbol, target, pos in pointers:
                    if symbol in ("@", "@i") and pos == "n" and target not in parent:
                        parent[target] = node
                        nxt.append(target)
            if not nxt:
                return None
            frontier = nxt
        return None

    def is_a(self, word: str, kind: str) -> list[str] | None:
        key = (word, kind)
        if key not in self._is_a:
            if len(self._is_a) > 100_000:
                self._is_a.clear()
            self._is_a[key] = self._find(word, kind)
        return self._is_a[key]

    def _find(self, word: str, kind: str) -> list[str] | None:
        """The hypernym chain (synset names) that makes some noun sense of ``word`` a kind of some
        noun sense of ``kind`` ("bear", "animal" → ["bear.n.01", "placental.n.01", …,
        "animal.n.01"]); the most frequent sense of ``word`` is tried first. None if none does."""
        targets = set(self.senses(kind))
        if not targets:
            return None
        for offset in self.senses(word):
            path = self.hypernym_path(offset, targets)
            if path is not None:
                return [self.name(o) for o in path]
        return None


    def offset(self, name: str) -> str | None:
        """The offset of a synset named as :meth:`name` gives it (``sun.n.01``), None if none."""
        lemma, _, number = name.rpartition(".n.")
        senses = self.senses(lemma)
        try:
            return senses[int(number) - 1]
        except (ValueError, IndexError):
            return None

    def is_instance(self, name: str, of: str) -> bool:
        """Is synset ``name`` an *instance* of ``of`` (WordNet's ``@i``: the sun is a star) rather
        than a kind of it?"""
        a, b = self.offset(name), self.offset(of)
        if a is None or b is None:
            return False
        return any(symbol == "@i" and target == b for symbol, target, _ in self.synset(a).pointers)


@lru_cache(maxsize=4)
def lookup(folder: str | None = None) -> NounLookup | None:
    """The shared lookup of a folder (None when WordNet is not installed there)."""
    path = Path(folder) if folder else wordnet_dir()
    return NounLookup(path) if available(path) else None


#: WordNet's part-of-speech letters → the file suffix of its index and data files.
SENSE_FILES = {"n": "noun", "v": "verb", "a": "adj"}


class SenseLookup:
    """Senses of a word in nouns, verbs and adjectives (``index.*`` binary search, one seek into
    ``data.*`` to name a synset): enough to ask whether two words share a synset, without loading
    WordNet."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder or wordnet_dir()
        self._index = {pos: (self.folder / f"index.{name}").read_bytes() for pos, name in SENSE_FILES.items()
                       if (self.folder / f"index.{name}").is_file()}
        self._names: dict[tuple[str, str], str] = {}

    def senses(self, word: str, pos: str) -> list[str]:
        """Synset offsets of ``word`` in part of speech ``pos`` (n / v / a), most frequent first."""
        data = self._index.get(pos)
        if data is None:
            return []
        return index_senses(data, word)

    def name(self, offset: str, pos: str) -> str:
        """NLTK's name of a synset (``publish.v.01``): its first lemma, pos, sense number."""
        found = self._names.get((offset, pos))
        if found is None:
            with (self.folder / f"data.{SENSE_FILES[pos]}").open("rb") as handle:
                handle.seek(int(offset))
                line = handle.readline().decode("utf-8", errors="replace")
            fields = line.split()
            lemma = fields[4].lower() if len(fields) > 4 and fields[0] == offset else "?"
            lemma = lemma.split("(")[0]  # adjective markers: "good(a)"
            senses = self.senses(lemma, pos)
            number = senses.index(offset) + 1 if offset in senses else 1
            found = self._names[(offset, pos)] = f"{lemma}.{pos}.{number:02d}"
        return found

    def shared_synset(self, a: str, b: str) -> tuple[str, str, str] | None:
        """Evidence that ``a`` and ``b`` mean the same, as (pos, offset, why), or None: in one part
        of speech, either every sense of one word is a sense of the other ("programme" and
        "program", "purchase" and "buy": ``why`` is "every sense"; the other word's most
        frequent sense among them, so "valet" is not "man"), or both words' most frequent
        sense is the same synset ("big" and "large": "first sense"). A synset shared only in a
        rare sense ("man" as a valet, "big" as "heavy") is no evidence."""
        for pos in SENSE_FILES:
            mine, theirs = self.senses(a, pos), self.senses(b, pos)
            if not mine or not theirs:
                continue
            few, many = (mine, theirs) if len(mine) <= len(theirs) else (theirs, mine)
            if set(few) <= set(many) and many[0] in few:
                return pos, many[0], "every sense"
            if mine[0] == theirs[0]:
                return pos, mine[0], "first sense"
        return None


@lru_cache(maxsize=4)
def sense_lookup(folder: str | None = None) -> SenseLookup | None:
    """The shared sense lookup of a folder (None when WordNet is not installed there)."""
    path = Path(folder) if folder else wordnet_dir()
    return SenseLookup(path) if (path / "index.verb").is_file() and (path / "index.noun").is_file() else None
