"""The API returns what the CLI prints with --json, from pipelines loaded once."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from typer.testing import CliRunner

from kgreason.cli import app as cli


def cli_json(*args: str):
    result = CliRunner().invoke(cli, [*args, "--json"])
    return result.exit_code, json.loads(result.stdout)


def without_timings(data: dict) -> dict:
    return {k: v for k, v in data.items() if k != "timings_ms"}


@pytest.mark.parametrize("question", ["Can apples be eaten raw?", "Can penguins fly?",
                                      "Which birds cannot fly?", "Is a whale a fish?"])
def test_ask_returns_exactly_the_json_of_kgreason_ask(client, fast_pipeline, question):
    response = client.post("/ask", json={"question": question})
    assert response.status_code == 200, response.text
    served = response.json()
    code, printed = cli_json("ask", question, "--pipeline", str(fast_pipeline))
    assert code == 0
    assert without_timings(served) == without_timings(printed)
    assert set(served["timings_ms"]) == set(printed["timings_ms"])


def test_ask_answers_with_the_proof(client):
    data = client.post("/ask", json={"question": "Can apples be eaten raw?"}).json()
    assert data["answer"] == "yes" and data["decided_by"] == "reasoner"
    assert data["proof"] == ["Apple is a kind of fruit.", "Fruit can be eaten raw.", "Apple can be eaten raw."]
    assert data["proof_tree"]["rule"] == "kgr-inherit"
    assert client.post("/ask", json={"question": "Can penguins fly?"}).json()["answer"] == "no"


def test_closed_world_is_a_request_option(client):
    open_world = client.post("/ask", json={"question": "Can a penguin swim?"}).json()
    closed = client.post("/ask", json={"question": "Can a penguin swim?", "closed_world": True}).json()
    assert open_world["answer"] in ("yes", "unknown")
    if open_world["answer"] == "unknown":
        assert closed["answer"] == "no"
    unknown = client.post("/ask", json={"question": "Can apples fly?"}).json()
    assert unknown["answer"] == "unknown"
    assert client.post("/ask", json={"question": "Can apples fly?", "closed_world": True}).json()["answer"] == "no"


def test_open_questions_list_every_answer(client):
    data = client.post("/ask", json={"question": "Which birds cannot fly?"}).json()
    assert data["answer"] is None and data["kind"] == "which"
    labels = {a["label"].lower() for a in data["answers"]}
    assert {"penguin", "ostrich", "emu"} <= labels
    assert data["count"] == len(data["answers"])


def test_prove_returns_the_json_of_kgreason_prove(client):
    triple = "cs:Apple cs:canBe cs:EatenRaw"
    response = client.post("/prove", json={"triple": triple})
    assert response.status_code == 200, response.text
    code, printed = cli_json("prove", "commonsense", "--triple", triple)
    assert code == 0 and response.json() == printed
    assert printed["value"] == "true" and printed["proof"]["rule"] == "kgr-inherit"
    assert client.post("/prove", json={"triple": "cs:Penguin cs:can cs:Fly"}).json()["value"] == "false"


def test_query_returns_the_json_of_kgreason_graph_query(client):
    sparql = "SELECT ?x WHERE { ?x rdfs:subClassOf cs:Bird } ORDER BY ?x"
    response = client.post("/query", json={"query": sparql})
    assert response.status_code == 200, response.text
    code, printed = cli_json("graph", "query", "commonsense", sparql)
    assert code == 0 and response.json() == printed
    assert {"x": "cs:Penguin"} in printed["rows"]
    ask = client.post("/query", json={"query": "ASK { cs:Apple rdfs:subClassOf cs:Fruit }"}).json()
    assert ask == {"kind": "ask", "boolean": True}


def test_query_over_inferred_triples(client):
    sparql = "ASK { cs:Pingu rdf:type cs:Bird }"  # Pingu is a penguin; penguins are birds
    assert client.post("/query", json={"query": sparql}).json()["boolean"] is False
    assert client.post("/query", json={"query": sparql, "inferred": True}).json()["boolean"] is True


def test_query_is_read_only(client, state):
    before = len(state.pipelines[0].kg)
    response = client.post("/query", json={"query": "INSERT DATA { cs:A cs:b cs:C }"})
    assert response.status_code == 400
    assert "read-only" in response.json()["error"]
    assert len(state.pipelines[0].kg) == before


def test_graphs_says_what_is_loaded(client, state, fast_pipeline):
    data = client.get("/graphs").json()
    [loaded] = data["pipelines"]
    kg = state.pipelines[0].kg
    assert loaded["name"] == str(fast_pipeline) and loaded["default"] is True
    assert loaded["graphs"] == ["commonsense"] and loaded["triples"] == len(kg) > 1000
    assert loaded["fingerprint"] == kg.fingerprint()
    assert loaded["derived"] > 0 and loaded["retrieval"] is False and loaded["index_facts"] is None


def test_health_and_a_request_naming_the_loaded_pipeline_or_graphs(client, fast_pipeline):
    health = client.get("/health").json()
    assert health["status"] == "ok" and health["auth"] is False
    sources = client.get("/graphs").json()["pipelines"][0]["sources"]
    for selection in ({"pipeline": str(fast_pipeline)}, {"pipeline": "reasoner"},
                      {"graphs": ["commonsense"]}, {"graphs": sources}):
        response = client.post("/ask", json={"question": "Can penguins fly?", **selection})
        assert response.status_code == 200, (selection, response.text)


def test_a_pipeline_or_graph_not_loaded_is_a_clear_400(client):
    for selection in ({"pipeline": "hybrid"}, {"graphs": ["/etc/passwd"]}, {"graphs": ["", "a\x00b"]},
                      {"pipeline": "\x00"}):
        response = client.post("/ask", json={"question": "Can penguins fly?", **selection})
        assert response.status_code == 400
        assert "not loaded in this server" in response.json()["error"]
        assert "GET /graphs" in response.json()["hint"]


def test_retrieve_on_a_pipeline_without_retrieval_says_so(client):
    response = client.post("/retrieve", json={"question": "Can penguins fly?"})
    assert response.status_code == 400 and "retrieval is off" in response.json()["error"]


def test_concurrent_requests_get_the_answers_of_serial_ones(client):
    questions = ["Can apples be eaten raw?", "Can penguins fly?", "Which birds cannot fly?",
                 "Can apples fly?"] * 6
    serial = [without_timings(client.post("/ask", json={"question": q}).json()) for q in questions]
    with ThreadPoolExecutor(8) as pool:
        parallel = list(pool.map(lambda q: client.post("/ask", json={"question": q}), questions))
    assert [r.status_code for r in parallel] == [200] * len(questions)
    assert [without_timings(r.json()) for r in parallel] == serial


def test_the_page_and_its_scripts_are_served_from_the_package(client):
    page = client.get("/")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    assert 'src="/static/vendor/cytoscape.min.js"' in page.text and "http" not in page.text.split("<body>")[0]
    script = client.get("/static/vendor/cytoscape.min.js")
    assert script.status_code == 200 and "cytoscape" in script.text[:2000].lower()
    assert client.get("/static/app.js").status_code == 200


def test_openapi_and_docs_work_offline(client):
    schema = client.get("/openapi.json").json()
    assert {"/ask", "/prove", "/retrieve", "/query", "/graphs", "/health", "/proof-graph"} <= set(schema["paths"])
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in docs.text
    assert "cdn" not in docs.text.lower()
    assert client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200


def test_proof_graph_is_the_answers_graph_as_json_or_graphml(client, state):
    from kgreason.language.proof_graph import proof_graph_graphml, proof_graph_json

    expected = state.pipelines[0].pipeline.ask("Can apples be eaten raw?").proof_graph()
    response = client.post("/proof-graph", json={"question": "Can apples be eaten raw?"})
    assert response.status_code == 200 and response.json() == proof_graph_json(expected)
    assert {n["label"] for n in response.json()["nodes"]} == {
        "Apple is a kind of fruit.", "Fruit can be eaten raw.", "Apple can be eaten raw.", "inherits from its class"}
    graphml = client.post("/proof-graph", json={"question": "Can apples be eaten raw?", "format": "graphml"})
    assert graphml.headers["content-type"].startswith("application/graphml+xml")
    assert graphml.text == proof_graph_graphml(expected)
    empty = client.post("/proof-graph", json={"question": "Can apples fly?"}).json()
    assert empty["nodes"] == [] and empty["edges"] == []


def test_proof_graph_of_one_answer_of_an_open_question(client):
    question = "Which birds cannot fly?"
    every = client.post("/proof-graph", json={"question": question}).json()
    one = client.post("/proof-graph", json={"question": question, "answer": "cs:Penguin"}).json()
    conclusions = {n["label"] for n in one["nodes"] if n.get("conclusion")}
    assert conclusions == {"Penguin cannot fly.", "Penguin is a kind of bird."}
    assert len(one["nodes"]) < len(every["nodes"])
    by_label = client.post("/proof-graph", json={"question": question, "answer": "ostrich"}).json()
    assert "Ostrich cannot fly." in {n["label"] for n in by_label["nodes"]}
    wrong = client.post("/proof-graph", json={"question": question, "answer": "cs:Apple"})
    assert wrong.status_code == 400 and "is not an answer of this question" in wrong.json()["error"]


def test_an_unknown_says_what_is_missing_in_words(client):
    data = client.post("/ask", json={"question": "Can a dog swim?"}).json()
    assert data["answer"] == "unknown" and data["proof"] == [] and data["proof_tree"] is None
    assert data["reason"].startswith("nothing in the graph says whether a dog can swim")
    assert "cs:" not in data["reason"] and "rule " not in data["reason"]
    assert data["missing"] and "cs:Dog cs:can cs:Swim" in data["missing"][0]  # the engine's account
