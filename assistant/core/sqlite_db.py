"""SQLite files the app writes while other threads read them (the history, document collections).

Each thread gets its own connection (a ``sqlite3.Connection`` must not be shared while a transaction is open),
in WAL mode with ``synchronous=FULL``: readers never wait for the writer, and a committed transaction survives a
crash or a power cut. :meth:`Connections.transaction` is one ``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back
whole on any exception (a cancel included).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Connections:
    def __init__(self, path: Path, *, busy_seconds: float = 10.0, row_factory: Any = None,
                 closed_error: Callable[[], Exception] | None = None) -> None:
        self.path = path
        self.busy_seconds = busy_seconds
        self.row_factory = row_factory
        self.closed_error = closed_error or (lambda: sqlite3.ProgrammingError(f"{path} is closed"))
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self.closed = False

    def get(self) -> sqlite3.Connection:
        """This thread's connection (opened on first use)."""
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is not None:
            return conn
        if self.closed:
            raise self.closed_error()
        conn = sqlite3.connect(self.path, timeout=self.busy_seconds, isolation_level=None, check_same_thread=False)
        if self.row_factory is not None:
            conn.row_factory = self.row_factory
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")  # a commit survives a power cut, not only a crash
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_seconds * 1000)}")
        self._local.conn = conn
        with self._lock:
            self._all.append(conn)
        return conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: committed whole, or rolled back whole."""
        conn = self.get()
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def close(self) -> None:
        """Close every thread's connection (call once no thread uses the file any more)."""
        self.closed = True
        with self._lock:
            conns, self._all = self._all, []
        for c in conns:
            try:
                c.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()
