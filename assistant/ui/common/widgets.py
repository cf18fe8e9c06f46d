"""Small reusable widgets: a text browser that grows with its content, an error banner, an undo bar, and
the mouse-wheel rule for settings pages."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QMimeData, QObject, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QTextCursor, QTextFormat, QWheelEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class AutoHeightBrowser(QTextBrowser):
    """A read-only rich-text view as tall as its document (up to ``max_height``, then it scrolls).

    Messages sit in one scroll area; each message must not scroll on its own, so its height follows
    the document and wheel events go to the conversation.
    """

    def __init__(self, parent: QWidget | None = None, max_height: int = 0) -> None:
        super().__init__(parent)
        self.max_height = max_height
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setOpenLinks(False)
        self.anchorClicked.connect(_open_link)
        self.setStyleSheet("QTextBrowser { background: transparent; }")
        self.viewport().setAutoFillBackground(False)
        self.document().setDocumentMargin(2)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self.setFixedHeight(self._wanted_height())

    def _wanted_height(self) -> int:
        h = math.ceil(self.document().size().height()) + 2 * self.frameWidth()
        if self.horizontalScrollBar().isVisible():
            h += self.horizontalScrollBar().sizeHint().height()
        return max(h, self.fontMetrics().height() + 6)

    def _fit(self, *_: object) -> None:
        h = self._wanted_height()
        if self.max_height and h > self.max_height:
            h = self.max_height
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        else:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        if h != self.height():
            self.setFixedHeight(h)

    def scroll_to_end(self) -> None:
        sb = self.verticalScrollBar()
        sb.setValue(sb.maximum())

    def createMimeDataFromSelection(self) -> QMimeData:
        """A copied selection holds each formula's LaTeX source (its image's alt text), not a placeholder."""
        made = super().createMimeDataFromSelection()
        cur = self.textCursor()
        if not cur.hasSelection():
            return made
        # Qt's own mime data fills its formats lazily (overwriting a text set on it): a copy is made, with
        # the HTML (rich editors show the formulas) and our plain text; Qt's Markdown and ODF copies would
        # hold placeholders.
        mime = QMimeData()
        if made.hasHtml():
            mime.setHtml(made.html())
        mime.setText(selection_text(cur))
        return mime

    def wheelEvent(self, e: QWheelEvent) -> None:
        if self.verticalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            e.ignore()  # let the conversation scroll
        else:
            super().wheelEvent(e)


def selection_text(cur: QTextCursor) -> str:
    """The plain text of a selection, images given by their alt text (typeset maths: its source)."""
    start, end = cur.selectionStart(), cur.selectionEnd()
    out: list[str] = []
    block = cur.document().findBlock(start)
    first = True
    while block.isValid() and block.position() <= end:
        if not first:
            out.append("\n")
        first = False
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            fs = frag.position()
            s, e = max(fs, start), min(fs + frag.length(), end)
            if s < e:
                fmt = frag.charFormat()
                alt = fmt.property(QTextFormat.Property.ImageAltText) if fmt.isImageFormat() else None
                out.append(str(alt) * (e - s) if alt else frag.text()[s - fs:e - fs])
            it += 1
        block = block.next()
    return "".join(out).replace("\u2028", "\n")


def _open_link(url: QUrl) -> None:
    # Only web links leave the app, and only when the user clicks them.
    if url.scheme() in ("http", "https"):
        QDesktopServices.openUrl(url)


class ErrorBanner(QFrame):
    """A failure explained inside the window: what happened, and what to do."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBanner")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 8, 6, 8)
        text = QVBoxLayout()
        self.title = QLabel(self)
        f = self.title.font()
        f.setBold(True)
        self.title.setFont(f)
        self.message = QLabel(self)
        self.hint = QLabel(self)
        for lbl in (self.title, self.message, self.hint):
            lbl.setWordWrap(True)
            lbl.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.addWidget(lbl)
        lay.addLayout(text, 1)
        self.close_button = QToolButton(self)
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.clicked.connect(self.hide)
        lay.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self.hide()

    def show_error(self, title: str, message: str, hint: str = "") -> None:
        self.title.setText(title)
        self.message.setText(message)
        self.hint.setText(hint)
        self.hint.setVisible(bool(hint))
        self.show()


class UndoBar(QFrame):
    """"Deleted … [Undo]" for a few seconds; ``expired`` fires when the chance to undo is gone."""

    undo = Signal()
    expired = Signal()

    def __init__(self, parent: QWidget | None = None, seconds: float = 12.0) -> None:
        super().__init__(parent)
        self.setObjectName("undoBar")
        lay = QHBoxLayout(self)
        lay.setContentsMargins(8, 4, 4, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.button = QPushButton(self)
        lay.addWidget(self.label, 1)
        lay.addWidget(self.button)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(int(seconds * 1000))
        self.timer.timeout.connect(self._expire)
        self.button.clicked.connect(self._undo)
        self.hide()

    def offer(self, text: str, button: str) -> None:
        self.label.setText(text)
        self.button.setText(button)
        self.show()
        self.timer.start()

    def _undo(self) -> None:
        self.timer.stop()
        self.hide()
        self.undo.emit()

    def _expire(self) -> None:
        self.hide()
        self.expired.emit()


class _WheelGuard(QObject):
    """Spin boxes and combo boxes take the mouse wheel only when they have the focus: scrolling a settings
    page over them must not change a value nobody meant to touch (4096 once became 4093)."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Wheel and isinstance(obj, QWidget) and not obj.hasFocus():
            event.ignore()
            return True
        return False


_wheel_guard: _WheelGuard | None = None


def guard_wheel(root: QWidget) -> None:
    """Apply the wheel rule to every spin box, combo box and slider (not scroll bars) inside ``root``."""
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QSlider

    global _wheel_guard
    if _wheel_guard is None:
        _wheel_guard = _WheelGuard()
    for w in [*root.findChildren(QAbstractSpinBox), *root.findChildren(QComboBox), *root.findChildren(QSlider)]:
        w.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # click or Tab to focus, then the wheel works
        w.installEventFilter(_wheel_guard)
