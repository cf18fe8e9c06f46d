"""Fixtures for the local API: the real server on 127.0.0.1 (a free port) over the bundled model."""

from __future__ import annotations

import time
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


def wait_for(cond: Any, timeout: float = 30.0) -> None:
    """Poll ``cond`` until it holds (a failed assertion after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not cond():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def record(server: Any, request_id: str) -> Any:
    """The server's record of one request (written when the worker is done with it)."""
    matches = [r for r in server.records if r.id == request_id]
    assert matches, f"no record for {request_id}"
    return matches[-1]


QWEN25_TEMPLATE = "qwen2.5-instruct.chat_template.jinja"


def copy_with_template(src: Any, out: Any, template: str, name: str) -> Any:
    """A copy of a GGUF with another chat template and name (gguf-py's gguf_new_metadata.py way): the same
    weights and tokenizer, so it answers as the original does, through the other template."""
    import gguf
    from gguf.scripts.gguf_new_metadata import MetadataDetails, copy_with_new_metadata

    reader = gguf.GGUFReader(str(src), "r")
    arch = str(reader.fields[gguf.Keys.General.ARCHITECTURE].contents())
    writer = gguf.GGUFWriter(str(out), arch=arch, endianess=reader.endianess)
    copy_with_new_metadata(reader, writer, {
        gguf.Keys.Tokenizer.CHAT_TEMPLATE: MetadataDetails(gguf.GGUFValueType.STRING, template),
        gguf.Keys.General.NAME: MetadataDetails(gguf.GGUFValueType.STRING, name),
    }, [])
    return out


@pytest.fixture(scope="session")
def tools_model(tmp_path_factory: pytest.TempPathFactory, bundled_model: Any) -> Any:
    """The bundled SmolLM2 with Qwen2.5's real chat template (tests/fixtures, llama.cpp's copy of
    Qwen/Qwen2.5-7B-Instruct's): the same ChatML tokens, and a template that presents tools."""
    from tests.conftest import LOCAL_FIXTURES

    template = (LOCAL_FIXTURES / QWEN25_TEMPLATE).read_text(encoding="utf-8")
    out = tmp_path_factory.mktemp("tools") / "smollm2-qwen2.5-tools.gguf"
    return copy_with_template(bundled_model, out, template, "SmolLM2 with Qwen2.5's tool template")
