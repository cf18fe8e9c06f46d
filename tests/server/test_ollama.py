"""Ollama's API through the official ``ollama`` Python client (PyPI ``ollama``), on the same server as the
OpenAI routes and the real bundled model: chat and generate (whole and streamed), list, show, ps, version,
embed, ``format=`` a JSON schema, ``think=True``, ``options``."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from ollama import Client, ResponseError
from pydantic import BaseModel, Field

from assistant.core.settings import Sampling, Settings

from .conftest import MODEL

pytestmark = [pytest.mark.server, pytest.mark.model]

TAGGED = f"{MODEL}:latest"
HI = [{"role": "user", "content": "Say hello in one short sentence."}]


@pytest.fixture
def ollama(served: Any) -> Client:
    return Client(host=served.root_url, timeout=180)


def test_chat_whole_and_streamed(ollama: Client) -> None:
    r = ollama.chat(model=TAGGED, messages=HI, options={"temperature": 0, "num_predict": 24, "seed": 1})
    assert r.message.role == "assistant" and r.message.content.strip()
    assert r.done and r.done_reason in ("stop", "length") and 0 < r.eval_count <= 24 and r.prompt_eval_count > 0
    assert r.total_duration and r.total_duration > 0
    parts = list(ollama.chat(model=MODEL, messages=HI, stream=True,
                             options={"temperature": 0, "num_predict": 24, "seed": 1}))
    assert parts[-1].done and not any(p.done for p in parts[:-1])
    assert "".join(p.message.content for p in parts) == r.message.content
    scored = ollama.chat(model=TAGGED, messages=HI, logprobs=True, top_logprobs=2,
                         options={"temperature": 0, "num_predict": 8})
    assert scored.logprobs and all(t.logprob <= 0 and len(t.top_logprobs) == 2 for t in scored.logprobs)


def test_generate_with_system_and_stop(ollama: Client) -> None:
    r = ollama.generate(model=TAGGED, prompt="Count: one, two, three,", system="You count in English.",
                        options={"temperature": 0, "num_predict": 32, "stop": ["five"]})
    assert r.response and "five" not in r.response and r.done
    streamed = "".join(p.response for p in ollama.generate(model=TAGGED, prompt="Hi", stream=True,
                                                           options={"num_predict": 8, "temperature": 0}))
    assert streamed.strip()


def test_raw_generate_sends_the_prompt_as_is(ollama: Client, served: Any) -> None:
    r = ollama.generate(model=TAGGED, prompt="The capital of France is", raw=True,
                        options={"temperature": 0, "num_predict": 6})
    assert r.response and r.done
    assert served.records[-1].id.startswith("cmpl-")  # the completions route's job: no chat template


class Pet(BaseModel):
    name: str = Field(max_length=20)
    legs: int


def test_format_with_a_json_schema(ollama: Client) -> None:
    r = ollama.chat(model=TAGGED, messages=[{"role": "user", "content": "Describe a pet."}],
                    format=Pet.model_json_schema(), options={"temperature": 0, "num_predict": 120})
    pet = Pet.model_validate_json(r.message.content)
    assert pet.name
    r2 = ollama.generate(model=TAGGED, prompt='Reply with the JSON object {"ok": true} and nothing else.',
                         format="json", options={"temperature": 0, "num_predict": 120})
    assert json.loads(r2.response) == {"ok": True}


def test_list_show_ps_version(ollama: Client, served: Any) -> None:
    names = [m.model for m in ollama.list().models]
    assert names[0] == TAGGED
    first = ollama.list().models[0]
    assert first.size and first.size > 50_000_000 and first.details.format == "gguf"
    assert first.details.quantization_level and first.details.family == "llama"
    shown = ollama.show(MODEL)
    assert "completion" in shown.capabilities and "<|im_start|>" in shown.template
    assert shown.details.parameter_size.endswith("M")
    ps = ollama.ps().models
    assert [m.model for m in ps] == [TAGGED] and ps[0].expires_at is not None
    assert httpx.get(served.root_url + "/api/version").json()["version"]
    with pytest.raises(ResponseError) as err:
        ollama.show("no-such-model")
    assert err.value.status_code == 404


def test_think_true_gives_the_reasoning_apart(bundled_model: Any) -> None:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import LocalServer

    backend = LlamaCppBackend(bundled_model, n_ctx=2048, n_threads=1)
    settings = Settings(force_thinking=True, thinking_budget=24, sampling=Sampling(temperature=0.0))
    try:
        with LocalServer(lambda: backend, port=0, max_tokens_limit=256, settings=settings) as srv:
            c = Client(host=srv.root_url, timeout=180)
            r = c.chat(model=TAGGED, messages=HI, think=True, options={"num_predict": 160})
            assert r.message.thinking and r.message.thinking.strip() and r.message.content.strip()
            assert "<think>" not in r.message.content
            parts = list(c.chat(model=TAGGED, messages=HI, think=True, stream=True, options={"num_predict": 160}))
            assert "".join(p.message.thinking or "" for p in parts).strip()
            hidden = c.chat(model=TAGGED, messages=HI, think=False, options={"num_predict": 160})
            assert not hidden.message.thinking  # think=False: no reasoning in the reply (this model cannot skip it)
    finally:
        backend.close()


def test_embed(ollama: Client) -> None:
    from assistant.core.embed import EMBEDDING_MODEL_ID

    r = ollama.embed(model=EMBEDDING_MODEL_ID, input=["The cat sleeps.", "猫在睡觉。", "Stock markets fell."])
    vectors = r.embeddings
    assert len(vectors) == 3 and len(vectors[0]) == 384
    dot = [sum(a * b for a, b in zip(vectors[0], v)) for v in vectors]
    assert dot[1] > dot[2]  # the same meaning across languages is closer than another topic
    assert r.prompt_eval_count and r.prompt_eval_count > 3
    with pytest.raises(ResponseError) as err:
        ollama.embed(model=MODEL, input="hi")  # a chat model cannot embed
    assert err.value.status_code == 400


def test_errors_are_ollama_shaped(served: Any) -> None:
    r = httpx.post(served.root_url + "/api/chat", json={"model": MODEL, "messages": "hi"})
    assert r.status_code == 400 and set(r.json()) == {"error"}
    r = httpx.post(served.root_url + "/api/chat", json={"model": "nope", "messages": HI, "stream": False})
    assert r.status_code == 404 and "nope" in r.json()["error"]
