"""Reasoning under control in the window: the thinking meter (live and stored), a loop cut out of the
shown reasoning, Continue on a reply cut off at max_tokens, the reasoning settings, the first-start note.
Scripted backends for the fast cases; the real bundled model for a budget reached and a real Continue."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from assistant.core.paths import app_paths
from assistant.core.settings import Settings

from .conftest import REAL_SETTINGS, load, send
from .fakes import FakeBackend

pytestmark = pytest.mark.gui

STEPS = ["Let", " me", " think", "."] + [f" Step {i}: {i} × 7 is {i * 7}." for i in range(1, 41)]
LOOPED = ("I should check the numbers again because the sum might be wrong and I want to be sure about it "
          "before I answer the question that was asked.")


def assistant_rows(conversation_id: int) -> list[tuple[str, str, int]]:
    """The assistant rows of a conversation as stored (superseded ones included), read with plain SQL."""
    db = sqlite3.connect(app_paths().history_db)
    try:
        return db.execute("SELECT content, finish_reason, completion_tokens FROM messages "
                          "WHERE conversation_id=? AND role='assistant' ORDER BY id", (conversation_id,)).fetchall()
    finally:
        db.close()


def live_labels(w: Any) -> list[str]:
    """The thinking section's label after each batch the window receives (filled while the reply streams)."""
    seen: list[str] = []

    def record(_job: int, _events: object) -> None:
        if w.chat.active is not None:
            w.chat.active.flush(force=True)
            seen.append(w.chat.active.thinking.toggle.text())

    w.session.worker.reply_delta.connect(record)
    return seen


def test_the_meter_counts_against_the_budget_live_then_says_why_the_reasoning_ended(make_window: Any,
                                                                                     qtbot: Any) -> None:
    backend = FakeBackend(replies=[STEPS, ["The answer is ", "\\boxed{42}", "."]], delay=0.03, family="deepseek-r1")
    w = make_window(backend, thinking_budget=20)
    load(qtbot, w)
    seen = live_labels(w)
    summary = send(qtbot, w, "What is 6 × 7?")
    live = [s for s in seen if s.startswith("Thinking…")]
    assert live and all(re.fullmatch(r"Thinking… \d+\.\d s( · \d+ / 20 tokens)?", s) for s in live), live
    counts = [int(m.group(1)) for s in live if (m := re.search(r"· (\d+) /", s))]
    assert len(set(counts)) >= 3 and counts == sorted(counts), counts  # it counts up as the reply streams
    reply = w.chat.messages[-1]
    label = reply.thinking.toggle.text()
    assert re.fullmatch(r"Thought for \d+\.\d s · 20 tokens \(budget reached\)", label), label
    assert reply.answer == "The answer is \\boxed{42}." and summary.answer == reply.answer
    stored = w.history.get_message(summary.message_id)
    thinking = stored.extra["thinking"]
    assert (thinking["budget"], thinking["tokens"], thinking["end"], thinking["loops"]) == (20, 20, "budget", 0)
    assert thinking["seconds"] > 0
    w.retranslate()
    assert reply.thinking.toggle.text() == label
    cid = w.conversation_id
    w.new_conversation()
    w.open_conversation(cid)  # read back from the database
    assert w.chat.messages[-1].thinking.toggle.text() == label


def test_with_no_limit_the_meter_shows_the_tokens_alone(make_window: Any, qtbot: Any) -> None:
    reply_pieces = [*STEPS[:14], "</think>", "\n\nThe answer is 42."]
    w = make_window(FakeBackend(reply_pieces, delay=0.03, family="deepseek-r1"), thinking_budget=0)
    load(qtbot, w)
    seen = live_labels(w)
    send(qtbot, w, "What is 6 × 7?")
    assert any(re.fullmatch(r"Thinking… \d+\.\d s · \d+ tokens", s) for s in seen), seen
    assert not any("/" in s for s in seen)
    # 14 pieces of reasoning and the </think> that closed it
    assert re.fullmatch(r"Thought for \d+\.\d s · 15 tokens", w.chat.messages[-1].thinking.toggle.text())


def test_a_loop_cut_out_of_the_reasoning_leaves_the_view(make_window: Any, qtbot: Any) -> None:
    looping = ["Let me add the numbers."] + [" " + word for _ in range(6) for word in LOOPED.split()]
    backend = FakeBackend(replies=[looping, ["The sum is 12."]], family="deepseek-r1")
    w = make_window(backend, loop_action="answer")
    load(qtbot, w)
    at_answer: list[str] = []

    def record(_job: int, _events: object) -> None:
        reply = w.chat.active
        if reply is not None and reply.answer and not at_answer:
            at_answer.append(reply.reasoning)

    w.session.worker.reply_delta.connect(record)
    summary = send(qtbot, w, "What is 5 + 7?")
    assert at_answer and at_answer[0].count("before I answer the question") == 1, at_answer  # rewound live
    reply = w.chat.messages[-1]
    assert reply.thinking.toggle.text().endswith("(loop stopped)") and reply.answer == "The sum is 12."
    assert reply.thinking.text == summary.reasoning == reply.reasoning
    assert reply.thinking.view.toPlainText().split() == summary.reasoning.split()  # rendered: blocks, not blank lines
    assert w.history.get_message(summary.message_id).extra["thinking"]["loops"] == 1


def test_continue_writes_on_in_the_same_message_and_only_the_last_reply_offers_it(make_window: Any,
                                                                                  qtbot: Any) -> None:
    cut_a = ["A1", " A2", " A3", " A4", " A5", " A6"]
    cut_b = ["B1", " B2", " B3", " B4", " B5", " B6"]
    backend = FakeBackend(replies=[cut_a, cut_b, [" B6", " B7", "."]])
    w = make_window(backend, sampling_max_tokens=5)
    load(qtbot, w)
    first = send(qtbot, w, "Count with A")
    assert first.finish_reason == "length"
    a = w.chat.messages[-1]
    assert a.header.cut_label.isVisibleTo(w) and a.header.cut_label.text() == "Cut off at 5 tokens"
    assert a.header.continue_button.isVisibleTo(w)
    send(qtbot, w, "Count with B")
    b = w.chat.messages[-1]
    # only the last reply offers it
    assert a.header.cut_label.isVisibleTo(w) and not a.header.continue_button.isVisibleTo(w)
    assert b.header.continue_button.isVisibleTo(w)
    with qtbot.waitSignal(w.reply_done, timeout=20_000) as done:
        b.header.continue_button.click()
        assert not b.header.continue_button.isVisibleTo(w) and w.chat.active is b  # streams into the same widget
    summary = done.args[0]
    assert w.chat.messages[-1] is b and len(w.chat.messages) == 4
    assert b.answer == summary.answer == "B1 B2 B3 B4 B5 B6 B7."
    assert backend.requests[-1].prefill == "B1 B2 B3 B4 B5"  # the model wrote on from the cut
    assert backend.requests[-1].messages[-1].content == "Count with B"
    assert not b.header.cut_label.isVisibleTo(w) and not b.header.continue_button.isVisibleTo(w)  # no longer cut off
    assert assistant_rows(w.conversation_id) == [("A1 A2 A3 A4 A5", "length", 5),
                                                 ("B1 B2 B3 B4 B5 B6 B7.", "stop", 8)]
    assert "8 tokens" in b.header.meta.text()


def test_continue_a_reply_cut_inside_its_reasoning(make_window: Any, qtbot: Any) -> None:
    """A reasoning cut off before its end: Continue streams more reasoning into the same thinking section,
    then the answer, and the stored reply grows in place."""
    backend = FakeBackend(replies=[[" forty", "-two.", "</think>", "\n\nThe answer is 42."]], family="deepseek-r1")
    w = make_window(backend)
    h = w.history
    conv = h.create_conversation("6 × 7")
    h.add_message(conv.id, "user", "What is 6 × 7?")
    mid = h.add_message(conv.id, "assistant", "", reasoning="Six sevens are", finish_reason="length",
                        completion_tokens=12, generation_seconds=1.0, thinking_seconds=1.5,
                        extra={"thinking": {"budget": None, "cap": 500, "tokens": 12, "end": "length", "loops": 0,
                                            "resamples": 0, "seconds": 1.5}})
    w.open_conversation(conv.id)
    reply = w.chat.messages[-1]
    qtbot.waitUntil(lambda: reply.isVisibleTo(w), timeout=2000)  # the layout shows new widgets on the next pass
    assert reply.header.continue_button.isVisibleTo(w) and reply.header.cut_label.text() == "Cut off at 12 tokens"
    assert reply.thinking.toggle.text() == "Thought for 1.5 s · 12 tokens"
    load(qtbot, w)
    with qtbot.waitSignal(w.reply_done, timeout=20_000):
        assert w.session.continue_reply()
    assert backend.requests[0].prefill == "Six sevens are"  # an R1 reply starts inside its reasoning
    assert w.chat.messages[-1] is reply and reply.reasoning.startswith("Six sevens are forty-two.")
    assert reply.thinking.text == reply.reasoning and reply.answer == "The answer is 42."
    assert reply.thinking.view.toPlainText().split() == reply.reasoning.split()  # shown rendered
    stored = h.get_message(mid)
    assert stored.reasoning == reply.reasoning and stored.content == "The answer is 42."
    # 12 stored tokens of reasoning, then two more and the </think> that closed it
    assert stored.extra["thinking"]["tokens"] == 15 and stored.extra["thinking"]["end"] == "model"
    assert stored.completion_tokens == 16 and stored.thinking_seconds >= 1.5
    assert re.fullmatch(r"Thought for \d+\.\d s · 15 tokens", reply.thinking.toggle.text())
    assert [m.role for m in h.messages(conv.id)] == ["user", "assistant"] and not reply.header.cut_label.isVisibleTo(w)


def test_the_reasoning_settings_round_trip(make_window: Any, qtbot: Any) -> None:
    w = make_window(FakeBackend())
    dlg = w.open_settings()
    assert dlg.sampling.max_tokens.value() == 0 and dlg.sampling.max_tokens.text() == "By model"
    assert dlg.sampling.budget_mode.currentData() == "auto" and not dlg.sampling.budget_slider.isEnabled()
    assert dlg.sampling.thinking_budget() == -1 and dlg.sampling.budget_label.text() == "1,536 tokens, 3,072 for maths"
    dlg.sampling.budget_mode.setCurrentIndex(dlg.sampling.budget_mode.findData("custom"))
    assert dlg.sampling.budget_slider.isEnabled() and dlg.sampling.budget_label.text() == "1,536 tokens"
    dlg.sampling.budget_slider.setValue(8)
    assert dlg.sampling.budget_label.text() == "2,048 tokens"
    dlg.sampling.answer_reserve.setValue(256)
    dlg.sampling.loop_action.setCurrentIndex(dlg.sampling.loop_action.findData("resample"))
    dlg.sampling.force_thinking.setChecked(True)
    dlg.sampling.max_tokens.setValue(700)
    assert dlg.reasoning.early_vote.isChecked()
    dlg.reasoning.early_vote.setChecked(False)
    dlg.accept()
    assert dlg.result() == QDialog.DialogCode.Accepted
    s = Settings.load()
    assert (s.thinking_budget, s.answer_reserve, s.loop_action, s.force_thinking, s.sampling.max_tokens) == \
        (2048, 256, "resample", True, 700)
    assert s.early_vote is False
    again = w.open_settings()  # shows what was saved
    page = again.sampling
    assert (page.budget_mode.currentData(), page.budget_slider.value(), page.answer_reserve.value(),
            page.loop_action.currentData(), page.force_thinking.isChecked()) == ("custom", 8, 256, "resample", True)
    again.sampling.budget_mode.setCurrentIndex(again.sampling.budget_mode.findData("none"))
    again.accept()
    assert Settings.load().thinking_budget == 0


def test_a_budget_the_slider_cannot_show_survives_the_dialog_and_the_wheel_needs_focus(qtbot: Any) -> None:
    from PySide6.QtCore import QPoint, QPointF, Qt
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication

    from assistant.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog(Settings(thinking_budget=100))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    assert dlg.sampling.budget_mode.currentData() == "custom" and dlg.sampling.budget_label.text() == "100 tokens"
    assert dlg.settings().thinking_budget == 100
    slider = dlg.sampling.budget_slider
    value = slider.value()

    def wheel() -> None:
        centre = QPointF(slider.width() / 2, slider.height() / 2)
        ev = QWheelEvent(centre, slider.mapToGlobal(centre), QPoint(0, 0), QPoint(0, 120), Qt.MouseButton.NoButton,
                         Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(slider, ev)

    dlg.sampling.temperature.setFocus()
    qtbot.waitUntil(dlg.sampling.temperature.hasFocus, timeout=2000)
    wheel()
    assert slider.value() == value and dlg.settings().thinking_budget == 100
    slider.setFocus()
    qtbot.waitUntil(slider.hasFocus, timeout=2000)
    wheel()
    assert slider.value() != value  # the slider the user is in takes the wheel
    dlg.close()


def test_the_first_start_note_points_to_the_real_model_until_dismissed(make_window: Any, qtbot: Any) -> None:
    from assistant.ui.models.manager import ModelManagerDialog

    w = make_window(FakeBackend())
    note = w.demo_note
    assert note is not None and note.isVisibleTo(w) and "SmolLM2-135M" in note.label.text()
    assert "DeepSeek-R1-Distill-Qwen-1.5B" in note.label.text()
    note.models_button.click()
    manager = w.models.dialogs["models"]
    assert isinstance(manager, ModelManagerDialog) and manager.isVisible()
    row = manager.catalog_table.selected()
    assert row is not None and row["id"] == "deepseek-r1-distill-qwen-1.5b"
    manager.close()
    assert note.isVisibleTo(w)  # still there until dismissed
    note.close_button.click()
    assert not note.isVisibleTo(w) and Settings.load().demo_note_dismissed
    assert make_window(FakeBackend()).demo_note is None  # remembered: not shown at the next start
    other = make_window(FakeBackend(), model="/models/other.gguf", demo_note_dismissed=False)
    assert other.demo_note is None  # another model: nothing to say


@pytest.mark.model
def test_real_model_reaches_its_thinking_budget_then_answers(make_window: Any, qtbot: Any,
                                                            bundled_model: Path) -> None:
    w = make_window(force_thinking=True, thinking_budget=32, sampling_temperature=0.0, sampling_max_tokens=0,
                    **REAL_SETTINGS)
    load(qtbot, w)
    seen = live_labels(w)
    summary = send(qtbot, w, "Explain step by step how to compute 17 × 23.")
    assert any(re.fullmatch(r"Thinking… \d+\.\d s · \d+ / 32 tokens", s) for s in seen), seen
    reply = w.chat.messages[-1]
    label = reply.thinking.toggle.text()
    assert re.fullmatch(r"Thought for \d+\.\d s · \d+ tokens \(budget reached\)", label), label
    assert summary.answer.strip() and reply.answer == summary.answer and summary.status == "done"
    stored = w.history.get_message(summary.message_id)
    assert stored.extra["thinking"]["end"] == "budget" and stored.extra["thinking"]["tokens"] >= 32
    cid = w.conversation_id
    w.new_conversation()
    w.open_conversation(cid)
    assert w.chat.messages[-1].thinking.toggle.text() == label


@pytest.mark.model
def test_real_model_reply_cut_at_max_tokens_is_continued_in_place(make_window: Any, qtbot: Any,
                                                                  bundled_model: Path) -> None:
    w = make_window(sampling_max_tokens=16, sampling_temperature=0.0, **REAL_SETTINGS)
    load(qtbot, w)
    first = send(qtbot, w, "Write a long story about a dragon.")
    reply = w.chat.messages[-1]
    assert first.finish_reason == "length" and reply.header.cut_label.text() == "Cut off at 16 tokens"
    with qtbot.waitSignal(w.reply_done, timeout=120_000) as done:
        reply.header.continue_button.click()
    summary = done.args[0]
    assert w.chat.messages[-1] is reply and len(w.chat.messages) == 2
    assert summary.answer.startswith(first.answer) and len(summary.answer) > len(first.answer) + 20
    assert reply.answer == summary.answer
    rows = assistant_rows(w.conversation_id)
    assert rows == [(summary.answer, "length", 32)]  # the same row grew; cut again at 16 more tokens
    assert reply.header.cut_label.text() == "Cut off at 32 tokens" and reply.header.continue_button.isVisibleTo(w)
