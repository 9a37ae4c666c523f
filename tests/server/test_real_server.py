"""The real thing: ``kgreason serve`` (default pipeline: retrieval index + reasoner) on a free
port, asked over HTTP, in a headless Chromium, and fuzzed from its OpenAPI schema; then stopped."""

from __future__ import annotations

import json
import shutil
import signal

import pytest
from typer.testing import CliRunner

from tests.server.conftest import RunningServer

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server():
    with RunningServer() as running:
        yield running


def test_ask_over_http_is_the_clis_answer_and_the_server_stops(server):
    import httpx

    from kgreason.cli import app as cli

    question = "Can apples be eaten raw?"
    response = httpx.post(f"{server.url}/ask", json={"question": question}, timeout=60)
    assert response.status_code == 200, response.text
    served = response.json()
    assert served["answer"] == "yes" and served["evidence"], served
    printed = json.loads(CliRunner().invoke(cli, ["ask", question, "--json"]).stdout)
    drop = ("timings_ms",)
    assert {k: v for k, v in served.items() if k not in drop} == {k: v for k, v in printed.items() if k not in drop}
    assert served["timings_ms"]["load"] < 5  # warm: nothing loaded per request

    retrieved = httpx.post(f"{server.url}/retrieve", json={"question": "Can penguins fly?", "k": 3}, timeout=60)
    assert retrieved.status_code == 200
    data = retrieved.json()
    assert len(data["evidence"]) == 3 and any("penguin" in e["text"] for e in data["evidence"])
    assert "cs:Penguin" in data["neighbourhood"]["nodes"]

    graphs = httpx.get(f"{server.url}/graphs", timeout=30).json()["pipelines"][0]
    assert graphs["name"] == "default" and graphs["index_facts"] > 0


def test_stopping_the_server_ends_the_process_cleanly():
    import httpx

    with RunningServer() as running:
        assert httpx.post(f"{running.url}/ask", json={"question": "Can penguins fly?"},
                          timeout=60).json()["answer"] == "no"
        code, _, err = running.stop()
    # uvicorn shuts down cleanly, then ends by the signal it was sent (SIGTERM), as it documents
    assert code in (0, -signal.SIGTERM), err
    assert "loaded pipeline default" in err and "Application shutdown complete" in err


def _chrome():
    """A headless Chromium driven by Debian's chromedriver, or a skip saying what is missing."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.skip("headless browser test needs Debian's chromium and chromium-driver "
                    "(apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1280,1000"):
        options.add_argument(arg)
    try:
        return webdriver.Chrome(service=Service(driver), options=options)
    except Exception as exc:  # noqa: BLE001 - a browser that cannot start is a skip, said why
        pytest.skip(f"chromium could not start: {str(exc).splitlines()[0]}")


def test_the_page_answers_and_draws_the_proof_in_a_real_browser(server, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser = _chrome()
    try:
        browser.get(server.url + "/")
        wait = WebDriverWait(browser, 60)
        wait.until(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
        box = browser.find_element(By.ID, "question")
        box.send_keys("Can apples be eaten raw?")
        browser.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "answer"), "yes"))
        wait.until(lambda b: b.find_element(By.ID, "graph").get_attribute("data-nodes") not in (None, "", "0"))
        labels = browser.execute_script("return window.proofGraph.nodes().map(n => n.data('label'))")
        assert set(labels) == {"Apple is a kind of fruit.", "Fruit can be eaten raw.",
                               "Apple can be eaten raw.", "inherits from its class"}  # the rule in words
        edges = browser.execute_script(
            "return window.proofGraph.edges().map(e => [e.source().data('label'), e.target().data('label')])")
        assert ["inherits from its class", "Apple can be eaten raw."] in edges
        # the proof as a tree: the conclusion with its rule, the premises one level deeper
        proof = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#proof > li > .sentence")]
        assert proof == ["Apple can be eaten raw."]
        premises = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#proof li li .sentence")]
        assert set(premises) == {"Apple is a kind of fruit.", "Fruit can be eaten raw."}
        assert browser.find_element(By.CSS_SELECTOR, "#proof > li > .rule").text == "inherits from its class"
        assert browser.find_element(By.ID, "proof").get_attribute("data-folded") == "false"
        evidence = browser.find_elements(By.CSS_SELECTOR, "#evidence li")
        assert any("fruit can be eaten raw" in li.text for li in evidence)
        # the page loaded nothing from outside the server
        hosts = browser.execute_script(
            "return performance.getEntriesByType('resource').map(r => new URL(r.name).host)")
        assert set(hosts) <= {f"127.0.0.1:{server.port}"}, hosts
        browser.save_screenshot(str(tmp_path / "page.png"))

        # an open question lists its answers and draws the proof of one, chosen on the page
        box.clear()
        box.send_keys("Which birds cannot fly?")
        browser.find_element(By.ID, "ask").click()
        wait.until(lambda b: "penguin" in b.find_element(By.ID, "answers").text.lower())
        picks = browser.find_elements(By.CSS_SELECTOR, "#answers .pick")
        assert len(picks) >= 3 and picks[0].get_attribute("aria-pressed") == "true"

        def conclusions(b):
            if not b.execute_script("return window.proofGraph !== null"):
                return set()
            return set(b.execute_script(
                "return window.proofGraph.nodes('[?conclusion]').map(n => n.data('label'))"))

        first = picks[0].text
        wait.until(lambda b: f"{first.capitalize()} cannot fly." in conclusions(b))
        assert not any(c.startswith(("Ostrich", "Emu")) for c in conclusions(browser)) or first != "penguin"
        ostrich = next(p for p in picks if p.text == "ostrich")
        ostrich.click()
        wait.until(lambda b: "Ostrich cannot fly." in conclusions(b))
        assert not any("enguin" in c for c in conclusions(browser))  # one drawing per answer
        assert ostrich.get_attribute("aria-pressed") == "true"
        assert browser.find_element(By.ID, "proof-title").text == "Proof: ostrich"

        # an unknown says what is missing and shows no empty proof box
        box.clear()
        box.send_keys("Can a dog swim?")
        browser.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "answer"), "unknown"))
        wait.until(ec.text_to_be_present_in_element((By.ID, "reason"), "nothing in the graph says whether a dog can swim"))
        assert not browser.find_element(By.ID, "proof-box").is_displayed()

        # no answer proved is said as such, not "0 answers"
        box.clear()
        box.send_keys("Which reptiles can fly?")
        browser.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "answer"), "no answer proved"))
        assert not browser.find_element(By.ID, "proof-box").is_displayed()
        browser.save_screenshot(str(tmp_path / "no-answer.png"))
        box.clear()
        box.send_keys("???")
        browser.find_element(By.ID, "ask").click()
        wait.until(ec.text_to_be_present_in_element((By.ID, "status"), "error:"))
    finally:
        browser.quit()


def test_a_long_proof_folds_into_levels_in_a_real_browser(tmp_path):
    """The pizza ontology's proof (17 statements) folds: its first level open, deeper levels
    closed until clicked; no blank-node id and no rule id anywhere on the page."""
    import re
    from pathlib import Path

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    pizza = Path(__file__).parent.parent / "data" / "pizza.owl"
    pipeline = tmp_path / "pizza.yaml"
    pipeline.write_text(f"graphs: ['{pizza}']\nretrieval: {{enabled: false, rank_candidates: false}}\n")
    browser = _chrome()
    try:
        with RunningServer("--pipeline", str(pipeline)) as running:
            browser.get(running.url + "/")
            wait = WebDriverWait(browser, 60)
            wait.until(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
            browser.find_element(By.ID, "question").send_keys("Is the diavola a spicy pizza?")
            browser.find_element(By.ID, "ask").click()
            wait.until(ec.text_to_be_present_in_element((By.ID, "answer"), "yes"))
            wait.until(lambda b: b.find_element(By.ID, "proof").get_attribute("data-folded") == "true")
            tree = browser.find_element(By.ID, "proof")
            assert 10 <= int(tree.get_attribute("data-statements")) <= 17
            top = browser.find_element(By.CSS_SELECTOR, "#proof > li > details")
            assert top.get_attribute("open") is not None
            assert top.find_element(By.TAG_NAME, "summary").text.startswith("Diavola is a spicy pizza.")
            deeper = browser.find_elements(By.CSS_SELECTOR, "#proof details details")
            assert deeper and all(d.get_attribute("open") is None for d in deeper)
            hidden = deeper[0].find_element(By.CSS_SELECTOR, ":scope > ul .sentence")

            def shown(element) -> bool:  # a closed <details> hides its content
                return browser.execute_script("return arguments[0].checkVisibility()", element)

            assert not shown(hidden)
            deeper[0].find_element(By.TAG_NAME, "summary").click()  # unfold one level
            assert shown(hidden) and deeper[0].get_attribute("open") is not None
            labels = browser.execute_script("return window.proofGraph.nodes().map(n => n.data('label'))")
            page = browser.find_element(By.TAG_NAME, "body").text + " ".join(labels)
            assert "Diavola is a pizza that has some spicy topping." in labels
            assert not re.search(r"\bN[0-9a-f]{20,}|_:|cls-|cax-|rdfs\d", page), page
            browser.save_screenshot(str(tmp_path / "pizza.png"))
    finally:
        browser.quit()


def test_the_page_shows_first_order_proofs_and_countermodels_in_a_real_browser(tmp_path):
    """A first-order theory served: the z3 proof as numbered steps naming the premises, and for
    an unknown the world where the premises hold and the statement fails."""
    from pathlib import Path

    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    theory = Path(__file__).parent.parent / "data" / "remote_work.txt"
    pipeline = tmp_path / "theory.yaml"
    pipeline.write_text(f"graphs: ['{theory}']\nretrieval: {{enabled: false, rank_candidates: false}}\n")
    browser = _chrome()
    try:
        with RunningServer("--pipeline", str(pipeline)) as running:
            browser.get(running.url + "/")
            wait = WebDriverWait(browser, 60)
            wait.until(lambda b: b.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true")
            box = browser.find_element(By.ID, "question")
            box.send_keys("Does some manager have a laptop?")
            browser.find_element(By.ID, "ask").click()
            wait.until(ec.text_to_be_present_in_element((By.ID, "answer"), "yes"))
            steps = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#fo-proof li")]
            assert steps == ["Something is a manager and has a laptop. (from premises 1, 2, 3)"]
            assert "re-checked" in browser.find_element(By.ID, "fo-title").text
            assert not browser.find_element(By.ID, "countermodel").is_displayed()
            assert not browser.find_element(By.ID, "proof-box").is_displayed()  # no triple graph
            box.clear()
            box.send_keys("Is Ann happy?")
            browser.find_element(By.ID, "ask").click()
            wait.until(ec.text_to_be_present_in_element((By.ID, "answer"), "unknown"))
            world = [li.text for li in browser.find_elements(By.CSS_SELECTOR, "#countermodel li")]
            assert any(line.startswith("Ann ") and "is not happy" in line for line in world), world
            assert not browser.find_element(By.ID, "fo-proof").is_displayed()
            assert "no premise speaks of" in browser.find_element(By.ID, "reason").text
            browser.save_screenshot(str(tmp_path / "first-order.png"))
    finally:
        browser.quit()


def test_the_api_fuzzed_from_its_openapi_schema_never_answers_5xx(server):
    """schemathesis generates requests for every operation from /openapi.json: valid ones
    (positive) and ones that break the schema (negative: wrong types, missing fields ...)."""
    from collections import Counter

    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis.errors import Unsatisfiable

    schema = schemathesis.openapi.from_url(f"{server.url}/openapi.json")
    failures: list[str] = []
    statuses: Counter = Counter()

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in schemathesis.GenerationMode:

            @settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck),
                      database=None)
            @given(case=operation.as_strategy(generation_mode=mode))
            def check(case):
                response = case.call(base_url=server.url, timeout=60)
                statuses[response.status_code] += 1
                if response.status_code >= 500:
                    failures.append(f"{case.method} {case.path} {case.body!r}: {response.status_code} "
                                    f"{response.text[:300]}")

            try:
                check()
            except Unsatisfiable:  # nothing to break: GET /health, /graphs take no input
                assert mode == schemathesis.GenerationMode.NEGATIVE and operation.method.upper() == "GET"
    print(f"schemathesis: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert sum(statuses.values()) > 100 and statuses[200] > 20 and statuses[400] > 20, statuses
    assert failures == []
