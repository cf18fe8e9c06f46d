"""The Model menu's dialogs: the model manager and the conversion wizard, one of each at a time. A model
chosen in either (Use, or a conversion's "switch now") leaves as ``model_chosen``; the window switches to it.
The manager's Evaluate… button leaves as ``evaluate_requested`` (the Evaluate page is a feature of its own)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from .convert_wizard import ConvertWizard
from .manager import ModelManagerDialog


class ModelActions(QObject):
    model_chosen = Signal(str)  # a catalog id or a .gguf path
    evaluate_requested = Signal()

    def __init__(self, settings: Any, parent: QWidget) -> None:
        super().__init__(parent)
        self.owner = parent  # dialogs open over it
        self.settings = settings
        self.dialogs: dict[str, QWidget] = {}

    def set_settings(self, settings: Any) -> None:
        """New settings: an open manager downloads with the new endpoint and token."""
        self.settings = settings
        manager = self.dialogs.get("models")
        if isinstance(manager, ModelManagerDialog):
            manager.settings = settings

    def open_manager(self) -> ModelManagerDialog:
        current = self.dialogs.get("models")
        if isinstance(current, ModelManagerDialog) and current.isVisible():
            current.raise_()
            current.activateWindow()
            return current
        if current is not None:
            current.deleteLater()  # closed earlier; a fresh one re-reads the library
        dlg = ModelManagerDialog(self.settings, self.owner)
        dlg.model_selected.connect(self.model_chosen)
        dlg.convert_requested.connect(self.open_convert_wizard)
        dlg.evaluate_requested.connect(self.evaluate_requested)
        dlg.show()
        self.dialogs["models"] = dlg
        return dlg

    def open_convert_wizard(self, source_dir: str = "") -> ConvertWizard:
        current = self.dialogs.get("convert")
        if isinstance(current, ConvertWizard) and current.isVisible() and current.busy:
            current.raise_()  # a conversion is running: show it rather than start a second one
            return current
        if current is not None:
            current.close()  # stops its worker thread
            current.deleteLater()
        wiz = ConvertWizard(self.owner, source_dir or None)  # one-shot: a new wizard each time
        wiz.converted.connect(self._on_converted)
        wiz.show()
        self.dialogs["convert"] = wiz
        return wiz

    def _on_converted(self, path: str) -> None:
        # The new file is in the models folder: an open model manager lists it at once.
        manager = self.dialogs.get("models")
        if isinstance(manager, ModelManagerDialog) and manager.isVisible() and not manager.busy:
            manager.refresh()
        self._offer_converted(path)

    def _offer_converted(self, path: str) -> None:
        answer = QMessageBox.question(self.owner, self.tr("Model converted"),
                                      self.tr("Switch to the new model %1 now?").replace("%1", Path(path).name))
        if answer == QMessageBox.StandardButton.Yes:
            self.model_chosen.emit(path)

    def close(self) -> None:
        for dlg in self.dialogs.values():
            dlg.close()
