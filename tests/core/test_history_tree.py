"""Conversations as trees: real SQLite files, a model of the tree to compare against, restarts and kill -9."""

from __future__ import annotations

import itertools
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.core.chat.history import History, HistoryError

from .history_ops import OPS, Driver, EveryWrite, apply, dump

REPO = Path(__file__).resolve().parents[2]


class Model:
    """The specification, in plain Python: parents, the child last shown under each message, the root shown."""

    def __init__(self) -> None:
        self.parent: dict[int, int | None] = {}
        self.chosen: dict[int | None, int | None] = {None: None}

    def add(self, mid: int, parent: int | None) -> None:
        self.parent[mid] = parent
        self.chosen[parent] = mid

    def show(self, mid: int) -> None:
        while True:
            p = self.parent[mid]
            self.chosen[p] = mid
            if p is None:
                return
            mid = p

    def cut(self, mid: int) -> None:
        self.chosen[self.parent[mid]] = None

    def path(self) -> list[int]:
        out: list[int] = []
        at = self.chosen.get(None)
        while at is not None:
            out.append(at)
            at = self.chosen.get(at)
        return out

    def siblings(self, mid: int) -> list[int]:
        return sorted(m for m, p in self.parent.items() if p == self.parent[mid])


def check_structure(h: History, cid: int) -> list[int]:
    """What must hold whatever happened: a tree inside the conversation, a path that is a chain of it."""
    every = h.messages(cid, include_superseded=True)
    ids = {m.id for m in every}
    for m in every:
        assert m.parent_id is None or (m.parent_id in ids and m.parent_id < m.id), m
    path = h.messages(cid)
    assert path == [] or path[0].parent_id is None
    for above, below in itertools.pairwise(path):
        assert below.parent_id == above.id
    for mid, sibs in h.branches(cid).items():
        assert mid in sibs and len(sibs) > 1 and sibs == h.siblings(mid)
    return [m.id for m in path]


def run_ops(h: History, cid: int, model: Model, ops: list[tuple[str, int]], reopen: callable) -> History:
    for op, pick in ops:
        if op == "reopen":
            h = reopen(h)
            continue
        before = {m.id for m in h.messages(cid, include_superseded=True)}
        path = h.messages(cid)
        target = path[pick % len(path)].id if path else None
        apply(h, cid, op, pick, f"text {pick} 长方形")
        after = h.messages(cid, include_superseded=True)
        new = [m for m in after if m.id not in before]
        assert {m.id for m in after} >= before  # never a loss
        for m in new:
            model.add(m.id, m.parent_id)
        if op == "switch" and target is not None:
            sibs = h.siblings(target)
            assert sibs == model.siblings(target)
            model.show(sibs[pick % len(sibs)])
        elif op == "show" and path:
            model.show(sorted(model.parent)[pick % len(model.parent)])
        elif op == "cut" and target is not None:
            model.cut(target)
        assert check_structure(h, cid) == model.path(), (op, pick)
    return h


@pytest.mark.slow
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from([*OPS, "reopen"]), st.integers(0, 1 << 20)), max_size=30))
def test_any_sequence_keeps_every_message_and_a_consistent_path(ops: list[tuple[str, int]]) -> None:
    with tempfile.TemporaryDirectory() as d:
        db = Path(d) / "h.db"
        h = History(db)

        def reopen(old: History) -> History:
            old.close()
            return History(db)

        try:
            cid = h.create_conversation("t").id
            model = Model()
            h = run_ops(h, cid, model, [o for o in ops if o[0] != "branch"], reopen)
            h = reopen(h)  # a restart keeps the tree and the path shown
            assert check_structure(h, cid) == model.path()
            for mid in model.parent:  # every message can be brought back on the path
                assert mid in [m.id for m in h.show(mid)]
            assert len(h.messages(cid, include_superseded=True)) == len(model.parent)
        finally:
            h.close()


def test_edit_and_regenerate_make_siblings_and_walking_back_restores_the_branch_below(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        c = h.create_conversation("rect")
        u1 = h.add_message(c.id, "user", "长方形周长 30")
        a1 = h.add_message(c.id, "assistant", "first")
        u2 = h.add_message(c.id, "user", "and the area?")
        a2 = h.add_message(c.id, "assistant", "54")
        a1b = h.add_message(c.id, "assistant", "second", parent_id=u1)  # regenerate
        assert [m.content for m in h.messages(c.id)] == ["长方形周长 30", "second"]
        assert h.branches(c.id) == {a1b: [a1, a1b]}
        path = h.show(a1)  # walk back: the branch below a1 comes back as it was
        assert [m.id for m in path] == [u1, a1, u2, a2]
        e = h.edit_message(a1, "steered")  # editing a reply is a sibling too
        assert h.siblings(a1) == [a1, a1b, e] and h.get_message(e).extra == {"edited_from": a1}  # type: ignore[union-attr]
        assert [m.id for m in h.messages(c.id)] == [u1, e]
        u1b = h.edit_message(u1, "长方形周长 32")
        assert [m.id for m in h.messages(c.id)] == [u1b] and h.siblings(u1) == [u1, u1b]
        assert [m.id for m in h.show(u1)] == [u1, e]  # under u1 the last branch shown there
        with pytest.raises(HistoryError):
            h.add_message(c.id, "user", "x", parent_id=h.create_conversation("other").id + 10_000)


def test_branch_from_here_copies_the_path_and_the_settings(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        c = h.create_conversation("source", model="R1")
        h.set_adapters(c.id, [("ahoy", 0.5)])
        h.set_thinking(c.id, False)
        h.set_documents(c.id, ["manuals"])
        u1 = h.add_message(c.id, "user", "q1")
        a1 = h.add_message(c.id, "assistant", "a1", reasoning="think", boxed="6", completion_tokens=7,
                           extra={"maths": True})
        h.add_message(c.id, "user", "q2")
        h.add_message(c.id, "assistant", "a2")
        new = h.branch_from(a1, title="source (branch)")
        assert new.id != c.id and new.title == "source (branch)" and new.model == "R1"
        assert new.adapters == [("ahoy", 0.5)] and new.thinking is False and new.documents == ["manuals"]
        copy = h.messages(new.id)
        assert [(m.role, m.content, m.reasoning, m.boxed, m.completion_tokens, m.extra) for m in copy] == \
            [("user", "q1", "", None, 0, {}), ("assistant", "a1", "think", "6", 7, {"maths": True})]
        assert copy[1].parent_id == copy[0].id and {m.id for m in copy}.isdisjoint({u1, a1})
        assert len(h.messages(c.id)) == 4  # the source is untouched
        h.add_message(new.id, "user", "q2 in the branch")
        assert len(h.messages(new.id)) == 3 and len(h.messages(c.id)) == 4
        hits = h.search("branch")
        assert [(x.conversation_id, x.conversation_title) for x in hits] == [(new.id, "source (branch)")]


def test_search_finds_every_branch_and_opens_it(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        c = h.create_conversation("rect")
        u1 = h.add_message(c.id, "user", "长方形的周长是30厘米")
        a1 = h.add_message(c.id, "assistant", "宽是6厘米，面积54平方厘米")
        h.add_message(c.id, "user", "thanks")
        h.add_message(c.id, "assistant", "you are welcome")
        a1b = h.add_message(c.id, "assistant", "Width 6 cm, area \\boxed{54}", parent_id=u1)
        other = h.create_conversation("other")
        h.add_message(other.id, "user", "unrelated")
        hit, = h.search("面积")  # 2 characters: the LIKE path, on the branch not shown
        assert (hit.conversation_id, hit.message_id, hit.shown) == (c.id, a1, False)
        hit, = h.search("welcome")  # trigram path, two levels down a hidden branch
        assert hit.shown is False
        path = h.show(hit.message_id)  # type: ignore[arg-type]
        assert [m.content for m in path][-1] == "you are welcome" and path[1].id == a1
        assert h.search("welcome")[0].shown is True
        hit, = h.search("area")
        assert (hit.message_id, hit.shown) == (a1b, False)
        # A word on both branches: the hit is the one shown.
        h.show(a1b)
        h.edit_message(a1b, "面积 is 54")
        hit, = h.search("面积")
        assert hit.shown is True and hit.matches == 2


def test_export_v2_round_trip_keeps_the_tree_and_v1_still_imports(tmp_path: Path) -> None:
    with History(tmp_path / "h.db") as h:
        c = h.create_conversation("三角形")
        u1 = h.add_message(c.id, "user", "q")
        a1 = h.add_message(c.id, "assistant", "a", reasoning="r", boxed="6")
        h.add_message(c.id, "user", "q2")
        h.add_message(c.id, "assistant", "a2")
        h.add_message(c.id, "assistant", "b", parent_id=u1)
        h.edit_message(u1, "q edited")
        h.show(a1)  # the path shown, and under u1 the choice of a1
        data = h.export_json(c.id)
        assert data["version"] == 2 and len(data["messages"]) == 6
        new = h.import_json(data)
        old_dump, new_dump = dump(h)[c.id], dump(h)[new]
        shift = min(r[0] for r in new_dump[0]) - min(r[0] for r in old_dump[0])  # type: ignore[index]

        def moved(x: int | None) -> int | None:
            return None if x is None else x + shift

        assert [(moved(i), moved(p), role, text, moved(ch)) for i, p, role, text, ch in old_dump[0]] == new_dump[0]
        assert [moved(i) for i in old_dump[1]] == new_dump[1]  # type: ignore[union-attr]
        assert h.branches(new) == {k + shift: [v + shift for v in vs] for k, vs in h.branches(c.id).items()}

        v1 = {"format": "assistant-conversation", "version": 1, "conversation": {"title": "old"},
              "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "a"},
                           {"role": "user", "content": "q2"}]}
        old = h.import_json(v1)
        path = h.messages(old)
        assert [m.content for m in path] == ["q", "a", "q2"] and path[2].parent_id == path[1].id
        # Hand-written version 2: a missing choice shows the latest child; a parent later in the list is refused.
        v2 = {"format": "assistant-conversation", "version": 2, "conversation": {},
              "messages": [{"role": "user", "content": "q"}, {"role": "assistant", "content": "x", "parent": 0},
                           {"role": "assistant", "content": "y", "parent": 0}]}
        assert [m.content for m in h.messages(h.import_json(v2))] == ["q", "y"]
        before = len(h.list_conversations())
        bad = {**v2, "messages": [{"role": "user", "content": "q", "parent": 1}, {"role": "user", "content": "r"}]}
        with pytest.raises(Exception, match="earlier message"):
            h.import_json(bad)
        assert len(h.list_conversations()) == before


@pytest.mark.slow
def test_a_kill_mid_write_loses_at_most_the_operation_in_flight(tmp_path: Path) -> None:
    """A real child process doing seeded operations is killed with SIGKILL at a random moment, several times;
    each time the file is whole, the tree consistent, and equal to a clean run of the same operations up to
    the last one it reported, or to a clean run part-way into the one after (each of its transactions: a message
    sent is the question, then the reply; the last may be committed and not yet reported)."""
    db = tmp_path / "killed.db"
    rng = random.Random(25)
    for round_ in range(4):
        seed = 1000 + round_
        db.unlink(missing_ok=True)
        child = subprocess.Popen([sys.executable, "-m", "tests.core.history_ops", str(db), str(seed)], cwd=REPO,
                                 stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONUNBUFFERED": "1"})
        assert child.stdout is not None
        deadline = time.monotonic() + 60
        reported = 0
        wanted = rng.randint(20, 120)
        while reported < wanted and time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            reported = int(line)
        time.sleep(rng.random() * 0.01)  # a moment later: often between two transactions of the next action
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        reported = max([reported, *[int(x) for x in child.stdout.read().split()]])
        assert reported >= wanted, "the child stopped before it was killed"
        with History(db) as h:
            assert h.integrity_check() == "ok"
            for conv in h.list_conversations(include_deleted=True):
                check_structure(h, conv.id)
            got = dump(h)
        with History(tmp_path / f"clean{round_}.db") as h2:
            driver = Driver(seed)
            for _ in range(reported):
                driver.step(h2)
            clean = [dump(h2)]
            in_flight = EveryWrite(h2)
            driver.step(in_flight)  # type: ignore[arg-type]
            clean += in_flight.snapshots
        assert got in clean, f"round {round_}: state after the kill matches no clean run"


def test_migration_keeps_a_large_history_whole_and_fast(tmp_path: Path) -> None:
    """The migration on 2,000 schema-1 conversations (20,000 rows, a fifth superseded) runs in one
    transaction, quickly enough for an app start."""
    from .test_history_migration import schema1_db

    db = tmp_path / "big.db"
    conn = schema1_db(db)
    clock = 1_700_000_000.0
    rows = []
    for cid in range(1, 2001):
        conn.execute("INSERT INTO conversations(id, title, created_at, updated_at) VALUES (?, 't', ?, ?)",
                     (cid, clock, clock))
        for k in range(10):
            clock += 1
            # odd conversations: the second question edited (the old supersede_from) before the fifth row
            sup = clock - k + 4.5 if k in (3, 4) and cid % 2 else None
            rows.append((cid, "user" if k % 2 == 0 else "assistant", f"m{k}", clock, clock, sup))
    conn.executemany("INSERT INTO messages(conversation_id, role, content, created_at, updated_at, superseded_at) "
                     "VALUES (?,?,?,?,?,?)", rows)
    conn.commit()
    conn.close()
    t0 = time.perf_counter()
    with History(db) as h:
        seconds = time.perf_counter() - t0
        odd, even = h.messages(1), h.messages(2000)
        assert [m.content for m in odd] == ["m0", "m1", "m2", "m5", "m6", "m7", "m8", "m9"] and len(even) == 10
        assert odd[3].parent_id == odd[2].id and h.siblings(odd[3].id) == [odd[2].id + 1, odd[3].id]
        assert seconds < 30
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT COUNT(*) FROM messages").fetchone()[0] == 20_000
