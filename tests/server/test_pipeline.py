"""The request pipeline with a scripted R1-style backend (fast; the real model is in test_api.py).

A scripted backend makes the exact R1 output shape (`…</think>\\n\\nanswer`) and the rarer finish
reasons reproducible; the HTTP server, the prompt layer and the splitter are the real ones.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from openai import OpenAI

from assistant.core.backends.fake import FakeBackend
from assistant.core.errors import GenerationError

pytestmark = pytest.mark.server

R1_REPLY = ["Let me", " add: 2", "+2 is 4.\n</", "think>\n\n", "The answer", " is **4**."]


def scripted_r1(**options: Any) -> FakeBackend:
    """An R1 model file that replays R1_REPLY on every call, with a fixed prompt size."""
    return FakeBackend(R1_REPLY, family="deepseek-r1", model_name="DeepSeek-R1-Distill-Qwen-1.5B",
                       path="/m/r1.gguf", prompt_tokens=9, **options)


@pytest.fixture
def scripted() -> Iterator[tuple[FakeBackend, Any]]:
    from assistant.server import LocalServer

    backend = scripted_r1()
    with LocalServer(lambda: backend, port=0) as srv:
        yield backend, srv


def test_reasoning_content_is_separate_non_streaming(scripted: tuple[FakeBackend, Any]) -> None:
    backend, srv = scripted
    c = OpenAI(base_url=srv.url, api_key="none", max_retries=0)
    r = c.chat.completions.create(model="r1", messages=[{"role": "system", "content": "You are terse."},
                                                         {"role": "user", "content": "What is 2+2?"}])
    msg = r.choices[0].message
    assert msg.content == "The answer is **4**."
    assert msg.reasoning_content == "Let me add: 2+2 is 4."  # type: ignore[attr-defined]
    assert r.choices[0].finish_reason == "stop"
    assert r.usage is not None and (r.usage.prompt_tokens, r.usage.completion_tokens) == (9, len(R1_REPLY))
    # The shared prompt layer: no system role for R1, folded into the user turn; family sampling.
    req = backend.requests[-1]
    assert [m.role for m in req.messages] == ["user"]
    assert req.messages[0].content == "You are terse.\n\nWhat is 2+2?"
    assert (req.sampling.temperature, req.sampling.top_p) == (0.6, 0.95)
    assert req.sampling.max_tokens == 4096  # the server's limit is the default


def test_reasoning_content_is_separate_streaming(scripted: tuple[FakeBackend, Any]) -> None:
    _, srv = scripted
    c = OpenAI(base_url=srv.url, api_key="none", max_retries=0)
    reasoning, answer, finish = "", "", []
    for chunk in c.chat.completions.create(model="r1", messages=[{"role": "user", "content": "2+2?"}], stream=True):
        for ch in chunk.choices:
            reasoning += getattr(ch.delta, "reasoning_content", None) or ""
            answer += ch.delta.content or ""
            if ch.finish_reason:
                finish.append(ch.finish_reason)
    assert reasoning == "Let me add: 2+2 is 4."
    assert answer == "The answer is **4**."
    assert finish == ["stop"]


def test_raw_sse_framing(scripted: tuple[FakeBackend, Any]) -> None:
    _, srv = scripted
    with httpx.stream("POST", srv.url + "/chat/completions", timeout=10,
                      json={"model": "r1", "messages": [{"role": "user", "content": "2+2?"}], "stream": True}) as r:
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/event-stream")
        body = r.read().decode()
    events = [e for e in body.split("\n\n") if e]
    assert all(e.startswith("data: ") for e in events)
    assert events[-1] == "data: [DONE]"


@pytest.mark.parametrize(("ours", "openai_reason"), [("context", "length"), ("length", "length"), ("stop", "stop")])
def test_finish_reasons_map_to_openai(ours: str, openai_reason: str) -> None:
    from assistant.server import LocalServer

    backend = scripted_r1(finish=ours)
    with LocalServer(lambda: backend, port=0) as srv:
        c = OpenAI(base_url=srv.url, api_key="none", max_retries=0)
        r = c.chat.completions.create(model="r1", messages=[{"role": "user", "content": "2+2?"}])
        assert r.choices[0].finish_reason == openai_reason


def test_backend_failure_is_a_clear_error_not_a_crash() -> None:
    from assistant.server import LocalServer

    backend = scripted_r1(fail=GenerationError("llama.cpp failed while generating: out of memory"))
    with LocalServer(lambda: backend, port=0) as srv:
        body = {"model": "r1", "messages": [{"role": "user", "content": "2+2?"}]}
        r = httpx.post(srv.url + "/chat/completions", json=body, timeout=10)
        assert r.status_code == 500
        assert r.json()["error"]["code"] == "generation_failed" and "out of memory" in r.json()["error"]["message"]
        backend.fail = None
        assert httpx.post(srv.url + "/chat/completions", json=body, timeout=10).status_code == 200


def test_maths_option_appends_the_directive(scripted: tuple[FakeBackend, Any]) -> None:
    backend, srv = scripted
    body = {"model": "r1", "messages": [{"role": "user", "content": "求 3+5"}]}
    assert httpx.post(srv.url + "/chat/completions", json=body, timeout=10).status_code == 200
    assert backend.requests[-1].messages[-1].content == "求 3+5"  # off unless asked: the client owns its prompt
    assert httpx.post(srv.url + "/chat/completions", json={**body, "maths": True}, timeout=10).status_code == 200
    assert backend.requests[-1].messages[-1].content == "求 3+5请逐步推理，并将最终答案放在\\boxed{}内。"


def test_model_id_from_catalog_name_and_file() -> None:
    from assistant.server import LocalServer

    backend = scripted_r1()
    with LocalServer(lambda: backend, port=0) as srv:
        ids = [m["id"] for m in httpx.get(srv.url + "/models", timeout=10).json()["data"]]
        assert ids == ["r1"]  # no catalog entry: the file name
        for alias in ("r1.gguf", "DeepSeek-R1-Distill-Qwen-1.5B"):
            r = httpx.post(srv.url + "/chat/completions", timeout=10,
                           json={"model": alias, "messages": [{"role": "user", "content": "hi"}]})
            assert r.status_code == 200, alias


def test_gui_model_switch_is_followed() -> None:
    """The GUI's provider returns whatever model is loaded now; the server follows it per request."""
    from assistant.server import LocalServer

    current: list[Any] = [None]
    with LocalServer(lambda: current[0], port=0) as srv:
        assert httpx.get(srv.url + "/models", timeout=10).status_code == 503
        current[0] = scripted_r1()
        assert httpx.get(srv.url + "/models", timeout=10).json()["data"][0]["id"] == "r1"


def test_many_concurrent_clients_are_served_in_turn() -> None:
    from assistant.server import LocalServer

    backend = scripted_r1()
    statuses: list[int] = []
    with LocalServer(lambda: backend, port=0, max_queue=8) as srv:
        def one() -> None:
            r = httpx.post(srv.url + "/chat/completions", timeout=30,
                           json={"model": "r1", "messages": [{"role": "user", "content": "2+2?"}]})
            statuses.append(r.status_code)

        threads = [threading.Thread(target=one) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert statuses == [200] * 6
        assert srv.service.pending == 0 and len(srv.records) == 6
