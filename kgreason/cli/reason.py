"""``kgreason materialize`` and ``kgreason prove``: run the reasoner from the command line."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from kgreason.cli.common import JSON_OPTION, console, err_console, print_json
from kgreason.errors import InputError
from kgreason.language.render import conflict_json, conflict_text, proof_text, verdict_json

if TYPE_CHECKING:
    from kgreason.graph.knowledge_graph import KnowledgeGraph
    from kgreason.reasoning import Reasoner

GRAPHS_ARG = typer.Argument(..., help="Graph files (any supported format) or shipped graph names.")
RULES_OPTION = typer.Option(None, "--rules", "-r", help="Extra rules file(s) in the rule syntax.")
CWA_OPTION = typer.Option(
    False,
    "--closed-world",
    help="Closed world: 'not' in rule bodies is negation as failure, and "
    "what cannot be derived is false.",
)

OUTPUT_OPTION = typer.Option(
    ..., "--output", "-o", help="Output file; format by extension (.nt, .ttl, ...)."
)
INFERRED_ONLY_OPTION = typer.Option(
    False, "--inferred-only", help="Write only the inferred triples."
)
TRIPLE_OPTION = typer.Option(
    ..., "--triple", "-t", help='The statement, e.g. "ex:Apple ex:canBe ex:EatenRaw".'
)


def _reasoner(
    paths: list[str], rules_files: list[Path] | None, closed_world: bool
) -> tuple[KnowledgeGraph, Reasoner]:
    from kgreason.reasoning import load_reasoner

    reasoner = load_reasoner(paths, rules=rules_files or (), closed_world=closed_world)
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
    output: Path = OUTPUT_OPTION,
    rules: list[Path] = RULES_OPTION,
    closed_world: bool = CWA_OPTION,
    inferred_only: bool = INFERRED_ONLY_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """Write asserted + inferred triples (the closure) to a file."""
    fmt = _output_format(output)
    if output.is_dir():
        raise InputError(
            "is a directory", where=str(output), hint="give a file name such as closure.nt"
        )
    kg, reasoner = _reasoner(paths, rules, closed_world)
    start = time.perf_counter()
    with err_console.status("reasoning…", spinner="dots"):
        from kgreason.reasoning import materialized_graph

        reasoner.materialize()
        not_rdf: list = []  # generalized triples (literal subject ...): not written, warned about
        graph = materialized_graph(reasoner, inferred_only=inferred_only, skipped=not_rdf)
    seconds = time.perf_counter() - start
    from kgreason.files import write_file_atomic

    output.parent.mkdir(parents=True, exist_ok=True)
    write_file_atomic(output, lambda tmp: graph.serialize(tmp, format=fmt, encoding="utf-8"))
    stats = reasoner.stats
    from rdflib import OWL, RDF

    reified = len(set(graph.subjects(RDF.type, OWL.NegativePropertyAssertion)))
    data = {
        "output": str(output),
        "format": fmt,
        "asserted": len(kg),
        "inferred": stats["derived"],
        "written": len(graph),
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
    triple: str = TRIPLE_OPTION,
    rules: list[Path] = RULES_OPTION,
    closed_world: bool = CWA_OPTION,
    json: bool = JSON_OPTION,
) -> None:
    """Say whether a triple holds (TRUE / FALSE / UNKNOWN) and show the proof."""
    kg, reasoner = _reasoner(paths, rules, closed_world)
    parts = re.findall(r'"(?:[^"\\]|\\.)*"(?:@[\w-]+|\^\^\S+)?|<[^>]*>|\S+', triple)
    if len(parts) != 3:
        raise InputError(
            f"--triple needs 3 terms (subject predicate object), got {len(parts)}",
            hint='e.g. --triple "ex:Apple ex:canBe ex:EatenRaw"',
        )
    s, p, o = (kg.resolve(x) for x in parts)
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


def register(app: typer.Typer) -> None:
    app.command("materialize")(materialize)
    app.command("prove")(prove)
