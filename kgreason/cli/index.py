"""``kgreason index ...``: build, update, inspect and search the retrieval index of a graph."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import typer

from kgreason.cli.common import (
    JSON_OPTION,
    console,
    graph_option,
    graphs_given,
    hidden_alias,
    output_option,
    pick_output,
    print_json,
)

index_app = typer.Typer(help="Build and search the retrieval index (MiniLM + FAISS) of a graph.", no_args_is_help=True)

FORMAT_OPTION = typer.Option(None, "--format", "-f", metavar="FORMAT",
                             help="Force the graph input format (default: by extension).")
MODEL_OPTION = typer.Option(None, "--model", metavar="MODEL",
                            help="sentence-transformers model id or folder (default: packaged MiniLM).")
DEVICE_OPTION = typer.Option(None, "--device", metavar="DEVICE", help="cpu / cuda / mps (default: auto).")
THREADS_OPTION = typer.Option(None, "--threads", metavar="N",
                              help="CPU threads for embedding (default: torch's; 1 is faster on a busy CPU).")
INFERRED_OPTION = typer.Option(False, "--inferred", help="Also index the facts the reasoner derives (flagged inferred).")
GRAPHS_ARG = typer.Argument(None, metavar="GRAPH",
                            help="Graph files or shipped graph names: a shorthand for -g/--graph.")
OUT_OPTION = output_option("Index folder (default: the cache, keyed by the graph fingerprint).")
SEARCH_ARGS = typer.Argument(..., metavar="GRAPH... QUESTION",
                             help="The question, last; graph files or shipped names before it are a shorthand for -g/--graph.")
INDEX_OPTION = typer.Option(None, "--index", "-i", metavar="DIR",
                            help="Index folder to read (default: the cache; built if missing).")
INDEX_DIR_ARG = typer.Argument(..., metavar="DIR", help="An index folder.")


def _setup(graphs: list[str], format: str | None, model: str | None, device: str | None, inferred: bool,
           threads: int | None = None):
    """The graph (with its rules), the embedder, and — with --inferred — the reasoner."""
    from kgreason.reasoning import load_reasoner
    from kgreason.retrieval import Embedder

    if device is not None:  # a typo fails now, not only when a model first loads
        from kgreason.models.device import select_device

        select_device(device)
    reasoner = load_reasoner(graphs, format=format)
    return reasoner.kg, Embedder(model, device=device, threads=threads), reasoner if inferred else None


@contextmanager
def _chunk_progress(quiet: bool):
    """A ``progress(done, total)`` callback drawing a rich bar on stderr (none with --json)."""
    if quiet:
        yield None
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("embedding facts and labels"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("embed", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield progress


def _check_index_folder(folder: Path | None) -> None:
    """An index lives in a folder: an existing file given as --out/--index is a usage error."""
    if folder is not None and folder.exists() and not folder.is_dir():
        from kgreason.errors import InputError

        raise InputError("is a file, not an index folder", where=str(folder),
                         hint="give a new or existing folder for the index (e.g. -o my-index)")


@index_app.command("build")
def build(
    graphs: list[str] = GRAPHS_ARG,
    graph: list[str] = graph_option(),
    output: Path = OUT_OPTION,
    out: Path = hidden_alias("--out"),
    model: str = MODEL_OPTION,
    device: str = DEVICE_OPTION,
    inferred: bool = INFERRED_OPTION,
    threads: int = THREADS_OPTION,
    rebuild: bool = typer.Option(False, "--rebuild", help="Rebuild from scratch, replacing an index of another embedder or graph."),
    format: str = FORMAT_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """Embed every fact and label of the graph and save the index. An existing index of the same
    embedder in --output is updated in place (only changed facts are embedded)."""
    from kgreason.extras import require
    from kgreason.retrieval import RETRIEVAL_MODULES, Retriever

    require("models", *RETRIEVAL_MODULES, what="'kgreason index build'")

    out = pick_output(output, out, "--out")
    _check_index_folder(out)
    kg, embedder, reasoner = _setup(graphs_given(graphs, graph), format, model, device, inferred, threads)
    retriever = Retriever(kg, embedder=embedder, index_dir=out, reasoner=reasoner)
    with _chunk_progress(json) as progress:
        retriever.progress = progress  # big graphs: a bar over the chunks (each saved: resumable)
        result = retriever.build_index(rebuild=rebuild)
    data, counts = result.to_json(), result.counts
    action, directory = result.action, result.directory
    if json:
        print_json(data)
        return
    extra = f" (+{counts['added']} / -{counts['removed']} facts)" if counts else ""
    console.print(f"{action} index: {data['facts']} facts, {data['labels']} labels ({data['index_type']}, "
                  f"{data['dim']}-d, {data['embedder']}){extra} in {data['seconds']}s", highlight=False)
    console.print(f"[dim]{directory}[/]", highlight=False)


@index_app.command("search")
def search(
    args: list[str] = SEARCH_ARGS,
    graph: list[str] = graph_option(),
    k: int = typer.Option(10, "-k", "--top", min=1, help="How many facts to return."),
    index_dir: Path = INDEX_OPTION,
    radius: int = typer.Option(1, "--radius", min=0, help="Neighbourhood radius around linked entities."),
    model: str = MODEL_OPTION,
    device: str = DEVICE_OPTION,
    inferred: bool = INFERRED_OPTION,
    format: str = FORMAT_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """The facts most relevant to a question, the entities it names and their neighbourhood."""
    from kgreason.errors import InputError
    from kgreason.extras import require
    from kgreason.retrieval import RETRIEVAL_MODULES, Retriever

    require("models", *RETRIEVAL_MODULES, what="'kgreason index search'")
    _check_index_folder(index_dir)
    if len(args) + len(graph or ()) < 2:
        raise InputError("give at least one graph and a question",
                         hint='kgreason index search -g commonsense "Can penguins fly?"')
    *graphs, question = args
    kg, embedder, reasoner = _setup(graphs_given(graphs, graph), format, model, device, inferred)
    result = Retriever(kg, embedder=embedder, index_dir=index_dir, reasoner=reasoner).retrieve(question, k=k, radius=radius)
    if json:
        print_json({"question": question, **result.to_json(kg)})
        return
    from rich.table import Table

    table = Table(title=question, show_lines=False)
    for col in ("score", "fact", "triple", ""):
        table.add_column(col)
    for e in result.evidence:
        table.add_row(f"{e.score:.3f}", e.text, " ".join(kg.qname(x) for x in e.triple),
                      "inferred" if e.inferred else "")
    console.print(table)
    if result.entities:
        linked = ", ".join(f"{e.mention} → {kg.qname(e.node)} ({e.method} {e.score:.2f})" for e in result.entities)
        console.print(f"[bold]entities[/] {linked}", highlight=False)
    g = result.neighbourhood
    console.print(f"[dim]neighbourhood: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges; "
                  f"{sum(result.timings_ms.values()):.1f} ms[/]", highlight=False)


@index_app.command("info")
def info(directory: Path = INDEX_DIR_ARG, json: bool = JSON_OPTION) -> None:
    """Show an index's manifest (embedder, dimension, counts, graph fingerprint), checking its files."""
    from kgreason.retrieval.index import FactIndex

    index = FactIndex.load(directory)
    data = {k: v for k, v in index.manifest.items()}
    if json:
        print_json(data)
        return
    for key in ("embedder", "dim", "metric", "graph_fingerprint", "inferred", "kgreason_version", "updated"):
        console.print(f"{key}: {data.get(key)}", highlight=False)
    for name, meta in data["stores"].items():
        console.print(f"{name}: {meta['count']} ({meta['index_type']})", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(index_app, name="index")
