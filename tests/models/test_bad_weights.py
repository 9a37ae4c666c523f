"""A weights file that is a pickle (or damaged) is a ModelError that names the file and how to get
a good one, and never repeats torch's advice to load it unsafely (issue 13, item 11)."""

from __future__ import annotations

import json
import os
import pickle
import shutil

import pytest

from kgreason.errors import ModelError
from kgreason.models.classifier import load_classifier


class _Payload:
    def __reduce__(self):  # what a malicious checkpoint does; the safe loader must refuse it
        return (os.getcwd, ())


def _lora_folder(tiny_bert_dirs, tmp_path):
    """The shipped adapter's config over the tiny test BERT, with no weights yet."""
    from kgreason.models.resolve import DEFAULT_NLI_DIR

    folder = tmp_path / "nli"
    folder.mkdir()
    config = json.loads((DEFAULT_NLI_DIR / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(tiny_bert_dirs["base"])
    (folder / "adapter_config.json").write_text(json.dumps(config))
    (folder / "kgreason_nli.json").write_text(json.dumps({"base": str(tiny_bert_dirs["base"]), "lora": True}))
    return folder


def _check(exc: ModelError, name: str, folder) -> None:
    text = str(exc)
    assert name in text and str(folder) in text and "not a valid weights file" in text
    assert "weights_only" not in text and "False" not in text  # never suggest unsafe loading
    assert "\n" not in text and exc.hint and "kgreason train nli" in exc.hint


#: Seeds of random.Random(seed).randbytes(4096) that make torch's safe loader raise
#: UnpicklingError (0), IndexError (2), KeyError (20) and UnicodeDecodeError (195).
@pytest.mark.parametrize("content", ["pickle", 0, 2, 20, 195])
def test_pickle_or_damaged_adapter_bin(tiny_bert_dirs, tmp_path, content):
    import random

    folder = _lora_folder(tiny_bert_dirs, tmp_path)
    data = pickle.dumps({"weights": _Payload()}) if content == "pickle" else random.Random(content).randbytes(4096)
    (folder / "adapter_model.bin").write_bytes(data)
    with pytest.raises(ModelError) as info:
        load_classifier(str(folder))
    _check(info.value, "adapter_model.bin", folder)


def test_pickle_in_place_of_a_full_checkpoint(tiny_bert_dirs, tmp_path):
    folder = tmp_path / "cls"
    shutil.copytree(tiny_bert_dirs["cls"], folder)
    for weights in folder.glob("*.safetensors"):
        weights.unlink()
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Payload()))
    with pytest.raises(ModelError) as info:
        load_classifier(str(folder))
    _check(info.value, "pytorch_model.bin", folder)


def test_damaged_safetensors(tiny_bert_dirs, tmp_path):
    folder = _lora_folder(tiny_bert_dirs, tmp_path)
    (folder / "adapter_model.safetensors").write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json}" + bytes(4096))
    with pytest.raises(ModelError) as info:
        load_classifier(str(folder))
    _check(info.value, "adapter_model.safetensors", folder)


def test_pickle_in_place_of_a_generator_checkpoint(tiny_gpt2_dir, tmp_path):
    from kgreason.models.generate import load_causal_lm
    from kgreason.models.resolve import resolve_model

    folder = tmp_path / "gpt2"
    shutil.copytree(tiny_gpt2_dir, folder)
    for weights in folder.glob("*.safetensors"):
        weights.unlink()
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Payload()))
    with pytest.raises(ModelError) as info:
        load_causal_lm(resolve_model(str(folder)))
    text = str(info.value)
    assert "pytorch_model.bin is not a valid weights file" in text and str(folder) in text
    assert "weights_only" not in text and "\n" not in text


def test_pickle_in_place_of_a_trainer_state(tmp_path):
    from kgreason.errors import InputError
    from kgreason.models.trainer import LOOP_STATE, find_checkpoint

    folder = tmp_path / "checkpoints" / "checkpoint-5"
    folder.mkdir(parents=True)
    (folder / "trainer_state.json").write_text("{}")
    (folder / LOOP_STATE).write_text("{}")
    (folder / "optimizer.pt").write_bytes(pickle.dumps(_Payload()))
    with pytest.raises(InputError) as info:
        find_checkpoint(tmp_path)
    text = str(info.value)
    assert "optimizer.pt" in text and "weights_only" not in text and "--resume" in text