"""A wheel install works: shipped graphs, pipelines and the NLI adapter come from package data.

Builds the wheel from a copy of the source (offline, no build isolation), installs it into a fresh
virtual environment that sees this environment's dependencies (``--system-site-packages``, so no
network), and runs the installed ``kgreason`` console script from a folder outside the repository.
The editable install of this checkout is also visible there; the test checks that the wheel's copy
is the one imported, so nothing can be read from the source tree by accident.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import venv
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

#: Files the installed package reads at run time; each must be in the wheel (the top-level
#: graphs/ and pipelines/ of the repository become kgreason/data/graphs and kgreason/data/pipelines).
PACKAGE_DATA = [
    "kgreason/data/graphs/commonsense.ttl",
    "kgreason/data/pipelines/default.yaml",
    "kgreason/data/pipelines/symbolic.yaml",
    "kgreason/data/pipelines/hybrid.yaml",
    "kgreason/data/pipelines/neural.yaml",
    "kgreason/models/default_nli/adapter_config.json",
    "kgreason/models/default_nli/adapter_model.safetensors",
    "kgreason/models/default_nli/kgreason_nli.json",
    "kgreason/models/default_reader/adapter_config.json",
    "kgreason/models/default_reader/adapter_model.safetensors",
    "kgreason/models/default_reader/kgreason_reader.json",
    "kgreason/server/static/index.html",
    "kgreason/server/static/app.js",
    "kgreason/server/static/vendor/cytoscape.min.js",
    "kgreason/server/static/vendor/swagger-ui/swagger-ui-bundle.js",
]


def _run(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 300):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _output(proc) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"


class Installed:
    def __init__(self, wheel: Path, venv_dir: Path, site_packages: Path, cwd: Path, env: dict[str, str]):
        self.wheel, self.venv_dir, self.site_packages, self.cwd, self.env = (
            wheel, venv_dir, site_packages, cwd, env)
        bindir = venv_dir / ("Scripts" if os.name == "nt" else "bin")
        self.python = bindir / ("python.exe" if os.name == "nt" else "python")
        self.kgreason = bindir / ("kgreason.exe" if os.name == "nt" else "kgreason")

    def ask(self, question: str, *args: str) -> dict:
        proc = _run([self.kgreason, "ask", question, "--json", *args], cwd=self.cwd, env=self.env)
        assert proc.returncode == 0, f"installed `kgreason ask {question!r}` failed:\n{_output(proc)}"
        return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Installed:
    started = time.perf_counter()
    tmp = tmp_path_factory.mktemp("wheel_install")

    # Build from a copy of what a wheel is made of, so the build leaves no build/ or egg-info in
    # the checkout and cannot pick up stale files from an earlier build.
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    for name in ("kgreason", "graphs", "pipelines"):  # graphs/, pipelines/: copied in by setup.py
        shutil.copytree(ROOT / name, src / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info"))

    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV"}}
    env.update(PIP_NO_INDEX="1", PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1",
               HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HF_DATASETS_OFFLINE="1",
               KGREASON_CACHE=str(tmp / "cache"))

    dist = tmp / "dist"
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "--no-index", "-w", dist, src], cwd=tmp, env=env)
    wheels = sorted(dist.glob("kgreason-*.whl"))
    if proc.returncode != 0 or len(wheels) != 1:
        pytest.fail(f"building the kgreason wheel failed (pip wheel --no-build-isolation; needs "
                    f"setuptools and wheel in this environment):\n{_output(proc)}", pytrace=False)
    wheel = wheels[0]

    # A fresh venv on top of this environment's packages; pip too comes from there.
    venv_dir = tmp / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False, clear=True).create(venv_dir)
    bindir = venv_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / ("python.exe" if os.name == "nt" else "python")
    proc = _run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--force-reinstall",
                 wheel], cwd=tmp, env=env)
    if proc.returncode != 0:
        pytest.fail(f"installing {wheel.name} into a fresh venv failed:\n{_output(proc)}", pytrace=False)
    proc = _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                cwd=tmp, env=env)
    site_packages = Path(proc.stdout.strip()).resolve()

    cwd = tmp / "elsewhere"  # not the repository: nothing relative to the checkout can be found
    cwd.mkdir()
    print(f"wheel built and installed in {time.perf_counter() - started:.1f} s")
    return Installed(wheel, venv_dir, site_packages, cwd, env)


def test_wheel_holds_the_package_data(installed):
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    missing = [name for name in PACKAGE_DATA if name not in names]
    assert not missing, f"{installed.wheel.name} lacks package data: {missing}"


def test_wheel_holds_the_shipped_folders_once(installed):
    """Every file of graphs/ and pipelines/ is in the wheel under kgreason/data/, and nothing else
    (no top-level graphs/ or pipelines/ beside the package)."""
    names = set(zipfile.ZipFile(installed.wheel).namelist())
    for folder in ("graphs", "pipelines"):
        shipped = {f"kgreason/data/{folder}/{p.relative_to(ROOT / folder).as_posix()}"
                   for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts}
        in_wheel = {n for n in names if n.startswith(f"kgreason/data/{folder}/")}
        assert in_wheel == shipped
        assert not any(n.startswith(f"{folder}/") for n in names), f"a top-level {folder}/ in the wheel"


def test_the_wheel_not_the_checkout_is_imported(installed):
    code = (
        "import json, kgreason\n"
        "from kgreason.config import load_config, pipelines_dir\n"
        "from kgreason.graph.loaders import resolve_graph_ref, shipped_graphs_dir\n"
        "from kgreason.models.resolve import DEFAULT_NLI_DIR\n"
        "print(json.dumps({'package': kgreason.__file__, 'pipelines': str(pipelines_dir()),\n"
        "                  'graphs': str(shipped_graphs_dir()), 'nli': str(DEFAULT_NLI_DIR),\n"
        "                  'commonsense': str(resolve_graph_ref('commonsense')),\n"
        "                  'symbolic': load_config('symbolic').base_dir}))\n"
    )
    proc = _run([installed.python, "-c", code], cwd=installed.cwd, env=installed.env)
    assert proc.returncode == 0, _output(proc)
    paths = json.loads(proc.stdout)
    for what, path in paths.items():
        resolved = Path(path).resolve()
        assert resolved.is_relative_to(installed.site_packages), (
            f"{what} resolves to {resolved}, not into the venv's {installed.site_packages} "
            "(the editable install of the checkout shadows the wheel?)")
        assert not resolved.is_relative_to(ROOT), f"{what} resolves into the checkout: {resolved}"


def test_installed_ask_apples(installed):
    started = time.perf_counter()
    answer = installed.ask("Can apples be eaten raw?")
    print(f"ask took {time.perf_counter() - started:.1f} s")
    assert answer["answer"] == "yes", answer
    assert answer["proof"], f"no proof: {answer}"


def test_installed_ask_penguins(installed):
    answer = installed.ask("Can penguins fly?")
    assert answer["answer"] == "no", answer
    assert answer["proof"], f"no proof: {answer}"


def test_installed_shipped_pipeline_resolves(installed):
    answer = installed.ask("Can apples be eaten raw?", "--pipeline", "symbolic")
    assert answer["answer"] == "yes", answer
    assert answer["proof"], f"no proof: {answer}"


def test_installed_config_show_names_the_packaged_pipeline(installed):
    env = {**installed.env, "KGREASON_MAX_FACTS": "1234"}
    proc = _run([installed.kgreason, "config", "show", "--pipeline", "hybrid", "--json"],
                cwd=installed.cwd, env=env)
    assert proc.returncode == 0, _output(proc)
    report = json.loads(proc.stdout)
    assert Path(report["pipeline"]["file"]).resolve() == (
        installed.site_packages / "kgreason" / "data" / "pipelines" / "hybrid.yaml")
    rows = {row["name"]: row for row in report["settings"]}
    assert rows["max_facts"]["value"] == 1234
    assert rows["max_facts"]["source"] == "environment variable KGREASON_MAX_FACTS"
