"""Boxes for the formula typesetter (maths.py): images with a baseline, put side by side, framed, stretched, and
placed so that Qt draws an inline formula's baseline on the text's. Plain numpy, no mathtext, no Qt."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Box:
    img: np.ndarray  # (h, w, 2) float32: [..., 0] ink coverage, [..., 1] highlight background coverage
    descent: int  # pixel rows below the baseline

    @property
    def ascent(self) -> int:
        return int(self.img.shape[0]) - self.descent

    @property
    def width(self) -> int:
        return int(self.img.shape[1])


def blank(h: int, w: int) -> np.ndarray:
    return np.zeros((max(h, 0), max(w, 0), 2), np.float32)


def hcat(boxes: list[Box], gap: int = 0) -> Box:
    boxes = [b for b in boxes if b.width > 0]
    if not boxes:
        return Box(blank(1, 0), 0)
    asc = max(b.ascent for b in boxes)
    desc = max(b.descent for b in boxes)
    width = sum(b.width for b in boxes) + gap * (len(boxes) - 1)
    out = blank(asc + desc, width)
    x = 0
    for b in boxes:
        top = asc - b.ascent
        out[top:top + b.img.shape[0], x:x + b.width] = b.img
        x += b.width + gap
    return Box(out, desc)


def stretch(box: Box, height: int) -> Box:
    """A delimiter glyph stretched vertically to ``height`` rows (lines keep their width)."""
    h = box.img.shape[0]
    pos = np.linspace(0, h - 1, max(height, 1))
    lo = np.floor(pos).astype(int)
    hi = np.minimum(lo + 1, h - 1)
    t = (pos - lo)[:, None, None]
    return Box(box.img[lo] * (1 - t) + box.img[hi] * t, 0)


def framed(inner: Box, px: float, dpr: float) -> Box:
    """``\\boxed{}``: ``inner`` in a frame on a highlighted background."""
    pad = round(px * 0.25)
    line = max(1, round(dpr))
    h, w = inner.img.shape[0] + 2 * pad, inner.width + 2 * pad
    out = blank(h, w)
    out[..., 1] = 1.0
    out[pad:pad + inner.img.shape[0], pad:pad + inner.width] = inner.img
    out[:line, :, 0] = out[-line:, :, 0] = out[:, :line, 0] = out[:, -line:, 0] = 1.0
    out[pad:pad + inner.img.shape[0], pad:pad + inner.width, 1] = 1.0
    return Box(out, inner.descent + pad)


# ---- inline formulas on the text's baseline ----------------------------------------------------------
#
# How Qt 6 places an image with ``vertical-align: middle`` (measured; tests/ui/test_thinking_render.py checks
# the result in pixels): the image counts in its line as ascent (h + x/2)/2 and descent (h - x/2)/2 (x: the
# font's x-height in whole pixels), the line's box takes the largest ascent and largest descent of its pieces,
# and every such image is drawn centred in that box. An image smaller than the text's box was therefore
# centred on the text's box, (ascent - descent)/2 above the baseline (the x of "设宽为 x 厘米" floated 4 px up),
# and whatever sets a line's box moves every formula on that line.
#
# So all inline formulas of a paragraph ask their lines for the same descent D (maths.line_descent: what the
# deepest of them needs, at least a 0.25 em descender's) and no more ascent than the text's; each is padded so
# that its ascent part minus its descent part is ascent - D, which puts its baseline where the box's centre
# puts it: on the text's. A line with inline maths is D - descent taller (~0.2 em). A paragraph with a formula
# taller than the text (a sum with limits) gives every formula a box of its own that it fills, baseline x/4
# below its centre: the tallest on a line sets the box and the others agree with it.


@dataclass(frozen=True)
class TextMetrics:
    """The text font's metrics in device pixels."""

    half_x: float
    ascent: float
    descent: float
    em: float

    @staticmethod
    def of(px: float, dpr: float, x_height: float, ascent: float, descent: float) -> TextMetrics:
        return TextMetrics((x_height or px * 0.5) * dpr / 2, (ascent or px * 1.16) * dpr, (descent or px * 0.29) * dpr,
                     px * dpr)

    @property
    def usual(self) -> float:
        """The line descent every inline formula asks for at least: a descender 0.25 em deep fits."""
        return max(self.descent, (0.5 * self.em + self.ascent - self.half_x) / 3)

    def needs(self, box: Box) -> float:
        """The line descent that lets ``box`` keep to the text's ascent (more than ascent - x/2: it cannot)."""
        a = box.img.shape[0] - box.descent
        return max(2 * a - self.half_x - self.ascent, (2 * box.descent + self.ascent - self.half_x) / 3)


def trimmed(box: Box) -> Box:
    """``box`` without its blank rows (mathtext's margins would only make the line taller)."""
    ink = np.where((box.img > 0).any(axis=(1, 2)))[0]
    if not ink.size:
        return box
    return Box(box.img[int(ink[0]):int(ink[-1]) + 1], box.descent - (box.img.shape[0] - 1 - int(ink[-1])))


def on_baseline(box: Box, text: TextMetrics, line_descent: float) -> Box:
    """``box`` padded (transparent rows above and below) so that Qt draws its baseline on the text's."""
    a, d = box.img.shape[0] - box.descent, box.descent
    delta = max(line_descent or text.usual, text.needs(box))
    if delta <= text.ascent - text.half_x:  # within the text's ascent: the line's box is (ascent, delta)
        up, down = (delta + text.half_x + text.ascent) / 2, (3 * delta + text.half_x - text.ascent) / 2
    else:  # a box of its own, which it fills
        down = max(d, a - text.half_x, text.ascent - text.half_x)
        up = down + text.half_x
    top, bottom = max(0, round(up - a)), max(0, round(down - d))
    img = np.concatenate([blank(top, box.width), box.img, blank(bottom, box.width)])
    return Box(img, d + bottom)
