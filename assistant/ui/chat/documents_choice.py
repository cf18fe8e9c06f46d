"""The conversation's documents (issue 24): which collections its questions are answered from, chosen from the
"Documents" button beside the message box and kept with the conversation (``History.set_documents``). Each
question of a conversation with collections is grounded on the chat worker's thread (worker/documents.py); the
collections themselves are managed in the Documents panel, which the button's menu opens through the window."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QToolButton

from assistant.core.errors import DocumentsError

if TYPE_CHECKING:
    from assistant.core.chat.history import Conversation, History


def known_collections() -> list[str]:
    from assistant.core.docs.library import collection_names

    try:
        return collection_names()
    except OSError:
        return []


class DocumentsWindow(Protocol):
    history: History

    @property
    def conversation_id(self) -> int | None: ...


class DocumentsChoice(QObject):
    """The current conversation's collections, and the button (with its menu) that shows and changes them."""

    manage_requested = Signal()  # "Manage documents…": the window opens the Documents panel
    changed = Signal()

    def __init__(self, window: DocumentsWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.chosen: list[str] = []
        self.button = QToolButton()
        self.button.setObjectName("documentsButton")
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.button)
        self.menu.aboutToShow.connect(self.fill_menu)
        self.button.setMenu(self.menu)
        self.retranslate()

    def retranslate(self) -> None:
        names = ", ".join(self.chosen)
        self.button.setText(self.tr("Documents: %1").replace("%1", names) if names else self.tr("Documents"))
        self.button.setToolTip(self.tr("Answer this conversation's questions from your documents, with sources"))

    def fill_menu(self) -> None:
        """The collections on this machine, each ticked if the conversation uses it (a chosen one that was removed
        stays listed, marked, so nothing is dropped unseen)."""
        self.menu.clear()
        known = known_collections()
        title = self.menu.addAction(self.tr("Answer from:") if known else self.tr("No collections yet"))
        title.setEnabled(False)
        for name in known + [n for n in self.chosen if n not in known]:
            act = QAction(name if name in known else self.tr("%1 (removed)").replace("%1", name), self.menu)
            act.setCheckable(True)
            act.setChecked(name in self.chosen)
            act.setData(name)
            act.toggled.connect(lambda on, n=name: self.toggle(n, on))
            self.menu.addAction(act)
        self.menu.addSeparator()
        none = self.menu.addAction(self.tr("No documents"))
        none.setEnabled(bool(self.chosen))
        none.triggered.connect(lambda: self.set([]))
        manage = self.menu.addAction(self.tr("Manage documents…"))
        manage.triggered.connect(self.manage_requested)

    def toggle(self, name: str, on: bool) -> None:
        chosen = [n for n in self.chosen if n != name] + ([name] if on else [])
        self.set(chosen)

    def load(self, conv: Conversation | None) -> None:
        """The collections of the conversation now shown (none for a new one)."""
        self.chosen = conv.documents if conv is not None else []
        self.retranslate()

    def set(self, names: list[str]) -> None:
        """The user's choice: kept for the conversation (or for the one the next message creates)."""
        self.chosen = list(dict.fromkeys(names))
        if self.window.conversation_id is not None:
            self.window.history.set_documents(self.window.conversation_id, self.chosen)
        self.retranslate()
        self.changed.emit()

    def for_turn(self) -> list[str]:
        """The collections a question is answered from; a chosen collection that no longer exists is an error
        (said in the window, the message kept), not silently dropped."""
        if not self.chosen:
            return []
        known = set(known_collections())
        gone = [n for n in self.chosen if n not in known]
        if gone:
            raise DocumentsError(self.tr("The collection %1 is no longer on this machine.").replace(
                "%1", ", ".join(gone)), hint=self.tr("Choose the conversation's documents again with the Documents "
                                                     "button beside the message box."))
        return list(self.chosen)
