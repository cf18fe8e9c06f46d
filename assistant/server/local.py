"""LocalServer: the app on uvicorn in a background thread (``assistant serve`` and the GUI use it)."""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Sequence
from typing import Any

from assistant.core.errors import ConfigError, ServerError
from assistant.core.settings import (
    SERVE_BODY_TIMEOUT_S,
    SERVE_HOST,
    SERVE_KEEP_ALIVE,
    SERVE_MAX_CLIENT_CONNECTIONS,
    SERVE_MAX_QUEUE,
    SERVE_MAX_TOKENS,
    SERVE_PORT,
    Settings,
    parse_duration,
)

from .app import create_app
from .guard import limited_protocol
from .models import ModelSlot
from .service import BackendProvider, ChatService, JobRecord, ServerOptions, check_bind, is_loopback

log = logging.getLogger(__name__)


class LocalServer:
    """Serves ``backend_provider()``'s model on ``host:port`` from a background thread.

    ``start()`` returns once the socket listens; ``stop()`` cancels what is running and waits for the
    thread. ``port=0`` picks a free port. ``url`` is the base URL an OpenAI client needs (``.../v1``).
    With a ``slot`` (whose ``current`` is then the provider), a request naming another model on disk
    loads it, unless ``load_on_request`` is off, and a model idle past ``keep_alive`` is unloaded (the next
    request loads it again); the caller closes the slot's model. ``ollama_port``: the same API (Ollama's
    routes included) on a second port too, such as Ollama's own 11434 for clients that look only there.
    """

    def __init__(
        self,
        backend_provider: BackendProvider,
        host: str = SERVE_HOST,
        port: int = SERVE_PORT,
        api_key: str | None = None,
        *,
        cors_origins: Sequence[str] = (),
        max_queue: int = SERVE_MAX_QUEUE,
        max_tokens_limit: int = SERVE_MAX_TOKENS,
        max_n: int = 4,
        max_body_bytes: int = 1 << 20,
        context_policy: str = "error",
        model_id: str | None = None,
        settings: Settings | None = None,
        slot: ModelSlot | None = None,
        load_on_request: bool = True,
        keep_alive: str | float = SERVE_KEEP_ALIVE,
        ollama_port: int = 0,
        body_timeout_s: float = SERVE_BODY_TIMEOUT_S,
        max_client_connections: int = SERVE_MAX_CLIENT_CONNECTIONS,
    ) -> None:
        check_bind(host, api_key)
        if max_queue < 0 or max_tokens_limit < 1 or max_n < 1 or max_body_bytes < 1024:
            raise ConfigError("Server limits must be positive (queue ≥ 0, max tokens ≥ 1, body ≥ 1 KiB).")
        for p in (port, ollama_port):
            if not 0 <= p <= 65535:
                raise ConfigError(f"The port must be between 0 and 65535, not {p}.")
        try:
            keep_s = parse_duration(keep_alive)
        except ValueError as exc:
            raise ConfigError(f"Keep-alive: {exc}.") from None
        if body_timeout_s <= 0 or max_client_connections < 1:
            raise ConfigError("The request-body time limit must be positive and each client must be allowed at "
                              "least one connection.")
        if context_policy not in ("error", "drop_oldest"):
            raise ConfigError(f"Unknown context policy {context_policy!r}.")
        self.host = "127.0.0.1" if host == "localhost" else host
        self.port = port
        self.options = ServerOptions(
            max_queue=max_queue, max_tokens_limit=max_tokens_limit, max_n=max_n, max_body_bytes=max_body_bytes,
            context_policy=context_policy, cors_origins=tuple(cors_origins), api_key=api_key or None,
            check_host=is_loopback(host), model_id=model_id, settings=settings or Settings(),
            load_on_request=load_on_request, keep_alive_s=keep_s, body_timeout_s=body_timeout_s,
            max_client_connections=max_client_connections,
        )
        self.ollama_port = ollama_port  # 0: none (the Ollama routes are on `port` anyway)
        self.service = ChatService(backend_provider, self.options, slot)
        self.app = create_app(service=self.service)
        self._server: Any = None
        self._thread: threading.Thread | None = None

    @property
    def root_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        if self.host in ("0.0.0.0", "::"):
            host = "127.0.0.1"
        return f"http://{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.root_url}/v1"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive() and bool(self._server and self._server.started)

    @property
    def records(self) -> list[JobRecord]:
        """The last 100 finished requests (id, finish reasons, token counts, seconds, sampling)."""
        return self.service.records

    def _bind(self, port: int | None = None) -> socket.socket:
        port = self.port if port is None else port
        try:
            infos = socket.getaddrinfo(self.host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
            family, kind, proto, _, addr = infos[0]
            sock = socket.socket(family, kind, proto)
        except OSError as exc:
            raise ServerError(f"Cannot serve on {self.host}: {exc}.", hint="Check the address given with --host.") \
                from exc
        try:
            if os.name != "nt":  # on Windows this flag would let another program take the port
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind(addr)
            sock.listen(128)
        except OSError as exc:
            sock.close()
            raise ServerError(
                f"Cannot listen on {self.host}:{port}: {exc.strerror or exc}.",
                hint="Another program may be using the port (Ollama itself on 11434?); choose another with --port "
                "or --ollama-port (0 picks a free one).",
            ) from exc
        return sock

    def start(self, timeout: float = 20.0) -> None:
        if self.running:
            return
        import uvicorn

        sock = self._bind()
        self.port = sock.getsockname()[1]
        sockets = [sock]
        if self.ollama_port:
            try:
                extra = self._bind(self.ollama_port)
            except ServerError:
                sock.close()
                raise
            self.ollama_port = extra.getsockname()[1]
            sockets.append(extra)
        config = uvicorn.Config(self.app, log_config=None, lifespan="on", timeout_graceful_shutdown=5,
                                access_log=True, server_header=False)
        config.load()
        # Per-client connection cap and a deadline for request heads, at the connection level (see guard.py).
        config.http_protocol_class = limited_protocol(config.http_protocol_class, self.options)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": sockets},
                                        name="assistant-serve", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self._server.should_exit = True
                for s in sockets:
                    s.close()
                raise ServerError(f"The server on {self.host}:{self.port} did not start.",
                                  hint="The details are in the log file.")
            time.sleep(0.02)
        if not is_loopback(self.host):
            log.warning("Serving on %s:%d: other machines can reach it; every request must carry the API key "
                        "(Authorization: Bearer ...).", self.host, self.port)
        log.info("local API serving at %s", self.url)

    def stop(self, timeout: float = 15.0) -> None:
        if self._server is None:
            return
        self.service.cancel_all()  # streams end at once, so the graceful shutdown is quick
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                self._server.force_exit = True
                self._thread.join(5)
        self._server = None
        self._thread = None
        log.info("local API stopped")

    def __enter__(self) -> LocalServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
