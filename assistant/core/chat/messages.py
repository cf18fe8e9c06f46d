"""Chat messages as the prompt layer sees them: our own :class:`Message`, or any mapping with a role and
content (an API request's message, a test's dict). Kept apart from the templates so every renderer can read
them without importing the prompt layer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Message:
    role: str  # "system" | "user" | "assistant" | "tool"
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


MessageLike = Message | Mapping[str, Any]


def get_field(msg: MessageLike, key: str) -> Any:
    """A message's field, None when it has none (a Message has no tool_calls or reasoning_content)."""
    if isinstance(msg, Message):
        return getattr(msg, key, None)
    return msg.get(key)


def as_messages(items: Sequence[MessageLike]) -> list[Message]:
    out = []
    for m in items:
        if isinstance(m, Message):  # kept as it is: a subclass may carry more (the API's tool calls)
            out.append(m)
            continue
        content = get_field(m, "content")
        out.append(Message(str(get_field(m, "role")), "" if content is None else str(content)))
    return out
