"""The source viewer (issue 24): a reply's source chip opens its document at the passage, highlighted and
scrolled into view — a PDF's page text, Markdown rendered, code with its highlighting, anything else as text.

The document is read again on a background job (a large PDF takes seconds). A source's ``start``/``end`` index
the document's extracted text (``extract.document_text``); when the file changed since it was indexed the passage
is looked for by its text, and when it is gone the passage is shown as it was indexed, with a line saying so.
Only the part of a long document around the passage is shown (the page of a PDF)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QColor, QDesktopServices, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from assistant.ui.common.jobs import BackgroundJob
from assistant.ui.common.theme import palette_for
from assistant.ui.render.markdown_html import Renderer, document_css

AROUND = 20_000  # characters of a long document kept on each side of the passage
START, END = "\ue000", "\ue001"  # marks put around the passage before rendering, found and removed after
# Markdown that must stay at the start of its line (a heading's #, a list's -, a fence): the start mark goes after.
_LEADING = re.compile(r"(?:[ \t]*(?:#{1,6}[ \t]+|>[ \t]*|[-*+][ \t]+|\d{1,9}[.)][ \t]+|(?:`{3,}|~{3,})[^\n]*\n))*")
_TRAILING = re.compile(r"(?:\n[ \t]*(?:`{3,}|~{3,})[ \t]*)?\s*\Z")


@dataclass
class Located:
    """What the viewer shows: ``text`` with the passage at ``start:end``."""

    text: str
    start: int
    end: int
    format: str
    page: int = 0
    pages: int = 0
    note: str = ""  # "missing" | "changed" | "part" | ""


def locate(src: dict[str, Any]) -> Located:
    """Read the source's document and find its passage (job thread)."""
    from assistant.core.docs.extract import PDF, Document, file_format
    from assistant.core.docs.segments import FileProblem

    stored = str(src.get("text", ""))
    path = Path(str(src.get("path", "")))
    fmt = str(src.get("format") or file_format(path) or "text")
    as_indexed = Located(stored, 0, len(stored), "text", int(src.get("page") or 0), 0, "missing")
    if not path.is_file():
        return as_indexed
    start, end, page = int(src.get("start", 0)), int(src.get("end", 0)), int(src.get("page") or 0)
    doc = Document(path, fmt)
    kept: list[Any] = []
    try:
        for seg in doc.segments():
            if (seg.page == page) if fmt == PDF and page else (seg.end > start - AROUND and seg.start < end + AROUND):
                kept.append(seg)
    except (FileProblem, OSError):
        return as_indexed
    if not kept:
        return _search(stored, as_indexed, fmt, doc)
    base = kept[0].start
    text = "".join(s.text for s in kept)
    a, b = start - base, end - base
    if not (0 <= a <= b <= len(text)) or text[a:b] != stored:
        i = text.find(stored) if stored else -1
        if i < 0:
            return _search(stored, as_indexed, fmt, doc)
        a, b = i, i + len(stored)
    part = fmt != PDF and (kept[0].start > 0 or doc.chars > kept[-1].end)
    return Located(text, a, b, fmt, page, doc.pages, "part" if part else "")


def _search(stored: str, fallback: Located, fmt: str, doc: Any) -> Located:
    """The file changed since it was indexed: the passage by its text, else as it was indexed."""
    from assistant.core.docs.extract import Document

    try:
        text = "".join(s.text for s in Document(doc.path, fmt).segments())
    except Exception:
        text = ""
    i = text.find(stored) if stored else -1
    if i < 0:
        return Located(fallback.text, 0, len(fallback.text), "text", fallback.page, 0, "changed")
    lo, hi = max(0, i - AROUND), min(len(text), i + len(stored) + AROUND)
    return Located(text[lo:hi], i - lo, i - lo + len(stored), fmt, fallback.page, 0, "part" if lo or hi < len(text)
                   else "")


def code_language(path: str) -> str:
    try:
        from pygments.lexers import get_lexer_for_filename

        aliases = get_lexer_for_filename(Path(path).name).aliases
        return str(aliases[0]) if aliases else ""
    except Exception:
        return ""


def marked(loc: Located) -> str:
    """The text with START/END around the passage, out of the way of line-leading Markdown."""
    a, b = loc.start, loc.end
    if loc.format in ("markdown", "code"):
        m = _LEADING.match(loc.text, a, b)
        a = m.end() if m else a
        t = _TRAILING.search(loc.text[a:b])
        b = a + t.start() if t else b
    b = max(a, b)
    return loc.text[:a] + START + loc.text[a:b] + END + loc.text[b:]


class SourceViewer(QDialog):
    loaded = Signal()  # the document is shown, the passage highlighted

    def __init__(self, source: dict[str, Any], theme: str = "light", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sourceViewer")
        self.source, self.theme = dict(source), theme
        self.located: Located | None = None
        self.highlight: QTextCursor | None = None
        self.resize(760, 620)
        lay = QVBoxLayout(self)
        self.title = QLabel()
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.title.setWordWrap(True)
        lay.addWidget(self.title)
        self.where = QLabel()
        self.where.setObjectName("messageMeta")
        self.where.setWordWrap(True)
        lay.addWidget(self.where)
        self.note = QLabel()
        self.note.setObjectName("contextWarning")
        self.note.setWordWrap(True)
        self.note.setVisible(False)
        lay.addWidget(self.note)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.document().setDefaultStyleSheet(document_css(theme))
        lay.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        self.open_button = QPushButton()
        self.open_button.clicked.connect(self.open_file)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.close)
        row.addWidget(self.open_button)
        row.addWidget(self.close_button)
        lay.addLayout(row)
        self.job = BackgroundJob(lambda _progress, _cancel: locate(self.source), self)
        self.job.done.connect(self.show_located)
        self.job.failed.connect(lambda exc: self.show_located(locate({**self.source, "path": ""})))
        self.retranslate()
        self.view.setPlainText(self.tr("Opening…"))
        self.job.start()

    def retranslate(self) -> None:
        from assistant.ui.message.sources import file_name

        src = self.source
        self.setWindowTitle(self.tr("Source [%1]").replace("%1", str(src.get("n", ""))))
        title = f"[{src.get('n', '')}] {file_name(str(src.get('path', '')))}"
        loc = self.located
        if src.get("page"):
            pages = loc.pages if loc is not None else 0
            title += " · " + (self.tr("page %1 of %2").replace("%1", str(src["page"])).replace("%2", str(pages))
                              if pages else self.tr("page %1").replace("%1", str(src["page"])))
        if src.get("heading"):
            title += " · " + str(src["heading"])
        self.title.setText(title)
        self.where.setText(str(src.get("path", "")) + " · " + self.tr("characters %1–%2").replace(
            "%1", str(src.get("start", ""))).replace("%2", str(src.get("end", ""))))
        notes = {"missing": self.tr("The file is no longer there: this is the passage as it was indexed."),
                 "changed": self.tr("The file changed since it was indexed and the passage is no longer in it: this "
                                    "is the passage as it was indexed. Re-index the collection."),
                 "part": self.tr("A long document: the part around the passage is shown.")}
        self.note.setText(notes.get(loc.note, "") if loc is not None else "")
        self.note.setVisible(bool(loc is not None and loc.note))
        self.open_button.setText(self.tr("Open the file"))
        self.open_button.setEnabled(Path(str(src.get("path", ""))).is_file())
        self.close_button.setText(self.tr("Close"))

    # ---- showing the passage ---------------------------------------------------------------------
    def show_located(self, loc: Located) -> None:
        self.located = loc
        text = marked(loc)
        if loc.format == "markdown":
            self.view.setHtml(Renderer(self.theme).render(text))
        elif loc.format == "code":
            fence = "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))
            self.view.setHtml(Renderer(self.theme).render(f"{fence}{code_language(self.source.get('path', ''))}\n"
                                                          f"{text}\n{fence}"))
        else:
            self.view.setPlainText(text)
        if not self._highlight():  # the marks did not survive rendering (inside a formula): plain text then
            self.view.setPlainText(text)
            self._highlight()
        self.retranslate()
        self.scroll_to_passage()
        self.loaded.emit()

    def _highlight(self) -> bool:
        doc = self.view.document()
        a, b = doc.find(START), doc.find(END)
        if a.isNull() or b.isNull() or b.position() < a.position():
            return False
        b.removeSelectedText()
        a.removeSelectedText()
        cursor = QTextCursor(doc)
        cursor.setPosition(a.position())
        cursor.setPosition(b.position(), QTextCursor.MoveMode.KeepAnchor)
        fmt = QTextCharFormat()
        fmt.setBackground(QColor(palette_for(self.theme).boxed_bg))
        cursor.mergeCharFormat(fmt)
        self.highlight = cursor
        return True

    def passage_text(self) -> str:
        """The text highlighted (what a test compares with the source's passage)."""
        return self.highlight.selectedText().replace("\u2029", "\n") if self.highlight is not None else ""

    def scroll_to_passage(self) -> None:
        if self.highlight is None:
            return
        at = QTextCursor(self.view.document())
        at.setPosition(self.highlight.selectionStart())
        self.view.setTextCursor(at)
        self.view.ensureCursorVisible()
        bar = self.view.verticalScrollBar()
        top = self.view.cursorRect(at).top()
        bar.setValue(bar.value() + top - self.view.viewport().height() // 5)

    def passage_visible(self) -> bool:
        if self.highlight is None:
            return False
        at = QTextCursor(self.view.document())
        at.setPosition(self.highlight.selectionStart())
        return self.view.viewport().rect().contains(self.view.cursorRect(at).center())

    def showEvent(self, e: Any) -> None:
        super().showEvent(e)
        self.scroll_to_passage()  # the layout is final once shown

    def open_file(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.source.get("path", ""))))

    def closeEvent(self, e: Any) -> None:
        self.job.stop(5000)
        super().closeEvent(e)

