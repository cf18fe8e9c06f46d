"""A reply's sources (issue 24): a chip per passage it was given — [1] manual.pdf · p. 3 — the ones its answer
cites marked; a click asks for the viewer at that passage (the window opens it). When nothing in the
conversation's documents was relevant, a line says so instead of chips, so the reply cannot pass for one
based on them."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import QLabel, QLayout, QLayoutItem, QSizePolicy, QToolButton, QVBoxLayout, QWidget

NAME_CHARS = 32  # a chip's file name is elided beyond this


def file_name(path: str) -> str:
    return str(path).replace("\\", "/").rsplit("/", 1)[-1]


def _elide(text: str, limit: int = NAME_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 10] + "…" + text[-11:]  # the end keeps the extension


class FlowLayout(QLayout):
    """Widgets left to right, wrapping onto the next line when the row is full (chips of any count)."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._place(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._place(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _place(self, rect: QRect, move: bool) -> int:
        x, y, line = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            if x + hint.width() > rect.right() + 1 and line > 0:
                x, y, line = rect.x(), y + line + self._spacing, 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x += hint.width() + self._spacing
            line = max(line, hint.height())
        return y + line - rect.y()


class SourceChips(QWidget):
    """The sources line under a reply: hidden for a reply asked without documents."""

    source_clicked = Signal(object)  # the source's dict (n, path, page, start, end, text, format, ...)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.sources: list[dict[str, Any]] = []
        self.cited: set[int] = set()
        self.found = True
        self.collections: list[str] = []
        self.chips: list[QToolButton] = []
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 2, 0, 0)
        lay.setSpacing(2)
        self.title = QLabel(self)
        self.title.setObjectName("messageMeta")
        lay.addWidget(self.title)
        self.row = QWidget(self)
        self.row.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        self.flow = FlowLayout(self.row)
        lay.addWidget(self.row)
        self.none_label = QLabel(self)
        self.none_label.setObjectName("sourcesNone")
        self.none_label.setWordWrap(True)
        lay.addWidget(self.none_label)
        self.setVisible(False)

    def set_sources(self, sources: Sequence[dict[str, Any]], found: bool, collections: Iterable[str],
                    cited: Iterable[int] = ()) -> None:
        """The passages the reply was given (numbered), whether any was relevant, the collections searched."""
        self.sources = sorted((dict(s) for s in sources if isinstance(s, dict) and "n" in s), key=lambda s: int(s["n"]))
        self.found, self.collections, self.cited = found, [str(c) for c in collections], set(cited)
        for chip in self.chips:
            self.flow.removeWidget(chip)
            chip.deleteLater()
        self.chips = []
        for src in self.sources:
            chip = QToolButton(self.row)
            chip.setObjectName("sourceChip")
            chip.setCursor(Qt.CursorShape.PointingHandCursor)
            chip.clicked.connect(lambda _=False, s=src: self.source_clicked.emit(s))
            self.flow.addWidget(chip)
            self.chips.append(chip)
        self.setVisible(True)
        self.retranslate()

    def set_cited(self, cited: Iterable[int]) -> None:
        """The numbers the finished answer cites: their chips are marked."""
        self.cited = set(cited)
        self.retranslate()

    def _mark(self) -> None:
        for src, chip in zip(self.sources, self.chips):
            cited = int(src["n"]) in self.cited
            if chip.property("cited") != cited:
                chip.setProperty("cited", cited)
                chip.style().unpolish(chip)
                chip.style().polish(chip)

    def chip_text(self, src: dict[str, Any]) -> str:
        text = f"[{src['n']}] {_elide(file_name(src.get('path', '')))}"
        return text + (" · " + self.tr("p. %1").replace("%1", str(src["page"])) if src.get("page") else "")

    def retranslate(self) -> None:
        names = self.tr(", ").join(self.collections)
        self.title.setText(self.tr("Sources:") if self.sources else "")
        self.title.setVisible(bool(self.sources))
        self.row.setVisible(bool(self.sources))
        self.none_label.setVisible(not self.found)
        self.none_label.setText(self.tr("Nothing relevant was found in your documents (%1): this reply is not "
                                        "based on them.").replace("%1", names))
        for src, chip in zip(self.sources, self.chips):
            chip.setText(self.chip_text(src))
            where = src.get("path", "")
            if src.get("heading"):
                where += "\n" + str(src["heading"])
            passage = " ".join(str(src.get("text", "")).split())
            cited = self.tr("Cited in the answer.") + "\n" if int(src["n"]) in self.cited else ""
            chip.setToolTip(cited + self.tr("Open this passage: %1").replace("%1", where)
                            + ("\n\n" + passage[:240] + ("…" if len(passage) > 240 else "") if passage else ""))
        self._mark()
