"""Several samples decoded together in one batch, with the real model and the real engine."""

from __future__ import annotations

import threading
from collections import namedtuple
from typing import Any

import pytest

from assistant.core.chat.parallel import decided
from assistant.core.chat.prompting import Message
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.chat.sample_stream import LOOP_RESAMPLED
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
    assert result.vote is not None and result.vote.votes >= 3 and result.vote.decided_early
    assert not [t for k, _, t in events if k == "notice" and "vote" in t]  # facts, worded by each front end


def test_budget_closes_each_samples_reasoning_in_the_batch(llama_backend: Any) -> None:
    # End of text is banned, so only the budget can end these reasonings (SmolLM2 never writes </think>).
    result, events = run(llama_backend, 3, sampling=Sampling(temperature=0.7, max_tokens=160, seed=3),
                         question="Explain recursion.", thinking_budget=24, force_thinking=True, early_vote=False,
                         ignore_eos=True)
    for i, s in enumerate(result.samples):
        assert s.thinking is not None and s.thinking["end"] == "budget", s.thinking
        assert 24 <= int(s.thinking["tokens"]) <= 24 + 48
        assert s.answer.strip(), f"sample {i} has no answer"
        assert ("thinking_end", i, "budget") in events
        assert s.reasoning.rstrip().endswith("now I will write the answer.")


def greedy_requests(backend: Any, n: int, max_tokens: int) -> list[GenerationRequest]:
    return [GenerationRequest(messages=[Message("user", "Name three colours and describe each.")],
                              family=backend.family, sampling=Sampling(temperature=0.0, max_tokens=max_tokens))
            for _ in range(n)]


def test_one_sequence_rewound_in_the_batch_writes_the_same_text_again(llama_backend: Any) -> None:
    """KV surgery on one sequence: taken back to an earlier point of its text, greedy decoding must write
    exactly what it wrote from there the first time, while the other sequence goes on untouched."""
    run = llama_backend.parallel(greedy_requests(llama_backend, 2, 90))
    texts = ["", ""]
    kept = -1
    for chunk in run:
        if chunk.done:
            continue
        texts[chunk.seq] += chunk.text
        if chunk.seq == 0 and kept < 0 and len(texts[0]) > 120:
            kept = run.rewind(0, 60)  # back to a token boundary at or before the 60th character
            assert 40 <= kept <= 60
            texts[0] = texts[0][:kept]
    assert kept > 0
    # sequence 1 was never touched; sequence 0 wrote the same greedy text again from where it was taken
    assert len(texts[0]) > kept + 40, texts[0]
    assert texts[1].startswith(texts[0]), (texts[0], texts[1])


def test_rewind_to_the_prompt_and_reseed(llama_backend: Any) -> None:
    run = llama_backend.parallel(greedy_requests(llama_backend, 2, 40))
    texts = ["", ""]
    rewound = False
    for chunk in run:
        if chunk.done:
            continue
        texts[chunk.seq] += chunk.text
        if chunk.seq == 1 and not rewound and len(texts[1]) > 30:
            assert run.rewind(1, 0) == 0  # the whole reply taken back: the prompt's last token again
            run.reseed(1, Sampling(temperature=1.0, seed=5, max_tokens=40))
            texts[1], rewound = "", True
    assert rewound and texts[1].strip() and texts[0].strip()
    assert texts[1] != texts[0], "another seed, warm: a different reply from the same start"


def test_a_loop_in_a_sample_is_resampled_from_where_it_began(llama_backend: Any) -> None:
    """loop_action="resample" with samples decoded together: each looping sequence is taken back to where
    its loop began and goes on with another seed, as one sample on its own would (greedy: it loops)."""
    result, events = run(llama_backend, 2, sampling=Sampling(temperature=0.0, max_tokens=500, seed=7),
                         question="Repeat after me: la la la", thinking_budget=0, force_thinking=True,
                         loop_action="resample", early_vote=False)
    for i, s in enumerate(result.samples):
        control = s.control
        assert control is not None and control.loops and control.resamples >= 1, s.thinking
        assert s.thinking is not None and s.thinking["resamples"] == control.resamples
        kinds = [k for k, j, _ in events if j == i]
        assert "rewind" in kinds and (("notice", i, LOOP_RESAMPLED) in events)
        # the reasoning shown is what the sequence holds: the text kept at the rewind, then the resampled text
        rewinds = [t for k, j, t in events if k == "rewind" and j == i]
        assert s.reasoning.startswith(rewinds[0])
        assert s.answer.strip() or control.end in ("length", "loop")
    assert result.samples[0].reasoning != result.samples[1].reasoning, "each sequence resampled with its own seed"


def test_a_loop_closed_for_the_answer_is_cut_where_it_began(llama_backend: Any) -> None:
    result, events = run(llama_backend, 2, sampling=Sampling(temperature=0.0, max_tokens=400),
                         question="Repeat after me: la la la", thinking_budget=0, force_thinking=True,
                         loop_action="answer", early_vote=False)
    for i, s in enumerate(result.samples):
        assert s.thinking is not None and s.thinking["end"] == "loop", s.thinking
        rewinds = [t for k, j, t in events if k == "rewind" and j == i]
        assert rewinds and s.reasoning.startswith(rewinds[0].rstrip())
        assert s.answer.strip()


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
