"""The design card's layout: the shipped graphs and pipeline configs live at the top of the
repository (``graphs/``, ``pipelines/`` beside ``kgreason/`` and ``tests/``), one copy in git;
a wheel carries them as ``kgreason/data/...`` (setup.py copies them; tests/test_wheel_install.py
checks the built wheel). The resolvers read the checkout's folders here and the package's copies
in an installed wheel."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import kgreason
from kgreason.cli import app
from kgreason.config import load_config, pipelines_dir, shipped_pipelines
from kgreason.files import SHIPPED_DATA, shipped_data_dir
from kgreason.graph.loaders import resolve_graph_ref, shipped_graphs_dir

ROOT = Path(kgreason.__file__).resolve().parents[1]


def test_graphs_and_pipelines_are_top_level_folders():
    assert (ROOT / "graphs" / "commonsense.ttl").is_file()
    assert (ROOT / "graphs" / "README.md").is_file()
    for name in ("default", "symbolic", "neural", "hybrid"):
        assert (ROOT / "pipelines" / f"{name}.yaml").is_file(), name


def test_the_package_holds_no_second_copy():
    data = ROOT / "kgreason" / "data"
    copies = sorted(str(p.relative_to(ROOT)) for p in data.rglob("*") if p.is_file()) if data.exists() else []
    assert copies == [], f"shipped data duplicated inside the package: {copies}"
    if shutil.which("git") and (ROOT / ".git").exists():
        tracked = subprocess.run(["git", "ls-files", "kgreason/data"], cwd=ROOT, capture_output=True,
                                 text=True, check=False).stdout.split()
        assert tracked == [], f"git still tracks copies under kgreason/data: {tracked}"


def test_the_resolvers_point_at_the_checkout():
    assert shipped_graphs_dir() == ROOT / "graphs"
    assert pipelines_dir() == ROOT / "pipelines"
    assert resolve_graph_ref("commonsense") == ROOT / "graphs" / "commonsense.ttl"
    assert resolve_graph_ref("commonsense").is_file()
    assert shipped_pipelines() == ["default", "hybrid", "neural", "symbolic"]
    for name in shipped_pipelines():
        config = load_config(name)
        assert config.name == name and Path(config.base_dir) == ROOT / "pipelines"


def test_an_installed_package_reads_its_own_copies(tmp_path):
    """Outside a checkout (no pyproject.toml beside the package: site-packages), the copies under
    ``kgreason/data`` that the wheel carries are read: files.py loaded from such a tree."""
    site = tmp_path / "site-packages"
    (site / "kgreason").mkdir(parents=True)
    shutil.copy(ROOT / "kgreason" / "files.py", site / "kgreason" / "files.py")
    for name in SHIPPED_DATA:
        shutil.copytree(ROOT / name, site / "kgreason" / "data" / name)
    (site / "graphs").mkdir()  # another distribution's top-level folder is not ours
    spec = importlib.util.spec_from_file_location("installed_files", site / "kgreason" / "files.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.shipped_data_dir("graphs") == site / "kgreason" / "data" / "graphs"
    assert (module.shipped_data_dir("pipelines") / "default.yaml").is_file()


def test_unknown_shipped_folder_is_a_clear_error():
    with pytest.raises(ValueError, match="no shipped data folder 'models'.*graphs, pipelines"):
        shipped_data_dir("models")


def test_graph_info_by_path_from_the_repository_root(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["graph", "info", "graphs/commonsense.ttl", "--json"])
    assert result.exit_code == 0, result.output
    info = json.loads(result.stdout)
    assert info["triples"] > 1000
    assert Path(info["sources"][0]).resolve() == ROOT / "graphs" / "commonsense.ttl"


def test_shipped_names_work_from_any_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["graph", "info", "-g", "commonsense", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["sources"] == [str(ROOT / "graphs" / "commonsense.ttl")]
