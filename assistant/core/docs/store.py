"""One collection of documents in one SQLite file: its sources, files, passages, BM25 terms and vectors.

One database per collection, not one for all: removing a collection is deleting a file (its space comes back at
once, no VACUUM of a shared file); indexing one collection never makes another wait for SQLite's single writer;
a damaged file spoils one collection only; and each collection keeps the embedding model it was indexed with.
Searching several collections queries each and fuses the lists (:mod:`assistant.core.docs.retrieval`).

* WAL with ``synchronous=FULL``: readers (a search) never wait for the indexer, and what was committed survives
  a crash or a power cut. Each file is replaced in one transaction (old passages out, new ones in, its row
  updated), so a kill at any moment leaves every file either as it was or fully indexed, and the next sync goes
  on from there.
* BM25: FTS5 over the terms of :mod:`assistant.core.docs.terms` (Latin words, CJK bigrams), one row per
  passage, kept in step by a trigger when passages are deleted.
* Vectors: float32 BLOBs in the passages table, searched by brute force in numpy over a matrix loaded once and
  reloaded only when the collection changed (a counter in ``meta``). sqlite-vec cannot be used: this Python's
  sqlite3 module (pyenv/python.org builds, and so the packaged app) is built without loadable extensions.
  10,000 passages of 384 dimensions are 15 MB and one matrix-vector product (~1 ms).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.errors import DocumentsError
from assistant.core.sqlite_db import Connections

SCHEMA = [
    # version 1
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE sources (
        id        INTEGER PRIMARY KEY,
        path      TEXT NOT NULL UNIQUE,
        is_dir    INTEGER NOT NULL,
        added_at  REAL NOT NULL
    );
    CREATE TABLE files (
        id          INTEGER PRIMARY KEY,
        source_id   INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        path        TEXT NOT NULL UNIQUE,
        format      TEXT NOT NULL DEFAULT '',
        size        INTEGER NOT NULL DEFAULT 0,
        mtime_ns    INTEGER NOT NULL DEFAULT 0,
        sha256      TEXT NOT NULL DEFAULT '',
        encoding    TEXT NOT NULL DEFAULT '',
        pages       INTEGER NOT NULL DEFAULT 0,
        chars       INTEGER NOT NULL DEFAULT 0,
        chunks      INTEGER NOT NULL DEFAULT 0,
        indexed_at  REAL NOT NULL DEFAULT 0,
        problem     TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE chunks (
        id       INTEGER PRIMARY KEY,
        file_id  INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
        seq      INTEGER NOT NULL,
        page     INTEGER NOT NULL DEFAULT 0,
        start    INTEGER NOT NULL,
        "end"    INTEGER NOT NULL,
        heading  TEXT NOT NULL DEFAULT '',
        text     TEXT NOT NULL,
        tokens   INTEGER NOT NULL DEFAULT 0,
        vector   BLOB
    );
    CREATE INDEX chunks_by_file ON chunks(file_id, seq);
    CREATE VIRTUAL TABLE chunks_fts USING fts5(terms, tokenize='porter unicode61 remove_diacritics 2');
    CREATE TRIGGER chunks_fts_ad AFTER DELETE ON chunks BEGIN
        DELETE FROM chunks_fts WHERE rowid = old.id;
    END;
    """,
]


@dataclass
class FileRow:
    id: int
    source_id: int
    path: str
    format: str
    size: int
    mtime_ns: int
    sha256: str
    encoding: str
    pages: int
    chars: int
    chunks: int
    indexed_at: float
    problem: str


@dataclass
class SourceRow:
    id: int
    path: str
    is_dir: bool
    added_at: float


@dataclass
class Hit:
    """A passage found in a collection, with where it is."""

    chunk_id: int
    collection: str
    path: str
    page: int
    start: int
    end: int
    heading: str
    text: str
    format: str = ""


class Collection:
    """A collection's database. Safe to share between threads: each thread gets its own connection."""

    def __init__(self, path: Path, name: str = "", *, create: bool = False) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise DocumentsError(f"There is no collection database at {self.path}.")
        self._db = Connections(self.path, busy_seconds=30.0,
                               closed_error=lambda: DocumentsError(f"The collection {self.path.name} is closed."))
        self._matrix: tuple[int, np.ndarray, np.ndarray] | None = None  # (generation, ids, vectors)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._upgrade(self.conn())
            if create and name:
                with self.write() as c:
                    c.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('name', ?)", (name,))
                    c.execute("INSERT OR IGNORE INTO meta(key, value) VALUES ('created', ?)", (str(time.time()),))
        except sqlite3.DatabaseError as exc:
            self.close()
            raise DocumentsError(f"The collection index {self.path} cannot be opened: {exc}",
                                 hint="Remove the collection and add its documents again.") from exc
        self.name = self.meta("name") or name or self.path.stem

    # ---- connections -----------------------------------------------------------------------------
    def conn(self) -> sqlite3.Connection:
        return self._db.get()

    def write(self) -> AbstractContextManager[sqlite3.Connection]:
        """One transaction: committed whole, or rolled back whole (an exception, a cancel)."""
        return self._db.transaction()

    def close(self) -> None:
        self._db.close()
        self._matrix = None

    def __enter__(self) -> Collection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _upgrade(self, conn: sqlite3.Connection) -> None:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > len(SCHEMA):
            raise DocumentsError(f"The collection {self.path.name} was written by a newer version of the app.",
                                 hint="Update the app to use it.")
        for number in range(version, len(SCHEMA)):
            # One transaction per step, the version bumped inside it.
            conn.executescript(f"BEGIN IMMEDIATE;\n{SCHEMA[number]}\nPRAGMA user_version = {number + 1};\nCOMMIT;")

    # ---- meta ------------------------------------------------------------------------------------
    def meta(self, key: str, default: str = "") -> str:
        row = self.conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return str(row[0]) if row else default

    @staticmethod
    def set_meta(c: sqlite3.Connection, key: str, value: object) -> None:
        c.execute("INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value=excluded.value",
                  (key, str(value)))

    @staticmethod
    def bump(c: sqlite3.Connection) -> None:
        """Say that passages changed (the vector matrix is reloaded on the next search)."""
        c.execute("INSERT INTO meta(key, value) VALUES ('generation', '1') "
                  "ON CONFLICT(key) DO UPDATE SET value = CAST(value AS INTEGER) + 1")

    @property
    def generation(self) -> int:
        return int(self.meta("generation", "0") or 0)

    @property
    def embedder_name(self) -> str:
        return self.meta("embedder")

    # ---- sources and files -----------------------------------------------------------------------
    def sources(self) -> list[SourceRow]:
        rows = self.conn().execute("SELECT id, path, is_dir, added_at FROM sources ORDER BY id")
        return [SourceRow(int(r[0]), r[1], bool(r[2]), float(r[3])) for r in rows]

    def add_source(self, path: Path, is_dir: bool) -> int:
        with self.write() as c:
            c.execute("INSERT OR IGNORE INTO sources(path, is_dir, added_at) VALUES (?, ?, ?)",
                      (str(path), int(is_dir), time.time()))
            row = c.execute("SELECT id FROM sources WHERE path=?", (str(path),)).fetchone()
        return int(row[0])

    def remove_source(self, source_id: int) -> int:
        """Forget a source and every file found through it; returns the files removed."""
        with self.write() as c:
            n = c.execute("SELECT COUNT(*) FROM files WHERE source_id=?", (source_id,)).fetchone()[0]
            c.execute("DELETE FROM sources WHERE id=?", (source_id,))
            self.bump(c)
        return int(n)

    def files(self, source_id: int | None = None) -> list[FileRow]:
        cols = ", ".join(FileRow.__dataclass_fields__)
        if source_id is None:
            rows = self.conn().execute(f"SELECT {cols} FROM files ORDER BY path")
        else:
            rows = self.conn().execute(f"SELECT {cols} FROM files WHERE source_id=? ORDER BY path", (source_id,))
        return [FileRow(*r) for r in rows]

    def file(self, path: str) -> FileRow | None:
        cols = ", ".join(FileRow.__dataclass_fields__)
        row = self.conn().execute(f"SELECT {cols} FROM files WHERE path=?", (path,)).fetchone()
        return FileRow(*row) if row else None

    def stats(self) -> dict[str, Any]:
        c = self.conn()
        files, problems, chunks = c.execute(
            "SELECT COUNT(*), COALESCE(SUM(problem != ''), 0), COALESCE(SUM(chunks), 0) FROM files").fetchone()
        return {"name": self.name, "path": str(self.path), "sources": len(self.sources()), "files": int(files),
                "problems": int(problems), "chunks": int(chunks), "embedder": self.embedder_name,
                "chunk_tokens": int(self.meta("chunk_tokens", "0") or 0),
                "bytes": self.path.stat().st_size if self.path.exists() else 0}

    # ---- passages --------------------------------------------------------------------------------
    def hits(self, ids: Sequence[int]) -> dict[int, Hit]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn().execute(
            f'SELECT c.id, f.path, c.page, c.start, c."end", c.heading, c.text, f.format FROM chunks c '
            f"JOIN files f ON f.id = c.file_id WHERE c.id IN ({marks})", tuple(ids))
        return {int(r[0]): Hit(int(r[0]), self.name, r[1], int(r[2]), int(r[3]), int(r[4]), r[5], r[6], r[7])
                for r in rows}

    def bm25(self, match: str, limit: int) -> list[tuple[int, float]]:
        """(passage id, BM25 score; lower is better, as FTS5 gives it), best first."""
        if not match:
            return []
        rows = self.conn().execute(
            "SELECT rowid, bm25(chunks_fts) FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?",
            (match, limit))
        return [(int(r[0]), float(r[1])) for r in rows]

    def vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, matrix) of every passage with a vector; cached until the collection changes."""
        gen = self.generation
        cached = self._matrix
        if cached is not None and cached[0] == gen:
            return cached[1], cached[2]
        rows = self.conn().execute("SELECT id, vector FROM chunks WHERE vector IS NOT NULL ORDER BY id").fetchall()
        if rows:
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            matrix = np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float32).reshape(len(rows), -1)
        else:
            ids, matrix = np.zeros(0, np.int64), np.zeros((0, 0), np.float32)
        self._matrix = (gen, ids, matrix)
        return ids, matrix

    def nearest(self, query: np.ndarray, limit: int) -> list[tuple[int, float]]:
        """(passage id, cosine), best first, by brute force over the normalised vectors."""
        ids, matrix = self.vectors()
        if not len(ids) or matrix.shape[1] != query.shape[-1]:
            return []
        # einsum, not ``matrix @ query``: numpy's OpenBLAS splits a matrix-vector product over every core and
        # its threads spin-wait; on a busy 2-core machine 10,000 x 384 took 12 ms that way vs 1 ms here.
        scores = np.einsum("ij,j->i", matrix, query.astype(np.float32).reshape(-1))
        k = min(limit, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(ids[i]), float(scores[i])) for i in top]

    def integrity(self) -> dict[str, Any]:
        """What a check after a crash looks at: SQLite's own check, and passages, FTS rows and per-file counts
        agreeing."""
        c = self.conn()
        chunks = c.execute("SELECT COUNT(*) FROM chunks").fetchone()[0]
        fts = c.execute("SELECT COUNT(*) FROM chunks_fts").fetchone()[0]
        mismatched = c.execute(
            "SELECT COUNT(*) FROM files f WHERE f.chunks != (SELECT COUNT(*) FROM chunks c WHERE c.file_id = f.id)"
        ).fetchone()[0]
        return {"sqlite": c.execute("PRAGMA integrity_check").fetchone()[0], "chunks": int(chunks),
                "fts_rows": int(fts), "files_mismatched": int(mismatched)}
