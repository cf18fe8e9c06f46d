"""The KV cache of recent conversations, kept so that going back to one restores instead of re-evaluating.

llama.cpp keeps one conversation's tokens in its KV cache. Switching to another conversation (or the API
serving two clients in turn) throws that away, and coming back evaluates the whole earlier conversation
again: 4,000 tokens of R1 are half a minute on a laptop CPU. Before the cache is overwritten, its state
(llama.cpp's sequence state: the K and V of every token, ~28 KiB a token for R1-1.5B) is kept here with
the tokens it holds; a later prompt that shares a longer prefix with a kept state than with the live
cache gets it restored, and only the rest is evaluated.

Kept in memory up to a budget, then on disk in the user's cache folder (bounded, least recently used
evicted first). A state is used only for the model it came from (file identity, context size, cache
types) and only as far as its tokens match the new prompt.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import struct
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

MIN_TOKENS = 256  # shorter conversations are quicker to evaluate than to store
MEMORY_BUDGET = 512 * 2**20
DISK_BUDGET = 2 * 2**30
MAGIC = b"ASKV1\n"


@dataclass
class KeptState:
    tokens: np.ndarray  # int32
    data: bytes | None  # in memory, or None when on disk
    path: Path | None = None
    used: float = 0.0

    @property
    def size(self) -> int:
        return len(self.data) if self.data is not None else 0


def common_prefix(a: np.ndarray, b: np.ndarray) -> int:
    n = min(len(a), len(b))
    if not n:
        return 0
    eq = a[:n] == b[:n]
    return n if bool(eq.all()) else int(np.argmin(eq))


class StateCache:
    """Saved KV states of one loaded model, found by the longest common prefix with a new prompt."""

    def __init__(self, model_key: str, disk_dir: Path | None, memory_budget: int = MEMORY_BUDGET,
                 disk_budget: int = DISK_BUDGET) -> None:
        self.key = hashlib.sha256(model_key.encode()).hexdigest()[:16]
        self.dir = disk_dir / self.key if disk_dir is not None else None
        self.memory_budget, self.disk_budget = memory_budget, disk_budget
        self.entries: OrderedDict[str, KeptState] = OrderedDict()
        self.hits = self.saves = 0
        self._load_index()

    @staticmethod
    def _id(tokens: np.ndarray) -> str:
        return hashlib.sha256(tokens.astype(np.int32).tobytes()).hexdigest()[:24]

    # ---- what is kept -----------------------------------------------------------------------------
    def save(self, tokens: np.ndarray, data: bytes) -> None:
        tokens = np.asarray(tokens, dtype=np.int32).copy()
        if len(tokens) < MIN_TOKENS or not data:
            return
        sid = self._id(tokens)
        # a kept state that is a prefix of this one is superseded by it
        for other_id, other in list(self.entries.items()):
            if len(other.tokens) <= len(tokens) and common_prefix(other.tokens, tokens) == len(other.tokens):
                self._drop(other_id)
        self.entries[sid] = KeptState(tokens, data, used=time.time())
        self.saves += 1
        self._spill()

    def best(self, tokens: np.ndarray, at_least: int) -> tuple[int, bytes, np.ndarray] | None:
        """The kept state sharing the longest prefix with ``tokens``, if longer than ``at_least`` tokens:
        (tokens in common, its data, its tokens)."""
        tokens = np.asarray(tokens, dtype=np.int32)
        found: tuple[int, str] | None = None
        for sid, st in self.entries.items():
            n = common_prefix(st.tokens, tokens)
            if n > at_least and (found is None or n > found[0]):
                found = (n, sid)
        if found is None:
            return None
        n, sid = found
        st = self.entries[sid]
        data = st.data if st.data is not None else self._read(st)
        if data is None:
            self._drop(sid)
            return None
        st.used = time.time()
        self.entries.move_to_end(sid)
        self.hits += 1
        return n, data, st.tokens

    def persist(self) -> int:
        """Write every state still only in memory to disk (the model is about to be unloaded: the next
        load of the same model finds them). Returns how many were written."""
        written = 0
        if self.dir is None:
            return 0
        for sid, st in list(self.entries.items()):
            if st.data is not None and self._write(sid, st):
                st.data = None
                written += 1
        self._trim_disk()
        return written

    # ---- memory, then disk ------------------------------------------------------------------------
    def _spill(self) -> None:
        in_memory = [sid for sid, st in self.entries.items() if st.data is not None]
        total = sum(self.entries[sid].size for sid in in_memory)
        for sid in in_memory:  # least recently used first
            if total <= self.memory_budget:
                break
            st = self.entries[sid]
            total -= st.size
            if self.dir is not None and self._write(sid, st):
                st.data = None
            else:
                self._drop(sid)
        self._trim_disk()

    def _write(self, sid: str, st: KeptState) -> bool:
        assert self.dir is not None and st.data is not None
        path = self.dir / f"{sid}.kv"
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".part")
            with open(tmp, "wb") as fh:
                head = json.dumps({"key": self.key, "n_tokens": len(st.tokens), "bytes": len(st.data)}).encode()
                fh.write(MAGIC + struct.pack("<I", len(head)) + head)
                fh.write(st.tokens.astype("<i4").tobytes())
                fh.write(st.data)
            os.replace(tmp, path)
        except OSError as exc:  # a full disk only costs the saved evaluation
            log.info("could not keep a KV state on disk (%s)", exc)
            with contextlib.suppress(OSError):
                tmp.unlink()
            return False
        st.path = path
        return True

    def _read(self, st: KeptState) -> bytes | None:
        if st.path is None:
            return None
        try:
            with open(st.path, "rb") as fh:
                head = self._head(fh)
                if head is None or head["key"] != self.key or head["n_tokens"] != len(st.tokens):
                    return None
                fh.seek(4 * len(st.tokens), os.SEEK_CUR)
                data = fh.read()
            return data if len(data) == head["bytes"] else None
        except (OSError, ValueError):
            return None

    @staticmethod
    def _head(fh: object) -> dict[str, int | str] | None:
        read = fh.read  # type: ignore[attr-defined]
        if read(len(MAGIC)) != MAGIC:
            return None
        (n,) = struct.unpack("<I", read(4))
        head = json.loads(read(n))
        return head if isinstance(head, dict) else None

    def _load_index(self) -> None:
        """States kept on disk by an earlier session of the same model."""
        if self.dir is None or not self.dir.is_dir():
            return
        files = sorted(self.dir.glob("*.kv"), key=lambda p: p.stat().st_mtime)
        for path in files:
            try:
                with open(path, "rb") as fh:
                    head = self._head(fh)
                    if head is None or head["key"] != self.key:
                        continue
                    tokens = np.frombuffer(fh.read(4 * int(head["n_tokens"])), dtype="<i4").astype(np.int32)
            except (OSError, ValueError, KeyError, struct.error):
                with contextlib.suppress(OSError):
                    path.unlink()
                continue
            self.entries[path.stem] = KeptState(tokens, None, path, path.stat().st_mtime)

    def _trim_disk(self) -> None:
        if self.dir is None:
            return
        on_disk = [(sid, st) for sid, st in self.entries.items() if st.data is None and st.path is not None]
        total = sum(st.path.stat().st_size for _, st in on_disk if st.path and st.path.exists())
        for sid, st in on_disk:
            if total <= self.disk_budget:
                break
            if st.path is not None and st.path.exists():
                total -= st.path.stat().st_size
            self._drop(sid)

    def _drop(self, sid: str) -> None:
        st = self.entries.pop(sid, None)
        if st is not None and st.path is not None:
            with contextlib.suppress(OSError):
                st.path.unlink()
