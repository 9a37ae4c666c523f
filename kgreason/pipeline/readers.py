"""Readers: what reads the English that the controlled parser does not read exactly (a
pipeline's ``models.reader``, ``--reader``). Every reading a reader proposes is still confirmed by
the NLI verifier (:mod:`kgreason.pipeline.reading`), so a reader can only turn "not understood"
into a confirmed reading, never misread silently.

Readers are registered by name in :data:`kgreason.plugins.readers` (other packages add one through
the entry-point group ``kgreason.readers``). A registered object has ``load(model, device)`` — or
is that function itself — returning an object with ``propose(sentences, batch_size=...)`` → one
proposal per sentence with ``.text`` (controlled English, "" for none) and ``.confidence``
(optionally ``alternatives(sentences, k=...)``, as :class:`~kgreason.models.reader.NeuralReader`);
``load = None`` means the controlled parser alone.

A ``models.reader`` value is a registered name, or else a model for the neural reader:
``"default"`` (the shipped adapter), a folder from ``kgreason train reader`` or a Hugging Face id.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kgreason.plugins import readers


@dataclass(frozen=True)
class ReaderPlugin:
    name: str
    description: str
    #: ``load(model, device)`` → the reader object; None: the controlled parser alone
    load: Callable[[str | None, str | None], Any] | None


def _load_neural(model: str | None, device: str | None) -> Any:
    from kgreason.models.reader import load_reader

    return load_reader(model or "default", device=device)


EXACT = ReaderPlugin("exact", "the controlled-English parser alone: what it does not read exactly is "
                     "not understood", None)
NEURAL = ReaderPlugin("neural", "the shipped neural reader (or a trained folder), each reading "
                      "confirmed by the NLI verifier", _load_neural)

#: ``models.reader`` values that mean the shipped neural reader (missing in a source checkout
#: before training: then reported, not an error)
SHIPPED = ("default", "neural")


def reader_loader(value: str | None) -> tuple[Callable[[str | None, str | None], Any] | None, str | None]:
    """``(load, model)`` for a ``models.reader`` value: a registered reader's ``load`` (None for
    the controlled parser alone, and for ``value`` None), else the neural reader with ``value`` as
    its model. An unknown name is a model; a broken plugin raises its PluginError."""
    if value is None:
        return None, None
    if value in readers:
        plugin = readers.get(value)
        return getattr(plugin, "load", plugin), None
    return _load_neural, value


def uses_reader(value: str | None) -> bool:
    """Does this ``models.reader`` value give a second path (not the controlled parser alone)?"""
    return reader_loader(value)[0] is not None
