"""Tools through the official ``openai`` client on a real model whose template presents them: the bundled
SmolLM2 with Qwen2.5's own chat template written into a copy of its GGUF (``tools_model``). Too small to
choose tools well, it is made to call one by ``tool_choice`` (a grammar); what is checked is the plumbing:
tools rendered by the model's template, calls parsed and streamed as ``delta.tool_calls``,
``finish_reason: "tool_calls"``, tool results rendered back, nothing executed, and a clear 400 for a model
whose template has no tools."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from openai import OpenAI

from .conftest import MODEL

pytestmark = [pytest.mark.server, pytest.mark.model]

WEATHER = {"type": "function", "function": {
    "name": "get_weather", "description": "Get the current weather in a city.",
    "parameters": {"type": "object", "properties": {"city": {"type": "string", "maxLength": 30},
                                                    "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
                   "required": ["city", "unit"], "additionalProperties": False}}}
TIME = {"type": "function", "function": {"name": "get_time", "description": "The time in a timezone.",
                                         "parameters": {"type": "object", "properties": {"tz": {"type": "string"}},
                                                        "required": ["tz"]}}}
ASK = [{"role": "user", "content": "What is the weather like in Paris today?"}]


@pytest.fixture(scope="module")
def tools_server(tools_model: Any) -> Any:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import LocalServer

    backend = LlamaCppBackend(tools_model, n_ctx=4096, n_threads=1)
    assert backend.family.tools  # found from the template, not from a name
    with LocalServer(lambda: backend, port=0, max_tokens_limit=512) as srv:
        model = srv.service.models.servable()[0]
        yield srv, OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=180), model
    backend.close()


def test_a_forced_call_streams_as_tool_call_deltas(tools_server: Any) -> None:
    _, client, model = tools_server
    stream = client.chat.completions.create(
        model=model, messages=ASK, tools=[WEATHER, TIME], temperature=0, max_tokens=120, stream=True,
        tool_choice={"type": "function", "function": {"name": "get_weather"}})
    calls: dict[int, dict[str, Any]] = {}
    content, finish = "", []
    for chunk in stream:
        delta = chunk.choices[0].delta
        content += delta.content or ""
        for tc in delta.tool_calls or ():
            entry = calls.setdefault(tc.index, {"id": tc.id, "name": "", "arguments": ""})
            entry["name"] += (tc.function.name or "") if tc.function else ""
            entry["arguments"] += (tc.function.arguments or "") if tc.function else ""
        if chunk.choices[0].finish_reason:
            finish.append(chunk.choices[0].finish_reason)
    assert finish == ["tool_calls"]
    assert list(calls) == [0] and calls[0]["name"] == "get_weather" and calls[0]["id"].startswith("call_")
    args = json.loads(calls[0]["arguments"])
    assert set(args) == {"city", "unit"} and args["unit"] in ("celsius", "fahrenheit")
    assert "<tool_call>" not in content


def test_required_picks_one_of_the_tools_and_the_result_goes_back(tools_server: Any) -> None:
    srv, client, model = tools_server
    r = client.chat.completions.create(model=model, messages=ASK, tools=[WEATHER, TIME], tool_choice="required",
                                       temperature=0, max_tokens=120)
    choice = r.choices[0]
    assert choice.finish_reason == "tool_calls" and choice.message.content is None
    call = choice.message.tool_calls[0]
    assert call.type == "function" and call.function.name in ("get_weather", "get_time")
    json.loads(call.function.arguments)
    # the client runs the tool (the server never does) and sends the result back; the model answers from it
    follow = [*ASK, {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
              {"role": "tool", "tool_call_id": call.id, "content": '{"temperature": 21, "sky": "clear"}'}]
    before = srv.service.records[-1].prompt_tokens
    r2 = client.chat.completions.create(model=model, messages=follow, tools=[WEATHER, TIME], temperature=0,
                                        max_tokens=40)
    assert r2.choices[0].finish_reason in ("stop", "length", "tool_calls")
    assert srv.service.records[-1].prompt_tokens > before  # the call and its result were in the prompt


def test_tool_choice_none_renders_no_tools(tools_server: Any) -> None:
    srv, client, model = tools_server
    r = client.chat.completions.create(model=model, messages=ASK, tools=[WEATHER], tool_choice="none",
                                       temperature=0, max_tokens=8)
    with_none = srv.service.records[-1].prompt_tokens
    client.chat.completions.create(model=model, messages=ASK, tools=[WEATHER], temperature=0, max_tokens=8)
    assert srv.service.records[-1].prompt_tokens > with_none + 40  # the tools' definitions take room
    assert r.choices[0].message.tool_calls is None


def test_a_model_without_tool_support_is_named_in_a_400(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model=MODEL, messages=ASK, tools=[WEATHER], max_tokens=8)
    body = err.value.body
    body = body.get("error", body) if isinstance(body, dict) else body
    assert body["param"] == "tools" and body["code"] == "tools_not_supported"
    assert "SmolLM2" in body["message"] and "does not support tools" in body["message"]


def test_a_named_function_that_is_not_among_the_tools_is_a_400(tools_server: Any) -> None:
    _, client, model = tools_server
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=model, messages=ASK, tools=[WEATHER], max_tokens=8,
                                       tool_choice={"type": "function", "function": {"name": "launch"}})


@pytest.mark.parametrize("forced_thinking", [True, False])
def test_a_reasoning_model_calls_after_its_reasoning(tmp_path: Any, forced_thinking: bool) -> None:
    """A random-weight Qwen3-shaped model with Qwen3's real template (tests/core/qwen3gen.py). Made to reason
    (its reply opened with <think>, closed at the budget), the call comes after the reasoning; left to itself
    it opens no reasoning, and the call is its whole reply."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.settings import Sampling, Settings
    from assistant.server import LocalServer
    from tests.core.qwen3gen import write_qwen3

    backend = LlamaCppBackend(write_qwen3(tmp_path / "qwen3-tiny.gguf"), n_ctx=2048, n_threads=1)
    settings = Settings(force_thinking=forced_thinking, sampling=Sampling(temperature=0.0))
    try:
        with LocalServer(lambda: backend, port=0, max_tokens_limit=400, settings=settings) as srv:
            client = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=180)
            model = client.models.list().data[0].id
            r = client.chat.completions.create(model=model, messages=ASK, tools=[WEATHER], tool_choice="required",
                                               max_tokens=300, extra_body={"thinking_budget": 16})
            choice = r.choices[0]
            assert choice.finish_reason == "tool_calls" and choice.message.tool_calls[0].function.name == "get_weather"
            assert set(json.loads(choice.message.tool_calls[0].function.arguments)) == {"city", "unit"}
            reasoning = getattr(choice.message, "reasoning_content", None)
            assert bool(reasoning) is forced_thinking
    finally:
        backend.close()
