"""A voted reply's samples in the chat: decoded together, their events arrive interleaved; the message keeps
them apart (one sample's text at a time, never mixed), shows each sample's state and the vote as it forms,
ends on the winner, and gets its strip of samples back from the history."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QLabel

from assistant.core.chat.history import History, StoredMessage
from assistant.core.chat.turn import TurnEvent
from assistant.ui.chat.view import ChatView
from assistant.ui.worker.events import SampleMark, ThinkingMeter, VoteEvent

from .conftest import REAL_SETTINGS, last_stored_message, load, send
from .fakes import FakeBackend

pytestmark = pytest.mark.gui


def ev(kind: str, sample: int, text: str = "") -> TurnEvent:
    return TurnEvent(kind, text, sample)


def chip_names(strip: Any) -> list[str]:
    return [QAccessible.queryAccessibleInterface(c).text(QAccessible.Text.Name) for c in strip.chips]


def test_interleaved_samples_never_mix_and_the_vote_forms(qtbot: Any) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    view.show()
    w = view.begin_reply("Model", reasoning_model=True)
    view.on_delta([SampleMark("sample_start", sample=k, total=4) for k in range(4)])
    strip = w.strip
    assert strip is not None and len(strip.chips) == 4 and strip.shown == 0
    # Interleaved, as the batched decode sends them: a piece of each sample in turn.
    view.on_delta([ev("reasoning", 0, "Zero thinks. "), ev("reasoning", 1, "One thinks. "),
                   ev("reasoning", 2, "Two thinks. "), ev("reasoning", 3, "Three thinks. "),
                   ThinkingMeter("meter", sample=0, tokens=5, limit=100),
                   ThinkingMeter("meter", sample=1, tokens=9, limit=100)])
    view.on_delta([ev("thinking_end", 0, "model"), ev("answer", 0, "Zero says \\boxed{42}"),
                   ev("answer", 1, "One says \\boxed{41}"), ev("reasoning", 2, "Still two. ")])
    w.flush(force=True)
    assert w.reasoning == "Zero thinks. " and w.thinking.text == "Zero thinks. "
    assert w.answer == "Zero says \\boxed{42}" and "One" not in w.body.toPlainText()
    assert w.thinking.tokens == 5  # the meter of the sample shown, not of the last one sent
    assert [s.state for s in strip.samples] == ["writing", "writing", "thinking", "thinking"]
    assert strip.vote_label.text() == "Vote so far: no answer yet"

    view.on_delta([SampleMark("sample_end", sample=1, total=4, finish_reason="stop", tokens=7)])
    w.flush()
    assert strip.vote_label.text() == "Vote so far: 41 ×1"
    view.on_delta([SampleMark("sample_end", sample=0, total=4, finish_reason="stop", tokens=6)])
    w.flush()
    assert strip.vote_label.text() == "Vote so far: 42 ×1, 41 ×1"
    assert strip.chips[0].text() == "1 · done · 6 tok · 42"

    # A click on sample 3's chip shows its text, live; the others' pieces stay out of it.
    qtbot.mouseClick(strip.chips[2], Qt.MouseButton.LeftButton)
    assert strip.shown == 2 and strip.chips[2].isChecked() and not strip.chips[0].isChecked()
    assert w.reasoning == "Two thinks. Still two. " and w.thinking.text == w.reasoning and w.answer == ""
    view.on_delta([ev("answer", 2, "Two: \\boxed{42}"), ev("answer", 3, "Three: \\boxed{7}")])
    w.flush(force=True)
    assert w.answer == "Two: \\boxed{42}" and "Three" not in w.body.toPlainText()
    assert w.thinking.seconds > 0 and not w.thinking.running  # its reasoning ended when its answer began
    view.on_delta([SampleMark("sample_end", sample=2, total=4, finish_reason="stop", tokens=8),
                   SampleMark("sample_end", sample=3, total=4, finish_reason="decided", tokens=3)])
    w.flush()
    assert strip.vote_label.text() == "Vote so far: 42 ×2, 41 ×1, 7 ×1"
    assert [s.state for s in strip.samples] == ["done", "done", "done", "decided"]
    names = chip_names(strip)
    assert names[3] == "Sample 4: stopped by the vote, 3 tokens, answer: 7"
    assert names[1] == "Sample 2: done, 7 tokens, answer: 41"

    # The turn ends: the winner (sample 1) is shown, whichever was on screen; the strip stays as a summary.
    facts = [{"answer": s.answer, "reasoning": s.reasoning, "finish_reason": f, "completion_tokens": t}
             for s, f, t in zip(strip.samples, ("stop", "stop", "stop", "decided"), (6, 7, 8, 3))]
    view.on_delta([VoteEvent("vote", samples=facts, chosen=0)])
    view.end_reply("done", answer="Zero says \\boxed{42}", reasoning="Zero thinks. ", stats=(24, 10.0))
    assert w.answer == "Zero says \\boxed{42}" and w.thinking.text == "Zero thinks. "
    assert "Two" not in w.body.toPlainText() and w.boxed_label.text() == "Answer: 42"
    assert strip.over and strip.chosen == 0 and strip.chips[0].isChecked()
    # The answer is in the body; the vote line says how many gave it, and that the vote was decided early.
    assert strip.vote_label.text() == "Vote: 2 of 4 samples gave the answer marked ✓ (decided early: the others " \
        "were stopped)"
    assert strip.chips[0].text().startswith("✓ 1 · done") and "(chosen by the vote)" in chip_names(strip)[0]
    assert strip.isVisibleTo(w) and strip.accessibleName() == "Samples of this reply"
    # After the turn, another sample can still be looked at.
    qtbot.mouseClick(strip.chips[1], Qt.MouseButton.LeftButton)
    assert w.answer == "One says \\boxed{41}" and w.boxed_label.text() == "Answer: 41"


def test_one_sample_has_no_strip(qtbot: Any) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    w = view.begin_reply("Model")
    view.on_delta([SampleMark("sample_start", sample=0, total=1), ev("answer", 0, "Hi"),
                   SampleMark("sample_end", sample=0, total=1, finish_reason="stop", tokens=1)])
    view.end_reply("done", answer="Hi", reasoning="")
    assert w.strip is None and w.answer == "Hi"


def test_a_stored_voted_reply_gets_its_strip_back(qtbot: Any) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    samples = [{"answer": "\\boxed{5}", "reasoning": "a", "finish_reason": "stop", "completion_tokens": 4,
                "thinking": {"tokens": 3, "end": "model", "seconds": 1.5}},
               {"answer": "\\boxed{6}", "reasoning": "b", "finish_reason": "stop", "completion_tokens": 5},
               {"answer": "\\boxed{6}", "reasoning": "c", "finish_reason": "length", "completion_tokens": 9}]
    m = StoredMessage(7, 1, "assistant", "\\boxed{6}", reasoning="b", extra={
        "samples": samples, "vote": {"winner": "6", "votes": 2, "total": 3, "chosen": 1},
        # stored before the window worded the vote itself: the core's English line is not shown again
        "notices": ["Self-consistency: 2/3 samples agree on 6."]})
    view.set_messages([m])
    w = view.messages[0]
    strip = w.strip
    assert strip is not None and strip.over and strip.chosen == 1 and strip.chips[1].isChecked()
    assert not strip.toggle.isChecked() and not strip.chips_box.isVisibleTo(w)  # folded: a one-line summary
    assert strip.vote_label.text() == "Vote: 2 of 3 samples gave the answer marked ✓"
    assert not w.notice.isVisibleTo(w)
    assert [c.text() for c in strip.chips] == ["1 · done · 4 tok · 5", "✓ 2 · done · 5 tok · 6",
                                               "3 · cut off · 9 tok · 6"]
    strip.toggle.click()
    assert strip.chips_box.isVisibleTo(w)
    qtbot.mouseClick(strip.chips[0], Qt.MouseButton.LeftButton)
    assert w.answer == "\\boxed{5}" and w.reasoning == "a" and w.thinking.seconds == 1.5


def test_continue_a_voted_reply_goes_on_from_its_winner(qtbot: Any) -> None:
    view = ChatView()
    qtbot.addWidget(view)
    samples = [{"answer": "Five", "finish_reason": "stop"}, {"answer": "Six and", "finish_reason": "length"}]
    view.set_messages([StoredMessage(3, 1, "assistant", "Six and", finish_reason="length", extra={
        "samples": samples, "vote": {"chosen": 1}})])
    w = view.messages[0]
    assert w.strip is not None
    qtbot.mouseClick(w.strip.chips[0], Qt.MouseButton.LeftButton)  # looking at the other sample
    assert w.answer == "Five"
    assert view.begin_continue(3) is w and w.answer == "Six and"  # the winner is what goes on
    view.on_delta([SampleMark("sample_start", sample=0, total=1), ev("answer", 0, " more"),
                   SampleMark("sample_end", sample=0, total=1, finish_reason="stop", tokens=1)])
    view.end_reply("done", answer="Six and more", reasoning="")
    assert w.answer == "Six and more" and w.strip.samples[1].answer == "Six and more"
    assert w.strip.samples[0].answer == "Five"


def test_samples_one_after_another_fill_the_strip_and_reload(make_window: Any, qtbot: Any) -> None:
    """The fake backend has no batched decode: its samples come one after another, through the same strip."""
    w = make_window(FakeBackend(["The answer is ", "\\boxed{7}"]), samples=3)
    load(qtbot, w)
    summary = send(qtbot, w, "3 + 4?")
    reply = w.chat.messages[-1]
    strip = reply.strip
    assert strip is not None and [s.state for s in strip.samples] == ["done"] * 3
    assert strip.vote_label.text() == "Vote: 3 of 3 samples gave the answer marked ✓"
    assert reply.answer == summary.answer
    stored = w.history.get_message(summary.message_id)
    assert [s["completion_tokens"] for s in stored.extra["samples"]] == [s.tokens for s in strip.samples]
    w.chat.set_messages(w.history.messages(w.conversation_id))
    again = w.chat.messages[-1].strip
    assert again is not None and len(again.chips) == 3 and again.vote_label.text() == strip.vote_label.text()


@pytest.mark.model
def test_real_model_samples_decoded_together(make_window: Any, qtbot: Any, bundled_model: Path) -> None:
    """The bundled model through llama.cpp's batched decode: three samples, each seen to finish, the winner
    shown, and the strip back after a restart."""
    w = make_window(samples=3, sampling_temperature=0.8, sampling_max_tokens=40, sampling_seed=11,
                    early_vote=False, **REAL_SETTINGS)
    load(qtbot, w)
    starts: list[int] = []
    w.session.worker.reply_delta.connect(
        lambda _job, events: starts.extend(e.sample for e in events if e.kind == "sample_start"))
    summary = send(qtbot, w, "What is 2 + 3? Answer with a number.", timeout=240_000)
    assert summary.status == "done" and starts[:3] == [0, 1, 2]  # all started before any ended: together
    reply = w.chat.messages[-1]
    strip = reply.strip
    assert strip is not None and len(strip.samples) == 3 and strip.over
    assert all(s.ended and s.tokens > 0 for s in strip.samples), [s.state for s in strip.samples]
    stored = last_stored_message()
    chosen = stored.extra["vote"]["chosen"]
    assert strip.chosen == chosen and strip.chips[chosen].isChecked()
    assert reply.answer == summary.answer == stored.extra["samples"][chosen]["answer"] == stored.content
    assert [s.answer for s in strip.samples] == [f["answer"] for f in stored.extra["samples"]]
    w.shutdown()
    # A restart: a new window on the same app home reopens the conversation from the history.
    h = History()
    conv = h.list_conversations()[0].id
    h.close()
    w2 = make_window(last_conversation_id=conv, **REAL_SETTINGS)
    restored = w2.chat.messages[-1]
    assert restored.strip is not None and len(restored.strip.chips) == 3
    assert restored.strip.chosen == chosen and restored.answer == summary.answer
    assert restored.strip.vote_label.text() == strip.vote_label.text()


def test_a_voted_reply_shows_its_answer_once(make_window: Any, qtbot: Any) -> None:
    """The winner's answer is in the reply's body and nowhere else outside the strip (no vote line or notice
    that repeats it as plain text); the other answers are in the strip."""
    w = make_window(FakeBackend(replies=["17 * 23 = 391", "17 * 23 = 377", "17*23 = 391"]), samples=3)
    load(qtbot, w)
    send(qtbot, w, "17 * 23 = ?")
    reply = w.chat.messages[-1]
    strip = reply.strip
    assert strip is not None and strip.chosen == 0 and reply.answer == "17 * 23 = 391"
    assert reply.body.toPlainText().count("391") == 1
    labels = [lab.text() for lab in reply.findChildren(QLabel) if lab.isVisibleTo(reply)]
    assert not [t for t in labels if "391" in t or "377" in t], labels
    assert strip.vote_label.text() == "Vote: 2 of 3 samples gave the answer marked ✓"
    assert "377" in strip.chips[1].text()  # the other answer, in the strip


def test_a_sample_without_an_answer_says_why(qtbot: Any) -> None:
    """A sample that did not vote says why in its chip (and what a screen reader says): no answer found, cut
    off at the token limit (while reasoning or after), a loop in its reasoning, stopped."""
    view = ChatView()
    qtbot.addWidget(view)
    w = view.begin_reply("Model", reasoning_model=True)
    view.on_delta([SampleMark("sample_start", sample=k, total=5) for k in range(5)])
    view.on_delta([ev("reasoning", 0, "Think. "), ev("thinking_end", 0, "model"), ev("answer", 0, "\\boxed{6}"),
                   ev("reasoning", 1, "Think. "), ev("thinking_end", 1, "model"), ev("answer", 1, "  "),
                   ev("reasoning", 2, "Think and think "),
                   ev("reasoning", 3, "Round and round. "), ev("thinking_end", 3, "loop"),
                   ev("reasoning", 4, "Hm. ")])
    view.on_delta([SampleMark("sample_end", sample=0, total=5, finish_reason="stop", tokens=9),
                   SampleMark("sample_end", sample=1, total=5, finish_reason="stop", tokens=22),
                   SampleMark("sample_end", sample=2, total=5, finish_reason="length", tokens=40),
                   SampleMark("sample_end", sample=3, total=5, finish_reason="length", tokens=40),
                   SampleMark("sample_end", sample=4, total=5, finish_reason="cancelled", tokens=3)])
    w.flush(force=True)
    strip = w.strip
    assert strip is not None
    chips = [c.text() for c in strip.chips]
    assert chips[0] == "1 · done · 9 tok · 6"
    assert chips[1] == "2 · done · 22 tok · no vote: no answer found"
    assert chips[2] == "3 · cut off · 40 tok · no vote: cut off while reasoning (token limit)"
    assert chips[3] == "4 · cut off · 40 tok · no vote: its reasoning went round in a loop"
    assert chips[4] == "5 · stopped · 3 tok · no vote: stopped before it answered"
    assert chip_names(strip)[1] == "Sample 2: done, 22 tokens, no vote: no answer found"
    # A stored reply says the same (the reason comes from its stored facts).
    samples = [{"answer": "", "reasoning": "a", "finish_reason": "length", "completion_tokens": 40,
                "thinking": {"tokens": 40, "end": "length", "seconds": 1.0}},
               {"answer": "\\boxed{6}", "reasoning": "b", "finish_reason": "stop", "completion_tokens": 5,
                "thinking": {"tokens": 3, "end": "model", "seconds": 1.0}},
               {"answer": "", "reasoning": "", "finish_reason": "stop", "completion_tokens": 22}]
    view.set_messages([StoredMessage(7, 1, "assistant", "\\boxed{6}", reasoning="b",
                                     extra={"samples": samples, "vote": {"chosen": 1}})])
    stored = view.messages[0].strip
    assert stored is not None
    assert [c.text() for c in stored.chips] == [
        "1 · cut off · 40 tok · no vote: cut off while reasoning (token limit)", "✓ 2 · done · 5 tok · 6",
        "3 · done · 22 tok · no vote: no answer found"]
