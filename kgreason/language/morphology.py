"""Word forms: plural/singular nouns and verb lemmas, so "apples" ~ apple, "lays" ~ "lay",
"has" ~ "have". Backed by lemminflect (dictionary + rules, data inside the wheel, offline)."""

from __future__ import annotations

import logging
import marshal
import re
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:['’][a-z]+)?")

#: Function words that do not change a phrase's meaning for matching.
STOPWORDS = frozenset(["a", "an", "the", "of", "to"])


def tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


#: Irregular plurals lemminflect's dictionary lists as nouns of their own (it has "people" as a
#: lemma, and no "oxen"); every other irregular plural ("men", "children", "mice", "geese", "feet",
#: "teeth", "women", "lice", "cacti") comes from lemminflect's lemma table.
_IRREGULAR_PLURALS = {"people": "person", "oxen": "ox", "brethren": "brother"}
_IRREGULAR_SINGULARS = {v: k for k, v in _IRREGULAR_PLURALS.items()}


_LEMMA_TABLE_READY = False


def lemma_table() -> None:
    """Give lemminflect its lemma table from a copy in kgreason's cache (0.2 s) instead of
    parsing its gzip file (0.5 s of every cold ``ask``). The copy is keyed by lemminflect's
    version and file and carries a BLAKE2 digest; a missing or damaged copy is rebuilt from
    lemminflect's own file, so a lookup never depends on the cache being right."""
    global _LEMMA_TABLE_READY
    if _LEMMA_TABLE_READY:
        return
    _LEMMA_TABLE_READY = True
    try:
        import lemminflect
        from lemminflect.core.Lemmatizer import Lemmatizer

        from kgreason.files import blake2_bytes, cache_root, write_file_atomic

        lemmatizer = Lemmatizer()
        if hasattr(lemmatizer, "lemma_dict"):
            return
        source = Path(lemmatizer.lemma_lu_fn)
        stat = source.stat()
        path = cache_root() / "lemminflect" / (
            f"lemmas-{lemminflect.__version__}-{stat.st_size}-{int(stat.st_mtime)}.marshal")
        try:
            digest, _, payload = path.read_bytes().partition(b"\n")
            if digest.decode() == blake2_bytes(payload):
                table = marshal.loads(payload)
                if isinstance(table, dict) and table:
                    lemmatizer.lemma_dict = table
                    return
            log.warning("the cached lemma table %s is damaged; rebuilding it", path)
        except FileNotFoundError:
            pass
        except (OSError, ValueError, EOFError, TypeError, UnicodeDecodeError) as exc:
            log.warning("the cached lemma table %s is unreadable (%s); rebuilding it", path, exc)
        lemminflect.getAllLemmas("be")  # lemminflect loads its own file
        payload = marshal.dumps(lemmatizer.lemma_dict)

        def write(tmp: Path) -> None:
            tmp.write_bytes(blake2_bytes(payload).encode() + b"\n" + payload)

        path.parent.mkdir(parents=True, exist_ok=True)
        write_file_atomic(path, write)
    except Exception as exc:  # noqa: BLE001 — the cache is an optimisation: lemminflect works without it
        log.debug("lemma table cache not used: %s", exc)


@lru_cache(maxsize=65536)
def singular(word: str) -> str:
    """``apples`` → ``apple``, ``platypuses`` → ``platypus``, ``geese`` → ``goose``, ``people`` →
    ``person``, ``men`` → ``man``."""
    from lemminflect import getAllLemmas, getLemma

    lemma_table()
    w = word.lower()
    if w in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[w]
    if len(w) <= 3:  # "men" → "man"; other short words ("gas", "bus", "was") stay
        short = getAllLemmas(w).get("NOUN")
        return short[0] if short and not w.endswith("s") else w
    if w.endswith(("ss", "ous")):
        return w
    known = getAllLemmas(w).get("NOUN")
    if known:
        return known[0]
    if not w.endswith("s"):  # unknown word without a plural ending: "echidna" is not "echidnum"
        return w
    if w.endswith("uses"):  # "sterpuses" → "sterpus" (lemminflect's rules give "sterpuse")
        return w[:-2]
    lemma = getLemma(w, upos="NOUN")
    return lemma[0] if lemma else w


@lru_cache(maxsize=65536)
def verb_lemma(word: str) -> str:
    """``lays`` → ``lay``, ``has`` → ``have``, ``does`` → ``do``, ``is`` → ``be``."""
    from lemminflect import getAllLemmas, getLemma

    lemma_table()
    w = word.lower()
    # already a base form ("lay" stays "lay", not the past of "lie"); asked of the lemma table,
    # not of getAllInflections, so linking never loads the inflection table (0.5 s at start-up)
    if w not in ("is", "are", "was", "were", "has", "does") and \
            w in getAllLemmas(w, upos="VERB").get("VERB", ()):
        return w
    if not getAllLemmas(w) and not w.endswith(("s", "ed", "ing")):
        return w  # an unknown word with no verb ending stays as it is
    lemma = getLemma(w, upos="VERB") or getLemma(w, upos="AUX")
    return lemma[0] if lemma else w


@lru_cache(maxsize=65536)
def plural(word: str) -> str:
    """``apple`` → ``apples``, ``mouse`` → ``mice``, ``wumpus`` → ``wumpuses`` (lemminflect; the
    ``inflect`` package is not used here: importing it costs seconds of typeguard instrumentation)."""
    from lemminflect import getInflection

    if word.lower() in _IRREGULAR_SINGULARS:  # "person" → "people" (lemminflect: "persons")
        return _IRREGULAR_SINGULARS[word.lower()]
    forms = getInflection(word, "NNS")
    return forms[0] if forms else word


#: Common mass (uncountable) nouns: substances, materials, foods, abstract stuff — said in the
#: singular ("glass is transparent", "milk is white"). A graph can mark its own classes
#: ``kgr:MassNoun`` (see ``graphs/README.md``); this list covers graphs that do not.
MASS_NOUNS = frozenset({
    "air", "blood", "bread", "butter", "cheese", "clay", "concrete", "copper", "cotton", "dirt",
    "dust", "electricity", "energy", "fire", "food", "fruit", "fuel", "furniture", "gas", "glass",
    "gold", "grass", "gravel", "hair", "honey", "ice", "information", "iron", "juice", "knowledge",
    "leather", "light", "lightning", "livestock", "meat", "metal", "milk", "money", "mud", "music",
    "oil", "oxygen", "paper", "plastic", "poultry", "rain", "rice", "rubber", "rust", "salt",
    "sand", "silver", "smoke", "snow", "soil", "soup", "steam", "steel", "stone", "sugar", "tea",
    "traffic", "water", "weather", "wheat", "wine", "wood", "wool",
})


def is_mass_noun(word: str) -> bool:
    """Is ``word`` (a noun, singular) one of the common mass nouns (:data:`MASS_NOUNS`)?"""
    return word.lower() in MASS_NOUNS


_AUXILIARIES = {"is": "be", "are": "be", "was": "be", "were": "be", "am": "be", "does": "do",
                "did": "do", "has": "have", "had": "have", "goes": "go", "can": "can"}


@lru_cache(maxsize=65536)
def lemma(word: str) -> str:
    """One canonical form for matching: the noun singular if it changes the word, else the verb
    lemma ("apples" → "apple", "lays" → "lay", "has" → "have", "fish" → "fish")."""
    w = word.lower()
    if w in _AUXILIARIES:
        return _AUXILIARIES[w]
    noun = singular(w)
    if noun != w:
        return noun
    return verb_lemma(w)


def phrase_key(text: str, *, drop_stopwords: bool = True) -> tuple[str, ...]:
    """A normalised key for a phrase: lower-case lemmas, articles dropped.
    ``"Lays eggs"`` and ``"lay an egg"`` both give ``("lay", "egg")``."""
    return tuple(lemma(t) for t in tokens(text) if not (drop_stopwords and t in STOPWORDS))


#: Number words: a mention that names a quantity links only to labels naming the same quantity.
NUMBER_WORDS = frozenset(["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety", "hundred", "thousand", "million", "billion", "dozen", "half", "single", "double", "twice"])


def numbers(words) -> frozenset[str]:
    """The quantities ``words`` name ("four legs" → {"four"}, "4 legs" → {"4"})."""
    return frozenset(w.lower() for w in words if w.isdigit() or w.lower() in NUMBER_WORDS)
