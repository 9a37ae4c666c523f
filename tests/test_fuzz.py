"""Property-based fuzzing of everything that reads user text: the English parser, the question
parser, the rule parser and the CSV / GraphML loaders. On any input they either succeed or raise
kgreason's own error (:class:`~kgreason.errors.KGReasonError`) — never IndexError, KeyError,
TypeError, UnicodeError... — and each example finishes in bounded time (hypothesis ``deadline``).

Inputs come from two kinds of strategies: arbitrary text (any Unicode, control characters,
surrogates excluded only where Python cannot encode them), and "soups" of the tokens each grammar
knows, which reach far deeper into the parsers than random characters do. Crashes found here
were fixed in the parsers and are kept as explicit ``@example``s. The default suite runs a
short search; ``-m slow`` runs a longer one.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import timedelta
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kgreason.errors import KGReasonError
from kgreason.graph.loaders import load_graph
from kgreason.graph.writers import save_graph
from kgreason.language import parse_question, parse_theory
from kgreason.reasoning import parse_rules

# a short search in the default suite; a long one behind the slow marker
QUICK = settings(max_examples=150, deadline=timedelta(seconds=2), database=None, derandomize=True,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
LONG = settings(QUICK, max_examples=3000, derandomize=False)

# ---------------------------------------------------------------------- strategies
ANY_TEXT = st.text(max_size=200)
PRINTABLE = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FFF), max_size=120)


def soup(tokens: list[str], max_size: int = 30) -> st.SearchStrategy[str]:
    """Token sequences joined by single spaces, no space, or newlines."""
    return st.builds(
        lambda words, sep: sep.join(words),
        st.lists(st.sampled_from(tokens) | PRINTABLE.map(lambda t: t[:8]), max_size=max_size),
        st.sampled_from([" ", "", "\n", " , "]),
    )


def _words(text: str) -> list[str]:
    return text.split()


ENGLISH = _words("All Every Each No Some If if then and or but not do does did is are was be can cannot "
                 "can't don't doesn't isn't aren't has have a an the it they he she someone something "
                 "things people everything that who which Bob Anne the cat the bald eagle bear dog mouse "
                 "red cold big round kind nice rough young fly eat eats chases sees likes visits "
                 "raw eaten part of in kind is a kind of apples fruits penguins birds wumpus yumpus "
                 "rains wet ground , . ; : ! ? ' \" ( ) - 1 2 3 many most all") + [
    ",", ".", " , ", "...", "'s", "\u00a0", "\t", "é", "ß", "İ", "ﬁ", "Ω", "中文", "\u200b", "\x00"]

QUESTION = _words("Can can Is is Are Do Does did Has Have What Which Who How many Why what which who "
                  "whom whose where when how it true that false or unknown the a an not n't cannot "
                  "penguin penguins bird birds fly apple apples fruit fruits eaten raw be eat whale "
                  "whales lay eggs mammal mammals bat a kind of part has have wings cat dog , . ? ! "
                  "' \" Pingu Tweety animal animals") + [",", "?", " ,", "\u00a0", "é", "中文", "\x00"]

RULES = ["?x", "?y", "?z", "?", "ex:p", "ex:q", "ex:C", "ex:", ":", ":p", "zz:p", "a", ":-", "←", ",", ".",
         "not", "¬", "!", "[r1]", "[", "]", "[]", '"lit"', '"a\\tb"', '"caf\u00e9"', '"\\x4"', '"\\u12"',
         '"\\', '"', '"x"@en', '"x"@', '"x"@en0', '"x"@en_US', '"x"@-a', '"1"^^xsd:int', '"1"^^<http://x/>', "^^", "@prefix", "PREFIX",
         "ex:", "<http://example.org/>", "<>", "<", ">", "true", "false", "12", "-3.5", "1e5", "#c", "\n"]

CSV_CELLS = ["apple", "fruit", "is a", "is a kind of", "subclass of", "a", "type", "can be", "eaten raw",
             "ex:Apple", "rdfs:label", "rdf:type", "zz:unknown", "<https://e.org/x>", "<bad iri>",
             "https://e.org/y", "_:b1", "_:", '"lit"', '"lit"@en', '"0.2"^^xsd:decimal', '"x"^^zz:t', '"',
             "0.2", "-1", "1e5", "", " ", "urn:x:y", "mailto:a@b", "http://", ":", "a:b:c", "é", "\x00"]


def _csv_text(header: list[str], rows: list[list[str]], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


CSV_HEADERS = st.sampled_from([["subject", "predicate", "object"], ["Subject", " predicate ", "OBJECT"],
                               ["subject", "predicate"], ["source", "relation", "target"], [],
                               ["subject", "predicate", "object", "extra"]])
CELL = st.sampled_from(CSV_CELLS) | PRINTABLE.map(lambda t: t[:20])
CSV_FILES = st.builds(_csv_text, CSV_HEADERS, st.lists(st.lists(CELL, min_size=0, max_size=4), max_size=8),
                      st.sampled_from([",", "\t"]))


def _graphml(nodes: list[tuple[str, dict[str, str]]], edges: list[tuple[int, int, dict[str, str]]],
             directed: bool) -> str:
    keys = sorted({k for _, attrs in nodes for k in attrs} | {k for *_, attrs in edges for k in attrs})
    parts = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">']
    for i, key in enumerate(keys):
        for scope in ("node", "edge"):
            parts.append(f'<key id="{scope}{i}" for="{scope}" attr.name={quoteattr(key)} attr.type="string"/>')
    parts.append(f'<graph edgedefault="{"directed" if directed else "undirected"}">')
    for node_id, attrs in nodes:
        data = "".join(f'<data key="node{keys.index(k)}">{_xml_text(v)}</data>' for k, v in attrs.items())
        parts.append(f"<node id={quoteattr(node_id)}>{data}</node>")
    for s, o, attrs in edges:
        if nodes:
            data = "".join(f'<data key="edge{keys.index(k)}">{_xml_text(v)}</data>' for k, v in attrs.items())
            parts.append(f"<edge source={quoteattr(nodes[s % len(nodes)][0])} "
                         f"target={quoteattr(nodes[o % len(nodes)][0])}>{data}</edge>")
    parts.append("</graph></graphml>")
    return "\n".join(parts)


def _xml_text(value: str) -> str:
    from xml.sax.saxutils import escape

    return escape(value)


XML_SAFE = st.text(st.characters(min_codepoint=32, max_codepoint=0xD7FF), max_size=20)
ATTR_NAMES = st.sampled_from(["label", "name", "type", "class", "predicate", "relation", "key", "weight",
                              "color", "rdfs:label", "ex:p", " ", "é"])
ATTR_VALUES = st.sampled_from(CSV_CELLS[:-1]) | XML_SAFE
NODE_IDS = st.sampled_from(["apple", "Fruit", "ex:Apple", "https://e.org/n", "<x>", "a b", "1", "", "_:b",
                            "zz:q", ":", "é", "http://"]) | XML_SAFE
GRAPHML_FILES = st.builds(
    _graphml,
    st.lists(st.tuples(NODE_IDS, st.dictionaries(ATTR_NAMES, ATTR_VALUES, max_size=3)), max_size=6,
             unique_by=lambda n: n[0]),
    st.lists(st.tuples(st.integers(0, 10), st.integers(0, 10), st.dictionaries(ATTR_NAMES, ATTR_VALUES, max_size=2)),
             max_size=8),
    st.booleans(),
)


# ---------------------------------------------------------------------- helpers
def _ours_or_nothing(call, *args, **kwargs):
    """Run ``call``: success and KGReasonError are fine; any other exception fails the test."""
    try:
        return call(*args, **kwargs)
    except KGReasonError as exc:
        assert str(exc).strip() and "\n" not in str(exc).strip(), repr(str(exc))
        return None


@pytest.fixture(scope="module")
def commonsense():
    kg = load_graph("commonsense")
    parse_question("Can penguins fly?", kg)  # warm the label index and lexicon caches
    return kg


@pytest.fixture(scope="module")
def scratch():
    with tempfile.TemporaryDirectory(prefix="kgreason-fuzz-") as folder:
        yield Path(folder)


def _load_text(folder: Path, name: str, content: str | bytes):
    """Load ``content`` as file ``name``; what loads must also write (N-Triples) and read back."""
    path = folder / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    kg = _ours_or_nothing(load_graph, [path])
    if kg is not None:
        out = folder / "roundtrip.nt"
        save_graph(kg, out)
        assert len(load_graph([out])) == len(kg)
    return kg


# ---------------------------------------------------------------------- English
@QUICK
@given(st.one_of(ANY_TEXT, soup(ENGLISH)))
@example("All , are red.")
@example(",")
def test_english_parser_reads_or_reports(text):
    _ours_or_nothing(parse_theory, text)


# ---------------------------------------------------------------------- questions
@QUICK
@given(st.one_of(ANY_TEXT, soup(QUESTION, max_size=20)))
@example(",")
@example("?")
@example("Can , fly?")
def test_question_parser_reads_or_reports(commonsense, text):
    _ours_or_nothing(parse_question, text, commonsense)


# ---------------------------------------------------------------------- rules
@QUICK
@given(st.one_of(ANY_TEXT, soup(RULES, max_size=25)))
@example('?x ex:p "\\x4" :- ?x ex:q ?y .')
@example('"x"@en0')  # an invalid language tag: rdflib's ValueError, now a RuleError at 1:1
def test_rule_parser_reads_or_reports(text):
    _ours_or_nothing(parse_rules, text, {"ex": "http://example.org/", "xsd": "http://www.w3.org/2001/XMLSchema#"})


# ---------------------------------------------------------------------- loaders
@QUICK
@given(CSV_FILES, st.sampled_from(["g.csv", "g.tsv"]))
# found by this test: a blank node as predicate and a literal as subject loaded, then the graph
# could not be written as RDF (or what was written could not be read back); now load errors
@example(content="subject,predicate,object\r\napple,_:b1,apple\r\n", name="g.csv")
@example(content='subject,predicate,object\r\n"""lit""",is a,fruit\r\n', name="g.csv")
@example(content='subject,predicate,object\r\napple,"""can""@en",fly\r\n', name="g.csv")
def test_csv_loader_reads_or_reports(scratch, content, name):
    _load_text(scratch, name, content)


@QUICK
@given(st.binary(max_size=200), st.sampled_from(["g.csv", "g.tsv", "g.graphml"]))
@example(b"subject,predicate,object\ncaf\xe9,b,c\n", "g.csv")
@example(b"\xef\xbb\xbfsubject,predicate,object\na,b,c\n", "g.csv")
def test_loaders_read_or_report_arbitrary_bytes(scratch, content, name):
    _load_text(scratch, name, content)


@QUICK
@given(GRAPHML_FILES)
@example(_graphml([("apple", {})], [(0, 0, {"label": "_:b1"})], False))  # blank-node predicate
@example(_graphml([('"a:b"', {}), ("b", {})], [(0, 1, {"predicate": "likes"})], True))  # literal-like id
def test_graphml_loader_reads_or_reports(scratch, content):
    _load_text(scratch, "g.graphml", content)


# ---------------------------------------------------------------------- the long run
@pytest.mark.slow
@LONG
@given(st.one_of(ANY_TEXT, soup(ENGLISH, max_size=60)))
def test_english_parser_long(text):
    _ours_or_nothing(parse_theory, text)


@pytest.mark.slow
@LONG
@given(st.one_of(ANY_TEXT, soup(QUESTION, max_size=40), soup(QUESTION, max_size=150).map(lambda t: t[:500])))
def test_question_parser_long(commonsense, text):
    _ours_or_nothing(parse_question, text, commonsense)


@pytest.mark.slow
@LONG
@given(st.one_of(ANY_TEXT, soup(RULES, max_size=50)))
def test_rule_parser_long(text):
    _ours_or_nothing(parse_rules, text, {"ex": "http://example.org/"})


@pytest.mark.slow
@LONG
@given(st.one_of(CSV_FILES.map(lambda c: ("g.csv", c)), GRAPHML_FILES.map(lambda c: ("g.graphml", c))))
def test_loaders_long(scratch, case):
    _load_text(scratch, *case)


# ---------------------------------------------------------------------- what the fuzzing found
def test_table_cells_that_cannot_stand_where_they_are_are_load_errors(tmp_path):
    """A predicate must be an IRI and a subject cannot be a literal: such a cell is an error at its
    row (it used to load, and then no RDF writer could write the graph)."""
    from kgreason.errors import ParseError

    cases = {"apple,_:b1,fruit": "'_:b1' is a blank node: a predicate must be an IRI",
             '"""lit""",is a,fruit': "'\"lit\"' is a literal: a subject must be an IRI or a blank node",
             'apple,"""can""",fly': "'\"can\"' is a literal: a predicate must be an IRI"}
    for row, message in cases.items():
        path = tmp_path / "t.csv"
        path.write_text(f"subject,predicate,object\n{row}\n", encoding="utf-8")
        with pytest.raises(ParseError) as err:
            load_graph([path])
        assert err.value.where == f"{path}:2" and err.value.message == message and err.value.hint


def test_rule_with_a_bad_language_tag_is_a_rule_error_at_its_position():
    from kgreason.errors import RuleError

    with pytest.raises(RuleError) as err:
        parse_rules('?x ex:p "chat"@fr_FR :- ?x ex:q ?y .', {"ex": "http://example.org/"})
    assert err.value.where == "<string>:1:9" and "bad language tag @fr_FR" in err.value.message
    assert parse_rules('?x ex:p "colour"@en-GB :- ?x ex:q ?y .', {"ex": "http://example.org/"})
