"""The Ray engine on a local cluster computes what the local engine computes (slow: starts Ray)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kgreason.evaluation.datasets import read_dataset
from kgreason.evaluation.modes import EvalConfig
from kgreason.evaluation.predictions import PredictionLog
from kgreason.evaluation.runner import RunOptions, evaluate

DATA = Path(__file__).parent.parent / "data" / "eval"


@pytest.mark.slow
def test_ray_local_cluster_matches_local_engine(tmp_path, capfd):
    pytest.importorskip("ray")
    data = read_dataset([DATA / "logiclm.json", DATA / "proofwriter.jsonl"])
    local = evaluate(data, ["symbolic"], EvalConfig(), RunOptions(batch_size=3))
    capfd.readouterr()
    out = tmp_path / "ray"
    remote = evaluate(
        data,
        ["symbolic"],
        EvalConfig(),
        RunOptions(engine="ray", workers=2, batch_size=3, report_dir=str(out)),
    )
    info = remote.engine["symbolic"]
    assert info["engine"] == "ray" and info["actors"] >= 1 and info["gpus_per_actor"] == 0
    key = lambda r: (r["key"], r["gold"], r["predicted"], r.get("proof_valid"))
    assert sorted(map(key, remote.records["symbolic"])) == sorted(
        map(key, local.records["symbolic"])
    )
    assert remote.modes["symbolic"]["accuracy"] == local.modes["symbolic"]["accuracy"] == 1.0
    assert len(PredictionLog(out / "predictions.jsonl").load()) == len(data.examples)
    # quiet unless -v: no Ray INFO lines, notices, deprecation warnings or core-worker errors
    captured = capfd.readouterr()
    noise = [line for line in (captured.out + captured.err).splitlines()
             if any(word in line for word in ("INFO", "WARNING", "Warning", "deprecated", "Token", "core_worker"))]
    assert not noise, noise
