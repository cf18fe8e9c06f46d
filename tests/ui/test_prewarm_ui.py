"""The window brings the model's cache to the next prompt while the user reads and types."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.core.chat.prompting import Message
from assistant.core.chat.turn import TurnOptions, next_prefix

from .conftest import REAL_SETTINGS, load, send

pytestmark = [pytest.mark.gui, pytest.mark.model]


def test_after_a_reply_the_cache_holds_the_next_prompts_start(make_window: Any, qtbot: Any,
                                                               bundled_model: Path) -> None:
    w = make_window(sampling_max_tokens=24, **REAL_SETTINGS)  # unseeded: a seeded reply never reuses the cache
    load(qtbot, w)
    first = send(qtbot, w, "Tell me about the sea.")
    assert first.status == "done" and first.answer
    backend = w.session.worker.backend
    history = [Message("user", "Tell me about the sea."), Message("assistant", first.answer)]
    options = TurnOptions.from_settings(w.settings)
    # the next prompt's start: the conversation so far up to where the next user message's text begins (its
    # header included; Family.render_prefix, as the template renders it with a question after it)
    prefix = backend.tokenize_prompt(backend.family.render_prefix(next_prefix(history, options, backend.family),
                                                                  backend.info.default_system))
    qtbot.waitUntil(lambda: backend.llm.n_tokens == len(prefix), timeout=30_000)
    assert list(backend.llm.input_ids[: len(prefix)]) == prefix
    second = send(qtbot, w, "And the tides?")
    assert second.status == "done"
    assert backend.last_stats.reused_prompt_tokens >= len(prefix) - 1
