"""What this machine can do: cores, memory, accelerators."""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=1)
def physical_cores() -> int:
    """Physical cores: llama.cpp decode is memory-bound and slows down on hyper-threads."""
    try:
        import psutil

        n = psutil.cpu_count(logical=False)
        if n:
            return int(n)
    except Exception:  # psutil may be missing or fail inside sandboxes
        pass
    return max(1, (os.cpu_count() or 2) // 2) if (os.cpu_count() or 1) > 2 else (os.cpu_count() or 1)


def default_threads() -> int:
    return max(1, physical_cores())


def total_ram_bytes() -> int:
    try:
        import psutil

        return int(psutil.virtual_memory().total)
    except Exception:
        return 0


def available_ram_bytes() -> int:
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:
        return 0
