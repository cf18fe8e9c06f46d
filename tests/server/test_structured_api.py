"""Structured output through the official ``openai`` client, on the real bundled model: a pydantic model
parsed by ``beta.chat.completions.parse`` while the model thinks first (its reasoning free, its answer
valid JSON), JSON mode streamed, and schemas nothing can satisfy refused with a clear 400."""

from __future__ import annotations

import json
from typing import Any

import openai
import pytest
from openai import OpenAI
from pydantic import BaseModel, Field

from assistant.core.settings import Sampling, Settings

from .conftest import MODEL, record

pytestmark = [pytest.mark.server, pytest.mark.model]


class City(BaseModel):
    name: str = Field(max_length=24)
    population: int
    coastal: bool


@pytest.fixture(scope="module")
def thinking(bundled_model: Any) -> Any:
    """The bundled model forced to open its reply with <think> (it never closes it alone): the thinking
    budget ends the reasoning, then the answer comes under the grammar."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import LocalServer

    backend = LlamaCppBackend(bundled_model, n_ctx=4096, n_threads=1)
    settings = Settings(force_thinking=True, thinking_budget=40, sampling=Sampling(temperature=0.0))
    with LocalServer(lambda: backend, port=0, max_tokens_limit=512, settings=settings) as srv:
        yield srv, OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=180)
    backend.close()


def _parse(client: OpenAI) -> Any:
    beta = getattr(client, "beta", None)
    chat = getattr(beta, "chat", None) if beta is not None else None
    return (chat or client.chat).completions.parse


def test_openai_parse_gets_the_object_while_the_reasoning_stays_free(thinking: Any) -> None:
    srv, client = thinking
    completion = _parse(client)(model=MODEL, response_format=City, max_tokens=400,
                                messages=[{"role": "user", "content": "Describe a big city."}])
    message = completion.choices[0].message
    assert isinstance(message.parsed, City) and message.parsed.name
    reasoning = getattr(message, "reasoning_content", None)
    assert reasoning and "{" not in reasoning.strip()[:5]  # thought in words, not in JSON
    assert completion.choices[0].finish_reason == "stop"
    assert completion.usage.completion_tokens_details.reasoning_tokens >= 40
    assert record(srv, completion.id).finish_reasons == ["stop"]


def test_json_mode_streams_a_json_object_and_ends_when_it_is_complete(client: OpenAI) -> None:
    chunks = list(client.chat.completions.create(
        model=MODEL, temperature=0, max_tokens=300, stream=True, response_format={"type": "json_object"},
        messages=[{"role": "user", "content": 'Reply with the JSON object {"ok": true} and nothing else.'}]))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert json.loads(text) == {"ok": True}
    assert [c.choices[0].finish_reason for c in chunks if c.choices and c.choices[0].finish_reason] == ["stop"]


def test_a_json_schema_request_without_reasoning(client: OpenAI) -> None:
    schema = {"type": "object", "properties": {"answer": {"type": "integer"}}, "required": ["answer"],
              "additionalProperties": False}
    r = client.chat.completions.create(
        model=MODEL, temperature=0, max_tokens=64, messages=[{"role": "user", "content": "What is 2+3?"}],
        response_format={"type": "json_schema", "json_schema": {"name": "sum", "schema": schema, "strict": True}})
    assert set(json.loads(r.choices[0].message.content)) == {"answer"}


@pytest.mark.parametrize(("schema", "says"), [
    ({"type": "array", "minItems": 2, "maxItems": 1}, "minItems 2 is above maxItems 1"),
    ({"type": "object", "properties": {"x": {"type": "float"}}}, "unknown type 'float'"),
    ({"$ref": "#/$defs/Nowhere"}, "cannot be turned into a grammar"),
])
def test_an_impossible_schema_is_a_clear_400(client: OpenAI, schema: dict[str, Any], says: str) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        client.chat.completions.create(model=MODEL, max_tokens=8, messages=[{"role": "user", "content": "Hi"}],
                                       response_format={"type": "json_schema",
                                                        "json_schema": {"name": "x", "schema": schema}})
    body = err.value.body
    body = body.get("error", body) if isinstance(body, dict) else body
    assert isinstance(body, dict) and says in body["message"] and body["param"] == "response_format"
    assert body["code"] == "invalid_schema"
