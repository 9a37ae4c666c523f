"""``kgreason materialize`` and ``kgreason prove``: run the reasoner from the command line."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kgreason.cli.common import (
    JSON_OPTION,
    console,
    err_console,
    graph_option,
    graphs_given,
    print_json,
    usage_error,
)
from kgreason.errors import InputError
from kgreason.language.render import conflict_json, conflict_text, proof_text, verdict_json

if TYPE_CHECKING:
    from kgreason.graph.knowledge_graph import KnowledgeGraph
    from kgreason.reasoning import Reasoner

GRAPHS_ARG = typer.Argument(
    None, metavar="GRAPH",
    help="Graph files (any supported format) or shipped graph names: a shorthand for -g/--graph.")
GRAPH_OPTION = graph_option()
RULES_OPTION = typer.Option(None, "--rules", "-r", metavar="FILE", help="Extra rules file(s) in the rule syntax.")
CWA_OPTION = typer.Option(
    False,
    "--closed-world/--open-world",
    help="Closed world: 'not' in rule bodies is negation as failure, and "
    "what cannot be derived is false.",
)

OUTPUT_OPTION = typer.Option(
    ..., "--output", "-o", metavar="FILE", help="Output file; format by extension (.nt, .ttl, ...)."
)
INFERRED_ONLY_OPTION = typer.Option(
    False, "--inferred-only", help="Write only the inferred triples."
)
TRIPLE_OPTION = typer.Option(
    None, "--triple", "-t", metavar="TRIPLE", help='The statement, e.g. "ex:Apple ex:canBe ex:EatenRaw".'
)
STATEMENT_OPTION = typer.Option(
    None, "--statement", "-s", metavar="TEXT",
    help='An English statement over a first-order English theory (.txt: all, some, either … or), '
    'decided by the theorem prover, e.g. "Some manager has a laptop."')


MAX_FACTS_OPTION = typer.Option(
    None, "--max-facts", min=1, metavar="N",
    help="Stop a closure above N facts (default: from the machine's memory; KGREASON_MAX_FACTS).")
REASONING_OPTION = typer.Option(
    "materialize", "--reasoning", metavar="STRATEGY",
    help="materialize (the whole closure first) | query-time (derive only what the question "
    "needs: graphs too big to materialize) | auto (query-time when the closure would pass --max-facts) "
    "| a plugin's strategy (see `kgreason plugins`).")


def check_strategy(strategy: str) -> str:
    """The --reasoning value (a registered strategy), or a usage error (exit 2)."""
    from kgreason.plugins import strategies

    if strategy not in strategies:
        raise typer.BadParameter(f"unknown strategy {strategy!r}: use one of {', '.join(strategies.names())} "
                                 "(see `kgreason plugins`)", param_hint="--reasoning")
    return strategy


def _reasoner(
    paths: list[str], rules_files: list[Path] | None, closed_world: bool,
    max_facts: int | None = None, strategy: str = "materialize", progress=None,
) -> tuple[KnowledgeGraph, Reasoner]:
    from kgreason.reasoning import load_reasoner

    reasoner = load_reasoner(paths, rules=rules_files or (), closed_world=closed_world,
                             max_facts=max_facts, strategy=strategy, progress=progress)
    return reasoner.kg, reasoner


def _output_format(path: Path) -> str:
    from rdflib.util import guess_format

    fmt = guess_format(str(path))
    if fmt is None:
        raise InputError(
            f"cannot tell the output format from {path.name!r}",
            hint="use an extension such as .nt, .ttl, .rdf, .jsonld, .trig or .nq",
        )
    return fmt


def materialize(
    paths: list[str] = GRAPHS_ARG,
    graph: list[str] = GRAPH_OPTION,
    output: Path = OUTPUT_OPTION,
    rules: list[Path] = RULES_OPTION,
    closed_world: bool = CWA_OPTION,
    inferred_only: bool = INFERRED_ONLY_OPTION,
    max_facts: int = MAX_FACTS_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """Write asserted + inferred triples (the closure) to a file."""
    paths = graphs_given(paths, graph)
    fmt = _output_format(output)
    if output.is_dir():
        raise InputError(
            "is a directory", where=str(output), hint="give a file name such as closure.nt"
        )
    from kgreason.cli.progress import closure_progress
    from kgreason.files import write_file_atomic

    output.parent.mkdir(parents=True, exist_ok=True)
    not_rdf: list = []  # generalized triples (literal subject ...): not written, warned about
    with closure_progress(None if not json else False) as progress:
        kg, reasoner = _reasoner(paths, rules, closed_world, max_facts, progress=progress)
        start = time.perf_counter()
        reasoner.materialize()
        seconds = time.perf_counter() - start
        if fmt == "nt":  # streamed from the reasoner's store: no rdflib graph of the closure
            from kgreason.reasoning import write_ntriples

            counts: dict = {}
            write_file_atomic(output, lambda tmp: counts.update(
                write_ntriples(reasoner, tmp, inferred_only=inferred_only, skipped=not_rdf)))
            written, reified = counts["written"], counts["negative_property_assertions"]
        else:
            from rdflib import OWL, RDF

            from kgreason.reasoning import materialized_graph

            graph = materialized_graph(reasoner, inferred_only=inferred_only, skipped=not_rdf)
            write_file_atomic(output, lambda tmp: graph.serialize(tmp, format=fmt, encoding="utf-8"))
            written = len(graph)
            reified = len(set(graph.subjects(RDF.type, OWL.NegativePropertyAssertion)))
    stats = reasoner.stats
    data = {
        "output": str(output),
        "format": fmt,
        "asserted": len(kg),
        "inferred": stats["derived"],
        "written": written,
        "negative_property_assertions": reified,
        "not_rdf_skipped": len(not_rdf),
        "rounds": stats["rounds"],
        "seconds": round(seconds, 3),
        "closed_world": closed_world,
        "contradictions": [conflict_json(c, kg) for c in reasoner.contradictions],
        "conflicts": [conflict_json(c, kg) for c in reasoner.conflicts],
        "rules": {k: v for k, v in stats["per_rule"].items() if v},
    }
    if json:
        print_json(data)
        return
    console.print(
        f"wrote {data['written']} triples to {output} ({data['asserted']} asserted, "
        f"{data['inferred']} inferred, {data['rounds']} rounds, {data['seconds']}s)",
        highlight=False,
    )
    if reified:  # why "written" exceeds asserted + inferred
        console.print(
            f"{reified} negative facts without a negation property are written as "
            "owl:NegativePropertyAssertion (4 triples each)",
            highlight=False,
        )
    for c in reasoner.contradictions:
        console.print(f"[yellow]{conflict_text(c, kg)}[/yellow]")
    for c in reasoner.conflicts:
        console.print(f"[yellow]{conflict_text(c, kg)}[/yellow]")


def prove(
    paths: list[str] = GRAPHS_ARG,
    graph: list[str] = GRAPH_OPTION,
    triple: str = TRIPLE_OPTION,
    statement: str = STATEMENT_OPTION,
    rules: list[Path] = RULES_OPTION,
    closed_world: bool = CWA_OPTION,
    reasoning: str = REASONING_OPTION,
    max_facts: int = MAX_FACTS_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """Say whether a triple holds (TRUE / FALSE / UNKNOWN) and show the proof; over a
    first-order English theory, whether a statement (-s) follows (TRUE / FALSE / UNKNOWN /
    INCONSISTENT), with the prover's steps or a countermodel."""
    paths = graphs_given(paths, graph)
    if (triple is None) == (statement is None):
        raise usage_error("give what to prove: -t/--triple 'S P O' (any graph) or -s/--statement "
                          "'an English sentence' (a first-order English theory)")
    if statement is not None:
        _prove_statement(paths, statement, closed_world, json)
        return
    check_strategy(reasoning)
    from kgreason.cli.progress import closure_progress

    with closure_progress(None if not json else False) as progress:
        kg, reasoner = _reasoner(paths, rules, closed_world, max_facts, reasoning, progress)
        from kgreason.graph.terms import triple_terms

        s, p, o = (kg.resolve(x) for x in triple_terms(triple))
        verdict = reasoner.holds(s, p, o)
    if json:
        print_json(verdict_json(verdict, kg))
        return
    color = {"true": "green", "false": "red", "unknown": "yellow"}[verdict.value.value]
    console.print(f"[bold {color}]{verdict.value.value.upper()}[/bold {color}]  {triple}")
    if verdict.proof is not None:
        console.print(proof_text(verdict.proof, kg), markup=False, highlight=False)
    for line in verdict.missing:
        console.print(f"missing: {line}", markup=False, highlight=False, soft_wrap=True)
    for c in verdict.conflicts:
        console.print(f"conflict: {conflict_text(c, kg)}", markup=False, highlight=False, soft_wrap=True)
    for term in _absent_terms(kg, (s, p, o)):
        err_console.print(
            f"note: {kg.qname(term)} does not occur in the graph — check it for a typo",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )


def _prove_statement(paths: list[str], statement: str, closed_world: bool, json: bool) -> None:
    from kgreason.cli.first_order import show_result
    from kgreason.pipeline.first_order import answer_first_order, first_order_premises

    theory = None if closed_world else first_order_premises(paths)
    if theory is None:
        raise InputError(
            f"-s/--statement reads first-order English theories; {', '.join(paths)} "
            + ("is read in the closed world" if closed_world else "is not one (an RDF graph, or English the reasoner reads)"),
            hint="give the statement as a triple (-t 'S P O'), or ask it: kgreason ask -g GRAPH \"QUESTION?\"")
    premises = [s for *_, s in theory]
    show_result(answer_first_order(premises, statement), statement, premises, json)


def _absent_terms(kg: KnowledgeGraph, terms: tuple) -> list:
    """IRIs of a --triple that no triple of the graph mentions (usually a typo), leaving out
    the RDF/RDFS/OWL/kgr vocabulary, which the reasoner knows without the graph using it."""
    from rdflib import OWL, RDF, RDFS, URIRef

    from kgreason.graph.vocab import KGR

    vocab = (str(RDF), str(RDFS), str(OWL), str(KGR))
    absent = []
    for term in terms:
        if not isinstance(term, URIRef) or str(term).startswith(vocab):
            continue
        if (term, None, None) in kg.rdf or (None, term, None) in kg.rdf:
            continue
        if (None, None, term) not in kg.rdf:
            absent.append(term)
    return absent


rules_app = typer.Typer(help="The reasoner's rules (RDFS, OWL 2 RL under their W3C ids, kgr:).",
                        no_args_is_help=True)


@rules_app.command("list")
def rules_list(
    paths: list[str] = typer.Argument(
        None, metavar="GRAPH", help="Graph files: also list the rules written out for their lists, "
        "cardinality restrictions and literals (cls-int1#1, prp-spo2#1, ...); a shorthand for -g/--graph."),
    graph: list[str] = graph_option("Graph file (repeatable): also list the rules written out for it."),
    table: str = typer.Option(None, "--table", help="Only one W3C table: equality, properties, "
                              "classes, class axioms, datatypes, schema, kgreason."),
    json: bool = JSON_OPTION,
) -> None:
    """Every rule with its W3C id, in the rule syntax proofs show."""
    from rich.markup import escape
    from rich.table import Table

    from kgreason.reasoning import load_graph_with_rules, owl_rules_table

    paths = graphs_given(paths, graph, required=False)
    kg = load_graph_with_rules(paths) if paths else None
    rows = owl_rules_table(kg)
    if table:
        tables = sorted({r["table"] for r in rows})
        if table not in tables:
            raise InputError(f"unknown rule table {table!r}", hint=f"use one of: {', '.join(tables)}")
        rows = [r for r in rows if r["table"] == table]
    if json:
        print_json({"rules": rows, "count": len(rows)})
        return
    out = Table(show_lines=False)
    for col in ("id", "W3C", "table", "kind", "rule"):
        out.add_column(col, overflow="fold")
    for r in rows:
        out.add_row(escape(r["id"]), escape(r["w3c"] or "-"), r["table"], r["kind"], escape(r["text"]))
    console.print(out)
    console.print(f"{len(rows)} rules", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("materialize")(materialize)
    app.command("prove")(prove)
    app.add_typer(rules_app, name="rules")
