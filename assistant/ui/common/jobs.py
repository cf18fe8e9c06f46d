"""Background jobs: one callable (taking progress and cancel) run on a QThread of its own, for the model
manager, the speed benchmark and the Evaluate page. :class:`BackgroundJob` is what they use; it reports
through signals on the GUI thread, and its thread is never destroyed while it runs."""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from assistant.core.errors import AssistantError

Job = Callable[[Callable[[Any], None], threading.Event], Any]  # (progress, cancel) -> result

log = logging.getLogger(__name__)

# Threads of dialogs closed while a job was still finishing (a stalled network read returns only at
# its timeout); kept referenced until they end so Qt never destroys a running QThread.
orphans: set[tuple[QThread, QObject]] = set()


@atexit.register
def _wait_for_orphans() -> None:
    for thread, _worker in list(orphans):
        thread.wait(30000)  # cancelled already: ends at the next block or the network timeout


class JobWorker(QObject):
    """Runs one job (a callable taking progress and cancel) and reports back through signals."""

    progress = Signal(object)  # assistant.core.progress.Progress
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Job, cancel: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.progress.emit, self._cancel)
        except BaseException as exc:  # every failure becomes a signal; the GUI thread decides what to show
            if not isinstance(exc, AssistantError):
                log.exception("background job failed")
            self.failed.emit(exc)
        else:
            self.done.emit(result)


class BackgroundJob(QObject):
    """One job on a thread of its own: ``progress`` while it runs, then ``done`` (its result) or ``failed`` (the
    exception), each delivered on the GUI thread after the job's thread has ended. Cancelling is
    ``cancel.set()``, direct (a busy worker runs no queued slot); :meth:`stop` also waits, and nothing is
    reported after it."""

    progress = Signal(object)  # assistant.core.progress.Progress (or the job's own progress object)
    done = Signal(object)
    failed = Signal(object)  # BaseException

    def __init__(self, job: Job, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()
        self.stopped = False
        self._thread = QThread()
        self._worker = JobWorker(job, self.cancel)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # Direct: runs in the worker thread as run() ends, so the thread stops even if nobody listens.
        self._worker.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._worker.failed.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        # Bound methods of this object (on the GUI thread): Qt queues them there (a lambda would run in the worker).
        self._worker.progress.connect(self._relay_progress)
        self._worker.done.connect(self._relay_done)
        self._worker.failed.connect(self._relay_failed)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return self._thread.isRunning()

    @Slot(object)
    def _relay_progress(self, progress: object) -> None:
        if not self.stopped:
            self.progress.emit(progress)

    @Slot(object)
    def _relay_done(self, result: object) -> None:
        self._thread.wait()  # run() has returned and asked the thread to quit
        if not self.stopped:
            self.done.emit(result)

    @Slot(object)
    def _relay_failed(self, exc: object) -> None:
        self._thread.wait()
        if not self.stopped:
            self.failed.emit(exc)

    def stop(self, wait_ms: int) -> bool:
        """Cancel and wait up to ``wait_ms`` for the thread; True when it has ended. A job that does not end in
        time (a stalled network read ends only at its timeout) stays referenced in ``orphans`` until it does."""
        self.stopped = True
        self.cancel.set()
        if self._thread.isRunning() and not self._thread.wait(wait_ms):
            orphans.add((self._thread, self._worker))
            return False
        return True
