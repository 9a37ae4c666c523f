"""The reader stage on ParaRules dev crowd sentences: how many each path reads, and how many of the
readings it accepts are wrong (nothing may be misread silently).

Each theory of ``pararules-dev-sentences.jsonl`` is read as one English text, one crowd sentence a
line, through the reader stage (:mod:`kgreason.pipeline.reading`): the exact controlled-English
parser first (fast path), then — with ``--reader`` — the neural reader's proposal, confirmed by the
NLI verifier. A sentence's status is ``exact``, ``confirmed`` or ``not_understood``. An accepted
reading (exact or confirmed) is **correct** when its compiled form (facts and rules, names by
their local names, "someone … they" = "something … it") equals that of the gold templated text,
else **wrong**: the misreadings that must stay near 0.

    python benchmarks/reading_stage.py [--reader default] [--threshold 0.5] [--alternatives 4] [--limit THEORIES]
        [--device cpu] [--json] [--out benchmarks/reports/reading_stage.json] [--show 10]
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "pararules-dev-sentences.jsonl"


def _local(node) -> str:
    return str(node).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def compiled_form(text: str) -> frozenset:
    """Facts and rules (one per head atom; subclass axioms as rules) of controlled English, read
    by the fast path alone; None when a sentence of it is not read exactly."""
    from kgreason.language.english_graph import parse_theory, use_second_path

    with use_second_path(None):
        kg = parse_theory(text)
    if kg.issues:
        return None
    return graph_form(kg)


def graph_form(kg) -> frozenset:
    """The facts and rules of a graph read from English (labels and declarations left out), in
    the form :func:`compiled_form` gives: what a theory-level check compares with the formal form."""
    from rdflib import RDF, RDFS, SKOS

    from kgreason.core.rules import Var
    from kgreason.graph.vocab import ATTRIBUTE, KGR
    skip_p = {RDFS.label, SKOS.altLabel, KGR.negationOf}
    skip_o = {RDFS.Class, ATTRIBUTE, KGR.InheritableProperty}
    negative = {p: o for p, _, o in kg.rdf.triples((None, KGR.negationOf, None))}

    def term(t) -> str:
        return "?x" if isinstance(t, Var) else _local(t)

    out = set()
    for s, p, o in kg.rdf:
        if p in skip_p or (p == RDF.type and o in skip_o):
            continue
        if p == RDFS.subClassOf:
            out.add(((("?x", "type", _local(s), False),), ("?x", "type", _local(o), False)))
        elif p in negative:
            out.add(((), (_local(s), _local(negative[p]), _local(o), True)))
        else:
            out.add(((), (_local(s), _local(p), _local(o), False)))
    for rule in kg.rules:
        if not rule.body:  # background knowledge (WordNet links): not part of the text's form
            continue
        body = tuple(sorted((term(a.s), _local(a.p), term(a.o), a.negated) for a in rule.body))
        for h in rule.head:
            out.add((body, (term(h.s), _local(h.p), term(h.o), h.negated)))
    return frozenset(out)


def _reason_kind(why: str) -> str:
    """The kind of a refusal ("leaves out", "NLI", "names", "variant", …) for the summary."""
    for marker in ("leaves out", "not entailed", "does not say", "variant", "negat", "disjunction"):
        if marker in why:
            return marker
    return why.split(":")[0][:40]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=DEV)
    ap.add_argument("--reader", default=None, help='"default" (shipped) or a reader folder; none: fast path only')
    ap.add_argument("--threshold", type=float, default=0.5, help="NLI entailment needed to confirm")
    ap.add_argument("--alternatives", type=int, default=1,
                    help="readings checked in all where the first is refused (0/1: the first only)")
    ap.add_argument("--nli", default=None, help="NLI verifier that confirms readings (default: shipped)")
    ap.add_argument("--device", default=None)
    ap.add_argument("--limit", type=int, default=None, help="only the first N theories")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--show", type=int, default=10, help="print N wrong accepted readings")
    args = ap.parse_args()

    from kgreason.language.english_graph import parse_theory
    from kgreason.pipeline.reading import reader_stage

    rows = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    theories: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        theories[row["theory"]].append(row)
    names = list(theories)[: args.limit] if args.limit else list(theories)
    stage = reader_stage(args.reader, device=args.device, threshold=args.threshold, nli=args.nli,
                         alternatives=args.alternatives)
    texts = {name: "\n".join(" ".join(r["sentence"].split()) for r in theories[name]) for name in names}
    parse_theory("Bob is big. If someone is big then they are red.")  # imports, word lists
    start = time.perf_counter()
    if stage is not None:
        stage.prefetch(list(texts.values()))  # one batched neural reading of every sentence that needs it
    graphs = {name: parse_theory(texts[name], second_path=stage.second_path() if stage else None)
              for name in names}
    seconds = time.perf_counter() - start
    status: Counter[str] = Counter()
    outcome: Counter[str] = Counter()
    wrong: list[tuple[str, str, str]] = []
    refused: list[tuple[str, str, str]] = []
    for name in names:
        by_line = defaultdict(list)
        for reading in graphs[name].readings:
            by_line[reading.line].append(reading)
        for line, row in enumerate(theories[name], start=1):
            readings = by_line.get(line, [])
            if not readings or any(not r.understood for r in readings):
                kind = "not_understood"
            else:
                kind = "confirmed" if any(r.status == "confirmed" for r in readings) else "exact"
            status[kind] += 1
            if kind == "not_understood":
                # was the refused proposal right? (confirmation must not refuse too much)
                proposal = stage._proposals.get(" ".join(row["sentence"].split()), ("", 0.0))[0] \
                    if stage is not None else ""
                if proposal and compiled_form(proposal) == compiled_form(row["templated"]):
                    outcome["refused_correct"] += 1
                    why = next((r.reason for r in readings if not r.understood), "")
                    refused.append((row["sentence"], proposal, why))
                else:
                    outcome["refused_wrong_or_none"] += 1
                continue
            read_as = " ".join(r.text for r in readings)
            right = compiled_form(read_as) == compiled_form(row["templated"])
            outcome[f"{kind}_{'correct' if right else 'wrong'}"] += 1
            if not right:
                wrong.append((kind, row["sentence"], read_as))
    # theory level: a theory is read when its whole reading equals its formal form; a sentence's
    # accepted reading is wrong when it says something the theory's formal form does not say
    theories_read, theory_wrong = 0, 0
    for name in names:
        formal = compiled_form("\n".join(r["templated"] for r in theories[name]))
        got = graph_form(graphs[name])
        theories_read += bool(formal is not None and got == formal and not graphs[name].issues)
        for reading in graphs[name].readings:
            if reading.understood:
                form = compiled_form(reading.text) if reading.status == "confirmed" else \
                    compiled_form(reading.sentence)
                if form is None or formal is None or not form <= formal:
                    theory_wrong += 1
    n = sum(status.values())
    accepted = status["exact"] + status["confirmed"]
    report = {
        "machine": f"{platform.machine()}, {platform.python_version()}, {platform.node()}",
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "data": str(args.data.name), "theories": len(names), "sentences": n,
        "reader": args.reader, "nli": args.nli or "default", "threshold": args.threshold, "alternatives": args.alternatives,
        "status": dict(status), "outcome": dict(outcome),
        "confirmed_from_an_alternative": sum(1 for g in graphs.values() for r in g.readings
                                             if r.status == "confirmed" and "an alternative reading" in r.reason),
        "refusal_reasons": dict(Counter(_reason_kind(why) for *_, why in refused)),
        "accepted": accepted,
        "accepted_correct": outcome["exact_correct"] + outcome["confirmed_correct"],
        "accepted_wrong": outcome["exact_wrong"] + outcome["confirmed_wrong"],
        "wrong_rate_of_sentences": (outcome["exact_wrong"] + outcome["confirmed_wrong"]) / n if n else None,
        "correct_rate_of_sentences": (outcome["exact_correct"] + outcome["confirmed_correct"]) / n if n else None,
        "theories_read_as_formal": theories_read,
        "theories_read_share": round(theories_read / len(names), 4) if names else None,
        "accepted_wrong_theory_level": theory_wrong,
        "wrong_rate_theory_level": round(theory_wrong / n, 4) if n else None,
        "seconds": round(seconds, 2), "sentences_per_second": round(n / seconds, 1) if seconds else None,
        "reader_unavailable": stage.unavailable if stage is not None else None,
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report, indent=2) + "\n")
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(json.dumps({k: v for k, v in report.items()}, indent=2))
    for kind, sentence, read_as in wrong[: args.show]:
        print(f"WRONG ({kind}): {sentence!r} read as {read_as!r}")
    for sentence, proposal, why in refused[: args.show]:
        print(f"REFUSED BUT RIGHT: {sentence!r} proposed {proposal!r}: {why}")


if __name__ == "__main__":
    main()
