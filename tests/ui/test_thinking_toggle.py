"""The thinking switch beside the message box (issue 27): real widgets offscreen, real SQLite, a scripted backend
whose family is Qwen3's (it has the switch) or ChatML's (it has none). What the model is sent is read from the
backend's requests: the family the turn resolved and the prompt that family renders."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from .conftest import load, send
from .fakes import FakeBackend

pytestmark = pytest.mark.gui

EMPTY_THINK = "<|im_start|>assistant\n<think>\n\n</think>\n\n"  # Qwen3's generation prompt with thinking off


def qwen3(*replies: str) -> FakeBackend:
    return FakeBackend(replies=replies or ("Hello there.",) * 8, family="qwen3", model_name="Qwen3 (scripted)")


def prompt_of(backend: FakeBackend, k: int = -1) -> str:
    """The prompt of the backend's ``k``-th request, as the model's template renders it."""
    request = backend.requests[k]
    return request.family.render(request.messages, True, request.default_system)


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_toggle_is_shown_only_for_a_model_with_a_switch(make_window: Any, qtbot: Any) -> None:
    # R1 has no switch (it always reasons): an option set anyway would be said to be ignored, in a notice.
    backend = FakeBackend(["Let me see.", "</think>", "Hi."], family="deepseek-r1")
    w = make_window(backend)
    button = w.session.thinking_choice.button
    assert w.chat.composer_row.indexOf(button) >= 0  # beside the message box
    assert button.isHidden()  # nothing loaded yet: nothing to switch
    info = load(qtbot, w)
    assert info.thinking_switch is False and button.isHidden()
    # A conversation switched off for a Qwen3: this model has no switch, so nothing is applied or said.
    cid = w.history.create_conversation("from a Qwen3 day").id
    w.history.set_thinking(cid, False)
    w.open_conversation(cid)
    summary = send(qtbot, w, "Hi")
    assert backend.requests[-1].family.thinking is None
    assert not any("thinking switch" in n for n in summary.notices)
    assert w.history.get_message(summary.message_id).settings.get("thinking_switch") is None
    # The model is switched to a Qwen3: the toggle appears, showing the conversation's state.
    w.session.opener = lambda *_args: qwen3()
    w.reload_model()
    qtbot.waitUntil(lambda: w.session.model_info is not None, timeout=10_000)
    assert w.session.model_info.thinking_switch is True
    assert button.isVisible() and not button.isChecked() and button.text() == "Thinking: off"
    # And back to a model without one: hidden again.
    w.session.opener = lambda *_args: FakeBackend(family="chatml")  # ChatML: no switch either
    w.reload_model()
    qtbot.waitUntil(lambda: w.session.model_info is not None, timeout=10_000)
    assert button.isHidden()


def test_switching_it_off_sends_the_next_turn_without_thinking(make_window: Any, qtbot: Any) -> None:
    backend = qwen3()
    w = make_window(backend)
    load(qtbot, w)
    choice = w.session.thinking_choice
    button = choice.button
    assert button.isVisible() and button.isChecked() and button.text() == "Thinking: on"  # None shown as on
    first = send(qtbot, w, "What is 2 + 2?")
    cid = w.conversation_id
    assert backend.requests[-1].family.thinking is True  # the model's default
    assert not prompt_of(backend).endswith(EMPTY_THINK) and prompt_of(backend).endswith("<|im_start|>assistant\n")
    assert w.history.get_conversation(cid).thinking is None  # never chosen: the model's default is kept
    assert w.history.get_message(first.message_id).settings["thinking_switch"] is True
    click(qtbot, button)
    assert not button.isChecked() and button.text() == "Thinking: off"
    assert w.history.get_conversation(cid).thinking is False
    second = send(qtbot, w, "And 3 + 3?")
    assert backend.requests[-1].family.thinking is False
    assert prompt_of(backend).endswith(EMPTY_THINK)
    assert w.history.get_message(second.message_id).settings["thinking_switch"] is False
    click(qtbot, button)  # on again: asked for explicitly now
    assert button.isChecked() and w.history.get_conversation(cid).thinking is True
    # Regenerate gives a new version the way the switch is now (on), though the reply was written without.
    with qtbot.waitSignal(w.reply_done, timeout=20_000) as blocker:
        w.session.regenerate()
    assert backend.requests[-1].family.thinking is True and not prompt_of(backend).endswith(EMPTY_THINK)
    assert w.history.get_message(blocker.args[0].message_id).settings["thinking_switch"] is True
    # A new message follows the toggle; switched off, so does the next Regenerate.
    send(qtbot, w, "And 4 + 4?")
    assert backend.requests[-1].family.thinking is True and not prompt_of(backend).endswith(EMPTY_THINK)
    click(qtbot, button)
    with qtbot.waitSignal(w.reply_done, timeout=20_000):
        w.session.regenerate()
    assert backend.requests[-1].family.thinking is False and prompt_of(backend).endswith(EMPTY_THINK)


def test_switched_off_before_the_first_message_and_kept_after_a_restart(make_window: Any, qtbot: Any,
                                                                       translations: Any) -> None:
    backend = qwen3()
    w = make_window(backend, translations=translations, language="en")
    translations.apply("en")
    load(qtbot, w)
    click(qtbot, w.session.thinking_choice.button)  # a new conversation: kept once its first message creates it
    send(qtbot, w, "Quick: the capital of France?")
    cid = w.conversation_id
    assert w.history.get_conversation(cid).thinking is False
    assert backend.requests[-1].family.thinking is False and prompt_of(backend).endswith(EMPTY_THINK)
    w.new_conversation()  # another conversation: the model's default again
    assert w.session.thinking_choice.button.isChecked() and w.session.thinking_choice.value is None
    w.open_conversation(cid)
    assert not w.session.thinking_choice.button.isChecked()
    w.shutdown()

    # "After a restart": a new window on the same history file reopens the conversation with its switch off.
    backend2 = qwen3()
    w2 = make_window(backend2, translations=translations, language="en")
    assert w2.conversation_id == cid
    load(qtbot, w2)
    button = w2.session.thinking_choice.button
    assert button.isVisible() and not button.isChecked() and button.text() == "Thinking: off"
    send(qtbot, w2, "And of Italy?")
    assert backend2.requests[-1].family.thinking is False and prompt_of(backend2).endswith(EMPTY_THINK)
    translations.apply("zh_CN")
    w2.retranslate()
    assert button.text() == "思考：关" and "/no_think" in button.toolTip()
    click(qtbot, button)
    assert button.text() == "思考：开"
    translations.apply("en")
    w2.retranslate()
    assert button.text() == "Thinking: on"


def test_continue_goes_on_with_the_switch_the_reply_was_written_with(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(replies=["One two three four five six.", "seven eight."], family="qwen3")
    w = make_window(backend, sampling_max_tokens=4)
    load(qtbot, w)
    button = w.session.thinking_choice.button
    click(qtbot, button)  # off: no reasoning, so the setting's max_tokens cuts the answer
    cut = send(qtbot, w, "Count to eight.")
    assert cut.finish_reason == "length" and backend.requests[-1].family.thinking is False
    click(qtbot, button)  # on now: the cut reply still goes on as it was written, without reasoning
    with qtbot.waitSignal(w.reply_done, timeout=20_000):
        assert w.session.continue_reply()
    assert backend.requests[-1].family.thinking is False
    assert backend.requests[-1].prefill and prompt_of(backend).endswith(EMPTY_THINK)
