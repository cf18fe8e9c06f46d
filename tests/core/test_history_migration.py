"""Migration 0004_message_tree: histories written before branches (schema 1: migrations 0001-0003) become trees.

A file written by the real old app (tests/fixtures/history-schema1.db, made with commit 819cd2b's History by
tests/fixtures/make_history_schema1.py) and histories the old app's operations write at random, replayed with
the old supersede rule, whose true tree the generator knows.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.core.chat.history import MIGRATIONS, History
from assistant.core.chat.history_tree import legacy_tree

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "history-schema1.db"
SCHEMA1 = ("0001_conversations_messages", "0002_fts_trigram", "0003_conversation_adapters")


def schema1_db(path: Path) -> sqlite3.Connection:
    """An empty history at schema 1: the first three migrations, exactly as they shipped."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    steps = dict(MIGRATIONS)
    for name in SCHEMA1:
        sql = steps[name]
        assert isinstance(sql, str)
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 0)", (name,))
    conn.commit()
    return conn


def test_a_history_written_by_the_old_app_becomes_a_tree(tmp_path: Path) -> None:
    db = tmp_path / "history.db"
    shutil.copy(FIXTURE, db)
    with History(db) as h:
        assert "0004_message_tree" in h.applied_migrations() and h.integrity_check() == "ok"
        every = {m.id: m for c in h.list_conversations(include_deleted=True)
                 for m in h.messages(c.id, include_superseded=True)}
        assert len(every) == 26  # nothing lost
        parents = {mid: m.parent_id for mid, m in every.items()}
        # 1. regenerated twice, then the question edited; the last reply was streaming at the crash
        assert [parents[i] for i in range(1, 9)] == [None, 1, 1, 1, None, 5, 6, 7]
        rect = h.messages(1)
        assert [m.id for m in rect] == [5, 6, 7, 8] and rect[-1].status == "interrupted"
        assert h.branches(1) == {5: [1, 5]}
        hit, = h.search("周长是30厘米")  # search reaches the rows the old app had hidden
        assert (hit.message_id, hit.shown) == (1, False)
        assert [m.id for m in h.show(1)] == [1, 4]  # the old question's latest reply
        assert [m.id for m in h.show(2)] == [1, 2] and h.siblings(2) == [2, 3, 4]
        # 2. never edited: a line
        assert [m.id for m in h.messages(2)] == [9, 10, 11, 12] and h.branches(2) == {}
        # 3. a middle question edited, its reply regenerated
        assert [m.id for m in h.messages(3)] == [13, 14, 19, 21]
        assert parents[19] == 14 and parents[15] == 14 and parents[20] == parents[21] == 19
        assert h.branches(3) == {19: [15, 19], 21: [20, 21]}
        assert [m.id for m in h.show(18)] == [13, 14, 15, 16, 17, 18]
        # 4. everything superseded and nothing sent after: shown empty as before, kept
        assert h.messages(4) == [] and [m.id for m in h.show(23)] == [22, 23]
        # 5. deleted, still a tree (undo brings it back)
        assert [m.id for m in h.messages(5)] == [24, 26] and h.siblings(26) == [25, 26]
    with History(db) as again:  # reopening does not migrate twice
        assert again.applied_migrations().count("0004_message_tree") == 1


# ---- random histories of the old app ---------------------------------------------------------------

OLD_OPS = st.lists(st.tuples(st.sampled_from(["send", "regenerate", "edit", "failed_edit"]), st.integers(0, 99)),
                   min_size=1, max_size=25)


def write_old_app(conn: sqlite3.Connection, ops: list[tuple[str, int]]) -> dict[int, int | None]:
    """What the old window and store did, in SQL (its supersede_from and add_message); returns each row's true
    parent: the last visible row when it was written."""
    clock = [1_700_000_000.0]

    def now() -> float:
        clock[0] += 0.25
        return clock[0]

    conn.execute("INSERT INTO conversations(id, title, created_at, updated_at) VALUES (1, 'c', 0, 0)")
    truth: dict[int, int | None] = {}

    def visible() -> list[tuple[int, str]]:
        return conn.execute("SELECT id, role FROM messages WHERE superseded_at IS NULL ORDER BY id").fetchall()

    def add(role: str) -> None:
        rows = visible()
        t = now()
        cur = conn.execute("INSERT INTO messages(conversation_id, role, content, created_at, updated_at) "
                           "VALUES (1, ?, 'x', ?, ?)", (role, t, t))
        truth[int(cur.lastrowid or 0)] = rows[-1][0] if rows else None

    def supersede_from(mid: int) -> None:
        conn.execute("UPDATE messages SET superseded_at=? WHERE conversation_id=1 AND id>=? AND superseded_at IS NULL",
                     (now(), mid))

    for op, pick in ops:
        rows = visible()
        users = [r[0] for r in rows if r[1] == "user"]
        if op == "send" or not users:
            add("user")
            add("assistant")
        elif op == "regenerate":
            later = [r[0] for r in rows if r[0] > users[-1]]
            if later:
                supersede_from(later[0])
            add("assistant")
        elif op in ("edit", "failed_edit"):
            supersede_from(users[pick % len(users)])
            if op == "edit":
                add("user")
                add("assistant")
    conn.commit()
    return truth


@pytest.mark.slow
@settings(max_examples=40, deadline=None)
@given(OLD_OPS)
def test_random_old_histories_migrate_to_their_true_tree(ops: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "h.db"
        conn = schema1_db(db)
        truth = write_old_app(conn, ops)
        old_visible = [r[0] for r in conn.execute("SELECT id FROM messages WHERE superseded_at IS NULL ORDER BY id")]
        conn.close()
        with History(db) as h:
            every = h.messages(1, include_superseded=True)
            assert {m.id: m.parent_id for m in every} == truth
            assert [m.id for m in h.messages(1)] == old_visible  # what the old app showed, shown
            for m in every:  # and every hidden row can be walked to
                assert m.id in [x.id for x in h.show(m.id)]


def test_legacy_tree_needs_only_the_order_of_the_supersede_stamps() -> None:
    # A reply regenerated (row 3 replaces row 2): the rows' creation times are not read, so an imported
    # conversation's old times or a clock stepped back cannot misplace row 3.
    links = legacy_tree([(1, None), (2, 12.0), (3, None)])
    assert links.parent == {1: None, 2: 1, 3: 1} and links.root == 1 and links.chosen == {1: 3}
    # An edit whose send failed (row 3 hidden at 11), then the first question edited (rows 1-2 hidden at 13):
    # row 3 was written before the second stamp, under row 2, although its id is later than that group.
    links = legacy_tree([(1, 13.0), (2, 13.0), (3, 11.0), (4, None)])
    assert links.parent == {1: None, 2: 1, 3: 2, 4: None} and links.root == 4 and links.chosen == {1: 2, 2: 3}
