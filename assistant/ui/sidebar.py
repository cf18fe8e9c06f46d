"""The list of conversations: new, rename (F2 or double-click), delete (with undo), search across all."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core.chat.history import History, SearchHit

from .widgets import UndoBar

CONV_ID = Qt.ItemDataRole.UserRole
MESSAGE_ID = Qt.ItemDataRole.UserRole + 1


class Sidebar(QWidget):
    conversation_selected = Signal(int, int)  # conversation id, message id to show (0: none)
    new_requested = Signal()
    rename_requested = Signal(int, str)
    delete_requested = Signal(int)
    export_requested = Signal(int, str)  # conversation id, "md" | "json"

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
        lay.addWidget(self.search)
        self.list = QListWidget()
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
                self._fill_hits(self.history.search(query))
            else:
                for c in self.history.list_conversations():
                    item = QListWidgetItem(c.title or self.tr("New conversation"))
                    item.setData(CONV_ID, c.id)
                    item.setData(MESSAGE_ID, 0)
                    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
                    self.list.addItem(item)
                    if c.id == self.current_id:
                        item.setSelected(True)
                        self.list.setCurrentItem(item)
        finally:
            self._filling = False

    def _fill_hits(self, hits: list[SearchHit]) -> None:
        if not hits:
            item = QListWidgetItem(self.tr("No conversation contains this."))
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
            return
        for h in hits:
            title = h.conversation_title or self.tr("New conversation")
            item = QListWidgetItem(f"{title}\n    {h.snippet}")
            item.setData(CONV_ID, h.conversation_id)
            item.setData(MESSAGE_ID, h.message_id or 0)
            item.setToolTip(h.snippet)
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
        if obj is self.list and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) \
                and event.key() == Qt.Key.Key_Delete and self.list.state() != QAbstractItemView.State.EditingState:
            item = self.list.currentItem()
            if item is not None and item.data(CONV_ID) is not None:
                self.delete_requested.emit(int(item.data(CONV_ID)))
                return True
        return False
