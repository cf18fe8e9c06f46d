"""The KV cache follows the branch shown: walking to a sibling keeps the branch left (its cache was prewarmed to
that branch's next prompt) and restores the branch walked to where it was kept, else evaluates it; the reply
on a restored branch is the one a cache-less model gives. Real model, real engine, real history tree."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

from assistant.core.chat.history import History, history_messages
from assistant.core.chat.prompting import Message
from assistant.core.chat.turn import ChatTurn, TurnOptions, next_prefix
from assistant.core.settings import Sampling

pytestmark = pytest.mark.model

GREEDY = TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=16))
QUESTION = "Tell me about the history of Rome and its emperors. " * 30
REPLY_A = "Rome was founded in 753 BC by Romulus, and its republic grew into an empire. " * 8
REPLY_B = "The city of Rome grew from villages on seven hills beside the Tiber river. " * 8


def backend(path: Path, monkeypatch: pytest.MonkeyPatch, states: bool = True) -> Any:
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    monkeypatch.setenv("ASSISTANT_KV_STATES", "on" if states else "off")
    return LlamaCppBackend(path, n_ctx=4096)


def show(b: Any, h: History, message_id: int) -> list[Message]:
    """What the window does on a branch switch: the path walked to, prewarmed."""
    path = [Message(r, t) for r, t in history_messages(h.show(message_id))]
    b.prewarm(next_prefix(path, GREEDY, b.family), None, threading.Event())
    return path


def test_walking_between_branches_restores_each_instead_of_evaluating_it(
        bundled_model: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        c = h.create_conversation("rome")
        u = h.add_message(c.id, "user", QUESTION)
        a = h.add_message(c.id, "assistant", REPLY_A)
        b_ = h.add_message(c.id, "assistant", REPLY_B, parent_id=u)  # regenerated: a sibling
        fresh = backend(bundled_model, monkeypatch, states=False)
        expected = ChatTurn(fresh, show(fresh, h, a), "And the emperors?", GREEDY).run().answer
        fresh.close()

        m = backend(bundled_model, monkeypatch)
        try:
            show(m, h, a)
            assert m.states.saves == 0
            show(m, h, b_)  # branch A left: kept, as its cache was exactly its next prompt's start
            assert m.states.saves == 1 and m.restored_tokens == 0
            restored_before = m.restored_tokens
            path = show(m, h, a)  # back to A: restored, only the tail evaluated
            assert m.states.hits == 1 and m.restored_tokens - restored_before > 300
            result = ChatTurn(m, path, "And the emperors?", GREEDY).run()
            assert result.answer == expected, "a restored branch replies as a cache-less model does"
            show(m, h, b_)  # and B was kept when A came back
            assert m.states.hits == 2
        finally:
            m.close()


def test_a_cache_ending_in_a_reply_is_not_kept_as_a_branch(bundled_model: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Only a prewarmed cache counts as a branch: one that ends in a reply's own tokens (the user sent the
    next message at once) is evaluated past, as before, not stored."""
    m = backend(bundled_model, monkeypatch)
    try:
        history = [Message("user", QUESTION)]
        ChatTurn(m, history, "Short?", TurnOptions(sampling=Sampling(temperature=0.0, max_tokens=80))).run()
        ChatTurn(m, history, "Another short one?", GREEDY).run()
        assert m.states.saves == 0
    finally:
        m.close()
