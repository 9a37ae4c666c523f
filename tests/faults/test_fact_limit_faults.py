"""``--max-facts`` holds inside a round and with a compiled cache (issue 24, item 9): a
cartesian rule stops as soon as the limit is reached (memory stays near it), and a closure
cached under a higher limit is not answered from."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason.cli import app
from kgreason.errors import ReasoningError
from kgreason.reasoning import load_reasoner

RULE = "@prefix ex: <http://example.org/> .\n[pair] ?x ex:near ?y :- ?x a ex:C, ?y a ex:C .\n"


def _cartesian(folder: Path, n: int) -> Path:
    path = folder / "cart.ttl"
    lines = ["@prefix ex: <http://example.org/> ."] + [f"ex:i{i} a ex:C ." for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "cart.rules").write_text(RULE, encoding="utf-8")
    return path


def test_a_cartesian_rule_stops_inside_its_round(tmp_path):
    path = _cartesian(tmp_path, 1000)  # 1,000,000 facts in one round
    with pytest.raises(ReasoningError) as info:
        load_reasoner(path, max_facts=20_000).materialize()
    message = info.value.message
    assert "stopped after 20000 facts" in message and "rule pair" in message and "20000 facts in all" in message


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the peak memory from /proc")
def test_memory_stays_near_the_limit_in_a_real_run(tmp_path):
    """1,500 individuals: 2.25M facts (~1.5 GB) were built before the limit was looked at (3,000:
    9M facts, 5 GB, then a bare MemoryError)."""
    path = _cartesian(tmp_path, 1500)
    code = (
        "import sys\n"
        "from kgreason.cli import app\n"
        "try:\n"
        f"    app(['materialize', {str(path)!r}, '-o', {str(tmp_path / 'out.nt')!r}, '--max-facts', '20000', '--json'])\n"
        "except SystemExit as e:\n"
        "    print('exit', e.code)\n"
        # VmHWM: this process's peak (ru_maxrss would include the parent's, kept across exec)
        "print('maxrss_kb', [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True, timeout=120)
    lines = done.stdout.strip().splitlines()
    assert any(line.startswith("exit") and line != "exit 0" for line in lines), done.stdout + done.stderr
    rss_mb = int(lines[-1].split()[1]) / 1024
    assert rss_mb < 300, f"{rss_mb:.0f} MB for a 20,000-fact limit"
    error = json.loads(next(line for line in lines if line.startswith("{")))
    assert "stopped after 20000 facts" in error["error"]


def test_the_limit_holds_when_the_closure_comes_from_the_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("KGREASON_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("KGREASON_GRAPH_CACHE_MIN_TRIPLES", "0")
    path = _cartesian(tmp_path, 60)  # 3,600 derived facts
    load_reasoner(path, max_facts=10_000).materialize()  # cached
    assert list((tmp_path / "cache" / "graphs").glob("*/closure-*"))
    with pytest.raises(ReasoningError, match="stopped after 1000 facts.*compiled-graph cache"):
        load_reasoner(path, max_facts=1000).materialize()
    result = CliRunner().invoke(app, ["materialize", str(path), "-o", str(tmp_path / "o.nt"),
                                      "--max-facts", "1000", "--json"])
    assert result.exit_code != 0 and "stopped after 1000 facts" in result.output
    # auto: the same fallback as without the cache (query-time reasoning)
    reasoner = load_reasoner(path, max_facts=1000, strategy="auto")
    reasoner.materialize()
    assert reasoner.strategy == "query-time"
    shutil.rmtree(tmp_path / "cache")
