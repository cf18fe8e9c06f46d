"""The OpenAI-compatible backend against a scripted HTTP server on 127.0.0.1.

The scripted server stands in for what real servers do rarely or not at all here: vLLM's separate
reasoning fields, usage in the stream, malformed events, errors mid-reply, stalls. The real servers
(llama_cpp.server, vLLM) are in test_llama_server_backend.py and test_vllm_cpu.py.
"""

from __future__ import annotations

import json
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from assistant.core.backends import open_backend
from assistant.core.backends.openai_compat import (
    OpenAICompatBackend,
    estimate_tokens,
    iter_sse_data,
    normalize_base_url,
)
from assistant.core.chat.prompting import MATHS_DIRECTIVE, Message, PromptOptions, Sampling, get_family
from assistant.core.chat.protocol import Backend, GenerationRequest
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.errors import BackendUnavailableError, ConfigError, GenerationError
from assistant.core.settings import Settings

from .conftest import Scripted, delta_event, models_reply, send_json, send_sse

pytestmark = pytest.mark.server

R1 = "deepseek-r1-distill-qwen-1.5b"


def r1_stream(field: str) -> list[str]:
    """What vLLM with --reasoning-parser deepseek_r1 streams: role, reasoning pieces, answer pieces, usage."""
    return [
        json.dumps({"choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}, "finish_reason": None}]}),
        delta_event(**{field: "The user asks 2+3. "}),
        delta_event(**{field: "2+3=5."}),
        delta_event("\n\nThe answer is "),
        delta_event("\\boxed{5}."),
        delta_event("", finish="stop"),
        json.dumps({"choices": [], "usage": {"prompt_tokens": 17, "completion_tokens": 23, "total_tokens": 40}}),
    ]


@pytest.mark.parametrize("field", ["reasoning_content", "reasoning"])
def test_separate_reasoning_goes_to_the_reasoning_channel(scripted_server: Scripted, field: str) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply([R1])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_sse(h, r1_stream(field))
    backend = OpenAICompatBackend(scripted_server.url)
    assert backend.family.name == "deepseek-r1" and backend.info.n_ctx == 2048
    assert backend.info.name == "DeepSeek-R1-Distill-Qwen-1.5B"

    chunks = list(backend.stream(GenerationRequest([Message("user", "2+3?")], backend.family)))
    assert [c.reasoning for c in chunks[:2]] == ["The user asks 2+3. ", "2+3=5."]
    assert "".join(c.text for c in chunks[:-1]) == "\n\nThe answer is \\boxed{5}."
    stats = chunks[-1].stats
    assert chunks[-1].done and stats is not None
    assert (stats.prompt_tokens, stats.completion_tokens, stats.finish_reason) == (17, 23, "stop")

    # Through the chat turn: the R1 family starts in reasoning, but separate reasoning means the
    # content is answer only (no </think> needed).
    turn = ChatTurn(backend, [], "What is 2+3?", TurnOptions(prompt=PromptOptions(maths=True)))
    result = turn.run()
    assert result.reasoning == "The user asks 2+3. 2+3=5."
    assert result.answer == "The answer is \\boxed{5}." and result.boxed == "5"
    backend.close()


def test_the_prompt_layer_shapes_what_is_sent(scripted_server: Scripted) -> None:
    """No system role for R1, maths directive appended, R1 sampling, vLLM's extra sampling fields."""
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_sse(h, r1_stream("reasoning"))
    scripted_server.routes[("POST", "/tokenize")] = lambda h, b: send_json(h, {"count": 31, "max_model_len": 2048})
    backend = OpenAICompatBackend(scripted_server.url, api_key="sk-test")
    opts = TurnOptions(prompt=PromptOptions(maths=None, system="Be brief."), sampling=Sampling(seed=7))
    ChatTurn(backend, [], "求 3 + 4 的值", opts).run()
    posts = [r for r in scripted_server.requests if r[1] == "/v1/chat/completions"]
    body = posts[-1][2]
    assert [m["role"] for m in body["messages"]] == ["user"]
    assert body["messages"][0]["content"] == "Be brief.\n\n求 3 + 4 的值" + MATHS_DIRECTIVE["zh"]
    assert (body["temperature"], body["top_p"], body["seed"], body["stream"]) == (0.6, 0.95, 7, True)
    assert body["model"] == "deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B"
    assert (body["top_k"], body["repetition_penalty"]) == (40, 1.0)  # vLLM takes these
    # usage on every chunk: vLLM can put several tokens in one piece, and the thinking budget counts tokens
    assert body["stream_options"] == {"include_usage": True, "continuous_usage_stats": True}
    # the context check asked vLLM's tokenizer, with the same shaped messages
    tok = [r for r in scripted_server.requests if r[1] == "/tokenize"][-1][2]
    assert tok["messages"] == body["messages"] and tok["add_generation_prompt"] is True


def test_unknown_servers_get_only_standard_fields_and_estimated_counts(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["gpt-like"], owned_by="someone", max_model_len=None)
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_sse(
        h, [delta_event("Hello"), delta_event(" there", finish="stop")])
    backend = OpenAICompatBackend(scripted_server.url, n_ctx=1000)
    assert backend.info.n_ctx == 1000 and backend.family.name == "plain"
    chunks = list(backend.stream(GenerationRequest([Message("user", "hi")], backend.family)))
    body = scripted_server.requests[-1][2]
    assert not {"top_k", "min_p", "repetition_penalty", "repeat_penalty"} & set(body)
    stats = chunks[-1].stats
    assert stats is not None and stats.completion_tokens == 2  # no usage: one token per event
    assert stats.prompt_tokens == backend.count_tokens([Message("user", "hi")]) > 0
    assert not any(r[1].endswith("tokenize") for r in scripted_server.requests)


def test_cancel_closes_the_stream(scripted_server: Scripted) -> None:
    sent: list[int] = []

    def slow(h: BaseHTTPRequestHandler, _b: dict[str, Any]) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/event-stream")
        h.end_headers()
        for i in range(200):
            try:
                h.wfile.write(f"data: {delta_event(f'w{i} ')}\n\n".encode())
                h.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                return
            sent.append(i)
            time.sleep(0.02)

    scripted_server.routes[("GET", "/v1/models")] = models_reply(["m"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = slow
    backend = OpenAICompatBackend(scripted_server.url)
    req = GenerationRequest([Message("user", "go")], backend.family)
    pieces = []
    for chunk in backend.stream(req):
        if chunk.done:
            break
        pieces.append(chunk.text)
        if len(pieces) == 5:
            req.cancel.set()
    assert chunk.done and chunk.stats is not None and chunk.stats.finish_reason == "cancelled"
    assert len(pieces) == 5
    time.sleep(0.5)
    assert len(sent) < 60  # the server noticed the closed connection and stopped writing


def test_malformed_stream_is_a_clear_error(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["m"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_sse(
        h, [delta_event("ok "), "<html>oops</html>"])
    backend = OpenAICompatBackend(scripted_server.url)
    got: list[str] = []
    with pytest.raises(GenerationError, match="malformed stream") as info:
        for c in backend.stream(GenerationRequest([Message("user", "x")], backend.family)):
            got.append(c.text)
    assert got == ["ok "] and "OpenAI-compatible" in info.value.hint


def test_stream_cut_short_is_a_clear_error(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["m"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_sse(
        h, [delta_event("partial")], done=False)
    backend = OpenAICompatBackend(scripted_server.url)
    with pytest.raises(GenerationError, match="ended the stream before the reply was complete"):
        list(backend.stream(GenerationRequest([Message("user", "x")], backend.family)))


def test_error_event_mid_reply_carries_the_servers_message(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["m"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_sse(
        h, [delta_event("a"), json.dumps({"error": {"message": "engine dead", "type": "InternalServerError"}})])
    backend = OpenAICompatBackend(scripted_server.url)
    with pytest.raises(GenerationError, match="engine dead"):
        list(backend.stream(GenerationRequest([Message("user", "x")], backend.family)))


@pytest.mark.parametrize(("status", "body", "kind", "text"), [
    (500, {"error": {"message": "CUDA out of memory", "type": "InternalServerError", "code": 500}},
     GenerationError, "failed on the request (500): CUDA out of memory"),
    (400, {"object": "error", "message": "max_tokens is too large", "type": "BadRequestError"},
     GenerationError, "rejected the request (400): max_tokens is too large"),
    (422, {"detail": [{"loc": ["body", "messages"], "msg": "Field required"}]},
     GenerationError, "Field required"),
    (401, {"error": "Unauthorized"}, BackendUnavailableError, "refused the request (401): Unauthorized"),
])
def test_http_errors_carry_the_servers_message(
    scripted_server: Scripted, status: int, body: dict[str, Any], kind: type, text: str
) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["m"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_json(h, body, status)
    backend = OpenAICompatBackend(scripted_server.url)
    with pytest.raises(kind) as info:
        list(backend.stream(GenerationRequest([Message("user", "x")], backend.family)))
    assert text in info.value.message


def test_a_stalled_server_times_out(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["m"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: (
        h.send_response(200), h.send_header("Content-Type", "text/event-stream"), h.end_headers(),
        h.wfile.flush(), time.sleep(3))
    backend = OpenAICompatBackend(scripted_server.url, timeout_s=1.0)
    t0 = time.monotonic()
    with pytest.raises(GenerationError, match="sent nothing for 1 s"):
        list(backend.stream(GenerationRequest([Message("user", "x")], backend.family)))
    assert time.monotonic() - t0 < 2.5


def test_not_an_openai_server(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = lambda h, b: send_json(h, {"hello": "world"})
    with pytest.raises(BackendUnavailableError, match="did not answer like an OpenAI-compatible server"):
        OpenAICompatBackend(scripted_server.url)
    scripted_server.routes[("GET", "/v1/models")] = lambda h, b: send_json(h, {"object": "list", "data": []})
    with pytest.raises(BackendUnavailableError, match="serves no model"):
        OpenAICompatBackend(scripted_server.url)


def test_non_streaming_reply_is_accepted(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["m"])
    scripted_server.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_json(h, {
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Whole reply.", "reasoning": "Hm."},
                     "finish_reason": "length"}], "usage": {"prompt_tokens": 3, "completion_tokens": 4}})
    backend = OpenAICompatBackend(scripted_server.url)
    chunks = list(backend.stream(GenerationRequest([Message("user", "x")], backend.family)))
    assert (chunks[0].text, chunks[0].reasoning) == ("Whole reply.", "Hm.")
    assert chunks[-1].stats is not None and chunks[-1].stats.finish_reason == "length"


def test_open_backend_picks_the_model_and_says_what_is_served(scripted_server: Scripted) -> None:
    scripted_server.routes[("GET", "/v1/models")] = models_reply(["alpha", R1])
    settings = Settings(backend="openai", server_url=scripted_server.url.removesuffix("/v1"))
    seen: list[tuple[str, float | None]] = []
    backend = open_backend(settings, progress=lambda p: seen.append((p.stage, p.fraction)))
    assert isinstance(backend, Backend) and backend.name == "OpenAI-compatible"
    assert backend.info.name == "alpha"  # the local default model is not served: the server's first
    assert seen and "Connecting" in seen[0][0]
    settings.server_model = R1
    assert open_backend(settings).info.family == "deepseek-r1"
    settings.server_model = "missing"
    with pytest.raises(BackendUnavailableError, match="does not serve 'missing'; it serves: alpha, "):
        open_backend(settings)


def test_urls_and_helpers() -> None:
    assert normalize_base_url("http://h:8000") == "http://h:8000/v1"
    assert normalize_base_url("http://h:8000/v1/") == "http://h:8000/v1"
    assert normalize_base_url(" http://h:8000/v1/chat/completions ") == "http://h:8000/v1"
    assert normalize_base_url("https://x.org/openai/v1") == "https://x.org/openai/v1"
    for bad in ("", "localhost:8000", "ftp://h/v1"):
        with pytest.raises(ConfigError, match="not a server URL"):
            normalize_base_url(bad)
    assert list(iter_sse_data([": ping", "data: a", "data: b", "", "event: x", "data:c", "", "id: 3"])) == ["a\nb", "c"]
    assert estimate_tokens("hello world, how are you") >= 7
    assert estimate_tokens("你好世界") >= 4
    fam = get_family("deepseek-r1")
    assert estimate_tokens(fam.render([Message("user", "hi")])) > 0


def test_per_chunk_usage_gives_each_piece_its_tokens() -> None:
    from assistant.core.backends.openai_compat import _StreamState

    st = _StreamState(t0=0.0)
    counts = []
    for done in (1, 4, 4, 6):  # vLLM's continuous usage: completion tokens so far, on every chunk
        st.usage = {"completion_tokens": done}
        counts.append(st.tokens_of_piece())
    assert counts == [1, 3, 0, 2]  # 0: unknown, counted as one piece by the turn
