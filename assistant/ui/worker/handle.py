"""The UI side of the chat worker: starts its thread, sends it work through queued signals, relays what it
reports, and stops it in the right order."""

from __future__ import annotations

import dataclasses
import logging
import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from assistant.core.chat.history import History
from assistant.core.chat.prompting import Message
from assistant.core.chat.protocol import Backend
from assistant.core.chat.turn import TurnOptions
from assistant.core.settings import Settings

from .chat_worker import ChatWorker
from .events import Opener, TurnJob

log = logging.getLogger(__name__)


class WorkerThread(QThread):
    """A named QThread type, so tests and logs can tell the worker's thread apart."""


class WorkerHandle(QObject):
    """The UI side of one worker: starts its thread, sends it work, stops it in the right order.

    The worker's signals are relayed through this object (it lives on the UI thread, so the relays are
    queued). After :meth:`shutdown` nothing more is relayed, so a replaced worker's late signals are
    dropped instead of reaching the window.
    """

    loaded = Signal(object)
    load_failed = Signal(object)
    load_progress = Signal(str, object)
    reply_started = Signal(int, int)
    reply_delta = Signal(int, object)
    reply_finished = Signal(int, object)
    context_measured = Signal(object)

    _load = Signal()
    _generate = Signal(object)
    _measure = Signal(object, object)
    _prewarm_path = Signal(object, object, object)

    def __init__(self, settings: Settings, history: History, model: str | None = None,
                 parent: QObject | None = None, opener: Opener | None = None) -> None:
        super().__init__(parent)
        # The worker gets its own copy: the UI may change settings while it loads.
        self.worker = ChatWorker(dataclasses.replace(settings, sampling=dataclasses.replace(settings.sampling)),
                                 history, model, opener)
        self.qthread = WorkerThread()
        self.qthread.setObjectName("ChatWorkerThread")
        self.worker.moveToThread(self.qthread)
        self._load.connect(self.worker.load)
        self._generate.connect(self.worker.generate)
        self._measure.connect(self.worker.measure)
        self._prewarm_path.connect(self.worker.prewarm_path)
        self._path_cancel = threading.Event()  # the prewarm of a branch walked to; set when new work comes
        self.worker.loaded.connect(self._relay_loaded)
        self.worker.load_failed.connect(self._relay_load_failed)
        self.worker.load_progress.connect(self._relay_progress)
        self.worker.reply_started.connect(self._relay_started)
        self.worker.reply_delta.connect(self._relay_delta)
        self.worker.reply_finished.connect(self._relay_finished)
        self.worker.context_measured.connect(self._relay_context)
        self.current: TurnJob | None = None
        self._next_id = 0
        self.closed = False

    @property
    def backend(self) -> Backend | None:
        return self.worker.backend

    def start(self) -> None:
        self.qthread.start()
        self._load.emit()

    def generate(self, job: TurnJob) -> TurnJob:
        self.worker.prewarm_cancel.set()  # a prewarm still running stops at once; the job runs after it
        self._path_cancel.set()
        self._next_id += 1
        job.job_id = self._next_id
        self.current = job
        self._generate.emit(job)
        return job

    def measure(self, history: list[Message], options: TurnOptions) -> None:
        # Not a reason to stop a prewarm: the count waits for it (the status bar's figure comes a moment later).
        self._measure.emit(history, options)

    def prewarm_path(self, history: list[Message], options: TurnOptions) -> None:
        """The path shown changed (another branch): bring the model's cache to it while the user reads; the
        previous one of these, or a message sent, stops it."""
        self._path_cancel.set()
        self._path_cancel = threading.Event()
        self._prewarm_path.emit(history, options, self._path_cancel)

    def stop(self) -> None:
        """Stop the reply being generated, now (called on the UI thread; no queue involved)."""
        if self.current is not None:
            self.current.cancel.set()

    @property
    def busy(self) -> bool:
        return self.current is not None

    # ---- relays (UI thread) ----------------------------------------------------------------------
    @Slot(object)
    def _relay_loaded(self, info: object) -> None:
        if not self.closed:
            self.loaded.emit(info)

    @Slot(object)
    def _relay_load_failed(self, exc: object) -> None:
        if not self.closed:
            self.load_failed.emit(exc)

    @Slot(str, object)
    def _relay_progress(self, message: str, fraction: object) -> None:
        if not self.closed:
            self.load_progress.emit(message, fraction)

    @Slot(int, int)
    def _relay_started(self, job_id: int, message_id: int) -> None:
        if not self.closed and self.current is not None and self.current.job_id == job_id:
            self.reply_started.emit(job_id, message_id)

    @Slot(int, object)
    def _relay_delta(self, job_id: int, events: object) -> None:
        if not self.closed and self.current is not None and self.current.job_id == job_id:
            self.reply_delta.emit(job_id, events)

    @Slot(int, object)
    def _relay_finished(self, job_id: int, summary: object) -> None:
        if self.current is not None and self.current.job_id == job_id:
            self.current = None
        if not self.closed:
            self.reply_finished.emit(job_id, summary)

    @Slot(object)
    def _relay_context(self, report: object) -> None:
        if not self.closed:
            self.context_measured.emit(report)

    def shutdown(self) -> None:
        """Stop → quit → wait → close the backend. Safe to call twice."""
        self.closed = True
        self.worker.closing.set()
        self.worker.prewarm_cancel.set()
        self._path_cancel.set()
        self.stop()
        self.current = None
        if self.qthread.isRunning():
            self.qthread.quit()
            self.qthread.wait()
        backend, self.worker.backend = self.worker.backend, None
        if backend is not None:
            try:
                backend.close()
            except Exception:
                log.exception("closing the backend failed")
