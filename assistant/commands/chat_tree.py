"""The `assistant chat` conversation as a tree, so /retry and /edit add versions instead of replacing.

The same store as the window's (``History``: edits and regenerated replies are siblings, the path shown is
what goes to the model), in a temporary file that lives as long as the chat: the command line keeps no
history between runs, as before.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from assistant.core.chat.history import History, StoredMessage, history_messages
from assistant.core.chat.prompting import Message


class ChatTree:
    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="assistant-chat-")
        self.history = History(Path(self._dir.name) / "chat.db")
        self.conversation = self.history.create_conversation("chat").id

    def new(self) -> None:
        """/new: start over (the earlier conversation is dropped with the chat)."""
        self.conversation = self.history.create_conversation("chat").id

    def path(self) -> list[StoredMessage]:
        return self.history.messages(self.conversation)

    def messages(self, before: int | None = None) -> list[Message]:
        """What goes to the model: the path shown (up to, not including, message ``before``)."""
        path = self.path()
        if before is not None:
            path = path[: [m.id for m in path].index(before)]
        return [Message(role, text) for role, text in history_messages(path)]

    @staticmethod
    def _sent(question: str, prompt: str) -> dict[str, object]:
        """The message's ``extra``: a question sent with document passages goes back to the model as it was
        sent (history_messages)."""
        return {"documents": {"prompt": prompt}} if prompt != question else {}

    def ask(self, question: str, prompt: str) -> int:
        """A new user message at the end of the path."""
        return self.history.add_message(self.conversation, "user", question, extra=self._sent(question, prompt))

    def answer(self, user_id: int, text: str) -> int:
        """A reply under ``user_id`` (a sibling of the replies already there)."""
        return self.history.add_message(self.conversation, "assistant", text, parent_id=user_id)

    def last_user(self) -> StoredMessage | None:
        return next((m for m in reversed(self.path()) if m.role == "user"), None)

    def edit(self, user: StoredMessage, question: str, prompt: str) -> int:
        """/edit: a new version of ``user`` beside it; the path now ends with it."""
        return self.history.edit_message(user.id, question, extra=self._sent(question, prompt))

    def version(self, message_id: int) -> tuple[int, int]:
        """(n, m): the message is version n of m."""
        sibs = self.history.siblings(message_id)
        return sibs.index(message_id) + 1, len(sibs)

    def close(self) -> None:
        self.history.close()
        self._dir.cleanup()


__all__ = ["ChatTree"]
