"""‹ n/m ›: the versions of a message (its edits, its regenerated replies) and the buttons that walk between
them. Shown only on a message that has siblings; clicking asks for the sibling's id, the chat shows that
branch (history.show) and remembers it."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget


class BranchNavigator(QWidget):
    branch_requested = Signal(int)  # the id of the sibling to show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.siblings: list[int] = []
        self.index = 0
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.previous_button = QToolButton(self)
        self.previous_button.setText("‹")
        self.previous_button.setAutoRaise(True)
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.position = QLabel(self)
        self.position.setObjectName("messageMeta")
        self.position.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.next_button = QToolButton(self)
        self.next_button.setText("›")
        self.next_button.setAutoRaise(True)
        self.next_button.clicked.connect(lambda: self.step(1))
        for w in (self.previous_button, self.position, self.next_button):
            row.addWidget(w)
        self.setVisible(False)
        self.retranslate()

    def retranslate(self) -> None:
        self.previous_button.setToolTip(self.tr("Previous version"))
        self.next_button.setToolTip(self.tr("Next version"))
        self.setAccessibleName(self.tr("Versions of this message"))

    def set_siblings(self, siblings: list[int], current: int) -> None:
        """The message ``current`` among ``siblings`` (ids, oldest first); hidden when it has none."""
        self.siblings = list(siblings) if current in siblings else []
        self.index = self.siblings.index(current) if self.siblings else 0
        many = len(self.siblings) > 1
        self.setVisible(many)
        if many:
            self.position.setText(f"{self.index + 1}/{len(self.siblings)}")
            self.previous_button.setEnabled(self.index > 0)
            self.next_button.setEnabled(self.index < len(self.siblings) - 1)

    def step(self, delta: int) -> None:
        k = self.index + delta
        if self.isEnabled() and 0 <= k < len(self.siblings):
            self.branch_requested.emit(self.siblings[k])


__all__ = ["BranchNavigator"]
