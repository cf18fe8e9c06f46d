"""Indexing from the window: one collection's add or sync at a time as a :class:`BackgroundJob` (the window never
waits; Cancel stops between batches and rolls back the file in hand), the next request queued behind it. What the
core reports — overall progress, a file started, a file done — comes back to the GUI thread through the job's one
progress signal, and :class:`FileProgress` turns it into each file's own fraction and time left."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from assistant.core.progress import Progress
from assistant.ui.common.jobs import BackgroundJob
from assistant.ui.worker.documents import SharedEmbedder, shared_embedder

LOADING = "Loading the embedding model"


@dataclass(frozen=True)
class FileStarted:
    """The core began reading a file (its full path and size)."""

    path: str
    size: int


@dataclass
class Request:
    collection: str
    paths: list[Path] | None  # None: sync every source of the collection


@dataclass
class FileProgress:
    """How far the file in hand is, from the overall byte counts (the core counts characters read as bytes)."""

    path: str = ""
    size: int = 0
    base: int = 0  # bytes of the job done when this file started
    done: int = 0
    speed: float = 0.0

    def start(self, f: FileStarted, done_so_far: int) -> None:
        self.path, self.size, self.base, self.done = f.path, f.size, done_so_far, 0

    def update(self, p: Progress) -> None:
        self.done = max(0, min(self.size, p.downloaded - self.base))
        self.speed = p.speed

    @property
    def fraction(self) -> float:
        return self.done / self.size if self.size else 0.0

    @property
    def seconds_left(self) -> float | None:
        return (self.size - self.done) / self.speed if self.speed > 0 else None


def index_job(request: Request, embedder: SharedEmbedder) -> Any:
    """The job (progress, cancel) -> SyncReport for one request, run on the job's thread."""

    def run(progress: Any, cancel: Any) -> Any:
        from assistant.core.docs.indexing import add_paths, sync_collection
        from assistant.core.docs.library import open_collection

        collection = open_collection(request.collection, create=True)
        try:
            if not embedder.loaded:
                progress(Progress(LOADING, None))
            model = embedder.get()
            kwargs = {"progress": progress, "on_file": progress, "cancel": cancel,
                      "on_start": lambda path, size: progress(FileStarted(path, size))}
            if request.paths:
                return add_paths(collection, request.paths, model, **kwargs)
            return sync_collection(collection, model, **kwargs)
        finally:
            collection.close()

    return run


class IndexQueue(QObject):
    """Index requests, one job at a time. ``reported`` relays what the running job reports (Progress, FileStarted,
    FileReport); ``finished`` its SyncReport; ``failed`` an error that stopped it (a collection that cannot be
    opened, no embedding model)."""

    started = Signal(object)  # Request
    reported = Signal(object)
    finished = Signal(object, object)  # Request, SyncReport
    failed = Signal(object, object)  # Request, BaseException
    idle = Signal()

    def __init__(self, embedder: SharedEmbedder | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.embedder = embedder or shared_embedder()
        self.pending: deque[Request] = deque()
        self.job: BackgroundJob | None = None
        self.current: Request | None = None

    @property
    def busy(self) -> bool:
        return self.job is not None

    def submit(self, request: Request) -> None:
        self.pending.append(request)
        self._next()

    def cancel(self, collection: str | None = None) -> None:
        """Stop the running job (if it is this collection's, when one is named) and drop what waits for it."""
        self.pending = deque(r for r in self.pending if collection is not None and r.collection != collection)
        if self.job is not None and (collection is None or (self.current and self.current.collection == collection)):
            self.job.cancel.set()

    def _next(self) -> None:
        if self.job is not None or not self.pending:
            return
        request = self.current = self.pending.popleft()
        job = self.job = BackgroundJob(index_job(request, self.embedder), self)
        job.progress.connect(self.reported)
        job.done.connect(lambda report: self._ended(request, report, None))
        job.failed.connect(lambda exc: self._ended(request, None, exc))
        self.started.emit(request)
        job.start()

    def _ended(self, request: Request, report: Any, exc: BaseException | None) -> None:
        job, self.job, self.current = self.job, None, None
        if job is not None:
            job.deleteLater()
        if exc is not None:
            self.failed.emit(request, exc)
        else:
            self.finished.emit(request, report)
        self._next()
        if self.job is None:
            self.idle.emit()

    def stop(self, wait_ms: int = 30_000) -> None:
        """The app is closing: cancel and wait for the job (a committed file stays; the one in hand is rolled
        back and indexed at the next sync)."""
        self.pending.clear()
        if self.job is not None:
            self.job.stop(wait_ms)
            self.job, self.current = None, None
