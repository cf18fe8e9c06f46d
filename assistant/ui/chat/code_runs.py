"""Running a reply's Python code blocks in the sandbox (``assistant.core.sandbox.run_code``), one background job
per run, so the window never waits for the code; Stop kills the sandbox at once. Each result is stored with its
message (``extra["runs"][KEY]``) and shown under its block, also if the conversation was closed and opened again
while the code ran. Where this machine has no sandbox (no bubblewrap, no user namespaces) nothing runs: the
reason and the fix are shown under the block (not stored: it is about the machine, not the code)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from PySide6.QtCore import QObject, Signal

from assistant.core.chat.history import History
from assistant.core.errors import AssistantError
from assistant.core.sandbox import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, RunResult, run_code
from assistant.core.sandbox.runner import DEFAULT_FILES, DEFAULT_SCRATCH_MB
from assistant.ui.common.jobs import BackgroundJob
from assistant.ui.message.widget import MessageWidget
from assistant.ui.render.markdown_html import CodeBlock

from .view import ChatView

log = logging.getLogger(__name__)


def run_record(result: RunResult, block: CodeBlock) -> dict[str, Any]:
    """What is kept of a run: the sandbox's result, how it ended, when, and the language."""
    return {**result.to_dict(), "state": "done", "signal": result.signal, "language": block.language,
            "stdout_truncated": result.stdout_truncated, "stderr_truncated": result.stderr_truncated,
            "at": time.time()}


class CodeRuns(QObject):
    """The chat's runs of code blocks."""

    finished = Signal(int, str, object)  # message id, block key, the record shown

    def __init__(self, history: History, view: ChatView, parent: QObject | None = None, *,
                 timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB) -> None:
        super().__init__(parent)
        self.history, self.view = history, view
        self.timeout_s, self.memory_mb = timeout_s, memory_mb
        self.jobs: dict[tuple[int, str], BackgroundJob] = {}
        self._running: dict[tuple[int, str], dict[str, Any]] = {}
        view.message_added.connect(self.attach)
        for w in view.messages:
            self.attach(w)

    def attach(self, w: MessageWidget) -> None:
        """Listen to a message's code blocks; show the runs of it still going (opened again meanwhile)."""
        w.code.run_requested.connect(lambda key, w=w: self.run(w.message_id, w.code.block(key)))
        w.code.stop_requested.connect(lambda key, w=w: self.stop(w.message_id, key))
        for (mid, key), record in self._running.items():
            if mid == w.message_id:
                w.code.runs[key] = record

    def run(self, message_id: int, block: CodeBlock | None) -> bool:
        """Start running ``block`` of message ``message_id``; False when it is not runnable now."""
        if not message_id or block is None or (message_id, block.key) in self.jobs:
            return False
        key = block.key
        record = {"state": "running", "language": block.language, "started": time.time(),
                  "limits": {"time_s": self.timeout_s, "memory_mb": self.memory_mb, "scratch_mb": DEFAULT_SCRATCH_MB,
                             "files": DEFAULT_FILES}}
        timeout_s, memory_mb, history = self.timeout_s, self.memory_mb, self.history

        def work(_progress: object, cancel: threading.Event) -> dict[str, Any]:
            done = run_record(run_code(block.code, timeout_s=timeout_s, memory_mb=memory_mb, stop=cancel), block)
            try:  # kept here, off the window's thread (a committed SQLite write waits for the disk)
                history.set_extra(message_id, ("runs", key), done)
            except AssistantError as exc:  # shown anyway; only keeping it failed
                log.warning("the result of a code run was not saved: %s", exc)
            return done

        job = BackgroundJob(work, self)
        job.done.connect(lambda done: self._done(message_id, key, done))
        job.failed.connect(lambda exc: self._failed(message_id, key, exc))
        self.jobs[(message_id, key)] = job
        self._running[(message_id, key)] = record
        self._show(message_id, key, record)
        job.start()
        return True

    def stop(self, message_id: int, key: str) -> None:
        job = self.jobs.get((message_id, key))
        if job is not None:
            job.cancel.set()  # run_code kills the whole sandbox; the job then reports a stopped run

    @property
    def busy(self) -> bool:
        return bool(self.jobs)

    def stop_all(self, wait_ms: int = 5000) -> None:
        """Kill every run and wait for its thread (the window is closing): nothing is reported after."""
        for job in self.jobs.values():
            job.stop(wait_ms)
        self.jobs.clear()
        self._running.clear()

    def _end(self, message_id: int, key: str) -> None:
        job = self.jobs.pop((message_id, key), None)
        self._running.pop((message_id, key), None)
        if job is not None:
            job.deleteLater()

    def _done(self, message_id: int, key: str, record: dict[str, Any]) -> None:
        self._end(message_id, key)
        self._show(message_id, key, record)
        self.finished.emit(message_id, key, record)

    def _failed(self, message_id: int, key: str, exc: BaseException) -> None:
        self._end(message_id, key)
        if isinstance(exc, AssistantError):
            record = {"state": "error", "error": exc.message, "hint": exc.hint}
        else:
            record = {"state": "error", "error": self.tr("The code could not be run: %1").replace("%1", str(exc)),
                      "hint": ""}
        self._show(message_id, key, record)
        self.finished.emit(message_id, key, record)

    def _show(self, message_id: int, key: str, record: dict[str, Any]) -> None:
        w = self.view.message(message_id)
        if w is not None:
            w.code.set_run(key, record)
