"""File and dialog actions of the main window: export/import, and dialogs other parts of the app provide.

Kept apart from main_window.py to keep files short. Strings are translated in the "MainWindow" context.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from assistant.core.errors import AssistantError, ConfigError
from assistant.core.paths import app_paths

from .convert_wizard import ConvertWizard
from .model_manager import ModelManagerDialog

# lupdate recognises translate("Context", "text") calls; the context is the main window's.
translate = QCoreApplication.translate

if TYPE_CHECKING:
    from assistant.core.chat.history import History
    from assistant.core.settings import Settings

    from .chat_view import ChatView
    from .sidebar import Sidebar


class WindowActions:
    """Mixed into MainWindow (a QWidget), which provides these:"""

    if TYPE_CHECKING:
        history: History
        chat: ChatView
        sidebar: Sidebar
        settings: Settings
        _dialogs: dict[str, QWidget]

        conversation_id: int | None
        _pending_deletes: list[tuple[int, bool]]  # (id, was current), undone last first

        def open_conversation(self, conversation_id: int, message_id: int = 0) -> None: ...
        def new_conversation(self) -> None: ...
        def stop_generation(self) -> bool: ...
        def switch_model(self, spec: str) -> None: ...

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    # ---- delete, with undo ------------------------------------------------------------------------
    def delete_conversation(self, conversation_id: int) -> None:
        conv = self.history.get_conversation(conversation_id)
        if conv is None:
            return
        was_current = conversation_id == self.conversation_id
        if was_current:
            self.stop_generation()
        self.history.delete_conversation(conversation_id)
        self._pending_deletes.append((conversation_id, was_current))
        if was_current:
            self.new_conversation()
        self.sidebar.refresh()
        self.sidebar.undo_bar.offer(translate("MainWindow", "Deleted “%1”.").replace(
            "%1", conv.title or translate("MainWindow", "New conversation")), translate("MainWindow", "Undo"))

    def undo_delete(self) -> None:
        if not self._pending_deletes:
            return
        cid, was_current = self._pending_deletes.pop()
        self.history.restore_conversation(cid)
        self.sidebar.undo_bar.hide()
        if was_current:
            self.open_conversation(cid)
        self.sidebar.refresh()

    def _purge_deleted(self) -> None:
        self._pending_deletes.clear()
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
        self.open_conversation(cid)
        return cid

    def _export_dialog(self, conversation_id: int, fmt: str) -> None:
        if not conversation_id:
            return
        conv = self.history.get_conversation(conversation_id)
        base = "".join(ch for ch in (conv.title if conv else "") if ch.isalnum() or ch in " -_").strip() or "chat"
        filt = translate("MainWindow", "Markdown (*.md)") if fmt == "md" else \
            translate("MainWindow", "JSON (*.json)")
        title = translate("MainWindow", "Export conversation")
        start = Path.home() / f"{base}.{fmt}"  # the home folder, not wherever the app was started from
        path, _ = QFileDialog.getSaveFileName(self._widget(), title, str(start), filt)
        if path:
            self._guard(lambda: self._exported(self.export_conversation(conversation_id, fmt, path)))

    def _exported(self, path: Path) -> QMessageBox:
        """Say that the file was written, and where (a note the user closes; it does not block the window)."""
        box = QMessageBox(QMessageBox.Icon.Information, translate("MainWindow", "Export conversation"),
                          translate("MainWindow", "Exported to %1").replace("%1", str(path)),
                          QMessageBox.StandardButton.Ok, self._widget())
        box.open()
        self._dialogs["exported"] = box
        return box

    def _import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self._widget(), translate("MainWindow", "Import conversation"), "",
                                              translate("MainWindow", "JSON (*.json)"))
        if path:
            self._guard(lambda: self.import_conversation(path))

    def _guard(self, fn: Any) -> None:
        try:
            fn()
        except AssistantError as exc:
            self.chat.show_error(exc)
        except OSError as exc:
            self.chat.show_error(ConfigError(str(exc)))

    def open_model_manager(self) -> ModelManagerDialog:
        current = self._dialogs.get("models")
        if isinstance(current, ModelManagerDialog) and current.isVisible():
            current.raise_()
            current.activateWindow()
            return current
        if current is not None:
            current.deleteLater()  # closed earlier; a fresh one re-reads the library
        dlg = ModelManagerDialog(self.settings, self._widget())
        dlg.model_selected.connect(self.switch_model)
        dlg.convert_requested.connect(self.open_convert_wizard)
        dlg.show()
        self._dialogs["models"] = dlg
        return dlg

    def open_convert_wizard(self, source_dir: str = "") -> ConvertWizard:
        current = self._dialogs.get("convert")
        if isinstance(current, ConvertWizard) and current.isVisible() and current.busy:
            current.raise_()  # a conversion is running: show it rather than start a second one
            return current
        if current is not None:
            current.close()  # stops its worker thread
            current.deleteLater()
        wiz = ConvertWizard(self._widget(), source_dir or None)  # one-shot: a new wizard each time
        wiz.converted.connect(self._on_converted)
        wiz.show()
        self._dialogs["convert"] = wiz
        return wiz

    def _on_converted(self, path: str) -> None:
        # The new file is in the models folder: an open model manager lists it at once.
        manager = self._dialogs.get("models")
        if isinstance(manager, ModelManagerDialog) and manager.isVisible() and not manager.busy:
            manager.refresh()
        self._offer_converted(path)

    def _offer_converted(self, path: str) -> None:
        answer = QMessageBox.question(self._widget(), translate("MainWindow", "Model converted"),
                                      translate("MainWindow", "Switch to the new model %1 now?").replace(
                                          "%1", Path(path).name))
        if answer == QMessageBox.StandardButton.Yes:
            self.switch_model(path)

    def _open_logs(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(app_paths().log_dir)))

    def _diagnostics(self) -> QMessageBox:
        """Help → Diagnostics: the CPU code chosen for this machine (and why), GPUs, memory, as `assistant
        doctor` prints them; the text can be copied into a bug report."""
        from assistant.core.runtime.diagnostics import format_report, report

        box = QMessageBox(self._widget())
        box.setWindowTitle(translate("MainWindow", "Diagnostics"))
        box.setText(translate("MainWindow", "What runs on this computer, and why. "
                              "Include this text when you report a problem."))
        try:
            text = format_report(report())
        except Exception as exc:  # the diagnostics must never take the window down
            text = f"The diagnostics could not be collected: {exc}"
        box.setDetailedText(text)
        box.setInformativeText(text.splitlines()[3] if len(text.splitlines()) > 3 else text)
        box.setAccessibleName(translate("MainWindow", "Diagnostics"))
        box.open()
        self._dialogs["diagnostics"] = box
        return box

    def _about(self) -> None:
        QMessageBox.about(self._widget(), translate("MainWindow", "About Assistant"),
                          translate("MainWindow", "Assistant: an offline assistant for small local reasoning models.\n"
                                  "Nothing leaves this computer unless you start a download or connect to a server."))
