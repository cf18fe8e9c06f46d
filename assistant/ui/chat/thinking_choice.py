"""The conversation's thinking switch (issue 27): for models whose template has one (Qwen3's ``enable_thinking``),
whether their replies reason before they answer. A button beside the message box, shown only while the loaded
model has the switch; its state is kept with the conversation (``History.set_thinking``: None is the model's
default, shown as on). A turn passes it as ``TurnOptions.thinking``, Regenerate too (a new version follows the
switch as shown); Continue reuses what the reply it goes on with was written with (``thinking_switch`` in its
settings, stored by the worker), since a cut-off reply must go on from the same prompt."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QToolButton

if TYPE_CHECKING:
    from assistant.core.chat.history import Conversation, History
    from assistant.ui.worker.events import LoadedModel


class ThinkingWindow(Protocol):
    history: History

    @property
    def conversation_id(self) -> int | None: ...


class ThinkingChoice(QObject):
    """The open conversation's thinking switch and its button (checked: the model reasons)."""

    changed = Signal()

    def __init__(self, window: ThinkingWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.value: bool | None = None  # the conversation's: None is the model's default (thinking, for Qwen3)
        self.known = False  # a model is loaded: whether it has a switch is known
        self.available = False  # the loaded model has a switch
        self.button = QToolButton()
        self.button.setObjectName("thinkingButton")
        self.button.setCheckable(True)
        self.button.clicked.connect(self._clicked)  # the user's clicks only; setChecked below sends nothing here
        self.button.hide()
        self._show_state()

    def retranslate(self) -> None:
        on = self.button.isChecked()
        self.button.setText(self.tr("Thinking: on") if on else self.tr("Thinking: off"))
        self.button.setToolTip(self.tr("Whether the model reasons before it answers, in this conversation (the "
                                       "model's thinking switch). Off: quicker replies without reasoning. /think or "
                                       "/no_think in a message decides for that message."))

    def _show_state(self) -> None:
        self.button.setChecked(self.value is not False)
        self.retranslate()

    def _clicked(self, checked: bool) -> None:
        self.set(checked)

    def load(self, conv: Conversation | None) -> None:
        """The switch of the conversation now shown (the model's default for a new one)."""
        self.value = conv.thinking if conv is not None else None
        self._show_state()

    def set(self, value: bool | None) -> None:
        """The user's choice: kept for the conversation (or for the one the next message creates)."""
        self.value = value
        if self.window.conversation_id is not None:
            self.window.history.set_thinking(self.window.conversation_id, value)
        self._show_state()
        self.changed.emit()

    def keep(self) -> None:
        """The conversation was just created (by its first message): it keeps the switch chosen before."""
        if self.window.conversation_id is not None and self.value is not None:
            self.window.history.set_thinking(self.window.conversation_id, self.value)

    def set_model(self, info: LoadedModel | None) -> None:
        """The loaded model (None: none now): the button is there only when its template has the switch."""
        self.known = info is not None
        self.available = bool(info is not None and info.thinking_switch)
        self.button.setVisible(self.available)

    def for_turn(self) -> bool | None:
        """The option for a new reply. A loaded model without a switch gets None (the button is hidden, so a
        value set for another model is not applied, nor said to be ignored); before a model is loaded the
        conversation's value goes, the model decides."""
        if self.known and not self.available:
            return None
        return self.value

    def for_reply(self, settings: Mapping[str, Any] | None) -> bool | None:
        """The option to redo a stored reply with: the switch it was written with, else the conversation's."""
        stored = (settings or {}).get("thinking_switch")
        if isinstance(stored, bool) and not (self.known and not self.available):
            return stored
        return self.for_turn()
