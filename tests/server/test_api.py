"""The real server, the real bundled model, the official `openai` client (the article's snippet)."""

from __future__ import annotations

import threading
import time
from typing import Any

import httpx
import openai
import pytest
from openai import OpenAI

from .conftest import MODEL, record, wait_for

pytestmark = [pytest.mark.server, pytest.mark.model]

QUESTION = "What is the capital of France? Answer in one short sentence."


def _warm(client: OpenAI, messages: list[dict[str, str]]) -> None:
    """Put the model's KV cache in the same state before each of two runs that must match exactly."""
    client.chat.completions.create(model=MODEL, messages=messages, max_tokens=1)


# ---------------------------------------------------------------------------------------------------
# The article's client code


def test_article_snippet_non_streaming(client: OpenAI, served: Any) -> None:
    response = client.chat.completions.create(
        model=MODEL,
        messages=[{"role": "user", "content": QUESTION}],
        temperature=0.6,
        top_p=0.95,
        max_tokens=512,
    )
    choice = response.choices[0]
    assert response.object == "chat.completion"
    assert response.model == MODEL
    assert isinstance(choice.message.content, str) and choice.message.content.strip()
    assert choice.message.role == "assistant"
    assert choice.finish_reason in ("stop", "length")
    usage = response.usage
    assert usage is not None and usage.prompt_tokens > 0 and 0 < usage.completion_tokens <= 512
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens
    rec = record(served, response.id)
    assert (rec.prompt_tokens, rec.completion_tokens) == (usage.prompt_tokens, usage.completion_tokens)
    assert (rec.temperature, rec.top_p, rec.max_tokens) == (0.6, 0.95, 512)


def test_article_snippet_streaming_matches_non_streaming(client: OpenAI) -> None:
    messages = [{"role": "user", "content": QUESTION}]
    kwargs: dict[str, Any] = dict(model=MODEL, messages=messages, temperature=0.6, top_p=0.95, max_tokens=48, seed=7)
    _warm(client, messages)
    whole = client.chat.completions.create(**kwargs)
    _warm(client, messages)
    stream = client.chat.completions.create(**kwargs, stream=True, stream_options={"include_usage": True})
    pieces, finish, usage, roles, ids = [], [], None, [], set()
    for chunk in stream:
        ids.add(chunk.id)
        assert chunk.object == "chat.completion.chunk"
        if chunk.usage is not None:
            usage = chunk.usage
        for c in chunk.choices:
            if c.delta.role:
                roles.append(c.delta.role)
            if c.delta.content:
                pieces.append(c.delta.content)
            if c.finish_reason:
                finish.append(c.finish_reason)
    assert len(ids) == 1 and roles == ["assistant"]
    assert len(pieces) > 3  # it really streamed, piece by piece
    assert "".join(pieces) == whole.choices[0].message.content  # same seed, same state: same reply
    assert finish == [whole.choices[0].finish_reason]
    assert usage is not None and whole.usage is not None
    assert usage.completion_tokens == whole.usage.completion_tokens
    assert usage.prompt_tokens == whole.usage.prompt_tokens


def test_temperature_defaults_to_the_family_value(client: OpenAI, served: Any) -> None:
    messages = [{"role": "user", "content": "Name three colours."}]
    _warm(client, messages)
    implicit = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=16, seed=11)
    _warm(client, messages)
    explicit = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=16, seed=11,
                                              temperature=0.6)
    assert implicit.choices[0].message.content == explicit.choices[0].message.content
    assert record(served, implicit.id).temperature == 0.6
    hot = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=4, temperature=1.3)
    assert record(served, hot.id).temperature == 1.3


def test_model_list_and_aliases(client: OpenAI) -> None:
    models = client.models.list()
    assert [m.id for m in models.data] == [MODEL]
    assert client.models.retrieve(MODEL).id == MODEL
    # The Hugging Face repo name works too, as in the article's snippet (model=<repo>).
    r = client.chat.completions.create(model="HuggingFaceTB/SmolLM2-135M-Instruct",
                                       messages=[{"role": "user", "content": "Hi"}], max_tokens=2)
    assert r.model == MODEL
    with pytest.raises(openai.NotFoundError) as err:
        client.chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "Hi"}], max_tokens=2)
    assert err.value.body["code"] == "model_not_found"


# ---------------------------------------------------------------------------------------------------
# Optional fields


def test_n_choices_non_streaming_and_streaming(client: OpenAI) -> None:
    messages = [{"role": "user", "content": "Say a word."}]
    r = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=6, n=2, seed=3)
    assert [c.index for c in r.choices] == [0, 1]
    assert r.usage is not None and r.usage.completion_tokens >= 2
    finished: dict[int, str] = {}
    text: dict[int, str] = {0: "", 1: ""}
    for chunk in client.chat.completions.create(model=MODEL, messages=messages, max_tokens=6, n=2,
                                                stream=True):
        for c in chunk.choices:
            text[c.index] += c.delta.content or ""
            if c.finish_reason:
                finished[c.index] = c.finish_reason
    assert set(finished) == {0, 1} and all(text.values())
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model=MODEL, messages=messages, max_tokens=2, n=5)
    assert err.value.body["param"] == "n"


def test_stop_strings_cut_the_reply(client: OpenAI) -> None:
    messages = [{"role": "user", "content": "Describe the sea in two sentences."}]
    _warm(client, messages)
    free = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=40, seed=5)
    text = free.choices[0].message.content or ""
    words = text.split()
    assert len(words) >= 6, text
    stop = " " + words[4]
    cut = text[: text.index(stop)].rstrip()
    _warm(client, messages)
    stopped = client.chat.completions.create(model=MODEL, messages=messages, max_tokens=40, seed=5,
                                             stop=[stop, "\u0000never"])
    assert stopped.choices[0].message.content == cut
    assert stopped.choices[0].finish_reason == "stop"


def test_max_tokens_gives_length_and_ignore_eos_extension(client: OpenAI) -> None:
    r = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}], max_tokens=12,
                                       extra_body={"ignore_eos": True})
    assert r.choices[0].finish_reason == "length"
    assert r.usage is not None and r.usage.completion_tokens == 12
    r2 = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}],
                                        max_completion_tokens=3, extra_body={"ignore_eos": True})
    assert r2.usage is not None and r2.usage.completion_tokens == 3


def test_chinese_round_trip(client: OpenAI) -> None:
    r = client.chat.completions.create(model=MODEL, messages=[{"role": "system", "content": "请用中文回答。"},
                                                              {"role": "user", "content": "你好，你是谁？"}],
                                       max_tokens=24)
    assert r.choices[0].message.content  # decoded text, not mojibake or replacement characters
    assert "\ufffd" not in (r.choices[0].message.content or "")


# ---------------------------------------------------------------------------------------------------
# Disconnects and the queue


def _long_stream(c: OpenAI) -> Any:
    return c.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Tell me a long story."}],
                                     max_tokens=4000, stream=True, extra_body={"ignore_eos": True})


def test_disconnect_mid_stream_frees_the_model(client: OpenAI, served: Any) -> None:
    stream = _long_stream(client)
    received, stream_id = 0, ""
    for chunk in stream:
        stream_id = chunk.id
        if chunk.choices and chunk.choices[0].delta.content:
            received += 1
        if received >= 3:
            break
    stream.close()  # the client goes away mid-reply
    t0 = time.monotonic()
    after = client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}], max_tokens=4)
    waited = time.monotonic() - t0
    assert after.choices[0].message.content is not None
    first = record(served, stream_id)
    assert first.finish_reasons == ["cancelled"]
    assert 3 <= first.completion_tokens < 4000  # stopped, not run to the end
    assert waited < 60
    assert served.service.pending == 0


def test_queue_full_gets_503_and_waiting_clients_can_leave(server_backend: Any) -> None:
    from assistant.server import LocalServer

    with LocalServer(lambda: server_backend, port=0, max_queue=1, max_tokens_limit=4096) as srv:
        c = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=120)
        body = {"model": MODEL, "messages": [{"role": "user", "content": "Hi"}], "max_tokens": 2}
        running = _long_stream(c)
        running_id = next(iter(running)).id  # the role chunk: A holds the model now
        assert srv.service.pending == 1

        # D waits for the model, then its client gives up: its place in the queue is freed.
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(srv.url + "/chat/completions", json=body, timeout=httpx.Timeout(30, read=1.0))
        wait_for(lambda: srv.service.pending == 1, 10)

        # B waits; C finds the queue full.
        result: dict[str, Any] = {}
        waiter = threading.Thread(target=lambda: result.update(b=c.chat.completions.create(**body)))
        waiter.start()
        wait_for(lambda: srv.service.pending == 2)
        full = httpx.post(srv.url + "/chat/completions", json=body, timeout=30)
        assert full.status_code == 503
        assert full.headers.get("retry-after")
        err = full.json()["error"]
        assert err["code"] == "queue_full" and "busy" in err["message"] and set(err) == {"message", "type", "param",
                                                                                        "code"}
        running.close()
        waiter.join(120)
        assert not waiter.is_alive()
        assert result["b"].choices[0].message.content is not None
        recs = list(srv.records)
        assert record(srv, running_id).finish_reasons == ["cancelled"]
        assert sum(r.skipped for r in recs) == 1  # D never ran
        assert srv.service.pending == 0


def test_stop_while_streaming_returns_quickly_and_frees_the_backend(server_backend: Any) -> None:
    from assistant.core.chat.prompting import Message, Sampling
    from assistant.core.chat.protocol import GenerationRequest
    from assistant.server import LocalServer

    srv = LocalServer(lambda: server_backend, port=0, max_tokens_limit=4096)
    srv.start()
    c = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=60)
    stream = _long_stream(c)
    next(iter(stream))
    t0 = time.monotonic()
    srv.stop()
    assert time.monotonic() - t0 < 10
    assert not srv.running
    with pytest.raises(openai.APIConnectionError):
        c.models.list()
    # The GUI keeps using the model after switching the server off.
    chunks = list(server_backend.stream(GenerationRequest([Message("user", "Hi")], server_backend.family,
                                                         Sampling(max_tokens=2))))
    assert chunks[-1].done


# ---------------------------------------------------------------------------------------------------
# Reasoning models: the prompt layer and reasoning_content, with the real model rendered as R1


def test_r1_family_reasoning_content_and_folded_system(bundled_model: Any) -> None:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.chat.prompting import Message, get_family, shape_messages
    from assistant.server import LocalServer

    backend = LlamaCppBackend(bundled_model, n_ctx=1024, family="deepseek-r1")
    try:
        with LocalServer(lambda: backend, port=0, max_tokens_limit=64) as srv:
            c = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=60)
            msgs = [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "What is 2+2?"}]
            r = c.chat.completions.create(model=MODEL, messages=msgs, max_tokens=16, seed=1)
            message = r.choices[0].message
            # The R1 prompt opens <think>; SmolLM2 never closes it. Half of max_tokens is the answer's
            # reserve: the reasoning is closed at 8 tokens and the answer still comes.
            reasoning = message.reasoning_content
            assert reasoning and "<think>" not in reasoning
            assert message.content
            details = r.usage.completion_tokens_details if r.usage else None
            assert details is not None and details.reasoning_tokens == 8 and r.usage.completion_tokens <= 16
            r1 = get_family("deepseek-r1")
            folded = shape_messages(r1, [Message(**m) for m in msgs]).messages
            assert [m.role for m in folded] == ["user"]
            assert r.usage is not None
            assert r.usage.prompt_tokens == backend.count_tokens(folded, r1)
            assert r.usage.prompt_tokens != backend.count_tokens([Message(**m) for m in msgs], r1)
            assert record(srv, r.id).temperature == 0.6
            deltas = [ch.choices[0].delta for ch in c.chat.completions.create(
                model=MODEL, messages=msgs, max_tokens=8, stream=True) if ch.choices]
            assert "".join(getattr(d, "reasoning_content", None) or "" for d in deltas)
            assert "".join(d.content or "" for d in deltas), "the answer keeps its reserve when streaming too"
    finally:
        backend.close()
