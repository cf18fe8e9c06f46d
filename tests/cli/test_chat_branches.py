"""`assistant chat` with /retry and /edit: versions beside the old ones, and the model sees only the path shown.
The tree itself (fast), then the real command with the real bundled model."""

from __future__ import annotations

import pytest

from assistant.commands.chat_tree import ChatTree
from assistant.core.chat.prompting import Message

from .test_cli import run_cli


def test_retry_and_edit_add_versions_and_the_history_sent_is_the_path_shown() -> None:
    tree = ChatTree()
    try:
        u1 = tree.ask("Name a fruit.", "Name a fruit.")
        a1 = tree.answer(u1, "Banana.")
        u2 = tree.ask("Why?", "Why?")
        tree.answer(u2, "It is yellow.")
        assert tree.messages(before=u2) == [Message("user", "Name a fruit."), Message("assistant", "Banana.")]
        a2 = tree.answer(u2, "Because.")  # /retry: a sibling of the last reply
        assert tree.version(a2) == (2, 2) and [m.content for m in tree.path()][-1] == "Because."
        last = tree.last_user()
        assert last is not None and last.id == u2
        e = tree.edit(last, "How?", "How? (with passages)")  # /edit: a sibling of the last question
        assert tree.version(e) == (2, 2) and tree.last_user().id == e  # type: ignore[union-attr]
        assert tree.messages() == [Message("user", "Name a fruit."), Message("assistant", "Banana."),
                                   Message("user", "How? (with passages)")]  # as it was sent
        assert len(tree.history.messages(tree.conversation, include_superseded=True)) == 6  # nothing lost
        assert tree.version(a1) == (1, 1)
        tree.new()
        assert tree.messages() == [] and tree.last_user() is None
    finally:
        tree.close()


@pytest.mark.model
def test_chat_retry_and_edit_with_the_real_model(app_home: object) -> None:
    greedy = ["--max-tokens", "24", "--temperature", "0", "--maths", "off"]
    r = run_cli(["chat", *greedy], app_home, timeout=900,
                input="/retry\n/edit\nName a fruit.\n/retry\n/edit Name a colour.\n/retry\n/exit\n")
    assert r.returncode == 0, r.stderr
    assert "[nothing to retry yet]" in r.stderr and "[/edit TEXT" in r.stderr
    assert r.stderr.count("[reply 2/2]") == 2 and r.stderr.count("[message 2/2]") == 1
    replies = [line for line in r.stdout.splitlines() if line.strip()]
    assert len(replies) == 4, r.stdout
    # Greedy: a retry sends the same history (without the reply it replaces), so it says the same; after the
    # edit the model sees only the new question, as `ask` with that question alone does.
    assert replies[0] == replies[1] and replies[2] == replies[3] and replies[0] != replies[2]
    alone = run_cli(["ask", "Name a colour.", *greedy], app_home, timeout=600)
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout.strip() == replies[2]
