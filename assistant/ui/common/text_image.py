"""Text drawn with the UI's font as a coverage image, for the formula typesetter (render/maths.py): mathtext's
fonts have no Chinese, and R1 writes ``\\text{长} \\times \\text{宽}``; drawn with the font the reply's text
uses, the Chinese in a formula looks like the Chinese around it."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter


def text_rasterizer(font: QFont) -> Callable[[str, float], tuple[np.ndarray, int]]:
    """A function drawing text in ``font`` at a pixel size: (coverage rows × columns, 0..1; rows below the
    baseline). Safe off the GUI thread (it paints on a QImage)."""
    base = QFont(font)

    def draw(text: str, px: float) -> tuple[np.ndarray, int]:
        f = QFont(base)
        f.setPixelSize(max(1, round(px)))
        metrics = QFontMetricsF(f)
        ascent, descent = math.ceil(metrics.ascent()), math.ceil(metrics.descent())
        width = max(1, math.ceil(metrics.horizontalAdvance(text)))
        img = QImage(width, ascent + descent, QImage.Format.Format_Alpha8)
        img.fill(0)
        painter = QPainter(img)
        painter.setFont(f)
        painter.setPen(QColor(0, 0, 0, 255))
        painter.drawText(QPointF(0, ascent), text)
        painter.end()
        rows = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine())
        return rows[:, :width].astype(np.float32) / 255.0, descent

    return draw
