"""Searching the history: every branch of every conversation, one hit per conversation.

Terms of 3+ characters go through the FTS5 trigram index; shorter ones (most Chinese words have 2
characters, which a trigram index cannot match) through ``LIKE`` on the messages table itself. A hit names
its message, so opening it can show the branch it is on (``History.show``); ``shown`` says whether that
message is on the path shown now.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from assistant.core.chat.snippets import snippet


@dataclass
class SearchHit:
    conversation_id: int
    conversation_title: str
    message_id: int | None  # None: the title matched
    role: str
    snippet: str  # plain text (Markdown removed) around the first match; "" for a title match
    updated_at: float
    matches: int = 1  # messages of the conversation that matched (0: only the title)
    shown: bool = True  # the message is on the path shown now (False: on another branch; open it to show it)


def like_escape(term: str) -> str:
    return term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_messages(conn: sqlite3.Connection, query: str, limit: int = 50) -> list[SearchHit]:
    """One hit per conversation whose messages (or title) contain every term, newest first.

    Case-insensitive for ASCII. A conversation's hit is the message with the first term in its answer
    rather than its reasoning, then one on the path shown rather than on another branch, then the newest;
    ``matches`` counts them all, so a long conversation neither repeats nor crowds the others out of ``limit``.
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
            pat = f"%{like_escape(t)}%"
            params += [pat, pat]
    # Rank inside each conversation on ids only, then read the text of the one row kept (reading every
    # matching row's text made this twice as slow on a large history). The paths shown are walked only in
    # the conversations that matched.
    sql = (
        "WITH RECURSIVE matched AS (SELECT m.id, m.conversation_id, m.content LIKE ? ESCAPE '\\' AS in_answer "
        "FROM messages m JOIN conversations c ON c.id = m.conversation_id "
        "WHERE c.deleted_at IS NULL AND " + " AND ".join(clauses) + "), "
        "shown(id) AS (SELECT r.id FROM conversations c JOIN messages r ON r.id = c.chosen_root_id "
        "AND r.conversation_id = c.id AND r.parent_id IS NULL "
        "WHERE c.id IN (SELECT conversation_id FROM matched) "
        "UNION ALL SELECT ch.id FROM shown JOIN messages p ON p.id = shown.id JOIN messages ch "
        "ON ch.id = p.chosen_child_id AND ch.parent_id = p.id AND ch.id > p.id), "
        "hits AS (SELECT x.id, x.conversation_id, c.updated_at, x.id IN (SELECT id FROM shown) AS on_path, "
        "COUNT(*) OVER (PARTITION BY x.conversation_id) AS matches, ROW_NUMBER() OVER (PARTITION BY "
        "x.conversation_id ORDER BY x.in_answer DESC, x.id IN (SELECT id FROM shown) DESC, x.id DESC) AS rank "
        "FROM matched x JOIN conversations c ON c.id = x.conversation_id) "
        "SELECT h.*, m.role, m.content, m.reasoning, c.title FROM hits h JOIN messages m ON m.id = h.id "
        "JOIN conversations c ON c.id = h.conversation_id WHERE h.rank = 1 "
        "ORDER BY h.updated_at DESC, h.id DESC LIMIT ?"
    )
    hits: list[SearchHit] = []
    for r in conn.execute(sql, (f"%{like_escape(terms[0])}%", *params, limit)):
        where = r["content"] if terms[0].lower() in r["content"].lower() else r["reasoning"]
        hits.append(SearchHit(r["conversation_id"], r["title"], r["id"], r["role"], snippet(where, terms),
                              r["updated_at"], r["matches"], bool(r["on_path"])))
    # Titles too, for conversations not already found through a message.
    seen = {h.conversation_id for h in hits}
    title_sql = ("SELECT id, title, updated_at FROM conversations WHERE deleted_at IS NULL AND " +
                 " AND ".join("title LIKE ? ESCAPE '\\'" for _ in terms) + " ORDER BY updated_at DESC LIMIT ?")
    for r in conn.execute(title_sql, (*[f"%{like_escape(t)}%" for t in terms], limit)):
        if r["id"] not in seen:
            hits.append(SearchHit(r["id"], r["title"], None, "", "", r["updated_at"], 0))
    hits.sort(key=lambda h: (-h.updated_at, -(h.message_id or 0)))
    return hits[:limit]


__all__ = ["SearchHit", "like_escape", "search_messages"]
