"""Reading text files of unknown encoding, a block at a time.

The encoding is decided once from the first 64 KiB: a byte-order mark, then strict UTF-8, then
charset-normalizer (GBK/GB2312 answers become GB18030, their superset, so a rare character later in the
file still decodes). The file is then decoded incrementally in 1 MiB blocks with ``errors="replace"``, so
memory stays bounded whatever the file's size and a stray bad byte costs one character, not the file.
A file whose head has NUL bytes (without a UTF-16/32 mark) or is mostly control characters is not text.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

SNIFF_BYTES = 64 * 1024
BLOCK_BYTES = 1 << 20

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
# charset-normalizer's names for the GB family; GB18030 decodes all of them.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "cp936", "hz"}
_CONTROL_OK = frozenset(b"\t\n\r\f\b\x1b")


class NotTextError(ValueError):
    """The bytes are not text in any encoding this reader knows."""


def _looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    control = sum(1 for b in head if b < 0x20 and b not in _CONTROL_OK)
    return control > max(8, len(head) // 100)


def _utf8_prefix_ok(head: bytes) -> bool:
    """Strict UTF-8, allowing the sample to end inside a character."""
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def detect_encoding(head: bytes) -> str:
    """The encoding of a file from its first bytes; raises :class:`NotTextError` for binary data."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if _looks_binary(head):
        raise NotTextError("it holds binary data (NUL or control bytes), not text")
    if _utf8_prefix_ok(head):
        return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    if best is None:
        # charset-normalizer gives up on some GB18030 text (its four-byte sequences); strict GB18030 that
        # decodes cleanly is taken.
        try:
            codecs.getincrementaldecoder("gb18030")("strict").decode(head, final=False)
        except UnicodeDecodeError:
            raise NotTextError("its bytes are not text in any known encoding") from None
        return "gb18030"
    name = codecs.lookup(best.encoding).name
    return "gb18030" if name in _GB_FAMILY or best.encoding in _GB_FAMILY else name


def read_head(fh: BinaryIO) -> bytes:
    head = fh.read(SNIFF_BYTES)
    fh.seek(0)
    return head


def decoded_blocks(fh: BinaryIO, encoding: str, block: int = BLOCK_BYTES) -> Iterator[str]:
    """The file decoded a block at a time (a character split between blocks is carried over)."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    while True:
        data = fh.read(block)
        if not data:
            tail = decoder.decode(b"", final=True)
            if tail:
                yield tail
            return
        text = decoder.decode(data)
        if text:
            yield text


def lines_of(blocks: Iterator[str], longest: int = BLOCK_BYTES) -> Iterator[str]:
    """Lines with their ends kept (so offsets add up); a line longer than ``longest`` characters comes out in
    pieces, so a file without line breaks never needs more memory than one piece."""
    carry = ""
    for text in blocks:
        carry += text
        start = 0
        while True:
            nl = carry.find("\n", start)
            if nl < 0:
                break
            yield carry[start:nl + 1]
            start = nl + 1
        carry = carry[start:]
        while len(carry) > longest:
            yield carry[:longest]
            carry = carry[longest:]
    if carry:
        yield carry


def read_text(path: Path, limit: int | None = None) -> tuple[str, str]:
    """A whole (small) text file and its encoding: for viewers and tests, not for indexing."""
    with open(path, "rb") as fh:
        enc = detect_encoding(read_head(fh))
        data = fh.read() if limit is None else fh.read(limit)
    return data.decode(enc, errors="replace"), enc
