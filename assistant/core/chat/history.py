"""Conversation history in SQLite: durable, searchable in Chinese and English, exportable.

* stdlib ``sqlite3`` in WAL mode with ``synchronous=FULL``: a committed save survives a crash or a power
  cut, and readers (the UI) never wait for the writer (the chat worker).
* Schema changes are append-only named migrations recorded in ``schema_migrations``.
* A reply is written while it streams (status ``streaming``, saved at every checkpoint); a reply that
  was streaming when the app died is marked ``interrupted`` on the next open, with its saved text kept.
* Reasoning is stored apart from the answer, with the model, backend, settings, counts and timings.
* Search: an FTS5 ``trigram`` index finds any substring of 3+ characters in any language. Most Chinese
  words have 2 characters, which a trigram index cannot match, so terms shorter than 3 characters use
  ``LIKE`` on the messages table itself (measured: ``LIKE`` on the FTS table misses them too).
* A conversation is a tree (:mod:`history_tree`): editing a message, editing a reply or regenerating one adds
  a sibling, never deletes; the path shown is remembered per conversation, and switching a branch brings
  back the branch below it as it was last shown. "Branch from here" copies a path into a new conversation.
* Deleting a conversation is soft until :meth:`History.purge_deleted`, which makes undo possible.

Each thread gets its own connection (the worker writes while the UI reads); all are closed by
:meth:`History.close`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict
from enum import Enum
from pathlib import Path
from typing import Any

from assistant.core.chat.history_import import (
    STATUSES,
    adapters_records,
    export_document,
    markdown_document,
    validate_import,
)
from assistant.core.chat.history_records import (
    MSG_COLUMNS,
    PATH_COLUMNS,
    Conversation,
    StoredMessage,
    conversation_from_row,
    message_from_row,
)
from assistant.core.chat.history_search import SearchHit, search_messages
from assistant.core.chat.history_tree import (
    PATH_SQL,
    ancestors,
    choose,
    export_links,
    migrate_message_tree,
    path_ids,
    show_path,
)
from assistant.core.chat.turn import usable_reply
from assistant.core.errors import HistoryError, ImportFormatError
from assistant.core.paths import app_paths
from assistant.core.sqlite_db import Connections

# ---------------------------------------------------------------------------------------------------
# Migrations: (name, SQL or a function run inside the migration's transaction). Applied in list order; append
# only, never edit or reorder an entry that has shipped.

MIGRATIONS: list[tuple[str, str | Callable[[sqlite3.Connection], None]]] = [
    (
        "0001_conversations_messages",
        """
        CREATE TABLE conversations (
            id          INTEGER PRIMARY KEY,
            title       TEXT NOT NULL DEFAULT '',
            created_at  REAL NOT NULL,
            updated_at  REAL NOT NULL,
            model       TEXT NOT NULL DEFAULT '',
            deleted_at  REAL
        );
        CREATE TABLE messages (
            id                  INTEGER PRIMARY KEY,
            conversation_id     INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
            role                TEXT NOT NULL,
            content             TEXT NOT NULL DEFAULT '',
            reasoning           TEXT NOT NULL DEFAULT '',
            boxed               TEXT,
            status              TEXT NOT NULL DEFAULT 'done',
            finish_reason       TEXT,
            error               TEXT,
            model               TEXT NOT NULL DEFAULT '',
            backend             TEXT NOT NULL DEFAULT '',
            settings_json       TEXT NOT NULL DEFAULT '{}',
            prompt_tokens       INTEGER NOT NULL DEFAULT 0,
            completion_tokens   INTEGER NOT NULL DEFAULT 0,
            time_to_first_token REAL NOT NULL DEFAULT 0,
            generation_seconds  REAL NOT NULL DEFAULT 0,
            thinking_seconds    REAL NOT NULL DEFAULT 0,
            created_at          REAL NOT NULL,
            updated_at          REAL NOT NULL,
            superseded_at       REAL,
            extra_json          TEXT NOT NULL DEFAULT '{}'
        );
        CREATE INDEX messages_by_conversation ON messages(conversation_id, id);
        CREATE INDEX conversations_by_update ON conversations(deleted_at, updated_at);
        """,
    ),
    (
        "0002_fts_trigram",
        # A plain (not external-content) FTS table keyed by message id, so rows can be removed by rowid.
        # A streaming reply is indexed once it stops streaming, not at every checkpoint.
        """
        CREATE VIRTUAL TABLE messages_fts USING fts5(content, reasoning, tokenize='trigram');
        CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages WHEN new.status != 'streaming' BEGIN
            INSERT INTO messages_fts(rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
        END;
        CREATE TRIGGER messages_fts_au AFTER UPDATE OF content, reasoning, status ON messages
        WHEN new.status != 'streaming' BEGIN
            DELETE FROM messages_fts WHERE rowid = old.id;
            INSERT INTO messages_fts(rowid, content, reasoning) VALUES (new.id, new.content, new.reasoning);
        END;
        CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
            DELETE FROM messages_fts WHERE rowid = old.id;
        END;
        """,
    ),
    # The LoRA adapters a conversation uses, [{"name": ..., "scale": ...}] (issue 17).
    ("0003_conversation_adapters", "ALTER TABLE conversations ADD COLUMN adapters_json TEXT NOT NULL DEFAULT '[]';"),
    # The conversation's thinking switch (issue 27): 1 reason, 0 answer at once, NULL the model's default.
    ("0006_conversation_thinking", "ALTER TABLE conversations ADD COLUMN thinking INTEGER;"),
    # The document collections a conversation answers from, ["name", ...] (issue 24).
    ("0005_conversation_documents", "ALTER TABLE conversations ADD COLUMN documents_json TEXT NOT NULL DEFAULT '[]';"),
    # Conversations as trees (issue 25): parent ids, the branch last shown under each message; superseded rows
    # become siblings (history_tree.legacy_tree).
    ("0004_message_tree", migrate_message_tree),
]


class Place(Enum):
    END_OF_PATH = "end of the path shown"


class History:
    """The store. Safe to share between threads: each thread uses its own connection."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else app_paths().history_db
        self._db = Connections(self.path, row_factory=sqlite3.Row,
                               closed_error=lambda: HistoryError("The history is closed."))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = self._conn()
            self._migrate(conn)
            # Replies that were streaming when the app died: keep what was saved, say what happened.
            with self._write() as c:
                c.execute("UPDATE messages SET status='interrupted', updated_at=? WHERE status='streaming'",
                          (time.time(),))
        except sqlite3.DatabaseError as exc:
            self.close()
            raise HistoryError(
                f"The conversation history at {self.path} cannot be opened: {exc}",
                hint="If the file is damaged, move it away and restart the app; a new history will be created.",
            ) from exc

    # ---- connections -----------------------------------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        return self._db.get()

    def _write(self) -> AbstractContextManager[sqlite3.Connection]:
        return self._db.transaction()

    def close(self) -> None:
        """Close every thread's connection (call once no thread uses the store any more)."""
        self._db.close()

    def __enter__(self) -> History:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- schema ----------------------------------------------------------------------------------
    def _migrate(self, conn: sqlite3.Connection) -> None:
        conn.execute("CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
        done = {r[0] for r in conn.execute("SELECT name FROM schema_migrations")}
        known = {name for name, _ in MIGRATIONS}
        unknown = done - known
        if unknown:
            raise HistoryError(
                f"The history was written by a newer version of the app (migrations {', '.join(sorted(unknown))}).",
                hint="Update the app to open this history.",
            )
        for name, step in MIGRATIONS:
            if name in done:
                continue
            if callable(step):
                self._migrate_step(conn, name, step)
                continue
            # executescript commits first; run the whole migration as one transaction of its own.
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{step}\n"
                f"INSERT INTO schema_migrations(name, applied_at) VALUES ('{name}', {time.time()!r});\nCOMMIT;"
            )

    @staticmethod
    def _migrate_step(conn: sqlite3.Connection, name: str, step: Callable[[sqlite3.Connection], None]) -> None:
        """A migration written in Python: one transaction with its record (SQLite's DDL is transactional), so a
        kill midway leaves the file as it was; another process that got there first is not migrated twice."""
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM schema_migrations WHERE name=?", (name,)).fetchone() is None:
                step(conn)
                conn.execute("INSERT INTO schema_migrations(name, applied_at) VALUES (?, ?)", (name, time.time()))
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    def applied_migrations(self) -> list[str]:
        return [r[0] for r in self._conn().execute("SELECT name FROM schema_migrations ORDER BY name")]

    def integrity_check(self) -> str:
        return str(self._conn().execute("PRAGMA integrity_check").fetchone()[0])

    # ---- conversations ---------------------------------------------------------------------------
    def create_conversation(self, title: str = "", model: str = "") -> Conversation:
        now = time.time()
        with self._write() as c:
            cur = c.execute("INSERT INTO conversations(title, created_at, updated_at, model) VALUES (?,?,?,?)",
                            (title, now, now, model))
        return Conversation(int(cur.lastrowid or 0), title, now, now, model)

    def get_conversation(self, conversation_id: int) -> Conversation | None:
        row = self._conn().execute("SELECT * FROM conversations WHERE id=?", (conversation_id,)).fetchone()
        return conversation_from_row(row) if row else None

    def list_conversations(self, include_deleted: bool = False) -> list[Conversation]:
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        rows = self._conn().execute(f"SELECT * FROM conversations {where} ORDER BY updated_at DESC, id DESC")
        return [conversation_from_row(r) for r in rows]

    def rename_conversation(self, conversation_id: int, title: str) -> None:
        with self._write() as c:
            c.execute("UPDATE conversations SET title=? WHERE id=?", (title.strip(), conversation_id))

    def delete_conversation(self, conversation_id: int) -> None:
        """Soft delete: hidden at once, removed for good by :meth:`purge_deleted` (undo in between)."""
        with self._write() as c:
            c.execute("UPDATE conversations SET deleted_at=? WHERE id=?", (time.time(), conversation_id))

    def restore_conversation(self, conversation_id: int) -> None:
        with self._write() as c:
            c.execute("UPDATE conversations SET deleted_at=NULL WHERE id=?", (conversation_id,))

    def purge_deleted(self, older_than: float = 0.0) -> int:
        """Remove soft-deleted conversations deleted more than ``older_than`` seconds ago."""
        with self._write() as c:
            cur = c.execute("DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?",
                            (time.time() - older_than,))
        return cur.rowcount

    def set_adapters(self, conversation_id: int, adapters: list[tuple[str, float]]) -> None:
        text = json.dumps(adapters_records(adapters), ensure_ascii=False)
        with self._write() as c:
            c.execute("UPDATE conversations SET adapters_json=? WHERE id=?", (text, conversation_id))

    def set_thinking(self, conversation_id: int, thinking: bool | None) -> None:
        """The conversation's thinking switch (None: the model's default), kept for its next replies."""
        with self._write() as c:
            c.execute("UPDATE conversations SET thinking=? WHERE id=?",
                      (None if thinking is None else int(thinking), conversation_id))

    def set_documents(self, conversation_id: int, names: list[str]) -> None:
        with self._write() as c:
            c.execute("UPDATE conversations SET documents_json=? WHERE id=?",
                      (json.dumps(list(names), ensure_ascii=False), conversation_id))

    def _touch(self, c: sqlite3.Connection, conversation_id: int, now: float) -> None:
        c.execute("UPDATE conversations SET updated_at=? WHERE id=?", (now, conversation_id))

    # ---- messages --------------------------------------------------------------------------------
    def add_message(
        self,
        conversation_id: int,
        role: str,
        content: str = "",
        *,
        reasoning: str = "",
        status: str = "done",
        model: str = "",
        backend: str = "",
        settings: dict[str, Any] | None = None,
        created_at: float | None = None,
        parent_id: int | Place | None = Place.END_OF_PATH,
        **fields: Any,
    ) -> int:
        """A new message under ``parent_id`` (None: a new first message; by default after the last message
        shown). It becomes the branch shown there, so the path shown ends with it."""
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = time.time()
        created = created_at if created_at is not None else now
        cols = {"conversation_id": conversation_id, "role": role, "content": content, "reasoning": reasoning,
                "status": status, "model": model, "backend": backend,
                "settings_json": json.dumps(settings or {}, ensure_ascii=False),
                "created_at": created, "updated_at": created}
        cols.update(self._stat_columns(fields))
        with self._write() as c:
            mid = self._insert(c, conversation_id, parent_id, cols)
            self._touch(c, conversation_id, now)
        return mid

    def _insert(self, c: sqlite3.Connection, conversation_id: int, parent_id: int | Place | None,
                cols: dict[str, Any]) -> int:
        """Insert a message row under its parent (checked) and make it the branch shown there."""
        if isinstance(parent_id, Place):
            path = path_ids(c, conversation_id)
            parent_id = path[-1] if path else None
        elif parent_id is not None:
            row = c.execute("SELECT conversation_id FROM messages WHERE id=?", (parent_id,)).fetchone()
            if row is None or int(row[0]) != conversation_id:
                raise HistoryError(f"Message {parent_id} is not in conversation {conversation_id}.")
        cols = {**cols, "conversation_id": conversation_id, "parent_id": parent_id}
        names = ", ".join(cols)
        marks = ", ".join("?" for _ in cols)
        mid = int(c.execute(f"INSERT INTO messages({names}) VALUES ({marks})", tuple(cols.values())).lastrowid or 0)
        choose(c, conversation_id, parent_id, mid)
        return mid

    @staticmethod
    def _stat_columns(fields: dict[str, Any]) -> dict[str, Any]:
        allowed = {"boxed", "finish_reason", "error", "prompt_tokens", "completion_tokens",
                   "time_to_first_token", "generation_seconds", "thinking_seconds"}
        out: dict[str, Any] = {}
        for k, v in fields.items():
            if k == "extra":
                out["extra_json"] = json.dumps(v or {}, ensure_ascii=False)
            elif k == "settings":  # finish_message: what the reply was written with, completed once it is done
                out["settings_json"] = json.dumps(v or {}, ensure_ascii=False)
            elif k in allowed:
                out[k] = v
            else:
                raise TypeError(f"unknown message field {k!r}")
        return out

    def save_partial(self, message_id: int, content: str, reasoning: str) -> None:
        """A checkpoint of a streaming reply (one small committed transaction)."""
        with self._write() as c:
            c.execute("UPDATE messages SET content=?, reasoning=?, updated_at=? WHERE id=?",
                      (content, reasoning, time.time(), message_id))

    def finish_message(self, message_id: int, *, content: str, reasoning: str, status: str, **fields: Any) -> None:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        cols = {"content": content, "reasoning": reasoning, "status": status, "updated_at": time.time()}
        cols.update(self._stat_columns(fields))
        sets = ", ".join(f"{k}=?" for k in cols)
        with self._write() as c:
            c.execute(f"UPDATE messages SET {sets} WHERE id=?", (*cols.values(), message_id))
            row = c.execute("SELECT conversation_id FROM messages WHERE id=?", (message_id,)).fetchone()
            if row:
                self._touch(c, int(row[0]), time.time())

    def set_extra(self, message_id: int, path: Sequence[str], value: Any) -> None:
        """Set one item of a message's metadata (``extra``), e.g. ``("runs", key)``: the result of running one of a
        reply's code blocks. Read and written in one transaction, so items set at once are all kept."""
        if not path:
            raise ValueError("an empty path")
        with self._write() as c:
            row = c.execute("SELECT extra_json FROM messages WHERE id=?", (message_id,)).fetchone()
            if row is None:
                raise HistoryError(f"There is no message {message_id}.")
            try:
                extra = json.loads(row[0] or "{}")
            except ValueError:
                extra = {}
            node = extra if isinstance(extra, dict) else {}
            root = node
            for name in path[:-1]:
                if not isinstance(node.get(name), dict):
                    node[name] = {}
                node = node[name]
            node[path[-1]] = value
            c.execute("UPDATE messages SET extra_json=? WHERE id=?", (json.dumps(root, ensure_ascii=False), message_id))

    def get_message(self, message_id: int) -> StoredMessage | None:
        row = self._conn().execute(f"SELECT {MSG_COLUMNS} FROM messages WHERE id=?", (message_id,)).fetchone()
        return message_from_row(row) if row else None

    def messages(self, conversation_id: int, include_superseded: bool = False) -> list[StoredMessage]:
        """The path shown, first message first; ``include_superseded``: every message of every branch, in the
        order they were written."""
        if include_superseded:
            rows = self._conn().execute(f"SELECT {MSG_COLUMNS} FROM messages WHERE conversation_id=? ORDER BY id",
                                        (conversation_id,))
        else:
            rows = self._conn().execute(
                PATH_SQL + f"SELECT {PATH_COLUMNS} FROM path JOIN messages m ON m.id = path.id ORDER BY path.depth",
                (conversation_id,))
        return [message_from_row(r) for r in rows]

    # ---- branches (history_tree) -----------------------------------------------------------------
    def supersede_from(self, message_id: int) -> int:
        """End the path shown before ``message_id`` (kept, as a branch); the next message added there is its
        sibling. Returns how many messages left the path shown (0: it was not on it)."""
        with self._write() as c:
            row = c.execute("SELECT conversation_id, parent_id FROM messages WHERE id=?", (message_id,)).fetchone()
            if row is None:
                return 0
            path = path_ids(c, int(row[0]))
            if message_id not in path:
                return 0
            choose(c, int(row[0]), row[1], None)
        return len(path) - path.index(message_id)

    def show(self, message_id: int) -> list[StoredMessage]:
        """Show the branch ``message_id`` is on: the path runs through it, and below it comes the branch last
        shown there. Remembered (one transaction). Returns the new path ([] if there is no such message)."""
        with self._write() as c:
            chain = ancestors(c, message_id)
            if not chain:
                return []
            cid = int(c.execute("SELECT conversation_id FROM messages WHERE id=?", (message_id,)).fetchone()[0])
            show_path(c, cid, chain)
        return self.messages(cid)

    def siblings(self, message_id: int) -> list[int]:
        """The ids of ``message_id`` and its siblings (versions of it: edits, regenerated replies), oldest first."""
        row = self._conn().execute("SELECT conversation_id, parent_id FROM messages WHERE id=?",
                                   (message_id,)).fetchone()
        if row is None:
            return []
        rows = self._conn().execute("SELECT id FROM messages WHERE conversation_id=? AND parent_id IS ? ORDER BY id",
                                    (row[0], row[1]))
        return [int(r[0]) for r in rows]

    def branches(self, conversation_id: int) -> dict[int, list[int]]:
        """For each message on the path shown that has siblings: their ids, itself included, oldest first (a
        navigator's "n/m" is its index + 1 of the length)."""
        kids: dict[int | None, list[int]] = {}
        for mid, parent in self._conn().execute(
                "SELECT id, parent_id FROM messages WHERE conversation_id=? ORDER BY id", (conversation_id,)):
            kids.setdefault(parent, []).append(int(mid))
        out: dict[int, list[int]] = {}
        parent_id: int | None = None
        for mid in path_ids(self._conn(), conversation_id):
            if len(kids.get(parent_id, ())) > 1:
                out[mid] = kids[parent_id]
            parent_id = mid
        return out

    def edit_message(self, message_id: int, content: str, **fields: Any) -> int:
        """A new version of a message beside it (a sibling), shown from now on; the original is kept. A user
        message's version is what the next reply answers; an assistant message's version (the user's words
        put in the model's mouth, to steer the next turn) keeps the model and settings, and says what it was
        edited from (``extra["edited_from"]``)."""
        old = self.get_message(message_id)
        if old is None:
            raise HistoryError(f"There is no message {message_id}.")
        now = time.time()
        cols: dict[str, Any] = {"role": old.role, "content": content, "status": "done", "created_at": now,
                                "updated_at": now}
        if old.role == "assistant":
            cols.update(model=old.model, backend=old.backend,
                        settings_json=json.dumps(old.settings, ensure_ascii=False))
            fields = {"extra": {"edited_from": message_id}, **fields}
        cols.update(self._stat_columns(fields))
        with self._write() as c:
            mid = self._insert(c, old.conversation_id, old.parent_id, cols)
            self._touch(c, old.conversation_id, now)
        return mid

    def branch_from(self, message_id: int, title: str | None = None) -> Conversation:
        """A new conversation holding a copy of the path up to ``message_id`` (that message included), with the
        conversation's settings (model, adapters, thinking switch, documents)."""
        conn = self._conn()
        chain = ancestors(conn, message_id)
        if not chain:
            raise HistoryError(f"There is no message {message_id}.")
        source = conn.execute("SELECT c.* FROM conversations c JOIN messages m ON m.conversation_id = c.id "
                              "WHERE m.id=?", (message_id,)).fetchone()
        now = time.time()
        skip = ("id", "created_at", "updated_at", "deleted_at", "chosen_root_id")
        conv = {k: source[k] for k in source.keys() if k not in skip}  # noqa: SIM118 (a sqlite3.Row)
        conv.update(title=source["title"] if title is None else title, created_at=now, updated_at=now)
        with self._write() as c:
            cid = int(c.execute(f"INSERT INTO conversations({', '.join(conv)}) VALUES "
                                f"({', '.join('?' for _ in conv)})", tuple(conv.values())).lastrowid or 0)
            parent: int | None = None
            for mid in chain:
                row = dict(c.execute("SELECT * FROM messages WHERE id=?", (mid,)).fetchone())
                for k in ("id", "conversation_id", "parent_id", "chosen_child_id", "superseded_at"):
                    row.pop(k, None)
                if row["status"] == "streaming":
                    row["status"] = "interrupted"
                parent = self._insert(c, cid, parent, row)
        got = self.get_conversation(cid)
        assert got is not None
        return got

    # ---- search ----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """One hit per conversation whose messages (on any branch) or title contain every term, newest first
        (history_search); open a hit's branch with :meth:`show`."""
        return search_messages(self._conn(), query, limit)

    # ---- export / import (history_import) -------------------------------------------------------
    def export_json(self, conversation_id: int) -> dict[str, Any]:
        """The conversation as a file: format version 2, every branch and the path shown."""
        conv = self.get_conversation(conversation_id)
        if conv is None:
            raise HistoryError(f"There is no conversation {conversation_id}.")
        msgs = self.messages(conversation_id, include_superseded=True)
        chosen = dict(self._conn().execute("SELECT id, chosen_child_id FROM messages WHERE conversation_id=?",
                                           (conversation_id,)).fetchall())
        links, root = export_links([m.id for m in msgs], [m.parent_id for m in msgs],
                                   [chosen.get(m.id) for m in msgs], conv.chosen_root_id)
        fields = {"title": conv.title, "created_at": conv.created_at, "updated_at": conv.updated_at,
                  "model": conv.model, "adapters": adapters_records(conv.adapters), "thinking": conv.thinking,
                  "documents": conv.documents}
        return export_document(fields, [asdict(m) for m in msgs], links, root)

    def export_markdown(self, conversation_id: int) -> str:
        """The path shown, as Markdown."""
        conv = self.get_conversation(conversation_id)
        if conv is None:
            raise HistoryError(f"There is no conversation {conversation_id}.")
        return markdown_document(conv.title, conv.created_at, self.messages(conversation_id))

    def import_json(self, data: dict[str, Any] | str | bytes) -> int:
        """Import an exported conversation (format version 1 or 2) as a new one, its branches and the path shown
        included; returns its id. Nothing is written if the file is invalid."""
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise ImportFormatError(f"The file is not valid JSON: {exc}",
                                        hint="Choose a file exported by this app (JSON).") from exc
        conv, msgs, links = validate_import(data)
        now = time.time()
        with self._write() as c:
            cur = c.execute(
                "INSERT INTO conversations(title, created_at, updated_at, model, adapters_json, thinking, "
                "documents_json) VALUES (?,?,?,?,?,?,?)",
                (conv["title"], conv["created_at"], now, conv["model"], conv["adapters_json"], conv["thinking"],
                 conv["documents_json"]),
            )
            cid = int(cur.lastrowid or 0)
            ids: list[int] = []
            for i, m in enumerate(msgs):
                p = links.parent[i]
                ids.append(self._insert(c, cid, None if p is None else ids[p], m))
            for i in range(len(ids)):  # the branch shown under each message, as the file says
                choose(c, cid, ids[i], ids[links.chosen[i]] if i in links.chosen else None)
            choose(c, cid, None, None if links.root is None else ids[links.root])
        return cid


def history_messages(messages: Iterable[StoredMessage]) -> list[tuple[str, str]]:
    """(role, text) pairs to send back to a model: answers only (past reasoning is not re-sent); a question
    asked with documents goes back as it was sent, with its passages (``extra["documents"]["prompt"]``), so the
    conversation's prefix, and the model's cache of it, stay the same."""
    out = []
    for m in messages:
        if m.role == "assistant" and not usable_reply(m.content, m.status == "failed"):
            continue
        sent = (m.extra.get("documents") or {}).get("prompt") if m.role == "user" else None
        out.append((m.role, sent if isinstance(sent, str) and sent else m.content))
    return out


def title_from(text: str, width: int = 48) -> str:
    line = " ".join(text.split())
    return line if len(line) <= width else line[: width - 1].rstrip() + "…"


__all__: Sequence[str] = (
    "Conversation", "History", "HistoryError", "ImportFormatError", "Place", "SearchHit", "StoredMessage",
    "history_messages", "title_from",
)
