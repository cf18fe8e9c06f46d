"""Fixtures for the local API: the real server on 127.0.0.1 (a free port) over the bundled model."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

MODEL = "smollm2-135m-instruct"  # the bundled model's id (the article uses the R1 repo name instead)


@pytest.fixture(scope="session")
def server_backend(bundled_model: Any) -> Iterator[Any]:
    """The bundled model on one thread: test machines are often busy, and llama.cpp's threads wait on
    each other by spinning, so two threads on two busy cores run several times slower than one."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    backend = LlamaCppBackend(bundled_model, n_ctx=4096, n_threads=1)
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def served(server_backend: Any) -> Iterator[Any]:
    from assistant.server import LocalServer

    server = LocalServer(lambda: server_backend, port=0, max_tokens_limit=4096, max_queue=2, max_n=4)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def client(served: Any) -> Any:
    from openai import OpenAI

    # As in the article, but on the free port the fixture got; no retries, so a failure shows at once.
    return OpenAI(base_url=f"http://localhost:{served.port}/v1", api_key="none", max_retries=0, timeout=120)


def record(server: Any, request_id: str) -> Any:
    """The server's record of one request (written when the worker is done with it)."""
    matches = [r for r in server.records if r.id == request_id]
    assert matches, f"no record for {request_id}"
    return matches[-1]
