"""The FastAPI app: the CLI's answers over HTTP, from pipelines loaded once.

Each endpoint returns what the matching command prints with ``--json`` — ``/ask``: ``kgreason ask``
(``Answer.ask_json``), ``/prove``: ``kgreason prove`` (``verdict_json``), ``/retrieve``: ``kgreason
index search`` (``RetrievalResult.to_json``), ``/query``: ``kgreason graph query``
(``run_sparql``) — and errors as ``{"error", "where", "hint"}``: 400 for what the CLI reports as
an error, 401 without the token, 413 for a body over the cap, 503 past the time limit; never a
traceback.
"""

from __future__ import annotations

import ctypes
import logging
import threading
import time
from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, Response
from fastapi.security import HTTPAuthorizationCredentials
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from kgreason import __version__
from kgreason.errors import InputError, KGReasonError
from kgreason.server.guards import (
    BodyLimit,
    TokenRequired,
    TrustedHosts,
    bearer,
    token_check,
    token_matches,
)
from kgreason.server.responses import CLIJSONResponse, error_response, kgreason_error_response
from kgreason.server.schemas import (
    AskRequest,
    ErrorBody,
    ProofGraphRequest,
    ProveRequest,
    QueryRequest,
    RetrieveRequest,
)
from kgreason.server.settings import ServerSettings
from kgreason.server.state import LoadedPipeline, ServerState

log = logging.getLogger(__name__)

#: The web page and the vendored JavaScript (package data).
STATIC = Path(str(files("kgreason") / "server" / "static"))

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "Bad input: the CLI's one-line message and hint."},
    401: {"model": ErrorBody, "description": "The server has a token and the request did not send it."},
    413: {"model": ErrorBody, "description": "The request body is over the server's cap."},
    503: {"model": ErrorBody, "description": "Not answered within the server's time limit."},
}


class TimeLimit(Exception):
    """A request not answered within ``request_seconds`` (answered 503)."""

    def __init__(self, what: str = "request"):
        super().__init__(what)
        self.what = what


class Cancelled(BaseException):
    """Raised inside a request's worker thread when its request ran past the time limit."""


async def run_cancellable(lock: threading.Lock | None, work, seconds: float, what: str = "request"):
    """``work()`` in a new daemon thread (holding ``lock`` when given), awaited for at most
    ``seconds``; then :class:`TimeLimit`, and :class:`Cancelled` is raised in the thread so the
    work stops and the lock is released. A thread stuck in C code gets it when it returns to
    Python; a watchdog releases the lock should the thread die holding it."""
    import asyncio

    loop = asyncio.get_running_loop()
    future = loop.create_future()
    deadline = time.monotonic() + seconds
    job = {"held": False, "working": False}

    def settle(outcome) -> None:
        if not future.done():
            future.set_result(outcome)

    def target() -> None:
        outcome: tuple[bool, Any]
        try:
            if lock is not None:
                job["held"] = lock.acquire(timeout=max(0.0, deadline - time.monotonic()))
                if not job["held"]:
                    raise TimeLimit(what)
            try:
                if time.monotonic() > deadline:  # waited too long: the caller has been answered
                    raise TimeLimit(what)
                job["working"] = True
                outcome = (True, work())
            finally:
                job["working"] = False
                if job["held"]:
                    job["held"] = False
                    lock.release()
        except BaseException as exc:  # noqa: BLE001 - handed to the request (Cancelled included)
            outcome = (False, exc)
        try:
            loop.call_soon_threadsafe(settle, outcome)
        except RuntimeError:  # the loop is gone (server stopping)
            pass

    thread = threading.Thread(target=target, name=f"kgreason-{what}", daemon=True)
    thread.start()
    try:
        ok, value = await asyncio.wait_for(asyncio.shield(future), timeout=max(0.0, deadline - time.monotonic()))
    except (asyncio.TimeoutError, TimeoutError):
        if job["working"] and thread.ident is not None:
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread.ident), ctypes.py_object(Cancelled))

        def watchdog() -> None:  # a thread that died between acquire and release frees the lock
            if thread.is_alive():
                loop.call_later(0.5, watchdog)
            elif job["held"] and lock is not None and lock.locked():
                job["held"] = False
                lock.release()

        loop.call_later(0.5, watchdog)
        raise TimeLimit(what) from None
    if ok:
        return value
    if isinstance(value, Cancelled):  # cannot happen before the deadline; kept for safety
        raise TimeLimit(what)
    raise value


def create_app(state: ServerState, settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()
    app = FastAPI(
        title="kgreason",
        version=__version__,
        description="Answers from a knowledge graph with a checked proof. Every endpoint returns what "
        "the matching `kgreason` command prints with `--json`.",
        docs_url=None,  # served below from the vendored Swagger UI, never a CDN
        redoc_url=None,
        default_response_class=CLIJSONResponse,
    )
    app.state.kgreason = state
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes, body_seconds=settings.header_seconds)
    app.add_middleware(TrustedHosts, allowed=settings.trusted_hosts())  # outermost: checked first
    _error_handlers(app)

    async def run(selected: LoadedPipeline, work, *, locked: bool = True, what: str = "request"):
        """``work()`` in its own worker thread, under the pipeline's lock when ``locked``, within
        the time limit. Past the limit the request is answered 503 and the work is *cancelled*:
        an exception is raised in its thread (at its next Python instruction), so it stops and
        gives the lock back instead of holding it for the requests behind it."""
        return await run_cancellable(selected.lock if locked else None, work, settings.request_seconds, what)

    api = APIRouter(dependencies=[Depends(token_check(settings.token))], responses=ERRORS)

    @api.post("/ask", summary="Answer a question (the JSON of `kgreason ask --json`)")
    async def ask(body: AskRequest) -> Any:
        selected = state.select(body.pipeline, body.graphs)

        def work():
            return selected.pipeline.ask(body.question, closed_world=body.closed_world).ask_json()

        return await run(selected, work)

    @api.post("/proof-graph", summary="The answer's proof as a graph (`kgreason ask --proof-graph`)",
              responses={200: {"content": {"application/json": {}, "application/graphml+xml": {}}}})
    async def proof_graph(body: ProofGraphRequest) -> Any:
        from kgreason.language.proof_graph import proof_graph_graphml, proof_graph_json

        selected = state.select(body.pipeline, body.graphs)

        def work():
            answer = selected.pipeline.ask(body.question, closed_world=body.closed_world)
            return answer.proof_graph(body.answer)

        graph = await run(selected, work)
        if body.format == "graphml":
            return Response(proof_graph_graphml(graph), media_type="application/graphml+xml",
                            headers={"Content-Disposition": 'attachment; filename="proof.graphml"'})
        return proof_graph_json(graph)

    @api.post("/prove", summary="Whether a triple holds, with its proof (`kgreason prove --json`)")
    async def prove(body: ProveRequest) -> Any:
        from kgreason.graph.terms import triple_terms
        from kgreason.language.render import verdict_json

        selected = state.select(body.pipeline, body.graphs)
        if not selected.reasons:
            raise InputError(f"pipeline {selected.name!r} does not reason",
                                hint="start the server with a reasoning pipeline (e.g. --pipeline default)")

        def work():
            kg = selected.kg
            s, p, o = (kg.resolve(x) for x in triple_terms(body.triple, what="triple"))
            verdict = selected.pipeline.reasoner.holds(s, p, o, closed_world=body.closed_world)
            return verdict_json(verdict, kg)

        return await run(selected, work)

    @api.post("/retrieve", summary="Evidence only: facts, linked entities, neighbourhood "
              "(`kgreason index search --json`)")
    async def retrieve(body: RetrieveRequest) -> Any:
        from kgreason.language.questions import check_question

        selected = state.select(body.pipeline, body.graphs)
        if not selected.pipeline.config.retrieval.enabled:
            raise InputError(f"retrieval is off in pipeline {selected.name!r}",
                                hint="start the server with a pipeline that retrieves (e.g. --pipeline default)")
        question = check_question(body.question)

        def work():
            result = selected.pipeline.retriever.retrieve(question, k=body.k, radius=body.radius)
            return {"question": body.question, **result.to_json(selected.kg)}

        return await run(selected, work)

    @api.post("/query", summary="A read-only SPARQL query with a time limit "
              "(`kgreason graph query --json`)")
    async def query(body: QueryRequest) -> Any:
        from kgreason.graph.query import run_sparql

        selected = state.select(body.pipeline, body.graphs)
        kg = selected.kg
        if body.inferred:  # made once, under the lock (a lazy cache)
            target = await run(selected, selected.inferred_graph, what="SPARQL query")
        else:
            target = kg.rdf

        def work():  # no lock: the query runs in a forked process, killed at the query time limit
            result = run_sparql(target, body.query, kg.namespaces, timeout=settings.query_seconds)
            return result.to_json(kg.qname)

        return await run(selected, work, locked=False, what="SPARQL query")

    @api.get("/graphs", summary="What is loaded: pipelines, graphs, sizes, fingerprints")
    async def graphs() -> Any:
        return state.describe()

    app.include_router(api)

    @app.get("/health", summary="Liveness: ok and the version; with the token (or on a server "
             "without one) also what the page needs to know")
    async def health(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> Any:
        data: dict[str, Any] = {"status": "ok", "version": __version__}
        sent = credentials.credentials if credentials is not None else None
        if token_matches(sent, settings.token):
            data.update({"auth": settings.token is not None, "pipelines": [p.name for p in state.pipelines],
                         "uptime_seconds": round(time.time() - state.started, 1)})
        return data

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(STATIC / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> Response:
        vendor = "/static/vendor/swagger-ui"
        return get_swagger_ui_html(openapi_url=app.openapi_url, title="kgreason API",
                                   swagger_js_url=f"{vendor}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{vendor}/swagger-ui.css",
                                   swagger_favicon_url=f"{vendor}/favicon-32x32.png")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KGReasonError)
    async def kgreason_error(request: Request, exc: KGReasonError):
        return kgreason_error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError):
        first = (exc.errors() or [{}])[0]
        where = ".".join(str(x) for x in first.get("loc", ()))
        message = str(first.get("msg", "invalid request"))
        return error_response(400, f"invalid request: {message}", where or None,
                              "see /docs for the request body of each endpoint")

    @app.exception_handler(TokenRequired)
    async def token_required(request: Request, exc: TokenRequired):
        return error_response(401, exc.message, None, "give the token the server was started with",
                              headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(TimeLimit)
    async def time_limit(request: Request, exc: TimeLimit):
        hint = ("the query was stopped: make it more selective or add LIMIT" if exc.what == "SPARQL query"
                else "the work was stopped; try again in a moment (the server was busy or the question took too long)")
        return error_response(503, "not answered within the server's time limit", None, hint)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return error_response(exc.status_code, str(exc.detail), request.url.path, None,
                              headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception):  # a bug of ours: logged, one line out
        log.exception("unexpected error on %s", request.url.path)
        return error_response(500, f"{type(exc).__name__}: {exc}", request.url.path,
                              "this is a bug in kgreason; the server log has the traceback")
