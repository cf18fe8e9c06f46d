"""No prompt evaluated twice: prewarm after a reasoning reply, kept states of earlier conversations (in
memory, then on disk), and the local API across requests — each path gives the same greedy reply as a
model with no cache at all. Real model, real engine."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from assistant.core.backends.kv_states import StateCache
from assistant.core.chat.prompting import Message
from assistant.core.chat.turn import ChatTurn, TurnOptions, next_prefix
from assistant.core.settings import Sampling

pytestmark = pytest.mark.model

GREEDY = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=24))
ROME = [Message("user", "Tell me about the history of Rome. " * 40),
        Message("assistant", "Rome was founded in 753 BC. " * 20)]
SEA = [Message("user", "Describe the ocean and its tides. " * 40)]


def backend(path: Path, monkeypatch: pytest.MonkeyPatch, states: bool = True, **kw: Any) -> Any:
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    monkeypatch.setenv("ASSISTANT_KV_STATES", "on" if states else "off")
    return LlamaCppBackend(path, n_ctx=4096, **kw)


def reply(b: Any, history: list[Message], text: str, options: TurnOptions = GREEDY) -> Any:
    return ChatTurn(b, history, text, options).run()


def test_going_back_to_a_conversation_restores_its_cache(bundled_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = backend(bundled_model, monkeypatch, states=False)
    expected = reply(fresh, ROME, "And Carthage?").answer
    fresh.close()
    b = backend(bundled_model, monkeypatch)
    try:
        reply(b, ROME, "And Carthage?")
        reply(b, SEA, "Why is it blue?")  # another conversation takes the cache
        back = reply(b, ROME, "And Carthage?")
        stats = back.best.stats
        assert b.states.hits == 1 and b.restored_tokens > 500
        assert stats.reused_prompt_tokens == stats.prompt_tokens - 1  # only the last token evaluated
        assert back.answer == expected, "a restored cache gives the same greedy reply as no cache"
    finally:
        b.close()


def test_kept_states_spill_to_disk_and_survive_a_restart(bundled_model: Path, monkeypatch: pytest.MonkeyPatch,
                                                          app_home: Path) -> None:
    monkeypatch.setattr("assistant.core.backends.kv_states.MEMORY_BUDGET", 0)
    b = backend(bundled_model, monkeypatch)
    b.states.memory_budget = 0
    reply(b, ROME, "And Carthage?")
    reply(b, SEA, "Why is it blue?")
    files = list((app_home).rglob("*.kv"))
    assert len(files) == 1 and files[0].stat().st_size > 1_000_000
    b.close()
    again = backend(bundled_model, monkeypatch)  # a new session of the app, same model
    try:
        back = reply(again, ROME, "And Carthage?")
        assert again.restored_tokens > 500 and back.best.stats.reused_prompt_tokens > 500
    finally:
        again.close()
    # a damaged file is never used (and is removed)
    files[0].write_bytes(b"ASKV1\n" + b"\xff" * 64)
    broken = backend(bundled_model, monkeypatch)
    try:
        assert reply(broken, ROME, "And Carthage?").best.stats.reused_prompt_tokens == 0
        assert broken.restored_tokens == 0
    finally:
        broken.close()


def test_a_state_is_used_only_for_its_own_model_and_its_matching_tokens(tmp_path: Path) -> None:
    data = b"x" * 1000
    tokens = np.arange(600, dtype=np.int32)
    a = StateCache("model-a|4096", tmp_path, memory_budget=0)
    a.save(tokens, data)
    assert StateCache("model-b|4096", tmp_path).best(tokens, 0) is None  # another model or context
    again = StateCache("model-a|4096", tmp_path)
    other = tokens.copy()
    other[300] = 99999
    n, got, kept = again.best(other, 0)  # type: ignore[misc]
    assert n == 300 and got == data and len(kept) == 600  # used only as far as the tokens match
    assert again.best(other, at_least=300) is None


def test_prewarm_after_a_reasoning_reply_leaves_only_the_new_message(bundled_model: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """R1's template drops a reply's reasoning from the next prompt: without prewarm the cache stops
    matching where the reasoning began; with it, only the new message is evaluated."""
    options = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=120), thinking_budget=40)
    question, follow_up = "Explain recursion briefly.", "Give an example."

    def conversation(b: Any, warm: bool) -> tuple[Any, int, int]:
        first = reply(b, [], question, options)
        assert first.reasoning and first.answer, "the R1 template starts inside <think>; the budget closes it"
        history = [Message("user", question), Message("assistant", first.answer)]
        prefix = next_prefix(history, options, b.family)
        # the next prompt's start as the prewarm renders it: up to the next user message's text, its header
        # included (Family.render_prefix)
        known = len(b.tokenize_prompt(b.family.render_prefix(prefix, b.info.default_system)))
        evaluated = b.prewarm(prefix, None, threading.Event()) if warm else 0
        return reply(b, history, follow_up, options), evaluated, known

    plain = backend(bundled_model, monkeypatch, states=False, family="deepseek-r1")
    cold, _, _ = conversation(plain, warm=False)
    plain.close()
    b = backend(bundled_model, monkeypatch, family="deepseek-r1")
    try:
        warm, evaluated, known = conversation(b, warm=True)
    finally:
        b.close()
    stats = warm.best.stats
    # (SmolLM2's vocabulary has no R1 special tokens: the text of <｜end▁of▁sentence｜> and <｜User｜> can merge
    # into one token across the boundary, so the last token of the prefix may be evaluated again.)
    assert evaluated > 0 and known - 1 <= stats.reused_prompt_tokens <= known, "only the new message is evaluated"
    cold_new = cold.best.stats.prompt_tokens - cold.best.stats.reused_prompt_tokens
    assert cold_new > stats.prompt_tokens - known + 10, "without prewarm the last answer is evaluated again"
    assert warm.answer == cold.answer and warm.reasoning == cold.reasoning


def test_prewarm_stops_at_once_when_a_message_is_sent(bundled_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    b = backend(bundled_model, monkeypatch)
    try:
        cancel = threading.Event()
        cancel.set()
        assert b.prewarm(ROME, None, cancel) == 0
    finally:
        b.close()


@pytest.mark.server
def test_the_local_api_restores_a_clients_conversation(bundled_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from openai import OpenAI

    from assistant.server import LocalServer

    b = backend(bundled_model, monkeypatch)
    try:
        with LocalServer(lambda: b, port=0) as srv:
            c = OpenAI(base_url=srv.url, api_key="none", max_retries=0, timeout=60)

            def ask(history: list[Message], text: str) -> Any:
                msgs = [{"role": m.role, "content": m.content} for m in history] + [{"role": "user", "content": text}]
                return c.chat.completions.create(model="smollm2-135m-instruct", messages=msgs, max_tokens=8,
                                                 temperature=0)

            ask(ROME, "And Carthage?")
            ask(SEA, "Why is it blue?")  # another client's conversation
            ask(ROME, "And Carthage?")
        assert b.states.hits == 1 and b.restored_tokens > 500
    finally:
        b.close()
