"""The conversation tree inside the history: every edit and every regenerate is a sibling, never a loss.

A message has a parent (``parent_id``; NULL for a first message). Which branch is shown is remembered per
parent: ``messages.chosen_child_id`` is the child last shown under a message, and
``conversations.chosen_root_id`` the first message last shown. The path shown is the chain from the chosen
root through the chosen children; switching a branch rewrites one link, and the branch below the new
sibling comes back as it was last seen. A message with children and no chosen child ends the path there
(the state an older app's "supersede" left, kept as it was).

Why per-parent choices rather than one remembered leaf: walking back to a sibling must restore the path
under it that the user last saw, and a leaf alone does not say which one that was.

Here: migration ``0004_message_tree`` (today's linear rows with ``superseded_at`` become a tree), the SQL
that reads the path, and the links of an imported file (format version 2 keeps the tree; version 1 is a
line). The store's operations are in :mod:`assistant.core.chat.history`.
"""

from __future__ import annotations

import itertools
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.core.errors import ImportFormatError

# The shown path of one conversation, root first. Each step must be a real child (parent link checked), in
# the same conversation and later (a damaged file cannot make the walk loop).
PATH_SQL = """
WITH RECURSIVE path(id, depth) AS (
    SELECT r.id, 0 FROM conversations c JOIN messages r
        ON r.id = c.chosen_root_id AND r.conversation_id = c.id AND r.parent_id IS NULL
    WHERE c.id = ?
    UNION ALL
    SELECT ch.id, path.depth + 1 FROM path JOIN messages m ON m.id = path.id
        JOIN messages ch ON ch.id = m.chosen_child_id AND ch.parent_id = m.id
            AND ch.conversation_id = m.conversation_id AND ch.id > m.id
)
"""


def path_ids(conn: sqlite3.Connection, conversation_id: int) -> list[int]:
    """The ids of the path shown, root first."""
    return [int(r[0]) for r in conn.execute(PATH_SQL + "SELECT id FROM path ORDER BY depth", (conversation_id,))]


def ancestors(conn: sqlite3.Connection, message_id: int) -> list[int]:
    """``message_id`` and its ancestors, root first ([] if there is no such message)."""
    rows = conn.execute(
        "WITH RECURSIVE up(id, parent_id, depth) AS ("
        " SELECT id, parent_id, 0 FROM messages WHERE id = ?"
        " UNION ALL SELECT m.id, m.parent_id, up.depth + 1 FROM up JOIN messages m"
        " ON m.id = up.parent_id AND m.id < up.id) SELECT id FROM up ORDER BY depth DESC", (message_id,))
    return [int(r[0]) for r in rows]


def choose(conn: sqlite3.Connection, conversation_id: int, parent_id: int | None, child_id: int | None) -> None:
    """Remember ``child_id`` as the one shown under ``parent_id`` (None: under the conversation's start)."""
    if parent_id is None:
        conn.execute("UPDATE conversations SET chosen_root_id=? WHERE id=?", (child_id, conversation_id))
    else:
        conn.execute("UPDATE messages SET chosen_child_id=? WHERE id=?", (child_id, parent_id))


def show_path(conn: sqlite3.Connection, conversation_id: int, chain: Sequence[int]) -> None:
    """Make the path shown run through ``chain`` (a message and its ancestors, root first); below its last
    message the branch last shown there comes back."""
    parent: int | None = None
    for mid in chain:
        choose(conn, conversation_id, parent, mid)
        parent = mid


# ---------------------------------------------------------------------------------------------------
# Migration 0004: linear rows with superseded runs → a tree


@dataclass
class Links:
    """A conversation's tree: each message's parent, the child last shown under each message (absent: none),
    and the first message shown (None: nothing)."""

    parent: dict[int, int | None]
    chosen: dict[int, int]
    root: int | None


def legacy_tree(rows: Sequence[tuple[int, float | None]]) -> Links:
    """The tree hidden in a schema-1 conversation: rows (id, superseded_at) in id order.

    The old store appended rows and, on edit or regenerate, marked the message replaced and every later
    visible one with one ``superseded_at`` stamp (``supersede_from``). Replaying that: the visible rows at any
    moment are a line, and a row's parent is the last visible row when it was written. A stamp's group G
    left the line before row r (r later than all of G) unless r was itself hidden by an earlier stamp: a row
    written before G and later than G's first row was either in G or already hidden. So only the order of
    the stamps matters, not the rows' creation times (an imported conversation keeps the file's). What the
    old app showed (the rows never superseded) stays the path shown; under every other message, its latest
    child.
    """
    groups: dict[float, list[int]] = defaultdict(list)
    stamp_of: dict[int, float] = {}
    for mid, superseded in rows:
        if superseded is not None:
            groups[superseded].append(mid)
            stamp_of[mid] = superseded
    pending = sorted((stamp, max(ids), set(ids)) for stamp, ids in groups.items())
    live: list[int] = []
    parent: dict[int, int | None] = {}
    for mid, _superseded in rows:
        mine = stamp_of.get(mid)
        ready = [g for g in pending if g[1] < mid and not (mine is not None and mine < g[0])]
        for g in ready:  # in stamp order
            live = [x for x in live if x not in g[2]]
            pending.remove(g)
        parent[mid] = live[-1] if live else None
        live.append(mid)
    children: dict[int | None, list[int]] = defaultdict(list)
    for mid, p in parent.items():
        children[p].append(mid)
    chosen = {p: kids[-1] for p, kids in children.items() if p is not None}
    root = children[None][-1] if children[None] else None
    shown = [mid for mid, superseded in rows if superseded is None]
    if not shown:
        return Links(parent, chosen, None)  # the old app showed nothing: neither does this one
    chain = [shown[-1]]
    while (p := parent[chain[-1]]) is not None:
        chain.append(p)
    chain.reverse()
    root = chain[0]
    for above, below in itertools.pairwise(chain):
        chosen[above] = below
    chosen.pop(chain[-1], None)  # the old app showed nothing after its last visible row
    return Links(parent, chosen, root)


def migrate_message_tree(conn: sqlite3.Connection) -> None:
    """Migration ``0004_message_tree`` (runs inside the migration's transaction)."""
    conn.execute("ALTER TABLE messages ADD COLUMN parent_id INTEGER")
    conn.execute("ALTER TABLE messages ADD COLUMN chosen_child_id INTEGER")
    conn.execute("ALTER TABLE conversations ADD COLUMN chosen_root_id INTEGER")
    conn.execute("CREATE INDEX messages_by_parent ON messages(parent_id)")
    for (cid,) in conn.execute("SELECT id FROM conversations").fetchall():
        rows = conn.execute("SELECT id, superseded_at FROM messages WHERE conversation_id=? ORDER BY id",
                            (cid,)).fetchall()
        links = legacy_tree([(int(r[0]), r[1]) for r in rows])
        conn.executemany("UPDATE messages SET parent_id=?, chosen_child_id=? WHERE id=?",
                         [(p, links.chosen.get(mid), mid) for mid, p in links.parent.items()])
        conn.execute("UPDATE conversations SET chosen_root_id=? WHERE id=?", (links.root, cid))


# ---------------------------------------------------------------------------------------------------
# Export / import (format version 2: the tree; version 1: a line)


def export_links(ids: Sequence[int], parents: Sequence[int | None], chosen: Sequence[int | None],
                 root: int | None) -> tuple[list[dict[str, int | None]], int | None]:
    """Per exported message (in ``ids`` order) its ``parent`` and ``chosen`` child as positions in the list,
    and the position of the first message shown."""
    pos = {mid: i for i, mid in enumerate(ids)}
    links = [{"parent": pos.get(p) if p is not None else None, "chosen": pos.get(c) if c is not None else None}
             for p, c in zip(parents, chosen)]
    return links, pos.get(root) if root is not None else None


def import_links(version: int, conversation: dict[str, Any], messages: Sequence[Any]) -> Links:
    """The tree of an imported file as positions in its message list. Version 1 is a line. In version 2 a
    parent must come earlier in the list (a file that says otherwise is refused); a chosen child that is not
    a child, or is missing, falls back to the latest child, so a hand-written file still shows a whole path."""
    n = len(messages)
    if version < 2:
        line = Links({i: (i - 1 if i else None) for i in range(n)}, {i: i + 1 for i in range(n - 1)}, 0 if n else None)
        return line
    parent: dict[int, int | None] = {}
    children: dict[int | None, list[int]] = defaultdict(list)
    for i, m in enumerate(messages):
        p = m.get("parent")
        if p is not None and (isinstance(p, bool) or not isinstance(p, int) or not 0 <= p < i):
            raise ImportFormatError(f"Message {i + 1} names a parent that is not an earlier message.",
                                    hint="Choose a file exported by this app (Export → JSON).")
        parent[i] = p
        children[p].append(i)

    def pick(kids: list[int], value: Any, present: bool) -> int | None:
        if present and value is None:
            return None  # the path was cut here on purpose
        return value if isinstance(value, int) and not isinstance(value, bool) and value in kids else kids[-1]

    chosen: dict[int, int] = {}
    for i, m in enumerate(messages):
        if children.get(i):
            c = pick(children[i], m.get("chosen"), "chosen" in m)
            if c is not None:
                chosen[i] = c
    root = pick(children[None], conversation.get("chosen_root"), "chosen_root" in conversation) \
        if children.get(None) else None
    return Links(parent, chosen, root)


__all__ = ["PATH_SQL", "Links", "ancestors", "choose", "export_links", "import_links", "legacy_tree",
           "migrate_message_tree", "path_ids", "show_path"]
