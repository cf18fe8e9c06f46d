"""What the documents index needs of an embedding model, and where the default one comes from.

The engine is :class:`assistant.core.embed.Embedder` (llama.cpp in embedding mode, the bundled multilingual
model by default). The index only needs the few members below, so tests and tools can hand it any object that
has them.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np


@runtime_checkable
class TextEmbedder(Protocol):
    name: str  # the model's identity, stored with each collection's vectors
    dim: int
    passage_budget: int  # tokens of passage text the model reads (its limit less prefix and special tokens)

    def count_tokens(self, text: str) -> int: ...

    def embed(self, texts: Sequence[str], *, query: bool = False) -> np.ndarray:
        """(n, dim) float32, L2-normalised; ``query=True`` for a question (e5 wants "query: " there)."""
        ...


def open_embedder(model: str | os.PathLike[str] | None = None) -> TextEmbedder:
    """The embedding engine on ``model`` (catalog id, .gguf path), or on the bundled model."""
    from assistant.core.embed import Embedder

    embedder: TextEmbedder = Embedder(model)
    return embedder


def close_embedder(embedder: object) -> None:
    close = getattr(embedder, "close", None)
    if close is not None:
        close()
