"""One message in the chat view: its header (header.py), the live "thinking" section (thinking.py),
the samples of a voted reply (samples_strip.py), the Markdown body with the boxed answer and notices, and the
inline editor (a user message: edited and sent again; a reply: its words changed to steer the next turn; both
kept beside the original, which the header's ‹ n/m › walks back to).

While a reply streams, text arrives in :meth:`MessageWidget.append`; :meth:`MessageWidget.flush` (called
by the chat view at most ~30 times a second) gives the new reasoning to the thinking section (which renders
only its unfinished block) and re-renders the answer (finished blocks come from the renderer's cache).
"""

from __future__ import annotations

import time

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core.chat.history import StoredMessage
from assistant.core.chat.postprocess import final_boxed
from assistant.core.chat.sample_stream import TurnEvent
from assistant.ui.common.widgets import AutoHeightBrowser
from assistant.ui.render.markdown_html import Renderer, document_css
from assistant.ui.worker.events import ThinkingMeter, VoteEvent, stored_adapters

from .code_blocks import CodeBlocks
from .header import MessageHeader
from .samples_strip import SamplesStrip
from .sources import SourceChips
from .thinking import ThinkingSection, meter_of

# Replies stored before the vote was worded by the window (the strip says it now, in the UI's language) kept
# the core's English sentences about it among their notices: not shown again.
LEGACY_VOTE_NOTICES = ("Self-consistency: ", "The vote was decided early ")


class MessageWidget(QFrame):
    """A user message or an assistant reply (stored or streaming)."""

    edit_submitted = Signal(int, str)  # message id, new text
    regenerate_clicked = Signal()
    continue_clicked = Signal()  # write on from where a cut-off reply ended
    branch_requested = Signal(int)  # the id of a version of this message to show instead (‹ n/m ›)
    branch_from_clicked = Signal(int)  # this message's id: a new conversation with the path up to it
    source_clicked = Signal(object)  # a source chip's passage (dict): the window opens the viewer there

    def __init__(self, role: str, renderer: Renderer, theme: str, message_id: int = 0,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.message_id = message_id
        self.stats: tuple[int, float] = (0, 0.0)  # completion tokens, tokens/s (shown in the header)
        self._working = ""  # the "Writing…" hint shown until the first text arrives
        self.renderer = renderer
        self.theme = theme
        self.setObjectName("userMessage" if role == "user" else "assistantMessage")
        self.answer = ""
        self.reasoning = ""
        self.status = "done"
        self.model = ""
        self.adapters: list[tuple[str, float]] = []  # LoRA adapters that produced the reply (name, scale)
        self.finish_reason = ""  # "length": cut off at max_tokens (marked, and the last reply offers Continue)
        self.streaming = False
        self._pending_answer = False
        self._pending_reasoning = ""
        self._last_render = 0.0
        self._render_cost = 0.0
        self.render_count = 0  # answer re-renders (tests check that a reply grows in several steps)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(10, 6, 10, 8)
        lay.setSpacing(4)
        self.header = MessageHeader(role, self)
        self.header.copy_clicked.connect(self.copy)
        self.header.edit_clicked.connect(self.begin_edit)
        self.header.regenerate_clicked.connect(self.regenerate_clicked)
        self.header.continue_clicked.connect(self.continue_clicked)
        self.header.navigator.branch_requested.connect(self.branch_requested)
        self.header.branch_from_clicked.connect(lambda: self.branch_from_clicked.emit(self.message_id))
        lay.addWidget(self.header)

        # The samples of a voted reply (created when a reply has several): their states and the vote.
        self.strip: SamplesStrip | None = None
        self._vote: VoteEvent | None = None
        self.continuing = False  # a voted reply's winner being continued: one sample, streamed as usual
        self._show_reasoning = True
        self.thinking = ThinkingSection(theme, renderer, self)
        self.thinking.setVisible(False)
        lay.addWidget(self.thinking)
        self.body = AutoHeightBrowser(self)
        self.body.document().setDefaultStyleSheet(document_css(theme))
        lay.addWidget(self.body)
        # Copy on each code block, Run on Python ones, a run's result under its block (code_blocks.py)
        self.code = CodeBlocks(renderer, theme, self)
        self.code.changed.connect(self._render_answer)
        self.body.anchorClicked.connect(self.code.link_clicked)
        self.boxed_label = QLabel(self)
        self.boxed_label.setObjectName("boxedAnswer")
        self.boxed_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.boxed_label.setWordWrap(True)
        self.boxed_label.setVisible(False)
        lay.addWidget(self.boxed_label)
        # The passages of the user's documents the reply was given, as chips (sources.py); hidden otherwise.
        self.sources = SourceChips(self)
        self.sources.source_clicked.connect(self.source_clicked)
        lay.addWidget(self.sources)
        self.notice = QLabel(self)
        self.notice.setObjectName("messageMeta")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        lay.addWidget(self.notice)

        # Inline editor for edit-and-resend (user messages).
        self.editor = QWidget(self)
        ed = QVBoxLayout(self.editor)
        ed.setContentsMargins(0, 0, 0, 0)
        self.edit_box = QPlainTextEdit(self)
        self.edit_box.setFixedHeight(90)
        ed.addWidget(self.edit_box)
        row = QHBoxLayout()
        ed.addLayout(row)
        row.addStretch(1)
        self.edit_cancel = QPushButton(self)
        self.edit_cancel.clicked.connect(self.end_edit)
        self.edit_send = QPushButton(self)
        self.edit_send.setDefault(True)
        self.edit_send.clicked.connect(self._submit_edit)
        row.addWidget(self.edit_cancel)
        row.addWidget(self.edit_send)
        self.editor.setVisible(False)
        lay.addWidget(self.editor)
        self.retranslate()

    # ---- texts -----------------------------------------------------------------------------------
    def retranslate(self) -> None:
        self.header.retranslate()
        self.edit_cancel.setText(self.tr("Cancel"))
        self.edit_send.setText(self.tr("Send") if self.role == "user" else self.tr("Save"))
        self.thinking.update_label()
        if self.strip is not None:
            self.strip.retranslate()
        if self.sources.isVisibleTo(self):
            self.sources.retranslate()
        self._update_header()
        self._update_boxed()

    def _update_header(self) -> None:
        cut = self.role == "assistant" and self.finish_reason == "length" and not self.streaming
        self.header.set_facts(self.model, self.adapters, self.status, self.stats, cut)

    def _update_boxed(self) -> None:
        boxed = final_boxed(self.answer) if self.role == "assistant" else None
        if boxed is None and self.role == "assistant" and not self.streaming and not self.answer:
            boxed = final_boxed(self.reasoning)
        if boxed is not None and not boxed.strip():
            boxed = None  # an empty \boxed{} is no answer: no empty "Answer:" bar
        self.boxed_label.setVisible(boxed is not None)
        if boxed is not None:
            self.boxed_label.setText(self.tr("Answer: %1").replace("%1", boxed))

    # ---- content ---------------------------------------------------------------------------------
    def set_stored(self, m: StoredMessage) -> None:
        self.message_id = m.id
        self.answer, self.reasoning, self.status, self.model = m.content, m.reasoning, m.status, m.model
        self.adapters = stored_adapters(m.settings)
        self.finish_reason = m.finish_reason or ""
        if self.role == "user":
            self.body.setPlainText(m.content)
        else:
            self.code.load(m.extra.get("runs") if isinstance(m.extra, dict) else None)
            self.code.enabled = True
            self._render_answer()
        if m.reasoning:
            self.thinking.setVisible(True)
            self.thinking.set_text(m.reasoning)
            self.thinking.set_meter(*meter_of(m.extra.get("thinking") if isinstance(m.extra, dict) else None))
            self.thinking.stop(m.thinking_seconds or None)
            self.thinking.set_open(False)
        self.stats = (m.completion_tokens or 0, m.tokens_per_second or 0.0)
        if m.error:
            self.set_notice(m.error)
        notices = m.extra.get("notices") if isinstance(m.extra, dict) else None
        if notices and not m.error:
            self.set_notice("\n".join(str(n) for n in notices if not str(n).startswith(LEGACY_VOTE_NOTICES)))
        docs = m.extra.get("documents") if isinstance(m.extra, dict) else None
        if self.role == "assistant" and isinstance(docs, dict) and isinstance(docs.get("given"), list):
            self.set_sources(docs["given"], bool(docs.get("found", True)), docs.get("collections") or [])
        samples = m.extra.get("samples") if isinstance(m.extra, dict) else None
        if self.role == "assistant" and isinstance(samples, list) and len(samples) > 1:
            vote = m.extra.get("vote")
            chosen = vote.get("chosen") if isinstance(vote, dict) else None
            self._ensure_strip().set_stored(samples, chosen if isinstance(chosen, int) else None)
        self._update_header()
        self._update_boxed()

    def set_siblings(self, siblings: list[int]) -> None:
        """The ids of this message's versions, itself included (one or none: no ‹ n/m ›)."""
        self.header.navigator.set_siblings(siblings, self.message_id)

    def set_sources(self, sources: list[dict[str, object]], found: bool, collections: list[str]) -> None:
        """The passages of the user's documents this reply was given (its chips; the cited ones marked)."""
        from assistant.core.docs.answer import cited_numbers  # not at start-up: the documents core loads numpy

        self.sources.set_sources(sources, found, collections, cited_numbers(self.answer))

    def set_notice(self, text: str) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def begin_stream(self, model: str, show_reasoning: bool, reasoning_model: bool = False) -> None:
        self.streaming = True
        self.code.enabled = False
        self.status = "streaming"
        self.model = model
        self._show_reasoning = show_reasoning
        self._update_header()
        # A sign of work until the first words arrive (the prompt is being read: seconds on a laptop CPU).
        self._working = self.tr("Thinking…") if reasoning_model else self.tr("Writing…")
        self.set_notice(self._working)

    def begin_continue(self, show_reasoning: bool) -> None:
        """Continue: the reply's new text is appended to what it already shows (reasoning or answer)."""
        if self.strip is not None and self.strip.chosen is not None:
            self.show_sample(self.strip.chosen)  # a voted reply goes on from its winner, as one sample
        self.continuing = self.strip is not None
        self.streaming = True
        self.code.enabled = False
        self.status = "streaming"
        self.finish_reason = ""
        self._show_reasoning = show_reasoning
        self._update_header()
        self.header.continue_button.setVisible(False)
        self._working = self.tr("Writing…")
        self.set_notice(self._working)

    # ---- several samples (voting) -----------------------------------------------------------------
    def _ensure_strip(self) -> SamplesStrip:
        if self.strip is None:
            self.strip = SamplesStrip(self)
            self.strip.selected.connect(self.show_sample)
            lay = self.layout()
            assert isinstance(lay, QVBoxLayout)
            lay.insertWidget(lay.indexOf(self.thinking), self.strip)
            if self.streaming:  # what sample 1 wrote before the reply turned out to have several
                self.strip.ensure(1)
                first = self.strip.samples[0]
                first.reasoning, first.answer = self.reasoning, self.answer
                first.state = "writing" if self.answer else "thinking" if self.reasoning else "waiting"
        return self.strip

    def sample_event(self, ev: TurnEvent) -> None:
        """An event of a reply with several samples: kept with its sample; shown if that sample is shown."""
        if isinstance(ev, VoteEvent):
            self._vote = ev
            return
        if ev.kind == "notice":  # the turn's notices as well as a sample's (a loop resampled…)
            self.set_notice(ev.text)
            return
        strip = self._ensure_strip()
        strip.record(ev)
        if ev.sample != strip.shown:
            return
        if ev.kind in ("reasoning", "answer"):
            self.append(ev.kind, ev.text)
        elif ev.kind == "rewind":
            self.rewind(ev.text)
        elif ev.kind == "thinking_end":
            self.end_thinking(ev.text)
        elif isinstance(ev, ThinkingMeter):
            self.set_meter(ev.tokens, ev.limit)
        elif ev.kind == "sample_end" and self.thinking.running:
            self.thinking.stop()

    def show_sample(self, k: int) -> None:
        """Show sample ``k``'s text (live while it is written); the others go on in the strip."""
        strip = self.strip
        if strip is None or not 0 <= k < len(strip.samples):
            return
        strip.set_shown(k)
        s = strip.samples[k]
        self.answer, self.reasoning, self._pending_reasoning = s.answer, s.reasoning, ""
        self._pending_answer = True
        self.thinking.reset()
        self.thinking.set_text(s.reasoning)
        if s.thinking is not None:
            self.thinking.set_meter(*meter_of(s.thinking))
        else:
            self.thinking.set_meter(*s.meter, s.end)
        self.thinking.setVisible(bool(s.reasoning))
        if s.reasoning:
            self.thinking.set_open(self._show_reasoning and self.streaming)
        if s.state == "thinking" and s.think_t0 is not None:
            self.thinking.start(time.monotonic() - s.think_t0)
        elif s.reasoning:
            self.thinking.stop(s.think_seconds or None)
        self.flush(force=True)
        self._update_boxed()

    def append(self, kind: str, text: str) -> None:
        if self._working and text:
            if self.notice.text() == self._working:
                self.set_notice("")
            self._working = ""
        if kind == "reasoning":
            self.reasoning += text
            self._pending_reasoning += text
            if not self.thinking.isVisible():
                self.thinking.setVisible(True)
                self.thinking.set_open(self._show_reasoning)
            if not self.thinking.running and not self.answer:
                self.thinking.start(self.thinking.seconds)  # a continued reasoning adds to its time
        elif kind == "answer":
            if self.thinking.running:
                self.thinking.stop()
            self.answer += text
            self._pending_answer = True

    def rewind(self, reasoning: str) -> None:
        """A loop was cut out of the reasoning: show the reasoning that was kept."""
        self.reasoning, self._pending_reasoning = reasoning, ""
        self.thinking.set_text(reasoning)

    def set_meter(self, tokens: int, limit: int | None) -> None:
        self.thinking.set_meter(tokens, limit)

    def end_thinking(self, why: str) -> None:
        self.thinking.end = why

    def flush(self, force: bool = False) -> bool:
        """Show what arrived since the last flush. Returns True when something was repainted."""
        did = self.strip.refresh() if self.strip is not None else False
        if self._pending_reasoning:
            self.thinking.append(self._pending_reasoning)
            self._pending_reasoning = ""
            did = True
        if self.thinking.running:
            self.thinking.update_label()
        if self._pending_answer:
            # Adaptive: a long reply that takes t ms to lay out is re-rendered at most every ~4t ms.
            now = time.monotonic()
            if force or now - self._last_render >= 3 * self._render_cost:
                self._render_answer()
                self._pending_answer = False
                self._render_cost = time.monotonic() - now
                self._last_render = time.monotonic()
                did = True
        return did

    def _render_answer(self) -> None:
        self.body.setHtml(self.renderer.render(self.answer, self.code.around if self.role == "assistant" else None))
        self.render_count += 1

    def finish(self, status: str, *, answer: str, reasoning: str, stats: tuple[int, float] = (0, 0.0),
               thinking_seconds: float = 0.0, notice: str = "", finish_reason: str = "",
               thinking: dict[str, object] | None = None) -> None:
        """The reply is over: it shows ``answer`` and ``reasoning`` (a voted reply's: the winner's)."""
        self.streaming = False
        self.code.enabled = True  # its code blocks are whole now: Run is offered
        self._pending_answer = True
        if self.strip is not None and self.continuing:
            self.continuing = False
            self.strip.update_chosen(answer, reasoning)
        elif self.strip is not None:
            before = self.strip.shown
            self.strip.finish(self._vote)
            self._vote = None
            if self.strip.shown != before:  # the winner, with its own reasoning, meter and time
                self.show_sample(self.strip.shown)
        self.status = status
        self.finish_reason = finish_reason
        if answer != self.answer or self._pending_answer:
            self.answer = answer
            self._pending_answer = True
        if reasoning != self.reasoning:
            self.reasoning = reasoning
            self.thinking.set_text(reasoning)
            self._pending_reasoning = ""
        self.flush(force=True)
        if thinking:
            self.thinking.set_meter(*meter_of(thinking))
        if reasoning:
            self.thinking.setVisible(True)
            self.thinking.stop(thinking_seconds or None)
        self.set_notice(notice)
        self.stats = stats
        if self.sources.sources:
            from assistant.core.docs.answer import cited_numbers

            self.sources.set_cited(cited_numbers(answer))
        self._update_header()
        self._update_boxed()

    def set_theme(self, renderer: Renderer, theme: str) -> None:
        self.renderer, self.theme = renderer, theme
        self.code.set_theme(renderer, theme)
        for view in (self.body, self.thinking.view):
            view.document().setDefaultStyleSheet(document_css(theme))
        if self.role == "assistant":
            self._render_answer()
        else:
            self.body.setPlainText(self.answer)
        self.thinking.set_renderer(renderer)
        self.thinking.set_text(self.reasoning)

    # ---- actions ---------------------------------------------------------------------------------
    def copy(self) -> None:
        """The message as its Markdown source: formulas as the LaTeX the model wrote, code blocks fenced."""
        mime = QMimeData()
        mime.setText(self.answer)
        mime.setData("text/markdown", self.answer.encode("utf-8"))
        QGuiApplication.clipboard().setMimeData(mime)

    def begin_edit(self) -> None:
        self.edit_box.setPlainText(self.answer)
        self.editor.setVisible(True)
        self.body.setVisible(False)
        self.edit_box.setFocus()

    def end_edit(self) -> None:
        self.editor.setVisible(False)
        self.body.setVisible(True)

    def _submit_edit(self) -> None:
        text = self.edit_box.toPlainText().strip()
        if not text:
            return
        self.end_edit()
        self.edit_submitted.emit(self.message_id, text)
