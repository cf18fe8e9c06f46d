"""The Help menu: the log folder, the diagnostics (what runs on this computer, and why), About."""

from __future__ import annotations

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget

from assistant.core.paths import app_paths


class HelpActions(QObject):
    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.owner = parent  # dialogs open over it
        self.dialogs: dict[str, QWidget] = {}

    def open_logs(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(app_paths().log_dir)))

    def diagnostics(self) -> QMessageBox:
        """Help → Diagnostics: the CPU code chosen for this machine (and why), GPUs, memory, as `assistant
        doctor` prints them; the text can be copied into a bug report."""
        from assistant.core.runtime.diagnostics import format_report, report

        box = QMessageBox(self.owner)
        box.setWindowTitle(self.tr("Diagnostics"))
        box.setText(self.tr("What runs on this computer, and why. Include this text when you report a problem."))
        try:
            text = format_report(report())
        except Exception as exc:  # the diagnostics must never take the window down
            text = f"The diagnostics could not be collected: {exc}"
        box.setDetailedText(text)
        box.setInformativeText(text.splitlines()[3] if len(text.splitlines()) > 3 else text)
        box.setAccessibleName(self.tr("Diagnostics"))
        box.open()
        self.dialogs["diagnostics"] = box
        return box

    def about(self) -> None:
        QMessageBox.about(self.owner, self.tr("About Assistant"),
                          self.tr("Assistant: an offline assistant for small local reasoning models.\n"
                                  "Nothing leaves this computer unless you start a download or connect to a server."))

    def close(self) -> None:
        for dlg in self.dialogs.values():
            dlg.close()
