"""A collection's folders and files in the Documents panel: each source (a folder kept in sync, or a file) with the
files found through it, and each file's state — indexed (passages, pages), waiting, being read (its own progress
and time left), or not indexed with the reason in words, shown in the error colour so a bad file stands out."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from assistant.core.units import human_duration

from .problem_words import problem_text

PATH_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1  # "source" | "file"
FAILED_ROLE = Qt.ItemDataRole.UserRole + 2


class FilesTree(QTreeWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.setColumnWidth(0, 300)
        self.sources: dict[str, QTreeWidgetItem] = {}
        self.files: dict[str, QTreeWidgetItem] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.setHeaderLabels([self.tr("Folder or file"), self.tr("State")])
        self.setAccessibleName(self.tr("The collection's folders and files"))

    # ---- from the collection's database ----------------------------------------------------------
    def show_collection(self, sources: list[Any], files: list[Any]) -> None:
        """Sources (SourceRow) and files (FileRow) as stored."""
        self.clear()
        self.sources, self.files = {}, {}
        for src in sources:
            item = QTreeWidgetItem(self, [src.path + (os.sep if src.is_dir else ""), ""])
            item.setData(0, PATH_ROLE, src.path)
            item.setData(0, KIND_ROLE, "source")
            item.setToolTip(0, src.path)
            item.setExpanded(True)
            self.sources[src.path] = item
        for f in files:
            item = self.file_item(f.path)
            if f.problem:
                self.set_failed(item, f.problem)
            else:
                self.set_text(item, self.indexed_text(f.chunks, f.pages))
        for path, item in self.sources.items():
            if item.childCount() == 0 and path in self.files:  # a file added on its own: its state on its row
                continue
            if item.childCount() == 0:
                item.setText(1, self.tr("no documents found yet"))

    def indexed_text(self, chunks: int, pages: int = 0) -> str:
        text = self.tr("%n passage(s)", "", chunks)
        return text + (" · " + self.tr("%n page(s)", "", pages) if pages else "")

    def file_item(self, path: str) -> QTreeWidgetItem:
        """The row of a file: under the folder it was found in (or the source's own row for a file added alone)."""
        item = self.files.get(path)
        if item is not None:
            return item
        if path in self.sources:
            item = self.sources[path]
        else:
            parent = max((s for s in self.sources if path.startswith(s.rstrip(os.sep) + os.sep)), key=len,
                         default=None)
            owner: Any = self.sources[parent] if parent is not None else self
            shown = os.path.relpath(path, parent) if parent is not None else path
            item = QTreeWidgetItem(owner, [shown, ""])
            item.setData(0, PATH_ROLE, path)
            item.setData(0, KIND_ROLE, "file")
            item.setToolTip(0, path)
        self.files[path] = item
        return item

    # ---- states ----------------------------------------------------------------------------------
    def set_text(self, item: QTreeWidgetItem, text: str) -> None:
        item.setData(0, FAILED_ROLE, "")
        item.setText(1, text)
        item.setToolTip(1, "")
        item.setForeground(1, self.palette().brush(QPalette.ColorRole.Text))

    def set_failed(self, item: QTreeWidgetItem, message: str) -> None:
        item.setData(0, FAILED_ROLE, message)
        said = problem_text(message)
        item.setText(1, self.tr("Not indexed: %1").replace("%1", said))
        item.setToolTip(1, said)
        dark = self.palette().color(QPalette.ColorRole.Base).lightness() < 128
        item.setForeground(1, QBrush(QColor("#ff7b72" if dark else "#cf222e")))

    def set_reading(self, path: str, fraction: float, left: float | None) -> None:
        text = self.tr("Indexing… %1%").replace("%1", f"{100 * fraction:.0f}")
        if left is not None:
            text += " · " + self.tr("%1 left").replace("%1", human_duration(left))
        item = self.file_item(path)
        self.set_text(item, text)
        self.scrollToItem(item)

    def report(self, fr: Any) -> None:
        """A file's FileReport: its final state in this job."""
        item = self.file_item(fr.path)
        if fr.status == "failed":
            self.set_failed(item, fr.message)
        elif fr.status == "removed":
            parent = item.parent()
            (parent.removeChild(item) if parent is not None else
             self.takeTopLevelItem(self.indexOfTopLevelItem(item)))
            self.files.pop(fr.path, None)
        else:
            text = self.indexed_text(fr.chunks)
            if fr.status == "unchanged":
                text += " · " + self.tr("unchanged")
            if fr.message:
                text += " · " + problem_text(fr.message)
            self.set_text(item, text)

    def failed_files(self) -> dict[str, str]:
        """Path -> the reason, for every file shown as not indexed."""
        return {p: str(it.data(0, FAILED_ROLE)) for p, it in self.files.items() if it.data(0, FAILED_ROLE)}

    def selected_sources(self) -> list[str]:
        return [str(it.data(0, PATH_ROLE)) for it in self.selectedItems() if it.data(0, KIND_ROLE) == "source"]
