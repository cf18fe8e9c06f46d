"""Real OpenAI-compatible servers on 127.0.0.1 for the server-backend tests.

* ``llama_server``: llama-cpp-python's own server (``python -m llama_cpp.server``) on the bundled model,
  started through the app's :class:`ServerProcess` (so its start/stop code runs here too);
* ``scripted_server``: a plain ``http.server`` that answers with the bytes a test scripts, for what a
  well-behaved server never does (malformed streams, errors mid-reply, stalls) and for vLLM's
  separate ``reasoning_content`` / ``reasoning`` fields.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from assistant.core.backends.server_process import ServerProcess, free_port

N_CTX = 4096


@dataclass
class LlamaServer:
    process: ServerProcess
    url: str  # .../v1
    model_id: str
    api_key: str = ""


def start_llama_server(model: Path, log_dir: Path, api_key: str = "") -> LlamaServer:
    port = free_port()
    argv = [sys.executable, "-m", "assistant.core.runtime.llama", "llama_cpp.server", "--model", str(model),
            "--host", "127.0.0.1", "--port", str(port), "--n_ctx", str(N_CTX), "--n_threads", "2"]
    if api_key:
        argv += ["--api_key", api_key]
    proc = ServerProcess(argv, log_path=log_dir / f"llama-server-{port}.log", name="llama.cpp server",
                         stop_grace_s=5)
    headers = f"Bearer {api_key}" if api_key else ""
    # /v1/models needs the key when one is set; /docs never does.
    proc.wait_healthy(f"http://127.0.0.1:{port}/docs" if headers else f"http://127.0.0.1:{port}/v1/models",
                      timeout_s=120)
    return LlamaServer(proc, f"http://127.0.0.1:{port}/v1", str(model), api_key)


@pytest.fixture(scope="module")
def llama_server(bundled_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    server = start_llama_server(bundled_model, tmp_path_factory.mktemp("llama-server"))
    yield server
    server.process.stop()


# --- a scripted HTTP server ------------------------------------------------------------------------

Reply = Callable[[BaseHTTPRequestHandler, dict[str, Any]], None]


@dataclass
class Scripted:
    url: str  # .../v1
    routes: dict[tuple[str, str], Reply] = field(default_factory=dict)
    requests: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def send_json(h: BaseHTTPRequestHandler, body: Any, status: int = 200) -> None:
    data = json.dumps(body).encode()
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    h.send_header("Content-Length", str(len(data)))
    h.end_headers()
    h.wfile.write(data)


def send_sse(h: BaseHTTPRequestHandler, events: list[str], *, delay: float = 0.0, done: bool = True) -> None:
    """Each item is sent as one ``data:`` event; ``done`` adds the closing ``[DONE]``."""
    h.send_response(200)
    h.send_header("Content-Type", "text/event-stream")
    h.end_headers()
    for e in [*events, "[DONE]"] if done else events:
        h.wfile.write(f"data: {e}\n\n".encode())
        h.wfile.flush()
        if delay:
            time.sleep(delay)


def models_reply(ids: list[str], owned_by: str = "vllm", max_model_len: int | None = 2048) -> Reply:
    cards = [{"id": i, "object": "model", "owned_by": owned_by,
              **({"max_model_len": max_model_len} if max_model_len else {})} for i in ids]
    return lambda h, _body: send_json(h, {"object": "list", "data": cards})


def delta_event(content: str | None = None, finish: str | None = None, **extra: Any) -> str:
    delta = {k: v for k, v in {"content": content, **extra}.items() if v is not None}
    return json.dumps({"id": "x", "object": "chat.completion.chunk", "model": "m",
                       "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})


@pytest.fixture
def scripted_server() -> Iterator[Scripted]:
    state = Scripted(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.0"  # the body ends when the connection closes, as with a dying server

        def log_message(self, *args: object) -> None:
            pass

        def _handle(self, method: str) -> None:
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n) if n else b""
            body = json.loads(raw) if raw else {}
            state.requests.append((method, self.path, body))
            reply = state.routes.get((method, self.path))
            if reply is None:
                send_json(self, {"detail": "Not Found"}, 404)
            else:
                try:
                    reply(self, body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        def do_GET(self) -> None:
            self._handle("GET")

        def do_POST(self) -> None:
            self._handle("POST")

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state.url = f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield state
    httpd.shutdown()
    httpd.server_close()
