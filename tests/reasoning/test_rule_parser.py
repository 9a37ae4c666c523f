from __future__ import annotations

import pytest
from rdflib import RDF, Literal, URIRef

from kgreason.errors import RuleError
from kgreason.reasoning import Atom, Var, parse_rules, parse_rules_file
from kgreason.reasoning.rule_parser import rule_text

NS = {"ex": "http://example.org/"}
EX = "http://example.org/"


def test_rule_with_negation_name_and_comment():
    rules = parse_rules(
        "# edible fruit\n[r1] ?x ex:canBe ex:EatenRaw :- ?x a ex:Fruit, not ?x ex:canBe ex:Poisonous . # end\n",
        namespaces=NS,
    )
    assert len(rules) == 1
    r = rules[0]
    assert r.id == "r1"
    assert r.head == (Atom(Var("x"), URIRef(EX + "canBe"), URIRef(EX + "EatenRaw")),)
    assert r.body[0] == Atom(Var("x"), RDF.type, URIRef(EX + "Fruit"))
    assert r.body[1].negated and r.body[1].o == URIRef(EX + "Poisonous")
    assert r.text.startswith("[r1] ?x ex:canBe")
    assert r.source == "<string>:2"


def test_negated_head_multi_head_prefix_directive_literals_and_ids():
    text = """@prefix z: <http://z.org/> .
    not ?x z:can z:Fly, ?x a z:Odd :- ?x a z:Penguin .
    ?x z:age 3 :- ?x z:name "Bob"@en .
    z:a z:p z:b .
    """
    rules = parse_rules(text)
    assert [r.id for r in rules] == ["user:1", "user:2", "user:3"]
    assert rules[0].head[0].negated and len(rules[0].head) == 2
    assert rules[1].head[0].o == Literal(3)
    assert rules[1].body[0].o == Literal("Bob", lang="en")
    assert rules[2].body == ()  # a fact
    assert "not ?x" in rule_text(rules[0], {"z": "http://z.org/"})


@pytest.mark.parametrize(
    ("text", "line", "col", "fragment"),
    [
        ("?x ex:p ?y :- ?x ex:q ?y", 1, 25, "not finished"),
        ("?x ex:p ?y :- ?x ex:q .", 1, 23, "expected a term"),
        ("\n\n  ?x zz:p ?y :- ?x ex:q ?y .", 3, 6, "unknown prefix"),
        ("?x ex:p ?z :- ?x ex:q ?y .", 1, 1, "?z"),
        ("?x ex:p ?y :- ?x ex:q ?y ; .", 1, 26, "unexpected"),
        ("?x foo ?y :- ?x ex:q ?y .", 1, 4, "unknown word"),
    ],
)
def test_errors_point_at_line_and_column(text, line, col, fragment):
    with pytest.raises(RuleError) as exc:
        parse_rules(text, namespaces=NS, source="r.rules")
    err = exc.value
    assert (err.line, err.column) == (line, col), str(err)
    assert fragment in str(err)
    assert str(err).startswith(f"r.rules:{line}:{col}")


def test_parse_rules_file(tmp_path):
    path = tmp_path / "g.rules"
    path.write_text(
        "@prefix ex: <http://example.org/> .\n?x a ex:B :- ?x a ex:A .\n", encoding="utf-8"
    )
    rules = parse_rules_file(path)
    assert rules[0].source == f"{path}:2"
    with pytest.raises(RuleError):
        parse_rules_file(tmp_path / "missing.rules")


def test_rules_file_that_is_a_directory_is_a_rule_error(tmp_path):
    from kgreason.errors import RuleError
    from kgreason.reasoning import parse_rules_file

    with pytest.raises(RuleError, match="is a directory"):
        parse_rules_file(tmp_path)
