"""The thinking switch through the local OpenAI API (issue 27): reasoning_effort "none", the `thinking` extension
and vLLM's chat_template_kwargs.enable_thinking, on a random Qwen3-shaped GGUF with the real template, through
the plain ``openai`` client. Thinking off adds the template's empty think block: four prompt tokens."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from openai import OpenAI

from tests.core.qwen3gen import write_qwen3

pytestmark = [pytest.mark.server, pytest.mark.model]


@pytest.fixture(scope="module")
def qwen3_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[OpenAI, str]]:
    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import LocalServer

    path = write_qwen3(tmp_path_factory.mktemp("q3api") / "qwen3-tiny.gguf")
    backend = LlamaCppBackend(path, n_ctx=1024, n_threads=1)
    with LocalServer(lambda: backend, port=0, max_tokens_limit=64) as srv:
        client = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=120)
        yield client, client.models.list().data[0].id
    backend.close()


def prompt_tokens(api: tuple[OpenAI, str], **extra: Any) -> int:
    client, model = api
    r = client.chat.completions.create(model=model, max_tokens=4, temperature=0,
                                       messages=[{"role": "user", "content": "Hi there"}], **extra)
    assert r.usage is not None
    return int(r.usage.prompt_tokens)


def test_every_way_to_switch_thinking_off(qwen3_api: tuple[OpenAI, str]) -> None:
    default = prompt_tokens(qwen3_api)
    assert prompt_tokens(qwen3_api, extra_body={"thinking": True}) == default
    assert prompt_tokens(qwen3_api, reasoning_effort="none") == default + 4
    assert prompt_tokens(qwen3_api, extra_body={"thinking": False}) == default + 4
    assert prompt_tokens(qwen3_api, extra_body={"chat_template_kwargs": {"enable_thinking": False}}) == default + 4
    # a budget level keeps thinking on
    assert prompt_tokens(qwen3_api, reasoning_effort="low") == default


def test_a_bad_switch_value_is_refused(qwen3_api: tuple[OpenAI, str]) -> None:
    import openai

    client, model = qwen3_api
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model=model, max_tokens=4, messages=[{"role": "user", "content": "x"}],
                                       extra_body={"thinking": "maybe"})
