"""A message's first line: who wrote it, the reply's facts (model, LoRA adapters, how it ended, tokens and
speed), the mark of a reply cut off at max_tokens, the ‹ n/m › of a message with other versions, the buttons
Copy, Edit, Regenerate and Continue, and a menu (Branch from here). The message decides which buttons show; the
header words the facts in the current language."""

from __future__ import annotations

from PySide6.QtCore import Signal, SignalInstance
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QToolButton, QWidget

from assistant.ui.worker.events import Choice

from .navigator import BranchNavigator


def adapters_text(adapters: Choice) -> str:
    """``ahoy ×1, legal ×0.5``: how a header and the Adapters button name a set of adapters."""
    return ", ".join(f"{name} ×{scale:g}" for name, scale in adapters)


class MessageHeader(QWidget):
    copy_clicked = Signal()
    edit_clicked = Signal()
    regenerate_clicked = Signal()
    continue_clicked = Signal()
    branch_from_clicked = Signal()

    def __init__(self, role: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.who = QLabel(self)
        f = self.who.font()
        f.setBold(True)
        self.who.setFont(f)
        self.meta = QLabel(self)
        self.meta.setObjectName("messageMeta")
        self.cut_label = QLabel(self)
        self.cut_label.setObjectName("messageMeta")
        self.cut_label.setVisible(False)
        self.copy_button = self._button(self.copy_clicked)
        self.edit_button = self._button(self.edit_clicked)  # a reply too: its edited words steer the next turn
        self.regenerate_button = self._button(self.regenerate_clicked)
        self.regenerate_button.setVisible(False)
        self.continue_button = self._button(self.continue_clicked)
        self.continue_button.setVisible(False)
        self.navigator = BranchNavigator(self)  # ‹ n/m ›, on a message with other versions
        self.more_button = QToolButton(self)
        self.more_button.setAutoRaise(True)
        self.more_button.setText("⋯")
        self.more_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.more_menu = QMenu(self)
        self.branch_action = self.more_menu.addAction("")
        self.branch_action.triggered.connect(self.branch_from_clicked)
        self.more_button.setMenu(self.more_menu)
        row.addWidget(self.who)
        row.addWidget(self.meta, 1)
        for w in (self.cut_label, self.navigator, self.copy_button, self.edit_button, self.regenerate_button,
                  self.continue_button, self.more_button):
            row.addWidget(w)
        self._facts: tuple[str, Choice, str, tuple[int, float], bool] = ("", [], "done", (0, 0.0), False)
        self.retranslate()

    def _button(self, signal: SignalInstance) -> QToolButton:
        b = QToolButton(self)
        b.setAutoRaise(True)
        b.clicked.connect(signal)
        return b

    def retranslate(self) -> None:
        self.who.setText(self.tr("You") if self.role == "user" else self.tr("Assistant"))
        self.copy_button.setText(self.tr("Copy"))
        self.copy_button.setToolTip(self.tr("Copy this message") if self.role == "user"
                                    else self.tr("Copy this reply as Markdown (formulas as LaTeX)"))
        self.edit_button.setText(self.tr("Edit"))
        self.edit_button.setToolTip(self.tr("Edit this message and send it again") if self.role == "user" else
                                    self.tr("Edit this reply: the next turn goes on from your words"))
        self.regenerate_button.setText(self.tr("Regenerate"))
        self.regenerate_button.setToolTip(self.tr("Generate this reply again (Ctrl+R)"))
        self.continue_button.setText(self.tr("Continue"))
        self.continue_button.setToolTip(self.tr("Write on from where the reply was cut off"))
        self.navigator.retranslate()
        self.more_button.setToolTip(self.tr("More"))
        self.branch_action.setText(self.tr("Branch from here"))
        self.branch_action.setToolTip(self.tr("A new conversation with this one up to this message"))
        self._show()

    def set_facts(self, model: str, adapters: Choice, status: str, stats: tuple[int, float], cut: bool) -> None:
        """A reply's facts: the model, its adapters, its status ("stopped", "failed", …), (completion tokens,
        tokens/s), and whether max_tokens cut it off (marked)."""
        self._facts = (model, list(adapters), status, stats, cut)
        self._show()

    def _show(self) -> None:
        """The line rebuilt from the stored facts, in the current language."""
        model, adapters, status, (tokens, speed), cut = self._facts
        reply = self.role == "assistant"
        parts = []
        if reply and model:
            parts.append(model)
        if reply and adapters:
            parts.append(self.tr("LoRA: %1").replace("%1", adapters_text(adapters)))
        said = {
            "stopped": self.tr("stopped"), "failed": self.tr("failed"),
            "interrupted": self.tr("interrupted (the app closed while it was being written)"),
        }.get(status)
        if said:
            parts.append(said)
        if reply and tokens:
            parts.append(self.tr("%1 tokens · %2 tok/s").replace("%1", str(tokens)).replace("%2", f"{speed:.1f}"))
        self.meta.setText("  ·  ".join(parts))
        self.cut_label.setVisible(reply and cut)
        if reply and cut:
            self.cut_label.setText(self.tr("Cut off at %1 tokens").replace("%1", f"{tokens:,}"))
