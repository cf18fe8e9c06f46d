"""What the user does to whole conversations from the sidebar and the menus: rename, delete (with undo for a
few seconds), export as Markdown or JSON, import a JSON export. Opening one, and starting a new one, are the
window's (they change what the chat shows); these actions ask it through :class:`ConversationsHost`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from assistant.core.chat.history import History
from assistant.core.errors import AssistantError, ConfigError

from .sidebar import Sidebar


class ConversationsHost(Protocol):
    """What the conversation actions need of the main window."""

    conversation_id: int | None

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None: ...
    def new_conversation(self) -> None: ...
    def stop_generation(self) -> bool: ...


class ConversationActions(QObject):
    """Rename, delete with undo, export and import, for the sidebar's conversations."""

    renamed = Signal(int)  # conversation id: the window's title may name it
    failed = Signal(object)  # AssistantError, said in the window

    def __init__(self, history: History, sidebar: Sidebar, host: ConversationsHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.owner = parent  # dialogs open over it
        self.history, self.sidebar, self.host = history, sidebar, host
        self.pending_deletes: list[tuple[int, bool]] = []  # (id, was current), undone last first
        self.dialogs: dict[str, QWidget] = {}
        sidebar.rename_requested.connect(self.rename_conversation)
        sidebar.delete_requested.connect(self.delete_conversation)
        sidebar.export_requested.connect(self.export_dialog)
        sidebar.undo_bar.undo.connect(self.undo_delete)
        sidebar.undo_bar.expired.connect(self.purge_deleted)

    # ---- rename ----------------------------------------------------------------------------------
    def rename_conversation(self, conversation_id: int, title: str) -> None:
        self.history.rename_conversation(conversation_id, title)
        self.renamed.emit(conversation_id)

    def rename_current(self) -> None:
        if self.host.conversation_id:
            self.sidebar.begin_rename(self.host.conversation_id)

    # ---- delete, with undo -----------------------------------------------------------------------
    def delete_current(self) -> None:
        if self.host.conversation_id:
            self.delete_conversation(self.host.conversation_id)

    def delete_conversation(self, conversation_id: int) -> None:
        conv = self.history.get_conversation(conversation_id)
        if conv is None:
            return
        was_current = conversation_id == self.host.conversation_id
        if was_current:
            self.host.stop_generation()
        self.history.delete_conversation(conversation_id)
        self.pending_deletes.append((conversation_id, was_current))
        if was_current:
            self.host.new_conversation()
        self.sidebar.refresh()
        self.sidebar.undo_bar.offer(self.tr("Deleted “%1”.").replace(
            "%1", conv.title or self.tr("New conversation")), self.tr("Undo"))

    def undo_delete(self) -> None:
        if not self.pending_deletes:
            return
        cid, was_current = self.pending_deletes.pop()
        self.history.restore_conversation(cid)
        self.sidebar.undo_bar.hide()
        if was_current:
            self.host.open_conversation(cid)
        self.sidebar.refresh()

    def purge_deleted(self) -> None:
        """The chance to undo is gone (or the app closes): deleted conversations leave the database."""
        self.pending_deletes.clear()
        self.history.purge_deleted()

    # ---- import / export -------------------------------------------------------------------------
    def export_conversation(self, conversation_id: int, fmt: str, path: str | Path) -> Path:
        """Write the conversation; a name typed without an extension gets the format's. The path written."""
        target = Path(path)
        if target.suffix.lower() != f".{fmt}":
            target = target.with_name(target.name + f".{fmt}")
        if fmt == "md":
            text = self.history.export_markdown(conversation_id)
        else:
            text = json.dumps(self.history.export_json(conversation_id), ensure_ascii=False, indent=2)
        target.write_text(text, encoding="utf-8")
        return target

    def import_conversation(self, path: str | Path) -> int:
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise ConfigError(f"{path} cannot be read: {exc.strerror or exc}") from exc
        cid = self.history.import_json(data)
        self.sidebar.refresh()
        self.host.open_conversation(cid)
        return cid

    def export_dialog(self, conversation_id: int, fmt: str) -> None:
        if not conversation_id:
            return
        conv = self.history.get_conversation(conversation_id)
        base = "".join(ch for ch in (conv.title if conv else "") if ch.isalnum() or ch in " -_").strip() or "chat"
        filt = self.tr("Markdown (*.md)") if fmt == "md" else self.tr("JSON (*.json)")
        start = Path.home() / f"{base}.{fmt}"  # the home folder, not wherever the app was started from
        path, _ = QFileDialog.getSaveFileName(self.owner, self.tr("Export conversation"), str(start), filt)
        if path:
            self.guard(lambda: self._exported(self.export_conversation(conversation_id, fmt, path)))

    def export_current(self, fmt: str) -> None:
        self.export_dialog(self.host.conversation_id or 0, fmt)

    def _exported(self, path: Path) -> QMessageBox:
        """Say that the file was written, and where (a note the user closes; it does not block the window)."""
        box = QMessageBox(QMessageBox.Icon.Information, self.tr("Export conversation"),
                          self.tr("Exported to %1").replace("%1", str(path)),
                          QMessageBox.StandardButton.Ok, self.owner)
        box.open()
        self.dialogs["exported"] = box
        return box

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.owner, self.tr("Import conversation"), "",
                                              self.tr("JSON (*.json)"))
        if path:
            self.guard(lambda: self.import_conversation(path))

    def guard(self, fn: Any) -> None:
        """Run ``fn``; a failure (bad file, full disk) is said in the window."""
        try:
            fn()
        except AssistantError as exc:
            self.failed.emit(exc)
        except OSError as exc:
            self.failed.emit(ConfigError(str(exc)))

    def close(self) -> None:
        for dlg in self.dialogs.values():
            dlg.close()
        if self.pending_deletes:
            self.purge_deleted()
