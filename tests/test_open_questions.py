"""Open questions (which / what / who / how many / why / what is) end to end over question tables:
the shipped commonsense graph and the geography graph in Turtle AND in plain English (same answer
sets, compared by label). Each row names answers that must and must not be listed (and, where the
graph settles it, how many); every listed answer's proof re-checks against the reasoner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import RDF, RDFS

from kgreason.config import PipelineConfig, RetrievalConfig
from kgreason.core import X
from kgreason.language.open_questions import is_open_question, parse_open_question
from kgreason.pipeline import Pipeline
from kgreason.reasoning import check_proof

DATA = Path(__file__).parent / "data"


def _table(name: str) -> list[dict]:
    return [json.loads(line) for line in (DATA / "questions" / name).read_text().splitlines() if line.strip()]


def _labels(pipe: Pipeline, answer) -> list[str]:
    return [pipe.kg.label(item.term) for item in answer.items]


def _check(pipe: Pipeline, row: dict) -> list[str]:
    """Ask the row's question; assert its kind, must / must_not / count / order, and that every
    proof re-checks. Returns the answers' labels, lower-cased (the plain-English twin mints
    lower-case labels for "the Louvre")."""
    q = row["question"]
    answer = pipe.ask(q)
    assert answer.kind == row["kind"], (q, answer.kind, answer.reason)
    labels = _labels(pipe, answer)
    low = [label.lower() for label in labels]
    assert len(set(low)) == len(low), (q, labels)  # each thing once
    missing = [m for m in row["must"] if m.lower() not in low]
    unwanted = [m for m in row["must_not"] if m.lower() in low]
    assert not missing and not unwanted, (q, answer.statement, missing, unwanted, labels)
    if "count" in row:
        assert len(labels) == row["count"], (q, labels)
        assert answer.to_json()["count"] == row["count"]
    if "order" in row:
        positions = [low.index(x.lower()) for x in row["order"]]
        assert positions == sorted(positions), (q, labels)
    for item in answer.items:
        assert item.proofs, (q, pipe.kg.label(item.term))
        for proof in item.proofs:
            assert check_proof(proof, pipe.reasoner) == [], (q, pipe.kg.label(item.term))
    if "answer" in row:  # why: the yes/no answer of the statement asked about, with its proof
        assert answer.answer == row["answer"], (q, answer.statement, answer.reason)
        assert answer.proof and answer.decision.proof is not None, q
        assert check_proof(answer.decision.proof, pipe.reasoner) == [], q
    return sorted(low)


def test_the_tables_are_big_enough_and_cover_every_kind():
    for name in ("commonsense-open.jsonl", "geography-open.jsonl"):
        rows = _table(name)
        assert len(rows) >= 40, name
        kinds = {r["kind"] for r in rows}
        assert {"which", "what", "who", "how_many", "why", "what_is"} <= kinds, (name, kinds)
        assert len({r["question"] for r in rows}) == len(rows), name


@pytest.mark.parametrize("row", _table("commonsense-open.jsonl"), ids=lambda r: r["question"])
def test_commonsense_open_questions(commonsense, row):
    _check(commonsense, row)


@pytest.mark.parametrize("row", _table("geography-open.jsonl"), ids=lambda r: r["question"])
def test_geography_open_questions_turtle_and_plain_english_agree(geography_ttl, geography_txt, row):
    assert _check(geography_ttl, row) == _check(geography_txt, row), row["question"]


# ---------------------------------------------------------------------- reading the question
def _node(pipe: Pipeline, local: str):
    return pipe.kg.resolve(f"cs:{local}")


def test_parse_kinds(commonsense):
    kg, linker = commonsense.kg, commonsense.linker
    for text, kind in [("Which birds cannot fly?", "which"), ("What does a koala eat?", "what"),
                       ("Who lives in the ocean?", "who"), ("How many birds cannot fly?", "how_many"),
                       ("Why can't penguins fly?", "why"), ("What is a penguin?", "what_is"),
                       ("Who is Alice?", "what_is"), ("What is fragile?", "what")]:
        assert parse_open_question(text, kg, linker).kind == kind, text
    assert is_open_question("Which birds cannot fly?") and not is_open_question("Can birds fly?")


def test_parse_restriction_slot_and_negation(commonsense):
    kg, linker = commonsense.kg, commonsense.linker
    birds = parse_open_question("Which birds cannot fly?", kg, linker)
    assert birds.restriction == _node(commonsense, "Bird")
    best = birds.readings[0]
    assert best.slot == 0 and best.negated and best.triple == (X, _node(commonsense, "can"), _node(commonsense, "Fly"))

    koala = parse_open_question("What does a koala eat?", kg, linker).readings[0]
    assert koala.slot == 2 and not koala.negated
    assert koala.triple == (_node(commonsense, "Koala"), _node(commonsense, "eats"), X)

    cow = parse_open_question("What does a cow not eat?", kg, linker).readings[0]
    assert cow.slot == 2 and cow.negated and cow.triple[0] == _node(commonsense, "Cow")
    assert parse_open_question("What doesn't a cow eat?", kg, linker).readings[0] == cow

    who = parse_open_question("Who lives in the ocean?", kg, linker)
    assert who.restriction is None and who.readings[0].slot == 0

    penguin = parse_open_question("What is a penguin?", kg, linker)
    assert penguin.subject == _node(commonsense, "Penguin") and not penguin.readings

    # an adjective class is asked about, not described
    fragile = parse_open_question("What is fragile?", kg, linker)
    assert fragile.subject is None and fragile.readings[0].triple[2] == _node(commonsense, "Fragile")

    fruits = parse_open_question("How many fruits are there?", kg, linker)
    assert fruits.readings[0].triple == (X, RDFS.subClassOf, _node(commonsense, "Fruit"))

    why = parse_open_question("Why can't penguins fly?", kg, linker)
    assert why.hypothesis is not None and why.hypothesis.candidates

    nothing = parse_open_question("Who zorps the quux?", kg, linker)
    assert not nothing.readings and nothing.reason
    assert parse_open_question("Where is Pingu?", kg, linker).reason


# ---------------------------------------------------------------------- answers and their order
def test_what_is_lists_nearest_first(commonsense):
    assert _labels(commonsense, commonsense.ask("What is a penguin?")) == ["bird", "animal", "living thing"]
    assert _labels(commonsense, commonsense.ask("What is Flipper?")) == [
        "dolphin", "cetacean", "mammal", "animal", "living thing"]
    # typed only by the domain of "has a pet": a class still comes before its superclasses
    assert _labels(commonsense, commonsense.ask("Who is Alice?")) == ["human", "mammal", "animal", "living thing"]


def test_answers_stated_before_derived_then_shallower(commonsense):
    answer = commonsense.ask("Which birds cannot fly?")
    keys = [(item.inferred, item.depth) for item in answer.items]
    assert keys == sorted(keys)
    labels = _labels(commonsense, answer)
    assert labels.index("penguin") < labels.index("Pingu")  # stated, then inherited by Pingu


def test_one_answer_per_thing(commonsense):
    """Tweety and "Tweety Bird" (owl:sameAs) are one bird; human and person one class."""
    birds = _labels(commonsense, commonsense.ask("Which birds are there?"))
    assert "Tweety" in birds and "Tweety Bird" not in birds
    talkers = _labels(commonsense, commonsense.ask("Which animals can talk?"))
    assert "human" in talkers and "person" not in talkers


def test_open_answer_json_shape(commonsense):
    data = commonsense.ask("Which birds cannot fly?").to_json()
    assert data["kind"] == "which" and data["count"] == len(data["answers"]) == 5
    assert data["statement"] == "X cannot fly."
    for item in data["answers"]:
        assert set(item) >= {"term", "label", "proof", "reason", "inferred"}
        assert item["proof"] and item["term"].startswith("cs:")
    assert commonsense.ask("What is fragile?").to_json()["statement"] == "X is fragile."
    assert "timings_ms" in data and data["answer"] is None


def test_open_world_lists_nothing_unknown(commonsense, geography_ttl):
    """Broccoli (no default for vegetables) and the amphibious car (car vs boat: a conflict) are
    unknown, and are not listed either way."""
    raw = _labels(commonsense, commonsense.ask("What can be eaten raw?"))
    not_raw = _labels(commonsense, commonsense.ask("What cannot be eaten raw?"))
    assert "broccoli" not in raw and "broccoli" not in not_raw
    floats = _labels(commonsense, commonsense.ask("What can float?"))
    sinks = _labels(commonsense, commonsense.ask("What cannot float?"))
    assert "amphibious car" not in floats and "amphibious car" not in sinks
    answer = geography_ttl.ask("Which countries are not landlocked?")
    assert answer.items == [] and answer.reason and answer.to_json()["count"] == 0


def test_membership_reading_lists_classes_and_individuals(commonsense):
    answer = commonsense.ask("What are birds?")
    labels = _labels(commonsense, answer)
    assert "penguin" in labels and "Pingu" in labels
    assert answer.reading is not None and answer.reading.triple[1] in (RDF.type, RDFS.subClassOf)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("graph", "table"),
    [("commonsense", "commonsense-open.jsonl"), (str(DATA / "geography.ttl"), "geography-open.jsonl"),
     (str(DATA / "geography.txt"), "geography-open.jsonl")],
)
def test_open_tables_through_the_full_default_pipeline(graph, table, tmp_path, monkeypatch):
    """The same tables with retrieval on (FAISS index, embedding-aware linking)."""
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path))
    pipe = Pipeline.from_config("default", graphs=[graph]).warm_up()
    for row in _table(table):
        _check(pipe, row)


@pytest.mark.slow
def test_open_questions_on_wordnet(tmp_path):
    """The README's WordNet import: several senses share a label ("dog"); "What is X?" takes the
    first sense the graph describes; kinds are listed from the hyponym closure."""
    from pathlib import Path

    from typer.testing import CliRunner

    from kgreason.cli import app
    from kgreason.pipeline import Pipeline

    if not (Path("/usr/share/wordnet") / "data.noun").exists():
        pytest.skip("WordNet 3.0 not installed (apt-get install wordnet-base)")
    out = tmp_path / "wordnet.ttl"
    result = CliRunner().invoke(app, ["graph", "import-wordnet", str(out)])
    assert result.exit_code == 0, result.output
    pipe = Pipeline(PipelineConfig(graphs=[str(out)],
                                   retrieval=RetrievalConfig(enabled=False, rank_candidates=False)))
    dog = [a["label"] for a in pipe.ask("What is a dog?").to_json()["answers"]]
    assert dog[:2] == ["canine", "domestic animal"] and "animal" in dog and "support" not in dog
    kinds = [a["label"] for a in pipe.ask("What is a kind of apple?").to_json()["answers"]]
    assert "crab apple" in kinds and "eating apple" in kinds and "pear" not in kinds
    dogs = pipe.ask("Which animals are dogs?")
    assert "basenji" in [a["label"] for a in dogs.to_json()["answers"]]
