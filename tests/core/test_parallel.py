"""Several samples decoded together in one batch, with the real model and the real engine."""

from __future__ import annotations

import threading
from collections import namedtuple
from typing import Any

import pytest

from assistant.core.chat.parallel import decided
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.settings import Sampling

pytestmark = pytest.mark.model


def test_vote_decided_only_when_no_unfinished_sample_can_change_it() -> None:
    assert decided(["42", "42", "42"], unfinished=2)  # 3 of 5
    assert not decided(["42", "42", "7"], unfinished=2)  # 2 vs 1 with 2 to come: 7 can still tie or win
    assert decided(["42", "42", "7"], unfinished=0)
    assert not decided([None, None], unfinished=3)


def run(backend: Any, n: int, **kw: Any) -> tuple[Any, list[tuple[str, int, str]]]:
    sampling = kw.pop("sampling", Sampling(temperature=0.8, max_tokens=48, seed=11))
    events: list[tuple[str, int, str]] = []
    turn = ChatTurn(backend, [], kw.pop("question", "Name a colour and say why you like it."),
                    TurnOptions(sampling=sampling, samples=n, **kw), cancel=kw.pop("cancel", None))
    result = turn.run(lambda ev: events.append((ev.kind, ev.sample, ev.text)))
    return result, events


def test_samples_stream_together_each_with_its_own_seed(llama_backend: Any) -> None:
    result, events = run(llama_backend, 4, early_vote=False)
    assert len(result.samples) == 4
    starts = [i for k, i, _ in events if k == "sample_start"]
    assert starts == [0, 1, 2, 3] and events[3][0] == "sample_start"  # all start before any text
    # interleaved: text of a later sample arrives before the first sample has ended
    first_end = next(n for n, (k, i, _) in enumerate(events) if k == "sample_end")
    assert {i for k, i, _ in events[:first_end] if k in ("answer", "reasoning")} >= {0, 1}
    for i, s in enumerate(result.samples):
        streamed = "".join(t for k, j, t in events if k == "answer" and j == i)
        assert streamed == s.answer and s.answer.strip()
        assert 0 < s.stats.completion_tokens <= 48 and s.stats.prompt_tokens == result.samples[0].stats.prompt_tokens
    assert len({s.answer for s in result.samples}) > 1, "different seeds should give different replies"
    assert result.vote is not None and result.vote.total == 4
    # the model is free again afterwards: one plain reply works
    single, _ = run(llama_backend, 1, sampling=Sampling(temperature=0.0, max_tokens=8))
    assert single.answer.strip()


def test_early_decision_stops_the_rest_once_the_vote_is_settled(llama_backend: Any) -> None:
    # greedy: every sample writes the same answer, so three of five settle it
    result, events = run(llama_backend, 5, sampling=Sampling(temperature=0.0, max_tokens=40),
                         question="What is 2+3? Answer with just the number.", early_vote=True)
    reasons = [s.stats.finish_reason for s in result.samples]
    assert reasons.count("decided") == 2 and reasons[:3].count("decided") == 0, reasons
    assert any("decided early (3 of 5 agree)" in t for k, _, t in events if k == "notice")
    assert result.vote is not None and result.vote.votes >= 3


def test_budget_closes_each_samples_reasoning_in_the_batch(llama_backend: Any) -> None:
    result, events = run(llama_backend, 3, sampling=Sampling(temperature=0.7, max_tokens=160, seed=3),
                         question="Explain recursion.", thinking_budget=24, force_thinking=True, early_vote=False)
    for i, s in enumerate(result.samples):
        assert s.thinking is not None and s.thinking["end"] in ("budget", "unclosed", "model"), s.thinking
        assert int(s.thinking["tokens"]) <= 24 + 48
        assert s.answer.strip(), f"sample {i} has no answer"
    assert sum(1 for k, _, t in events if k == "thinking_end") >= 1


def test_samples_that_do_not_fit_in_memory_run_one_after_another(llama_backend: Any,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import psutil

    mem = namedtuple("mem", "available")
    monkeypatch.setattr(psutil, "virtual_memory", lambda: mem(1 << 20))
    result, events = run(llama_backend, 2, early_vote=False)
    notes = [t for k, _, t in events if k == "notice"]
    assert any("samples at once need" in t and "one after another" in t for t in notes), notes
    assert len(result.samples) == 2 and all(s.answer.strip() for s in result.samples)


def test_stop_ends_every_sample_and_frees_the_model(llama_backend: Any) -> None:
    cancel = threading.Event()
    seen: list[int] = []

    def on(ev: Any) -> None:
        if ev.kind == "answer":
            seen.append(ev.sample)
            if len(seen) == 6:
                cancel.set()

    turn = ChatTurn(llama_backend, [], "Write a long story about the sea.",
                    TurnOptions(sampling=Sampling(temperature=0.8, max_tokens=400, seed=2), samples=3), cancel=cancel)
    result = turn.run(on)
    assert result.stopped and all(s.stats.finish_reason == "cancelled" for s in result.samples)
    assert all(s.stats.completion_tokens < 400 for s in result.samples)
    single, _ = run(llama_backend, 1, sampling=Sampling(temperature=0.0, max_tokens=8))
    assert single.answer.strip()
