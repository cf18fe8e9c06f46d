"""The conversation's thinking switch in the history (issue 27, migration 0006): stored, kept through export and
import, and a history written before the migration opens with every conversation on the model's default."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from assistant.core.chat.history import MIGRATIONS, History
from assistant.core.paths import app_paths


def test_thinking_is_stored_per_conversation_and_survives_export(app_home: Path) -> None:
    with History() as h:
        a, b = h.create_conversation("a"), h.create_conversation("b")
        assert a.thinking is None
        h.set_thinking(a.id, False)
        h.set_thinking(b.id, True)
        got_a, got_b = h.get_conversation(a.id), h.get_conversation(b.id)
        assert got_a is not None and got_a.thinking is False and got_b is not None and got_b.thinking is True
        h.add_message(a.id, "user", "hi /no_think")
        data = h.export_json(a.id)
        assert data["conversation"]["thinking"] is False
        copy = h.get_conversation(h.import_json(data))
        assert copy is not None and copy.thinking is False
        h.set_thinking(a.id, None)
        again = h.get_conversation(a.id)
        assert again is not None and again.thinking is None
        # an export from before the switch existed imports as the model's default
        data["conversation"].pop("thinking")
        old = h.get_conversation(h.import_json(data))
        assert old is not None and old.thinking is None


def test_a_history_from_before_the_migration_gets_the_column(app_home: Path) -> None:
    path = app_paths().history_db
    path.parent.mkdir(parents=True, exist_ok=True)
    before = [m for m in MIGRATIONS if m[0] != "0006_conversation_thinking"]
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    for name, sql in before:
        sql(conn) if callable(sql) else conn.executescript(sql)  # 0004_message_tree is written in Python
        conn.execute("INSERT INTO schema_migrations VALUES (?, 0)", (name,))
    conn.execute("INSERT INTO conversations(title, created_at, updated_at) VALUES ('old', 1, 1)")
    conn.commit()
    conn.close()
    with History() as h:
        assert "0006_conversation_thinking" in h.applied_migrations()
        (conv,) = h.list_conversations()
        assert conv.title == "old" and conv.thinking is None
        h.set_thinking(conv.id, True)
        stored = h.get_conversation(conv.id)
        assert stored is not None and stored.thinking is True
