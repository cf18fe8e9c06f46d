"""The history's records: a conversation and a stored message, read from their rows."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.history_import import adapters_from


@dataclass
class Conversation:
    id: int
    title: str
    created_at: float
    updated_at: float
    model: str = ""
    deleted_at: float | None = None
    adapters_json: str = "[]"
    thinking: bool | None = None  # the thinking switch for models that have one; None: the model's default
    documents_json: str = "[]"
    chosen_root_id: int | None = None  # the first message of the path shown (history_tree)

    @property
    def documents(self) -> list[str]:
        """The names of the document collections the conversation answers from."""
        names = json.loads(self.documents_json or "[]")
        return [str(n) for n in names] if isinstance(names, list) else []

    @property
    def adapters(self) -> list[tuple[str, float]]:
        """(name, scale) of each LoRA adapter the conversation uses."""
        try:
            return adapters_from(json.loads(self.adapters_json or "[]"))
        except ValueError:
            return []


@dataclass
class StoredMessage:
    id: int
    conversation_id: int
    role: str
    content: str
    reasoning: str = ""
    boxed: str | None = None
    status: str = "done"
    finish_reason: str | None = None
    error: str | None = None
    model: str = ""
    backend: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0
    time_to_first_token: float = 0.0
    generation_seconds: float = 0.0
    thinking_seconds: float = 0.0
    created_at: float = 0.0
    updated_at: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)
    parent_id: int | None = None  # the message it answers or follows (None: the conversation's first)

    @property
    def tokens_per_second(self) -> float:
        if self.completion_tokens <= 1 or self.generation_seconds <= 0:
            return 0.0
        return (self.completion_tokens - 1) / self.generation_seconds


MSG_COLUMNS = (
    "id, conversation_id, role, content, reasoning, boxed, status, finish_reason, error, model, backend, "
    "settings_json, prompt_tokens, completion_tokens, time_to_first_token, generation_seconds, "
    "thinking_seconds, created_at, updated_at, extra_json, parent_id"
)
PATH_COLUMNS = ", ".join("m." + c.strip() for c in MSG_COLUMNS.split(","))


def message_from_row(row: sqlite3.Row) -> StoredMessage:
    d = dict(row)
    d["settings"] = json.loads(d.pop("settings_json") or "{}")
    d["extra"] = json.loads(d.pop("extra_json") or "{}")
    return StoredMessage(**d)


def conversation_from_row(row: sqlite3.Row) -> Conversation:
    values = dict(row)
    if values.get("thinking") is not None:
        values["thinking"] = bool(values["thinking"])
    return Conversation(**values)


# ---------------------------------------------------------------------------------------------------


__all__ = ["MSG_COLUMNS", "PATH_COLUMNS", "Conversation", "StoredMessage", "conversation_from_row",
           "message_from_row"]
