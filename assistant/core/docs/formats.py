"""PDF, DOCX and HTML to segments (see :mod:`assistant.core.docs.extract`).

* PDF through ``pypdf`` (BSD-3-Clause, pure Python), one page at a time; a PDF encrypted with an empty user
  password (permissions only) is opened, one that needs a password is reported. pypdf bounds what a
  compressed stream may unpack to, so a deflate bomb in a PDF fails that file, not the process.
* DOCX with the standard library: a DOCX is a zip of XML, and ``xml.etree``'s pull parser streams
  ``word/document.xml`` while its elements are dropped as they are used. python-docx would pull in lxml
  (~20 MB in the packaged app) and build the whole document tree in memory; the declared and the actual
  unpacked sizes are both capped, so a zip bomb is refused early.
* HTML with the standard library's parser: headings, paragraphs, list items, preformatted code and table rows;
  scripts, styles and navigation are left out. (trafilatura and markitdown each pull in a dozen packages,
  one of them an ONNX runtime, for boilerplate removal that local files rarely need.)
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any
from xml.etree import ElementTree

from assistant.core.docs.segments import FileProblem, Reading, Segment
from assistant.core.docs.textfile import BLOCK_BYTES

# ---------------------------------------------------------------------------------------------------
# PDF


def pdf_segments(doc: Reading) -> Iterator[Segment]:
    import pypdf
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = pypdf.PdfReader(str(doc.path), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except (DependencyError, NotImplementedError) as exc:
                raise FileProblem(f"It is encrypted in a way this app cannot open ({exc}).") from None
            if not opened:
                raise FileProblem("It is protected by a password.")
        n_pages = len(reader.pages)
    except FileProblem:
        raise
    except (PdfReadError, FileNotDecryptedError, OSError, ValueError, KeyError, TypeError, AttributeError,
            IndexError, RecursionError, AssertionError, ZeroDivisionError) as exc:
        # pypdf raises many kinds of error on a damaged file; each means the same thing to the user.
        raise FileProblem(f"It is not a readable PDF ({_reason(exc)}).") from None
    doc.pages = n_pages
    offset = 0
    failed = 0
    last: Exception | None = None
    for number in range(1, n_pages + 1):
        try:
            text = reader.pages[number - 1].extract_text() or ""
        except Exception as exc:  # a damaged page costs that page only; said if all pages fail
            failed += 1
            last = exc
            continue
        for seg in _page_paragraphs(text, offset, number):
            offset = seg.end
            yield seg
    if failed and failed == n_pages and last is not None:
        raise FileProblem(f"None of its {n_pages} pages could be read ({_reason(last)}).")


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text if len(text) < 160 else text[:157] + "…"


_BLANK_LINES = re.compile(r"\n[ \t]*\n\s*")
_RUNS_OF_SPACES = re.compile(r"[ \t]{2,}")


def _page_paragraphs(text: str, offset: int, page: int) -> Iterator[Segment]:
    """A page's text as paragraphs (split at blank lines); the page ends with a blank line of its own."""
    text = _RUNS_OF_SPACES.sub(" ", text).strip("\n") + "\n\n"  # justified lines come out with wide gaps
    if not text.strip():
        return
    pos = 0
    for m in _BLANK_LINES.finditer(text):
        yield Segment(text[pos:m.end()], offset + pos, "paragraph", page)
        pos = m.end()
    if pos < len(text):
        yield Segment(text[pos:], offset + pos, "paragraph", page)


# ---------------------------------------------------------------------------------------------------
# DOCX

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*(\d)$", re.I)
_READ = 64 * 1024


def _member(zf: zipfile.ZipFile, name: str, doc: Reading) -> zipfile.ZipInfo | None:
    try:
        info = zf.getinfo(name)
    except KeyError:
        return None
    limit = doc.limits.max_unpacked_bytes
    if info.file_size > limit or (info.file_size > 32 * 2**20 and info.file_size > 200 * max(1, info.compress_size)):
        raise FileProblem(f"It would unpack to {info.file_size / 2**20:,.0f} MB of XML (a zip bomb?); "
                          f"the limit is {limit / 2**20:,.0f} MB.")
    return info


def _xml_events(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, events: tuple[str, ...]) -> Iterator[
        tuple[str, Any]]:
    """Pull-parse one member, counting the bytes actually unpacked (a forged declared size does not help).
    Yields (event, element) for the "start"/"end" events asked for."""
    parser: ElementTree.XMLPullParser = ElementTree.XMLPullParser(events)  # type: ignore[arg-type]
    total = 0
    with zf.open(info) as fh:
        while True:
            data = fh.read(_READ)
            if not data:
                break
            total += len(data)
            if total > limit:
                raise FileProblem(f"Its XML unpacks to more than {limit / 2**20:,.0f} MB (a zip bomb?).")
            parser.feed(data)
            yield from parser.read_events()  # type: ignore[misc]
    parser.close()
    yield from parser.read_events()  # type: ignore[misc]


def _heading_styles(zf: zipfile.ZipFile, doc: Reading) -> dict[str, int]:
    """styleId -> heading level, from styles.xml (names are "heading N" whatever the UI language)."""
    info = _member(zf, "word/styles.xml", doc)
    if info is None:
        return {}
    levels: dict[str, int] = {}
    for _, el in _xml_events(zf, info, doc.limits.max_unpacked_bytes, ("end",)):
        if el.tag != _W + "style":
            continue
        sid = el.get(_W + "styleId") or ""
        name_el = el.find(_W + "name")
        name = (name_el.get(_W + "val") if name_el is not None else "") or ""
        outline = el.find(f"{_W}pPr/{_W}outlineLvl")
        m = _HEADING_NAME.match(name.strip())
        if name.strip().lower() == "title":
            levels[sid] = 1
        elif m:
            levels[sid] = int(m.group(1))
        elif outline is not None and (outline.get(_W + "val") or "").isdigit():
            levels[sid] = int(outline.get(_W + "val") or 0) + 1
        el.clear()
    return levels


def docx_segments(doc: Reading) -> Iterator[Segment]:
    try:
        zf = zipfile.ZipFile(doc.path)
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise FileProblem(f"It is not a valid DOCX file (not a readable zip: {exc}).") from None
    with zf:
        try:
            info = _member(zf, "word/document.xml", doc)
            if info is None:
                raise FileProblem("It is not a Word document (no word/document.xml inside).")
            styles = _heading_styles(zf, doc)
            yield from _docx_body(zf, info, doc, styles)
        except ElementTree.ParseError as exc:
            raise FileProblem(f"Its XML is damaged ({exc}).") from None
        except (zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError, OSError) as exc:
            raise FileProblem(f"It cannot be unpacked ({_reason(exc)}).") from None


def _docx_body(zf: zipfile.ZipFile, info: zipfile.ZipInfo, doc: Reading, styles: dict[str, int]) -> Iterator[
        Segment]:
    offset = 0
    parts: list[str] = []  # the runs of the paragraph being read
    cell: list[str] = []  # the paragraphs of the table cell being read
    cells: list[str] = []  # the cells of the table row being read
    tables = 0  # nesting depth
    for event, el in _xml_events(zf, info, doc.limits.max_unpacked_bytes, ("start", "end")):
        tag = el.tag
        if event == "start":
            tables += tag == _W + "tbl"
            continue
        seg: Segment | None = None
        if tag == _W + "t":
            parts.append(el.text or "")
        elif tag == _W + "tab":
            parts.append("\t")
        elif tag in (_W + "br", _W + "cr"):
            parts.append("\n")
        elif tag == _W + "p":
            text = "".join(parts).strip()
            parts = []
            if tables and text:
                cell.append(text)
            elif text:
                kind, level = _paragraph_kind(el, styles)
                text = "- " + text if kind == "list" else "#" * level + " " + text if kind == "heading" else text
                seg = Segment(text + "\n\n", offset, kind, 0, level)
        elif tag == _W + "tc" and tables:
            cells.append(" / ".join(cell))
            cell = []
        elif tag == _W + "tr" and tables:
            if any(cells):
                seg = Segment("| " + " | ".join(cells) + " |\n", offset, "table")
            cells = []
        elif tag == _W + "tbl":
            tables -= 1
            if offset:
                seg = Segment("\n", offset, "table")
        if tag in (_W + "p", _W + "tc", _W + "tr", _W + "tbl", _W + "body"):
            el.clear()  # what has been read is dropped: memory stays bounded on a long document
        if seg is not None:
            offset = seg.end
            yield seg


def _paragraph_kind(p: ElementTree.Element, styles: dict[str, int]) -> tuple[str, int]:
    ppr = p.find(_W + "pPr")
    if ppr is None:
        return "paragraph", 0
    style = ppr.find(_W + "pStyle")
    sid = (style.get(_W + "val") if style is not None else "") or ""
    outline = ppr.find(_W + "outlineLvl")
    if sid in styles:
        return "heading", min(6, styles[sid])
    m = _HEADING_NAME.match(sid.replace("Heading", "heading "))
    if m:
        return "heading", min(6, int(m.group(1)))
    if outline is not None and (outline.get(_W + "val") or "").isdigit():
        return "heading", min(6, int(outline.get(_W + "val") or 0) + 1)
    if ppr.find(_W + "numPr") is not None or sid.lower().startswith("list"):
        return "list", 0
    return "paragraph", 0


# ---------------------------------------------------------------------------------------------------
# HTML

_BLOCKS = {"p", "div", "section", "article", "main", "blockquote", "figcaption", "dd", "dt", "address", "form",
           "li", "tr", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "dl", "hr"}
# <title> is left out too: pages repeat it as their first heading.
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "iframe", "object", "canvas", "select", "title"}
_SPACES = re.compile(r"\s+")


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[tuple[str, str, int]] = []  # (kind, text, level) of finished blocks
        self.buf: list[str] = []
        self.kind, self.level = "paragraph", 0
        self.skip = 0
        self.pre = 0
        self.size = 0  # characters in buf
        self.cells: list[str] = []

    def _flush(self) -> None:
        raw = "".join(self.buf)
        self.buf, self.size = [], 0
        text = raw.strip("\n") if self.kind == "code" else _SPACES.sub(" ", raw).strip()
        if text:
            if self.kind == "heading":
                text = "#" * self.level + " " + text
            elif self.kind == "list":
                text = "- " + text
            elif self.kind == "code":
                text = "```\n" + text + "\n```"
            self.out.append((self.kind, text, self.level))
        self.kind, self.level = "paragraph", 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
            return
        if tag in _BLOCKS or tag == "br":
            if tag == "br":
                self.buf.append("\n" if self.pre else " ")
                return
            if tag in ("td", "th"):
                return
            self._flush()
            if tag[0] == "h" and tag[1:].isdigit():
                self.kind, self.level = "heading", int(tag[1])
            elif tag == "li":
                self.kind = "list"
            elif tag == "pre":
                self.kind = "code"
                self.pre += 1
        elif tag in ("td", "th"):
            self.cells.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if tag == "pre":
            self.pre = max(0, self.pre - 1)
        if tag in ("td", "th"):
            cell = _SPACES.sub(" ", "".join(self.buf)).strip()
            self.buf = []
            if self.cells:
                self.cells[-1] = cell
            return
        if tag == "tr":
            if any(self.cells):
                self.buf = ["| " + " | ".join(self.cells) + " |"]
                self.kind = "table"
            self.cells = []
        if tag in _BLOCKS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        self.buf.append(data)
        self.size += len(data)
        if self.size > BLOCK_BYTES and not self.cells:  # one endless block: out in pieces, memory stays bounded
            kind, level = self.kind, self.level
            self._flush()
            self.kind, self.level = kind, level


def html_segments(blocks: Iterator[str]) -> Iterator[Segment]:
    parser = _HtmlText()
    offset = 0

    def drain() -> Iterator[Segment]:
        nonlocal offset
        for kind, text, level in parser.out:
            seg = Segment(text + "\n\n", offset, kind, 0, level)
            offset = seg.end
            yield seg
        parser.out.clear()

    for text in blocks:
        parser.feed(text)
        yield from drain()
    parser.close()
    parser._flush()
    yield from drain()
