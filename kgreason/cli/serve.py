"""``kgreason serve``: the HTTP API and the web page, with the pipelines loaded once."""

from __future__ import annotations

import typer

from kgreason.cli.common import JSON_OPTION, err_console, print_json


def serve(
    graph: list[str] = typer.Option(None, "--graph", "-g", help="Graph file or shipped name (repeatable); replaces the pipelines' graphs."),
    pipeline: list[str] = typer.Option(["default"], "--pipeline", "-p", help="Shipped pipeline name or a YAML path (repeatable; the first answers requests that name none)."),
    closed_world: bool = typer.Option(None, "--closed-world/--open-world", help="Override the pipelines' world assumption."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything but loopback needs --token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token: str = typer.Option(None, "--token", envvar="KGREASON_TOKEN", show_envvar=True, help="Bearer token every API request must send (Authorization: Bearer ...)."),
    request_timeout: float = typer.Option(20.0, "--request-timeout", metavar="SECONDS", help="Answer each request within this time, else 503."),
    query_timeout: float = typer.Option(10.0, "--query-timeout", metavar="SECONDS", help="Stop a SPARQL query after this time (400)."),
    max_body: int = typer.Option(65536, "--max-body", metavar="BYTES", help="Largest request body read (413 above it)."),
    json: bool = JSON_OPTION,
) -> None:
    """Serve the API (POST /ask, /prove, /retrieve, /query, /proof-graph; GET /graphs, /health;
    OpenAPI at /docs) and a web page at / that shows the answer and its proof as a graph.

    Graphs, closure, index and models load once, before the server listens.
    Example: kgreason serve, then curl -s --json '{"question": "Can penguins fly?"}' localhost:8000/ask
    """
    from kgreason.server import ServerSettings, ServerState, create_app
    from kgreason.server import serve as run_server
    from kgreason.server.run import check_port

    settings = ServerSettings(host=host, port=port, token=token, max_body_bytes=max_body,
                              request_seconds=request_timeout, query_seconds=query_timeout)
    check_port(host, port)

    def loaded(item) -> None:
        if json:
            return
        info = item.info
        extra = "".join([
            f", {info['derived']:,} derived" if info["derived"] is not None else "",
            f", index of {info['index_facts']:,} facts" if info["index_facts"] is not None else "",
        ])
        err_console.print(f"loaded pipeline [bold]{item.name}[/] ({info['mode']}; "
                          f"{', '.join(info['graphs'])}: {info['triples']:,} triples{extra}) "
                          f"in {info['load_seconds']:.1f} s", highlight=False)

    with err_console.status("loading graphs, closure, index and models…", spinner="dots"):
        state = ServerState.load(pipeline, graphs=graph or None, closed_world=closed_world, loaded=loaded)
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}"
    if json:
        print_json({"url": url, "auth": token is not None, **state.describe()})
    else:
        err_console.print(f"serving on {url}  (web page {url}/, API docs {url}/docs; Ctrl-C stops)",
                          highlight=False)
    run_server(create_app(state, settings), settings)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
