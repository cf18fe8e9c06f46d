"""A file's problem in the window's language. The index stores why a file could not be read as the core words
it (English, in the collection's database, read back by every front end); the window shows it in the UI
language. Each of the core's sentences is listed here as a template (``%1``, ``%2``: its details — a size, a
page count, a library's own reason — carried over as they are); a sentence not listed is shown unchanged."""

from __future__ import annotations

import functools
import re

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

CONTEXT = "FileProblems"
# The core's sentences (assistant/core/docs), most specific first: the first template that matches is used.
# (QT_TRANSLATE_NOOP returns its text, typed as object: str() for the type checker.)
TEMPLATES: tuple[str, ...] = tuple(str(t) for t in (
    QT_TRANSLATE_NOOP("FileProblems", "It is not a text file: it holds binary data (NUL or control bytes), not text."),
    QT_TRANSLATE_NOOP("FileProblems", "It is not a text file: its bytes are not text in any known encoding."),
    QT_TRANSLATE_NOOP("FileProblems", "It is not a text file: %1."),
    QT_TRANSLATE_NOOP("FileProblems", "It changed while it was being read; it will be indexed at the next sync."),
    QT_TRANSLATE_NOOP("FileProblems", "It is encrypted in a way this app cannot open (%1)."),
    QT_TRANSLATE_NOOP("FileProblems", "It is protected by a password."),
    QT_TRANSLATE_NOOP("FileProblems", "It is not a readable PDF (%1)."),
    QT_TRANSLATE_NOOP("FileProblems", "None of its %1 pages could be read (%2)."),
    QT_TRANSLATE_NOOP("FileProblems", "It would unpack to %1 MB of XML (a zip bomb?); the limit is %2 MB."),
    QT_TRANSLATE_NOOP("FileProblems", "Its XML unpacks to more than %1 MB (a zip bomb?)."),
    QT_TRANSLATE_NOOP("FileProblems", "It is not a valid DOCX file (not a readable zip: %1)."),
    QT_TRANSLATE_NOOP("FileProblems", "It is not a Word document (no word/document.xml inside)."),
    QT_TRANSLATE_NOOP("FileProblems", "Its XML is damaged (%1)."),
    QT_TRANSLATE_NOOP("FileProblems", "It cannot be unpacked (%1)."),
    QT_TRANSLATE_NOOP("FileProblems", "It is a symbolic link that loops back on itself."),
    QT_TRANSLATE_NOOP("FileProblems", "It is a link to something that does not exist, or it was removed."),
    QT_TRANSLATE_NOOP("FileProblems", "It cannot be read: permission denied."),
    QT_TRANSLATE_NOOP("FileProblems", "It cannot be read: %1."),
    QT_TRANSLATE_NOOP("FileProblems", "It is not a regular file (a device, pipe or socket)."),
    QT_TRANSLATE_NOOP("FileProblems", "It is too large to index (%1 MB; the limit is %2 MB)."),
    QT_TRANSLATE_NOOP("FileProblems", "It is too complex to read (%1)."),
    QT_TRANSLATE_NOOP("FileProblems", "Only its first %1 characters were indexed."),
    # a note of the whole job: a folder of the collection is gone
    QT_TRANSLATE_NOOP("FileProblems", "%1 is not there any more: its documents are kept until it is back or removed from the collection."),  # noqa: E501
))


@functools.cache
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(re.sub(r"%\d", "(.*)", re.escape(t)), re.DOTALL), t) for t in TEMPLATES)


def problem_text(message: str) -> str:
    """``message`` (the core's sentence) in the UI language; a sentence not listed unchanged."""
    for pattern, template in _patterns():
        m = pattern.fullmatch(message)
        if m is not None:
            text = QCoreApplication.translate(CONTEXT, template)
            for i, detail in enumerate(m.groups(), 1):
                text = text.replace(f"%{i}", detail)
            return text
    return message
