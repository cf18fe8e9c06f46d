"""ChatTurn: one turn through the shared prompt layer, the real backend and post-processing."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from assistant.core.backends.fake import FakeBackend
from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.chat.prompting import MATHS_DIRECTIVE, Message, PromptOptions, Sampling
from assistant.core.chat.turn import ChatTurn, TurnOptions, fit_context
from assistant.core.errors import ContextOverflowError


def scripted(*replies: str, **options: Any) -> FakeBackend:
    """An R1-family fake that replays these replies, one per call, in 3-character pieces: for exact
    post-processing checks (the real model is tested below)."""
    return FakeBackend(replies=replies, family="deepseek-r1", model_name="scripted", **options)


def test_r1_turn_splits_reasoning_trims_and_boxes():
    backend = scripted("\n\n设宽为x……\n</think>\n\n面积是 \\boxed{54}。")
    turn = ChatTurn(backend, [], "一个矩形的周长是30厘米，长比宽多3厘米，求它的面积。",
                    TurnOptions(prompt=PromptOptions(maths=None)))
    events = list(turn.events())
    r = turn.result
    assert r.reasoning == "设宽为x……"
    assert r.answer == "面积是 \\boxed{54}。"
    assert r.boxed == "54" and r.maths
    assert "".join(e.text for e in events if e.kind == "answer") == r.answer
    assert "".join(e.text for e in events if e.kind == "reasoning") == r.reasoning
    sent = backend.requests[0].messages
    assert [m.role for m in sent] == ["user"] and sent[0].content.endswith(MATHS_DIRECTIVE["zh"])


def test_separately_delivered_reasoning_is_not_mistaken_for_answer():
    backend = scripted("The answer is 4.", reasoning=["2+2 ", "is 4"])
    result = ChatTurn(backend, [], "2+2?").run()
    assert (result.reasoning, result.answer) == ("2+2 is 4", "The answer is 4.")


def test_samples_are_put_to_a_vote():
    backend = scripted("a</think>\\boxed{54}", "b</think>\\boxed{45}", "c</think>\\boxed{54.0}")
    result = ChatTurn(backend, [], "q", TurnOptions(samples=3)).run()
    assert (result.vote.votes, result.vote.total, result.vote.winner) == (2, 3, "54")
    assert result.chosen == 0 and result.boxed == "54"
    # The vote is handed over as facts (each front end words it in its user's language), not as a notice.
    assert not any("Self-consistency" in n for n in result.notices)
    assert result.to_dict()["vote"] == {"winner": "54", "votes": 2, "total": 3, "counts": {"54": 2, "45": 1},
                                        "decided_early": False}


def test_drop_oldest_policy_reports_what_it_left_out():
    backend = scripted("</think>ok", n_ctx=600)
    history = []
    for i in range(10):
        history += [Message("user", f"question {i} " + "x" * 200), Message("assistant", f"answer {i} " + "y" * 200)]
    turn = ChatTurn(backend, history, "latest question", TurnOptions(sampling=Sampling(max_tokens=100)))
    events = list(turn.events())
    notices = [e.text for e in events if e.kind == "notice"]
    assert turn.context.dropped_messages > 0 and turn.context.dropped_messages % 2 == 0
    assert notices and f"{turn.context.dropped_messages} oldest messages" in notices[0]
    sent = backend.requests[0].messages
    assert sent[-1].content == "latest question"
    assert sent[0].role == "user"  # cut on an exchange boundary
    assert turn.context.prompt_tokens + turn.context.reserve <= 600


def test_error_policy_refuses_instead_of_cutting():
    backend = scripted("x", n_ctx=600)
    history = [Message("user", "x" * 1500), Message("assistant", "y" * 800)]
    with pytest.raises(ContextOverflowError) as exc:
        list(ChatTurn(backend, history, "q", TurnOptions(context_policy="error")).events())
    assert "context" in exc.value.hint


def test_a_question_too_long_for_any_policy():
    backend = scripted("x", n_ctx=600)
    with pytest.raises(ContextOverflowError):
        list(ChatTurn(backend, [], "z" * 4000).events())


def test_checkpoint_is_called_during_and_after_the_turn():
    backend = scripted("</think>" + "word " * 200)
    seen = []
    turn = ChatTurn(backend, [], "q", checkpoint=lambda t: seen.append(t.current.answer), checkpoint_interval=0.0)
    turn.run()
    assert len(seen) > 5
    assert seen[-1] == turn.result.answer
    assert len(seen[1]) < len(seen[-1])


def test_cancel_keeps_the_partial_reply_and_marks_it_stopped():
    backend = scripted("</think>" + "word " * 200)
    cancel = threading.Event()
    turn = ChatTurn(backend, [], "q", cancel=cancel)
    for ev in turn.events():
        if ev.kind == "answer" and len(turn.current.answer) > 20:
            cancel.set()
    assert turn.result.stopped
    assert 20 < len(turn.result.answer) < len("word " * 200)


# ---------------------------------------------------------------- with the real model

@pytest.mark.model
def test_real_model_turn_streams_and_votes(llama_backend):
    options = TurnOptions(sampling=Sampling(temperature=0.6, max_tokens=40, seed=7), samples=3)
    turn = ChatTurn(llama_backend, [], "What is 6 times 9?", options)
    events = list(turn.events())
    answers = [e for e in events if e.kind == "answer"]
    assert len(answers) >= 3
    result = turn.result
    assert len(result.samples) == 3 and result.vote is not None and result.vote.total == 3
    assert all(s.answer for s in result.samples)
    # Different seeds per sample: the samples are real, separate generations.
    assert len({s.stats.completion_tokens for s in result.samples} | {s.answer for s in result.samples}) > 1


@pytest.mark.model
def test_real_model_context_policy(bundled_model):
    backend = LlamaCppBackend(bundled_model, n_ctx=512)
    try:
        history = []
        for i in range(8):
            history += [Message("user", f"Tell me fact number {i} about the sea. " * 5),
                        Message("assistant", f"Fact {i}: the sea is large and salty. " * 5)]
        opts = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=32))
        messages, report, _ = fit_context(backend, backend.family, history, "And one more?", opts)
        assert report.dropped_messages > 0
        assert backend.count_tokens(messages, backend.family) + report.reserve <= 512
        result = ChatTurn(backend, history, "And one more?", opts).run()
        assert result.answer and result.context.dropped_messages == report.dropped_messages
        with pytest.raises(ContextOverflowError):
            ChatTurn(backend, history, "And one more?", TurnOptions(context_policy="error")).run()
    finally:
        backend.close()

