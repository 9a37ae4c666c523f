"""The light install, as a user gets it: ``pip install kgreason`` with no extras.

Builds the wheel from the checkout's files, installs it into a fresh virtual environment that
sees nothing of this one (no system site-packages), its dependencies from the package index
(``-c constraints.txt``, as the README says), and checks that no model, server, evaluation or
cluster package came with it; that ``kgreason ask --pipeline symbolic`` answers with a proof and
``kgreason prove`` proves; and that commands needing an extra say which one in one line and exit
non-zero. Skips when the package index cannot be reached. Takes minutes (downloads, installs).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]

#: Packages of the extras; none may be importable after ``pip install kgreason``.
HEAVY = ("torch", "transformers", "sentence_transformers", "faiss", "gguf", "accelerate", "peft",
         "ray", "datasets", "pyarrow", "matplotlib", "fastapi", "uvicorn")
#: Not part of the wheel: left out of the copy it is built from.
NOT_BUILT = {".git", "tests", "benchmarks", "docs", ".ci"}


def _run(cmd, *, cwd: Path, env: dict[str, str], timeout: float = 900):
    return subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout, check=False)


def _output(proc) -> str:
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"


def _source_files() -> list[Path]:
    """The checkout's files as git sees them (tracked, and new ones not ignored), relative to the
    root: no build/, egg-info, caches or runs/ get into the wheel's source."""
    proc = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        pytest.skip(f"not a git checkout (git ls-files failed): {proc.stderr.strip()[:200]}")
    files = [Path(p) for p in proc.stdout.split("\0") if p]
    return [p for p in files if p.parts[0] not in NOT_BUILT and (ROOT / p).is_file()]


class Light:
    def __init__(self, bindir: Path, cwd: Path, env: dict[str, str]):
        self.python = bindir / "python"
        self.kgreason = bindir / "kgreason"
        self.cwd, self.env = cwd, env

    def run(self, *args: str):
        return _run([self.kgreason, *args], cwd=self.cwd, env=self.env, timeout=300)


@pytest.fixture(scope="module")
def light(tmp_path_factory) -> Light:
    if os.name == "nt":
        pytest.skip("the venv layout below is POSIX's")
    tmp = tmp_path_factory.mktemp("light_install")
    env = {k: v for k, v in os.environ.items()
           if k not in {"PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV", "PIP_NO_INDEX"}}
    env.update(PIP_DISABLE_PIP_VERSION_CHECK="1", PIP_NO_INPUT="1", KGREASON_CACHE=str(tmp / "cache"))

    # a fresh venv that sees nothing of this environment, with its own pip
    venv_dir = tmp / "venv"
    venv.EnvBuilder(system_site_packages=False, with_pip=True, clear=True).create(venv_dir)
    bindir = venv_dir / "bin"
    python = bindir / "python"

    # the package index must answer (a light install's dependencies come from it)
    probe = _run([python, "-m", "pip", "download", "--no-deps", "--dest", tmp / "probe", "rdflib"],
                 cwd=tmp, env=env, timeout=180)
    if probe.returncode != 0:
        pytest.skip("the package index cannot be reached (pip download rdflib failed): "
                    + " ".join(probe.stderr.split())[-300:])

    # the wheel, built from a copy of the checkout's files (nothing written into the checkout)
    src = tmp / "src"
    for rel in _source_files():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, src / rel)
    dist = tmp / "dist"
    proc = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                 "-w", dist, src], cwd=tmp, env=env)
    wheels = sorted(dist.glob("kgreason-*.whl"))
    if proc.returncode != 0 or len(wheels) != 1:
        pytest.fail(f"building the kgreason wheel failed (needs setuptools and wheel here):\n"
                    f"{_output(proc)}", pytrace=False)

    # pip install kgreason: no extras, dependencies from the index, torch pinned as in the README
    proc = _run([python, "-m", "pip", "install", "-c", ROOT / "constraints.txt", wheels[0]],
                cwd=tmp, env=env)
    if proc.returncode != 0:
        pytest.fail(f"pip install {wheels[0].name} (no extras) failed:\n{_output(proc)}", pytrace=False)
    cwd = tmp / "elsewhere"  # not the repository: nothing can come from the checkout
    cwd.mkdir()
    return Light(bindir, cwd, env)


def test_no_extra_package_comes_with_the_light_install(light):
    code = (
        "import importlib, json, kgreason\n"
        f"heavy = {list(HEAVY)!r}\n"
        "found = []\n"
        "for name in heavy:\n"
        "    try:\n"
        "        importlib.import_module(name)\n"
        "    except ImportError:\n"
        "        continue\n"
        "    found.append(name)\n"
        "print(json.dumps({'found': found, 'kgreason': kgreason.__file__}))\n"
    )
    proc = _run([light.python, "-c", code], cwd=light.cwd, env=light.env, timeout=300)
    assert proc.returncode == 0, _output(proc)
    data = json.loads(proc.stdout)
    assert data["found"] == [], f"the light install imports extras' packages: {data['found']}"
    assert not Path(data["kgreason"]).resolve().is_relative_to(ROOT), data["kgreason"]


def test_symbolic_ask_answers_with_a_proof(light):
    proc = light.run("ask", "Can apples be eaten raw?", "--pipeline", "symbolic", "--json")
    assert proc.returncode == 0, _output(proc)
    answer = json.loads(proc.stdout)
    assert answer["answer"] == "yes" and answer["proof"], answer
    assert answer["evidence"] == [] and "kgreason[models]" in answer["evidence_note"], answer
    proc = light.run("ask", "Can apples be eaten raw?", "--pipeline", "symbolic")
    assert proc.returncode == 0, _output(proc)
    assert proc.stdout.startswith("yes  Apple can be eaten raw.") and "because" in proc.stdout


def test_prove_on_a_shipped_graph(light):
    proc = light.run("prove", "commonsense", "--triple", "cs:Pingu cs:can cs:Fly", "--json")
    assert proc.returncode == 0, _output(proc)
    verdict = json.loads(proc.stdout)
    assert verdict["value"] == "false" and verdict["proof"], verdict


def test_first_order_proving_is_in_the_light_install(light):
    theory = light.cwd / "office.txt"
    theory.write_text("All employees have a laptop.\nAnn is an employee.\n")
    proc = light.run("first-order", str(theory), "Ann has a laptop.")
    assert proc.returncode == 0, _output(proc)
    assert proc.stdout.startswith("TRUE"), proc.stdout


@pytest.mark.parametrize(("args", "message"), [
    (("serve",), ("error: 'kgreason serve' needs the serve extra, which is not installed — "
                  "pip install 'kgreason[serve]'")),
    (("ask", "Can apples be eaten raw?", "--pipeline", "hybrid"),
     ("error: the NLI verifier of the hybrid pipeline needs the models extra, which is not "
      "installed — pip install 'kgreason[models]'")),
])
def test_a_command_needing_an_extra_names_it_in_one_line(light, args, message):
    proc = light.run(*args)
    assert proc.returncode != 0, _output(proc)
    assert proc.stderr.strip() == message, _output(proc)
