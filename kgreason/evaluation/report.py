"""Report writers: report.json (every metric, config, versions, dataset fingerprint), report.md
(tables) and PNG plots (accuracy by depth per mode, one confusion matrix per mode)."""

from __future__ import annotations

import json
import logging
import platform
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

from kgreason.errors import MissingExtraError
from kgreason.evaluation.runner import EvaluationResult
from kgreason.files import write_file_atomic, write_text_atomic

log = logging.getLogger(__name__)

_PACKAGES = (
    "kgreason",
    "rdflib",
    "numpy",
    "torch",
    "transformers",
    "datasets",
    "ray",
    "matplotlib",
)


def versions() -> dict[str, str]:
    """Versions of the packages that shape the numbers (read from metadata, nothing imported)."""
    found = {"python": platform.python_version(), "platform": platform.platform()}
    for name in _PACKAGES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = "not installed"
    return found


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def comparison_rows(result: EvaluationResult) -> list[dict[str, Any]]:
    """One row per mode: the numbers the comparison table (CLI and report.md) shows."""
    rows = []
    for mode, m in result.modes.items():
        rows.append(
            {
                "mode": mode,
                "n": m["n"],
                "accuracy": m["accuracy"],
                "macro_f1": m["macro_f1"],
                "parse_coverage": m["parse_coverage"],
                "proof_validity": m["proof_validity"],
                "errors": m["errors"],
                "decided_by": m["decided_by"],
                "throughput": m["throughput"],
                "throughput_per_cpu_second": m.get("throughput_per_cpu_second"),
                "p50_ms": m["latency_ms"]["p50"],
                "p99_ms": m["latency_ms"]["p99"],
                # open questions with gold answer lists (None when the dataset has none)
                "answer_sets": m.get("answer_sets"),
            }
        )
    return rows


def answer_set_lines(result: EvaluationResult) -> list[str]:
    """report.md's section on open questions: answer-set scores per mode (none: no lines)."""
    rows = [(r["mode"], r["answer_sets"]) for r in comparison_rows(result) if r["answer_sets"]]
    if not rows:
        return []
    lines = [
        "",
        "## Open questions: answer sets",
        "",
        (
            "Questions with a gold answer list (which / what / who / how many / what is): exact "
            "match (the same set), and precision / recall / F1 of the listed answers, averaged per "
            "question (micro: over all answers). A gold answer is found by its label or name."
        ),
        "",
        "| mode | n | exact match | precision | recall | F1 | micro P | micro R | micro F1 | errors |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mode, a in rows:
        micro = a["micro"]
        lines.append(
            f"| {mode} | {a['n']} | {_pct(a['exact_match'])} | {_pct(a['precision'])} | "
            f"{_pct(a['recall'])} | {_pct(a['f1'])} | {_pct(micro['precision'])} | "
            f"{_pct(micro['recall'])} | {_pct(micro['f1'])} | {a['errors']} |"
        )
    return lines


def markdown(result: EvaluationResult, meta: dict[str, Any]) -> str:
    lines = [
        f"# Evaluation: {', '.join(Path(p).name for p in result.dataset['paths'])}",
        "",
        (
            f"- examples: {result.dataset['examples']} (format `{result.dataset['format']}`, "
            f"fingerprint `{result.dataset['fingerprint']}`, skipped {result.dataset['skipped'] or 0})"
        ),
        (
            f"- date: {meta['date']}; kgreason {meta['versions'].get('kgreason')}; "
            f"engine {json.dumps(result.engine)}"
        ),
        "",
        (
            "| mode | n | accuracy | macro-F1 | parse coverage | proof validity | errors | decided by "
            "| examples/s | per CPU-s | p50 ms | p99 ms |"
        ),
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in comparison_rows(result):
        decided = ", ".join(f"{k} {v}" for k, v in sorted(r["decided_by"].items()))
        throughput = "–" if r["throughput"] is None else f"{r['throughput']:.1f}"
        per_cpu = r["throughput_per_cpu_second"]
        per_cpu = "–" if per_cpu is None else f"{per_cpu:.1f}"
        lines.append(
            f"| {r['mode']} | {r['n']} | {_pct(r['accuracy'])} | {_pct(r['macro_f1'])} | "
            f"{_pct(r['parse_coverage'])} | {_pct(r['proof_validity'])} | {r['errors']} | "
            f"{decided} | {throughput} | {per_cpu} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} |"
        )
    lines += answer_set_lines(result)
    depths = sorted(
        {d for m in result.modes.values() for d in m["by_depth"]},
        key=lambda k: (k == "none", int(k) if k != "none" else 0),
    )
    lines += [
        "",
        "## Accuracy by depth",
        "",
        (
            "Depth: the dataset's (QDep, ProntoQA hops) when given, else the reasoning depth of "
            "the symbolic proof (inference steps on the longest branch, as QDep counts them); "
            "`none` = no proof (unknown answers). Examples/s: steady state, wall clock; per "
            "CPU-s: examples per CPU-second of this process and its workers."
        ),
        "",
        "| depth | " + " | ".join(f"{m} (n)" for m in result.modes) + " |",
        "|---|" + "---|" * len(result.modes),
    ]
    for d in depths:
        cells = []
        for m in result.modes.values():
            cell = m["by_depth"].get(d)
            cells.append("–" if cell is None else f"{_pct(cell['accuracy'])} ({cell['n']})")
        lines.append(f"| {d} | " + " | ".join(cells) + " |")
    for mode, m in result.modes.items():
        conf = m["confusion"]
        lines += [
            "",
            f"## {mode}: per class and confusion (rows gold, columns predicted)",
            "",
            "| class | precision | recall | F1 | support |",
            "|---|---|---|---|---|",
        ]
        for label, c in m["per_class"].items():
            lines.append(
                f"| {label} | {_pct(c['precision'])} | {_pct(c['recall'])} | "
                f"{_pct(c['f1'])} | {c['support']} |"
            )
        lines += [
            "",
            "| gold \\ predicted | " + " | ".join(conf["columns"]) + " |",
            "|---|" + "---|" * len(conf["columns"]),
        ]
        for label, row in zip(conf["rows"], conf["matrix"]):
            lines.append(f"| {label} | " + " | ".join(str(v) for v in row) + " |")
    lines.append("")
    return "\n".join(lines)


def plot(result: EvaluationResult, out: Path) -> list[str]:
    """PNG plots; returns the file names written."""
    from kgreason.extras import require

    require("eval", "matplotlib", what="plotting the report")
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    fig, ax = plt.subplots(figsize=(6, 4))
    styles = [("o", "-"), ("s", "--"), ("^", ":"), ("D", "-.")]
    for i, (mode, m) in enumerate(result.modes.items()):
        points = [(int(d), v["accuracy"]) for d, v in m["by_depth"].items() if d != "none"]
        if points:  # a small shift per mode keeps equal curves (e.g. all 100%) visible
            xs, ys = zip(*sorted(points))
            marker, line = styles[i % len(styles)]
            shift = (i - (len(result.modes) - 1) / 2) * 0.06
            ax.plot(
                [x + shift for x in xs],
                [100 * y for y in ys],
                marker=marker,
                linestyle=line,
                label=mode,
            )
    ax.set_xlabel("reasoning depth")
    ax.set_ylabel("accuracy (%)")
    ax.set_ylim(0, 105)
    ax.set_title("Accuracy by depth")
    ax.legend()
    fig.tight_layout()
    _save_png(fig, out / "accuracy_by_depth.png")
    plt.close(fig)
    written.append("accuracy_by_depth.png")
    for mode, m in result.modes.items():
        conf = m["confusion"]
        fig, ax = plt.subplots(figsize=(4.5, 4))
        ax.imshow(conf["matrix"], cmap="Blues")
        ax.set_xticks(range(len(conf["columns"])), conf["columns"], rotation=30)
        ax.set_yticks(range(len(conf["rows"])), conf["rows"])
        peak = max((v for row in conf["matrix"] for v in row), default=0) or 1
        for i, row in enumerate(conf["matrix"]):
            for j, value in enumerate(row):
                ax.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    color="white" if value > peak / 2 else "black",
                )
        ax.set_xlabel("predicted")
        ax.set_ylabel("gold")
        ax.set_title(f"{mode}: accuracy {_pct(m['accuracy'])}")
        fig.tight_layout()
        name = f"confusion_{mode}.png"
        _save_png(fig, out / name)
        plt.close(fig)
        written.append(name)
    return written


def write_report(result: EvaluationResult, report_dir: str | Path) -> dict[str, Any]:
    """report.json + report.md + plots (predictions.jsonl is written by the runner as it goes)."""
    out = Path(report_dir)
    out.mkdir(parents=True, exist_ok=True)
    meta = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "versions": versions(),
    }
    data = {**result.to_json(), **meta}
    try:
        data["plots"] = plot(result, out)
    except MissingExtraError as exc:  # the numbers are the report; the plots are extra
        data["plots"] = []
        data["plots_skipped"] = str(exc)
        log.warning("no plots: %s", exc)
    write_text_atomic(out / "report.json", json.dumps(data, indent=2, default=str))
    write_text_atomic(out / "report.md", markdown(result, meta))
    return data


def _save_png(fig, path: Path) -> None:
    """A plot written atomically: a reader never sees half a PNG."""
    write_file_atomic(path, lambda tmp: fig.savefig(tmp, dpi=100, format="png"))
