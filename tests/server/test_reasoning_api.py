"""The local API's reasoning control: OpenAI's ``reasoning_effort`` and an explicit ``thinking_budget``,
with the reasoning tokens reported apart in ``usage``, through the plain ``openai`` client, real model.

The bundled SmolLM2 is forced to open its reply with ``<think>`` (the ``force_thinking`` setting): it
never closes it by itself, so every answer below exists only because the budget closed the reasoning.
"""

from __future__ import annotations

from typing import Any

import pytest
from openai import OpenAI

from assistant.core.chat.reasoning import GRACE_TOKENS
from assistant.core.settings import Sampling, Settings

pytestmark = [pytest.mark.server, pytest.mark.model]


@pytest.fixture(scope="module")
def forced(bundled_model: Any) -> Any:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import LocalServer

    backend = LlamaCppBackend(bundled_model, n_ctx=2048)
    settings = Settings(force_thinking=True, sampling=Sampling(temperature=0.0),
                        effort_budgets={"low": 16, "medium": 64, "high": 256})
    with LocalServer(lambda: backend, port=0, max_tokens_limit=512, settings=settings) as srv:
        yield OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=120), "smollm2-135m-instruct"
    backend.close()


def ask(client: OpenAI, model: str, **extra: Any) -> Any:
    return client.chat.completions.create(model=model, max_tokens=400, temperature=0,
                                          messages=[{"role": "user", "content": "Explain recursion."}], **extra)


def test_reasoning_effort_low_bounds_the_reasoning_and_an_answer_follows(forced: Any) -> None:
    client, model = forced
    r = ask(client, model, reasoning_effort="low")
    details = r.usage.completion_tokens_details
    assert details is not None and 16 <= details.reasoning_tokens <= 16 + GRACE_TOKENS
    message = r.choices[0].message
    assert getattr(message, "reasoning_content", None) and message.content and message.content.strip()


def test_explicit_budget_field_and_streamed_usage(forced: Any) -> None:
    client, model = forced
    r = ask(client, model, extra_body={"thinking_budget": 40})
    tokens = r.usage.completion_tokens_details.reasoning_tokens
    assert 40 <= tokens <= 40 + GRACE_TOKENS and r.choices[0].message.content
    # streamed: the reasoning first, then the answer, and the usage chunk carries the split
    chunks = list(client.chat.completions.create(
        model=model, max_tokens=400, temperature=0, stream=True, stream_options={"include_usage": True},
        messages=[{"role": "user", "content": "Explain recursion."}], extra_body={"thinking_budget": 40}))
    content = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    usage = [c.usage for c in chunks if c.usage is not None][-1]
    assert content.strip() and usage.completion_tokens_details.reasoning_tokens == tokens


def test_a_bad_budget_is_refused_clearly(forced: Any) -> None:
    import openai

    client, model = forced
    with pytest.raises(openai.BadRequestError) as exc:
        ask(client, model, reasoning_effort="extreme")
    assert "reasoning_effort" in str(exc.value)
