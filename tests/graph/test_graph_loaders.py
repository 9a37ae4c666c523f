"""Every loader on tiny files in tests/data/loaders: the same small food graph in each format."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

from kgreason.errors import InputError, ParseError
from kgreason.graph import EX, load_graph, rdf_formats
from kgreason.graph.loaders import format_for
from kgreason.graph.vocab import KGR, entity_iri, property_iri

DATA = Path(__file__).resolve().parents[1] / "data" / "loaders"
FOOD = Namespace("http://example.org/food#")


@pytest.mark.parametrize(
    "name", ["tiny.ttl", "tiny.nt", "tiny.nq", "tiny.trig", "tiny.jsonld", "tiny.rdf"]
)
def test_rdf_formats_hold_apple_subclass_of_fruit(name):
    kg = load_graph(DATA / name)
    assert (FOOD.Apple, RDFS.subClassOf, FOOD.Fruit) in kg
    assert (FOOD.Fruit, FOOD.canBe, FOOD.EatenRaw) in kg
    assert kg.label(FOOD.Apple) == "apple"
    assert kg.sources == [str(DATA / name)]


@pytest.mark.parametrize("name", ["tiny.nq", "tiny.trig"])
def test_named_graphs_merge_into_the_default_graph(name):
    kg = load_graph(DATA / name)
    assert len(kg) == 3  # two named graphs + the default graph, all in one rdflib Graph
    assert type(kg.rdf) is Graph  # a plain graph: no contexts left over


def test_turtle_prefixes_are_bound_for_qnames_and_resolve():
    kg = load_graph(DATA / "tiny.ttl")
    assert kg.qname(FOOD.Apple) == "ex:Apple"
    assert kg.resolve("ex:Potato") == FOOD.Potato
    assert (FOOD.cannotBe, KGR.negationOf, FOOD.canBe) in kg


def test_ntriples_literals_and_blank_nodes_survive_the_pyoxigraph_path():
    kg = load_graph(DATA / "tiny.nt")
    assert set(kg.labels(FOOD.Apple)) == {"apple"}  # the @de label is not an English label
    assert (FOOD.Apple, RDFS.label, Literal("Apfel", lang="de")) in kg
    weight = kg.rdf.value(FOOD.Fruit, FOOD.weight)
    assert (
        weight.datatype == URIRef("http://www.w3.org/2001/XMLSchema#decimal")
        and float(weight) == 0.2
    )
    eaters = list(kg.rdf.subjects(FOOD.eats, FOOD.Apple))
    assert len(eaters) == 1 and isinstance(eaters[0], BNode)


@pytest.mark.parametrize("name", ["tiny.ttl", "tiny.nt", "tiny.nq", "tiny.trig"])
def test_pyoxigraph_and_rdflib_backends_give_the_same_graph(name, monkeypatch):
    fast = load_graph(DATA / name)
    monkeypatch.setattr(rdf_formats, "PARSER_BACKEND", "rdflib")
    slow = load_graph(DATA / name)
    assert isomorphic(fast.rdf, slow.rdf)


def test_two_files_with_blank_nodes_do_not_clash(tmp_path):
    a, b = tmp_path / "a.nt", tmp_path / "b.nt"
    a.write_text('_:x <http://e/p> "a" .\n', encoding="utf-8")
    b.write_text('_:x <http://e/p> "b" .\n', encoding="utf-8")
    kg = load_graph([a, b])
    assert len(set(kg.rdf.subjects())) == 2


def test_csv_labels_become_ex_iris_with_labels_and_aliases_map_to_rdf_terms():
    kg = load_graph(DATA / "tiny.csv")
    assert (EX.Apple, RDFS.subClassOf, EX.Fruit) in kg  # "is a kind of"
    assert (EX.GrannySmith, RDF.type, EX.Apple) in kg  # "is a"
    assert (EX.Fruit, EX.canBe, EX.EatenRaw) in kg
    assert kg.label(EX.EatenRaw) == "eaten raw" and kg.label(EX.canBe) == "can be"
    assert kg.label(EX.GrannySmith) == "Granny Smith"
    assert (EX.Potato, EX.cannotBe, EX.EatenRaw) in kg  # prefixed name ex: → EX
    assert (FOOD.Potato, RDFS.label, Literal("potato")) in kg  # <IRI> cell, literal object
    assert float(kg.rdf.value(EX.Fruit, EX.weight)) == 0.2  # N-Triples literal cell
    assert (EX.AppleTree, EX.hasPart, EX.Apple) in kg  # quoted cell
    assert kg.qname(EX.Apple) == "ex:Apple"


def test_tsv_header_is_case_insensitive_and_extra_columns_are_ignored():
    kg = load_graph(DATA / "tiny.tsv")
    assert (EX.Apple, RDFS.subClassOf, EX.Fruit) in kg
    assert (EX.Fruit, EX.canBe, EX.EatenRaw) in kg
    assert not any("me" == str(o) for o in kg.rdf.objects())


def test_csv_can_use_prefixes_from_a_graph_loaded_before_it(tmp_path):
    extra = tmp_path / "more.csv"
    extra.write_text(
        "subject,predicate,object\nex:Pear,rdfs:subClassOf,ex:Fruit\n", encoding="utf-8"
    )
    kg = load_graph([DATA / "tiny.ttl", extra])
    assert (FOOD.Pear, RDFS.subClassOf, FOOD.Fruit) in kg


def test_csv_unknown_prefix_is_a_parse_error_with_its_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "subject,predicate,object\napple,is a,fruit\nfoo:Bar,is a,fruit\n", encoding="utf-8"
    )
    with pytest.raises(ParseError) as err:
        load_graph(bad)
    assert err.value.line == 3 and "unknown prefix 'foo'" in str(err.value)


def test_graphml_mapping():
    kg = load_graph(DATA / "tiny.graphml")
    granny = URIRef("http://example.org/food#Granny")
    assert (EX.apple, RDFS.subClassOf, EX.fruit) in kg
    assert (EX.fruit, EX.canBe, EX.eaten_raw) in kg
    assert (granny, RDF.type, EX.apple) in kg  # IRI ids stay IRIs
    assert kg.label(granny) == "granny smith" and kg.label(EX.eaten_raw) == "eaten raw"
    assert (EX.apple, EX.colour, Literal("red")) in kg  # other node attributes
    assert (EX.apple, EX.relatedTo, EX.fruit) in kg  # the edge without a predicate
    assert len(kg.issues) == 1 and "no predicate attribute" in kg.issues[0]


def test_node_link_json_mapping():
    kg = load_graph(DATA / "tiny.json")
    assert (EX.apple, RDFS.subClassOf, EX.fruit) in kg  # predicate from a string "key"
    assert (EX.fruit, EX.canBe, EX.eaten_raw) in kg  # numeric key ignored, "predicate" used
    assert (EX.fruit, RDFS.subClassOf, RDFS.Resource) in kg  # prefixed id and label
    assert kg.issues == []


def test_json_ld_in_a_json_file_is_detected(tmp_path):
    doc = tmp_path / "doc.json"
    doc.write_text((DATA / "tiny.jsonld").read_text(encoding="utf-8"), encoding="utf-8")
    kg = load_graph(doc)
    assert (FOOD.Apple, RDFS.subClassOf, FOOD.Fruit) in kg


def test_json_that_is_neither_node_link_nor_json_ld(tmp_path):
    doc = tmp_path / "other.json"
    doc.write_text('{"rows": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not node-link JSON"):
        load_graph(doc)


def test_malformed_turtle_reports_line_and_column():
    with pytest.raises(ParseError) as err:
        load_graph(DATA / "malformed.ttl")
    assert (err.value.line, err.value.column) == (4, 1)
    assert str(err.value).startswith(f"{DATA / 'malformed.ttl'}:4:1: malformed Turtle")


def test_format_option_overrides_the_extension(tmp_path):
    odd = tmp_path / "graph.data"
    odd.write_text((DATA / "tiny.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(InputError, match="unknown graph file extension"):
        format_for(odd)
    assert len(load_graph(odd, format="turtle")) == 10
    assert len(load_graph(odd, format="ttl")) == 10


def test_label_to_iri_helpers_round_trip_through_fallback_labels():
    assert entity_iri("apple tree") == EX.AppleTree
    assert property_iri("can be") == EX.canBe
    from kgreason.graph.vocab import fallback_label

    assert fallback_label(entity_iri("eaten raw")) == "eaten raw"


def test_graphml_edge_ids_are_not_predicates(tmp_path):
    doc = tmp_path / "ids.graphml"
    doc.write_text(
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
        '<node id="a"/><node id="b"/><edge id="e0" source="a" target="b"/>'
        '<edge id="e1" source="a" target="b"/></graph></graphml>',
        encoding="utf-8",
    )
    kg = load_graph(doc)
    assert set(kg.rdf.predicates(EX.a, EX.b)) == {EX.relatedTo}


def test_knowledge_graph_networkx_view_round_trips_through_node_link_json(tmp_path):
    import json

    import networkx as nx

    kg = load_graph(DATA / "tiny.ttl")
    doc = tmp_path / "view.json"
    doc.write_text(
        json.dumps(nx.node_link_data(kg.nx(), edges="links"), default=str), encoding="utf-8"
    )
    back = load_graph(doc)
    literal_free = {t for t in kg if not isinstance(t[2], Literal)}
    assert literal_free <= set(back)


def test_csv_numbers_in_the_object_column_are_typed_literals(tmp_path):
    table = tmp_path / "numbers.csv"
    table.write_text(
        "subject,predicate,object\napple,weight,0.2\napple,seeds,5\nsun,mass,1.989e30\n"
        "apple,colour,red\n",
        encoding="utf-8",
    )
    kg = load_graph(table)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert kg.rdf.value(EX.Apple, EX.weight).datatype == URIRef(xsd + "decimal")
    assert kg.rdf.value(EX.Apple, EX.seeds).toPython() == 5
    assert kg.rdf.value(EX.Sun, EX.mass).datatype == URIRef(xsd + "double")
    assert kg.rdf.value(EX.Apple, EX.colour) == EX.Red
