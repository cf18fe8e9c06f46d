"""The desktop app switched to the OpenAI-compatible backend: a real llama_cpp.server on 127.0.0.1."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.core.backends.conftest import LlamaServer, start_llama_server

from .conftest import REAL_SETTINGS, load, record_answer_lengths, send

pytestmark = [pytest.mark.gui, pytest.mark.model, pytest.mark.server]


@pytest.fixture(scope="module")
def server(bundled_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    s = start_llama_server(bundled_model, tmp_path_factory.mktemp("gui-llama-server"))
    yield s
    s.process.stop()


def test_switch_from_llama_cpp_to_a_server_and_stream(make_window: Any, qtbot: Any, server: LlamaServer,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    w = make_window(sampling_max_tokens=24, sampling_seed=7, **REAL_SETTINGS)
    assert load(qtbot, w).backend == "llama.cpp"
    assert w.status.backend_label.text() == "llama.cpp"

    # The settings dialog's result: backend "OpenAI-compatible server" at the server's URL.
    new = copy.deepcopy(w.settings)
    new.backend, new.server_url = "openai", server.url
    with qtbot.waitSignal(w.model_loaded, timeout=60_000) as loaded:
        w.apply_settings(new)
    assert loaded.args[0].backend == "OpenAI-compatible"
    qtbot.waitUntil(lambda: w.status.backend_label.text() == "OpenAI-compatible")

    lengths = record_answer_lengths(monkeypatch)
    summary = send(qtbot, w, "Name three colours.")
    assert summary.status == "done" and summary.answer
    assert len(set(lengths)) >= 2, "the reply should arrive in steps, not at once"
    stored = w.history.messages(w.conversation_id)[-1]
    assert stored.backend == "OpenAI-compatible" and stored.content == summary.answer
    assert stored.completion_tokens > 0
