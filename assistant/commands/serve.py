"""`assistant serve`: the loaded model as a local OpenAI-compatible API, Ollama's API beside it (assistant/server/)."""

from __future__ import annotations

import argparse
import dataclasses
import os
import signal
import sys
import threading
from typing import Any


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "serve", help="serve the model to other programs with the OpenAI and Ollama APIs (127.0.0.1 by default)",
        description="Serve the model with the OpenAI API (chat completions, completions, embeddings) and Ollama's "
        "(/api/chat, /api/generate, ...), so existing clients work offline: "
        "OpenAI(base_url='http://localhost:8000/v1', api_key='none'), or ollama.Client('http://localhost:8000').",
    )
    p.add_argument("--host", help="address to listen on (default 127.0.0.1; another address needs --api-key)")
    p.add_argument("--port", type=int, help="port (default 8000; 0 picks a free one)")
    p.add_argument("-m", "--model", help="catalog id or path to a .gguf file (default: the last used)")
    p.add_argument("--api-key", help="require 'Authorization: Bearer KEY' (or set ASSISTANT_API_KEY, which "
                   "other users cannot see in the process list)")
    p.add_argument("--cors-origin", action="append", metavar="ORIGIN",
                   help="let web pages from ORIGIN call the API (repeatable; none by default)")
    p.add_argument("--max-tokens-limit", type=int, help="largest max_tokens a request may ask for (default 4096)")
    p.add_argument("--max-queue", type=int, help="requests that may wait behind the running one (default 4)")
    p.add_argument("--ctx", type=int, help="context size in tokens (default: from the catalog)")
    p.add_argument("--threads", type=int, help="CPU threads (default: physical cores)")
    p.add_argument("--gpu-layers", type=int, help="layers to offload to the GPU")
    p.add_argument("--keep-alive", metavar="DURATION",
                   help="unload the model after it has been idle this long, and load it again on the next request "
                   "(5m by default, as Ollama; 0 at once; -1 never); a request's keep_alive overrides it")
    p.add_argument("--ollama-port", type=int, metavar="PORT",
                   help="also listen on PORT (11434 is Ollama's own), for clients that only look there; the Ollama "
                   "routes are on --port in any case")
    p.add_argument("--body-timeout", type=float, metavar="SECONDS",
                   help="a request body must arrive within this time, else 408 (default 30)")
    p.add_argument("--max-client-connections", type=int, metavar="N",
                   help="connections one client address may hold open (default 32)")
    p.add_argument("--load-on-request", action=argparse.BooleanOptionalAction, default=None,
                   help="load another model on this computer when a request names it, one at a time "
                   "(llama.cpp backend; default on, or Settings → Serving)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    from assistant.core.backends import open_backend
    from assistant.core.settings import Settings

    from ..server import LocalServer, ModelSlot, is_loopback, model_ids

    settings = Settings.load()
    for attr, name in (("model", "model"), ("ctx", "n_ctx"), ("threads", "n_threads"), ("gpu_layers", "n_gpu_layers"),
                       ("host", "serve_host"), ("port", "serve_port"), ("max_tokens_limit", "serve_max_tokens"),
                       ("max_queue", "serve_max_queue"), ("cors_origin", "serve_cors_origins"),
                       ("load_on_request", "serve_load_on_request"), ("keep_alive", "serve_keep_alive"),
                       ("ollama_port", "serve_ollama_port"), ("body_timeout", "serve_body_timeout_s"),
                       ("max_client_connections", "serve_max_client_connections")):
        value = getattr(args, attr, None)
        if value is not None:
            setattr(settings, name, value)
    settings.validate()
    api_key = args.api_key or os.environ.get("ASSISTANT_API_KEY") or settings.serve_api_key or None
    host = settings.serve_host
    # Only llama.cpp loads files from disk; a vLLM or remote server serves the one model it has.
    local = settings.backend == "llama.cpp"
    def opener(path: object, n_ctx: int | None = None) -> Any:
        # A request may ask for another context size (Ollama's num_ctx): that model loads with it.
        chosen = settings if n_ctx is None else dataclasses.replace(settings, n_ctx=n_ctx)
        return open_backend(chosen, str(path))

    slot = ModelSlot(opener)
    # Built before the (maybe slow) model load, so a refused address or a bad limit is reported at once.
    server = LocalServer(
        slot.current, host, settings.serve_port, api_key,
        cors_origins=settings.serve_cors_origins, max_queue=settings.serve_max_queue,
        max_tokens_limit=settings.serve_max_tokens, settings=settings,
        slot=slot if local else None, load_on_request=settings.serve_load_on_request,
        keep_alive=settings.serve_keep_alive, ollama_port=settings.serve_ollama_port,
        body_timeout_s=settings.serve_body_timeout_s, max_client_connections=settings.serve_max_client_connections,
    )
    print(f"Loading {settings.model}…", file=sys.stderr)
    backend = open_backend(settings, settings.model)
    slot.put(backend)
    stop = threading.Event()
    previous: dict[signal.Signals, Any] = {}
    try:
        server.start()
        # Ctrl+C (and a service manager's SIGTERM) stop the server cleanly instead of killing it mid-reply.
        for sig in (signal.SIGINT, signal.SIGTERM):
            previous[sig] = signal.signal(sig, lambda *_: stop.set())
        print(f"Serving {model_ids(backend)[0]} ({backend.name}) at {server.url} (OpenAI) and {server.root_url}/api "
              "(Ollama)", file=sys.stderr)
        if server.ollama_port:
            print(f"Ollama's clients also find it on port {server.ollama_port}.", file=sys.stderr)
        if local and server.options.keep_alive_s >= 0:
            print(f"An idle model is unloaded after {settings.serve_keep_alive} and loaded again by the next request "
                  "(--keep-alive).", file=sys.stderr)
        if server.service.models.loads_on_request:
            print(f"A request naming another model on this computer loads it instead ({server.url}/models lists "
                  "them; --no-load-on-request turns this off).", file=sys.stderr)
        if not is_loopback(host):
            print(f"Listening on {host}: other machines can reach this server; every request needs the API key.",
                  file=sys.stderr)
        if api_key:
            print("Requests must send 'Authorization: Bearer <key>'.", file=sys.stderr)
        print("Press Ctrl+C to stop.", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            if not server.running:
                print("Error: the server stopped unexpectedly; see the log file.", file=sys.stderr)
                return 1
    finally:
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        slot.close()  # the model loaded last, which may be another than the first
    print("Server stopped.", file=sys.stderr)
    return 0
