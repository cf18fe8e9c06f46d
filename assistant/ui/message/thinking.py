"""A reply's reasoning: a collapsible section that streams live, with a timer and a meter of the tokens
used against the thinking budget, and the word for why the reasoning ended.

The reasoning is Markdown with LaTeX, like the answer, and is shown rendered by the same renderer, block by
block as it streams (rich_stream.py: a finished block is rendered once, only the block being written is
replaced, so a long reasoning costs the same per update at its end as at its start). "Raw" shows the text as
the model wrote it."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QFrame, QHBoxLayout, QToolButton, QVBoxLayout, QWidget

from assistant.ui.common.widgets import AutoHeightBrowser
from assistant.ui.render.markdown_html import Renderer, document_css

from .rich_stream import StreamedDocument


def meter_of(thinking: object) -> tuple[int, int | None, str]:
    """(tokens, limit, end) from a reply's stored thinking facts (the turn's ``SampleResult.thinking``):
    the limit is the reasoning's cap when a budget applied, None when the reasoning had no limit."""
    if not isinstance(thinking, dict):
        return 0, None, ""
    tokens = thinking.get("tokens")
    cap = thinking.get("cap")
    limit = cap if thinking.get("budget") is not None and isinstance(cap, int) else None
    return (tokens if isinstance(tokens, int) else 0), limit, str(thinking.get("end") or "")



class ThinkingSection(QFrame):
    """The model's reasoning: collapsible, streams live, says how long the model thought, how many tokens
    of its budget it used and why the reasoning ended (a meter)."""

    def __init__(self, theme: str, renderer: Renderer, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("thinking")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 2, 4, 4)
        lay.setSpacing(2)
        head = QHBoxLayout()
        head.setContentsMargins(0, 0, 0, 0)
        lay.addLayout(head)  # first: widgets put in a detached layout have no parent yet
        self.toggle = QToolButton(self)
        self.toggle.setCheckable(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.toggled.connect(self._set_open)
        self.raw_button = QToolButton(self)  # the text as the model wrote it, or rendered
        self.raw_button.setCheckable(True)
        self.raw_button.setAutoRaise(True)
        self.raw_button.setVisible(False)
        self.raw_button.toggled.connect(self._set_raw)
        head.addWidget(self.toggle)
        head.addStretch(1)
        head.addWidget(self.raw_button)
        self.view = AutoHeightBrowser(self, max_height=260)
        self.view.document().setDefaultStyleSheet(document_css(theme))
        self.view.setVisible(False)
        self.stream = StreamedDocument(self.view.document(), renderer)
        lay.addWidget(self.view)
        self.running = False
        self.seconds = 0.0
        self._t0 = 0.0
        self._text = ""
        self.tokens = 0  # reasoning tokens so far
        self.limit: int | None = None  # the budget's cap, None: no limit
        self.end = ""  # why the reasoning ended: "budget", "loop", "unclosed" get a word in the label

    def _set_open(self, open_: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if open_ else Qt.ArrowType.RightArrow)
        self.view.setVisible(open_)
        self.raw_button.setVisible(open_)

    @property
    def raw(self) -> bool:
        return self.raw_button.isChecked()

    def _set_raw(self, _raw: bool) -> None:
        self._show_all()

    def set_renderer(self, renderer: Renderer) -> None:
        """A new theme's renderer (call :meth:`set_text` after)."""
        self.stream.renderer = renderer

    @property
    def is_open(self) -> bool:
        return self.toggle.isChecked()

    def set_open(self, open_: bool) -> None:
        self.toggle.setChecked(open_)
        self._set_open(open_)

    def start(self, offset: float = 0.0) -> None:
        """Start the timer; ``offset``: seconds already thought (a reply continued inside its reasoning)."""
        self.running = True
        self._t0 = time.monotonic() - offset
        self.update_label()

    def reset(self) -> None:
        self.running, self.seconds, self.tokens, self.limit, self.end = False, 0.0, 0, None, ""

    def set_meter(self, tokens: int, limit: int | None, end: str = "") -> None:
        self.tokens, self.limit = tokens, limit
        if end:
            self.end = end

    def stop(self, seconds: float | None = None) -> None:
        if self.running:
            self.seconds = seconds if seconds else time.monotonic() - self._t0
        elif seconds is not None:
            self.seconds = seconds
        self.running = False
        self.update_label()

    def update_label(self) -> None:
        secs = time.monotonic() - self._t0 if self.running else self.seconds
        tokens, limit = f"{self.tokens:,}", f"{self.limit:,}" if self.limit else ""
        if self.running:
            if self.tokens and self.limit:
                text = self.tr("Thinking… %1 s · %2 / %3 tokens").replace("%3", limit)
            elif self.tokens:
                text = self.tr("Thinking… %1 s · %2 tokens")
            else:
                text = self.tr("Thinking… %1 s")
        elif secs > 0:
            text = self.tr("Thought for %1 s · %2 tokens") if self.tokens else self.tr("Thought for %1 s")
            why = {"budget": self.tr("(budget reached)"), "loop": self.tr("(loop stopped)"),
                   "unclosed": self.tr("(closed for the answer)")}.get(self.end)
            if why:
                text += " " + why
        else:
            text = self.tr("Reasoning")
        self.toggle.setText(text.replace("%1", f"{secs:.1f}").replace("%2", tokens))
        self.raw_button.setText(self.tr("Raw"))
        self.raw_button.setToolTip(self.tr("Show the reasoning as the model wrote it (Markdown and LaTeX source)"))

    def set_text(self, text: str) -> None:
        self._text = text
        self._show_all()

    def _show_all(self) -> None:
        if self.raw:
            self.view.setPlainText(self._text)
            self.stream.forget()
        else:
            self.stream.set_text(self._text)

    def append(self, text: str) -> None:
        self._text += text
        at_end = self.view.verticalScrollBar().value() >= self.view.verticalScrollBar().maximum() - 4
        if self.raw:
            cur = QTextCursor(self.view.document())
            cur.movePosition(QTextCursor.MoveOperation.End)
            cur.insertText(text)
        else:
            self.stream.update(self._text)
        if at_end:
            self.view.scroll_to_end()

    @property
    def text(self) -> str:
        return self._text
