"""Free disk space, checked before anything big is written (downloads, imports, conversions)."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.core.errors import DiskFullError
from assistant.core.units import GiB, MiB

MARGIN = 64 * MiB  # left free beyond what the job needs (and 1 % more for big jobs)


def free_bytes(folder: Path) -> int:
    """Free space where ``folder`` lives (its nearest existing parent)."""
    while not folder.exists() and folder.parent != folder:
        folder = folder.parent
    return shutil.disk_usage(folder).free


def check_free_space(folder: Path, needed: int, what: str,
                     hint: str = "Free some disk space, or choose a folder on another disk.") -> None:
    """Raise DiskFullError, saying how much is needed and free, unless ``needed`` bytes and a margin fit."""
    free = free_bytes(folder)
    want = needed + max(MARGIN, needed // 100)
    if free < want:
        raise DiskFullError(f"{what} needs {want / GiB:.2f} GiB of free space in {folder}, but only "
                            f"{free / GiB:.2f} GiB are free.", hint=hint)
