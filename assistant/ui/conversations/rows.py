"""How the sidebar draws a row: the title, its last-updated date on the right in a muted colour, and for a
search result a second line, the snippet with the matched terms highlighted."""

from __future__ import annotations

import html
import math
import re
from collections.abc import Sequence

from PySide6.QtCore import QDateTime, QLocale, QModelIndex, QPersistentModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QAbstractTextDocumentLayout, QColor, QPainter, QPalette, QTextDocument, QTextOption
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from assistant.core.chat.snippets import match_spans

CONV_ID = Qt.ItemDataRole.UserRole
MESSAGE_ID = Qt.ItemDataRole.UserRole + 1
DATE = Qt.ItemDataRole.UserRole + 2  # the short last-updated date shown on the right
TITLE = Qt.ItemDataRole.UserRole + 3  # a search result's title (its display text holds the snippet too)
SNIPPET_HTML = Qt.ItemDataRole.UserRole + 4  # a search result's second line, rich text
TERMS = Qt.ItemDataRole.UserRole + 5  # the search terms, highlighted in the title too

# Dark text on amber reads on the light and the dark theme, and on a selected (highlighted) row.
HIT_OPEN = '<b style="background-color:#fcd34d; color:#111111;">'
HIT_CLOSE = "</b>"
PAD_X, PAD_Y, GAP = 6, 4, 8

Index = QModelIndex | QPersistentModelIndex


def highlight_html(text: str, terms: Sequence[str]) -> str:
    """``text`` as HTML with every (case-insensitive) occurrence of a term wrapped in the highlight."""
    out: list[str] = []
    pos = 0
    for start, end in match_spans(text, terms):
        out += [html.escape(text[pos:start]), HIT_OPEN, html.escape(text[start:end]), HIT_CLOSE]
        pos = end
    out.append(html.escape(text[pos:]))
    return "".join(out)


def month_day_format(locale: QLocale) -> str:
    """The locale's long date without weekday or year, short month name: "Nov 3", "3 Nov", "11月3日"."""
    fmt = locale.dateFormat(QLocale.FormatType.LongFormat)
    fmt = re.sub(r"d{4}[,.\s]*", "", fmt)  # the weekday
    fmt = re.sub(r"(?:\s*'[^']*')?[,.\s]*y+(?:年|년|\.)?\s*", " ", fmt)  # the year (and "de", "年")
    fmt = fmt.replace("MMMM", "MMM").strip(" ,")
    return fmt or locale.dateFormat(QLocale.FormatType.ShortFormat)


def short_date(timestamp: float, locale: QLocale | None = None, now: QDateTime | None = None) -> str:
    """Today: the time; this year: day and month; before: the full short date (in ``locale``'s way)."""
    loc = locale if locale is not None else QLocale()
    when = QDateTime.fromMSecsSinceEpoch(int(timestamp * 1000))
    today = (now if now is not None else QDateTime.currentDateTime()).date()
    if when.date() == today:
        return loc.toString(when.time(), QLocale.FormatType.ShortFormat)
    if when.date().year() == today.year():
        return loc.toString(when.date(), month_day_format(loc))
    return loc.toString(when.date(), QLocale.FormatType.ShortFormat)


def long_date(timestamp: float, locale: QLocale | None = None) -> str:
    loc = locale if locale is not None else QLocale()
    return loc.toString(QDateTime.fromMSecsSinceEpoch(int(timestamp * 1000)), QLocale.FormatType.ShortFormat)


class RowDelegate(QStyledItemDelegate):
    """Paints the rows; renaming keeps the stock line editor (the display text of a plain row is its title)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""  # the style draws background, selection and focus; the text is drawn below
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        color = opt.palette.color(QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = QColor(color)
        muted.setAlphaF(0.65)
        enabled = bool(index.flags() & Qt.ItemFlag.ItemIsEnabled)
        rect = opt.rect.adjusted(PAD_X, PAD_Y, -PAD_X, -PAD_Y)
        fm = opt.fontMetrics
        line = QRect(rect.left(), rect.top(), rect.width(), fm.height())
        date = str(index.data(DATE) or "")
        painter.save()
        painter.setFont(opt.font)
        if date:
            painter.setPen(muted)
            painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, date)
            line.setRight(line.right() - fm.horizontalAdvance(date) - GAP)
        title = str(index.data(TITLE) or index.data(Qt.ItemDataRole.DisplayRole) or "")
        title = fm.elidedText(title, Qt.TextElideMode.ElideRight, max(0, line.width()))
        terms = index.data(TERMS) or []
        if terms:
            self._draw_html(painter, opt, highlight_html(title, terms), line, color, wrap=False)
        else:
            painter.setPen(color if enabled else muted)
            painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, title)
        snippet = index.data(SNIPPET_HTML)
        if snippet:
            below = QRect(rect.left(), line.bottom() + 1 + PAD_Y // 2, rect.width(), rect.bottom() - line.bottom())
            self._draw_html(painter, opt, str(snippet), below, muted, wrap=True)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        h = opt.fontMetrics.height() + 2 * PAD_Y
        snippet = index.data(SNIPPET_HTML)
        if snippet:
            doc = self._document(str(snippet), opt, self._width(opt) - 2 * PAD_X, wrap=True)
            h += PAD_Y // 2 + math.ceil(doc.size().height())
        # Narrow on purpose: the list gives each row its full width, and a wide hint adds a scroll bar.
        return QSize(1, h)

    @staticmethod
    def _width(opt: QStyleOptionViewItem) -> int:
        view = opt.widget
        if isinstance(view, QAbstractItemView):
            return int(view.viewport().width())
        return max(opt.rect.width(), 200)

    @staticmethod
    def _document(text: str, opt: QStyleOptionViewItem, width: int, *, wrap: bool) -> QTextDocument:
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(opt.font)
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere if wrap
                           else QTextOption.WrapMode.NoWrap)
        doc.setDefaultTextOption(option)
        doc.setHtml(text)
        doc.setTextWidth(max(1, width) if wrap else -1)
        return doc

    def _draw_html(self, painter: QPainter, opt: QStyleOptionViewItem, text: str, rect: QRect, color: QColor,
                   *, wrap: bool) -> None:
        doc = self._document(text, opt, rect.width(), wrap=wrap)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        ctx.palette.setColor(QPalette.ColorRole.Text, color)
        painter.save()
        top = rect.top() if wrap else rect.top() + (rect.height() - math.ceil(doc.size().height())) // 2
        painter.translate(rect.left(), top)
        painter.setClipRect(QRect(0, rect.top() - top, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()
