"""The GGUF file format at its simplest: the magic, the names of llama.cpp's file types, and one metadata
value read from the header without parsing the rest. (Full validation: models/gguf_check.py.)"""

from __future__ import annotations

import os
import struct
from functools import lru_cache
from typing import Any

GGUF_MAGIC = b"GGUF"
MASTER_FILE_TYPES = (0, 1, 32)  # F32, F16, BF16: unquantized, what a conversion writes before quantizing


@lru_cache(maxsize=1)
def file_type_names() -> dict[int, str]:
    """``general.file_type`` -> its name ("Q4_K_M", "F16"...): llama.cpp's llama_ftype, as gguf-py has it."""
    from gguf.constants import LlamaFileType

    return {int(f): f.name.replace("MOSTLY_", "").replace("ALL_", "") for f in LlamaFileType}


def file_type_name(ftype: Any) -> str:
    """The name of a file type id ("type N" for one this table does not know; "" for none)."""
    if ftype is None or ftype == "":
        return ""
    try:
        return file_type_names().get(int(ftype), f"type {ftype}")
    except (TypeError, ValueError):
        return str(ftype)


def read_header_value(path: str | os.PathLike[str], key: str) -> Any:
    """One metadata value from a GGUF header, reading only up to that key (gguf's GGUFReader parses
    every array, which takes seconds on a 150k-token vocabulary)."""
    scalar = {0: "<B", 1: "<b", 2: "<H", 3: "<h", 4: "<I", 5: "<i", 6: "<f", 7: "<?", 10: "<Q", 11: "<q", 12: "<d"}

    with open(path, "rb") as fh:

        def take(fmt: str) -> Any:
            size = struct.calcsize(fmt)
            raw = fh.read(size)
            if len(raw) != size:
                raise ValueError("truncated header")
            return struct.unpack(fmt, raw)[0]

        def string() -> str:
            n = take("<Q")
            if n > 1 << 24:
                raise ValueError("corrupt string length")
            return fh.read(n).decode("utf-8", "replace")

        def value(vtype: int) -> Any:
            if vtype in scalar:
                return take(scalar[vtype])
            if vtype == 8:
                return string()
            if vtype == 9:
                sub, n = take("<I"), take("<Q")
                if sub in scalar:
                    fh.seek(struct.calcsize(scalar[sub]) * n, os.SEEK_CUR)
                else:
                    for _ in range(n):
                        value(sub)
                return None
            raise ValueError(f"unknown value type {vtype}")

        if fh.read(4) != GGUF_MAGIC:
            raise ValueError("not a GGUF file")
        take("<I")  # version
        take("<Q")  # tensor count
        for _ in range(take("<Q")):
            name = string()
            found = value(take("<I"))
            if name == key:
                return found
    return None
