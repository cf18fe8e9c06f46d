"""The sidebar: one search result per conversation, Markdown-free highlighted snippets, the keyboard (Down,
Enter, Esc) and each row's last-updated date. Real SQLite history, real widgets, a scripted backend."""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, QLocale, Qt, QTime
from PySide6.QtWidgets import QListWidgetItem

from assistant.core.chat.history import History
from assistant.core.paths import app_paths
from assistant.ui.conversations.rows import (
    CONV_ID,
    DATE,
    HIT_CLOSE,
    HIT_OPEN,
    MESSAGE_ID,
    SNIPPET_HTML,
    highlight_html,
    month_day_format,
    short_date,
)

from .conftest import type_text
from .fakes import FakeBackend

pytestmark = pytest.mark.gui


@pytest.fixture
def default_locale() -> Iterator[None]:
    before = QLocale()
    yield
    QLocale.setDefault(before)


def rows(w: Any) -> list[QListWidgetItem]:
    return [w.sidebar.list.item(i) for i in range(w.sidebar.list.count())]


def search(qtbot: Any, w: Any, query: str) -> list[QListWidgetItem]:
    w.sidebar.focus_search()
    type_text(qtbot, w.sidebar.search, query)
    qtbot.waitUntil(lambda: not w.sidebar._search_timer.isActive(), timeout=5000)
    return rows(w)


def make_history() -> dict[str, int]:
    h = History()
    try:
        py = h.create_conversation("Lists")
        ids = {"py": py.id}
        h.add_message(py.id, "user", "How do I **reverse** a list?")
        ids["py_answer"] = h.add_message(
            py.id, "assistant", "# Reversing\n\nUse `reversed()`, or **Reverse** it in place: [docs](https://x.org).")
        time.sleep(0.01)
        zh = h.create_conversation("经济")
        ids["zh"] = zh.id
        h.add_message(zh.id, "user", "中国经济的**发展**怎么样？")
        h.add_message(zh.id, "assistant", "## 发展\n\n经济持续`发展`。")
        time.sleep(0.01)
        other = h.create_conversation("Other")
        ids["other"] = other.id
        h.add_message(other.id, "user", "nothing to see")
        return ids
    finally:
        h.close()


def test_one_highlighted_markdown_free_row_per_conversation(make_window: Any, qtbot: Any) -> None:
    ids = make_history()
    w = make_window(FakeBackend(), last_conversation_id=ids["other"])
    found = search(qtbot, w, "reverse")
    assert [r.data(CONV_ID) for r in found] == [ids["py"]]  # two messages match, one row
    row = found[0]
    text = row.text()
    assert text.splitlines()[0] == "Lists" and "+1 more" in text
    assert "**" not in text and "#" not in text and "`" not in text and "](" not in text
    html = row.data(SNIPPET_HTML)
    assert f"{HIT_OPEN}Reverse{HIT_CLOSE}" in html and f"{HIT_OPEN}reverse{HIT_CLOSE}" in html  # any case
    assert row.data(MESSAGE_ID) == ids["py_answer"]  # the answer: Markdown removed, "reverse" matched
    assert row.data(DATE)
    lst = w.sidebar.list
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(row).center())
    assert w.conversation_id == ids["py"]

    w.sidebar.search.clear()
    found = search(qtbot, w, "发展")  # two Chinese characters: the LIKE path
    assert [r.data(CONV_ID) for r in found] == [ids["zh"]]
    assert "**" not in found[0].text() and "#" not in found[0].text()
    assert f"{HIT_OPEN}发展{HIT_CLOSE}" in found[0].data(SNIPPET_HTML)
    w.sidebar.list.grab()  # the delegate paints the rich rows without error


def test_highlight_escapes_the_text() -> None:
    assert highlight_html("a <b> & Go go", ["go"]) == (
        f"a &lt;b&gt; &amp; {HIT_OPEN}Go{HIT_CLOSE} {HIT_OPEN}go{HIT_CLOSE}")


def test_keyboard_down_enter_and_esc(make_window: Any, qtbot: Any) -> None:
    ids = make_history()
    w = make_window(FakeBackend(), last_conversation_id=ids["other"])
    normal = [r.data(CONV_ID) for r in rows(w)]
    assert normal == [ids["other"], ids["zh"], ids["py"]]
    w.sidebar.focus_search()
    qtbot.keyClicks(w.sidebar.search, "reverse")  # Down right after typing: no wait for the delay
    qtbot.keyClick(w.sidebar.search, Qt.Key.Key_Down)
    lst = w.sidebar.list
    assert lst.hasFocus() and lst.currentRow() == 0 and lst.currentItem().data(CONV_ID) == ids["py"]
    qtbot.keyClick(lst, Qt.Key.Key_Return)
    assert w.conversation_id == ids["py"]

    w.sidebar.focus_search()
    qtbot.keyClick(w.sidebar.search, Qt.Key.Key_Escape)
    assert w.sidebar.search.text() == "" and w.sidebar.search.hasFocus()
    assert [r.data(CONV_ID) for r in rows(w)] == normal  # the normal list, at once
    assert all(r.data(SNIPPET_HTML) is None for r in rows(w))
    qtbot.keyClick(w.sidebar.search, Qt.Key.Key_Escape)  # a second Esc: back to the message box
    assert w.chat.input.hasFocus()

    search(qtbot, w, "发展")
    qtbot.keyClick(w.sidebar.search, Qt.Key.Key_Down)
    assert lst.hasFocus() and lst.currentItem().data(CONV_ID) == ids["zh"]
    qtbot.keyClick(lst, Qt.Key.Key_Escape)  # Esc in the results clears the search too
    assert w.sidebar.search.text() == "" and w.sidebar.search.hasFocus()
    assert [r.data(CONV_ID) for r in rows(w)] == normal


def test_rows_show_the_last_updated_date_in_the_ui_language(make_window: Any, qtbot: Any,
                                                            default_locale: None) -> None:
    ids = make_history()
    today = QDate.currentDate()
    this_year = QDate(today.year(), 1, 1) if today != QDate(today.year(), 1, 1) else QDate(today.year(), 12, 31)
    older = QDate(today.year() - 2, 11, 3)
    stamp = lambda d: QDateTime(d, QTime(9, 30)).toSecsSinceEpoch()  # noqa: E731
    with sqlite3.connect(app_paths().history_db) as db:
        db.execute("UPDATE conversations SET updated_at=? WHERE id=?", (stamp(this_year), ids["zh"]))
        db.execute("UPDATE conversations SET updated_at=? WHERE id=?", (stamp(older), ids["py"]))
    QLocale.setDefault(QLocale("en_US"))  # what choosing English does
    w = make_window(FakeBackend(), last_conversation_id=ids["other"])
    dates = {r.data(CONV_ID): r.data(DATE) for r in rows(w)}
    assert re.fullmatch(r"\d{1,2}:\d{2}\s?[AP]M", dates[ids["other"]])  # today: the time
    assert dates[ids["zh"]] == ("Jan 1" if this_year.month() == 1 else "Dec 31")  # this year: no year
    assert dates[ids["py"]] == f"11/3/{older.year() % 100:02d}"  # before: the full date
    QLocale.setDefault(QLocale("zh_CN"))  # what choosing 简体中文 does
    w.sidebar.refresh()
    dates = {r.data(CONV_ID): r.data(DATE) for r in rows(w)}
    assert re.fullmatch(r"\d{2}:\d{2}", dates[ids["other"]])
    assert dates[ids["zh"]] == ("1月1日" if this_year.month() == 1 else "12月31日")
    assert dates[ids["py"]] == f"{older.year()}/11/3"
    w.sidebar.search.setText("发展")
    w.sidebar.refresh()
    assert rows(w)[0].data(DATE) == dates[ids["zh"]]  # search results too


def test_short_date_formats() -> None:
    now = QDateTime(QDate(2024, 6, 15), QTime(18, 0))
    at = lambda y, m, d, h=14, mi=5: QDateTime(QDate(y, m, d), QTime(h, mi)).toMSecsSinceEpoch() / 1000  # noqa: E731
    zh, gb, us = QLocale("zh_CN"), QLocale("en_GB"), QLocale("en_US")
    assert [short_date(at(2024, 6, 15), loc, now) for loc in (zh, gb, us)] == ["14:05", "14:05", "2:05\u202fPM"]
    assert [short_date(at(2024, 11, 3), loc, now) for loc in (zh, gb, us)] == ["11月3日", "3 Nov", "Nov 3"]
    assert [short_date(at(2023, 11, 3), loc, now) for loc in (zh, gb, us)] == ["2023/11/3", "03/11/2023", "11/3/23"]
    assert month_day_format(QLocale("de_DE")) == "d. MMM" and month_day_format(QLocale("ko_KR")) == "MMM d일"
