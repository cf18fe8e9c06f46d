"""Crash safety: the real app (a subprocess, offscreen, the real model) is SIGKILLed while a reply streams."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from assistant.core.chat.history import History
from assistant.core.paths import app_paths
from assistant.core.settings import Settings

pytestmark = [pytest.mark.gui, pytest.mark.model]

REPO = Path(__file__).resolve().parents[2]
EARLIER = [
    ("user", "What is 2 + 2?", ""),
    ("assistant", "2 + 2 = \\boxed{4}.", "Two plus two is four."),
    ("user", "用中文说一句问候。", ""),
    ("assistant", "你好！很高兴见到你。", ""),
]
PROMPT = "Write a very long story about a dragon who learns to cook. Use many chapters."


def test_sigkill_while_streaming_loses_at_most_the_last_second(app_home: Path, make_window: Any,
                                                               bundled_model: Path) -> None:
    h = History()
    conv = h.create_conversation("Before the crash")
    earlier_ids = [h.add_message(conv.id, role, text, reasoning=r) for role, text, r in EARLIER]
    h.close()
    s = Settings(last_conversation_id=conv.id, n_ctx=2048, n_threads=1)
    s.sampling.max_tokens = 1500
    s.save()

    env = {**os.environ, "ASSISTANT_HOME": str(app_home), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "assistant.ui.app", "--send", PROMPT], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    db = app_paths().history_db
    saves: list[str] = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and len(saves) < 3:
            assert proc.poll() is None, proc.stderr.read().decode(errors="replace") if proc.stderr else ""
            try:
                ro = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1)
                row = ro.execute("SELECT content, status FROM messages WHERE role='assistant' AND id > ? "
                                 "ORDER BY id DESC LIMIT 1", (earlier_ids[-1],)).fetchone()
                ro.close()
            except sqlite3.Error:
                row = None
            if row and row[1] == "done":
                pytest.fail("the reply finished before the app could be killed mid-stream")
            if row and row[1] == "streaming" and row[0] and (not saves or row[0] != saves[-1]):
                saves.append(row[0])
            time.sleep(0.05)
        assert len(saves) >= 3, f"the streaming reply was not saved while it streamed: {saves}"
        os.kill(proc.pid, signal.SIGKILL)  # no clean-up code runs: like a crash or a power cut
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(30)
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    raw = sqlite3.connect(db)
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    raw.close()

    h = History()  # the next start
    try:
        msgs = h.messages(conv.id)
        assert [(m.id, m.role, m.content, m.reasoning) for m in msgs[:4]] == \
            [(i, role, text, r) for i, (role, text, r) in zip(earlier_ids, EARLIER)]
        assert (msgs[4].role, msgs[4].content) == ("user", PROMPT)
        reply = msgs[5]
        assert reply.role == "assistant" and reply.status == "interrupted"
        # Up to its last save: at least what was seen saved before the kill, and what followed it.
        assert reply.content.startswith(saves[-1]) and len(reply.content) >= len(saves[-1]) > len(saves[0])
        assert h.integrity_check() == "ok"
    finally:
        h.close()

    w = make_window()  # restart the app on the same home: the conversation is there
    assert w.conversation_id == conv.id
    shown = w.chat.messages
    assert [m.answer for m in shown[:4]] == [text for _, text, _ in EARLIER]
    assert shown[5].answer == reply.content and "interrupted" in shown[5].header.meta.text()
