"""The neural reader on ParaRules dev: exact reading rate, wrong-but-parseable rate, speed.

Every crowd sentence of ``pararules-dev-sentences.jsonl`` (or a seeded sample: ``--limit``) is read
by :class:`kgreason.models.reader.NeuralReader`. A reading is **exact** when the exact parser's
compiled form of the proposal (facts and rules, names compared by their minted local names, so
"someone … they" and "something … it" are the same variable) equals that of the gold templated
text. **Wrong but parseable**: every proposed sentence parses, yet the form differs — the case
confirmation must catch. Also: the share of proposals that do not parse, exact rate by confidence
threshold, sentences/s for the whole run, and a 20-sentence crowd theory (20 distinct dev
sentences) read by the reader in one call and through the whole reader stage (confirmation and
alternatives included).

    python benchmarks/reader_dev.py [--model default] [--limit 300] [--seed 0] [--batch-size 16]
        [--device cpu] [--alternatives 4] [--json] [--out benchmarks/reports/reader_dev.json]
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "data" / "pararules-dev-sentences.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", default="default")
    ap.add_argument("--data", type=Path, default=DEV)
    ap.add_argument("--limit", type=int, default=None, help="a seeded sample of N sentences")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--alternatives", type=int, default=1, help="for the reader-stage timing")
    ap.add_argument("--repeat", type=int, default=5, help="timings of the 20-sentence theory (median reported)")
    ap.add_argument("--nli", default=None, help="NLI verifier of the reader-stage timing (default: shipped)")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--out", type=Path, default=None, help="also write the JSON report here")
    ap.add_argument("--show", type=int, default=10, help="print N wrong readings")
    args = ap.parse_args()

    import torch

    from kgreason.models.reader import NeuralReader
    from kgreason.models.reader_data import same_reading

    rows = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    if args.limit and args.limit < len(rows):
        rows = random.Random(args.seed).sample(rows, args.limit)
    t0 = time.perf_counter()
    reader = NeuralReader(args.model, device=args.device)
    load_s = time.perf_counter() - t0
    sentences = [r["sentence"] for r in rows]
    t0 = time.perf_counter()
    proposals = reader.propose(sentences, batch_size=args.batch_size)
    read_s = time.perf_counter() - t0
    verdicts = [same_reading(p.text, r["templated"]) for p, r in zip(proposals, rows)]
    n = len(rows)
    counts = {k: verdicts.count(k) for k in ("exact", "wrong_parseable", "unparseable")}
    by_conf = {}
    for thr in (0.5, 0.7, 0.8, 0.9, 0.95):
        kept = [v for v, p in zip(verdicts, proposals) if p.confidence >= thr]
        by_conf[str(thr)] = {"kept": round(len(kept) / n, 4),
                             "exact_of_kept": round(kept.count("exact") / len(kept), 4) if kept else None,
                             "wrong_parseable_of_all": round(kept.count("wrong_parseable") / n, 4)}
    # a 20-sentence crowd theory: 20 distinct dev sentences, the largest theories' first; read by
    # the reader in one call, and through the whole reader stage (fast path, reader, word checks,
    # NLI round trip, alternatives where a reading is refused) with fresh caches each time
    all_rows = [json.loads(line) for line in args.data.read_text().splitlines() if line.strip()]
    theories: dict[str, list[str]] = {}
    for r in all_rows:
        theories.setdefault(r["theory"], []).append(" ".join(r["sentence"].split()))
    theory20 = list(dict.fromkeys(s for t in sorted(theories.values(), key=len, reverse=True) for s in t))[:20]
    times, stage_times = [], []
    from kgreason.language.english_graph import parse_theory
    from kgreason.models.nli import NLIVerifier
    from kgreason.pipeline.reading import ReaderStage

    verifier = NLIVerifier(model=None if args.nli in (None, "default") else args.nli, device=args.device)
    verifier.predict([("Bob is big.", "Bob is big.")])  # load outside the timings
    for _ in range(args.repeat):
        t = time.perf_counter()
        reader.propose(theory20, batch_size=20)
        times.append(time.perf_counter() - t)
        stage = ReaderStage(args.model, reader=reader, verifier=verifier, batch_size=20,
                            alternatives=args.alternatives)
        t = time.perf_counter()
        kg = parse_theory("\n".join(theory20), second_path=stage.second_path())
        stage_times.append(time.perf_counter() - t)
    stage_status = {s: sum(1 for r in kg.readings if r.status == s) for s in ("exact", "confirmed", "not_understood")}
    report = {
        "machine": f"{platform.machine()}, {torch.get_num_threads()} torch threads, {platform.python_version()}",
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "model": args.model, "base": reader.manifest.get("base"), "device": reader.device,
        "data": str(args.data.name), "sentences": n, "sample_seed": args.seed if args.limit else None,
        "exact": round(counts["exact"] / n, 4), "wrong_parseable": round(counts["wrong_parseable"] / n, 4),
        "unparseable": round(counts["unparseable"] / n, 4), "counts": counts,
        "by_confidence": by_conf,
        "load_s": round(load_s, 2), "read_s": round(read_s, 2), "sentences_per_s": round(n / read_s, 2),
        "theory20_s_median": round(statistics.median(times), 2), "theory20_s_all": [round(t, 2) for t in times],
        "theory20_stage_s_median": round(statistics.median(stage_times), 2),
        "theory20_stage_s_all": [round(t, 2) for t in stage_times], "theory20_stage_readings": stage_status,
        "alternatives": args.alternatives,
        "mean_confidence": round(statistics.mean(p.confidence for p in proposals), 4),
    }
    wrong = [{"sentence": r["sentence"], "gold": r["templated"], "proposal": p.text, "confidence": round(p.confidence, 3),
              "verdict": v} for r, p, v in zip(rows, proposals, verdicts) if v != "exact"]
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(report | {"wrong": wrong}, indent=2))
    if args.json:
        print(json.dumps(report, indent=2))
        return
    for k, v in report.items():
        print(f"{k}: {v}")
    for w in wrong[:args.show]:
        print(f"- [{w['verdict']}, {w['confidence']}] {w['sentence']}\n    gold: {w['gold']}\n    read: {w['proposal']}",
              file=sys.stderr)


if __name__ == "__main__":
    main()
