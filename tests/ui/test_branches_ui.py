"""Branches in the window: Regenerate and Edit make versions, ‹ n/m › walks between them (remembered), a reply
edited by hand steers the next turn, "Branch from here" opens a copy, a search hit opens its branch. Real widgets
offscreen; a scripted backend for the fast cases, the real bundled model for the navigator in the live window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from assistant.core.chat.history import History
from assistant.ui.conversations.rows import MESSAGE_ID

from .conftest import REAL_SETTINGS, load, send
from .fakes import FakeBackend

pytestmark = pytest.mark.gui


def click(qtbot: Any, button: Any) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def regenerate(qtbot: Any, w: Any, timeout: int = 120_000) -> Any:
    reply = w.chat.messages[-1]
    assert reply.header.regenerate_button.isVisible()
    with qtbot.waitSignal(w.reply_done, timeout=timeout) as blocker:
        click(qtbot, reply.header.regenerate_button)
    return blocker.args[0]


def navigator(widget: Any) -> Any:
    return widget.header.navigator


def sent_texts(backend: FakeBackend, k: int = -1) -> list[str]:
    return [m.content for m in backend.requests[k].messages if m.role != "system"]


def test_regenerate_twice_then_walk_the_versions_and_reopen(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(replies=["First reply.", "Second reply.", "Third reply.", "After the second."])
    w = make_window(backend)
    load(qtbot, w)
    send(qtbot, w, "Name a colour.")
    assert not navigator(w.chat.messages[-1]).isVisible()
    regenerate(qtbot, w)
    regenerate(qtbot, w)
    reply = w.chat.messages[-1]
    nav = navigator(reply)
    assert reply.answer == "Third reply." and nav.isVisible() and nav.position.text() == "3/3"
    assert not nav.next_button.isEnabled()
    click(qtbot, nav.previous_button)
    reply = w.chat.messages[-1]
    assert reply.answer == "Second reply." and navigator(reply).position.text() == "2/3"
    assert [m.role for m in w.chat.messages] == ["user", "assistant"]
    send(qtbot, w, "Go on.")  # a turn on the second version: the model saw that version
    assert sent_texts(backend) == ["Name a colour.", "Second reply.", "Go on."]
    click(qtbot, navigator(w.chat.messages[1]).previous_button)
    assert [m.answer for m in w.chat.messages] == ["Name a colour.", "First reply."]
    click(qtbot, navigator(w.chat.messages[1]).next_button)  # back: the turn below the second version returns
    assert [m.answer for m in w.chat.messages] == ["Name a colour.", "Second reply.", "Go on.", "After the second."]
    cid = w.conversation_id
    w.new_conversation()
    w.open_conversation(cid)  # the path last shown is remembered
    assert [m.answer for m in w.chat.messages][1] == "Second reply."
    assert navigator(w.chat.messages[1]).position.text() == "2/3"


def test_edit_a_question_and_walk_back_to_the_old_one(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(replies=["Paris.", "Rome.", "Madrid."])
    w = make_window(backend)
    load(qtbot, w)
    send(qtbot, w, "Capital of France?")
    send(qtbot, w, "And Italy?")
    first = w.chat.messages[0]
    click(qtbot, first.header.edit_button)
    first.edit_box.setPlainText("Capital of Spain?")
    with qtbot.waitSignal(w.reply_done, timeout=20_000):
        click(qtbot, first.edit_send)
    assert [m.answer for m in w.chat.messages] == ["Capital of Spain?", "Madrid."]
    assert sent_texts(backend) == ["Capital of Spain?"]  # the edit starts the conversation afresh
    nav = navigator(w.chat.messages[0])
    assert nav.isVisible() and nav.position.text() == "2/2"
    click(qtbot, nav.previous_button)
    assert [m.answer for m in w.chat.messages] == ["Capital of France?", "Paris.", "And Italy?", "Rome."]
    assert len(w.history.messages(w.conversation_id, include_superseded=True)) == 6


def test_an_edited_reply_steers_the_next_turn(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(replies=["I am not sure.", "Then 42 it is."])
    w = make_window(backend, maths_mode="off")
    load(qtbot, w)
    send(qtbot, w, "What is 6 x 7?")
    reply = w.chat.messages[1]
    assert reply.header.edit_button.isVisible()
    click(qtbot, reply.header.edit_button)
    assert reply.editor.isVisible() and reply.edit_send.text() == "Save"
    reply.edit_box.setPlainText("It is 42.")
    click(qtbot, reply.edit_send)
    edited = w.chat.messages[1]
    assert edited.answer == "It is 42." and navigator(edited).position.text() == "2/2"
    assert not w.chat.busy and len(backend.requests) == 1  # saving an edit generates nothing
    send(qtbot, w, "Sure?")
    assert sent_texts(backend) == ["What is 6 x 7?", "It is 42.", "Sure?"]
    stored = w.history.get_message(edited.message_id)
    assert stored is not None and stored.extra.get("edited_from") == reply.message_id


def test_branch_from_here_opens_a_copy_in_a_new_conversation(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(replies=["One.", "Two.", "Three in the branch."])
    w = make_window(backend)
    load(qtbot, w)
    send(qtbot, w, "First?")
    send(qtbot, w, "Second?")
    source = w.conversation_id
    first_reply = w.chat.messages[1]
    assert first_reply.header.more_button.isEnabled()
    first_reply.header.branch_action.trigger()
    assert w.conversation_id != source
    assert [m.answer for m in w.chat.messages] == ["First?", "One."]
    assert w.windowTitle().startswith("First? (branch)")
    assert w.sidebar.current_id == w.conversation_id
    send(qtbot, w, "Another way?")
    assert sent_texts(backend) == ["First?", "One.", "Another way?"]
    assert len(w.history.messages(source)) == 4  # the source is untouched


def test_a_search_hit_on_another_branch_opens_that_branch(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(replies=["The ocean is salty.", "Lakes are fresh water."])
    w = make_window(backend)
    load(qtbot, w)
    send(qtbot, w, "Tell me about water.")
    regenerate(qtbot, w)
    assert w.chat.messages[-1].answer == "Lakes are fresh water."
    w.new_conversation()
    w.sidebar.search.setText("salty")
    lst = w.sidebar.list

    def hits() -> list[Any]:
        return [lst.item(i) for i in range(lst.count()) if lst.item(i).data(MESSAGE_ID)]

    qtbot.waitUntil(lambda: len(hits()) == 1, timeout=5000)
    qtbot.mouseClick(lst.viewport(), Qt.MouseButton.LeftButton, pos=lst.visualItemRect(hits()[0]).center())
    qtbot.waitUntil(lambda: bool(w.chat.messages) and w.chat.messages[-1].answer == "The ocean is salty.",
                    timeout=5000)
    assert navigator(w.chat.messages[-1]).position.text() == "1/2"


def test_versions_cannot_be_walked_while_a_reply_streams(make_window: Any, qtbot: Any) -> None:
    backend = FakeBackend(replies=["A.", "B.", list("a long reply " * 20)], delay=0.02)
    w = make_window(backend)
    load(qtbot, w)
    send(qtbot, w, "Hi")
    regenerate(qtbot, w)
    with qtbot.waitSignal(w.reply_done, timeout=20_000):
        w.session.send_message("More")
        nav = navigator(w.chat.messages[1])
        assert not nav.isEnabled() and not w.chat.messages[1].header.edit_button.isEnabled()
        nav.step(-1)  # ignored while busy
        assert w.chat.messages[1].answer == "B."
    assert navigator(w.chat.messages[1]).isEnabled()


@pytest.mark.model
def test_the_navigator_in_the_live_window_with_the_real_model(make_window: Any, qtbot: Any,
                                                               bundled_model: Path) -> None:
    """Regenerate twice with the real model, walk ‹ › (the text changes, the model's cache follows the path
    shown), close the window, open a new one on the same history: the path is remembered."""
    w = make_window(sampling_max_tokens=24, sampling_temperature=1.0, **REAL_SETTINGS)
    load(qtbot, w, timeout=300_000)  # the first load of a test run probes the CPU first
    send(qtbot, w, "Name a colour and say why you like it.")
    texts = {w.chat.messages[-1].answer}
    for k in (1, 2):
        w.settings.sampling.seed = 100 + k  # other samples, so the versions differ
        texts.add(regenerate(qtbot, w).answer)
    assert len(texts) == 3, texts
    reply = w.chat.messages[-1]
    third = reply.answer
    assert navigator(reply).position.text() == "3/3"
    backend = w.session.worker.backend
    click(qtbot, navigator(reply).previous_button)
    second = w.chat.messages[-1].answer
    assert second != third and navigator(w.chat.messages[-1]).position.text() == "2/3"
    click(qtbot, navigator(w.chat.messages[-1]).previous_button)
    first = w.chat.messages[-1].answer
    assert first not in (second, third) and navigator(w.chat.messages[-1]).position.text() == "1/3"
    click(qtbot, navigator(w.chat.messages[-1]).next_button)
    assert w.chat.messages[-1].answer == second
    # The cache follows the path shown: the prewarm of the version walked to brings it there.
    path = w.session.history_for(w.conversation_id)
    from assistant.core.chat.turn import TurnOptions, next_prefix

    prefix = next_prefix(path, TurnOptions.from_settings(w.settings), backend.family)
    want = len(backend.tokenize_prompt(backend.family.render_prefix(prefix, backend.info.default_system)))
    qtbot.waitUntil(lambda: backend.prewarmed_tokens == want, timeout=60_000)
    db = w.history.path
    cid = w.conversation_id
    w.shutdown()
    with History(db) as h:
        assert [m.content for m in h.messages(cid)][-1] == second
    again = make_window(**REAL_SETTINGS)  # a new start of the app, same history: it opens the last conversation
    assert again.conversation_id == cid
    assert again.chat.messages[-1].answer == second
    assert navigator(again.chat.messages[-1]).position.text() == "2/3"
