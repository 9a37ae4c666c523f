"""``kgreason ask "question"``: yes / no / unknown, with the proof and the evidence."""

from __future__ import annotations

from pathlib import Path

import typer

from kgreason.cli.common import JSON_OPTION, console, print_json

_COLOURS = {"yes": "green", "no": "red", "unknown": "yellow"}


def ask(
    question: str = typer.Argument(..., metavar="QUESTION", help='A question, e.g. "Can apples be eaten raw?" or "Which birds cannot fly?"'),
    graph: list[str] = typer.Option(None, "--graph", "-g", metavar="GRAPH", help="Graph file or shipped name (repeatable); replaces the pipeline's graphs."),
    pipeline: str = typer.Option("default", "--pipeline", "-p", metavar="PIPELINE", help="Shipped pipeline name or a YAML path."),
    closed_world: bool = typer.Option(None, "--closed-world/--open-world", help="Override the pipeline's world assumption."),
    mode: str = typer.Option(None, "--mode", "-m", metavar="MODE", help="symbolic | neural | hybrid | a plugin's mode (see `kgreason plugins`; overrides the pipeline)."),
    explain: bool = typer.Option(False, "--explain", help="Yes/no: write a fluent answer with the generator (checked by the verifier); open questions: the full proof of each answer."),
    nli_model: str = typer.Option(None, "--nli-model", help="NLI verifier: a Hugging Face id or folder (default: the pipeline's)."),
    device: str = typer.Option(None, "--device", help="cpu | cuda | mps (default: the pipeline's, else the best found)."),
    evidence: int = typer.Option(5, "--evidence", "-e", help="How many evidence facts to show (text output)."),
    reasoning: str = typer.Option(None, "--reasoning", metavar="STRATEGY", help="materialize | query-time (derive only what the question needs: graphs too big to materialize) | auto | a plugin's strategy (see `kgreason plugins`; default: the pipeline's)."),
    max_facts: int = typer.Option(None, "--max-facts", min=1, metavar="N", help="Stop a closure above N facts (default: from the machine's memory; KGREASON_MAX_FACTS)."),
    background: bool = typer.Option(None, "--background/--no-background", help="Consult WordNet for class memberships the graph lacks ('Is the sun a star?'; default: the pipeline's reasoning.background, on in the shipped ones)."),
    proof_graph: Path = typer.Option(None, "--proof-graph", metavar="FILE", help="Also write the proof as a graph (premises → rule → conclusion): FILE.graphml or FILE.json."),
    json: bool = JSON_OPTION,
) -> None:
    """Answer a question from the knowledge graph, with a proof: yes/no ("Can penguins fly?"),
    which / what / who / how many (every answer listed with its proof), why, "What is X?"."""
    from kgreason.language.english_check import require_english

    require_english(question)  # before the pipeline (and any model) is imported: one line, at once
    from kgreason.pipeline import Pipeline

    if mode is not None:
        from kgreason.plugins import modes

        if mode not in modes:
            raise typer.BadParameter(f"unknown mode {mode!r}: use one of {', '.join(modes.names())} "
                                     "(see `kgreason plugins`)", param_hint="--mode")
    if device is not None:  # a typo fails now, not when a model first loads
        from kgreason.models.device import select_device

        select_device(device)
    if proof_graph is not None:  # a bad file name fails before the question is answered
        from kgreason.language.proof_graph import proof_graph_format

        proof_graph_format(proof_graph)
    pipe = Pipeline.from_config(pipeline, graphs=graph or None, closed_world=closed_world, mode=mode)
    if nli_model is not None:
        pipe.config.models.verifier = nli_model
    if device is not None:
        pipe.config.models.device = device
    if reasoning is not None:
        from kgreason.cli.reason import check_strategy

        pipe.config.reasoning.strategy = check_strategy(reasoning)
    if max_facts is not None:
        pipe.config.reasoning.max_facts = max_facts
    if background is not None:
        pipe.config.reasoning.background = background
    answer = pipe.ask(question, explain=explain)
    if proof_graph is not None:
        from kgreason.language.proof_graph import write_proof_graph

        drawn = answer.proof_graph()
        write_proof_graph(drawn, proof_graph)
        if not json:
            console.print(f"[dim]proof graph ({drawn.number_of_nodes()} nodes, "
                          f"{drawn.number_of_edges()} edges) written to {proof_graph}[/]", highlight=False)
    if answer.first_order is not None:  # a first-order theory: the prover's own account
        _print_first_order(answer, json)
        return
    for issue in pipe.kg.issues:
        console.print(f"[yellow]warning:[/] {issue}", highlight=False) if not json else None
    if json:
        print_json(answer.ask_json())  # with the sentences of English graphs not understood
        return
    if answer.is_open:
        _print_open(answer, explain)
        console.print(f"[dim]answered in {answer.timings_ms.get('total', 0):.0f} ms[/]")
        return
    colour = _COLOURS[answer.answer]
    console.print(f"[bold {colour}]{answer.answer}[/]  {answer.statement}", highlight=False)
    if answer.read_as and answer.read_as.get("accepted"):  # never a silent (neural) reading
        console.print(f"[dim]read by the neural reader as: {answer.read_as['text']} "
                      f"(confidence {answer.read_as['confidence']:.2f})[/]", highlight=False)
    if answer.explanation and answer.explanation.get("text"):
        console.print(f"  {answer.explanation['text']}", highlight=False)
    if answer.proof and not (answer.is_quantified and answer.items):  # those list their own
        console.print("[bold]because[/]")
        for line in answer.proof:
            console.print(f"  • {line}", highlight=False)
    elif answer.reason or answer.is_quantified:
        console.print(f"[dim]{answer.reason}[/]", highlight=False)
    if answer.is_quantified and answer.items:  # "all": every exception; "any": the witnesses
        console.print(f"[bold]{'exceptions' if answer.kind == 'all' else 'witnesses'}[/]")
        for item in answer.answers_json():
            console.print(f"  • {item['label']}  [dim]{item['reason']}[/]", highlight=False)
    for conflict in answer.conflicts:
        console.print(f"[yellow]conflict:[/] {conflict['text']}", highlight=False)
    judgement = answer.decision.judgement
    if judgement is not None:
        probs = ", ".join(f"{k} {v:.2f}" for k, v in judgement.probs.items())
        console.print(f"[dim]decided by the NLI verifier ({probs})[/]", highlight=False)
    if evidence and answer.evidence:
        console.print("[bold]evidence[/]")
        for e in answer.evidence[:evidence]:
            flag = " (inferred)" if e.inferred else ""
            console.print(f"  {e.score:.2f}  {e.text}{flag}", highlight=False)
    elif evidence and answer.evidence_note:  # why there is none (no index yet, no models extra)
        console.print(answer.evidence_note, style="dim", markup=False, highlight=False, soft_wrap=True)
    console.print(f"[dim]answered in {answer.timings_ms.get('total', 0):.0f} ms[/]")


def _print_first_order(answer, json: bool) -> None:
    """A question over a first-order theory: the answer, the prover's numbered steps naming the
    premises (re-checked), or the world where the premises hold and the statement fails; the
    sentences not understood."""
    data = answer.ask_json()
    if json:
        print_json(data)
        return
    for u in data["not_understood"]:
        console.print(f"[yellow]warning:[/] {u['source']}:{u['line']}: {u['sentence']} — not understood "
                      f"({u['reason']}); left out of the premises", highlight=False)
    fo = answer.first_order
    colour = _COLOURS[answer.answer]
    console.print(f"[bold {colour}]{answer.answer}[/]  {answer.statement}", highlight=False)
    if answer.proof:
        checked = " (re-checked on the premises used alone)" if fo.get("rechecked") else ""
        console.print(f"[bold]because[/] [dim]proved by z3{checked}[/]", highlight=False)
        for line in answer.proof:
            console.print(f"  {line}", markup=False, highlight=False)
    if fo.get("countermodel"):
        console.print("[bold]a world where every premise holds and the statement does not[/]")
        for line in fo["countermodel"]:
            console.print(f"  • {line}", markup=False, highlight=False)
    if answer.reason:
        console.print(f"[dim]{answer.reason}[/]", highlight=False)
    console.print(f"[dim]answered in {answer.timings_ms.get('total', 0):.0f} ms[/]")


def _print_open(answer, explain: bool) -> None:
    """The answers, one line each with the reason (the last step of its proof); --explain: all of
    the proof."""
    n = len(answer.items)
    if answer.kind == "how_many":  # a number proved, or says so: never a "0" for "not known"
        header = str(answer.count) if answer.count is not None else "no count proved"
    elif n == 0:  # open world: none was proved, not "none exist"
        header = "no answer proved"
    else:
        header = f"{n} answer{'s' if n != 1 else ''}"
    proved = n or (answer.kind == "how_many" and answer.count is not None)
    colour = "green" if proved else "yellow"
    console.print(f"[bold {colour}]{header}[/]  {answer.statement}", highlight=False)
    if not proved:
        console.print(f"[dim]{answer.reason}[/]", highlight=False)
    if answer.counted and answer.count is not None:  # a count: its proof, as for yes / no
        console.print("[bold]because[/]")
        for item in answer.answers_json():
            for line in item["proof"]:
                console.print(f"  • {line}", highlight=False)
        return
    for item in answer.answers_json():
        if explain:
            console.print(f"  • {item['label']}", highlight=False)
            for line in item["proof"]:
                console.print(f"      {line}", highlight=False)
        else:
            console.print(f"  • {item['label']}  [dim]{item['reason']}[/]", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
