"""The engine's side of issue 26 on the real bundled model: a grammar shapes the answer only (after the
reasoning), log-probabilities come from the logits, a raw prompt is scored token by token, and Stop ends a
long prompt's evaluation between two batches."""

from __future__ import annotations

import dataclasses
import json
import math
import threading
import time
from typing import Any

import pytest

from assistant.core.chat.protocol import GenerationRequest
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.settings import Sampling
from assistant.core.structured.grammar import json_schema_grammar, matches_schema

pytestmark = [pytest.mark.model]

CITY = {"type": "object", "properties": {"city": {"type": "string", "maxLength": 24},
                                         "population": {"type": "integer"}},
        "required": ["city", "population"], "additionalProperties": False}
QUESTION = "Name a big city and its population."


def _turn(backend: Any, **options: Any) -> ChatTurn:
    opts = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=160), **options)
    return ChatTurn(backend, [], QUESTION, opts)


def test_a_schema_shapes_the_whole_answer_of_a_model_that_does_not_reason(llama_backend: Any) -> None:
    turn = _turn(llama_backend, grammar=json_schema_grammar(CITY))
    result = turn.run()
    value = json.loads(result.answer)
    assert matches_schema(value, CITY) and set(value) == {"city", "population"}
    assert result.best.stats.finish_reason == "stop"  # the grammar completed: only the end of text was left
    assert not result.reasoning


def test_the_reasoning_stays_free_and_the_answer_follows_the_schema(llama_backend: Any) -> None:
    # SmolLM2 forced to think never closes its reasoning: the budget closes it, the grammar takes the answer.
    turn = _turn(llama_backend, grammar=json_schema_grammar(CITY), force_thinking=True, thinking_budget=24,
                 answer_reserve=96)
    result = turn.run()
    assert result.reasoning.strip() and "{" not in result.reasoning[:10]  # free text, not JSON
    assert matches_schema(json.loads(result.answer), CITY)
    assert result.best.control is not None and result.best.control.end == "budget"


def test_without_a_grammar_the_same_turn_is_not_json(llama_backend: Any) -> None:
    result = _turn(llama_backend).run()
    with pytest.raises(ValueError):
        json.loads(result.answer)


def test_the_grammar_takes_over_at_the_close_tag_inside_the_stream(llama_backend: Any) -> None:
    """When the reply's text reaches </think> (here across two tokens), the grammar constrains what follows."""
    from assistant.core.backends.llama_sampling import TokenSampler

    grammar = dataclasses.replace(json_schema_grammar(CITY), after="</think>")
    request = GenerationRequest(messages=[], family=llama_backend.family, sampling=Sampling(temperature=0.0),
                                grammar=grammar)
    sampler = TokenSampler(llama_backend, request)
    try:
        assert not sampler.constraining
        sampler.accept(0, "some free reasoning </thi")
        assert not sampler.constraining
        sampler.accept(0, "nk>\n")  # the tag completes across two tokens
        assert sampler.constraining
        brace = llama_backend.llm.tokenize(b"{", add_bos=False, special=False)[0]
        word = llama_backend.llm.tokenize(b"Hello", add_bos=False, special=False)[0]
        assert sampler.allowed(brace) and not sampler.allowed(word)
    finally:
        sampler.close()


def test_logprobs_are_the_models_and_the_greedy_token_is_the_likeliest(llama_backend: Any) -> None:
    turn = _turn(llama_backend, logprobs=3)
    result = turn.run()
    lps = result.best.logprobs
    assert lps and len(lps) <= result.best.stats.completion_tokens
    for t in lps:
        assert t.logprob <= 0 and len(t.top) == 3
        assert math.isclose(t.logprob, t.top[0][1], abs_tol=1e-4)  # greedy: the chosen one is the top one
        assert [lp for _, lp, _ in t.top] == sorted((lp for _, lp, _ in t.top), reverse=True)
        assert sum(math.exp(lp) for _, lp, _ in t.top) <= 1.0 + 1e-6
    assert "".join(t.token for t in lps).strip() in result.answer or result.answer.strip() in "".join(
        t.token for t in lps)


def test_a_raw_prompt_is_scored_token_by_token(llama_backend: Any) -> None:
    text = "The capital of France is Paris"
    tokens = llama_backend.tokenize_prompt(text)
    request = GenerationRequest(messages=[], family=llama_backend.family, sampling=Sampling(max_tokens=0),
                                raw_prompt=text, logprobs=2, prompt_logprobs=True)
    done = next(c for c in llama_backend.stream(request) if c.done)
    lps = done.stats.prompt_logprobs
    assert lps is not None and len(lps) == len(tokens) and lps[0] is None
    assert "".join(t.token for t in lps[1:]) == llama_backend.detokenize(tokens[1:])
    assert all(t.logprob <= t.top[0][1] + 1e-6 for t in lps[1:])
    # a likely continuation scores higher than an unlikely one
    likely = next(c for c in llama_backend.stream(GenerationRequest(
        messages=[], family=llama_backend.family, sampling=Sampling(max_tokens=0), raw_prompt=text,
        logprobs=0, prompt_logprobs=True)) if c.done).stats.prompt_logprobs
    odd = next(c for c in llama_backend.stream(GenerationRequest(
        messages=[], family=llama_backend.family, sampling=Sampling(max_tokens=0),
        raw_prompt="The capital of France is Banana", logprobs=0, prompt_logprobs=True)) if c.done)
    odd = odd.stats.prompt_logprobs
    assert likely[-1].logprob > odd[-1].logprob


def test_stop_ends_a_long_prompt_between_two_batches(bundled_model: Any) -> None:
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    backend = LlamaCppBackend(bundled_model, n_ctx=4096, n_threads=1)
    try:
        tokens = backend.tokenize_prompt("Count the words. " + "alpha beta gamma delta " * 700)[:3000]
        batch = backend.llm.n_batch
        t0 = time.perf_counter()
        backend.llm.eval(tokens[:batch])  # what one batch costs on this machine now
        one_batch = time.perf_counter() - t0
        backend.llm.reset()
        cancel = threading.Event()
        request = GenerationRequest(messages=[], family=backend.family, raw_prompt=list(tokens), cancel=cancel,
                                    sampling=Sampling(max_tokens=8))
        threading.Timer(one_batch * 1.5, cancel.set).start()
        t0 = time.perf_counter()
        chunks = list(backend.stream(request))
        elapsed = time.perf_counter() - t0
        assert chunks[-1].done and chunks[-1].stats.finish_reason == "cancelled"
        assert backend.llm.n_tokens < len(tokens) - batch  # it did not evaluate the whole prompt
        assert elapsed < one_batch * 1.5 + one_batch * 2.5  # stopped within about one batch of the Stop
        # the cache holds a valid prefix of the prompt, which the next request reuses
        held = backend.llm.n_tokens
        assert held >= batch and list(backend.llm.input_ids[:held]) == tokens[:held]
    finally:
        backend.close()
