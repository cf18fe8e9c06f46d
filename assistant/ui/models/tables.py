"""The model manager's two tables: the catalog (each model and quantization: size, the memory it needs for the
chosen context, whether it fits here, whether it is on disk or a download paused, the speed predicted here)
and the library (the models on this computer: architecture, quantization, size, where it came from, whether
it is usable and in use). They show rows in the UI's language; the dialog acts on the selected one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from assistant.core.units import human_bytes

from .speed_bar import SpeedBar


class ModelTable(QTableWidget):
    """One row selected at a time, nothing edited in place; the first column takes the spare width."""

    def __init__(self, columns: int, parent: QWidget | None = None) -> None:
        super().__init__(0, columns, parent)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def selected_index(self) -> int | None:
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return rows[0].row() if rows else None


class CatalogTable(ModelTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(7, parent)
        self.rows: list[dict[str, Any]] = []  # catalog_rows(): one per model and quantization

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([
            self.tr("Model"), self.tr("Quantization"), self.tr("Size"), self.tr("Memory"), self.tr("Fit"),
            self.tr("Status"), self.tr("Speed here")])

    def fill(self, rows: list[dict[str, Any]], paused: dict[Any, Any], speed_bar: SpeedBar) -> None:
        """Show ``rows`` (``paused``: partial downloads by file name), keeping the selected model selected."""
        keep = self.selected()
        self.rows = rows
        self.setRowCount(len(rows))
        fit_text = {"fits": self.tr("fits"), "tight": self.tr("tight"), "won't fit": self.tr("won't fit")}
        for i, r in enumerate(rows):
            part = paused.get(r["file"])
            if r["bundled"]:
                status = self.tr("bundled")
            elif r["downloaded"]:
                status = self.tr("downloaded")
            elif part is not None:
                total = part.meta.get("size") or 0
                status = self.tr("paused at {0}%").format(int(100 * part.size / total)) if total else self.tr("paused")
            else:
                status = ""
            cells = (r["name"] + (self.tr(" (reasoning)") if r["reasoning"] else ""), r["quant"],
                     ("" if r["size_exact"] else "~") + human_bytes(r["size"]), human_bytes(r["memory"]),
                     fit_text.get(r["fit"], r["fit"]), status, speed_bar.cell(r))
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(speed_bar.tooltip(r) if j == 6 else "")
                if j == 4:
                    item.setForeground(Qt.GlobalColor.darkGreen if r["fit"] == "fits" else
                                       Qt.GlobalColor.darkYellow if r["fit"] == "tight" else Qt.GlobalColor.red)
                self.setItem(i, j, item)
            if keep and (keep["id"], keep["quant"]) == (r["id"], r["quant"]):
                self.selectRow(i)

    def selected(self) -> dict[str, Any] | None:
        i = self.selected_index()
        return self.rows[i] if i is not None and i < len(self.rows) else None

    def select(self, model_id: str, quant: str | None = None) -> None:
        for i, r in enumerate(self.rows):
            if r["id"] == model_id and (quant is None or r["quant"] == quant):
                self.selectRow(i)
                return
        raise KeyError(model_id)


class LibraryTable(ModelTable):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(6, parent)
        self.models: list[Any] = []  # list_local(): LocalModel

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([
            self.tr("File"), self.tr("Architecture"), self.tr("Quantization"), self.tr("Size"), self.tr("Source"),
            self.tr("Status")])

    def fill(self, models: list[Any], in_use: Path | None) -> None:
        """Show ``models``; the one the app uses (``in_use``, its resolved path) is bold and says so."""
        self.models = models
        sources = {"bundled": self.tr("bundled"), "import": self.tr("imported"), "convert": self.tr("converted"),
                   "download": self.tr("downloaded"), "hf-cache": self.tr("from the Hugging Face cache")}
        self.setRowCount(len(models))
        for i, m in enumerate(models):
            used = in_use is not None and m.path.resolve() == in_use
            status = self.tr("ready") if m.usable else self.tr("unusable: {0}").format(m.error)
            if used:
                status = self.tr("in use") + " · " + status
            source = sources.get(m.source, m.source) + (self.tr(" (in place)") if m.in_place else "")
            cells = (m.name, m.info.architecture if m.info else "", m.quantization, human_bytes(m.size), source, status)
            for j, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if used:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(i, j, item)

    def selected(self) -> Any:
        i = self.selected_index()
        return self.models[i] if i is not None and i < len(self.models) else None

    def select(self, name: str) -> None:
        for i, m in enumerate(self.models):
            if name in (m.name, str(m.path)):
                self.selectRow(i)
                return
        raise KeyError(name)
