"""Registries (kgreason/plugins.py): built-ins from code, third-party names from a real
``*.dist-info`` folder's entry points (a tiny package written into tmp_path), a broken plugin
that fails alone, and ``kgreason eval`` / ``kgreason plugins`` on the plugin end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kgreason import plugins
from kgreason.errors import ConfigError, InputError, ReasoningError
from kgreason.plugins import PluginError, Registry

ROOT = Path(__file__).resolve().parents[1]

TINYFMT = '''"""tinyfmt: evaluation examples as tab-separated theory, statement, label lines."""
from kgreason.evaluation.datasets import Example

LABELS = {"true": "entailment", "false": "contradiction", "unknown": "neutral"}


def read(path, split, skipped):
    """theory<TAB>statement<TAB>true|false|unknown per line"""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            skipped["blank"] = skipped.get("blank", 0) + 1
            continue
        theory, statement, label = line.split("\\t")
        yield Example(key=f"{path.stem}:{number}", premise=theory, hypothesis=statement,
                      label=LABELS[label], kind="theory", closed_world=False,
                      source=f"{path}:{number}")
'''

THEORY = "Bob is big. If someone is big then they are strong."
#: the reasoner answers yes, no, unknown, yes; the last gold label is wrong on purpose, so the
#: accuracy is 3/4 only if it is really computed from the reasoner's answers
ROWS = [(THEORY, "Bob is strong.", "true"), (THEORY, "Bob is not strong.", "false"),
        (THEORY, "Bob is round.", "unknown"), (THEORY, "Bob is not big.", "true")]


def _package(root: Path) -> Path:
    """tinyfmt 0.1, installed the way pip leaves it: the module and its dist-info folder."""
    (root / "tinyfmt.py").write_text(TINYFMT, encoding="utf-8")
    (root / "tinyfmt_broken.py").write_text("raise ImportError('tinyfmt_broken needs libtiny, "
                                            "which is not installed')\n", encoding="utf-8")
    info = root / "tinyfmt-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: tinyfmt\nVersion: 0.1\n",
                                   encoding="utf-8")
    (info / "entry_points.txt").write_text(
        "[kgreason.dataset_formats]\ntiny = tinyfmt:read\nbroken = tinyfmt_broken:read\n",
        encoding="utf-8")
    data = root / "dev.tiny"
    data.write_text("".join("\t".join(r) + "\n" for r in ROWS) + "\n", encoding="utf-8")
    return data


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    data = _package(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.rediscover()
    yield data
    monkeypatch.undo()
    for name in ("tinyfmt", "tinyfmt_broken"):
        sys.modules.pop(name, None)
    plugins.rediscover()


# ---------------------------------------------------------------------- the registry itself
def test_registry_register_get_names_and_errors():
    reg = Registry("test_kind_nobody_uses", "test thing")
    reg.register("one", len, description="the first")
    reg.register("lazy", "os.path:join")
    assert reg.names() == ["lazy", "one"]
    assert reg.get("one") is len
    assert reg.get("lazy") is os.path.join  # imported on first use
    assert reg.describe("lazy").startswith("Join two or more pathname components")
    with pytest.raises(PluginError, match="already registered"):
        reg.register("one", str)
    with pytest.raises(PluginError) as err:
        reg.get("two")
    text = str(err.value)
    assert "unknown test thing 'two'" in text and "lazy, one" in text
    assert "kgreason plugins" in text and '"kgreason.test_kind_nobody_uses"' in text
    assert isinstance(err.value, InputError)  # exit 2 in the CLI


def test_builtins_work_without_installed_metadata():
    """Every built-in name resolves from the code's own table (a source checkout has no
    entry-point metadata for them), and matches pyproject.toml's declaration."""
    import tomllib

    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]
    for reg in plugins.REGISTRIES:
        builtins = {e.name: e.target for e in reg.entries() if e.dist is None}
        assert builtins == declared[reg.group], reg.group
        for name in builtins:
            obj = reg.get(name)
            assert getattr(obj, "name", name) == name or callable(obj)
    assert plugins.graph_formats.get("turtle").extensions == (".ttl", ".turtle")


def test_config_and_reasoner_accept_registered_names_only():
    from kgreason.config import PipelineConfig, ReasoningConfig, load_config
    from kgreason.graph import KnowledgeGraph
    from kgreason.reasoning import Reasoner
    from kgreason.reasoning.strategies import Strategy

    with pytest.raises(ValueError, match="unknown decision mode 'sideways'.*hybrid, neural, symbolic"):
        PipelineConfig(mode="sideways")
    with pytest.raises(ReasoningError, match="unknown reasoning strategy 'lazy'.*kgreason plugins"):
        Reasoner(KnowledgeGraph(), strategy="lazy")
    plugins.strategies.register("eager-test", Strategy("eager-test", "materialize, by another name"))
    try:
        assert ReasoningConfig(strategy="eager-test").strategy == "eager-test"
        reasoner = Reasoner(KnowledgeGraph(), strategy="eager-test")
        assert reasoner.strategy == "eager-test"
    finally:
        plugins.strategies.unregister("eager-test")
    with pytest.raises(ValueError):
        ReasoningConfig(strategy="eager-test")
    assert load_config("symbolic").mode == "symbolic"
    assert issubclass(ConfigError, InputError)


def test_a_registered_mode_decides():
    """A mode registered in code is the one decide() follows: 'second-opinion' asks the verifier
    wherever the reasoner's answer is unknown, even over a theory read in full (hybrid does not)."""
    from kgreason.core import Judgement
    from kgreason.pipeline.decide import Mode
    from kgreason.pipeline.theory import decide_statement, theory

    class SecondOpinion(Mode):
        def needs_verifier(self, decision, **kwargs):
            return decision.answer == "unknown"

    class Judge:  # judges every statement against the theory's facts as contradicted
        def __init__(self):
            self.asked: list[tuple[list[str], str]] = []

        def verify(self, facts, hypothesis):
            self.asked.append((list(facts), hypothesis))
            return Judgement("contradiction", {"contradiction": 0.9, "entailment": 0.05, "neutral": 0.05})

    plugins.modes.register("second-opinion", SecondOpinion("second-opinion", "test", reasons=True,
                                                           verifies=True))
    try:
        read, judge = theory(THEORY), Judge()
        proved = decide_statement(read, "Bob is strong.", mode="second-opinion", verifier=judge)
        assert (proved.answer, proved.decided_by, judge.asked) == ("yes", "reasoner", [])
        unknown = decide_statement(read, "Bob is round.", mode="second-opinion", verifier=judge)
        assert (unknown.answer, unknown.decided_by) == ("no", "verifier")
        assert judge.asked == [(["Bob is big.", "If someone is big then they are strong."], "Bob is round")]
        hybrid = decide_statement(read, "Bob is round.", mode="hybrid", verifier=judge)
        assert (hybrid.answer, len(judge.asked)) == ("unknown", 1)
    finally:
        plugins.modes.unregister("second-opinion")
    with pytest.raises(PluginError, match="unknown decision mode 'second-opinion'"):
        decide_statement(theory(THEORY), "Bob is strong.", mode="second-opinion")


# ---------------------------------------------------------------------- a third-party package
def test_dataset_format_from_an_installed_package(tiny):
    from kgreason.evaluation.datasets import read_dataset

    assert "tiny" in plugins.dataset_formats.names()
    entry = next(e for e in plugins.dataset_formats.entries() if e.name == "tiny")
    assert (entry.dist, entry.version, entry.origin) == ("tinyfmt", "0.1", "tinyfmt 0.1")
    data = read_dataset([tiny], "tiny")
    assert [e.hypothesis for e in data.examples] == [r[1] for r in ROWS]
    assert [e.label for e in data.examples] == ["entailment", "contradiction", "neutral", "entailment"]
    assert data.skipped == {"blank": 1} and data.format == "tiny"


def test_a_broken_plugin_fails_alone(tiny):
    from kgreason.evaluation.datasets import read_dataset

    with pytest.raises(PluginError) as err:
        read_dataset([tiny], "broken")
    text = str(err.value)
    assert "dataset format 'broken' from tinyfmt 0.1 (tinyfmt_broken:read) cannot be loaded" in text
    assert "needs libtiny" in text and "reinstall or fix the package tinyfmt" in text
    assert "Traceback" not in text
    assert len(read_dataset([tiny], "tiny").examples) == 4  # the same package's other name works
    rows = {r["name"]: r for r in plugins.dataset_formats.listing()}
    assert rows["broken"]["error"] and rows["tiny"]["error"] is None
    assert rows["tiny"]["description"] == "theory<TAB>statement<TAB>true|false|unknown per line"
    assert rows["nli"]["origin"] == "built-in"


def test_a_third_party_name_cannot_take_a_builtin(tmp_path, monkeypatch):
    info = tmp_path / "grabby-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: grabby\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[kgreason.dataset_formats]\nnli = grabby:read\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    plugins.rediscover()
    try:
        assert plugins.dataset_formats.get("nli").__module__ == "kgreason.evaluation.datasets"
        assert plugins.dataset_formats.names().count("nli") == 1  # the scan records the clash
        assert any("grabby" in p and "taken by built-in" in p for p in plugins.dataset_formats.problems)
    finally:
        monkeypatch.undo()
        plugins.rediscover()


def _cli(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    return subprocess.run([sys.executable, "-m", "kgreason.cli", *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300, check=False)


def test_eval_reads_a_plugin_format_end_to_end(tmp_path):
    data = _package(tmp_path)
    listed = _cli(["plugins", "--json"], tmp_path)
    assert listed.returncode == 0, listed.stderr
    groups = json.loads(listed.stdout)["groups"]
    rows = {r["name"]: r for r in groups["dataset_formats"]["entries"]}
    assert rows["tiny"]["origin"] == "tinyfmt 0.1" and rows["tiny"]["error"] is None
    assert "needs libtiny" in rows["broken"]["error"]
    assert {"materialize", "query-time", "auto"} <= {r["name"] for r in groups["strategies"]["entries"]}

    run = _cli(["eval", str(data), "--format", "tiny", "--mode", "symbolic", "--no-reader",
                "--output", str(tmp_path / "report"), "--json"], tmp_path)
    assert run.returncode == 0, run.stderr
    report = json.loads(run.stdout)
    symbolic = report["modes"]["symbolic"]
    assert report["dataset"]["format"] == "tiny" and report["dataset"]["examples"] == 4
    assert symbolic["accuracy"] == pytest.approx(0.75)
    records = [json.loads(line) for line in (tmp_path / "report" / "predictions.jsonl").open()]
    assert [r["predicted"] for r in sorted(records, key=lambda r: r["key"])] == \
        ["entailment", "contradiction", "neutral", "contradiction"]

    broken = _cli(["eval", str(data), "--format", "broken", "--json"], tmp_path)
    assert broken.returncode == 2
    assert "Traceback" not in broken.stderr + broken.stdout
    assert "tinyfmt 0.1" in broken.stdout + broken.stderr

    unknown = _cli(["eval", str(data), "--format", "tinyy"], tmp_path)
    assert unknown.returncode == 2 and "tiny" in unknown.stderr and "kgreason plugins" in unknown.stderr
