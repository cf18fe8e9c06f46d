"""What extraction yields and what can stop it: segments of a document's text, a file's problem in a sentence for
the user, the limits that keep one bad file from hurting the rest, and what a format reader needs of the document
being read. Shared by :mod:`extract` (the document, plain text and Markdown) and :mod:`formats` (PDF, DOCX,
HTML), which :mod:`extract` calls."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


class FileProblem(Exception):
    """Why one file cannot be indexed, in a sentence for the user (the file's name is added by the caller)."""


@dataclass(frozen=True)
class Segment:
    text: str  # exactly document_text[start:start + len(text)], trailing blank lines included
    start: int
    kind: str = "paragraph"  # "heading" | "paragraph" | "list" | "code" | "table"
    page: int = 0  # 1-based page of a PDF; 0 where the format has no pages
    level: int = 0  # a heading's level (1 = top)

    @property
    def end(self) -> int:
        return self.start + len(self.text)


@dataclass
class Limits:
    """Bounds that keep one bad file from hurting the rest. A file over ``max_file_bytes`` is not read; a
    DOCX whose XML would unpack to more than ``max_unpacked_bytes`` is a zip bomb; extraction stops after
    ``max_chars`` characters (the rest of the file is said to be left out)."""

    max_file_bytes: int = 256 * 2**20
    max_unpacked_bytes: int = 512 * 2**20
    max_chars: int = 64 * 2**20


class Reading(Protocol):
    """The document a format reader fills in (:class:`assistant.core.docs.extract.Document`)."""

    path: Path
    limits: Limits
    pages: int
