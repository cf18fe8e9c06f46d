"""Ctrl+C in the terminal commands: it stops the job at hand (a reply, a conversion, an index) instead of the
program. Its own module so that the subcommands need not import the command line's entry point."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from typing import Any


@contextlib.contextmanager
def sigint_cancels(cancel: threading.Event) -> Iterator[None]:
    """While a reply streams, Ctrl+C stops the reply instead of killing the program."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, frame: Any) -> None:
        cancel.set()

    previous = signal.signal(signal.SIGINT, handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
