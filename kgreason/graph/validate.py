"""``kgreason graph validate``: problems a graph author wants to hear about before reasoning.

Errors (the graph is invalid, exit 1):

* ``parse`` — a file cannot be read (file:line:column), a missing file, an unknown extension;
* ``empty`` — no triples at all;
* ``subclass-cycle`` — A ⊑ B ⊑ … ⊑ A between distinct classes: the "most specific wins" rule for
  defaults has no most specific class there (self-loops A ⊑ A are harmless and ignored);
* ``negation-self`` — ``N kgr:negationOf N``;
* ``double-negation`` — ``N kgr:negationOf P`` where P is itself a negation: write the positive;
* ``ambiguous-negation`` — one N declared the negation of two different properties;
* ``negation-inheritance`` — N is a kgr:InheritableProperty but its positive P is not. Negatives
  inherit exactly when their positive does, so the declaration on N is either redundant (declare P)
  or wrong;
* ``contradiction`` — ``X N O`` and ``X P O`` (or an owl:NegativePropertyAssertion and the triple)
  are both asserted.

Warnings (reported; exit 1 only with ``--strict``):

* ``dangling-label`` — a node with labels that no other triple uses (usually a typo in an IRI);
* ``undeclared-negation`` — a property used in triples whose label reads like a negation
  ("cannot be", "is not", "does not have") but no ``kgr:negationOf`` says what it negates, so the
  reasoner treats it as an unrelated positive property;
* ``several-negations`` — two properties both declared the negation of the same P (allowed, but
  verbalization picks only one).
"""

from __future__ import annotations

import logging
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import OWL, RDF, RDFS
from rdflib.term import Node

from kgreason.errors import KGReasonError
from kgreason.graph.knowledge_graph import KnowledgeGraph
from kgreason.graph.vocab import KGR, LABEL_PREDICATES

if TYPE_CHECKING:
    from kgreason.graph.loaders import AfterFile

log = logging.getLogger(__name__)

_NEGATIVE_WORDS = re.compile(
    r"^(not|no|never|cannot|can ?not|can't|isn't|doesn't|does not|do not|"
    r"is not|are not|has no|must not|need not|won't|will not)\b",
    re.IGNORECASE,
)
_ANNOTATIONS = {*LABEL_PREDICATES, RDFS.comment, KGR.negationOf}


@dataclass
class Finding:
    severity: str  # "error" | "warning"
    kind: str
    message: str
    where: str | None = None

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


@dataclass
class ValidationReport:
    files: list[str]
    triples: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def valid(self, strict: bool = False) -> bool:
        return not self.errors and not (strict and self.warnings)

    def to_json(self, strict: bool = False) -> dict:
        return {
            "valid": self.valid(strict),
            "files": self.files,
            "triples": self.triples,
            "errors": [asdict(f) for f in self.errors],
            "warnings": [asdict(f) for f in self.warnings],
        }


def validate_files(
    paths: list[str | Path], format: str | None = None, *, after_file: AfterFile | None = None
) -> ValidationReport:
    """Load each file on its own (so every parse error is reported), then check the merged graph.
    ``after_file`` as in :func:`~kgreason.graph.loaders.load_graph`; its errors are findings too."""
    from kgreason.graph.loaders import load_file

    report = ValidationReport(files=[str(p) for p in paths])
    kg = KnowledgeGraph()
    for path in paths:
        try:
            one = load_file(path, format=format)
            if after_file is not None:
                after_file(Path(one.sources[-1]), one)
            kg.merge(one)
        except KGReasonError as exc:
            report.findings.append(
                Finding(
                    "error",
                    "parse",
                    exc.message + (f" — {exc.hint}" if exc.hint else ""),
                    exc.where or str(path),
                )
            )
    report.triples = len(kg)
    for issue in kg.issues:  # unreadable sentences, edges without a predicate, ...
        report.findings.append(Finding("warning", "load", issue))
    if len(kg) == 0 and not kg.rules and not report.errors:
        report.findings.append(
            Finding("error", "empty", "the graph is empty (no triples)", ", ".join(report.files))
        )
    report.findings.extend(validate_graph(kg))
    return report


def validate_graph(kg: KnowledgeGraph) -> list[Finding]:
    """All checks on a loaded graph (see the module docstring for what each finding means)."""
    return [*subclass_cycles(kg), *negation_findings(kg), *dangling_labels(kg)]


#: Classes named in a subclass-cycle finding; a longer cycle shows its start, "…", its end.
_CYCLE_SHOWN = 6


def subclass_cycles(kg: KnowledgeGraph) -> list[Finding]:
    import networkx as nx

    g = nx.DiGraph((s, o) for s, o in kg.rdf.subject_objects(RDFS.subClassOf) if s != o)
    findings = []
    for component in nx.strongly_connected_components(g):
        if len(component) < 2:
            continue
        cycle = [u for u, _ in nx.find_cycle(g.subgraph(component))]
        names = [kg.qname(n) for n in cycle]
        if len(names) > _CYCLE_SHOWN:  # a 10,000-class cycle must not become a 150 KB line
            hidden = len(names) - _CYCLE_SHOWN
            names = [*names[:_CYCLE_SHOWN - 2], f"… ({hidden} more)", *names[-2:]]
        chain = " ⊑ ".join([*names, names[0]])
        size = f" of {len(cycle)} classes" if len(cycle) > _CYCLE_SHOWN else ""
        if len(component) > len(cycle):
            size += f" ({len(component)} classes are in cycles with each other)"
        findings.append(
            Finding("error", "subclass-cycle", f"subclass cycle{size}: {chain}", kg.qname(cycle[0]))
        )
    return findings


def negation_findings(kg: KnowledgeGraph) -> list[Finding]:
    rdf, q = kg.rdf, kg.qname
    findings: list[Finding] = []
    positives: dict[Node, set[Node]] = {}
    for neg, pos in rdf.subject_objects(KGR.negationOf):
        positives.setdefault(neg, set()).add(pos)
    inheritable = set(rdf.subjects(RDF.type, KGR.InheritableProperty))
    negations_of: dict[Node, list[Node]] = {}
    for neg, poss in positives.items():
        if neg in poss:
            findings.append(
                Finding(
                    "error", "negation-self", f"{q(neg)} is declared the negation of itself", q(neg)
                )
            )
        if len(poss) > 1:
            names = " and ".join(sorted(q(p) for p in poss))
            findings.append(
                Finding(
                    "error",
                    "ambiguous-negation",
                    f"{q(neg)} is declared the negation of both {names}; keep one",
                    q(neg),
                )
            )
        for pos in poss - {neg}:
            negations_of.setdefault(pos, []).append(neg)
            if pos in positives:
                findings.append(
                    Finding(
                        "error",
                        "double-negation",
                        f"{q(neg)} kgr:negationOf {q(pos)}, which is itself a negation (of "
                        f"{', '.join(sorted(q(p) for p in positives[pos]))}); use the positive property instead",
                        q(neg),
                    )
                )
            if neg in inheritable and pos not in inheritable:
                findings.append(
                    Finding(
                        "error",
                        "negation-inheritance",
                        f"{q(neg)} is a kgr:InheritableProperty but its positive {q(pos)} is not; negatives "
                        f"inherit when their positive does — declare {q(pos)} inheritable instead",
                        q(neg),
                    )
                )
            for s, o in rdf.subject_objects(neg):
                if (s, pos, o) in rdf:
                    findings.append(
                        Finding(
                            "error",
                            "contradiction",
                            f"both ({q(s)} {q(pos)} {q(o)}) and ({q(s)} {q(neg)} {q(o)}) are asserted",
                            q(s),
                        )
                    )
    for npa in rdf.subjects(RDF.type, OWL.NegativePropertyAssertion):
        s = rdf.value(npa, OWL.sourceIndividual)
        p = rdf.value(npa, OWL.assertionProperty)
        o = rdf.value(npa, OWL.targetIndividual) or rdf.value(npa, OWL.targetValue)
        if None not in (s, p, o) and (s, p, o) in rdf:
            findings.append(
                Finding(
                    "error",
                    "contradiction",
                    f"({q(s)} {q(p)} {q(o)}) is asserted and also denied by an "
                    "owl:NegativePropertyAssertion",
                    q(s),
                )
            )
    for pos, negs in negations_of.items():
        if len(negs) > 1:
            findings.append(
                Finding(
                    "warning",
                    "several-negations",
                    f"{q(pos)} has several negations ({', '.join(sorted(q(n) for n in negs))})",
                    q(pos),
                )
            )
    for prop in set(rdf.predicates(unique=True)) - set(positives):
        if kg.has_label(prop) and _NEGATIVE_WORDS.match(kg.label(prop)):
            findings.append(
                Finding(
                    "warning",
                    "undeclared-negation",
                    f"{q(prop)} ({kg.label(prop)!r}) reads like a negation but has no kgr:negationOf; "
                    f"add `{q(prop)} kgr:negationOf <positive property>` so it means not(...)",
                    q(prop),
                )
            )
    return findings


def dangling_labels(kg: KnowledgeGraph) -> list[Finding]:
    rdf = kg.rdf
    labelled = {s for pred in LABEL_PREDICATES for s in rdf.subjects(pred, None)}
    findings = []
    for node in labelled:
        used = (
            any(p not in _ANNOTATIONS for _, p, _ in rdf.triples((node, None, None)))
            or next(iter(rdf.triples((None, None, node))), None) is not None
            or next(iter(rdf.triples((None, node, None))), None) is not None
            or next(iter(rdf.triples((node, KGR.negationOf, None))), None) is not None
        )
        if not used:
            findings.append(
                Finding(
                    "warning",
                    "dangling-label",
                    f"labelled {kg.label(node)!r} but used in no other triple — a typo in its IRI?",
                    kg.qname(node),
                )
            )
    return sorted(findings, key=lambda f: f.where or "")
