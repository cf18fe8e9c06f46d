"""The OpenAI-compatible backend against llama-cpp-python's own server with the bundled model.

A real server process on 127.0.0.1, real SSE streaming, the real model. Proves streaming with stats,
exact token counts through the server's tokenizer, the reasoning split on inline <think> tags,
cancel mid-stream (the server sees the disconnect), the server dying mid-reply, wrong URLs and keys.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx
import pytest

from assistant.core.backends.openai_compat import OpenAICompatBackend
from assistant.core.backends.server_process import free_port
from assistant.core.chat.prompting import Message, Sampling
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.errors import BackendUnavailableError, GenerationError

from .conftest import N_CTX, LlamaServer, start_llama_server

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.slow]

GREEDY = Sampling(temperature=0.0, max_tokens=40)


def test_streams_a_reply_with_stats(llama_server: LlamaServer) -> None:
    backend = OpenAICompatBackend(llama_server.url, n_ctx=N_CTX)
    assert backend.kind == "llama-cpp-python" and backend.model == llama_server.model_id
    assert backend.family.name == "chatml" and backend.info.name == "SmolLM2 135M Instruct"  # via the catalog
    events: list[tuple[str, str]] = []
    turn = ChatTurn(backend, [], "Name three colours.", TurnOptions(sampling=GREEDY))
    result = turn.run(lambda ev: events.append((ev.kind, ev.text)))
    answers = [t for k, t in events if k == "answer"]
    assert len(answers) > 3, "the reply should arrive in many pieces, not at once"
    assert "".join(answers) == result.answer and result.answer.strip()
    assert result.reasoning == ""
    stats = result.best.stats
    assert stats.finish_reason in ("stop", "length") and 0 < stats.completion_tokens <= 40
    assert stats.prompt_seconds > 0 and stats.generation_seconds > 0 and stats.tokens_per_second > 0
    backend.close()


def test_token_counts_match_the_in_process_model(llama_server: LlamaServer, llama_backend: object) -> None:
    backend = OpenAICompatBackend(llama_server.url, n_ctx=N_CTX)
    msgs = [Message("user", "你好，请介绍一下你自己。"), Message("assistant", "I am SmolLM."), Message("user", "And?")]
    local = llama_backend.count_tokens(msgs)  # type: ignore[attr-defined]
    assert backend.count_tokens(msgs) == local > 10
    # and the prompt of a streamed reply is counted the same way (the server sends no usage when streaming)
    chunks = list(backend.stream(GenerationRequest(msgs, backend.family, GREEDY)))
    assert chunks[-1].stats is not None and chunks[-1].stats.prompt_tokens == local


def test_reasoning_split_on_inline_think_tags(llama_server: LlamaServer) -> None:
    """The server's grammar forces <think>…</think>answer; the shared splitter separates them."""
    grammar = 'root ::= "<think>" [a-z ]{8,60} "</think>" [A-Za-z ,.]{4,60}'
    backend = OpenAICompatBackend(llama_server.url, n_ctx=N_CTX, extra_body={"grammar": grammar})
    raw: list[str] = []
    turn = ChatTurn(backend, [], "What is the capital of France?", TurnOptions(sampling=Sampling(temperature=0,
                                                                                                 max_tokens=60)))
    kinds: list[str] = []
    for ev in turn.events():
        kinds.append(ev.kind)
        raw.append(ev.text)
    result = turn.result
    assert result is not None
    assert result.reasoning and result.answer
    assert "<think>" not in result.reasoning + result.answer and "</think>" not in result.answer
    assert result.best.closed
    assert kinds.index("reasoning") < kinds.index("answer")


def test_cancel_mid_stream_closes_the_connection(llama_server: LlamaServer) -> None:
    backend = OpenAICompatBackend(llama_server.url, n_ctx=N_CTX)
    req = GenerationRequest([Message("user", "Count from 1 to 500.")], backend.family,
                            Sampling(temperature=0, max_tokens=400), ignore_eos=True)
    pieces: list[str] = []
    t_cancel = 0.0
    for chunk in backend.stream(req):
        if chunk.done:
            break
        pieces.append(chunk.text)
        if len(pieces) == 8:
            req.cancel.set()
            t_cancel = time.monotonic()
    assert chunk.stats is not None and chunk.stats.finish_reason == "cancelled"
    assert len(pieces) == 8 and time.monotonic() - t_cancel < 2.0
    # the server noticed the closed stream (llama_cpp.server logs the disconnect) ...
    deadline = time.monotonic() + 10
    while "Disconnected from client" not in llama_server.process.tail(200) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "Disconnected from client" in llama_server.process.tail(200)
    # ... and serves the next request normally
    again = list(backend.stream(GenerationRequest([Message("user", "Hi")], backend.family, GREEDY)))
    assert again[-1].stats is not None and again[-1].stats.finish_reason in ("stop", "length")


def test_server_killed_mid_stream_is_a_clear_error(bundled_model: Path, tmp_path: Path) -> None:
    server = start_llama_server(bundled_model, tmp_path, api_key="s3cret")
    try:
        with pytest.raises(BackendUnavailableError, match=r"refused the model list \(401\): Invalid API key") as info:
            OpenAICompatBackend(server.url, api_key="wrong")
        assert "API key" in info.value.hint
        backend = OpenAICompatBackend(server.url, api_key="s3cret", n_ctx=N_CTX)
        req = GenerationRequest([Message("user", "Count from 1 to 500.")], backend.family,
                                Sampling(temperature=0, max_tokens=400), ignore_eos=True)
        received: list[str] = []
        with pytest.raises(GenerationError) as err:
            for chunk in backend.stream(req):
                received.append(chunk.text)
                if len(received) == 5:
                    os.killpg(server.process.pid, signal.SIGKILL)
        assert len(received) >= 5  # what arrived before the crash was delivered
        assert "broke off in the middle of the reply" in err.value.message
        assert "crashed" in err.value.hint
        # once it is gone, the next request says the server cannot be reached
        with pytest.raises(BackendUnavailableError, match="connection refused"):
            list(backend.stream(GenerationRequest([Message("user", "Hi")], backend.family, GREEDY)))
    finally:
        server.process.stop()


def test_wrong_url_is_a_clear_error(llama_server: LlamaServer) -> None:
    port = free_port()
    with pytest.raises(BackendUnavailableError, match=f"Cannot connect to the server at http://127.0.0.1:{port}/v1: "
                                                      "connection refused") as info:
        OpenAICompatBackend(f"http://127.0.0.1:{port}")
    assert "Start the server" in info.value.hint
    wrong_path = llama_server.url.replace("/v1", "/api/v2")
    with pytest.raises(BackendUnavailableError, match=r"\(404\): Not Found") as info:
        OpenAICompatBackend(wrong_path)
    assert "usually ends in /v1" in info.value.hint


def test_server_error_message_reaches_the_user(llama_server: LlamaServer) -> None:
    """A request the server rejects (llama_cpp.server answers 500 for validation errors): its own words."""
    backend = OpenAICompatBackend(llama_server.url, n_ctx=N_CTX)
    bad = GenerationRequest([Message("user", "Hi")], backend.family, Sampling(top_p=1.5))
    with pytest.raises(GenerationError, match=r"(?s)failed on the request \(500\): .*less than or equal to 1"):
        list(backend.stream(bad))


def test_failure_after_the_stream_started(llama_server: LlamaServer) -> None:
    """llama_cpp.server checks the context only once streaming began, then just ends the stream."""
    backend = OpenAICompatBackend(llama_server.url, n_ctx=N_CTX)
    huge = GenerationRequest([Message("user", "word " * 6000)], backend.family, GREEDY)
    with pytest.raises(GenerationError, match="ended the stream before the reply was complete"):
        list(backend.stream(huge))
    deadline = time.monotonic() + 10  # the server logs the reason just after it ends the stream
    while "exceed context window" not in llama_server.process.log_path.read_text(errors="replace"):
        assert time.monotonic() < deadline, "the server's log should say why the stream ended"
        time.sleep(0.2)
    with httpx.Client() as c:  # the server is still fine
        assert c.get(f"{llama_server.url}/models").status_code == 200


def test_thinking_budget_through_the_server_continues_by_the_completions_route(llama_server: LlamaServer) -> None:
    """A server backend closes the reasoning at its budget with a continuation request: the chat so far,
    the reasoning and the wrap-up rendered here and sent to /v1/completions; the model then answers."""
    backend = OpenAICompatBackend(llama_server.url, n_ctx=N_CTX)
    options = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=300), thinking_budget=24, force_thinking=True)
    events: list[tuple[str, str]] = []
    result = ChatTurn(backend, [], "Explain recursion.", options).run(lambda ev: events.append((ev.kind, ev.text)))
    thinking = result.best.thinking
    assert thinking is not None and thinking["end"] in ("budget", "unclosed")
    assert int(thinking["tokens"]) <= 24 + 48
    assert result.answer.strip() and ("thinking_end", thinking["end"]) in events
    assert "I have thought about this enough" in result.reasoning
    backend.close()
