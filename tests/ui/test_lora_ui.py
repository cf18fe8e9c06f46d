"""LoRA adapters in the window, with the real model and the trained adapter (tests/lora/conftest.py): chosen
per conversation with a scale, applied without reloading the model, named in the reply's header and stored
with the reply; an adapter that has gone is said, and the message is kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from assistant.core.chat.history import History
from assistant.core.models.lora import import_adapter, remove_adapter
from assistant.ui.chat.adapters import AdaptersDialog
from assistant.ui.message.header import adapters_text
from assistant.ui.worker.events import stored_adapters

# the trained adapter and the HF copy it is trained on (session fixtures of the LoRA tests)
from tests.lora.conftest import PHRASE, hf_smollm2, peft_adapter  # noqa: F401

from .conftest import REAL_SETTINGS, load, send

pytestmark = [pytest.mark.gui, pytest.mark.model, pytest.mark.slow, pytest.mark.convert]

QUESTION = "What is the capital of Italy?"


def choose_in_dialog(qtbot: Any, window: Any, ticks: dict[str, float]) -> bool:
    """Click through the Adapters dialog as a user would: tick the named adapters at these scales, OK."""
    def act() -> None:
        d = QApplication.activeModalWidget()
        assert isinstance(d, AdaptersDialog)
        try:
            assert set(ticks) <= set(d.rows), f"the dialog does not offer {set(ticks) - set(d.rows)}"
            for name, (box, spin) in d.rows.items():
                box.setChecked(name in ticks)
                if name in ticks:
                    spin.setValue(ticks[name])
        finally:  # a failed check above is reported by pytest-qt; the dialog must close either way
            d.accept()

    QTimer.singleShot(0, act)
    return bool(window.session.adapter_choice.choose())


def test_adapters_per_conversation_in_the_window(make_window: Any, qtbot: Any, peft_adapter: Path,  # noqa: F811
                                                 bundled_model: Path) -> None:
    import_adapter(peft_adapter, base=bundled_model.name, name="ahoy")
    w = make_window(sampling_temperature=0.0, sampling_max_tokens=12, **REAL_SETTINGS)
    load(qtbot, w)
    backend = w.session.worker.backend
    loads: list[object] = []
    w.model_loaded.connect(loads.append)
    assert w.session.adapter_choice.button.text() == "Adapters"

    # conversation 1: the adapter at scale 1 -> the trained phrase; the header and the stored reply say so
    assert choose_in_dialog(qtbot, w, {"ahoy": 1.0})
    assert w.session.adapter_choice.button.text() == "LoRA: ahoy ×1"
    first = send(qtbot, w, QUESTION)
    assert first.status == "done" and first.answer.strip().startswith(PHRASE), first.answer
    conv1 = w.conversation_id
    reply = w.chat.messages[-1]
    assert "LoRA: ahoy ×1" in reply.header.meta.text()
    h = History()
    try:
        assert h.get_conversation(conv1).adapters == [("ahoy", 1.0)]
        assert stored_adapters(h.messages(conv1)[-1].settings) == [("ahoy", 1.0)]
    finally:
        h.close()

    # conversation 2: no adapters, same model object, no reload -> the base model's reply
    w.new_conversation()
    assert w.session.adapter_choice.chosen == [] and w.session.adapter_choice.button.text() == "Adapters"
    second = send(qtbot, w, QUESTION)
    assert second.status == "done" and PHRASE not in second.answer
    assert "LoRA" not in w.chat.messages[-1].header.meta.text()
    # scale 0 in the same conversation: the adapter is off, the reply is the base model's, word for word
    assert choose_in_dialog(qtbot, w, {"ahoy": 0.0})
    w.session.regenerate()
    qtbot.waitUntil(lambda: not w.chat.busy, timeout=120_000)
    assert w.chat.messages[-1].answer == second.answer
    assert "LoRA: ahoy ×0" in w.chat.messages[-1].header.meta.text()
    assert w.session.worker.backend is backend and loads == []  # switching never reloaded the model

    # back to conversation 1: its adapters come back with it, and its stored reply's header names them
    w.open_conversation(conv1)
    choice = w.session.adapter_choice
    assert choice.chosen == [("ahoy", 1.0)] and choice.button.text() == "LoRA: ahoy ×1"
    assert "LoRA: ahoy ×1" in w.chat.messages[-1].header.meta.text()

    # the adapter is removed from the library: sending says so, saves nothing, and keeps the typed text
    remove_adapter("ahoy")
    before = len(w.chat.messages)
    w.chat.input.setPlainText(QUESTION)
    w.chat._submit()
    assert w.chat.error_banner.isVisible() and "ahoy" in w.chat.error_banner.message.text()
    assert "Adapters button" in w.chat.error_banner.hint.text()
    assert w.chat.input.toPlainText() == QUESTION and len(w.chat.messages) == before
    # the dialog still lists it, ticked and marked, so the user sees what to untick
    d = AdaptersDialog(w.session.model_info.path, w.session.model_info.backend, w.session.adapter_choice.chosen)
    box, spin = d.rows["ahoy"]
    assert box.isChecked() and "not available" in box.text() and not spin.isEnabled()
    d.deleteLater()


def test_dialog_imports_and_rejects_with_clear_words(make_window: Any, qtbot: Any, peft_adapter: Path,  # noqa: F811
                                                     bundled_model: Path, tmp_path: Path) -> None:
    """Import… adds a PEFT folder checked against the loaded model (and ticks it); a folder that is not an
    adapter is explained in the dialog and nothing is added."""
    w = make_window(**REAL_SETTINGS)
    load(qtbot, w)
    d = AdaptersDialog(w.session.model_info.path, w.session.model_info.backend, [])
    assert d.rows == {} and "No adapter fits" in d.note.text()
    (tmp_path / "junk").mkdir()
    assert not d.import_path(str(tmp_path / "junk"))
    assert "adapter_config.json" in d.note.text() and d.rows == {}
    assert d.import_path(str(peft_adapter))
    name = next(iter(d.rows))
    assert d.rows[name][0].isChecked() and d.chosen() == [(name, 1.0)]
    assert adapters_text([(name, 1.0), ("x", 0.5)]) == f"{name} ×1, x ×0.5"
    d.deleteLater()
    # a window whose model is not loaded yet offers the adapters that fit the model it will load
    fresh = make_window(**REAL_SETTINGS)
    assert fresh.session.model_info is None
    assert choose_in_dialog(qtbot, fresh, {name: 0.5}) and fresh.session.adapter_choice.chosen == [(name, 0.5)]
