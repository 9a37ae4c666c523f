"""The rule text syntax (Datalog-like), parsed into :class:`~kgreason.core.rules.Rule`.

::

    @prefix ex: <http://example.org/> .
    # comment
    [edible] ?x ex:canBe ex:EatenRaw :- ?x a ex:Fruit, not ?x ex:canBe ex:Poisonous .
    not ?x ex:canFly true :- ?x a ex:Penguin .          # `not` in the head: a negative fact

Terms: ``?var``, ``prefix:name`` (the graph's namespaces + ``@prefix`` lines), ``<iri>``, ``a``
(rdf:type), ``"literal"`` (optionally ``@lang`` or ``^^type``), numbers, ``true``/``false``.
A rule with no ``:-`` part is a fact (no variables). Errors carry ``line:column``.
"""

from __future__ import annotations

import re
from pathlib import Path

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from kgreason.core.rules import Atom, Rule, Term, Var
from kgreason.errors import RuleError, file_error
from kgreason.graph.vocab import STANDARD_PREFIXES

_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\r\n]+)
  | (?P<comment>\#[^\n]*)
  | (?P<prefixdir>@prefix\b|PREFIX\b)
  | (?P<implies>:-|←)
  | (?P<name>\[[^\]\n]*\])
  | (?P<var>\?[A-Za-z_][\w\-]*)
  | (?P<iri><[^<>"\s]*>)
  | (?P<string>"(?:[^"\\\n]|\\.)*"(?:@[A-Za-z][\w\-]*|\^\^(?:<[^<>"\s]*>|[A-Za-z][\w\-]*:[\w\-.]*))?)
  | (?P<number>[+-]?\d+(?:\.\d+)?(?![\w:]))
  | (?P<pname>(?:[A-Za-z][\w\-.]*)?:[\w\-]*(?:\.[\w\-]+)*)
  | (?P<word>[A-Za-z_][\w\-]*)
  | (?P<punct>[,.¬!])
    """,
    re.VERBOSE,
)

_NEGATION_WORDS = {"not", "¬", "!"}

#: Turtle's string escapes: ECHAR, and UCHAR (4 or 8 hex digits); anything else after a
#: backslash is an error (matched here by the last branch, so that it can be reported).
_ESCAPE = re.compile(r"\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)", re.DOTALL)
_ECHAR = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


class _Tok:
    __slots__ = ("col", "kind", "line", "text")

    def __init__(self, kind: str, text: str, line: int, col: int):
        self.kind, self.text, self.line, self.col = kind, text, line, col


def _tokenize(text: str, source: str) -> list[_Tok]:
    out: list[_Tok] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if m is None:
            raise RuleError(
                f"unexpected character {text[pos]!r}",
                path=source,
                line=line,
                column=pos - line_start + 1,
                hint="rules look like: ?x ex:p ?y :- ?x ex:q ?y, not ?y a ex:C .",
            )
        kind, value = m.lastgroup or "", m.group()
        if kind not in ("ws", "comment"):
            out.append(_Tok(kind, value, line, pos - line_start + 1))
        newlines = value.count("\n")
        if newlines:
            line += newlines
            line_start = pos + value.rfind("\n") + 1
        pos = m.end()
    return out


class _Parser:
    def __init__(self, text: str, namespaces: dict[str, str] | None, source: str):
        self.source = source
        self.tokens = _tokenize(text, source)
        self.i = 0
        self.prefixes = {k: str(v) for k, v in STANDARD_PREFIXES.items()}
        self.prefixes.update({k: str(v) for k, v in (namespaces or {}).items()})
        self.text_lines = text.splitlines()

    # -- helpers
    def _error(self, message: str, tok: _Tok | None, hint: str | None = None) -> RuleError:
        if tok is None:
            last = self.tokens[-1] if self.tokens else None
            line, col = (last.line, last.col + len(last.text)) if last else (1, 1)
        else:
            line, col = tok.line, tok.col
        return RuleError(message, path=self.source, line=line, column=col, hint=hint)

    def _peek(self) -> _Tok | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def _next(self) -> _Tok:
        tok = self._peek()
        if tok is None:
            raise self._error("unexpected end of rules", None, hint="end every rule with ' .'")
        self.i += 1
        return tok

    # -- grammar
    def parse(self) -> list[Rule]:
        rules: list[Rule] = []
        while self._peek() is not None:
            tok = self._peek()
            if tok.kind == "prefixdir":
                self._prefix()
            else:
                rules.append(self._rule(len(rules) + 1))
        return rules

    def _prefix(self) -> None:
        directive = self._next()
        name = self._next()
        if name.kind != "pname" or not name.text.endswith(":"):
            raise self._error(f"expected a prefix name like ex: after {directive.text}", name)
        iri = self._next()
        if iri.kind != "iri":
            raise self._error("expected <namespace IRI> in the prefix declaration", iri)
        self.prefixes[name.text[:-1]] = iri.text[1:-1]
        if directive.text == "@prefix":
            end = self._next()
            if end.text != ".":
                raise self._error("expected '.' after @prefix", end)

    def _rule(self, number: int) -> Rule:
        first = self._peek()
        name = None
        if first.kind == "name":
            self._next()
            name = first.text[1:-1].strip()
            if not name or not re.fullmatch(r"[\w\-:.]+", name):
                raise self._error(
                    f"bad rule name {first.text!r}", first, hint="use letters, digits, - _ : ."
                )
        head = self._atoms(until=(":-", "←", "."))
        sep = self._next()
        body: list[Atom] = []
        if sep.kind == "implies":
            body = self._atoms(until=("."))
            self._next()  # the final '.'
        last = self.tokens[self.i - 1]
        text = self._source_text(first, last)
        rule = Rule(
            id=name or f"user:{number}",
            head=tuple(head),
            body=tuple(body),
            text=text,
            source=f"{self.source}:{first.line}",
        )
        self._check_safe(rule, first)
        return rule

    def _source_text(self, first: _Tok, last: _Tok) -> str:
        lines = self.text_lines[first.line - 1 : last.line]
        if not lines:
            return ""
        if len(lines) == 1:
            return lines[0][first.col - 1 : last.col].strip()
        lines[0] = lines[0][first.col - 1 :]
        lines[-1] = lines[-1][: last.col]
        return " ".join(part.strip() for part in lines)

    def _atoms(self, until: tuple[str, ...]) -> list[Atom]:
        atoms = [self._atom()]
        while True:
            tok = self._peek()
            if tok is None:
                raise self._error("rule not finished", None, hint="end every rule with ' .'")
            if tok.text == ",":
                self._next()
                atoms.append(self._atom())
                continue
            if tok.text in until:
                return atoms
            raise self._error(
                f"unexpected {tok.text!r}",
                tok,
                hint="separate atoms with ',', put ':-' between head and body, end with ' .'",
            )

    def _atom(self) -> Atom:
        negated = False
        tok = self._peek()
        if tok is not None and tok.text in _NEGATION_WORDS:
            self._next()
            negated = True
        s, p, o = self._term(), self._term(predicate=True), self._term()
        return Atom(s, p, o, negated)

    def _term(self, predicate: bool = False) -> Term:
        tok = self._next()
        if tok.kind == "var":
            return Var(tok.text[1:])
        if tok.kind == "iri":
            return URIRef(tok.text[1:-1])
        if tok.kind == "pname":
            return self._pname(tok)
        if tok.kind == "word":
            if tok.text == "a":
                return RDF.type
            if tok.text in ("true", "false") and not predicate:
                return Literal(tok.text == "true")
            raise self._error(
                f"unknown word {tok.text!r}",
                tok,
                hint="write variables as ?x, IRIs as prefix:name or <iri>, and 'a' for rdf:type",
            )
        if tok.kind == "string" and not predicate:
            return self._literal(tok)
        if tok.kind == "number" and not predicate:
            return Literal(float(tok.text) if "." in tok.text else int(tok.text))
        raise self._error(
            f"expected a {'predicate' if predicate else 'term'}, found {tok.text!r}",
            tok,
            hint="an atom is three terms: subject predicate object",
        )

    def _pname(self, tok: _Tok) -> URIRef:
        prefix, local = tok.text.split(":", 1)
        ns = self.prefixes.get(prefix)
        if ns is None:
            known = ", ".join(sorted(p for p in self.prefixes if p)) or "none"
            raise self._error(
                f"unknown prefix {prefix + ':'!r}",
                tok,
                hint=f"declare it (@prefix {prefix}: <...> .) or use one of: {known}",
            )
        return URIRef(ns + local)

    def _literal(self, tok: _Tok) -> Literal:
        m = re.fullmatch(r'"((?:[^"\\]|\\.)*)"(?:@([\w\-]+)|\^\^(.+))?', tok.text)
        value = self._unescape(m.group(1), tok) if "\\" in m.group(1) else m.group(1)
        if m.group(2):
            try:
                return Literal(value, lang=m.group(2))
            except ValueError:  # rdflib checks the tag (letters, then -parts: en, en-GB, zh-Hant)
                raise self._error(
                    f"bad language tag @{m.group(2)}",
                    tok,
                    hint='a language tag is letters with optional -parts, e.g. "colour"@en-GB',
                ) from None
        if m.group(3):
            dt = m.group(3)
            dt_iri = (
                URIRef(dt[1:-1])
                if dt.startswith("<")
                else self._pname(_Tok("pname", dt, tok.line, tok.col))
            )
            return Literal(value, datatype=dt_iri)
        return Literal(value) if value else Literal("", datatype=XSD.string)

    def _unescape(self, body: str, tok: _Tok) -> str:
        """The escapes of a Turtle string (ECHAR and UCHAR) and nothing else; other text, non-ASCII
        included, is kept as written. A bad escape is a RuleError at its line:column."""
        out: list[str] = []
        pos = 0
        for m in _ESCAPE.finditer(body):
            out.append(body[pos : m.start()])
            pos = m.end()
            esc = m.group()
            char = _ECHAR.get(esc[1])
            if char is not None:
                out.append(char)
                continue
            code = int(esc[2:], 16) if len(esc) in (6, 10) and esc[1] in "uU" else None  # noqa: FURB166
            if code is None or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                column = tok.col + 1 + m.start()  # +1: the opening quote
                width = {"u": 6, "U": 10}.get(esc[1], 2)
                shown = body[m.start() : m.start() + width]
                raise RuleError(
                    f"bad escape {shown} in a string"
                    + (" (not a Unicode character)" if code is not None else ""),
                    path=self.source,
                    line=tok.line,
                    column=column,
                    hint="strings take the Turtle escapes \\t \\n \\r \\b \\f \\\" \\' \\\\ "
                    "\\uXXXX \\UXXXXXXXX; write other characters as they are (the file is UTF-8)",
                )
            out.append(chr(code))
        out.append(body[pos:])
        return "".join(out)

    def _check_safe(self, rule: Rule, tok: _Tok) -> None:
        """Range restriction: every head variable must occur in the body (facts: no variables)."""
        body_vars: set[Var] = set()
        for atom in rule.body:
            body_vars |= atom.variables()
        for atom in rule.head:
            free = atom.variables() - body_vars
            if free:
                names = ", ".join(sorted(str(v) for v in free))
                raise self._error(
                    f"head variable {names} does not occur in the body of rule {rule.id}",
                    tok,
                    hint="every variable in the head must be bound by a body atom",
                )


def parse_rules(
    text: str, namespaces: dict[str, str] | None = None, source: str = "<string>"
) -> list[Rule]:
    """Parse rules written in the rule syntax. Raises :class:`RuleError` with ``line:column``."""
    return _Parser(text, namespaces, source).parse()


def parse_rules_file(path: str | Path, namespaces: dict[str, str] | None = None) -> list[Rule]:
    """Parse a ``.rules`` file (UTF-8)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RuleError("rules file not found", path=str(path), hint="check the path") from None
    except IsADirectoryError:
        raise RuleError(
            "is a directory, not a rules file",
            path=str(path),
            hint="give the .rules file inside it",
        ) from None
    except UnicodeDecodeError as exc:
        raise RuleError(
            f"not UTF-8 text ({exc.reason})", path=str(path), hint="re-save it as UTF-8"
        ) from None
    except OSError as exc:  # a symlink loop, no permission: one line, not the exception's class
        raise file_error(path, exc, what="rules file") from None
    return parse_rules(text, namespaces, source=str(path))


def term_text(term: Node | Var, namespaces: dict[str, str] | None = None) -> str:
    """A term in rule syntax (prefixed when a namespace matches)."""
    if isinstance(term, Var):
        return str(term)
    if term == RDF.type:
        return "a"
    if isinstance(term, URIRef):
        for prefix, ns in sorted((namespaces or {}).items(), key=lambda kv: -len(kv[1])):
            if (
                prefix
                and str(term).startswith(ns)
                and re.fullmatch(r"[\w\-]*", str(term)[len(ns) :])
            ):
                return f"{prefix}:{str(term)[len(ns) :]}"
        return f"<{term}>"
    return term.n3()


def rule_text(rule: Rule, namespaces: dict[str, str] | None = None) -> str:
    """A rule written back in rule syntax (used when a rule has no source text)."""

    def atom(a: Atom) -> str:
        parts = " ".join(term_text(t, namespaces) for t in a.terms())
        return f"not {parts}" if a.negated else parts

    head = ", ".join(atom(a) for a in rule.head)
    if not rule.body:
        return f"{head} ."
    return f"{head} :- {', '.join(atom(a) for a in rule.body)} ."
