"""Text embeddings on the app's llama.cpp (issue 24): the bundled multilingual model, any GGUF embedding model.

The API the documents index, the server's ``/v1/embeddings`` and Ollama's ``/api/embed`` use:
:class:`Embedder`, :class:`EmbeddingBatch`, :func:`bundled_embedding_model`, :func:`resolve_embedding_model`,
:func:`self_test`. Layer ``embed`` sits above ``backends`` (it loads llama.cpp the way the chat backend does)
and below ``docs`` and ``eval``.
"""

from __future__ import annotations

from assistant.core.embed.embedder import Embedder, EmbeddingBatch
from assistant.core.embed.models import (
    EMBEDDING_MODEL_ID,
    Prefixes,
    bundled_embedding_model,
    resolve_embedding_model,
)
from assistant.core.embed.selftest import self_test

__all__ = ["EMBEDDING_MODEL_ID", "Embedder", "EmbeddingBatch", "Prefixes", "bundled_embedding_model",
           "resolve_embedding_model", "self_test"]
