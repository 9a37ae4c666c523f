"""WordNet import on a tiny fixture in the WordNet 3.0 file format (real lines), and on the real
database when Debian's wordnet-base is installed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from rdflib import OWL, RDF, RDFS, SKOS, Literal
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import ParseError
from kgreason.graph import KGR, load_graph
from kgreason.graph.vocab import WN
from kgreason.graph.wordnet import DEFAULT_WORDNET_DIR, import_wordnet, parse_data_line, read_data

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "wordnet"
REAL = DEFAULT_WORDNET_DIR / "data.noun"


@pytest.fixture(scope="module")
def fixture_kg(tmp_path_factory):
    out = tmp_path_factory.mktemp("wn") / "wn.ttl"
    result = import_wordnet(out, FIXTURE, progress=False)
    kg = load_graph(out)
    assert len(kg) == result.triples  # the count we report is the count that loads
    return kg


def ancestors(kg, node):
    return set(kg.rdf.transitive_objects(node, RDFS.subClassOf)) - {node}


def test_apple_chains_to_fruit_and_food(fixture_kg):
    up = ancestors(fixture_kg, WN["apple.n.01"])
    assert {WN["edible_fruit.n.01"], WN["fruit.n.01"], WN["produce.n.01"], WN["food.n.02"]} <= up


def test_synset_names_follow_sense_order_and_labels_cover_all_lemmas(fixture_kg):
    kg = fixture_kg
    assert kg.label(WN["apple.n.01"]) == "apple"
    assert set(kg.labels(WN["apple.n.02"])) == {"apple", "orchard apple tree", "Malus pumila"}
    assert kg.label(WN["food.n.02"]) == "food" and "solid food" in kg.labels(WN["food.n.02"])
    assert (WN["paris.n.01"], SKOS.prefLabel, Literal("Paris")) in kg
    assert "log Z's" in kg.labels(WN["sleep.v.01"])  # underscores → spaces, apostrophes kept


def test_instance_hypernym_meronym_entailment(fixture_kg):
    kg = fixture_kg
    assert (WN["paris.n.01"], RDF.type, WN["national_capital.n.01"]) in kg
    assert (WN["paris.n.01"], RDFS.subClassOf, None) not in kg
    assert (WN["apple.n.02"], WN.hasPart, WN["apple.n.01"]) in kg
    assert (WN.hasPart, RDF.type, KGR.InheritableProperty) in kg and kg.label(
        WN.hasPart
    ) == "has part"
    assert (WN["snore.v.01"], WN.entails, WN["sleep.v.01"]) in kg


def test_antonyms_become_disjoint_only_for_co_hyponyms(fixture_kg):
    kg = fixture_kg
    man, woman, buy, sell = WN["man.n.01"], WN["woman.n.01"], WN["buy.v.01"], WN["sell.v.01"]
    assert (man, WN.antonym, woman) in kg and (man, OWL.disjointWith, woman) in kg  # both ⊑ adult
    assert (buy, WN.antonym, sell) in kg and (buy, OWL.disjointWith, sell) not in kg  # converses


def test_definitions_are_optional(tmp_path):
    out = tmp_path / "wn.ttl"
    import_wordnet(out, FIXTURE, definitions=True, progress=False)
    kg = load_graph(out)
    assert "fruit with red or yellow or green skin" in str(
        kg.rdf.value(WN["apple.n.01"], SKOS.definition)
    )


def test_data_line_parser_and_errors(tmp_path):
    synset = parse_data_line(
        "07739125 13 n 01 apple 0 002 @ 07705931 n 0000 #p 12633994 n 0000 | fruit  "
    )
    assert (synset.offset, synset.pos, synset.lemmas) == ("07739125", "n", ["apple"])
    assert synset.pointers == [("@", "07705931", "n"), ("#p", "12633994", "n")]
    assert synset.gloss == "fruit"
    bad = tmp_path / "data.noun"
    bad.write_text(
        "  1 license\n07739125 13 n 01 apple 0 005 @ 07705931 | cut short\n", encoding="utf-8"
    )
    with pytest.raises(ParseError) as err:
        list(read_data(bad))
    assert err.value.line == 2


def test_cli_import_wordnet_json(tmp_path):
    out = tmp_path / "wn.ttl"
    result = CliRunner().invoke(
        app, ["graph", "import-wordnet", str(out), "--wordnet-dir", str(FIXTURE), "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["synsets"] == 19 and data["bytes"] == out.stat().st_size
    assert data["per_relation"]["rdfs:subClassOf"] == 9
    assert CliRunner().invoke(app, ["graph", "validate", str(out)]).exit_code == 0


def test_cli_import_wordnet_wants_turtle(tmp_path):
    result = CliRunner().invoke(
        app, ["graph", "import-wordnet", str(tmp_path / "wn.nt"), "--wordnet-dir", str(FIXTURE)]
    )
    assert result.exit_code != 0 and "writes Turtle" in result.stderr


@pytest.mark.skipif(
    not REAL.exists(), reason="WordNet 3.0 not installed (apt-get install wordnet-base)"
)
def test_real_wordnet_apple_is_fruit_and_food(tmp_path):
    """Full import (a few seconds); the output is checked in pyoxigraph's store, which is fast."""
    import pyoxigraph as ox

    out = tmp_path / "wordnet.ttl"
    result = import_wordnet(out, progress=False)
    assert result.synsets == 82115 + 13767  # WordNet 3.0 noun + verb synsets
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.TURTLE)
    assert len(store) == result.triples

    def ask(pattern: str) -> bool:
        # full IRIs: pyoxigraph's SPARQL parser rejects dotted local names like wn:apple.n.01
        iris = re.sub(r"wn:([\w.]+)", lambda m: f"<{WN[m.group(1)]}>", pattern)
        return bool(store.query(f"PREFIX rdfs: <{RDFS}> ASK {{ {iris} }}"))

    assert ask("wn:apple.n.01 rdfs:subClassOf+ wn:fruit.n.01")
    assert ask("wn:apple.n.01 rdfs:subClassOf+ wn:food.n.02")
    assert ask("wn:dog.n.01 rdfs:label 'domestic dog'")
    assert not ask("wn:apple.n.01 rdfs:subClassOf+ wn:animal.n.01")


@pytest.mark.slow
@pytest.mark.skipif(
    not REAL.exists(), reason="WordNet 3.0 not installed (apt-get install wordnet-base)"
)
def test_real_wordnet_loads_into_a_knowledge_graph(tmp_path):
    out = tmp_path / "wordnet.ttl"
    result = import_wordnet(out, progress=False)
    kg = load_graph(out)
    assert len(kg) == result.triples
    assert {WN["fruit.n.01"], WN["food.n.02"]} <= ancestors(kg, WN["apple.n.01"])
    assert kg.label(WN["dog.n.01"]) == "dog" and "domestic dog" in kg.labels(WN["dog.n.01"])
