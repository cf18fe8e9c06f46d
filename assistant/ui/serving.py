"""The optional local OpenAI-compatible API (Settings.serve_enabled), sharing the loaded model.

``assistant.server.LocalServer`` is built separately; a build without it simply cannot serve.
The server calls the backend from its own threads: the llama.cpp backend serialises calls with a lock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from assistant.core.errors import AssistantError, BackendUnavailableError

log = logging.getLogger(__name__)


class ServingController(QObject):
    changed = Signal()
    failed = Signal(object)  # AssistantError

    def __init__(self, backend_provider: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._provider = backend_provider
        self._server: Any = None

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return str(getattr(self._server, "url", "")) if self._server is not None else ""

    def start(self, port: int) -> bool:
        if self._server is not None:
            return True
        try:
            from assistant.server import LocalServer  # type: ignore[import-not-found]
        except ImportError:
            self.failed.emit(BackendUnavailableError(
                "Serving the model is not available in this build.", title="Serving unavailable",
                hint="Turn serving off in Settings → Serving."))
            return False
        try:
            server = LocalServer(self._provider, host="127.0.0.1", port=port)
            server.start()
        except AssistantError as exc:
            self.failed.emit(exc)
            return False
        except Exception as exc:  # e.g. the port is taken
            log.exception("local server failed to start")
            self.failed.emit(BackendUnavailableError(
                f"The local API server could not start on 127.0.0.1:{port}: {exc}", title="Serving failed",
                hint="Choose another port in Settings → Serving, or turn serving off."))
            return False
        self._server = server
        self.changed.emit()
        return True

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        try:
            server.stop()
        except Exception:
            log.exception("stopping the local server failed")
        self.changed.emit()
