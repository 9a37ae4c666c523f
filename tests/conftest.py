"""Session-wide test settings."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _temporary_kgreason_cache(tmp_path_factory):
    """Tests never write into the user's real ``~/.cache/kgreason``: the whole session (and the
    subprocesses it starts, which inherit the environment) uses a temporary cache. A test that
    needs its own cache still sets KGREASON_CACHE itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KGREASON_CACHE", str(tmp_path_factory.mktemp("kgreason-cache")))
        yield os.environ["KGREASON_CACHE"]


@pytest.fixture(autouse=True)
def _settings_follow_the_environment(monkeypatch):
    """kgreason reads its ``KGREASON_*`` settings once per process (kgreason.settings); in tests
    the environment changes. Each test starts from a fresh reading, and ``monkeypatch.setenv`` /
    ``delenv`` of a ``KGREASON_`` variable make the next read see the change."""
    from kgreason.settings import ENV_PREFIX, reload_settings

    setenv, delenv = monkeypatch.setenv, monkeypatch.delenv

    def setenv_and_reload(name, value, prepend=None):
        setenv(name, value, prepend)
        if str(name).upper().startswith(ENV_PREFIX):
            reload_settings()

    def delenv_and_reload(name, raising=True):
        delenv(name, raising)
        if str(name).upper().startswith(ENV_PREFIX):
            reload_settings()

    monkeypatch.setenv, monkeypatch.delenv = setenv_and_reload, delenv_and_reload
    reload_settings()
    yield
    reload_settings()


def table_pipeline(*graphs: str, **parts):
    """The question tables' pipeline: reasoning + lexical linking + embedding ranking of parses;
    no FAISS index (the full default pipeline runs them in slow tests), so the tables run fast."""
    from kgreason.config import PipelineConfig, RetrievalConfig
    from kgreason.pipeline import Pipeline

    config = PipelineConfig(graphs=list(graphs),
                            retrieval=RetrievalConfig(enabled=False, rank_candidates=True))
    return Pipeline(config, **parts)  # parts handed in: reader=…, verifier=…


@pytest.fixture(scope="session")
def make_table_pipeline():
    return table_pipeline


@pytest.fixture(scope="session")
def commonsense():
    return table_pipeline("commonsense")


@pytest.fixture(scope="session")
def geography_ttl():
    return table_pipeline(str(DATA / "geography.ttl"))


@pytest.fixture(scope="session")
def geography_txt():
    return table_pipeline(str(DATA / "geography.txt"))
