"""The history store: real SQLite files in the test's app home."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from assistant.core.chat.history import (
    MIGRATIONS,
    History,
    HistoryError,
    ImportFormatError,
    history_messages,
    title_from,
)
from assistant.core.paths import app_paths


@pytest.fixture
def history() -> History:
    h = History()
    yield h
    h.close()


def test_location_follows_assistant_home(app_home: Path, history: History) -> None:
    assert history.path == app_paths().history_db
    assert history.path.is_relative_to(app_home)
    assert history.path.exists()


def test_wal_and_migrations_recorded(history: History) -> None:
    conn = sqlite3.connect(history.path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    names = [r[0] for r in conn.execute("SELECT name FROM schema_migrations ORDER BY name")]
    assert names == sorted(name for name, _ in MIGRATIONS)  # appended in the order they were written
    conn.close()
    assert history.integrity_check() == "ok"


def test_reopen_does_not_rerun_migrations(history: History) -> None:
    c = history.create_conversation("kept")
    history.close()
    again = History()
    try:
        assert again.applied_migrations() == sorted(name for name, _ in MIGRATIONS)
        assert [x.title for x in again.list_conversations()] == ["kept"]
        assert again.get_conversation(c.id) is not None
    finally:
        again.close()


def test_unknown_migration_means_newer_app(history: History) -> None:
    conn = sqlite3.connect(history.path)
    conn.execute("INSERT INTO schema_migrations VALUES ('9999_from_the_future', 0)")
    conn.commit()
    conn.close()
    history.close()
    with pytest.raises(HistoryError, match="newer version"):
        History()


def test_damaged_file_is_a_clear_error(app_home: Path) -> None:
    db = app_paths().history_db
    db.parent.mkdir(parents=True)
    db.write_bytes(b"this is not a database" * 100)
    with pytest.raises(HistoryError) as info:
        History()
    assert info.value.hint


def test_reply_fields_stored_apart(history: History) -> None:
    c = history.create_conversation("maths", model="smollm2")
    history.add_message(c.id, "user", "2+2?")
    mid = history.add_message(c.id, "assistant", status="streaming", model="SmolLM2", backend="llama.cpp",
                              settings={"sampling": {"temperature": 0.6}})
    history.save_partial(mid, "The answer", "Let me think")
    m = history.get_message(mid)
    assert m is not None and (m.content, m.reasoning, m.status) == ("The answer", "Let me think", "streaming")
    history.finish_message(mid, content="The answer is \\boxed{4}", reasoning="Let me think: 2+2=4", status="done",
                           boxed="4", finish_reason="stop", prompt_tokens=20, completion_tokens=11,
                           time_to_first_token=0.05, generation_seconds=0.5, thinking_seconds=0.2,
                           extra={"maths": True})
    m = history.get_message(mid)
    assert m is not None
    assert m.content == "The answer is \\boxed{4}" and m.reasoning == "Let me think: 2+2=4"
    assert (m.status, m.boxed, m.model, m.backend) == ("done", "4", "SmolLM2", "llama.cpp")
    assert m.settings == {"sampling": {"temperature": 0.6}} and m.extra == {"maths": True}
    assert (m.prompt_tokens, m.completion_tokens) == (20, 11)
    assert m.tokens_per_second == pytest.approx(20.0)


def test_streaming_reply_becomes_interrupted_on_reopen(history: History) -> None:
    c = history.create_conversation("crash")
    mid = history.add_message(c.id, "assistant", status="streaming")
    history.save_partial(mid, "partial answ", "")
    history.close()
    again = History()
    try:
        m = again.get_message(mid)
        assert m is not None and m.status == "interrupted" and m.content == "partial answ"
        assert [h.message_id for h in again.search("partial")] == [mid]  # indexed once no longer streaming
    finally:
        again.close()


def test_search_english_and_chinese(history: History) -> None:
    old = history.create_conversation("经济")
    history.add_message(old.id, "user", "中国经济的发展速度怎么样？")
    history.add_message(old.id, "assistant", "近年来经济持续增长。")
    time.sleep(0.01)
    new = history.create_conversation("Python")
    history.add_message(new.id, "user", "How do I reverse a list in Python?")
    history.add_message(new.id, "assistant", "Use reversed() or list.reverse().", reasoning="Slicing also works")

    # A 2-character Chinese word: the trigram index cannot find it; the LIKE path must.
    hits = history.search("发展")
    assert [(h.conversation_id, h.role) for h in hits] == [(old.id, "user")]
    assert "发展" in hits[0].snippet
    assert [h.conversation_id for h in history.search("经济持续增长")] == [old.id]  # 3+ chars: trigram
    assert [h.conversation_id for h in history.search("增长")] == [old.id]
    assert {h.conversation_id for h in history.search("REVERSE")} == {new.id}  # case-insensitive
    assert [h.message_id for h in history.search("slicing")] != []  # reasoning is searched too
    assert history.search("python 列表") == []  # every term must match
    assert history.search("nothing like this") == []
    assert history.search("   ") == []
    assert history.search("100%") == [] and history.search("_") == []  # LIKE wildcards are literal


def test_search_finds_titles_and_skips_deleted(history: History) -> None:
    c = history.create_conversation("Holiday plans")
    history.add_message(c.id, "user", "hello")
    assert [(h.conversation_id, h.message_id) for h in history.search("holiday")] == [(c.id, None)]
    history.delete_conversation(c.id)
    assert history.search("holiday") == [] and history.search("hello") == []


def test_supersede_ends_the_path_and_keeps_the_rows_as_a_branch(history: History) -> None:
    c = history.create_conversation("edit")
    u1 = history.add_message(c.id, "user", "first question")
    history.add_message(c.id, "assistant", "first answer")
    u2 = history.add_message(c.id, "user", "second question")
    history.add_message(c.id, "assistant", "second answer")
    assert history.supersede_from(u2) == 2
    assert [m.content for m in history.messages(c.id)] == ["first question", "first answer"]
    assert len(history.messages(c.id, include_superseded=True)) == 4
    hit, = history.search("second")  # found on its branch, not shown
    assert hit.shown is False and hit.matches == 2
    assert history.messages(c.id)[0].id == u1
    u2b = history.add_message(c.id, "user", "second question, edited")  # the next message is a sibling
    assert history.siblings(u2b) == [u2, u2b]


def test_soft_delete_restore_purge(history: History) -> None:
    a = history.create_conversation("a")
    history.add_message(a.id, "user", "keep me")
    b = history.create_conversation("b")
    history.delete_conversation(a.id)
    assert [c.id for c in history.list_conversations()] == [b.id]
    history.restore_conversation(a.id)
    assert {c.id for c in history.list_conversations()} == {a.id, b.id}
    history.delete_conversation(a.id)
    assert history.purge_deleted() == 1
    assert history.get_conversation(a.id) is None
    assert history.messages(a.id) == []


def test_list_orders_by_last_activity(history: History) -> None:
    a = history.create_conversation("a")
    time.sleep(0.01)
    b = history.create_conversation("b")
    time.sleep(0.01)
    history.add_message(a.id, "user", "bump")
    assert [c.id for c in history.list_conversations()] == [a.id, b.id]
    history.rename_conversation(a.id, "  renamed  ")
    assert history.list_conversations()[0].title == "renamed"


def test_export_markdown_and_json_round_trip(history: History) -> None:
    c = history.create_conversation("三角形 area")
    history.add_message(c.id, "user", "三角形面积？")
    history.add_message(c.id, "assistant", "面积是 \\boxed{6}", reasoning="底乘高除以二", boxed="6",
                        completion_tokens=9, model="R1")
    md = history.export_markdown(c.id)
    assert md.startswith("# 三角形 area")
    assert "## User" in md and "## Assistant (R1)" in md
    assert "<details><summary>Thinking</summary>" in md and "底乘高除以二" in md
    assert "**Answer:** 6" in md

    data = history.export_json(c.id)
    text = json.dumps(data, ensure_ascii=False)
    new_id = history.import_json(text)
    assert new_id != c.id
    orig = history.messages(c.id)
    copy = history.messages(new_id)
    assert [(m.role, m.content, m.reasoning, m.boxed, m.completion_tokens, m.model) for m in copy] == \
        [(m.role, m.content, m.reasoning, m.boxed, m.completion_tokens, m.model) for m in orig]
    assert history.get_conversation(new_id).title == "三角形 area"  # type: ignore[union-attr]


@pytest.mark.parametrize("payload, match", [
    ("{not json", "not valid JSON"),
    ({"format": "something-else"}, "not a conversation"),
    ({"format": "assistant-conversation", "version": 99, "conversation": {}, "messages": []}, "newer version"),
    ({"format": "assistant-conversation", "version": 1, "conversation": {}, "messages": [{"role": "robot"}]},
     "no valid role"),
    ({"format": "assistant-conversation", "version": 1, "conversation": {},
      "messages": [{"role": "user", "content": 5}]}, "not a string"),
    ({"format": "assistant-conversation", "version": 1}, "no conversation"),
])
def test_bad_import_is_refused_and_writes_nothing(history: History, payload: object, match: str) -> None:
    with pytest.raises(ImportFormatError, match=match) as info:
        history.import_json(payload)  # type: ignore[arg-type]
    assert info.value.hint
    assert history.list_conversations() == []


def test_import_never_brings_a_streaming_status(history: History) -> None:
    data = {"format": "assistant-conversation", "version": 1, "conversation": {"title": "t"},
            "messages": [{"role": "assistant", "content": "half", "status": "streaming"}]}
    cid = history.import_json(data)
    assert history.messages(cid)[0].status == "interrupted"


def test_writer_thread_and_reader_thread(history: History) -> None:
    """The worker saves while the UI reads: separate connections, WAL, no 'database is locked'."""
    c = history.create_conversation("threads")
    mid = history.add_message(c.id, "assistant", status="streaming")
    errors: list[BaseException] = []
    done = threading.Event()

    def writer() -> None:
        try:
            for i in range(200):
                history.save_partial(mid, "x" * i, "")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            done.set()

    t = threading.Thread(target=writer)
    t.start()
    reads = 0
    while not done.is_set():
        history.list_conversations()
        history.get_message(mid)
        reads += 1
    t.join()
    assert not errors and reads > 0
    m = history.get_message(mid)
    assert m is not None and m.content == "x" * 199


def test_history_messages_sends_answers_only() -> None:
    from assistant.core.chat.history import StoredMessage

    msgs = [
        StoredMessage(1, 1, "user", "q1"),
        StoredMessage(2, 1, "assistant", "a1", reasoning="long thoughts"),
        StoredMessage(3, 1, "user", "q2"),
        StoredMessage(4, 1, "assistant", "", status="failed"),
    ]
    assert history_messages(msgs) == [("user", "q1"), ("assistant", "a1"), ("user", "q2")]


def test_title_from() -> None:
    assert title_from("  hello \n world ") == "hello world"
    long = title_from("x" * 100)
    assert len(long) == 48 and long.endswith("…")


def test_conversation_adapters_survive_an_upgrade_an_export_and_an_import(tmp_path: Path) -> None:
    """A history written before adapters existed (two migrations) is upgraded in place, nothing lost; the
    adapters a conversation uses are stored, exported and imported with it; a malformed list reads as none."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at REAL NOT NULL)")
    for name, sql in MIGRATIONS[:2]:
        conn.executescript(sql)
        conn.execute("INSERT INTO schema_migrations VALUES (?, 0)", (name,))
    conn.execute("INSERT INTO conversations(title, created_at, updated_at) VALUES ('old', 1, 1)")
    conn.commit()
    conn.close()
    h = History(path)
    try:
        old = h.list_conversations()[0]
        assert old.title == "old" and old.adapters == []
        h.set_adapters(old.id, [("ahoy", 1.0), ("法律", 0.5)])
        assert h.get_conversation(old.id).adapters == [("ahoy", 1.0), ("法律", 0.5)]  # type: ignore[union-attr]
        data = h.export_json(old.id)
        assert data["conversation"]["adapters"] == [{"name": "ahoy", "scale": 1.0}, {"name": "法律", "scale": 0.5}]
        copy = h.import_json(json.dumps(data))
        assert h.get_conversation(copy).adapters == [("ahoy", 1.0), ("法律", 0.5)]  # type: ignore[union-attr]
        data["conversation"]["adapters"] = [{"scale": 2}, "x", {"name": "ok"}]
        assert h.get_conversation(h.import_json(data)).adapters == [("ok", 1.0)]  # type: ignore[union-attr]
        conn = sqlite3.connect(path)
        conn.execute("UPDATE conversations SET adapters_json='not json' WHERE id=?", (old.id,))
        conn.commit()
        conn.close()
        assert h.get_conversation(old.id).adapters == []  # type: ignore[union-attr]
    finally:
        h.close()
