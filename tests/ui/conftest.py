"""UI test fixtures: windows on a fresh app home, the real bundled model or a fake, and a check that no
test leaves a QThread running."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from assistant.core.settings import Settings

# A tiny random Qwen2 Hugging Face folder with an R1-style tokenizer (session-scoped, made once): the
# converter tests' own fixture, shared so the GUI's import and conversion paths convert the same thing.
from tests.convert.conftest import qwen_hf  # noqa: F401

# One llama.cpp thread: on a 2-core CI machine the other core stays free for the UI thread and pytest.
REAL_SETTINGS: dict[str, Any] = {"n_ctx": 2048, "n_threads": 1}


@pytest.fixture(autouse=True)
def no_thread_left(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fails the test if a QThread it started is still running at the end."""
    started: list[QThread] = []
    original = QThread.start

    def start(self: QThread, *args: Any, **kwargs: Any) -> Any:
        started.append(self)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(QThread, "start", start)
    yield
    running = []
    for t in started:
        try:
            if t.isRunning():
                running.append(t.objectName() or type(t).__name__)
                t.quit()
                t.wait(5000)
        except RuntimeError:  # the C++ object is gone: it was stopped and deleted
            pass
    assert not running, f"QThreads left running: {running}"


@pytest.fixture
def translations() -> Iterator[Any]:
    from assistant.ui.common.i18n import Translations

    t = Translations()
    yield t
    t.apply("en")  # the translators are global to the QApplication: leave it in English


def make_settings(**overrides: Any) -> Settings:
    s = Settings.load()
    for key, value in overrides.items():
        if key.startswith("sampling_"):
            setattr(s.sampling, key[len("sampling_"):], value)
        else:
            setattr(s, key, value)
    return s


@pytest.fixture
def make_window(qtbot: Any) -> Iterator[Callable[..., Any]]:
    """make_window(backend=None, translations=None, **settings) -> a shown MainWindow (model not loaded)."""
    from assistant.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def make(backend: object = None, translations: object = None, **overrides: Any) -> MainWindow:
        w = MainWindow(make_settings(**overrides), translations=translations)  # type: ignore[arg-type]
        if backend is not None:
            w.session.opener = lambda *_args: backend
        qtbot.addWidget(w)
        w.show()
        w.activateWindow()  # keyboard shortcuts go to the active window
        qtbot.waitUntil(lambda: QApplication.activeWindow() is w, timeout=5000)
        windows.append(w)
        return w

    yield make
    for w in windows:
        w.shutdown()


def load(qtbot: Any, window: Any, timeout: int = 60_000) -> Any:
    with qtbot.waitSignal(window.model_loaded, timeout=timeout) as blocker:
        window.load_model()
    return blocker.args[0]


def send(qtbot: Any, window: Any, text: str, timeout: int = 120_000) -> Any:
    """Type the message and press Enter, like a user; returns the ReplySummary."""
    from PySide6.QtCore import Qt

    with qtbot.waitSignal(window.reply_done, timeout=timeout) as blocker:
        window.chat.input.setFocus()
        type_text(qtbot, window.chat.input, text)
        qtbot.keyClick(window.chat.input, Qt.Key.Key_Return)
    return blocker.args[0]


def type_text(qtbot: Any, widget: Any, text: str) -> None:
    """Key presses for Latin-1 text; other text (Chinese) arrives committed, as from an input method."""
    if all(ord(ch) < 256 for ch in text):
        qtbot.keyClicks(widget, text)
    else:  # QTest can only synthesise Latin-1 key presses
        widget.insert(text) if hasattr(widget, "insert") else widget.insertPlainText(text)


def record_answer_lengths(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The reply's length each time the streaming message re-renders (filled while the reply grows)."""
    from assistant.ui.message.widget import MessageWidget

    lengths: list[int] = []
    original = MessageWidget._render_answer

    def record(self: MessageWidget) -> None:
        if self.streaming:
            lengths.append(len(self.answer))
        original(self)

    monkeypatch.setattr(MessageWidget, "_render_answer", record)
    return lengths


def last_stored_message() -> Any:
    """The last saved message of the newest conversation, read back through a fresh History."""
    from assistant.core.chat.history import History

    h = History()
    try:
        return h.messages(h.list_conversations()[0].id)[-1]
    finally:
        h.close()
