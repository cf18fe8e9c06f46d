"""Keeping a collection in step with its files: add folders and files, notice what changed, index it.

A sync walks every source (a folder recursively, or a single file) and for each document:

* size and modification time as stored, no problem last time → unchanged, not even read;
* otherwise its SHA-256 is computed; the same bytes as stored → unchanged (only the times are updated);
* otherwise it is extracted, chunked, embedded and written in one transaction that replaces its old passages;
  if its size or time changed while it was read, that transaction is rolled back and the file is said to have
  changed (the next sync takes it);
* files that are gone from a folder lose their passages; a folder that is missing altogether (an unplugged
  disk) keeps its files until it is back or removed.

Every file ends with a :class:`FileReport` (indexed, unchanged, removed, failed with a sentence saying why);
a bad file never stops the others. Progress is the app's :class:`~assistant.core.progress.Progress` (bytes of
the files being indexed, current file, speed, time left); ``cancel`` stops between batches and rolls back the
file in hand, so a stopped or killed sync resumes where it was.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sqlite3
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from assistant.core.docs.chunking import DEFAULT_OVERLAP, DEFAULT_SIZE, Chunk, Chunker
from assistant.core.docs.embedding import TextEmbedder
from assistant.core.docs.extract import Document, file_format
from assistant.core.docs.segments import FileProblem, Limits
from assistant.core.docs.store import Collection, SourceRow
from assistant.core.docs.terms import index_text
from assistant.core.errors import CancelledError, DocumentsError
from assistant.core.progress import Progress, ProgressCallback

BATCH = 32  # passages embedded and written together
HEADING_ROOM = 32  # tokens kept free in the embedding model's window for a passage's heading path
INDEXED, UNCHANGED, REMOVED, FAILED = "indexed", "unchanged", "removed", "failed"


@dataclass
class FileReport:
    path: str
    status: str  # INDEXED | UNCHANGED | REMOVED | FAILED
    message: str = ""  # why it failed (a sentence for the user), or a note
    chunks: int = 0
    bytes: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "status": self.status, "message": self.message, "chunks": self.chunks,
                "bytes": self.bytes, "seconds": round(self.seconds, 3)}


@dataclass
class SyncReport:
    collection: str
    files: list[FileReport] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # about sources (a folder not found...)
    cancelled: bool = False
    seconds: float = 0.0

    def count(self, status: str) -> int:
        return sum(1 for f in self.files if f.status == status)

    @property
    def failed(self) -> list[FileReport]:
        return [f for f in self.files if f.status == FAILED]

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in (INDEXED, UNCHANGED, REMOVED, FAILED) if self.count(s)]
        chunks = sum(f.chunks for f in self.files if f.status == INDEXED)
        text = f"{self.collection}: " + (", ".join(parts) or "no documents")
        text += f" ({chunks:,} passages written)" if chunks else ""
        return text + (" — stopped" if self.cancelled else "")

    def to_dict(self) -> dict[str, object]:
        return {"collection": self.collection, "files": [f.to_dict() for f in self.files], "notes": self.notes,
                "cancelled": self.cancelled, "seconds": round(self.seconds, 3),
                "counts": {s: self.count(s) for s in (INDEXED, UNCHANGED, REMOVED, FAILED)}}


@dataclass
class Candidate:
    path: Path
    source_id: int
    st: os.stat_result | None  # None: could not be looked at (message says why)
    message: str = ""


def chunk_size_for(embedder: TextEmbedder, wanted: int = DEFAULT_SIZE) -> int:
    """The passage size: what was asked, within what the model reads beside a heading path."""
    return max(16, min(wanted, int(embedder.passage_budget) - HEADING_ROOM))


# ---------------------------------------------------------------------------------------------------
# Finding the files


def _why(exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "It is a symbolic link that loops back on itself."
    if exc.errno == errno.ENOENT:
        return "It is a link to something that does not exist, or it was removed."
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "It cannot be read: permission denied."
    return f"It cannot be read: {exc.strerror or exc}."


def walk(source: SourceRow) -> Iterator[Candidate]:
    """The documents of a source: the file itself, or every file under the folder that has a known format.
    Hidden files and folders are skipped; symbolic links are followed, each real folder once (no loops)."""
    root = Path(source.path)
    if not source.is_dir:
        try:
            yield Candidate(root, source.id, os.stat(root))
        except OSError as exc:
            yield Candidate(root, source.id, None, _why(exc))
        return
    seen_dirs: set[tuple[int, int]] = set()
    seen_files: set[tuple[int, int]] = set()
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in seen_dirs:
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError:
            continue  # an unreadable sub-folder: its files are not seen (a folder has no format to report)
        subdirs = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir():
                    subdirs.append(path)
                    continue
            except OSError:
                pass
            if file_format(path) is None:
                continue
            try:
                st = os.stat(path)
            except OSError as exc:
                yield Candidate(path, source.id, None, _why(exc))
                continue
            key = (st.st_dev, st.st_ino)
            if key in seen_files:
                continue  # the same file through another link
            seen_files.add(key)
            yield Candidate(path, source.id, st)
        stack.extend(reversed(subdirs))


def sha256_of(path: Path, cancel: threading.Event | None = None) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            if cancel is not None and cancel.is_set():
                raise CancelledError()
            block = fh.read(1 << 20)
            if not block:
                return h.hexdigest()
            h.update(block)


# ---------------------------------------------------------------------------------------------------
# Indexing


class Indexer:
    """Syncs one collection with one embedding model."""

    def __init__(self, collection: Collection, embedder: TextEmbedder, *, size: int = DEFAULT_SIZE,
                 overlap: int = DEFAULT_OVERLAP, limits: Limits | None = None,
                 progress: ProgressCallback | None = None, on_file: Callable[[FileReport], None] | None = None,
                 on_start: Callable[[str, int], None] | None = None, cancel: threading.Event | None = None) -> None:
        self.c = collection
        self.embedder = embedder
        self.size = chunk_size_for(embedder, size)
        self.overlap = min(overlap, self.size // 4)
        self.limits = limits or Limits()
        self.progress = progress
        self.on_file = on_file
        self.on_start = on_start  # (path, bytes) of each file read: a window shows that file's own progress
        self.cancel = cancel or threading.Event()
        self._done_bytes = 0
        self._total_bytes = 0
        self._t0 = time.monotonic()
        self._current = ""

    # ---- the whole sync --------------------------------------------------------------------------
    def sync(self, sources: Iterable[SourceRow] | None = None) -> SyncReport:
        report = SyncReport(self.c.name)
        t0 = time.monotonic()
        try:
            self._check_model()
            todo: list[Candidate] = []
            for source in list(sources) if sources is not None else self.c.sources():
                todo += self._scan(source, report)
            self._total_bytes = sum(cand.st.st_size for cand in todo if cand.st is not None)
            self._report(Progress("Indexing", 0.0 if self._total_bytes else None))
            for cand in todo:
                if self.cancel.is_set():
                    raise CancelledError()
                self._record(report, self._one(cand))
        except CancelledError:
            report.cancelled = True
        report.seconds = time.monotonic() - t0
        self._report(Progress("done", 1.0))
        return report

    def _record(self, report: SyncReport, fr: FileReport) -> None:
        report.files.append(fr)
        if self.on_file is not None:
            self.on_file(fr)

    def _scan(self, source: SourceRow, report: SyncReport) -> list[Candidate]:
        """The files to look at in a source; the stored files no longer there are removed here."""
        root = Path(source.path)
        if not root.exists():
            report.notes.append(f"{root} is not there any more: its documents are kept until it is back or "
                                "removed from the collection.")
            return []
        found = list(walk(source))
        present = {str(cand.path) for cand in found}
        for row in self.c.files(source.id):
            if row.path not in present:
                with self.c.write() as c:
                    c.execute("DELETE FROM files WHERE id=?", (row.id,))
                    self.c.bump(c)
                self._record(report, FileReport(row.path, REMOVED, chunks=row.chunks))
        return found

    def _check_model(self) -> None:
        """A collection keeps the model it was indexed with; another model re-embeds its passages first."""
        name = self.c.embedder_name
        if not name:
            with self.c.write() as c:
                self.c.set_meta(c, "embedder", self.embedder.name)
                self.c.set_meta(c, "dim", self.embedder.dim)
                self.c.set_meta(c, "chunk_tokens", self.size)
                self.c.set_meta(c, "overlap_tokens", self.overlap)
        elif name != self.embedder.name:
            self.reembed()

    def reembed(self) -> None:
        """Vectors of every passage from this embedder (after a change of model), a file per transaction."""
        for row in self.c.files():
            rows = self.c.conn().execute("SELECT id, heading, text FROM chunks WHERE file_id=? ORDER BY seq",
                                         (row.id,)).fetchall()
            vectors = []
            for i in range(0, len(rows), BATCH):
                if self.cancel.is_set():
                    raise CancelledError()
                part = rows[i:i + BATCH]
                texts = [f"{h}\n\n{t}" if h else t for _, h, t in part]
                vectors += list(self.embedder.embed(texts))
            with self.c.write() as c:
                c.executemany("UPDATE chunks SET vector=? WHERE id=?",
                              [(np.asarray(v, np.float32).tobytes(), r[0]) for v, r in zip(vectors, rows)])
                self.c.bump(c)
        with self.c.write() as c:
            self.c.set_meta(c, "embedder", self.embedder.name)
            self.c.set_meta(c, "dim", self.embedder.dim)

    # ---- one file --------------------------------------------------------------------------------
    def _one(self, cand: Candidate) -> FileReport:
        t0 = time.monotonic()
        path = str(cand.path)
        old = self.c.file(path)
        if cand.st is None:
            return self._failed(cand, old, cand.message, t0)
        st = cand.st
        if not stat.S_ISREG(st.st_mode):
            return self._failed(cand, old, "It is not a regular file (a device, pipe or socket).", t0)
        if old is not None and not old.problem and old.size == st.st_size and old.mtime_ns == st.st_mtime_ns:
            self._done_bytes += st.st_size
            return FileReport(path, UNCHANGED, chunks=old.chunks, bytes=st.st_size)
        if st.st_size > self.limits.max_file_bytes:
            self._done_bytes += st.st_size
            return self._failed(cand, old, f"It is too large to index ({st.st_size / 2**20:,.0f} MB; the limit is "
                                f"{self.limits.max_file_bytes / 2**20:,.0f} MB).", t0)
        self._current = cand.path.name
        if self.on_start is not None:
            self.on_start(path, st.st_size)
        self._report(Progress("Indexing", None))
        try:
            digest = sha256_of(cand.path, self.cancel)
            if old is not None and not old.problem and old.sha256 == digest:
                with self.c.write() as c:
                    c.execute("UPDATE files SET size=?, mtime_ns=? WHERE id=?", (st.st_size, st.st_mtime_ns, old.id))
                self._done_bytes += st.st_size
                return FileReport(path, UNCHANGED, chunks=old.chunks, bytes=st.st_size)
            n, note = self._index(cand, st, digest)
        except FileProblem as exc:
            self._done_bytes += st.st_size
            return self._failed(cand, old, str(exc), t0)
        except OSError as exc:
            self._done_bytes += st.st_size
            return self._failed(cand, old, _why(exc), t0)
        except (MemoryError, RecursionError) as exc:
            self._done_bytes += st.st_size
            return self._failed(cand, old, f"It is too complex to read ({type(exc).__name__}).", t0)
        return FileReport(path, INDEXED, note, chunks=n, bytes=st.st_size, seconds=time.monotonic() - t0)

    def _failed(self, cand: Candidate, old: object, message: str, t0: float) -> FileReport:
        """A file that cannot be indexed: said, and stored with its problem (its old passages, if any, go:
        they describe a file that is no longer there as it was)."""
        st = cand.st
        with self.c.write() as c:
            fid = self._file_id(c, cand)
            c.execute("DELETE FROM chunks WHERE file_id=?", (fid,))
            c.execute("UPDATE files SET size=?, mtime_ns=?, sha256='', chunks=0, problem=?, indexed_at=?, "
                      "format=? WHERE id=?", (st.st_size if st else 0, st.st_mtime_ns if st else 0, message,
                                              time.time(), file_format(cand.path) or "", fid))
            if old is not None:
                self.c.bump(c)
        return FileReport(str(cand.path), FAILED, message, bytes=st.st_size if st else 0,
                          seconds=time.monotonic() - t0)

    @staticmethod
    def _file_id(c: sqlite3.Connection, cand: Candidate) -> int:
        c.execute("INSERT OR IGNORE INTO files(source_id, path) VALUES (?, ?)", (cand.source_id, str(cand.path)))
        return int(c.execute("SELECT id FROM files WHERE path=?", (str(cand.path),)).fetchone()[0])

    def _index(self, cand: Candidate, st: os.stat_result, digest: str) -> tuple[int, str]:
        doc = Document(cand.path, limits=self.limits)
        chunker = Chunker(self.embedder.count_tokens, self.size, self.overlap)
        seq = 0
        base = self._done_bytes
        with self.c.write() as c:
            fid = self._file_id(c, cand)
            c.execute("DELETE FROM chunks WHERE file_id=?", (fid,))
            batch: list[Chunk] = []
            for chunk in chunker.chunks(doc.segments()):
                batch.append(chunk)
                if len(batch) >= BATCH:
                    seq = self._write_batch(c, fid, batch, seq)
                    batch = []
                    self._file_progress(base, doc, st.st_size)
            seq = self._write_batch(c, fid, batch, seq)
            after = os.stat(cand.path)
            if (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
                raise FileProblem("It changed while it was being read; it will be indexed at the next sync.")
            c.execute("UPDATE files SET source_id=?, format=?, size=?, mtime_ns=?, sha256=?, encoding=?, pages=?, "
                      "chars=?, chunks=?, indexed_at=?, problem='' WHERE id=?",
                      (cand.source_id, doc.format, st.st_size, st.st_mtime_ns, digest, doc.encoding, doc.pages,
                       doc.chars, seq, time.time(), fid))
            self.c.bump(c)
        self._done_bytes = base + st.st_size
        return seq, f"Only its first {self.limits.max_chars:,} characters were indexed." if doc.truncated else ""

    def _write_batch(self, c: sqlite3.Connection, fid: int, batch: list[Chunk], seq: int) -> int:
        if not batch:
            return seq
        if self.cancel.is_set():
            raise CancelledError()
        vectors = np.asarray(self.embedder.embed([ch.embedding_text() for ch in batch]), dtype=np.float32)
        if vectors.shape != (len(batch), self.embedder.dim):
            raise DocumentsError(f"The embedding model returned vectors of shape {vectors.shape}.")
        for ch, vec in zip(batch, vectors):
            cur = c.execute('INSERT INTO chunks(file_id, seq, page, start, "end", heading, text, tokens, vector) '
                          "VALUES (?,?,?,?,?,?,?,?,?)", (fid, seq, ch.page, ch.start, ch.end, ch.heading, ch.text,
                                                         ch.tokens, vec.tobytes()))
            c.execute("INSERT INTO chunks_fts(rowid, terms) VALUES (?, ?)",
                    (cur.lastrowid, index_text(f"{ch.heading}\n{ch.text}")))
            seq += 1
        return seq

    # ---- progress --------------------------------------------------------------------------------
    def _file_progress(self, base: int, doc: Document, size: int) -> None:
        # Characters read stand for bytes read: exact for ASCII text, close enough for a time-left estimate.
        done = base + min(size, doc.chars)
        self._done_bytes = done
        self._report(Progress("Indexing", None))

    def _report(self, p: Progress) -> None:
        if self.progress is None:
            return
        if p.stage != "Indexing":
            self.progress(p)
            return
        elapsed = time.monotonic() - self._t0
        speed = self._done_bytes / elapsed if elapsed > 0 else 0.0
        total = self._total_bytes
        left = (total - self._done_bytes) / speed if speed > 0 and total else None
        fraction = self._done_bytes / total if total else None
        self.progress(Progress("Indexing", fraction, self._current, self._done_bytes, total, speed, left))


def add_paths(collection: Collection, paths: Iterable[Path], embedder: TextEmbedder, **kwargs: Any) -> SyncReport:
    """Add folders and files to a collection and index them (only them: other sources are not synced)."""
    added = []
    for p in paths:
        path = Path(os.path.abspath(Path(p).expanduser()))
        if not path.exists() and not path.is_symlink():
            raise DocumentsError(f"{path} does not exist.", hint="Check the path and try again.")
        sid = collection.add_source(path, path.is_dir())
        added.append(next(s for s in collection.sources() if s.id == sid))
    return Indexer(collection, embedder, **kwargs).sync(added)


def sync_collection(collection: Collection, embedder: TextEmbedder, **kwargs: Any) -> SyncReport:
    """Index what changed in every source of the collection (keywords as :class:`Indexer` takes them)."""
    return Indexer(collection, embedder, **kwargs).sync()


def remove_paths(collection: Collection, paths: Iterable[Path]) -> int:
    """Forget sources (a folder or file that was added); returns how many files left the index."""
    removed = 0
    by_path = {s.path: s for s in collection.sources()}
    for p in paths:
        key = os.path.abspath(Path(p).expanduser())
        source = by_path.get(key)
        if source is None:
            raise DocumentsError(f"{key} is not a source of {collection.name!r}.",
                                 hint="`assistant docs list NAME` shows its folders and files.")
        removed += collection.remove_source(source.id)
    return removed

