"""Evaluate symbolic / neural / hybrid on the shared ProofWriter (depth 5, open world) and
ProntoQA samples; one report folder per dataset under benchmarks/reports/.

    python benchmarks/eval_logic.py                   # symbolic on all; all modes on the first 300
    python benchmarks/eval_logic.py --neural-limit 0  # all modes on every example

Uses only the public API (kgreason.evaluation) — the same as `kgreason eval --mode ...`.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.report import write_report
from kgreason.evaluation.runner import RunOptions, evaluate

HERE = Path(__file__).parent
DATA = HERE.parent.parent / "shared" / "data"
DATASETS = {
    "proofwriter-d5-owa": "proofwriter-d5-owa-train.json",
    "prontoqa": "prontoqa-sample.json",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--out", type=Path, default=HERE / "reports")
    parser.add_argument("--modes", default="symbolic,neural,hybrid")
    parser.add_argument("--datasets", default=",".join(DATASETS), help="names, comma-separated")
    parser.add_argument(
        "--neural-limit",
        type=int,
        default=300,
        help="examples for neural/hybrid (CPU is slow for the verifier); 0 = all",
    )
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("kgreason.reasoning").setLevel(logging.WARNING)
    summary_file = args.out / "eval_summary.json"
    summary = json.loads(summary_file.read_text()) if summary_file.exists() else {}
    modes = args.modes.split(",")
    for name in args.datasets.split(","):
        file = DATASETS[name]
        runs = [(f"{name}-symbolic", ["symbolic"], None)] if "symbolic" in modes else []
        if set(modes) - {"symbolic"}:  # side by side on the same examples
            size = len(read_dataset([args.data / file]).examples)
            limit = args.neural_limit if args.neural_limit and args.neural_limit < size else None
            runs.append((f"{name}-all" + (f"-{limit}" if limit else ""), modes, limit))
        for folder, run_modes, limit in runs:
            data = read_dataset([args.data / file], limit=limit)
            out = args.out / folder
            result = evaluate(
                data,
                run_modes,
                EvalConfig(),
                RunOptions(
                    report_dir=str(out), resume=args.resume, workers=args.workers, progress=True
                ),
            )
            write_report(result, out)
            for mode, m in result.modes.items():
                summary[f"{folder}/{mode}"] = {
                    "n": m["n"],
                    "accuracy": round(m["accuracy"], 4),
                    "macro_f1": round(m["macro_f1"], 4),
                    "proof_validity": m["proof_validity"],
                    "parse_coverage": m["parse_coverage"],
                    "errors": m["errors"],
                    "throughput": m["throughput"],
                    "cpu_seconds": m["cpu_seconds"],
                    "throughput_per_cpu_second": m["throughput_per_cpu_second"],
                    "latency_ms": m["latency_ms"],
                    "decided_by": m["decided_by"],
                    "by_depth": {
                        d: [round(v["accuracy"], 4), v["n"]] for d, v in m["by_depth"].items()
                    },
                }
                print(json.dumps({f"{folder}/{mode}": summary[f"{folder}/{mode}"]}))
    summary_file.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
