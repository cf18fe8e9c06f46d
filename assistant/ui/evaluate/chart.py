"""The Evaluate page's bar chart: accuracy per task kind, one bar per run (and sweep point), the spread over
runs as a whisker. Drawn with QPainter from the summary dicts: the packaged app leaves out QtSvg, so the
report's SVG charts cannot be shown here."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

COLOURS = ("#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#9c755f")


@dataclass
class Series:
    label: str
    values: dict[str, tuple[float, float]]  # kind -> (accuracy, spread), both 0..1


class AccuracyChart(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.series: list[Series] = []
        self.groups: list[tuple[str, str]] = []  # (kind key, label shown)
        self.setMinimumHeight(200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def sizeHint(self) -> QSize:
        return QSize(560, 240)

    def set_data(self, groups: list[tuple[str, str]], series: list[Series]) -> None:
        self.groups, self.series = groups, series
        self.update()

    def bars(self) -> list[tuple[str, str, QRectF]]:
        """(series label, kind, rectangle) of every bar drawn: the geometry, also for tests."""
        out: list[tuple[str, str, QRectF]] = []
        plot = self._plot()
        if not self.groups or not self.series:
            return out
        group_w = plot.width() / len(self.groups)
        bar_w = min(36.0, group_w * 0.8 / len(self.series))
        for gi, (kind, _label) in enumerate(self.groups):
            x0 = plot.left() + gi * group_w + (group_w - bar_w * len(self.series)) / 2
            for si, s in enumerate(self.series):
                acc = max(0.0, min(1.0, s.values.get(kind, (0.0, 0.0))[0]))
                h = plot.height() * acc
                out.append((s.label, kind, QRectF(x0 + si * bar_w, plot.bottom() - h, bar_w * 0.88, h)))
        return out

    def _plot(self) -> QRectF:
        legend = 18 * max(1, len(self.series))
        return QRectF(44, 10 + legend, max(10, self.width() - 54), max(10, self.height() - 40 - legend))

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().windowText().color()
        plot = self._plot()
        for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
            y = plot.bottom() - plot.height() * tick
            p.setPen(QPen(QColor("#cccccc"), 1))
            p.drawLine(int(plot.left()), int(y), int(plot.right()), int(y))
            p.setPen(text)
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            p.drawText(QRectF(0, y - 8, plot.left() - 4, 16), right, f"{tick:.0%}")
        for si, s in enumerate(self.series):  # legend
            colour = QColor(COLOURS[si % len(COLOURS)])
            p.fillRect(QRectF(plot.left(), 4 + 18 * si, 12, 12), colour)
            p.setPen(text)
            p.drawText(QRectF(plot.left() + 18, 2 + 18 * si, plot.width() - 18, 16), Qt.AlignmentFlag.AlignVCenter,
                       s.label)
        index = {s.label: i for i, s in enumerate(self.series)}
        for label, kind, rect in self.bars():
            si = index[label]
            p.fillRect(rect, QColor(COLOURS[si % len(COLOURS)]))
            acc, sd = self.series[si].values.get(kind, (0.0, 0.0))
            if sd > 0:
                cx = rect.center().x()
                lo = plot.bottom() - plot.height() * max(0.0, acc - sd)
                hi = plot.bottom() - plot.height() * min(1.0, acc + sd)
                p.setPen(QPen(text, 1))
                p.drawLine(int(cx), int(lo), int(cx), int(hi))
            p.setPen(text)
            p.drawText(QRectF(rect.left() - 6, rect.top() - 15, rect.width() + 12, 14),
                       Qt.AlignmentFlag.AlignCenter, f"{acc:.0%}")
        group_w = plot.width() / max(1, len(self.groups))
        for gi, (_kind, label) in enumerate(self.groups):
            p.drawText(QRectF(plot.left() + gi * group_w, plot.bottom() + 4, group_w, 18),
                       Qt.AlignmentFlag.AlignCenter, label)
        p.end()
