"""XML graph files (RDF/XML, GraphML) are checked before a parser sees them: no entity may expand
to more than a bounded amount of text, and nothing outside the file is ever read.

The check reads the DOCTYPE's internal subset and refuses

- an entity whose text refers to another entity (nested entities: a 1 KB "billion laughs" file
  expands to gigabytes and hangs the parser),
- external entities (``SYSTEM`` / ``PUBLIC``: a file or a URL) and parameter entities (``%``),
- more expansion in all than :data:`MAX_EXPANSION_FACTOR` times the file (the "quadratic
  blowup": one long entity referenced again and again).

Plain-text entities are still read, as Protégé writes them
(``<!ENTITY owl "http://www.w3.org/2002/07/owl#">`` … ``rdf:resource="&owl;Class"``).
The check is one pass over the file, and only when entities are declared.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from kgreason.errors import ParseError

#: The DOCTYPE must come within this many bytes of the start of the file.
HEAD_BYTES = 1 << 20
#: The expanded entity text may add at most this factor times the file's size (+ 1 MiB).
MAX_EXPANSION_FACTOR = 10
_PREDEFINED = {"amp", "lt", "gt", "quot", "apos"}
_NAME = r"[^\s%&;<>\"'\[\]]+"
_DECL = re.compile(
    r"""<!--.*?-->
      | <\?.*?\?>
      | <!ENTITY\s+(?P<pe>%\s+)?(?P<name>""" + _NAME + r""")\s+
            (?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<ext>SYSTEM|PUBLIC)\b)[^>]*>
      | <!(?:ELEMENT|ATTLIST|NOTATION)(?:"[^"]*"|'[^']*'|[^>"'])*>
      | %""" + _NAME + r""";
      | \s+
      | (?P<end>\]\s*>)
    """,
    re.VERBOSE | re.DOTALL,
)
_REF = re.compile(r"&(" + _NAME + r");")
_HINT_NESTED = "write the text out instead of the inner entity (an entity's text may not use other entities)"


def _decode_head(raw: bytes) -> str:
    """The head of the file as text: UTF-16 when it says so, else byte-for-byte (the XML syntax
    looked at here is ASCII in every ASCII-compatible encoding)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return raw.decode("utf-16", errors="replace")
    if raw.startswith(b"<\x00"):
        return raw.decode("utf-16-le", errors="replace")
    if raw.startswith(b"\x00<"):
        return raw.decode("utf-16-be", errors="replace")
    return raw.decode("latin-1")


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def check_xml_entities(path: Path, label: str) -> None:
    """Raise :class:`ParseError` (at the declaration's line:column) when ``path`` declares
    entities that could expand without bound or read something outside the file."""
    with path.open("rb") as handle:
        raw = handle.read(HEAD_BYTES)
    head = _decode_head(raw)
    start = head.find("<!DOCTYPE")
    root = re.search(r"<[^?!]", head)
    if start < 0 or (root is not None and root.start() < start):
        return  # no DTD before the root element: only the five predefined entities exist
    bracket = re.compile(r"<!DOCTYPE(?:\s+(?:\"[^\"]*\"|'[^']*'|[^\s\[>]+))*\s*([\[>])").match(head, start)
    if bracket is None or bracket.group(1) == ">":
        return  # no internal subset; an external DTD is never read (the parsers do not fetch it)

    def error(message: str, offset: int, hint: str) -> ParseError:
        line, column = _position(head, offset)
        return ParseError(f"{label}: {message}", path=str(path), line=line, column=column, hint=hint)

    entities: dict[str, str] = {}
    pos = bracket.end()
    while True:
        m = _DECL.match(head, pos)
        if m is None:  # refused rather than passed on unchecked
            if len(raw) == HEAD_BYTES and pos + 4096 > len(head):
                raise error(f"the DOCTYPE is longer than {HEAD_BYTES >> 20} MiB", start,
                            "remove the DOCTYPE (kgreason needs none)")
            raise error("cannot read this part of the DOCTYPE", pos,
                        "keep the DOCTYPE to plain-text entities: <!ENTITY name \"text\">")
        if m.group("end"):
            break
        pos = m.end()
        name = m.group("name")
        if name is None:
            if m.group().startswith("%"):
                raise error("parameter entity references are not read", m.start(),
                            "remove them from the DOCTYPE")
            continue
        if m.group("pe"):
            raise error(f"parameter entity %{name}; is not read", m.start(), "remove it from the DOCTYPE")
        if m.group("ext"):
            raise error(
                f"external entity &{name}; is not read (kgreason never reads other files or the "
                "network for a data file)",
                m.start(),
                "replace the entity by its text, or remove it",
            )
        value = m.group("dq") if m.group("dq") is not None else m.group("sq")
        inner = [r for r in _REF.findall(value) if r not in _PREDEFINED and not r.startswith("#")]
        if inner or "%" in value:
            what = f"&{inner[0]};" if inner else "a parameter entity"
            raise error(
                f"entity &{name}; refers to {what}: nested entities are refused (they can expand "
                "to gigabytes, a 'billion laughs' file)",
                m.start(),
                _HINT_NESTED,
            )
        entities.setdefault(name, value)
    if entities:
        _check_expansion(path, entities, label)


def _check_expansion(path: Path, entities: dict[str, str], label: str) -> None:
    """One streaming pass: the text all references to declared entities add up to."""
    size = path.stat().st_size
    limit = MAX_EXPANSION_FACTOR * size + (1 << 20)
    longest = max(len(n) for n in entities) + 2
    ref = re.compile(rb"&(" + b"|".join(re.escape(n.encode("utf-8")) for n in entities) + rb");")
    weight = {n.encode("utf-8"): len(v.encode("utf-8")) for n, v in entities.items()}
    total = 0
    carry = b""
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            data = carry + block
            cut = max(0, len(data) - longest)
            amp = data.rfind(b"&", cut)
            end = amp if amp >= 0 and data.find(b";", amp) < 0 else len(data)
            total += sum(weight[m.group(1)] for m in ref.finditer(data, 0, end))
            carry = data[end:]
            if total > limit:
                raise ParseError(
                    f"{label}: entity references expand to more than {MAX_EXPANSION_FACTOR} times "
                    "the file's size; refused (a file that expands without bound hangs the parser)",
                    path=str(path),
                    hint="write the text out instead of referencing long entities many times",
                )
