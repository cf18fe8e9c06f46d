"""The first-start note: the bundled model is a small demo; real answers need a real model.

Shown in the chat area (not a dialog: nothing blocks the first message) while the window uses the
bundled default model, until the user dismisses it; the dismissal is remembered in the settings.
"""

from __future__ import annotations

import contextlib
from typing import Any

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QToolButton, QVBoxLayout, QWidget

from assistant.core.paths import DEFAULT_MODEL_ID

RECOMMENDED_MODEL_ID = "deepseek-r1-distill-qwen-1.5b"  # the model this app is made for (catalog.json)


class DemoNote(QFrame):
    open_models = Signal()
    dismissed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("demoNote")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        lay.addWidget(self.label, 1)
        self.models_button = QPushButton(self)
        self.models_button.clicked.connect(self.open_models)
        lay.addWidget(self.models_button)
        self.close_button = QToolButton(self)
        self.close_button.setAutoRaise(True)
        self.close_button.setText("×")
        self.close_button.clicked.connect(self._dismiss)
        lay.addWidget(self.close_button)
        self.retranslate()

    def retranslate(self) -> None:
        self.label.setText(self.tr(
            "The built-in model (SmolLM2-135M) is a small demo for trying the app: its answers are weak. For real "
            "answers, download DeepSeek-R1-Distill-Qwen-1.5B in Models…"))
        self.models_button.setText(self.tr("Open Models…"))
        self.close_button.setToolTip(self.tr("Dismiss"))
        self.close_button.setAccessibleName(self.tr("Dismiss"))

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()


def install_demo_note(window: Any) -> DemoNote | None:
    """Put the note above the conversation when the window starts on the bundled demo model. ``window`` is
    the MainWindow (typed Any: main_window imports this module)."""
    if window.settings.demo_note_dismissed or window.settings.model != DEFAULT_MODEL_ID:
        return None
    note = DemoNote(window.chat)
    layout = window.chat.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(1, note)  # under the error banner, above the messages

    def open_models() -> None:
        dlg = window.models.open_manager()
        with contextlib.suppress(KeyError):  # a catalog without it: the manager opens all the same
            dlg.catalog_table.select(RECOMMENDED_MODEL_ID)

    def dismissed() -> None:
        window.settings.demo_note_dismissed = True
        window._save_settings()

    def loaded(_info: object) -> None:
        if window.settings.model != DEFAULT_MODEL_ID:  # another model is in use: the note is moot
            note.hide()

    note.open_models.connect(open_models)
    note.dismissed.connect(dismissed)
    window.model_loaded.connect(loaded)
    return note
