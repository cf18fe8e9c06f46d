"""The conversation: messages in a scroll area, the error banner, the input box with Send/Stop.

Streaming deltas are appended to the active reply's buffers; a timer repaints at most ~30 times a
second, and only that reply. The rest of the conversation is never re-rendered while a reply streams.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QFontInfo, QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from assistant.core.chat.history import StoredMessage
from assistant.core.chat.turn import TurnEvent
from assistant.core.errors import AssistantError
from assistant.ui.common.errors import translated_title
from assistant.ui.common.text_image import text_rasterizer
from assistant.ui.common.widgets import ErrorBanner
from assistant.ui.message.widget import MessageWidget
from assistant.ui.render import maths
from assistant.ui.render.markdown_html import Renderer
from assistant.ui.worker.events import SampleMark, SourcesEvent, ThinkingMeter, VoteEvent

from .composer import ChatInput

REPAINT_MS = 33  # ≤ ~30 repaints a second


class ChatView(QWidget):
    send_requested = Signal(str)
    stop_requested = Signal()
    regenerate_requested = Signal()
    continue_requested = Signal()  # the last reply was cut off: write on from its end
    edit_requested = Signal(int, str)  # message id, new text
    branch_requested = Signal(int)  # a message's version to show (‹ n/m ›): its id
    branch_from_requested = Signal(int)  # a new conversation with the path up to this message
    message_added = Signal(object)  # MessageWidget, as it is made (before it shows a stored message)
    source_requested = Signal(object)  # a reply's source chip was clicked: the passage (dict) to show

    def __init__(self, theme: str = "light", show_reasoning: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.show_reasoning = show_reasoning
        self.renderer = self._renderer(theme)
        self.messages: list[MessageWidget] = []
        self.active: MessageWidget | None = None
        self.busy = False
        self.repaints = 0

        lay = QVBoxLayout(self)
        lay.setContentsMargins(8, 8, 8, 8)
        lay.setSpacing(6)
        self.error_banner = ErrorBanner()
        lay.addWidget(self.error_banner)

        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.column = QWidget()
        self.column_layout = QVBoxLayout(self.column)
        self.column_layout.setContentsMargins(4, 4, 12, 4)
        self.column_layout.setSpacing(10)
        self.empty = QLabel()
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("messageMeta")
        self.column_layout.addWidget(self.empty)
        self.column_layout.addStretch(1)
        self.scroll_area.setWidget(self.column)
        lay.addWidget(self.scroll_area, 1)
        self._stick_to_bottom = True
        self.scroll_area.verticalScrollBar().rangeChanged.connect(self._on_range_changed)
        self.scroll_area.verticalScrollBar().valueChanged.connect(self._on_scrolled)

        row = self.composer_row = QHBoxLayout()
        self.input = ChatInput()
        self.input.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.input.submitted.connect(self._submit)
        row.addWidget(self.input, 1)
        self.send_button = QPushButton()
        self.send_button.setMinimumWidth(84)
        self.send_button.clicked.connect(self._send_or_stop)
        row.addWidget(self.send_button, 0, Qt.AlignmentFlag.AlignBottom)
        lay.addLayout(row)

        self.timer = QTimer(self)
        self.timer.setInterval(REPAINT_MS)
        self.timer.timeout.connect(self._tick)
        self.retranslate()

    # ---- texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.input.setPlaceholderText(self.tr("Type a message. Enter sends, Shift+Enter starts a new line."))
        self.input.setAccessibleName(self.tr("Message"))
        self.send_button.setText(self.tr("Stop") if self.busy else self.tr("Send"))
        self.send_button.setToolTip(self.tr("Stop the reply (Esc)") if self.busy else self.tr("Send (Enter)"))
        self.empty.setText(self.tr("Ask anything, in English or Chinese.\n\nCtrl+N new chat · Ctrl+F search · "
                                   "Esc stop · Ctrl+R regenerate · Ctrl+, settings"))
        self.error_banner.close_button.setToolTip(self.tr("Dismiss"))
        for m in self.messages:
            m.retranslate()

    # ---- input -----------------------------------------------------------------------------------
    def _submit(self) -> None:
        if self.busy:
            return  # Enter while a reply streams does nothing; Esc or Stop stops it
        text = self.input.toPlainText().strip()
        if not text:
            return
        self.input.clear()
        self.send_requested.emit(text)

    def _send_or_stop(self) -> None:
        if self.busy:
            self.stop_requested.emit()
        else:
            self._submit()

    def add_to_composer(self, widget: QWidget) -> None:
        """A control of another part of the chat (the adapters button) at the left of the message box."""
        self.composer_row.insertWidget(0, widget, 0, Qt.AlignmentFlag.AlignBottom)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.retranslate_button()
        self._update_regenerate()

    def retranslate_button(self) -> None:
        self.send_button.setText(self.tr("Stop") if self.busy else self.tr("Send"))
        self.send_button.setToolTip(self.tr("Stop the reply (Esc)") if self.busy else self.tr("Send (Enter)"))

    def show_error(self, exc: AssistantError) -> None:
        self.error_banner.show_error(translated_title(exc), exc.message, exc.hint)

    # ---- messages --------------------------------------------------------------------------------
    def clear(self) -> None:
        self.timer.stop()
        self.active = None
        for m in self.messages:
            self.column_layout.removeWidget(m)
            m.deleteLater()
        self.messages.clear()
        self.empty.setVisible(True)

    def set_messages(self, messages: Sequence[StoredMessage]) -> None:
        self.clear()
        self.column.setUpdatesEnabled(False)
        try:
            for m in messages:
                w = self._add_widget(m.role, m.id)
                w.set_stored(m)
        finally:
            self.column.setUpdatesEnabled(True)
        self._update_regenerate()
        self._stick_to_bottom = True
        QTimer.singleShot(0, self.scroll_to_bottom)

    def _add_widget(self, role: str, message_id: int = 0) -> MessageWidget:
        w = MessageWidget(role, self.renderer, self.theme, message_id)
        w.edit_submitted.connect(self._on_edit)
        w.regenerate_clicked.connect(self.regenerate_requested)
        w.continue_clicked.connect(self.continue_requested)
        w.branch_requested.connect(self._on_branch)
        w.branch_from_clicked.connect(self.branch_from_requested)
        w.source_clicked.connect(self.source_requested)
        self.column_layout.insertWidget(self.column_layout.count() - 1, w)
        self.messages.append(w)
        self.empty.setVisible(False)
        self.message_added.emit(w)
        return w

    def message(self, message_id: int) -> MessageWidget | None:
        """The widget showing message ``message_id``, if it is shown."""
        return next((m for m in self.messages if m.message_id == message_id), None) if message_id else None

    def add_user_message(self, text: str, message_id: int) -> MessageWidget:
        w = self._add_widget("user", message_id)
        w.answer = text
        w.body.setPlainText(text)
        self._stick_to_bottom = True
        self._update_regenerate()
        return w

    def begin_reply(self, model: str, reasoning_model: bool = False,
                    adapters: list[tuple[str, float]] | None = None) -> MessageWidget:
        w = self._add_widget("assistant")
        w.adapters = list(adapters or [])
        w.begin_stream(model, self.show_reasoning, reasoning_model)
        self.active = w
        self._stick_to_bottom = True
        self.timer.start()
        return w

    def begin_continue(self, message_id: int) -> MessageWidget | None:
        """Stream a continuation into the reply that was cut off (the same widget, not a new one)."""
        w = next((m for m in self.messages if m.message_id == message_id), None)
        if w is None:
            return None
        w.begin_continue(self.show_reasoning)
        self.active = w
        self._stick_to_bottom = True
        self.timer.start()
        return w

    def on_delta(self, events: Sequence[TurnEvent]) -> None:
        w = self.active
        if w is None:
            return
        for ev in events:
            if isinstance(ev, SourcesEvent):  # the passages found, before the first token
                w.set_sources(ev.sources, ev.found, ev.collections)
                continue
            # A reply with several samples: they may run together, their events interleaved; each is
            # kept apart and the message shows one of them (never their texts mixed).
            several = (w.strip is not None and not w.continuing) or ev.sample > 0 or isinstance(ev, VoteEvent) \
                or (isinstance(ev, SampleMark) and ev.total > 1)
            if several:
                w.sample_event(ev)
            elif ev.kind in ("reasoning", "answer"):
                w.append(ev.kind, ev.text)
            elif ev.kind == "notice":
                w.set_notice(ev.text)
            elif ev.kind == "rewind":  # a loop was cut out: the text holds the whole reasoning kept
                w.rewind(ev.text)
            elif ev.kind == "thinking_end":
                w.end_thinking(ev.text)
            elif isinstance(ev, ThinkingMeter):
                w.set_meter(ev.tokens, ev.limit)

    def _tick(self) -> None:
        w = self.active
        if w is None:
            self.timer.stop()
            return
        if w.flush():
            self.repaints += 1

    def end_reply(self, status: str, *, answer: str, reasoning: str, stats: tuple[int, float] = (0, 0.0),
                  thinking_seconds: float = 0.0, notice: str = "", message_id: int = 0,
                  finish_reason: str = "", thinking: dict[str, object] | None = None) -> None:
        self.timer.stop()
        w = self.active
        self.active = None
        if w is None:
            return
        if message_id:
            w.message_id = message_id
        w.finish(status, answer=answer, reasoning=reasoning, stats=stats, thinking_seconds=thinking_seconds,
                 notice=notice, finish_reason=finish_reason, thinking=thinking)
        self.repaints += 1
        self._update_regenerate()

    def show_path(self, messages: Sequence[StoredMessage]) -> None:
        """Another branch of the conversation: the messages it shares with the one shown stay as they are, the
        rest is replaced (a long conversation is not rendered again above the branch point)."""
        keep = 0
        while keep < min(len(self.messages), len(messages)) and self.messages[keep].message_id == messages[keep].id:
            keep += 1
        if keep < len(self.messages):
            self.remove_from(self.messages[keep].message_id)
        self.column.setUpdatesEnabled(False)
        try:
            for m in messages[keep:]:
                self._add_widget(m.role, m.id).set_stored(m)
        finally:
            self.column.setUpdatesEnabled(True)
        self._update_regenerate()

    def set_branches(self, branches: dict[int, list[int]]) -> None:
        """Each shown message's versions (history.branches): the ‹ n/m › of those that have some."""
        for m in self.messages:
            m.set_siblings(branches.get(m.message_id, []))

    def _on_branch(self, message_id: int) -> None:
        if not self.busy:
            self.branch_requested.emit(message_id)

    def remove_from(self, message_id: int) -> None:
        """Drop a message and everything after it from the view (edit-and-resend, regenerate)."""
        idx = next((i for i, m in enumerate(self.messages) if m.message_id == message_id), None)
        if idx is None:
            return
        for m in self.messages[idx:]:
            self.column_layout.removeWidget(m)
            m.deleteLater()
        del self.messages[idx:]
        self.empty.setVisible(not self.messages)
        self._update_regenerate()

    def _update_regenerate(self) -> None:
        last_bot = next((m for m in reversed(self.messages) if m.role == "assistant"), None)
        for m in self.messages:
            last = m is last_bot and m is self.messages[-1] and not self.busy
            m.header.regenerate_button.setVisible(last)
            m.header.continue_button.setVisible(last and m.finish_reason == "length" and not m.streaming)
            m.header.edit_button.setEnabled(not self.busy)
            m.header.edit_button.setVisible(m.role == "user" or not m.streaming)
            m.header.navigator.setEnabled(not self.busy)
            m.header.more_button.setEnabled(not self.busy and bool(m.message_id))

    def _on_edit(self, message_id: int, text: str) -> None:
        if not self.busy:
            self.edit_requested.emit(message_id, text)

    def set_theme(self, theme: str) -> None:
        self.theme = theme
        self.renderer = self._renderer(theme)
        for m in self.messages:
            m.set_theme(self.renderer, theme)

    def _renderer(self, theme: str) -> Renderer:
        # Formulas are typeset at the text's size and the screen's pixel density (sharp on HiDPI).
        # Qt lines images up by the font's whole-pixel x-height and the line box of its metrics (maths.py).
        font = self.font()
        metrics = QFontMetricsF(font)
        maths.set_text_rasterizer(text_rasterizer(font))  # Chinese in \\text{} drawn with the UI's font
        return Renderer(theme, math_px=QFontInfo(font).pixelSize(), dpr=max(1.0, self.devicePixelRatioF()),
                        x_height=QFontMetrics(font).xHeight(), ascent=metrics.ascent(), descent=metrics.descent())

    # ---- scrolling -------------------------------------------------------------------------------
    def _on_scrolled(self, value: int) -> None:
        sb = self.scroll_area.verticalScrollBar()
        self._stick_to_bottom = value >= sb.maximum() - 24

    def _on_range_changed(self, _min: int, _max: int) -> None:
        if self._stick_to_bottom:
            self.scroll_to_bottom()

    def scroll_to_bottom(self) -> None:
        sb = self.scroll_area.verticalScrollBar()
        sb.setValue(sb.maximum())

    def scroll_to_message(self, message_id: int) -> None:
        w = next((m for m in self.messages if m.message_id == message_id), None)
        if w is not None:
            self._stick_to_bottom = False
            QTimer.singleShot(0, lambda: self.scroll_area.ensureWidgetVisible(w, 0, 40))
