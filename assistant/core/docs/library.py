"""The collections on this machine: one SQLite file each under ``<data>/documents/``, found by their name.

A collection's name is whatever the user calls it ("手册", "work notes"); its file name is a safe form of it
(letters of any script, digits, ``-_.``) with a short hash when characters had to be replaced, and the real
name is kept inside the database.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import threading
from pathlib import Path

from assistant.core.docs.store import Collection
from assistant.core.errors import DocumentsError
from assistant.core.paths import app_paths

SUFFIX = ".sqlite3"
_UNSAFE = re.compile(r"[^\w.-]+")
MAX_NAME = 64


def documents_dir() -> Path:
    return app_paths().data_dir / "documents"


def _file_name(name: str) -> str:
    safe = _UNSAFE.sub("_", name).strip("._") or "collection"
    if safe != name:
        safe += "-" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return safe + SUFFIX


def check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME or any(ord(ch) < 32 for ch in name) or "/" in name or "\\" in name:
        raise DocumentsError(f"{name!r} cannot name a collection.",
                             hint=f"Use up to {MAX_NAME} characters, without slashes or control characters.")
    return name


def collection_names() -> list[str]:
    """The names of the collections on this machine, sorted."""
    names = []
    folder = documents_dir()
    for path in sorted(folder.glob("*" + SUFFIX)) if folder.is_dir() else []:
        try:
            with Collection(path) as c:
                names.append(c.name)
        except DocumentsError:
            continue
    return sorted(names, key=str.casefold)


def collection_path(name: str) -> Path:
    return documents_dir() / _file_name(check_name(name))


def open_collection(name: str, *, create: bool = False) -> Collection:
    """The collection called ``name``; ``create=True`` makes it when it does not exist yet."""
    path = collection_path(name)
    if not path.is_file() and not create:
        known = collection_names()
        raise DocumentsError(
            f"There is no collection called {name!r}.",
            hint=("Collections here: " + ", ".join(known) + ". " if known else "")
            + "Make one with `assistant docs add NAME PATH...`.")
    return Collection(path, check_name(name), create=create)


_SHARED: dict[Path, Collection] = {}
_SHARED_LOCK = threading.Lock()


def shared_collection(name: str) -> Collection:
    """The collection called ``name``, kept open for the process: searches reuse its connections and its
    vectors already in memory (reloaded only when the collection changed) instead of reading them each time."""
    path = collection_path(name)
    with _SHARED_LOCK:
        c = _SHARED.get(path)
        if c is None or not path.is_file():
            if c is not None:
                c.close()
            c = _SHARED[path] = open_collection(name)
        return c


def _forget_shared(path: Path) -> None:
    with _SHARED_LOCK:
        c = _SHARED.pop(path, None)
    if c is not None:
        c.close()


def remove_collection(name: str) -> Path:
    """Delete a collection's index (the documents themselves are not touched)."""
    path = collection_path(name)
    _forget_shared(path)
    if not path.is_file():
        raise DocumentsError(f"There is no collection called {name!r}.")
    for extra in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(str(path) + extra)
    return path
