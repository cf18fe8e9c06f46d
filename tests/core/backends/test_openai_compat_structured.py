"""What the OpenAI-compatible backend sends a server for structured output and raw prompts (issue 26): the
schema as ``response_format`` (vLLM, started by the app with its reasoning parser, applies it after the
reasoning), never while a continued reply is still inside its reasoning, and a caller's own prompt to
/v1/completions as it is."""

from __future__ import annotations

import dataclasses
import json

import pytest

from assistant.core.backends.openai_compat import OpenAICompatBackend
from assistant.core.chat.prompting import Message
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.structured.grammar import json_object_grammar, json_schema_grammar

from .conftest import Scripted, delta_event, models_reply, send_sse

pytestmark = pytest.mark.server

SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}


def _server(scripted: Scripted) -> OpenAICompatBackend:
    scripted.routes[("GET", "/v1/models")] = models_reply(["m"])
    reply = [delta_event('{"n": 1}', finish="stop")]
    scripted.routes[("POST", "/v1/chat/completions")] = lambda h, b: send_sse(h, reply)
    scripted.routes[("POST", "/v1/completions")] = lambda h, b: send_sse(
        h, [json.dumps({"choices": [{"index": 0, "text": " Paris", "finish_reason": "stop"}]})])
    return OpenAICompatBackend(scripted.url)


def _last_body(scripted: Scripted, path: str) -> dict:  # type: ignore[type-arg]
    return [r for r in scripted.requests if r[1] == path][-1][2]


def test_the_schema_goes_as_response_format(scripted_server: Scripted) -> None:
    backend = _server(scripted_server)
    grammar = dataclasses.replace(json_schema_grammar(SCHEMA, "count"), after="</think>")
    list(backend.stream(GenerationRequest([Message("user", "Count")], backend.family, grammar=grammar)))
    body = _last_body(scripted_server, "/v1/chat/completions")
    assert body["response_format"] == {"type": "json_schema", "json_schema": {"name": "count", "schema": SCHEMA}}
    list(backend.stream(GenerationRequest([Message("user", "x")], backend.family, grammar=json_object_grammar())))
    assert _last_body(scripted_server, "/v1/chat/completions")["response_format"] == {"type": "json_object"}


def test_a_continuation_inside_the_reasoning_is_not_constrained(scripted_server: Scripted) -> None:
    backend = _server(scripted_server)
    waiting = dataclasses.replace(json_schema_grammar(SCHEMA), after="</think>")
    list(backend.stream(GenerationRequest([Message("user", "Count")], backend.family, grammar=waiting,
                                          prefill="<think>\nLet me see")))
    assert "response_format" not in _last_body(scripted_server, "/v1/completions")
    # after the reasoning was closed (the budget's wrap-up), the continuation is all answer: constrained
    list(backend.stream(GenerationRequest([Message("user", "Count")], backend.family, grammar=json_schema_grammar(
        SCHEMA), prefill="<think>\nok\n</think>\n\n")))
    assert _last_body(scripted_server, "/v1/completions")["response_format"]["type"] == "json_schema"


def test_a_raw_prompt_goes_to_completions_as_it_is(scripted_server: Scripted) -> None:
    backend = _server(scripted_server)
    chunks = list(backend.stream(GenerationRequest([], backend.family, raw_prompt="The capital of France is")))
    body = _last_body(scripted_server, "/v1/completions")
    assert body["prompt"] == "The capital of France is" and "messages" not in body
    assert "".join(c.text for c in chunks) == " Paris"
