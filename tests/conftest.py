"""Session-wide test settings."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session", autouse=True)
def _temporary_kgreason_cache(tmp_path_factory):
    """Tests never write into the user's real ``~/.cache/kgreason``: the whole session (and the
    subprocesses it starts, which inherit the environment) uses a temporary cache. A test that
    needs its own cache still sets KGREASON_CACHE itself."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KGREASON_CACHE", str(tmp_path_factory.mktemp("kgreason-cache")))
        yield os.environ["KGREASON_CACHE"]
