"""Fast UI tests: real widgets, real SQLite, a scripted backend. The real model repeats the key ones in
test_window_model.py."""

from __future__ import annotations

import itertools
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from assistant.core.chat.history import History
from assistant.core.paths import app_paths
from assistant.core.progress import Progress

from .conftest import last_stored_message, load, send
from .fakes import FakeBackend

pytestmark = pytest.mark.gui

# Reasoning that goes on without repeating itself (ten copies of one sentence would be stopped as a loop).
R1_REPLY = ["Let", " me", " think", " about", " it", "."] + [f" Step {i}: {i} × 7 is {i * 7}." for i in range(1, 10)] \
    + ["</think>", "\n\nThe answer is ", "\\boxed{42}", "."]


def test_reasoning_streams_live_then_collapses_to_a_timed_section(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(R1_REPLY, delay=0.02, family="deepseek-r1")
    w = make_window(backend)
    load(qtbot, w)
    seen_live: list[str] = []
    with qtbot.waitSignal(w.reply_done, timeout=20_000) as blocker:
        w.session.send_message("What is 6 × 7?")
        qtbot.waitUntil(lambda: w.chat.active is not None and w.chat.active.thinking.isVisible(), timeout=5000)
        reply = w.chat.active
        qtbot.waitUntil(lambda: "Let me think" in reply.thinking.view.toPlainText(), timeout=5000)
        seen_live.append(reply.thinking.toggle.text())
    summary = blocker.args[0]
    assert seen_live[0].startswith("Thinking…")  # the live timer
    assert reply.thinking.toggle.text().startswith("Thought for")
    assert reply.thinking.view.toPlainText().startswith("Let me think")
    assert "</think>" not in reply.answer and reply.answer.startswith("The answer is")
    assert reply.boxed_label.isVisible() and reply.boxed_label.text() == "Answer: 42"
    assert "background-color" in reply.body.toHtml()  # \boxed{} highlighted inside the answer too
    stored = w.history.get_message(summary.message_id)
    assert stored.reasoning.startswith("Let me think") and stored.content.startswith("The answer is")
    assert stored.boxed == "42" and stored.status == "done" and stored.thinking_seconds > 0
    reply.header.copy_button.click()  # the copy button puts the answer's Markdown on the clipboard
    assert QGuiApplication.clipboard().text() == reply.answer
    # Collapsible: the section toggles the reasoning view.
    was_open = reply.thinking.is_open
    reply.thinking.toggle.click()
    assert reply.thinking.is_open != was_open
    assert reply.thinking.view.isHidden() == (not reply.thinking.is_open)
    reply.thinking.toggle.click()
    assert reply.thinking.is_open == was_open and reply.thinking.view.isHidden() == (not was_open)


def test_updates_are_batched_and_repaints_capped(make_window: Any, qtbot: Any) -> None:
    pieces = [f"w{i} " for i in range(4000)]
    backend = FakeBackend(pieces)
    w = make_window(backend, sampling_max_tokens=5000)
    load(qtbot, w)
    deltas = []
    w.session.worker.reply_delta.connect(lambda job, events: deltas.append(len(events)))
    t0 = time.monotonic()
    summary = send(qtbot, w, "go")
    elapsed = time.monotonic() - t0
    assert summary.answer == "".join(pieces).strip()
    assert w.chat.messages[-1].answer == summary.answer
    assert sum(deltas) >= 4000 and len(deltas) <= 30 * elapsed + 5, (len(deltas), elapsed)
    assert w.chat.repaints <= 30 * elapsed + 5


def test_stop_flag_stops_at_once_and_keeps_the_partial(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend([f"t{i} " for i in range(100_000)], delay=0.002)
    w = make_window(backend, sampling_max_tokens=100_000)
    load(qtbot, w)
    with qtbot.waitSignal(w.reply_done, timeout=20_000) as blocker:
        w.session.send_message("long please")
        assert w.chat.send_button.text() == "Stop"
        qtbot.waitUntil(lambda: len(w.chat.active.answer) > 50, timeout=10_000)
        t0 = time.monotonic()
        qtbot.keyClick(w.chat.input, Qt.Key.Key_Escape)
    assert time.monotonic() - t0 < 1.0
    summary = blocker.args[0]
    assert summary.status == "stopped"
    stored = w.history.get_message(summary.message_id)
    assert stored.status == "stopped" and stored.content == summary.answer and len(stored.content) > 50
    assert w.chat.send_button.text() == "Send"
    assert "stopped" in w.chat.messages[-1].header.meta.text()
    assert threading.main_thread().name not in backend.threads  # only the worker thread touched it


def test_reply_is_saved_while_it_streams(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend([f"x{i} " for i in range(260)], delay=0.01)
    w = make_window(backend, sampling_max_tokens=1000)
    load(qtbot, w)
    db = sqlite3.connect(app_paths().history_db)
    saves: list[tuple[float, int]] = []
    with qtbot.waitSignal(w.reply_done, timeout=30_000):
        w.session.send_message("stream")
        while w.chat.busy:
            row = db.execute("SELECT length(content), status FROM messages WHERE role='assistant' ORDER BY id DESC"
                             " LIMIT 1").fetchone()
            if row and row[1] == "streaming" and (not saves or saves[-1][1] != row[0]):
                saves.append((time.monotonic(), row[0]))
            qtbot.wait(50)
    db.close()
    changes = [s for s in saves if s[1] > 0]
    assert len(changes) >= 3, saves  # saved several times while streaming, not only at the end
    gaps = [b[0] - a[0] for a, b in itertools.pairwise(changes)]
    assert max(gaps) < 1.2, gaps  # at least once a second (plus polling slack)


def test_close_during_generation_is_clean(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend([f"t{i} " for i in range(100_000)], delay=0.002)
    w = make_window(backend, sampling_max_tokens=100_000)
    load(qtbot, w)
    w.session.send_message("long")
    qtbot.waitUntil(lambda: len(w.chat.active.answer) > 20, timeout=10_000)
    thread = w.session.worker.qthread
    w.close()
    assert not thread.isRunning() and backend.closed
    last = last_stored_message()
    assert last.status == "stopped" and last.content


def test_enter_sends_shift_enter_adds_a_line(make_window: Any, qtbot: Any) -> None:
    w = make_window(FakeBackend())
    load(qtbot, w)
    qtbot.keyClicks(w.chat.input, "line one")
    qtbot.keyClick(w.chat.input, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClicks(w.chat.input, "line two")
    assert w.chat.input.toPlainText() == "line one\nline two"
    assert not w.chat.busy
    with qtbot.waitSignal(w.reply_done, timeout=10_000):
        qtbot.keyClick(w.chat.input, Qt.Key.Key_Return)
    assert w.chat.input.toPlainText() == ""
    assert w.chat.messages[0].answer == "line one\nline two"


def test_shortcuts(make_window: Any, qtbot: Any) -> None:
    w = make_window(FakeBackend())
    load(qtbot, w)
    send(qtbot, w, "first")
    first = w.conversation_id
    qtbot.keyClick(w.chat.input, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert w.conversation_id is None and w.chat.messages == []
    qtbot.keyClick(w.chat.input, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert w.sidebar.search.hasFocus()
    w.open_conversation(first)
    with qtbot.waitSignal(w.reply_done, timeout=10_000):
        qtbot.keyClick(w.chat.input, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)  # regenerate
    qtbot.keyClick(w.chat.input, Qt.Key.Key_Comma, Qt.KeyboardModifier.ControlModifier)
    dlg = w._dialogs["settings"]
    assert dlg.isVisible()
    dlg.reject()


def test_sidebar_rename_delete_undo(make_window: Any, qtbot: Any) -> None:
    h = History()
    a = h.create_conversation("Alpha")
    h.add_message(a.id, "user", "alpha question")
    b = h.create_conversation("Beta")
    h.add_message(b.id, "user", "beta question")
    h.close()
    w = make_window(FakeBackend(), last_conversation_id=b.id)
    assert w.conversation_id == b.id and w.chat.messages[0].answer == "beta question"
    titles = lambda: [w.sidebar.list.item(i).text() for i in range(w.sidebar.list.count())]  # noqa: E731
    assert titles() == ["Beta", "Alpha"]

    item = w.sidebar.item_for(a.id)
    item.setText("Alpha renamed")  # what the inline editor does
    assert w.history.get_conversation(a.id).title == "Alpha renamed"

    w.conversations.delete_conversation(b.id)
    assert titles() == ["Alpha renamed"] and w.conversation_id is None
    assert w.sidebar.undo_bar.isVisible()
    w.sidebar.undo_bar.button.click()
    assert titles() == ["Beta", "Alpha renamed"] and w.conversation_id == b.id

    w.conversations.delete_conversation(a.id)
    w.sidebar.undo_bar.timer.timeout.emit()  # the chance to undo expires
    assert w.history.get_conversation(a.id) is None  # purged for good


def test_model_errors_become_messages_in_the_window(make_window: Any, qtbot: Any, tmp_path: Path) -> None:
    w = make_window(model=str(tmp_path / "missing.gguf"))  # the real loader
    with qtbot.waitSignal(w.model_failed, timeout=20_000) as blocker:
        w.load_model()
    assert blocker.args[0].title == "Model file not found"
    banner = w.chat.error_banner
    assert banner.isVisible() and banner.title.text() == "Model file not found"
    assert "missing.gguf" in banner.message.text() and banner.hint.text()
    summary = send(qtbot, w, "hello?")  # still usable: the reply fails with a message, nothing crashes
    assert summary.status == "failed" and "No model is loaded" in banner.message.text()
    stored = w.history.messages(w.conversation_id)
    assert [m.role for m in stored] == ["user", "assistant"] and stored[0].content == "hello?"

    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"not a model at all")
    w.switch_model(str(bad))
    qtbot.waitUntil(lambda: banner.title.text() == "Model file cannot be used", timeout=20_000)


@pytest.mark.qt_no_exception_capture
def test_unexpected_exceptions_are_logged_and_shown(make_window: Any, qtbot: Any,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from assistant.core.logs import setup_logging
    from assistant.ui.common import errors

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(errors, "_installed", False)
    log_file = setup_logging()
    errors.install_exception_hooks(log_file)
    w = make_window(FakeBackend())

    t = threading.Thread(target=lambda: 1 / 0, name="boom")
    t.start()
    t.join()
    qtbot.waitUntil(lambda: w.chat.error_banner.isVisible(), timeout=5000)
    assert w.chat.error_banner.title.text() == "Unexpected error"
    assert "ZeroDivisionError" in w.chat.error_banner.message.text()
    try:
        raise ValueError("from a slot")
    except ValueError:
        sys.excepthook(*sys.exc_info())
    qtbot.waitUntil(lambda: "from a slot" in w.chat.error_banner.message.text(), timeout=5000)
    for h in __import__("logging").getLogger().handlers:
        h.flush()
    text = log_file.read_text(encoding="utf-8")
    assert "ZeroDivisionError" in text and "Traceback" in text and "from a slot" in text
    load(qtbot, w)
    assert send(qtbot, w, "still alive?").status == "done"


def test_context_warning_before_it_no_longer_fits(make_window: Any, qtbot: Any) -> None:
    h = History()
    c = h.create_conversation("long")
    for _ in range(6):
        h.add_message(c.id, "user", "word " * 60)
        h.add_message(c.id, "assistant", "reply " * 60)
    h.close()
    w = make_window(FakeBackend(n_ctx=1024), last_conversation_id=c.id, sampling_max_tokens=128)
    with qtbot.waitSignal(w.context_updated, timeout=10_000):
        load(qtbot, w)
    lbl = w.status.context_label
    assert w.status.context_state() in ("nearly_full", "dropping"), lbl.text()
    assert lbl.objectName() == "contextWarning" and "/ 1,024" in lbl.text()
    w.new_conversation()
    qtbot.waitUntil(lambda: w.status.context_state() == "ok", timeout=5000)


def test_samples_are_voted(make_window: Any, qtbot: Any) -> None:
    w = make_window(FakeBackend(["The answer is ", "\\boxed{7}"]), samples=3)
    load(qtbot, w)
    summary = send(qtbot, w, "3 + 4?")
    assert summary.answer == "The answer is \\boxed{7}"
    assert not any("Self-consistency" in n for n in summary.notices)  # the window words the vote itself
    assert w.chat.messages[-1].strip.vote_label.text() == "Vote: 3 of 3 samples gave the answer marked ✓"
    assert len(w.history.get_message(summary.message_id).extra["samples"]) == 3


def test_export_and_import_from_the_window(make_window: Any, qtbot: Any, tmp_path: Path) -> None:
    w = make_window(FakeBackend(["Bonjour", " !"]))
    load(qtbot, w)
    send(qtbot, w, "Say hello in French")
    cid = w.conversation_id
    w.conversations.export_conversation(cid, "md", tmp_path / "c.md")
    w.conversations.export_conversation(cid, "json", tmp_path / "c.json")
    assert "Bonjour !" in (tmp_path / "c.md").read_text(encoding="utf-8")
    new = w.conversations.import_conversation(tmp_path / "c.json")
    assert new != cid and w.conversation_id == new
    assert [m.answer for m in w.chat.messages] == ["Say hello in French", "Bonjour !"]
    (tmp_path / "broken.json").write_text("{]")
    w.conversations.guard(lambda: w.conversations.import_conversation(tmp_path / "broken.json"))
    assert w.chat.error_banner.title.text() == "Cannot import this file"


def test_slow_backend_start_shows_progress_in_the_status_bar(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(model_name="Served model")
    gate = threading.Event()

    def opener(settings: Any, model: Any, progress: Any) -> FakeBackend:
        progress(Progress("Starting the vLLM server…", 0.25))
        gate.wait(10)  # like a server that takes a while to come up
        return backend

    w = make_window()
    w.session.opener = opener
    with qtbot.waitSignal(w.model_loaded, timeout=20_000):
        w.load_model()
        assert w.status.model_label.text() == "Model: loading…"
        qtbot.waitUntil(lambda: w.status.progress_label.text() == "Starting the vLLM server…", timeout=5000)
        assert w.status.progress_bar.isVisible() and w.status.progress_bar.value() == 250
        gate.set()
    assert w.status.progress_label.text() == "" and not w.status.progress_bar.isVisible()
    assert w.status.model_label.text() == "Model: Served model" and w.status.backend_label.text() == "fake"


def test_command_line_model_and_language_hold_for_this_run_only(qtbot: Any) -> None:
    """`assistant-gui -m X --language zh_CN` uses X and Chinese now; the settings file keeps the user's own
    choices. A model the user then picks in the window is remembered."""
    from assistant.core.settings import Settings
    from assistant.ui.main_window import MainWindow

    Settings(language="en").save()
    w = MainWindow(Settings.load(), this_run={"model": "/tmp/other.gguf", "language": "zh_CN"})
    qtbot.addWidget(w)
    w.session.opener = lambda *_args: FakeBackend()
    assert w.settings.model == "/tmp/other.gguf" and w.settings.language == "zh_CN"
    w._save_settings()
    saved = Settings.load()
    assert saved.language == "en" and saved.model != "/tmp/other.gguf"
    w.settings.model = "picked-in-the-window.gguf"  # what switch_model does
    w._save_settings()
    saved = Settings.load()
    assert saved.model == "picked-in-the-window.gguf" and saved.language == "en"
    w.shutdown()


def test_an_empty_boxed_answer_shows_no_answer_bar(qtbot: Any) -> None:
    from assistant.ui.message.widget import MessageWidget
    from assistant.ui.render.markdown_html import Renderer

    w = MessageWidget("assistant", Renderer("light"), "light")
    qtbot.addWidget(w)
    w.finish("done", answer="The answer is \\boxed{}.", reasoning="")
    assert w.boxed_label.isHidden()
    w.finish("done", answer="The answer is \\boxed{54}.", reasoning="")
    assert not w.boxed_label.isHidden() and "54" in w.boxed_label.text()


def test_the_wheel_does_not_change_settings_fields_that_have_no_focus(qtbot: Any) -> None:
    """Scrolling the settings page over a spin box once turned a 4096 into a 4093."""
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent
    from PySide6.QtWidgets import QApplication, QTabWidget

    from assistant.core.settings import Settings
    from assistant.ui.settings.dialog import SettingsDialog

    dlg = SettingsDialog(Settings(n_ctx=4096))
    qtbot.addWidget(dlg)
    dlg.show()
    dlg.activateWindow()
    box = dlg.model.n_ctx
    tabs = dlg.findChild(QTabWidget)
    tabs.setCurrentIndex(next(i for i in range(tabs.count()) if tabs.widget(i).isAncestorOf(box)))
    qtbot.waitUntil(box.isVisible, timeout=2000)

    def wheel() -> None:
        centre = QPointF(box.width() / 2, box.height() / 2)
        ev = QWheelEvent(centre, box.mapToGlobal(centre), QPoint(0, 0), QPoint(0, -120), Qt.MouseButton.NoButton,
                         Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(box, ev)

    wheel()  # the pointer is over the field, the focus elsewhere
    assert box.value() == 4096
    box.setFocus()
    qtbot.waitUntil(box.hasFocus, timeout=2000)
    wheel()
    assert box.value() != 4096  # a field the user is in still takes the wheel
    dlg.close()


def test_export_starts_in_the_home_folder_adds_the_extension_and_confirms(make_window: Any, qtbot: Any,
                                                                          tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QFileDialog

    w = make_window(FakeBackend(["Bonjour", " !"]))
    load(qtbot, w)
    send(qtbot, w, "Say hello in French")
    monkeypatch.setenv("HOME", str(tmp_path))
    offered: list[str] = []

    def save_dialog(parent: Any, title: str, start: str, filt: str) -> tuple[str, str]:
        offered.append(start)
        return str(tmp_path / "typed-without-extension"), filt

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_dialog)
    w.conversations.export_dialog(w.conversation_id, "md")
    assert Path(offered[0]).parent == tmp_path and offered[0].endswith(".md")  # home, not the working folder
    written = tmp_path / "typed-without-extension.md"
    assert "Bonjour !" in written.read_text(encoding="utf-8")
    box = w.conversations.dialogs["exported"]
    assert box.isVisible() and str(written) in box.text()
    box.close()


def test_token_statistics_survive_a_language_switch_and_a_restart(make_window: Any, qtbot: Any,
                                                                  translations: Any) -> None:
    """The header's "N tokens · X tok/s" was lost on retranslate() and after every restart."""
    w = make_window(FakeBackend(["Bonjour", " !"]), translations=translations, language="en")
    translations.apply("en")
    load(qtbot, w)
    send(qtbot, w, "Say hello in French")
    reply = w.chat.messages[-1]
    assert "tokens ·" in reply.header.meta.text() and "tok/s" in reply.header.meta.text()
    translations.apply("zh_CN")
    w.retranslate()
    assert "词元/秒" in reply.header.meta.text() and "tokens ·" not in reply.header.meta.text()  # rebuilt, in Chinese
    translations.apply("en")
    w.retranslate()
    cid = w.conversation_id
    w2 = make_window(FakeBackend(["x"]), translations=translations, language="en")  # "after a restart"
    w2.open_conversation(cid)
    assert "tokens ·" in w2.chat.messages[-1].header.meta.text()


@pytest.mark.parametrize("language", ["en", "zh_CN"])
def test_settings_pages_fit_without_cutting_a_row(qtbot: Any, translations: Any, language: str) -> None:
    """The Model and Serving tabs cut a row in half at the dialog's opening size."""
    from PySide6.QtWidgets import QScrollArea, QTabWidget

    from assistant.core.settings import Settings
    from assistant.ui.settings.dialog import SettingsDialog

    translations.apply(language)
    dlg = SettingsDialog(Settings(language=language), None, language)
    qtbot.addWidget(dlg)
    dlg.show()
    tabs = dlg.findChild(QTabWidget)
    for i in range(tabs.count()):
        tabs.setCurrentIndex(i)
        page = tabs.widget(i)
        if isinstance(page, QScrollArea):
            inner = page.widget()
            qtbot.waitUntil(lambda p=page: p.viewport().height() > 0, timeout=2000)
            assert page.viewport().height() >= inner.minimumSizeHint().height(), tabs.tabText(i)
    translations.apply("en")


def test_a_reply_being_written_shows_work_and_live_figures(make_window: Any, qtbot: Any) -> None:
    """The bubble stayed blank for seconds and the status bar kept the previous reply's tokens/s."""
    w = make_window(FakeBackend([f"w{i} " for i in range(40)], delay=0.05))
    load(qtbot, w)
    w.session.last_speed = 99.0
    w.status.set_speed(99.0)
    w.chat.input.setPlainText("Write something long")
    w.session.send_message("Write something long")
    reply = w.chat.active
    assert reply is not None and reply.notice.text() == "Writing…"  # before the first word
    assert w.status.speed_label.text() == ""  # not the last reply's 99 tok/s
    qtbot.waitUntil(lambda: "tok/s" in w.status.speed_label.text() and w.chat.active is not None, timeout=10000)
    assert reply.notice.text() == ""  # the hint goes once words arrive
    with qtbot.waitSignal(w.reply_done, timeout=20000):
        pass
