"""The desktop app with the real bundled model through llama.cpp: offscreen Qt, real SQLite."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from assistant.core.chat.history import History

from .conftest import REAL_SETTINGS, last_stored_message, load, record_answer_lengths, send, type_text

pytestmark = [pytest.mark.gui, pytest.mark.model]

LONG_PROMPT = "Write a very long story about a dragon who learns to cook. Use many chapters."


@pytest.fixture
def real_window(make_window: Any, qtbot: Any, bundled_model: Path) -> Any:
    w = make_window(sampling_max_tokens=24, sampling_seed=7, **REAL_SETTINGS)
    info = load(qtbot, w)
    assert info.name == "SmolLM2 135M Instruct" and info.backend == "llama.cpp"
    return w


def test_type_send_and_watch_the_reply_grow(real_window: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    w = real_window
    lengths = record_answer_lengths(monkeypatch)
    summary = send(qtbot, w, "Tell me about the sea.")
    assert summary.status == "done" and summary.answer
    grew = sorted(set(lengths))
    assert len(grew) >= 3 and grew == sorted(grew) and lengths == sorted(lengths), lengths  # appended in steps
    user, reply = w.chat.messages
    assert user.answer == "Tell me about the sea." and reply.answer == summary.answer
    assert summary.answer.split()[0] in reply.body.toPlainText()
    stored = w.history.messages(w.conversation_id)
    assert [(m.role, m.status) for m in stored] == [("user", "done"), ("assistant", "done")]
    assert stored[1].content == summary.answer and stored[1].model == "SmolLM2 135M Instruct"
    assert stored[1].backend == "llama.cpp" and stored[1].completion_tokens > 0 and stored[1].settings["sampling"]
    st = w.status
    assert "SmolLM2" in st.model_label.text() and st.backend_label.text() == "llama.cpp"
    assert st.speed_label.text().endswith("tok/s")
    qtbot.waitUntil(lambda: st.context_label.text().startswith("Context ") and "/ 2,048" in st.context_label.text())


def test_stop_mid_reply_keeps_the_partial_marked_stopped(real_window: Any, qtbot: Any) -> None:
    w = real_window
    w.settings.sampling.max_tokens = 400
    with qtbot.waitSignal(w.reply_done, timeout=120_000) as blocker:
        assert w.session.send_message(LONG_PROMPT)
        qtbot.waitUntil(lambda: len(w.chat.active.answer) > 30, timeout=60_000)
        qtbot.keyClick(w.chat.input, Qt.Key.Key_Escape)
    summary = blocker.args[0]
    assert summary.status == "stopped" and len(summary.answer) > 30
    stored = w.history.get_message(summary.message_id)
    assert stored.status == "stopped" and stored.finish_reason == "cancelled"
    assert stored.content == summary.answer and stored.completion_tokens < 400
    assert w.chat.messages[-1].answer == summary.answer and "stopped" in w.chat.messages[-1].header.meta.text()


def test_regenerate_replaces_the_last_reply(real_window: Any, qtbot: Any) -> None:
    w = real_window
    first = send(qtbot, w, "Name a colour.")
    w.settings.sampling.seed = 8
    reply = w.chat.messages[-1]
    assert reply.header.regenerate_button.isVisible()
    with qtbot.waitSignal(w.reply_done, timeout=120_000) as blocker:
        qtbot.mouseClick(reply.header.regenerate_button, Qt.MouseButton.LeftButton)
    second = blocker.args[0]
    assert second.status == "done" and second.message_id != first.message_id
    assert [m.role for m in w.chat.messages] == ["user", "assistant"]
    visible = w.history.messages(w.conversation_id)
    assert [m.id for m in visible][-1] == second.message_id and len(visible) == 2
    everything = w.history.messages(w.conversation_id, include_superseded=True)
    assert first.message_id in [m.id for m in everything]  # the old reply is kept, hidden


def test_edit_and_resend_from_an_earlier_message(real_window: Any, qtbot: Any) -> None:
    w = real_window
    send(qtbot, w, "What is the capital of France?")
    send(qtbot, w, "And of Italy?")
    first_user = w.chat.messages[0]
    qtbot.mouseClick(first_user.header.edit_button, Qt.MouseButton.LeftButton)
    assert first_user.editor.isVisible() and first_user.edit_box.toPlainText() == "What is the capital of France?"
    first_user.edit_box.setPlainText("What is the capital of Spain?")
    with qtbot.waitSignal(w.reply_done, timeout=120_000) as blocker:
        qtbot.mouseClick(first_user.edit_send, Qt.MouseButton.LeftButton)
    assert blocker.args[0].status == "done"
    assert (w.chat.messages[0].role, w.chat.messages[0].answer) == ("user", "What is the capital of Spain?")
    assert len(w.chat.messages) == 2
    visible = w.history.messages(w.conversation_id)
    assert visible[0].content == "What is the capital of Spain?" and len(visible) == 2
    assert len(w.history.messages(w.conversation_id, include_superseded=True)) == 6


def test_restart_finds_the_history_on_the_same_model(make_window: Any, real_window: Any, qtbot: Any) -> None:
    w = real_window
    summary = send(qtbot, w, "Remember this: blue whale.")
    cid = w.conversation_id
    w.close()
    again = make_window(**REAL_SETTINGS)
    assert again.conversation_id == cid  # opens on the last conversation
    assert [m.answer for m in again.chat.messages] == ["Remember this: blue whale.", summary.answer]
    assert again.sidebar.item_for(cid) is not None
    info = load(qtbot, again)
    assert info.name == "SmolLM2 135M Instruct"  # and on the last model
    assert again.settings.model == "smollm2-135m-instruct"


def test_search_finds_a_two_character_chinese_word_in_an_older_conversation(real_window: Any, qtbot: Any) -> None:
    w = real_window
    w.settings.sampling.max_tokens = 16
    send(qtbot, w, "中国经济的发展怎么样？")
    older = w.conversation_id
    qtbot.keyClick(w.chat.input, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    send(qtbot, w, "Hello there")
    assert w.conversation_id != older
    qtbot.keyClick(w.chat.input, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, w.sidebar.search, "发展")
    lst = w.sidebar.list
    qtbot.waitUntil(lambda: lst.count() >= 1 and "发展" in lst.item(0).text(), timeout=5000)
    assert {lst.item(i).data(Qt.ItemDataRole.UserRole) for i in range(lst.count())} == {older}
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(lst.item(0)).center())
    assert w.conversation_id == older
    assert w.chat.messages[0].answer == "中国经济的发展怎么样？"


def test_switch_language_while_the_model_is_loaded(make_window: Any, qtbot: Any, translations: Any,
                                                   bundled_model: Path) -> None:
    w = make_window(translations=translations, language="en", sampling_max_tokens=8, **REAL_SETTINGS)
    translations.apply("en")
    load(qtbot, w)
    send(qtbot, w, "Hi")
    assert w.file_menu.title() == "&File" and w.chat.send_button.text() == "Send"
    dlg = w.open_settings()
    dlg.appearance.language.setCurrentIndex(dlg.appearance.language.findData("zh_CN"))
    dlg.accept()
    assert w.settings.language == "zh_CN" and translations.language == "zh_CN"
    assert w.file_menu.title() == "文件(&F)"
    assert w.chat.send_button.text() == "发送"
    assert w.sidebar.new_button.text() == "新对话"
    assert w.status.model_label.text().startswith("模型：")
    assert w.chat.messages[0].header.copy_button.text() == "复制"
    assert w.session.model_info is not None  # switching language does not reload the model
    dlg = w.open_settings()
    assert dlg.windowTitle() == "设置"
    dlg.appearance.language.setCurrentIndex(dlg.appearance.language.findData("en"))
    dlg.accept()
    assert w.file_menu.title() == "&File" and w.chat.send_button.text() == "Send"


def test_close_while_the_model_streams(make_window: Any, qtbot: Any, bundled_model: Path) -> None:
    w = make_window(sampling_max_tokens=400, **REAL_SETTINGS)
    load(qtbot, w)
    w.session.send_message(LONG_PROMPT)
    qtbot.waitUntil(lambda: w.chat.active is not None and len(w.chat.active.answer) > 10, timeout=60_000)
    thread = w.session.worker.qthread
    w.close()  # stop → quit → wait → close, with the reply mid-way
    assert not thread.isRunning() and w.session.worker is None
    last = last_stored_message()
    assert last.status == "stopped" and last.content


def test_reasoning_streams_into_the_thinking_section_with_the_real_model(make_window: Any, qtbot: Any,
                                                                         bundled_model: Path) -> None:
    """The R1 prompt format opens a <think> block, so everything this model writes is reasoning."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    w = make_window(sampling_max_tokens=40, **REAL_SETTINGS)
    w.session.opener = lambda *_: LlamaCppBackend(bundled_model, n_ctx=2048, n_threads=1, family="deepseek-r1")
    load(qtbot, w)
    labels: list[str] = []
    with qtbot.waitSignal(w.reply_done, timeout=120_000) as blocker:
        w.session.send_message("Why is the sky blue?")
        qtbot.waitUntil(lambda: w.chat.active is not None and w.chat.active.thinking.isVisible(), timeout=60_000)
        labels.append(w.chat.active.thinking.toggle.text())
    summary = blocker.args[0]
    reply = w.chat.messages[-1]
    assert labels[0].startswith("Thinking…")
    assert summary.reasoning and reply.thinking.text == summary.reasoning and reply.thinking.view.toPlainText().strip()
    assert reply.thinking.toggle.text().startswith("Thought for")
    stored = w.history.get_message(summary.message_id)
    assert stored.reasoning == summary.reasoning and stored.content == summary.answer


def test_context_warning_with_a_small_context(make_window: Any, qtbot: Any, bundled_model: Path) -> None:
    h = History()
    c = h.create_conversation("long")
    for _ in range(5):
        h.add_message(c.id, "user", "Tell me everything about the history of bread. " * 6)
        h.add_message(c.id, "assistant", "Bread is old and comes in many kinds. " * 6)
    h.close()
    w = make_window(n_ctx=512, n_threads=1, last_conversation_id=c.id, sampling_max_tokens=16)
    with qtbot.waitSignal(w.context_updated, timeout=60_000):
        load(qtbot, w)
    assert w.status.context_state() in ("nearly_full", "dropping"), w.status.context_label.text()
    assert "/ 512" in w.status.context_label.text()
    summary = send(qtbot, w, "And rye bread?")
    assert summary.status == "done"
    assert any("oldest" in n for n in summary.notices)  # the policy left old messages out, and said so
    assert "oldest" in w.chat.messages[-1].notice.text()
