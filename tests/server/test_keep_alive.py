"""Idle unload (issue 26): ``assistant serve`` unloads a model idle past its keep-alive (the server's, or a
request's own, as Ollama's ``keep_alive``), says so in /api/ps and /v1/models, and loads it again on the next
request, where its KV cache, kept on disk at the unload, spares evaluating the conversation again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from ollama import Client
from openai import OpenAI

from .conftest import MODEL, wait_for

pytestmark = [pytest.mark.server, pytest.mark.model]

# A conversation long enough for its KV state to be kept (kv_states.MIN_TOKENS is 256).
LONG = "Here is a story about a lighthouse keeper who counts the ships passing by. " * 30


def _opener(path: Path, n_ctx: int | None = None) -> Any:
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    return LlamaCppBackend(path, n_ctx=n_ctx or 2048, n_threads=1)


@pytest.fixture
def slot(bundled_model: Path) -> Iterator[Any]:
    from assistant.server import ModelSlot

    s = ModelSlot(_opener, _opener(bundled_model))
    yield s
    s.close()


def test_idle_model_is_unloaded_and_the_next_request_loads_it(slot: Any) -> None:
    from assistant.server import LocalServer

    with LocalServer(slot.current, port=0, max_tokens_limit=64, slot=slot, keep_alive="1s") as srv:
        client = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=120)
        ollama = Client(host=srv.root_url, timeout=120)
        client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}], max_tokens=4)
        assert [m.model for m in ollama.ps().models] == [f"{MODEL}:latest"]
        assert client.models.list().data[0].model_extra["loaded"] is True
        wait_for(lambda: slot.parked is not None, 10)  # idle for its keep-alive: unloaded
        assert slot.parked is not None and slot.parked.path.name.startswith("SmolLM2")
        assert ollama.ps().models == []
        listed = client.models.list().data
        assert listed[0].id == MODEL and listed[0].model_extra["loaded"] is False  # still served, not in memory
        r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}], max_tokens=4)
        assert r.choices[0].message.content is not None and slot.current() is not None  # loaded again
        assert [m.model for m in ollama.ps().models] == [f"{MODEL}:latest"]


def test_a_requests_keep_alive_wins_and_zero_unloads_at_once(slot: Any) -> None:
    from assistant.server import LocalServer

    with LocalServer(slot.current, port=0, max_tokens_limit=64, slot=slot, keep_alive="-1") as srv:
        ollama = Client(host=srv.root_url, timeout=120)
        ollama.generate(model=MODEL, prompt="Hi", options={"num_predict": 2}, keep_alive=0)
        wait_for(lambda: slot.parked is not None, 5)
        load = httpx.post(srv.root_url + "/api/generate", json={"model": MODEL}, timeout=60).json()
        assert load["done"] and load["done_reason"] == "load" and slot.current() is not None
        expires = ollama.ps().models[0].expires_at
        assert expires is not None and expires.year > 2100  # "-1": never unloaded
        gone = httpx.post(srv.root_url + "/api/generate", json={"model": MODEL, "keep_alive": 0}, timeout=60).json()
        assert gone["done_reason"] == "unload"
        wait_for(lambda: slot.current() is None, 5)


def test_the_kept_kv_state_survives_the_unload(slot: Any) -> None:
    from assistant.server import LocalServer

    with LocalServer(slot.current, port=0, max_tokens_limit=64, slot=slot, keep_alive="-1") as srv:
        client = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=120)
        messages = [{"role": "user", "content": LONG + "How many ships?"}]
        first = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=4, extra_body={
            "keep_alive": 0})
        assert first.usage.prompt_tokens > 256
        wait_for(lambda: slot.parked is not None, 5)
        assert slot.parked is not None and slot.parked.kept_state  # written to disk at the unload
        follow = [*messages, {"role": "assistant", "content": first.choices[0].message.content or "Some."},
                  {"role": "user", "content": "And the lighthouse?"}]
        client.chat.completions.create(model=MODEL, messages=follow, max_tokens=4)
        backend = slot.current()
        assert backend is not None and backend.restored_tokens > 256  # restored from disk, not evaluated
