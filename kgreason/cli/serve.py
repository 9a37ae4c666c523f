"""``kgreason serve``: the HTTP API and the web page, with the pipelines loaded once."""

from __future__ import annotations

from pathlib import Path

import typer

from kgreason.cli.common import JSON_OPTION, err_console, print_json


def serve(
    graph: list[str] = typer.Option(None, "--graph", "-g", metavar="GRAPH", help="Graph file or shipped name (repeatable); replaces the pipelines' graphs."),
    pipeline: list[str] = typer.Option(["default"], "--pipeline", "-p", metavar="PIPELINE", help="Shipped pipeline name or a YAML path (repeatable; the first answers requests that name none)."),
    closed_world: bool = typer.Option(None, "--closed-world/--open-world", help="Override the pipelines' world assumption."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on; anything but loopback needs --token."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    token_file: Path = typer.Option(None, "--token-file", metavar="FILE", help="File whose first line is the bearer token every API request must send (Authorization: Bearer ...); or set KGREASON_TOKEN. Never on the command line: other users see it in ps."),
    token: str = typer.Option(None, "--token", hidden=True, help="Deprecated: visible in ps; use --token-file or KGREASON_TOKEN."),
    allowed_host: list[str] = typer.Option(None, "--allowed-host", metavar="NAME", help="Host header to accept besides the bound address (repeatable; DNS-rebinding guard)."),
    request_timeout: float = typer.Option(20.0, "--request-timeout", metavar="SECONDS", help="Answer each request within this time, else 503 (the work is stopped)."),
    query_timeout: float = typer.Option(10.0, "--query-timeout", metavar="SECONDS", help="Stop a SPARQL query after this time (400)."),
    header_timeout: float = typer.Option(10.0, "--header-timeout", metavar="SECONDS", help="Close a connection that has not sent a request's headers (or its body) within this time."),
    max_connections: int = typer.Option(256, "--max-connections", min=2, metavar="N", help="Open connections at most (503 at once above it)."),
    max_body: int = typer.Option(65536, "--max-body", metavar="BYTES", help="Largest request body read (413 above it)."),
    json: bool = JSON_OPTION,
) -> None:
    """Serve the API (POST /ask, /prove, /retrieve, /query, /proof-graph; GET /graphs, /health;
    OpenAPI at /docs) and a web page at / that shows the answer and its proof as a graph.

    Graphs, closure, index and models load once, before the server listens.
    Example: kgreason serve, then curl -s --json '{"question": "Can penguins fly?"}' localhost:8000/ask
    """
    from kgreason.extras import require

    require("serve", what="'kgreason serve'")  # FastAPI, uvicorn and the models it serves
    from kgreason.server import ServerSettings, ServerState, create_app
    from kgreason.server import serve as run_server
    from kgreason.server.run import check_port
    from kgreason.server.settings import check_token, read_token

    if token is not None:  # still accepted, but it shows in ps
        err_console.print("warning: --token is visible to every user of this machine (ps); use --token-file "
                          "or KGREASON_TOKEN", highlight=False)
        token = check_token(token)
    else:
        token = read_token(token_file)
    # every check on the address, the token and the limits before minutes of loading
    settings = ServerSettings(host=host, port=port, token=token, max_body_bytes=max_body,
                              request_seconds=request_timeout, query_seconds=query_timeout,
                              header_seconds=header_timeout, max_connections=max_connections,
                              allowed_hosts=tuple(allowed_host or ()))
    host = settings.host
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
        print_json({"url": url, "auth": settings.token is not None, **state.describe()})
    else:
        err_console.print(f"serving on {url}  (web page {url}/, API docs {url}/docs; Ctrl-C stops)",
                          highlight=False)
    run_server(create_app(state, settings), settings)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
