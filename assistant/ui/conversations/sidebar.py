"""The list of conversations: new, rename (F2 or double-click), delete (with undo), search across all.

Each row shows when the conversation was last updated. A search shows one row per conversation (its best
message, highlighted, and how many more matched); Down goes from the search field into the results,
Enter opens one, Esc clears the search (and, when it is empty, goes back to the message box)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core.chat.history import History, SearchHit
from assistant.ui.common.widgets import UndoBar

from .rows import (
    CONV_ID,
    DATE,
    MESSAGE_ID,
    SNIPPET_HTML,
    TERMS,
    TITLE,
    RowDelegate,
    highlight_html,
    long_date,
    short_date,
)

__all__ = ["CONV_ID", "MESSAGE_ID", "Sidebar"]


class Sidebar(QWidget):
    conversation_selected = Signal(int, int)  # conversation id, message id to show (0: none)
    new_requested = Signal()
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    export_requested = Signal(int, str)  # conversation id, "md" | "json"
    search_left = Signal()  # Esc in the empty search field: the window gives the message box the focus

    def __init__(self, history: History, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history = history
        self.current_id: int | None = None
        self._filling = False
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 0, 8)
        lay.setSpacing(6)
        self.new_button = QPushButton()
        self.new_button.clicked.connect(self.new_requested)
        lay.addWidget(self.new_button)
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.installEventFilter(self)
        lay.addWidget(self.search)
        self.list = QListWidget()
        self.list.setItemDelegate(RowDelegate(self.list))
        # Row heights depend on the width (a snippet wraps): lay the rows out again when it changes.
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemClicked.connect(self._clicked)
        self.list.itemActivated.connect(self._clicked)
        self.list.itemChanged.connect(self._renamed)
        self.list.installEventFilter(self)
        self.list.setWordWrap(True)
        lay.addWidget(self.list, 1)
        self.undo_bar = UndoBar()
        lay.addWidget(self.undo_bar)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._search_timer.start())
        self.retranslate()

    def retranslate(self) -> None:
        self.new_button.setText(self.tr("New chat"))
        self.new_button.setToolTip(self.tr("Start a new conversation (Ctrl+N)"))
        self.search.setPlaceholderText(self.tr("Search all conversations (Ctrl+F)"))
        self.search.setAccessibleName(self.tr("Search conversations"))
        self.list.setAccessibleName(self.tr("Conversations"))
        self.refresh()

    # ---- contents --------------------------------------------------------------------------------
    @property
    def searching(self) -> bool:
        return bool(self.search.text().strip())

    def refresh(self) -> None:
        self._search_timer.stop()
        self._filling = True
        try:
            self.list.clear()
            query = self.search.text().strip()
            if query:
                self._fill_hits(self.history.search(query), query.split())
            else:
                for c in self.history.list_conversations():
                    title = c.title or self.tr("New conversation")
                    item = QListWidgetItem(title)
                    item.setData(CONV_ID, c.id)
                    item.setData(MESSAGE_ID, 0)
                    self._date(item, title, c.updated_at)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                    self.list.addItem(item)
                    if c.id == self.current_id:
                        item.setSelected(True)
                        self.list.setCurrentItem(item)
        finally:
            self._filling = False

    @staticmethod
    def _date(item: QListWidgetItem, title: str, updated_at: float) -> None:
        date = short_date(updated_at)
        item.setData(DATE, date)
        item.setData(Qt.ItemDataRole.AccessibleDescriptionRole, date)
        item.setToolTip(f"{title}\n{long_date(updated_at)}")

    def _fill_hits(self, hits: list[SearchHit], terms: list[str]) -> None:
        if not hits:
            item = QListWidgetItem(self.tr("No conversation contains this."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
            return
        for h in hits:
            title = h.conversation_title or self.tr("New conversation")
            lines, rich = [title], []
            if h.snippet:
                lines.append(h.snippet)
                rich.append(highlight_html(h.snippet, terms))
            if h.matches > 1:
                more = self.tr("+%n more", "other messages of the conversation that match", h.matches - 1)
                lines.append(more)
                rich.append(f"<i>{more}</i>")
            # The display text (what a screen reader reads) is plain; the delegate draws the rich text.
            item = QListWidgetItem("\n".join(lines))
            item.setData(CONV_ID, h.conversation_id)
            item.setData(MESSAGE_ID, h.message_id or 0)
            item.setData(TITLE, title)
            item.setData(TERMS, terms)
            item.setData(SNIPPET_HTML, " &nbsp;".join(rich) or None)
            self._date(item, title, h.updated_at)
            self.list.addItem(item)

    def set_current(self, conversation_id: int | None) -> None:
        self.current_id = conversation_id
        if not self.searching:
            self.refresh()

    def item_for(self, conversation_id: int) -> QListWidgetItem | None:
        for i in range(self.list.count()):
            item = self.list.item(i)
            if item.data(CONV_ID) == conversation_id:
                return item
        return None

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def clear_search(self) -> None:
        self.search.clear()
        self.refresh()  # at once, not after the typing delay

    def focus_results(self) -> bool:
        """Down from the search field: the first row that can be opened becomes current."""
        if self._search_timer.isActive():
            self.refresh()  # typed just now: the results of the whole query first
        for i in range(self.list.count()):
            if self.list.item(i).flags() & Qt.ItemFlag.ItemIsEnabled:
                self.list.setFocus(Qt.FocusReason.OtherFocusReason)
                self.list.setCurrentRow(i)
                return True
        return False

    # ---- events ----------------------------------------------------------------------------------
    def _clicked(self, item: QListWidgetItem) -> None:
        cid = item.data(CONV_ID)
        if cid is not None:
            self.conversation_selected.emit(int(cid), int(item.data(MESSAGE_ID) or 0))

    def _renamed(self, item: QListWidgetItem) -> None:
        if self._filling or self.searching:
            return
        cid = item.data(CONV_ID)
        if cid is not None and item.text().strip():
            self.rename_requested.emit(int(cid), item.text().strip())

    def begin_rename(self, conversation_id: int) -> None:
        if self.searching:
            self.search.clear()
            self.refresh()
        item = self.item_for(conversation_id)
        if item is not None:
            self.list.editItem(item)

    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        if item is None or item.data(CONV_ID) is None:
            return
        cid = int(item.data(CONV_ID))
        menu = QMenu(self)
        menu.addAction(self.tr("Rename"), lambda: self.begin_rename(cid))
        menu.addAction(self.tr("Export as Markdown…"), lambda: self.export_requested.emit(cid, "md"))
        menu.addAction(self.tr("Export as JSON…"), lambda: self.export_requested.emit(cid, "json"))
        menu.addSeparator()
        menu.addAction(self.tr("Delete"), lambda: self.delete_requested.emit(cid))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def eventFilter(self, obj: object, event: QEvent) -> bool:
        if not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if event.type() == QEvent.Type.ShortcutOverride and key == Qt.Key.Key_Escape:
            # Esc is also the window's Stop shortcut, which would take the key first. While there is a
            # search to clear, the key is ours; in the empty field it stops a reply and leaves the field.
            editing = self.list.state() == QAbstractItemView.State.EditingState
            if bool(self.search.text()) if obj is self.search else (obj is self.list and self.searching
                                                                     and not editing):
                event.accept()
                return True
            if obj is self.search:
                self.search_left.emit()
            return False
        if event.type() != QEvent.Type.KeyPress or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        if obj is self.search:
            if key == Qt.Key.Key_Escape and self.search.text():
                self.clear_search()
                return True
            if key == Qt.Key.Key_Down:
                return self.focus_results()
        elif obj is self.list and self.list.state() != QAbstractItemView.State.EditingState:
            if key == Qt.Key.Key_Escape and self.searching:
                self.clear_search()
                self.search.setFocus()
                return True
            if key == Qt.Key.Key_Up and self.list.currentRow() <= 0:
                self.focus_search()
                return True
            item = self.list.currentItem()
            if key == Qt.Key.Key_Delete and item is not None and item.data(CONV_ID) is not None:
                self.delete_requested.emit(int(item.data(CONV_ID)))
                return True
        return False
