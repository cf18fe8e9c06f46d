"""Segments to passages of a stated size in the embedding model's tokens, keeping structure where it fits.

* A heading starts a new passage, and every passage knows the headings it sits under (embedded with it, so a
  passage deep in a section still says what the section is about).
* A paragraph, list, table or code block that fits in the room left is kept whole; one that fits in an empty
  passage starts the next one; only a block larger than a passage is split: prose at sentence ends (Chinese
  。！？ as well as Latin . ! ?, and line breaks), code and tables at line ends, and a single sentence still too
  long at a clause mark or space.
* Consecutive passages of one section overlap by whole sentences of up to ``overlap`` tokens; passages never
  span two PDF pages (each cites one page).
* A passage is a contiguous slice of the document's text: ``text == document_text[start:end]`` (stripped of
  surrounding whitespace), so a viewer highlights exactly what was retrieved.

Token counts are the embedding model's, summed over pieces; a passage can come out a few tokens over ``size``
where pieces join (tokenizers merge across boundaries), which the model's own limit absorbs.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from assistant.core.docs.segments import Segment

DEFAULT_SIZE = 256  # tokens of the embedding model per passage
DEFAULT_OVERLAP = 32  # tokens repeated from the end of the previous passage of the same section
HEADING_PATH_CHARS = 200  # the heading path kept with each passage, at most

_SENTENCE_END = re.compile(
    r"(?:[。！？!?]+|…+|\.{3}|(?<![\d.])\.(?=\s))[”’\"'）)」』】]*[ \t]*(?:\n\s*)?|\n\s*")
_CLAUSE = re.compile(r"[，,；;：:、]\s*|\s+")


@dataclass(frozen=True)
class Chunk:
    text: str
    start: int
    end: int
    page: int
    heading: str  # the headings it sits under, "Guide › Install › Linux"
    tokens: int
    kind: str  # the kind of its first block

    def embedding_text(self) -> str:
        return f"{self.heading}\n\n{self.text}" if self.heading else self.text


@dataclass
class _Piece:
    text: str
    start: int
    tokens: int
    kind: str


def split_units(text: str, kind: str) -> list[str]:
    """Sentences (prose) or lines (code, tables), each with its trailing whitespace; they add up to ``text``."""
    if kind in ("code", "table"):
        return text.splitlines(keepends=True)
    out, pos = [], 0
    for m in _SENTENCE_END.finditer(text):
        if m.end() > pos:
            out.append(text[pos:m.end()])
            pos = m.end()
    if pos < len(text):
        out.append(text[pos:])
    return out


class Chunker:
    def __init__(self, count_tokens: Callable[[str], int], size: int = DEFAULT_SIZE,
                 overlap: int = DEFAULT_OVERLAP) -> None:
        if size < 16 or not 0 <= overlap < size // 2:
            raise ValueError("a passage is at least 16 tokens and overlaps by less than half of it")
        self.count = count_tokens
        self.size, self.overlap = size, overlap
        self.pieces: list[_Piece] = []
        self.used = 0
        self.carried = False  # the pieces are only the overlap carried from the previous passage
        self.page = 0
        self.headings: list[tuple[int, str]] = []
        self.path = ""  # the heading path of the passage being filled

    # ---- the stream ------------------------------------------------------------------------------
    def chunks(self, segments: Iterable[Segment]) -> Iterator[Chunk]:
        for seg in segments:
            if seg.page != self.page:
                yield from self._flush(carry=False, force=True)
                self.page = seg.page
            if seg.kind == "heading":
                yield from self._flush(carry=False)
                title = seg.text.strip().lstrip("#").strip()
                self.headings = [h for h in self.headings if h[0] < seg.level] + [(seg.level, title)]
                if self.pieces:  # headings only, waiting for their text: the passage sits under the new one too
                    self.path = " › ".join(t for _, t in self.headings)[-HEADING_PATH_CHARS:]
                self._add(_Piece(seg.text, seg.start, self.count(seg.text), seg.kind))
                continue
            if not seg.text.strip():
                if self.pieces:  # blank text stays inside the passage, so the slice stays contiguous
                    self.pieces.append(_Piece(seg.text, seg.start, 0, seg.kind))
                continue
            yield from self._block(seg.text, seg.start, seg.kind)
        yield from self._flush(carry=False, force=True)

    def _block(self, text: str, start: int, kind: str) -> Iterator[Chunk]:
        tokens = self.count(text)
        if self.used + tokens <= self.size:
            self._add(_Piece(text, start, tokens, kind))
            return
        if tokens <= self.size:  # kept whole: the next passage starts with it
            yield from self._flush(carry=True)
            if self.used + tokens > self.size and self.carried:
                self._drop_carry()
            if self.used + tokens <= self.size:
                self._add(_Piece(text, start, tokens, kind))
                return
        pos = start
        for unit in split_units(text, kind):
            yield from self._unit(unit, pos, kind)
            pos += len(unit)

    def _unit(self, text: str, start: int, kind: str) -> Iterator[Chunk]:
        tokens = self.count(text)
        if tokens > self.size:
            pos = start
            for part in self._hard_split(text, tokens):
                yield from self._unit(part, pos, kind)
                pos += len(part)
            return
        if self.used + tokens > self.size:
            yield from self._flush(carry=True)
            if self.used + tokens > self.size:
                if self.carried:
                    self._drop_carry()
                else:  # headings alone and a unit that does not fit beside them: they go out on their own
                    yield from self._flush(carry=False, force=True)
        self._add(_Piece(text, start, tokens, kind))

    def _hard_split(self, text: str, tokens: int) -> list[str]:
        """A unit longer than a passage: cut near every ``size`` tokens' worth of characters, at a clause mark or
        a space when there is one in the last fifth."""
        width = max(8, int(len(text) * self.size / tokens * 0.9))
        parts, pos = [], 0
        while len(text) - pos > width:
            cut = pos + width
            best = None
            for m in _CLAUSE.finditer(text, pos + width * 4 // 5, cut):
                best = m.end()
            cut = best if best and best > pos else cut
            parts.append(text[pos:cut])
            pos = cut
        parts.append(text[pos:])
        return parts

    # ---- the passage being filled ----------------------------------------------------------------
    def _add(self, piece: _Piece) -> None:
        if not self.pieces:
            self.path = " › ".join(t for _, t in self.headings)[-HEADING_PATH_CHARS:]
        self.pieces.append(piece)
        self.used += piece.tokens
        self.carried = False

    def _drop_carry(self) -> None:
        self.pieces, self.used, self.carried = [], 0, False

    def _flush(self, carry: bool, force: bool = False) -> Iterator[Chunk]:
        pieces = self.pieces
        if not pieces or (not force and all(p.kind == "heading" for p in pieces)):
            return  # headings alone wait for their first paragraph
        self.pieces, self.used, self.carried = [], 0, False
        raw = "".join(p.text for p in pieces)
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if text:
            start = pieces[0].start + lead
            yield Chunk(text, start, start + len(text), self.page, self.path,
                        sum(p.tokens for p in pieces), pieces[0].kind)
        if carry and self.overlap:
            self._carry(pieces)

    def _carry(self, pieces: list[_Piece]) -> None:
        """Start the next passage with the last sentences (or lines) of this one, up to ``overlap`` tokens."""
        tail: list[_Piece] = []
        budget = self.overlap
        for piece in reversed(pieces):
            if piece.kind == "heading":
                break
            units = split_units(piece.text, piece.kind)
            ends = piece.start + len(piece.text)
            for unit in reversed(units):
                ends -= len(unit)
                # A whole piece's count is known; its sentences' share is estimated by length (not tokenized
                # again: the overlap is a bound, not an exact figure).
                t = 0 if not unit.strip() else piece.tokens if len(units) == 1 else max(
                    1, round(piece.tokens * len(unit) / max(1, len(piece.text))))
                if t > budget:
                    budget = -1
                    break
                budget -= t
                tail.append(_Piece(unit, ends, t, piece.kind))
            if budget < 0:
                break
        tail.reverse()
        while tail and not tail[0].text.strip():
            tail.pop(0)
        for p in tail:
            self._add(p)
        self.carried = bool(tail)
