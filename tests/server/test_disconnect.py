"""Prompt evaluation ends within one batch when its client leaves (issue 24): a 3,800-token request whose
client disconnects while the prompt is evaluated frees the model within about one batch, and the request
behind it starts at once (before, the whole prompt was evaluated in one call, whoever was still listening)."""

from __future__ import annotations

import json
import socket
import time
from typing import Any

import httpx
import pytest

from .conftest import MODEL

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.slow]


def test_a_client_that_leaves_during_a_long_prompt_frees_the_model(bundled_model: Any) -> None:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import LocalServer

    backend = LlamaCppBackend(bundled_model, n_ctx=4096, n_threads=1)
    try:
        text = "alpha beta gamma delta " * 900
        tokens = backend.tokenize_prompt(text)
        batch = backend.llm.n_batch
        t0 = time.perf_counter()
        backend.llm.eval(tokens[:batch])
        one_batch = time.perf_counter() - t0
        backend.llm.reset()
        whole = one_batch * 3600 / batch  # what evaluating the whole prompt would take
        with LocalServer(lambda: backend, port=0, max_tokens_limit=64) as srv:
            body = json.dumps({"model": MODEL, "max_tokens": 4, "stream": True,
                               "messages": [{"role": "user", "content": text[: len(text) * 3600 // len(tokens)]}]})
            s = socket.create_connection(("127.0.0.1", srv.port))
            s.sendall((f"POST /v1/chat/completions HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                       f"Content-Length: {len(body.encode())}\r\n\r\n{body}").encode())
            time.sleep(max(0.5, one_batch * 1.2))  # well inside the prompt's evaluation
            s.close()  # the client gives up
            left = time.monotonic()
            while not srv.records and time.monotonic() - left < whole + 10:  # the worker's record: it is done
                time.sleep(0.02)
            freed = time.monotonic() - left
            assert srv.records and srv.service.pending == 0
            assert freed < one_batch * 2.5 + 1.0, (freed, one_batch, whole)
            rec = srv.records[-1]
            assert rec.finish_reasons == ["cancelled"] and rec.completion_tokens == 0
            # the next request is served at once
            t1 = time.monotonic()
            r = httpx.post(f"{srv.url}/chat/completions", timeout=60, json={
                "model": MODEL, "max_tokens": 2, "messages": [{"role": "user", "content": "Hi"}]})
            assert r.status_code == 200 and time.monotonic() - t1 < one_batch * 2 + 2.0
    finally:
        backend.close()
