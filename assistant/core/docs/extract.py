"""From a file to its text, as a stream of contiguous segments (headings, paragraphs, lists, code, tables).

Segments cover the document's text without gaps or overlaps: segment ``i`` starts where ``i-1`` ended, and the
text of a document is the concatenation of its segments' texts. For plain text, Markdown and source code that
text *is* the decoded file, so a chunk's character range points into the file itself; for PDF, DOCX and HTML it
is the extracted text (:func:`document_text` rebuilds it for a viewer). PDF segments carry their page (1-based).

Everything streams: a text file is decoded a block at a time, a PDF read a page at a time, a DOCX's XML parsed
incrementally with its elements dropped as they are used. A problem with a file raises
:class:`FileProblem` with a sentence for the user; callers report it for that file and go on.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import assistant.core.docs.textfile as textfile
from assistant.core.docs.segments import FileProblem, Limits, Segment

# Formats by file extension. Code is read as text and chunked at blank lines.
PDF, DOCX, HTML, MARKDOWN, TEXT, CODE = "pdf", "docx", "html", "markdown", "text", "code"
_EXTENSIONS: dict[str, str] = {
    ".pdf": PDF, ".docx": DOCX, ".html": HTML, ".htm": HTML, ".xhtml": HTML,
    ".md": MARKDOWN, ".markdown": MARKDOWN, ".mdx": MARKDOWN, ".rst": TEXT, ".txt": TEXT, ".text": TEXT,
    ".log": TEXT, ".csv": TEXT, ".tsv": TEXT, ".org": TEXT, ".tex": TEXT, ".srt": TEXT,
}
_CODE_EXTENSIONS = (
    ".py", ".pyi", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".kts", ".scala", ".c", ".h",
    ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".cs", ".go", ".rs", ".rb", ".php", ".swift", ".m", ".mm", ".sh",
    ".bash", ".zsh", ".fish", ".ps1", ".bat", ".lua", ".pl", ".pm", ".r", ".jl", ".dart", ".sql", ".css",
    ".scss", ".less", ".vue", ".svelte", ".json", ".jsonc", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf",
    ".xml", ".gradle", ".cmake", ".mk", ".proto", ".graphql", ".hs", ".ml", ".ex", ".exs", ".erl", ".clj",
    ".el", ".vim", ".zig", ".nim", ".v", ".sv", ".vhd", ".asm", ".s", ".f90", ".dockerfile",
)
_EXTENSIONS.update(dict.fromkeys(_CODE_EXTENSIONS, CODE))
_CODE_NAMES = {"makefile", "dockerfile", "cmakelists.txt", "readme", "license", "copying", "changelog"}


def file_format(path: Path) -> str | None:
    """The format of a file by its name, or None for a file the index does not read."""
    name = path.name.lower()
    fmt = _EXTENSIONS.get(path.suffix.lower())
    if fmt is None and name in _CODE_NAMES:
        return TEXT if name in ("readme", "license", "copying", "changelog") else CODE
    return fmt


class Document:
    """One file being read: its format, and after :meth:`segments` has run, its encoding and pages."""

    def __init__(self, path: Path, fmt: str | None = None, limits: Limits | None = None) -> None:
        self.path = path
        self.format = fmt or file_format(path) or TEXT
        self.limits = limits or Limits()
        self.encoding = ""
        self.pages = 0
        self.chars = 0
        self.truncated = False

    def segments(self) -> Iterator[Segment]:
        if self.format == PDF:
            from assistant.core.docs.formats import pdf_segments

            source: Iterator[Segment] = pdf_segments(self)
        elif self.format == DOCX:
            from assistant.core.docs.formats import docx_segments

            source = docx_segments(self)
        else:
            source = self._text_segments()
        for seg in source:
            if seg.start >= self.limits.max_chars:
                self.truncated = True
                return
            self.chars = seg.end
            yield seg

    def _text_segments(self) -> Iterator[Segment]:
        with open(self.path, "rb") as fh:
            try:
                self.encoding = textfile.detect_encoding(textfile.read_head(fh))
            except textfile.NotTextError as exc:
                raise FileProblem(f"It is not a text file: {exc}.") from None
            blocks = textfile.decoded_blocks(fh, self.encoding)
            if self.format == HTML:
                from assistant.core.docs.formats import html_segments

                yield from html_segments(blocks)
            else:
                yield from LineBlocks(self.format).segments(textfile.lines_of(blocks))


def document_text(path: Path, fmt: str | None = None, limits: Limits | None = None) -> str:
    """The text a document's character ranges point into (for a viewer that highlights a passage)."""
    return "".join(s.text for s in Document(path, fmt, limits).segments())


# ---------------------------------------------------------------------------------------------------
# Plain text, Markdown and code, line by line

_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+\S")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,9}[.)、]|[（(]\d{1,3}[)）])[ \t]+\S")
_TABLE_ROW = re.compile(r"^[ \t]*\|")


class LineBlocks:
    """Groups lines into blocks. Markdown: headings, fenced code, lists, tables, paragraphs. Text: paragraphs
    between blank lines (a list item still starts a list). Code: blocks between blank lines."""

    def __init__(self, fmt: str) -> None:
        self.markdown = fmt == MARKDOWN
        self.code = fmt == CODE
        self.lines: list[str] = []
        self.kind = "paragraph"
        self.level = 0
        self.blank_after = False  # the pending block has ended with a blank line
        self.fence = ""  # the fence that opened the code block we are in
        self.offset = 0
        self.size = 0

    def _emit(self) -> Iterator[Segment]:
        if self.lines:
            text = "".join(self.lines)
            yield Segment(text, self.offset, self.kind, 0, self.level)
            self.offset += len(text)
        self.lines, self.size, self.blank_after, self.level = [], 0, False, 0

    def _start(self, kind: str, line: str, level: int = 0) -> Iterator[Segment]:
        yield from self._emit()
        self.kind, self.level = kind, level
        self._add(line)

    def _add(self, line: str) -> None:
        self.lines.append(line)
        self.size += len(line)

    def segments(self, lines: Iterator[str]) -> Iterator[Segment]:
        for line in lines:
            yield from self._line(line)
            if self.size > textfile.BLOCK_BYTES:  # one huge paragraph: emit it in pieces, memory stays bounded
                yield from self._emit()
        yield from self._emit()

    def _line(self, line: str) -> Iterator[Segment]:
        if self.fence:
            self._add(line)
            if line.strip().startswith(self.fence) and line.strip().strip(self.fence[0]) == "":
                self.fence = ""
                self.blank_after = True  # a closed fence ends its block
            return
        if not line.strip():
            if self.lines:
                self._add(line)
                self.blank_after = True
            else:  # blank lines at the very start belong to a paragraph of their own
                self._add(line)
            return
        if self.code:
            if self.blank_after or not self.lines:
                yield from self._start("code", line)
            else:
                self._add(line)
            return
        if self.markdown:
            heading = _HEADING.match(line)
            if heading:
                yield from self._start("heading", line, len(heading.group(1)))
                self.blank_after = True
                return
            fence = _FENCE.match(line)
            if fence:
                yield from self._start("code", line)
                self.fence = fence.group(1)
                return
            if _TABLE_ROW.match(line):
                if self.kind == "table" and not self.blank_after and self.lines:
                    self._add(line)
                else:
                    yield from self._start("table", line)
                return
        if _LIST_ITEM.match(line):
            if self.kind == "list" and self.lines:
                self._add(line)
            else:
                yield from self._start("list", line)
            return
        continuing = self.lines and not self.blank_after and self.kind in ("paragraph", "list")
        if continuing or (self.kind == "list" and self.lines and line[:1] in " \t"):
            self._add(line)
        else:
            yield from self._start("paragraph", line)
