"""Documents in the window's turns (issue 24): the embedding model the window shares, and a question grounded
in the conversation's collections.

One embedding model per process: the Documents panel's indexing and the chat's retrieval both use it. It is
loaded on first use by whichever background thread needs it first (never the GUI thread), and the
:class:`~assistant.core.embed.Embedder` serialises its calls, so a question asked while a folder is indexed waits
at most one batch of passages. Grounding runs on the chat worker's thread, before the turn: the search and the
query's embedding never block the window.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .events import TurnJob

if TYPE_CHECKING:  # the documents core (numpy, the index) is imported when a turn first needs it, not at start-up
    from assistant.core.chat.history import History
    from assistant.core.chat.turn import TurnOptions
    from assistant.core.docs.answer import Grounding
    from assistant.core.docs.embedding import TextEmbedder


class SharedEmbedder:
    """The embedding model, opened on first use (in the calling thread) and kept until :meth:`close`."""

    def __init__(self, opener: Callable[[], TextEmbedder] | None = None) -> None:
        self._opener = opener
        self._embedder: TextEmbedder | None = None
        self._lock = threading.Lock()

    def get(self) -> TextEmbedder:
        with self._lock:
            if self._embedder is None:
                from assistant.core.docs.embedding import open_embedder

                self._embedder = (self._opener or open_embedder)()
            return self._embedder

    @property
    def loaded(self) -> bool:
        return self._embedder is not None

    def use(self, embedder: TextEmbedder | None, opener: Callable[[], TextEmbedder] | None = None) -> None:
        """Another embedder from now on (tests and benchmarks; None: opened again on next use)."""
        self.close()
        with self._lock:
            self._embedder = embedder
            self._opener = opener or self._opener

    def close(self) -> None:
        with self._lock:
            embedder, self._embedder = self._embedder, None
        if embedder is not None:
            from assistant.core.docs.embedding import close_embedder

            close_embedder(embedder)


_SHARED = SharedEmbedder()


def shared_embedder() -> SharedEmbedder:
    """The window's embedding model (one per process)."""
    return _SHARED


def ground_turn(job: TurnJob, history: History, embedder: SharedEmbedder | None = None) -> tuple[
        str, TurnOptions, Grounding]:
    """The user turn of ``job`` with its passages (worker thread): the prompt to send, the turn options for a
    documents question, and the grounding. The user message (``job.parent_id``) keeps what was sent, so the next
    question renders the same prefix and the model's cache reuses it."""
    from assistant.core.docs.answer import ground, question_options

    g = ground(job.user_text, job.documents, (embedder or _SHARED).get(), previous=job.documents_previous)
    if job.parent_id:
        history.set_extra(job.parent_id, ("documents",), g.record())
    return g.prompt, question_options(job.options, job.user_text), g


def reply_documents(g: Grounding, answer: str) -> dict[str, Any]:
    """What a reply keeps of the documents it was given (``extra``): the sources it cites (as the CLI and the API
    return them) and every passage it was given, for its source chips."""
    return {"sources": g.cited(answer),
            "documents": {"collections": g.collections, "found": g.found, "given": g.sources}}
