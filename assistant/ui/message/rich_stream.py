"""Markdown streamed into a QTextDocument, rendered once per finished block.

A reasoning of thousands of tokens grows a few characters at a time, ~30 times a second. Rendering it whole at
each repaint (Markdown → HTML, then Qt parsing and laying out that HTML) costs time in proportion to its
length, so the total grows with the square of it, and replacing the whole document makes the view jump.
Here the text is cut into top-level blocks (``render.markdown_html.block_spans``); a block followed by another
one is finished and cannot change, so it is converted and put into the document once. Only the block still
being written (the tail) is replaced at each update, inside one edit block (one layout, no flicker). What
the document holds in the end is what ``setHtml(renderer.render(text))`` makes (tested).

Qt merges the first block of inserted HTML into the block at the cursor and drops its format (a heading, a
code block, a paragraph's margins). So each block goes into a new empty block whose format is then set to
the one the HTML gives it; lists and tables, which Qt starts on a block of their own, go in as they are.
"""

from __future__ import annotations

from PySide6.QtGui import (
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
    QTextTable,
)

from assistant.ui.render.markdown_html import Renderer, block_spans


class StreamedDocument:
    """Keeps ``doc`` showing the rendered Markdown of a text that grows at its end."""

    def __init__(self, doc: QTextDocument, renderer: Renderer) -> None:
        self.doc = doc
        self.renderer = renderer
        doc.setUndoRedoEnabled(False)  # edits of a read-only view: nothing to undo, no history to keep
        self.text = ""
        self._done = 0  # offset in text where the tail (the block still open) starts
        self._end = -1  # document position where the finished blocks end (-1: none yet)
        self._tail_shown = False  # the document holds a tail after the finished blocks
        self._tail: str | None = None  # the tail's source as last rendered (None: nothing rendered yet)
        self._stale = False  # someone else wrote into the document: rebuild it at the next update
        self.full_renders = 0  # the whole document rebuilt (set_text, a text that did not just grow)
        self.block_renders = 0  # finished blocks put in
        self.tail_renders = 0  # tails replaced

    def set_text(self, text: str) -> None:
        """Show ``text`` from scratch (a stored message, a new theme, a rewound reasoning)."""
        self.full_renders += 1
        self._stale = False
        self.text, self._done, self._end, self._tail, self._tail_shown = "", 0, -1, None, False
        cursor = QTextCursor(self.doc)
        cursor.beginEditBlock()
        self.doc.clear()
        self._advance(text, cursor)
        cursor.endEditBlock()

    def update(self, text: str) -> bool:
        """Show ``text``, which usually extends the text shown; returns True when the document changed."""
        if self._stale or not text.startswith(self.text[:self._done]):
            self.set_text(text)
            return True
        cursor = QTextCursor(self.doc)
        cursor.beginEditBlock()
        changed = self._advance(text, cursor)
        cursor.endEditBlock()
        return changed

    def forget(self) -> None:
        """The document was given other content (the raw text): the next update rebuilds it."""
        self._stale = True

    def _advance(self, text: str, cursor: QTextCursor) -> bool:
        spans = block_spans(text, self._done)
        self.text = text
        finished, open_ = spans[:-1], spans[-1:]
        tail = text[open_[0][0]:open_[0][1]] if open_ else ""
        if not finished and tail == self._tail:
            return False
        self._cut_tail(cursor)
        if finished:
            html = "".join(self.renderer.render_block(text[s:e]) for s, e in finished)
            self._append(cursor, html)
            self.block_renders += len(finished)
            self._end = self.doc.characterCount() - 1
            self._done = open_[0][0] if open_ else finished[-1][1]
        self._tail = tail
        if tail:
            self._append(cursor, self.renderer.render_block(tail))
            self._tail_shown = True
            self.tail_renders += 1
        return True

    def _cut_tail(self, cursor: QTextCursor) -> None:
        """Remove the tail (and the block break before it)."""
        if not self._tail_shown:
            return
        self._tail_shown = False
        if self._end < 0:
            self.doc.clear()
            return
        last = self.doc.findBlock(self._end)
        block_format, char_format = last.blockFormat(), last.charFormat()
        cursor.setPosition(self._end)
        cursor.movePosition(QTextCursor.MoveOperation.End, QTextCursor.MoveMode.KeepAnchor)
        cursor.removeSelectedText()
        # Qt gives an empty block (a rule, the one after a table) the format of the block merged into it
        cursor.setBlockFormat(block_format)
        cursor.setBlockCharFormat(char_format)

    def _append(self, cursor: QTextCursor, html: str) -> None:
        """Add rendered blocks at the end, each with the format its HTML gives it."""
        source = QTextDocument()
        source.setDefaultStyleSheet(self.doc.defaultStyleSheet())
        source.setDefaultFont(self.doc.defaultFont())
        source.setHtml(html)
        first = source.begin()
        frames = source.rootFrame().childFrames()
        # a table first: Qt starts it after an empty block, which joins the block at the cursor
        table = bool(frames) and isinstance(frames[0], QTextTable) and frames[0].firstPosition() <= 1
        own_block = first.textList() is None and not table
        cursor.movePosition(QTextCursor.MoveOperation.End)
        if (self._end >= 0 or self._tail_shown) and not table:  # else its one (last) block takes it
            cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        at = cursor.position()
        cursor.insertFragment(QTextDocumentFragment(source))
        fix = QTextCursor(self.doc.findBlock(at))
        if own_block:  # the merged first block takes the format its HTML gave it
            fix.setBlockFormat(first.blockFormat())
            fix.setBlockCharFormat(first.charFormat())
        elif not fix.block().text() and fix.block().next().isValid():
            fix.deleteChar()  # a list or a table went in after the empty block made for it: that block goes
