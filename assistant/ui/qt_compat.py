"""Work-arounds for bugs in the Qt binding, applied when ``assistant.ui`` is imported.

PySide6 6.12 on Python < 3.12 releases a reference to ``None`` at every call of a Python slot (and to
``True``/``False`` in some signal paths) that it never took: code written for Python 3.12, where these
objects are immortal. Each call lowers their reference count by one; after some thousands of signals
(a few minutes of streaming) the count reaches zero and the interpreter aborts ("deallocating None").
Measured here with PySide6-Essentials 6.12.0 / Python 3.11.7; 6.11.3 does not have the bug.

The fix does what Python 3.12 does: it makes these three singletons effectively immortal by raising
their reference count far beyond anything a program can release. They are static objects that are
never freed, so a higher count changes nothing else.
"""

from __future__ import annotations

import ctypes
import sys

# Far more releases than any process will ever do, far below the 2**63 limit.
_HEADROOM = 1 << 40
applied = False


def affected(python: tuple[int, int] | None = None, pyside: tuple[int, int] | None = None) -> bool:
    if python is None:
        python = (sys.version_info.major, sys.version_info.minor)
    if pyside is None:
        import PySide6

        pyside = (int(PySide6.__version_info__[0]), int(PySide6.__version_info__[1]))
    return python < (3, 12) and pyside >= (6, 12)


def apply() -> bool:
    """Idempotent. Returns True when the work-around is in effect."""
    global applied
    if applied:
        return True
    if not affected():
        return False
    for obj in (None, True, False):
        # ob_refcnt is the first field of every PyObject (CPython).
        ctypes.c_ssize_t.from_address(id(obj)).value += _HEADROOM
    applied = True
    return True
