"""Reasoning under control: budget, answer reserve, loop breaking, Continue — with the real model.

The bundled SmolLM2 is not a reasoning model, which makes it the worst case: forced to start its reply
inside ``<think>`` (``force_thinking``) it rarely closes it, and greedy decoding makes it loop.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.core.backends.fake import FakeBackend
from assistant.core.chat.reasoning import (
    GRACE_TOKENS,
    WRAP_UP,
    at_line_end,
    plan_thinking,
    raw_reply,
    wrap_up,
)
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.settings import Sampling

# ---------------------------------------------------------------------------------------------------
# Plans


def test_plan_auto_budget_by_task_and_model_and_the_reserve() -> None:
    p = plan_thinking(-1, max_tokens=4096, reserve=512, maths=True, reasoning_model=True)
    assert (p.budget, p.reasoning_cap, p.hard_cap) == (3072, 3072, 3072 + GRACE_TOKENS)
    assert plan_thinking(-1, max_tokens=4096, reserve=512, maths=False, reasoning_model=True).budget == 1536
    # a chat model gets no budget; only the reserve bounds a reasoning it writes anyway
    chat = plan_thinking(-1, max_tokens=1024, reserve=512, maths=False, reasoning_model=False)
    assert chat.budget is None and chat.reasoning_cap == 512
    # the budget never eats the reserve, and the grace window stays inside what the reserve leaves
    p = plan_thinking(2000, max_tokens=1000, reserve=300, maths=False, reasoning_model=True)
    assert p.reasoning_cap == 700 and p.hard_cap == 700
    # a tiny max_tokens keeps half for the answer
    assert plan_thinking(0, max_tokens=48, reserve=512, maths=False, reasoning_model=True).reasoning_cap == 24


def test_wrap_up_speaks_the_question_language_and_closes_like_r1() -> None:
    assert wrap_up("What is 2+3?") == WRAP_UP["en"] + "</think>\n\n"
    assert wrap_up("二加三等于几？") == WRAP_UP["zh"] + "</think>\n\n"
    assert at_line_end("so x = 5.") and at_line_end("所以答案是5。") and at_line_end("line\n")
    assert not at_line_end("so x = 5 and y")


def test_raw_reply_rebuilds_what_the_model_wrote() -> None:
    assert raw_reply("think", "answer", starts_in_reasoning=True, closed=True) == "think\n</think>\n\nanswer"
    assert raw_reply("think", "", starts_in_reasoning=True, closed=False) == "think"
    assert raw_reply("think", "", starts_in_reasoning=False, closed=False) == "<think>\nthink"
    assert raw_reply("", "answer", starts_in_reasoning=True, closed=False) == "answer"


# Loop detection itself: tests/core/test_loops.py (a corpus of loops and of legitimate repetition, and
# property tests).


# ---------------------------------------------------------------------------------------------------
# The controller in a turn (fake backend: exact control of what arrives)


def test_a_loop_in_the_reasoning_is_cut_where_it_began_then_answered() -> None:
    backend = FakeBackend(replies=["Hmm. " + "I check the numbers again and again. " * 20,
                                   "The answer is 5."], family="deepseek-r1", piece_chars=4)
    events: list[tuple[str, str]] = []
    result = ChatTurn(backend, [], "What is 2+3?", TurnOptions(sampling=Sampling(max_tokens=2000))).run(
        lambda ev: events.append((ev.kind, ev.text)))
    thinking = result.best.thinking
    assert thinking is not None and thinking["end"] == "loop" and thinking["loops"] == 1
    assert ("thinking_end", "loop") in events and any(k == "rewind" for k, _ in events)
    assert result.reasoning.count("I check the numbers again") == 1
    assert result.reasoning.endswith(WRAP_UP["en"].strip()) and result.answer == "The answer is 5."
    # the continuation carried the reasoning kept and the wrap-up, closed as R1 closes it
    assert backend.requests[1].prefill.endswith("</think>\n\n")


def test_the_whole_controller_switched_off_neither_cuts_a_loop_nor_spends_a_budget() -> None:
    looping = "Hmm. " + "I check the numbers again and again. " * 20 + "</think>The answer is 5."
    for budget, control, end in ((0, True, "loop"), (16, True, "budget"), (0, False, "model"), (16, False, "model")):
        backend = FakeBackend(replies=[looping, "The answer is 5."], family="deepseek-r1", piece_chars=4)
        options = TurnOptions(sampling=Sampling(max_tokens=2000), thinking_budget=budget, reasoning_control=control)
        result = ChatTurn(backend, [], "What is 2+3?", options).run()
        thinking = result.best.thinking
        assert thinking is not None and thinking["end"] == end, (budget, control)
        assert len(backend.requests) == (2 if control else 1)  # on: cut and continued; off: one straight reply
        if not control:
            assert result.reasoning.count("I check the numbers again") == 20


def test_resample_goes_back_before_the_loop_with_another_seed() -> None:
    backend = FakeBackend(replies=["Start. " + "Again the same words here. " * 20, "A fresh thought.</think>Done."],
                          family="deepseek-r1", piece_chars=4)
    options = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=2000, seed=1), loop_action="resample")
    result = ChatTurn(backend, [], "Question?", options).run()
    assert result.best.thinking is not None and result.best.thinking["resamples"] == 1
    assert result.best.thinking["end"] == "model" and result.answer == "Done."
    second = backend.requests[1]
    assert second.sampling.seed != 1 and second.sampling.temperature >= 0.6
    assert "Again the same words here." in second.prefill and second.prefill.count("Again") == 1


# ---------------------------------------------------------------------------------------------------
# The real model through the real engine


def force(budget: int, max_tokens: int, **kw: Any) -> TurnOptions:
    return TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=max_tokens), thinking_budget=budget,
                       force_thinking=True, **kw)


@pytest.mark.model
def test_budget_closes_the_reasoning_at_a_line_end_and_an_answer_follows(llama_backend: Any) -> None:
    turn = ChatTurn(llama_backend, [], "Explain recursion.", force(32, 400))
    events: list[tuple[str, str]] = []
    result = turn.run(lambda ev: events.append((ev.kind, ev.text)))
    thinking = result.best.thinking
    assert thinking is not None and thinking["end"] == "budget"
    assert 32 <= int(thinking["tokens"]) <= 32 + GRACE_TOKENS
    before_wrap = result.reasoning[: -len(WRAP_UP["en"].strip())]
    assert at_line_end(before_wrap) or int(thinking["tokens"]) == 32 + GRACE_TOKENS
    assert result.answer.strip(), "an answer must follow the closed reasoning"
    assert ("thinking_end", "budget") in events
    # token level: the continuation evaluated only the wrap-up (and the last sampled token), not the prompt
    control = result.best.control
    assert control is not None and control.evaluated and control.evaluated[0] <= 30
    assert result.usage["completion_tokens_details"]["reasoning_tokens"] == thinking["tokens"]
    assert result.best.stats.completion_tokens <= 400


@pytest.mark.model
def test_the_answer_keeps_its_reserve_when_thinking_never_ends(llama_backend: Any) -> None:
    result = ChatTurn(llama_backend, [], "What is the meaning of life?", force(0, 64)).run()
    thinking = result.best.thinking
    assert thinking is not None and thinking["tokens"] <= 32  # half of 64 is the reserve
    assert result.answer.strip() and result.best.stats.completion_tokens <= 64


@pytest.mark.model
def test_a_greedy_loop_is_found_and_the_reply_still_answers(llama_backend: Any) -> None:
    result = ChatTurn(llama_backend, [], "Repeat after me: la la la", force(0, 400)).run()
    control = result.best.control
    assert control is not None and control.end == "loop" and control.loops
    assert control.tokens <= 200, "the loop should be told within 200 tokens"
    assert result.answer.strip()


@pytest.mark.model
def test_a_reply_ended_inside_its_reasoning_is_closed_for_an_answer(llama_backend: Any) -> None:
    result = ChatTurn(llama_backend, [], "What is 2+3?", force(0, 200)).run()
    assert result.best.thinking is not None and result.best.thinking["end"] in ("unclosed", "model")
    assert result.answer.strip()


@pytest.mark.model
def test_continue_writes_on_exactly_where_the_cut_reply_ended(llama_backend: Any) -> None:
    q = "Name three colours and describe each."
    greedy = lambda n: TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=n))  # noqa: E731
    whole = ChatTurn(llama_backend, [], q, greedy(48)).run()
    cut = ChatTurn(llama_backend, [], q, greedy(16)).run()
    assert cut.best.stats.finish_reason == "length" and cut.best.raw == cut.answer
    events: list[str] = []
    more = ChatTurn(llama_backend, [], q, greedy(32), continue_reply=cut.best.raw).run(
        lambda ev: events.append(ev.text) if ev.kind == "answer" else None)
    assert more.answer == whole.answer, "greedy: the cut reply continued equals the uncut one"
    assert cut.answer + "".join(events) == more.answer  # only the new text streams
    assert more.best.stats.reused_prompt_tokens >= more.best.stats.prompt_tokens - 2
