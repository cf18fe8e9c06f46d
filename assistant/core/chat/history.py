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
* Editing or regenerating never deletes: replaced messages are marked superseded and kept.
* Deleting a conversation is soft until :meth:`History.purge_deleted`, which makes undo possible.

Each thread gets its own connection (the worker writes while the UI reads); all are closed by
:meth:`History.close`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.chat.history_import import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    STATUSES,
    adapters_from,
    adapters_records,
    validate_import,
)
from assistant.core.chat.snippets import snippet
from assistant.core.chat.turn import usable_reply
from assistant.core.errors import HistoryError, ImportFormatError
from assistant.core.paths import app_paths
from assistant.core.sqlite_db import Connections

# ---------------------------------------------------------------------------------------------------
# Migrations: (name, SQL). Append only; never edit or reorder an entry that has shipped.

MIGRATIONS: list[tuple[str, str]] = [
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
]


# ---------------------------------------------------------------------------------------------------
# Records


@dataclass
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float
    model: str = ""
    deleted_at: float | None = None
    adapters_json: str = "[]"
    thinking: bool | None = None  # the thinking switch for models that have one; None: the model's default
    documents_json: str = "[]"

    @property
    def documents(self) -> list[str]:
        """The names of the document collections the conversation answers from."""
        names = json.loads(self.documents_json or "[]")
        return [str(n) for n in names] if isinstance(names, list) else []

    @property
    def adapters(self) -> list[tuple[str, float]]:
        """(name, scale) of each LoRA adapter the conversation uses."""
        try:
            return adapters_from(json.loads(self.adapters_json or "[]"))
        except ValueError:
            return []


@dataclass
class StoredMessage:
    id: int
    conversation_id: int
    role: str
    content: str
    reasoning: str = ""
    boxed: str | None = None
    status: str = "done"
    finish_reason: str | None = None
    error: str | None = None
    model: str = ""
    backend: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    time_to_first_token: float = 0.0
    generation_seconds: float = 0.0
    thinking_seconds: float = 0.0
    created_at: float = 0.0
    updated_at: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def tokens_per_second(self) -> float:
        if self.completion_tokens <= 1 or self.generation_seconds <= 0:
            return 0.0
        return (self.completion_tokens - 1) / self.generation_seconds


@dataclass
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int | None  # None: the title matched
    role: str
    snippet: str  # plain text (Markdown removed) around the first match; "" for a title match
    updated_at: float
    matches: int = 1  # messages of the conversation that matched (0: only the title)


_MSG_COLUMNS = (
    "id, conversation_id, role, content, reasoning, boxed, status, finish_reason, error, model, backend, "
    "settings_json, prompt_tokens, completion_tokens, time_to_first_token, generation_seconds, "
    "thinking_seconds, created_at, updated_at, extra_json"
)


def _message_from_row(row: sqlite3.Row) -> StoredMessage:
    d = dict(row)
    d["settings"] = json.loads(d.pop("settings_json") or "{}")
    d["extra"] = json.loads(d.pop("extra_json") or "{}")
    return StoredMessage(**d)


def _conversation_from_row(row: sqlite3.Row) -> Conversation:
    values = dict(row)
    if values.get("thinking") is not None:
        values["thinking"] = bool(values["thinking"])
    return Conversation(**values)


def _like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ---------------------------------------------------------------------------------------------------


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
        for name, sql in MIGRATIONS:
            if name in done:
                continue
            # executescript commits first; run the whole migration as one transaction of its own.
            conn.executescript(
                f"BEGIN IMMEDIATE;\n{sql}\n"
                f"INSERT INTO schema_migrations(name, applied_at) VALUES ('{name}', {time.time()!r});\nCOMMIT;"
            )

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
        return _conversation_from_row(row) if row else None

    def list_conversations(self, include_deleted: bool = False) -> list[Conversation]:
        where = "" if include_deleted else "WHERE deleted_at IS NULL"
        rows = self._conn().execute(f"SELECT * FROM conversations {where} ORDER BY updated_at DESC, id DESC")
        return [_conversation_from_row(r) for r in rows]

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
        **fields: Any,
    ) -> int:
        if status not in STATUSES:
            raise ValueError(f"unknown status {status!r}")
        now = time.time()
        created = created_at if created_at is not None else now
        cols = {"conversation_id": conversation_id, "role": role, "content": content, "reasoning": reasoning,
                "status": status, "model": model, "backend": backend,
                "settings_json": json.dumps(settings or {}, ensure_ascii=False),
                "created_at": created, "updated_at": created}
        cols.update(self._stat_columns(fields))
        names = ", ".join(cols)
        marks = ", ".join("?" for _ in cols)
        with self._write() as c:
            cur = c.execute(f"INSERT INTO messages({names}) VALUES ({marks})", tuple(cols.values()))
            self._touch(c, conversation_id, now)
        return int(cur.lastrowid or 0)

    @staticmethod
    def _stat_columns(fields: dict[str, Any]) -> dict[str, Any]:
        allowed = {"boxed", "finish_reason", "error", "prompt_tokens", "completion_tokens",
                   "time_to_first_token", "generation_seconds", "thinking_seconds"}
        out: dict[str, Any] = {}
        for k, v in fields.items():
            if k == "extra":
                out["extra_json"] = json.dumps(v or {}, ensure_ascii=False)
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

    def get_message(self, message_id: int) -> StoredMessage | None:
        row = self._conn().execute(f"SELECT {_MSG_COLUMNS} FROM messages WHERE id=?", (message_id,)).fetchone()
        return _message_from_row(row) if row else None

    def messages(self, conversation_id: int, include_superseded: bool = False) -> list[StoredMessage]:
        where = "" if include_superseded else "AND superseded_at IS NULL"
        rows = self._conn().execute(
            f"SELECT {_MSG_COLUMNS} FROM messages WHERE conversation_id=? {where} ORDER BY id", (conversation_id,)
        )
        return [_message_from_row(r) for r in rows]

    def supersede_from(self, message_id: int) -> int:
        """Hide a message and every later one in its conversation (edit-and-resend, regenerate)."""
        with self._write() as c:
            row = c.execute("SELECT conversation_id FROM messages WHERE id=?", (message_id,)).fetchone()
            if row is None:
                return 0
            cur = c.execute(
                "UPDATE messages SET superseded_at=? WHERE conversation_id=? AND id>=? AND superseded_at IS NULL",
                (time.time(), row[0], message_id),
            )
        return cur.rowcount

    # ---- search ----------------------------------------------------------------------------------
    def search(self, query: str, limit: int = 50) -> list[SearchHit]:
        """One hit per conversation whose messages (or title) contain every term, newest first.

        Terms of 3+ characters go through the trigram index; shorter ones (most Chinese words) through
        ``LIKE`` on the messages table. Both are case-insensitive for ASCII. A conversation's hit is its
        newest message with the first term in the answer rather than the reasoning; ``matches`` counts
        them all, so a long conversation neither repeats nor crowds the others out of ``limit``.
        """
        terms = [t for t in query.split() if t]
        if not terms:
            return []
        clauses: list[str] = []
        params: list[Any] = []
        for t in terms:
            if len(t) >= 3:
                clauses.append("m.id IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?)")
                params.append('"' + t.replace('"', '""') + '"')
            else:
                clauses.append("(m.content LIKE ? ESCAPE '\\' OR m.reasoning LIKE ? ESCAPE '\\')")
                pat = f"%{_like_escape(t)}%"
                params += [pat, pat]
        # Rank inside each conversation on ids only, then read the text of the one row kept (reading every
        # matching row's text made this twice as slow on a large history).
        sql = (
            "WITH hits AS (SELECT m.id, m.conversation_id, c.updated_at, "
            "COUNT(*) OVER (PARTITION BY m.conversation_id) AS matches, ROW_NUMBER() OVER (PARTITION BY "
            "m.conversation_id ORDER BY m.content LIKE ? ESCAPE '\\' DESC, m.id DESC) AS rank "
            "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
            "WHERE c.deleted_at IS NULL AND m.superseded_at IS NULL AND " + " AND ".join(clauses) + ") "
            "SELECT h.*, m.role, m.content, m.reasoning, c.title FROM hits h JOIN messages m ON m.id = h.id "
            "JOIN conversations c ON c.id = h.conversation_id WHERE h.rank = 1 "
            "ORDER BY h.updated_at DESC, h.id DESC LIMIT ?"
        )
        hits: list[SearchHit] = []
        for r in self._conn().execute(sql, (f"%{_like_escape(terms[0])}%", *params, limit)):
            where = r["content"] if terms[0].lower() in r["content"].lower() else r["reasoning"]
            hits.append(SearchHit(r["conversation_id"], r["title"], r["id"], r["role"],
                                  snippet(where, terms), r["updated_at"], r["matches"]))
        # Titles too, for conversations not already found through a message.
        seen = {h.conversation_id for h in hits}
        title_sql = ("SELECT id, title, updated_at FROM conversations WHERE deleted_at IS NULL AND " +
                     " AND ".join("title LIKE ? ESCAPE '\\'" for _ in terms) + " ORDER BY updated_at DESC LIMIT ?")
        for r in self._conn().execute(title_sql, (*[f"%{_like_escape(t)}%" for t in terms], limit)):
            if r["id"] not in seen:
                hits.append(SearchHit(r["id"], r["title"], None, "", "", r["updated_at"], 0))
        hits.sort(key=lambda h: (-h.updated_at, -(h.message_id or 0)))
        return hits[:limit]

    # ---- export / import -------------------------------------------------------------------------
    def export_json(self, conversation_id: int) -> dict[str, Any]:
        conv = self.get_conversation(conversation_id)
        if conv is None:
            raise HistoryError(f"There is no conversation {conversation_id}.")
        msgs = []
        for m in self.messages(conversation_id):
            d = asdict(m)
            d.pop("id")
            d.pop("conversation_id")
            msgs.append(d)
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "conversation": {"title": conv.title, "created_at": conv.created_at, "updated_at": conv.updated_at,
                             "model": conv.model, "adapters": adapters_records(conv.adapters),
                             "thinking": conv.thinking},
            "messages": msgs,
        }

    def export_markdown(self, conversation_id: int) -> str:
        conv = self.get_conversation(conversation_id)
        if conv is None:
            raise HistoryError(f"There is no conversation {conversation_id}.")
        out = [f"# {conv.title or 'Conversation'}", ""]
        stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(conv.created_at))
        out += [f"*{stamp}*", ""]
        for m in self.messages(conversation_id):
            who = {"user": "User", "assistant": "Assistant", "system": "System"}.get(m.role, m.role.title())
            meta = f" ({m.model})" if m.model and m.role == "assistant" else ""
            if m.status not in ("done",) and m.role == "assistant":
                meta += f" [{m.status}]"
            out += [f"## {who}{meta}", ""]
            if m.reasoning:
                out += ["<details><summary>Thinking</summary>", "", m.reasoning, "", "</details>", ""]
            out += [m.content, ""]
            if m.boxed:
                out += [f"**Answer:** {m.boxed}", ""]
        return "\n".join(out).rstrip() + "\n"

    def import_json(self, data: dict[str, Any] | str | bytes) -> int:
        """Import an exported conversation as a new one; returns its id. Nothing is written if invalid."""
        if isinstance(data, (str, bytes)):
            try:
                data = json.loads(data)
            except ValueError as exc:
                raise ImportFormatError(f"The file is not valid JSON: {exc}",
                                        hint="Choose a file exported by this app (JSON).") from exc
        conv, msgs = validate_import(data)
        now = time.time()
        with self._write() as c:
            cur = c.execute(
                "INSERT INTO conversations(title, created_at, updated_at, model, adapters_json, thinking) "
                "VALUES (?,?,?,?,?,?)",
                (conv["title"], conv["created_at"], now, conv["model"], conv["adapters_json"], conv["thinking"]),
            )
            cid = int(cur.lastrowid or 0)
            for m in msgs:
                cols = {"conversation_id": cid, **m}
                names = ", ".join(cols)
                c.execute(f"INSERT INTO messages({names}) VALUES ({', '.join('?' for _ in cols)})",
                          tuple(cols.values()))
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
    "Conversation", "History", "HistoryError", "ImportFormatError", "SearchHit", "StoredMessage",
    "history_messages", "title_from",
)
