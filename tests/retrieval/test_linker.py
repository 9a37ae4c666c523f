"""Entity linking: exact and lemma matches over n-grams, longest first; embeddings for the rest."""

from __future__ import annotations

from rdflib import RDFS, Graph, Literal, Namespace

from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.retrieval.linker import EntityLinker

EX = Namespace("https://example.org/food#")


def _links(linker, text):
    return [(e.mention, e.node, e.method) for e in linker.link(text)]


def test_plural_and_lemma_forms_link_to_their_nodes(food_kg):
    linker = EntityLinker(food_kg)
    assert ("apples", EX.Apple, "lemma") in _links(linker, "Can apples be eaten raw?")
    assert ("platypuses", EX.Platypus, "lemma") in _links(linker, "Do platypuses lay eggs?")
    assert ("eggs", EX.Egg, "lemma") in _links(linker, "Do platypuses lay eggs?")
    assert ("Tweety", EX.Tweety, "exact") in _links(linker, "Is Tweety a bird?")


def test_longest_match_wins_and_order_follows_the_question(food_kg):
    linker = EntityLinker(food_kg)
    found = linker.link("Can a potato be eaten raw?")
    mentions = [e.mention for e in found]
    assert mentions == ["Can", "potato", "eaten raw"]  # "eaten raw" as one mention, not "raw" alone
    eaten_raw = found[-1]
    assert eaten_raw.node == EX.EatenRaw and eaten_raw.score == 1.0
    assert "Can a potato be eaten raw?"[slice(*eaten_raw.span)] == "eaten raw"
    assert found[0].kind == "property" and found[1].kind == "entity"


def test_unknown_words_link_to_nothing_without_an_embedder(food_kg):
    assert EntityLinker(food_kg).link("Do zebras like jazz?") == []


def test_k_limits_candidates_per_mention():
    g = Graph()
    for name in ("Bat1", "Bat2", "Bat3"):
        g.add((EX[name], RDFS.label, Literal("bat")))
    g.add((EX.Cave, RDFS.label, Literal("cave")))
    linker = EntityLinker(KnowledgeGraph(g))
    found = linker.link("Do bats live in caves?", k=2)
    assert [e.mention for e in found] == ["bats", "bats", "caves"]
    assert [e.node for e in found[:2]] == [EX.Bat1, EX.Bat2]  # ties: by label, then IRI


def test_lexical_linking_finds_mentions_among_many_labels():
    """Correctness on a 1k-triple graph; its speed is measured in benchmarks/, not asserted here."""
    g = Graph()
    for i in range(500):
        g.add((EX[f"Thing{i}"], RDFS.label, Literal(f"thing number {i}")))
        g.add((EX[f"Thing{i}"], RDFS.subClassOf, EX[f"Thing{(i * 7) % 500}"]))
    g.add((EX.Penguin, RDFS.label, Literal("penguin")))
    linker = EntityLinker(KnowledgeGraph(g))
    linker.link("warm up the label table")
    question = "Can penguins and thing number 42 fly over the frozen sea on a cold winter day?"
    found = linker.link(question)
    assert {e.node for e in found} == {EX.Penguin, EX.Thing42}


def test_embedding_pass_only_for_uncovered_content_words(food_kg, tiny_embedder):
    linker = EntityLinker(food_kg, tiny_embedder, min_similarity=-1.0)
    found = linker.link("Do penguins like jazz?", k=2)
    lexical = [e for e in found if e.method != "embedding"]
    embedded = [e for e in found if e.method == "embedding"]
    assert [(e.mention, e.node) for e in lexical] == [("penguins", EX.Penguin)]
    assert {e.mention for e in embedded} == {"like jazz"} and len(embedded) == 2
    assert all(e.score <= 0.8 for e in embedded)
    strict = EntityLinker(food_kg, tiny_embedder, min_similarity=1.01)
    assert [e.method for e in strict.link("Do penguins like jazz?")] == ["lemma"]


def test_contractions_match_with_either_apostrophe():
    g = Graph()
    g.add((EX.cannot, RDFS.label, Literal("can't")))
    linker = EntityLinker(KnowledgeGraph(g))
    assert [e.node for e in linker.link("Penguins can’t fly")] == [EX.cannot]
    assert [e.node for e in linker.link("Penguins can't fly")] == [EX.cannot]


def test_a_linker_follows_a_relabel_of_its_graph(food_kg):
    linker = EntityLinker(food_kg)
    assert ("penguin", EX.Penguin, "exact") in _links(linker, "Can a penguin fly?")
    food_kg.remove((EX.Penguin, RDFS.label, None))
    food_kg.add((EX.Penguin, RDFS.label, Literal("pinguino")))
    assert ("pinguino", EX.Penguin, "exact") in _links(linker, "Can a pinguino fly?")
    assert not any(node == EX.Penguin for _, node, _ in _links(linker, "Can a penguin fly?"))
