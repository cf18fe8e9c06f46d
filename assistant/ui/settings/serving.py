"""The optional local OpenAI-compatible API (Settings.serve_enabled), sharing the loaded model.

The server is ``assistant.server.LocalServer``, the same one ``assistant serve`` runs, configured from
the user's settings (address, port, API key, CORS origins, queue and max_tokens limits). It calls the
backend from its own threads: the llama.cpp backend serialises calls with a lock, so a chat in the
window and a request from another program simply take turns.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from assistant.core.chat.protocol import Backend
from assistant.core.errors import AssistantError, BackendUnavailableError
from assistant.core.settings import Settings
from assistant.server import LocalServer

log = logging.getLogger(__name__)

# The settings a running server was started with; a change to any of them restarts it.
SERVE_KEYS = ("serve_host", "serve_port", "serve_api_key", "serve_cors_origins", "serve_max_queue",
              "serve_max_tokens")


def serve_config(settings: Settings) -> tuple[object, ...]:
    return tuple(
        tuple(v) if isinstance(v := getattr(settings, k), list) else v for k in SERVE_KEYS
    )


class ServingController(QObject):
    changed = Signal()
    failed = Signal(object)  # AssistantError

    def __init__(self, backend_provider: Callable[[], Backend | None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._provider = backend_provider
        self._server: LocalServer | None = None
        self.config: tuple[object, ...] = ()

    @property
    def running(self) -> bool:
        return self._server is not None

    @property
    def url(self) -> str:
        return self._server.url if self._server is not None else ""

    @property
    def server(self) -> LocalServer | None:
        return self._server

    def start(self, settings: Settings) -> bool:
        """Serve on the settings' address; on failure emit ``failed`` (shown in the window) and return False."""
        if self._server is not None:
            return True
        s = settings
        try:
            # The constructor refuses another address than loopback without an API key (ConfigError).
            server = LocalServer(
                self._provider, host=s.serve_host, port=s.serve_port, api_key=s.serve_api_key or None,
                cors_origins=s.serve_cors_origins, max_queue=s.serve_max_queue, max_tokens_limit=s.serve_max_tokens,
                settings=s,
            )
            server.start()
        except AssistantError as exc:  # ServerError (port taken, bad address) or ConfigError
            self.failed.emit(exc)
            return False
        except Exception as exc:  # a bug in the server must not take the window down
            log.exception("local server failed to start")
            self.failed.emit(BackendUnavailableError(
                f"The local API server could not start on {s.serve_host}:{s.serve_port}: {exc}",
                title="Serving failed", hint="Choose another port in Settings → Serving, or turn serving off."))
            return False
        self._server = server
        self.config = serve_config(settings)
        self.changed.emit()
        return True

    def restart_if_changed(self, settings: Settings) -> None:
        """Apply new serving settings: start, stop, or restart when the address or limits changed."""
        if not settings.serve_enabled:
            self.stop()
        elif self._server is None or serve_config(settings) != self.config:
            self.stop()
            self.start(settings)

    def stop(self) -> None:
        server, self._server = self._server, None
        if server is None:
            return
        try:
            server.stop()
        except Exception:
            log.exception("stopping the local server failed")
        self.changed.emit()
