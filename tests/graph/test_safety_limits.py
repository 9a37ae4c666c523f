"""Data files and queries never go online and never run away (issue 13, items 5-7): XML entity
bombs are refused before parsing, a JSON-LD @context that names a document is refused (nothing
connects to a silent listener), SPARQL runs under --timeout and SERVICE / FROM are refused
unless --allow-network."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import InputError, ParseError
from kgreason.graph import load_graph
from kgreason.graph.query import run_sparql

RDF_NS = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@pytest.fixture()
def listener():
    """A TCP port on 127.0.0.1 that accepts connections (in the kernel's backlog) and never
    answers; ``connected()`` tells whether anything connected. Sockets without a timeout get one
    of 10 s meanwhile, so a regression fails this test instead of hanging the suite."""
    before = socket.getdefaulttimeout()
    socket.setdefaulttimeout(10.0)
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.setblocking(False)

    class Listener:
        port = server.getsockname()[1]
        url = f"http://127.0.0.1:{server.getsockname()[1]}"

        @staticmethod
        def connected() -> bool:
            try:
                conn, _ = server.accept()
            except BlockingIOError:
                return False
            conn.close()
            return True

    yield Listener
    server.close()
    socket.setdefaulttimeout(before)


def _one_line_error(result, *needles: str) -> str:
    assert result.exit_code not in (0, None), result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


# ------------------------------------------------------------------------------ XML entities
def _billion_laughs(root: str, body: str) -> str:
    lines = ['<?xml version="1.0"?>', f"<!DOCTYPE {root} [", '<!ENTITY lol0 "lol lol lol lol lol lol lol">']
    lines += [f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">' for i in range(1, 10)]
    return "\n".join([*lines, "]>", body])


RDF_BODY = (f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:ex="http://example.org/">'
            '<rdf:Description rdf:about="http://example.org/a"><ex:p>&lol9;</ex:p></rdf:Description></rdf:RDF>')


def test_rdfxml_billion_laughs_is_refused_quickly(tmp_path):
    bomb = tmp_path / "bomb.rdf"
    bomb.write_text(_billion_laughs("rdf:RDF", RDF_BODY))
    assert bomb.stat().st_size < 1024
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "kgreason.cli", "graph", "info", str(bomb)],
                          check=False, capture_output=True, text=True, timeout=120)  # hung before the fix
    assert done.returncode == 2, done.stderr
    assert f"{bomb}:4:1:" in done.stderr and "nested entities are refused" in done.stderr
    assert time.monotonic() - started < 60


def test_graphml_billion_laughs_is_refused(tmp_path):
    bomb = tmp_path / "bomb.graphml"
    bomb.write_text(_billion_laughs("graphml", '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">'
                                    '<graph edgedefault="directed"><node id="&lol9;"/></graph></graphml>'))
    with pytest.raises(ParseError, match="nested entities"):
        load_graph([bomb])


@pytest.mark.parametrize(
    "declaration, message",
    [
        ('<!ENTITY ext SYSTEM "file:///etc/passwd">', "external entity &ext;"),
        ('<!ENTITY ext PUBLIC "-//x//y" "{url}/dtd">', "external entity &ext;"),
        ('<!ENTITY % pe "x">', "parameter entity %pe;"),
    ],
)
def test_external_and_parameter_entities_are_refused(tmp_path, listener, declaration, message):
    path = tmp_path / "ext.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n  {declaration.format(url=listener.url)}\n]>\n'
                    + RDF_BODY.replace("&lol9;", "x"))
    with pytest.raises(ParseError, match=message) as info:
        load_graph([path])
    assert (info.value.line, info.value.column) == (3, 3)
    assert not listener.connected()


def test_quadratic_blowup_is_refused(tmp_path):
    """No nesting, but one long entity referenced many times: bounded by the file's size."""
    long_text = "x" * 20_000
    body = RDF_BODY.replace("&lol9;", "&big;" * 3000)
    path = tmp_path / "blowup.rdf"
    path.write_text(f'<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [ <!ENTITY big "{long_text}"> ]>\n{body}')
    with pytest.raises(ParseError, match="expand to more than 10 times"):
        load_graph([path])


def test_plain_text_entities_as_protege_writes_them_still_load(tmp_path):
    path = tmp_path / "onto.owl"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n'
        '    <!ENTITY owl "http://www.w3.org/2002/07/owl#" >\n'
        "    <!ENTITY ex 'http://example.org/' >\n"
        '    <!-- a comment --> <!ENTITY amp2 "a &amp; b &#233;">\n]>\n'
        f'<rdf:RDF xmlns:rdf="{RDF_NS}" xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" '
        'xmlns:ex="http://example.org/">\n'
        '<rdf:Description rdf:about="&ex;Apple"><rdfs:subClassOf rdf:resource="&ex;Fruit"/>'
        '<rdf:type rdf:resource="&owl;Class"/><ex:note>&amp2;</ex:note></rdf:Description>\n</rdf:RDF>\n'
    )
    kg = load_graph([path])
    assert len(kg) == 3
    assert {str(o) for o in kg.rdf.objects()} >= {"http://example.org/Fruit", "a & b é",
                                                   "http://www.w3.org/2002/07/owl#Class"}


# ------------------------------------------------------------------------------ JSON-LD contexts
@pytest.mark.parametrize("shape", ["string", "list", "scoped", "import"])
def test_remote_jsonld_context_is_refused_without_connecting(tmp_path, listener, shape):
    remote = f'"{listener.url}/context.jsonld"'
    context = {
        "string": remote,
        "list": f'[{{"ex": "http://example.org/"}}, {remote}]',
        "scoped": f'{{"ex": "http://example.org/", "ex:p": {{"@id": "ex:p", "@context": {remote}}}}}',
        "import": f'{{"@import": {remote}, "ex": "http://example.org/"}}',
    }[shape]
    path = tmp_path / "data.jsonld"
    path.write_text('{\n  "@id": "http://example.org/a",\n  "@context": ' + context + "\n}\n")
    started = time.monotonic()
    with pytest.raises(ParseError, match="never fetches") as info:
        load_graph([path])
    assert time.monotonic() - started < 10
    assert info.value.line == 3 and "context.jsonld" in str(info.value) and "put the context itself" in str(info.value)
    assert not listener.connected()


def test_remote_context_through_the_cli_and_a_json_file(tmp_path, listener):
    path = tmp_path / "data.json"  # node-link JSON that is really JSON-LD goes the same way
    path.write_text(f'{{"@context": "{listener.url}/c", "@id": "http://example.org/a"}}')
    _one_line_error(CliRunner().invoke(app, ["graph", "info", str(path)]), f"{path}:1:", "@context")
    assert not listener.connected()


def test_inline_jsonld_context_still_loads(tmp_path):
    path = tmp_path / "ok.jsonld"
    path.write_text('{"@context": {"ex": "http://example.org/"}, "@id": "ex:a", "ex:p": {"@id": "ex:b"}}')
    assert len(load_graph([path])) == 1


# ------------------------------------------------------------------------------ SPARQL
@pytest.fixture()
def small_graph(tmp_path) -> Path:
    path = tmp_path / "g.ttl"
    path.write_text("@prefix ex: <http://example.org/> .\n"
                    + "".join(f"ex:s{i} ex:p ex:o{i} .\n" for i in range(200)))
    return path


def test_a_cartesian_product_stops_at_the_timeout(small_graph):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 8 million rows
    started = time.monotonic()
    result = CliRunner().invoke(app, ["graph", "query", str(small_graph), query, "--timeout", "1"])
    assert time.monotonic() - started < 30
    assert result.exit_code == 2
    _one_line_error(result, "stopped after 1 s", "--timeout")


def test_queries_within_the_limit_give_their_results(small_graph):
    kg = load_graph([small_graph])
    for timeout in (None, 0, 20):
        result = run_sparql(kg.rdf, "SELECT (COUNT(*) AS ?n) WHERE { ?s ex:p ?o }", kg.namespaces, timeout=timeout)
        assert int(result.rows[0]["n"]) == 200
    with pytest.raises(InputError, match="SPARQL query failed"):  # an evaluation error from the worker
        run_sparql(kg.rdf, "SELECT * WHERE { ?s ?p ?o } ORDER BY (1/0)", kg.namespaces, timeout=20)


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ SERVICE SILENT <{url}/sparql> {{ ?s ?q ?x }} }} }}",
        "ASK {{ FILTER EXISTS {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }} }}",
        "SELECT * FROM <{url}/graph.ttl> WHERE {{ ?s ?p ?o }}",
    ],
)
def test_service_and_from_are_refused_without_connecting(small_graph, listener, query):
    result = CliRunner().invoke(app, ["graph", "query", str(small_graph), query.format(url=listener.url)])
    assert result.exit_code == 2
    _one_line_error(result, "refused", "--allow-network")
    assert not listener.connected()


def test_allowed_service_on_a_silent_host_still_stops_at_the_timeout(small_graph, listener):
    query = f"SELECT * WHERE {{ SERVICE <{listener.url}/sparql> {{ ?s ?p ?o }} }}"
    started = time.monotonic()
    result = CliRunner().invoke(app, ["graph", "query", str(small_graph), query, "--allow-network", "--timeout", "1"])
    assert time.monotonic() - started < 30
    _one_line_error(result, "stopped after 1 s")
    assert listener.connected()  # it did go online, as asked, and did not hang there
