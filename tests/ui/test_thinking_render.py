"""The reasoning rendered like the answer (Markdown and maths), block by block while it streams: no full
re-render, the document in the end the same as a one-shot render, a raw-text toggle; and inline maths on the
text's baseline, measured in pixels."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPainter, QTextDocument

from assistant.ui.message.rich_stream import StreamedDocument
from assistant.ui.render.markdown_html import Renderer, document_css, split_blocks

from .conftest import load
from .fakes import FakeBackend

pytestmark = pytest.mark.gui

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "r1-reasoning-rectangle.md"
PARTS = ["Let the width be $x$ cm.", "- a list item\n- another $y$", "1. one\n2. two",
         "```python\nprint(1)\n\nx = 2\n```", "# Heading", "## Sub *it*", "Then \\[ 2(x + x + 3) = 30 \\] so",
         "| a | b |\n|---|---|\n| 1 | 2 |", "Done **bold**.", "> quote\n> more", "---", "$$\\frac{a}{b}$$",
         "\\begin{align*}\na &= 1 \\\\\nb &= 2\n\\end{align*}", "two lines\nof text", "    indented code",
         "设宽为 $x$ 厘米，则长为 $x + 3$ 厘米。", "\\boxed{54}", "- item\n\n  continued"]


def one_shot(renderer: Renderer, text: str, like: QTextDocument) -> QTextDocument:
    doc = QTextDocument()
    doc.setDefaultStyleSheet(like.defaultStyleSheet())
    doc.setDefaultFont(like.defaultFont())
    doc.setHtml(renderer.render(text))
    return doc


def long_reasoning(copies: int) -> str:
    """The R1-style reasoning of the fixture, ``copies`` times, each with its numbers shifted."""
    base = FIXTURE.read_text(encoding="utf-8")
    return "\n\n".join(re.sub(r"\d+", lambda m, k=k: str(int(m.group(0)) + k), base) for k in range(copies))


def test_any_stream_ends_as_the_one_shot_render(qapp: Any) -> None:
    """Random replies of every kind of block (lists after lists, tables after tables, rules, code, maths),
    streamed in random pieces: the document is the one a single setHtml makes."""
    renderer = Renderer("light")
    rnd = random.Random(25)
    for _ in range(40):
        text = "\n\n".join(rnd.choice(PARTS) for _ in range(rnd.randint(1, 7)))
        doc = QTextDocument()
        doc.setDefaultStyleSheet(document_css("light"))
        stream = StreamedDocument(doc, renderer)
        i = 0
        while i < len(text):
            i = min(len(text), i + rnd.randint(1, 9))
            stream.update(text[:i])
        assert doc.toHtml() == one_shot(renderer, text, doc).toHtml(), text
        assert stream.full_renders == 0 and stream.block_renders == len(split_blocks(text)) - 1


def test_a_long_streamed_reasoning_is_rendered_block_by_block(make_window: Any, qtbot: Any) -> None:
    reasoning = long_reasoning(4)
    pieces = [reasoning[i:i + 5] for i in range(0, len(reasoning), 5)] + ["</think>", "\n\nThe area is \\boxed{54}."]
    backend = FakeBackend(pieces, delay=0.003, family="deepseek-r1")
    w = make_window(backend, loop_action="off")
    load(qtbot, w)
    seen: list[tuple[int, int]] = []  # (full renders, characters shown) at each repaint while it streams

    def watch(_job: int, _events: object) -> None:
        reply = w.chat.active
        if reply is not None:
            seen.append((reply.thinking.stream.full_renders, len(reply.thinking.text)))

    w.session.worker.reply_delta.connect(watch)
    with qtbot.waitSignal(w.reply_done, timeout=60_000) as done:
        w.session.send_message("一个长方形的周长是30厘米，长比宽多3厘米，求面积。")
    reply = w.chat.messages[-1]
    stream = reply.thinking.stream
    assert done.args[0].reasoning.strip() == reasoning.strip() and reply.thinking.text == done.args[0].reasoning
    assert len(seen) > 20 and all(full == 0 for full, _ in seen)  # never rebuilt while it streamed
    assert stream.full_renders <= 1  # at most once when it ended
    blocks = split_blocks(reasoning)
    assert stream.block_renders <= len(blocks) and stream.tail_renders >= 5  # it grew in steps as it came
    doc = reply.thinking.view.document()
    assert doc.toHtml() == one_shot(reply.renderer, reply.thinking.text, doc).toHtml()
    html = doc.toHtml()
    assert html.count("<img") > 40 and "$x$" not in reply.thinking.view.toPlainText()  # maths typeset
    shown = reply.thinking.view.toPlainText()
    assert "\\begin{align*}" not in shown and "\\text{长}" not in shown


def test_the_raw_toggle_shows_the_source_and_back(make_window: Any, qtbot: Any) -> None:
    w = make_window()
    conv = w.history.create_conversation("r")
    w.history.add_message(conv.id, "user", "q")
    reasoning = FIXTURE.read_text(encoding="utf-8")
    w.history.add_message(conv.id, "assistant", "The area is \\boxed{54}.", reasoning=reasoning, thinking_seconds=3)
    w.open_conversation(conv.id)
    thinking = w.chat.messages[-1].thinking
    qtbot.waitUntil(lambda: thinking.isVisibleTo(w), timeout=2000)  # shown at the layout's next pass
    assert not thinking.raw_button.isVisibleTo(w)  # folded: nothing to show raw
    thinking.set_open(True)
    assert thinking.raw_button.isVisibleTo(w) and thinking.raw_button.text() == "Raw"
    rendered = thinking.view.toPlainText()
    assert "$x$" not in rendered and "\\[" not in rendered and "\ufffc" in rendered  # images
    thinking.raw_button.click()
    assert thinking.view.toPlainText() == reasoning.rstrip("\n") or thinking.view.toPlainText() == reasoning
    thinking.append("\n\nMore $z$.")  # streaming on while raw: plain text
    assert thinking.view.toPlainText().endswith("More $z$.")
    thinking.raw_button.click()
    assert thinking.view.toPlainText().endswith("More \ufffc.")
    doc = thinking.view.document()
    assert doc.toHtml() == one_shot(thinking.stream.renderer, thinking.text, doc).toHtml()
    thinking.set_open(False)
    assert not thinking.raw_button.isVisibleTo(w)


def ink_bottoms(doc: QTextDocument, width: int = 900) -> list[int]:
    """The lowest inked row of each run of inked columns (a glyph or a formula) of a one-line document."""
    doc.setTextWidth(width)
    img = QImage(width, int(doc.size().height()) + 4, QImage.Format.Format_ARGB32)
    img.fill(Qt.GlobalColor.white)
    painter = QPainter(img)
    doc.drawContents(painter)
    painter.end()
    pixels = np.frombuffer(img.constBits(), np.uint8).reshape(img.height(), img.bytesPerLine() // 4, 4)
    ink = pixels[:, :width, :3].min(axis=2) < 160
    cols = np.where(ink.any(axis=0))[0]
    runs = np.split(cols, np.where(np.diff(cols) > 1)[0] + 1)
    return [int(np.where(ink[:, r[0]:r[-1] + 1].any(axis=1))[0][-1]) for r in runs]


@pytest.mark.parametrize("line, xs", [
    ("x $x$ x", [0, 1, -1]),
    ("设宽为 $x$ 厘米 x", [3, -1]),  # the maths x (after 3 Chinese characters), the text x at the end
    ("x $x$ x $y$ x $x^2$ x $(x)$ $\\frac{a}{b}$ x", [0, 1, -1]),  # other formulas on the line
    ("x $x$ x $\\sum_{i=1}^{n} i^2$ x", [0, 1, -1]),  # beside a formula taller than the text
])
def test_inline_maths_sits_on_the_text_baseline(make_window: Any, qtbot: Any, line: str, xs: list[int]) -> None:
    """In a reply as the window shows it: the bottom of the typeset x is on the same pixel row as the bottom
    of the text's x (both sit on the baseline), alone or beside Chinese and other formulas."""
    w = make_window()
    conv = w.history.create_conversation("m")
    w.history.add_message(conv.id, "user", "q")
    w.history.add_message(conv.id, "assistant", line)
    w.open_conversation(conv.id)
    body = w.chat.messages[-1].body
    doc = body.document().clone()
    bottoms = ink_bottoms(doc)
    rows = {bottoms[i] for i in xs}
    assert max(rows) - min(rows) <= 1, (line, bottoms)
    assert 'style="vertical-align:middle"' in w.chat.renderer.render(line)


def test_chinese_in_a_formula_is_drawn_with_the_window_font(make_window: Any, qtbot: Any) -> None:
    """R1 writes \\text{长}: mathtext's fonts have no Chinese, so the window draws it; inside a group (a fraction)
    it cannot be cut out and the source is shown, never boxes."""
    w = make_window()
    conv = w.history.create_conversation("m")
    w.history.add_message(conv.id, "user", "q")
    answer = ("面积 $S = \\text{长} \\times \\text{宽}$，周长 \\[ P = 2(\\text{长} + \\text{宽}) = 30 \\]\n\n"
              "$\\frac{\\text{面积}}{2}$")
    w.history.add_message(conv.id, "assistant", answer)
    w.open_conversation(conv.id)
    shown = w.chat.messages[-1].body.toPlainText()
    assert "\\text{长}" not in shown and shown.count("\ufffc") == 2  # two formulas typeset
    assert "\\frac{\\text{面积}}{2}" in shown  # its source
    html = w.chat.renderer.render("$\\text{长}$")
    assert "<img" in html and 'alt="$\\text{长}$"' in html  # copying it gives the LaTeX back
