"""The doc-QA part of the evaluation: the suite's documents indexed once, and each docs task's question turned into
the same user turn the app would send (passages numbered, cite as [1]), or left alone to measure the model
without its documents.

The documents ship with the suites (``suites/docs/``: PDFs in English and Chinese, DOCX, HTML, Markdown, GBK
and UTF-8 text, Python source). They are indexed with the embedding model (the bundled one unless another is
given) into the cache folder, one index per model, apart from the user's collections; a later run finds it up to
date and indexes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from assistant.core.docs.answer import compose
from assistant.core.docs.embedding import TextEmbedder
from assistant.core.docs.indexing import Indexer
from assistant.core.docs.retrieval import MODES, TOP_K, SearchResult, search
from assistant.core.docs.store import Collection
from assistant.core.errors import ConfigError
from assistant.core.eval.tasks import SUITES_DIR, Task
from assistant.core.paths import app_paths

DOCS_DIR = SUITES_DIR / "docs"
COLLECTION = "doc-qa suite"
NO_DOCS = "none"
_SPACE = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF's line wraps do not hide an evidence phrase."""
    return _SPACE.sub("", text).lower()


def retrieved(task: Task, result: SearchResult, k: int = TOP_K) -> bool:
    """Whether one of the first ``k`` passages is from the task's file and holds its evidence phrase."""
    want = squeeze(str(task.spec.get("evidence", "")))
    name = str(task.spec.get("file", ""))
    return any(Path(p.hit.path).name == name and want in squeeze(p.hit.text) for p in result.passages[:k])


def index_path(embedder: TextEmbedder) -> Path:
    """Where the suite's documents are indexed for this embedding model."""
    return app_paths().cache_dir / "eval-docs" / (re.sub(r"[^\w.-]+", "_", embedder.name) + ".sqlite3")


def build_index(path: Path, embedder: TextEmbedder, docs_dir: Path = DOCS_DIR) -> Collection:
    """The suite's documents in a collection at ``path`` (indexed once; later calls find it up to date)."""
    collection = Collection(path, COLLECTION, create=True)
    if not collection.sources():
        collection.add_source(docs_dir, True)
    report = Indexer(collection, embedder).sync()
    if report.failed:
        raise ConfigError("The doc-QA suite's documents could not all be indexed: "
                          + "; ".join(f"{Path(f.path).name}: {f.message}" for f in report.failed))
    return collection


class DocsPrompts:
    """User turns for docs tasks, from one index of the suite's documents."""

    def __init__(self, mode: str = "hybrid", embedder: TextEmbedder | None = None) -> None:
        if mode not in (*MODES, NO_DOCS):
            raise ConfigError(f"Unknown documents mode {mode!r}.", hint=f"Use one of {', '.join((*MODES, NO_DOCS))}.")
        self.mode = mode
        self._embedder = embedder
        self._own = embedder is None
        self._collection: Collection | None = None

    def _open(self) -> tuple[Collection, TextEmbedder]:
        if self._embedder is None:
            from assistant.core.docs.embedding import open_embedder

            self._embedder = open_embedder()
        if self._collection is None:
            self._collection = build_index(index_path(self._embedder), self._embedder)
        return self._collection, self._embedder

    def prompt(self, task: Task) -> tuple[str, dict[str, Any]]:
        """(the user turn, what to add to the task's record: retrieval hit and sources given)."""
        if self.mode == NO_DOCS:
            return task.prompt, {"docs_mode": NO_DOCS}
        collection, embedder = self._open()
        result = search([collection], task.prompt, embedder, mode=self.mode)
        grounding = compose(task.prompt, [COLLECTION], result)
        extra: dict[str, Any] = {"docs_mode": self.mode, "found": grounding.found,
                                 "sources": [Path(s["path"]).name for s in grounding.sources]}
        if not task.spec.get("unanswerable"):
            extra["retrieved"] = retrieved(task, result)
        return grounding.prompt, extra

    def close(self) -> None:
        if self._collection is not None:
            self._collection.close()
            self._collection = None
        if self._own and self._embedder is not None:
            from assistant.core.docs.embedding import close_embedder

            close_embedder(self._embedder)
            self._embedder = None
