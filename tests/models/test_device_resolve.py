from __future__ import annotations

import pytest

from kgreason.errors import ConfigError, ModelError
from kgreason.models.device import configure_threads, inference_dtype, select_device
from kgreason.models.resolve import resolve_model, smollm2_gguf_path


def test_auto_device_follows_what_torch_has():
    import torch

    expected = "cuda" if torch.cuda.is_available() else None
    dev = select_device(None)
    assert dev in ("cuda", "mps", "cpu")
    if expected:
        assert dev == expected
    assert select_device("cpu") == "cpu"
    assert inference_dtype("cpu") == torch.float32


def test_env_variable_forces_device(monkeypatch):
    monkeypatch.setenv("KGREASON_DEVICE", "cpu")
    assert select_device() == "cpu"
    monkeypatch.setenv("KGREASON_DEVICE", "tpu")
    with pytest.raises(ConfigError, match="KGREASON_DEVICE='tpu'.*not a device"):
        select_device()


def test_unknown_or_missing_device_is_a_model_error():
    import torch

    with pytest.raises(ModelError, match="unknown device"):
        select_device("tpu")
    if not torch.cuda.is_available():
        with pytest.raises(ModelError, match="no CUDA GPU"):
            select_device("cuda")


def test_local_and_packaged_models_resolve(tiny_bert_dirs):
    local = resolve_model(str(tiny_bert_dirs["cls"]))
    assert local.source == "local" and (local.path / "config.json").exists()
    minilm = resolve_model("minilm")
    assert minilm.source == "packaged" and (minilm.path / "config.json").exists()
    gguf = resolve_model("smollm2")
    assert gguf.source == "gguf" and gguf.gguf_file.endswith(".gguf") and gguf.path == smollm2_gguf_path()


def test_uncached_hub_id_offline_says_how_to_get_it(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    import huggingface_hub.constants as hc

    monkeypatch.setattr(hc, "HF_HUB_CACHE", str(tmp_path / "hub"))
    with pytest.raises(ModelError) as info:
        resolve_model("cross-encoder/nli-deberta-v3-base")
    text = str(info.value)
    assert "not in the local Hugging Face cache" in text
    assert "huggingface-cli download cross-encoder/nli-deberta-v3-base" in text


def test_missing_local_path_is_a_model_error(tmp_path):
    with pytest.raises(ModelError, match="does not exist"):
        resolve_model(str(tmp_path / "nope" / "model"))


def test_thread_setting_from_environment(monkeypatch):
    import torch

    before = torch.get_num_threads()
    monkeypatch.delenv("KGREASON_THREADS", raising=False)
    assert configure_threads() is None
    monkeypatch.setenv("KGREASON_THREADS", "1")
    try:
        assert configure_threads() == 1 and torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    monkeypatch.setenv("KGREASON_THREADS", "many")
    with pytest.raises(ConfigError, match="KGREASON_THREADS='many' is not a valid setting"):
        configure_threads()
