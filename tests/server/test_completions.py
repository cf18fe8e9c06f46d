"""``/v1/completions`` through the official ``openai`` client on the real bundled model: text in, text out,
``logprobs`` from the model's logits, ``echo`` scoring the prompt (what evaluation harnesses send), ``stop``,
streaming, several prompts and token-id prompts."""

from __future__ import annotations

import math
from typing import Any

import openai
import pytest
from openai import OpenAI

from .conftest import MODEL

pytestmark = [pytest.mark.server, pytest.mark.model]

PROMPT = "The capital of France is"


def test_completion_with_logprobs(client: OpenAI) -> None:
    r = client.completions.create(model=MODEL, prompt=PROMPT, max_tokens=8, temperature=0, logprobs=3, seed=1)
    choice = r.choices[0]
    assert r.object == "text_completion" and choice.text and choice.finish_reason in ("stop", "length")
    lp = choice.logprobs
    assert lp is not None and "".join(lp.tokens) == choice.text
    assert len(lp.tokens) == len(lp.token_logprobs) == len(lp.top_logprobs) == len(lp.text_offset)
    assert len(lp.tokens) <= r.usage.completion_tokens
    for value, top in zip(lp.token_logprobs, lp.top_logprobs):
        assert value is not None and value <= 0 and len(top) <= 3
        assert math.isclose(value, max(top.values()), abs_tol=1e-4)  # greedy: the chosen token is the likeliest
    assert lp.text_offset[0] == 0 and lp.text_offset == sorted(lp.text_offset)


def test_echo_with_no_new_tokens_scores_the_prompt(client: OpenAI) -> None:
    good = client.completions.create(model=MODEL, prompt=PROMPT + " Paris", max_tokens=0, echo=True, logprobs=0)
    bad = client.completions.create(model=MODEL, prompt=PROMPT + " cheese", max_tokens=0, echo=True, logprobs=0)
    for r, text in ((good, PROMPT + " Paris"), (bad, PROMPT + " cheese")):
        lp = r.choices[0].logprobs
        assert r.choices[0].text == text and lp.token_logprobs[0] is None
        assert all(v is not None and v <= 0 for v in lp.token_logprobs[1:])
        assert r.usage.completion_tokens == 0 and r.usage.prompt_tokens == len(lp.tokens)
    assert good.choices[0].logprobs.token_logprobs[-1] > bad.choices[0].logprobs.token_logprobs[-1]


def test_echo_stop_and_streaming(client: OpenAI) -> None:
    r = client.completions.create(model=MODEL, prompt="1, 2, 3,", max_tokens=24, temperature=0, stop=[","],
                                  echo=True, seed=3)
    assert r.choices[0].text.startswith("1, 2, 3,") and "," not in r.choices[0].text[len("1, 2, 3,"):]
    whole = client.completions.create(model=MODEL, prompt=PROMPT, max_tokens=12, temperature=0, seed=5)
    parts = list(client.completions.create(model=MODEL, prompt=PROMPT, max_tokens=12, temperature=0, seed=5,
                                           stream=True, logprobs=1))
    assert "".join(p.choices[0].text for p in parts) == whole.choices[0].text
    assert parts[-1].choices[0].finish_reason == whole.choices[0].finish_reason
    assert any(p.choices[0].logprobs and p.choices[0].logprobs.tokens for p in parts)


def test_several_prompts_and_token_ids(client: OpenAI, server_backend: Any) -> None:
    r = client.completions.create(model=MODEL, prompt=["Hello", "你好"], max_tokens=4, temperature=0, n=2)
    assert sorted(c.index for c in r.choices) == [0, 1, 2, 3]
    ids = server_backend.tokenize_prompt(PROMPT)
    by_ids = client.completions.create(model=MODEL, prompt=ids, max_tokens=6, temperature=0, seed=2)
    by_text = client.completions.create(model=MODEL, prompt=PROMPT, max_tokens=6, temperature=0, seed=2)
    assert by_ids.choices[0].text == by_text.choices[0].text


@pytest.mark.parametrize("body", [
    {"prompt": "x", "suffix": "y"}, {"prompt": "x", "max_tokens": 0}, {"prompt": ""}, {"prompt": [999_999_999]},
    {"prompt": "x", "best_of": 3}, {"prompt": "x", "logprobs": 50},
])
def test_bad_completion_requests_are_400(client: OpenAI, body: dict[str, Any]) -> None:
    with pytest.raises(openai.BadRequestError):
        client.completions.create(model=MODEL, **body)
