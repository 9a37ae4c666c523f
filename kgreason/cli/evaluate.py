"""``kgreason eval``: batch evaluation of datasets in symbolic, neural and hybrid modes."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from kgreason.cli.common import JSON_OPTION, console, err_console, hidden_alias, pick_output, print_json
from kgreason.errors import InputError

DATASETS_ARG = typer.Argument(..., metavar="DATASET...", help="Dataset files or HF dataset folders.")
GRAPH_OPTION = typer.Option(
    [], "--graph", "-g", metavar="GRAPH",
    help="Graph file or shipped name the `questions` format is asked against (repeatable)."
)
REPORT_OPTION = typer.Option(
    None,
    "--output",
    "-o",
    metavar="DIR",
    help="Write report.json, report.md, predictions.jsonl and plots to this folder.",
)
WORLD_OPTION = typer.Option(
    None,
    "--closed-world/--open-world",
    help="Override the world assumption (default: from ids, else open).",
)


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_command(
        datasets: list[Path] = DATASETS_ARG,
        format: str = typer.Option(
            "auto", "--format", "-f", metavar="FORMAT", help="auto | nli | folio | logiclm | proofwriter | questions | a plugin's format (see `kgreason plugins`)."
        ),
        mode: str = typer.Option(
            "symbolic", "--mode", "-m", metavar="MODE", help="symbolic | neural | hybrid | a plugin's mode (see `kgreason plugins`) | all."
        ),
        pipeline: str = typer.Option(
            None,
            "--pipeline",
            "-p",
            metavar="PIPELINE",
            help="Pipeline config (name or YAML): "
            "answers graph questions; its verifier/device serve neural modes.",
        ),
        graph: list[Path] = GRAPH_OPTION,
        report: Path = REPORT_OPTION,
        report_alias: Path = hidden_alias("--report"),
        limit: int = typer.Option(None, "--limit", "-n", min=1, help="Only the first N examples."),
        split: str = typer.Option(None, "--split", help="Split of a HF dataset folder."),
        workers: int = typer.Option(1, "--workers", "-w", min=1, help="Processes (or Ray actors)."),
        engine: str = typer.Option("local", "--engine", help="local | ray | a plugin's engine (see `kgreason plugins`)."),
        ray_address: str = typer.Option(
            None, "--ray-address", help="Ray cluster (default: local)."
        ),
        batch_size: int = typer.Option(64, "--batch-size", min=1, help="Examples per batch."),
        resume: bool = typer.Option(False, "--resume", help="Skip examples already in the --output folder."),
        closed_world: bool = WORLD_OPTION,
        verifier_threshold: float = typer.Option(
            0.5, "--verifier-threshold", min=0.0, max=1.0,
            help="Hybrid/neural: below this probability the verifier's answer is unknown.",
        ),
        verifier_min_unread: float = typer.Option(
            0.5, "--verifier-min-unread", min=0.0, max=1.0,
            help="Hybrid: where the reasoner is undecided over a partly read context, the verifier "
            "decides only when at least this share of the context was not understood.",
        ),
        nli_model: str = typer.Option(
            None, "--nli-model", help="NLI verifier model (default: shipped)."
        ),
        reader: str = typer.Option(
            None, "--reader",
            help='Neural reader for context sentences the controlled parser does not read exactly '
            '("default" = shipped, a `kgreason train reader` folder, or a registered reader: see '
            '`kgreason plugins`); readings are confirmed by '
            "the NLI verifier. Used in every mode that reads the context, loaded only when a "
            "sentence needs it. Default: the pipeline's (--pipeline), else the shipped one.",
        ),
        no_reader: bool = typer.Option(
            False, "--no-reader",
            help="Read contexts with the controlled parser alone (sentences it does not read are "
            "reported as not understood).",
        ),
        reader_threshold: float = typer.Option(
            0.5, "--reader-threshold", min=0.0, max=1.0,
            help="NLI entailment probability a neural reading needs to be confirmed.",
        ),
        reader_alternatives: int = typer.Option(
            1, "--reader-alternatives", min=0, max=16,
            help="Where a neural reading is refused, check up to this many readings in all "
            "(0 or 1: the first only).",
        ),
        background: bool = typer.Option(
            True, "--background/--no-background",
            help="Theories: add WordNet's class links the text leaves unsaid (\"the bear\" is an "
            "animal), each shown in the proofs that use it; needs Debian's wordnet-base.",
        ),
        first_order: bool = typer.Option(
            True, "--first-order/--no-first-order",
            help="Theories that need first-order logic (either … or, some, only, neither … nor) go "
            "to the z3 prover; Horn theories stay on the reasoner.",
        ),
        prover_timeout: float = typer.Option(
            10.0, "--prover-timeout", min=0.1, help="Seconds the prover may take per problem.",
        ),
        device: str = typer.Option(
            None, "--device", help="cpu | cuda | mps (default: best found)."
        ),
        progress: bool = typer.Option(True, "--progress/--no-progress", help="Show progress bars."),
        json_output: bool = JSON_OPTION,
    ) -> None:
        """Evaluate DATASET(s): accuracy, macro-F1, by depth, parse coverage, proof validity, speed.

        Formats: premise/hypothesis/label (JSONL, CSV, TSV, Parquet, HF save_to_disk folder;
        SNLI/MNLI sentence1/sentence2/gold_label; integer labels in MNLI order 0 entailment,
        1 neutral, 2 contradiction; "-" skipped), Logic-LM JSON, ProofWriter JSONL, and
        question/answer JSONL asked against --graph (open questions give "answers" as a list of
        labels, scored by answer-set precision/recall/F1 and exact match). Labels:
        entailment/contradiction/neutral = true/false/unknown = yes/no/unknown.
        """
        from kgreason.evaluation.datasets import read_dataset
        from kgreason.evaluation.modes import EvalConfig
        from kgreason.evaluation.runner import RunOptions, evaluate
        from kgreason.plugins import engines, modes as registered

        report = pick_output(report, report_alias, "--report")
        modes = registered.names() if mode == "all" else [mode]
        if mode != "all" and mode not in registered:
            raise InputError(f"unknown mode {mode!r}", hint=f"use one of {', '.join(registered.names())} "
                             "or all (see `kgreason plugins`)")
        engines.check(engine)
        if report is not None and report.exists() and not report.is_dir():
            raise InputError(
                "is a file, not a report folder",
                where=str(report),
                hint="give a new or existing folder for -o/--output",
            )
        if resume and report is None:
            raise InputError(
                "--resume needs -o/--output DIR", hint="give the folder of the run to continue"
            )
        dataset = read_dataset(
            datasets, format, split=split, limit=limit, closed_world=closed_world
        )
        if not dataset.examples:
            raise InputError("no examples to evaluate", hint=f"skipped: {dataset.skipped}")
        needs_graph = any(e.kind == "questions" for e in dataset.examples)
        if needs_graph and not graph and not pipeline:
            raise InputError(
                "question/answer datasets are asked against a graph",
                hint="pass --graph FILE (or a shipped name like commonsense), or --pipeline NAME",
            )
        if graph and not needs_graph:
            err_console.print(
                "warning: --graph is only used for question/answer datasets; ignored here",
                highlight=False,
            )
        config = EvalConfig(
            mode=modes[0],
            graphs=[str(g) for g in graph],
            pipeline=pipeline,
            nli_model=nli_model,
            reader=reader,
            reader_threshold=reader_threshold,
            reader_alternatives=reader_alternatives,
            background=background,
            first_order=first_order,
            prover_timeout=prover_timeout,
            device=device,
            verifier_threshold=verifier_threshold,
            verifier_min_unread=verifier_min_unread,
        )
        if pipeline:
            _apply_pipeline(config, pipeline)
        if no_reader:
            if reader:
                raise InputError("--reader and --no-reader contradict each other",
                                 hint="give one of them")
            config.reader = None
        elif config.reader is None:
            config.reader = "default"  # like `ask`: free English goes to the shipped reader
        options = RunOptions(
            report_dir=str(report) if report else None,
            resume=resume,
            workers=workers,
            engine=engine,
            ray_address=ray_address,
            batch_size=batch_size,
            progress=progress and not json_output,
        )
        result = evaluate(dataset, modes, config, options)
        if report is not None:
            from kgreason.evaluation.report import write_report

            write_report(result, report)
        if json_output:
            print_json(result.to_json())
            return
        _render(result, report)


def _apply_pipeline(config, pipeline: str) -> None:
    """Take the verifier model and device from a pipeline config (explicit options win); graph
    questions are then answered by that pipeline (its graphs unless --graph is given)."""
    from kgreason.config import load_config

    settings = load_config(pipeline)
    if settings.models.verifier not in (None, "default"):
        config.nli_model = config.nli_model or settings.models.verifier
    config.reader = config.reader or settings.models.reader
    config.device = config.device or settings.models.device


def _render(result, report: Path | None) -> None:
    from kgreason.evaluation.report import comparison_rows

    data = result.dataset
    console.print(
        f"[bold]{data['examples']}[/] examples ({data['format']}), "
        f"skipped {data['skipped'] or 0}, fingerprint {data['fingerprint']}"
    )
    table = Table(title="Comparison")
    for column in ("mode", "n", "acc", "F1", "parsed", "proofs ok", "err", "ex/s"):
        table.add_column(column, justify="left" if column == "mode" else "right", no_wrap=True)
    for r in comparison_rows(result):
        table.add_row(
            r["mode"],
            str(r["n"]),
            _pct(r["accuracy"]),
            _pct(r["macro_f1"]),
            _pct(r["parse_coverage"]),
            _pct(r["proof_validity"]),
            str(r["errors"]),
            "–" if r["throughput"] is None else f"{r['throughput']:.1f}",
        )
    console.print(table)
    for r in comparison_rows(result):
        decided = ", ".join(f"{k} {v}" for k, v in sorted(r["decided_by"].items()))
        console.print(
            f"{r['mode']}: decided by {decided}; latency p50 {r['p50_ms']:.1f} ms, "
            f"p99 {r['p99_ms']:.1f} ms"
        )
        readings = result.modes[r["mode"]].get("readings")
        if readings:
            console.print(
                f"{r['mode']}: context sentences (per question) read exactly {readings.get('exact', 0)}, "
                f"confirmed {readings.get('confirmed', 0)}, not understood "
                f"{readings.get('not_understood', 0)}",
                highlight=False,
            )
        sets = r["answer_sets"]
        if sets:
            console.print(
                f"{r['mode']}: open questions {sets['n']}: exact match {_pct(sets['exact_match'])}, "
                f"answer precision {_pct(sets['precision'])}, recall {_pct(sets['recall'])}, "
                f"F1 {_pct(sets['f1'])}"
            )
    depths = Table(title="Accuracy by depth")
    depths.add_column("depth")
    for mode in result.modes:
        depths.add_column(mode, justify="right")
    keys = sorted(
        {d for m in result.modes.values() for d in m["by_depth"]},
        key=lambda k: (k == "none", int(k) if k != "none" else 0),
    )
    for d in keys:
        cells = []
        for m in result.modes.values():
            cell = m["by_depth"].get(d)
            cells.append("–" if cell is None else f"{_pct(cell['accuracy'])} ({cell['n']})")
        depths.add_row(d, *cells)
    console.print(depths)
    if report is not None:
        err_console.print(
            f"report written to {report}/ (report.md, report.json, predictions.jsonl)"
        )
