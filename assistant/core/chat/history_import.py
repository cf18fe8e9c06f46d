"""Conversation files: what an export writes (JSON, Markdown) and the check of a file before it is imported
(History.import_json): nothing of an invalid file is written, and every field gets a value of its column's type.

Format version 2 (issue 25) holds every branch: each message names its ``parent`` and the child shown under it
(``chosen``) by position in the list, the conversation its first message shown (``chosen_root``). Version 1
files (a line of messages) still import.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from assistant.core.chat.history_tree import Links, import_links
from assistant.core.errors import ImportFormatError

EXPORT_FORMAT = "assistant-conversation"
EXPORT_VERSION = 2

STATUSES = ("streaming", "done", "stopped", "failed", "interrupted")


def export_document(conversation: dict[str, Any], messages: Sequence[dict[str, Any]],
                    links: Sequence[dict[str, int | None]], chosen_root: int | None) -> dict[str, Any]:
    """The exported file: ``messages`` are the stored messages as dicts, every branch, in the order written;
    ``links`` their parent and chosen child as positions (history_tree.export_links)."""
    out = []
    for m, link in zip(messages, links):
        d = {k: v for k, v in m.items() if k not in ("id", "conversation_id", "parent_id")}
        out.append({**d, **link})
    return {"format": EXPORT_FORMAT, "version": EXPORT_VERSION,
            "conversation": {**conversation, "chosen_root": chosen_root}, "messages": out}


def markdown_document(title: str, created_at: float, messages: Sequence[Any]) -> str:
    """A conversation's path as Markdown (``messages``: stored messages, first first)."""
    out = [f"# {title or 'Conversation'}", ""]
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(created_at))
    out += [f"*{stamp}*", ""]
    for m in messages:
        who = {"user": "User", "assistant": "Assistant", "system": "System"}.get(m.role, m.role.title())
        meta = f" ({m.model})" if m.model and m.role == "assistant" else ""
        if m.status not in ("done",) and m.role == "assistant":
            meta += f" [{m.status}]"
        out += [f"## {who}{meta}", ""]
        if m.reasoning:
            out += ["<details><summary>Thinking</summary>", "", m.reasoning, "", "</details>", ""]
        out += [m.content, ""]
        if m.boxed:
            out += [f"**Answer:** {m.boxed}", ""]
    return "\n".join(out).rstrip() + "\n"


def validate_import(data: Any) -> tuple[dict[str, Any], list[dict[str, Any]], Links]:
    """The conversation's columns, each message's columns, and the tree (positions in the message list)."""
    hint = "Choose a file exported by this app (Export → JSON)."
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ImportFormatError("The file is not a conversation exported by this app.", hint=hint)
    version = data.get("version", 1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise ImportFormatError("The file has no valid format version.", hint=hint)
    if version > EXPORT_VERSION:
        raise ImportFormatError("The file was exported by a newer version of the app.", hint="Update the app.")
    conv = data.get("conversation")
    msgs = data.get("messages")
    if not isinstance(conv, dict) or not isinstance(msgs, list):
        raise ImportFormatError("The file has no conversation or no messages.", hint=hint)
    now = time.time()
    out_conv = {"title": str(conv.get("title") or ""), "created_at": number(conv.get("created_at"), now),
                "model": str(conv.get("model") or ""), "adapters_json": _adapters_json(conv.get("adapters")),
                "thinking": int(conv["thinking"]) if isinstance(conv.get("thinking"), bool) else None,
                "documents_json": json.dumps([n for n in conv.get("documents") or [] if isinstance(n, str)],
                                             ensure_ascii=False) if isinstance(conv.get("documents"), list) else "[]"}
    out_msgs = []
    for i, m in enumerate(msgs):
        if not isinstance(m, dict) or m.get("role") not in ("user", "assistant", "system"):
            raise ImportFormatError(f"Message {i + 1} has no valid role.", hint=hint)
        if not isinstance(m.get("content", ""), str) or not isinstance(m.get("reasoning", ""), str):
            raise ImportFormatError(f"Message {i + 1} has text that is not a string.", hint=hint)
        status = m.get("status", "done")
        if status not in STATUSES or status == "streaming":
            status = "interrupted" if status == "streaming" else "done"
        created = number(m.get("created_at"), now)
        out_msgs.append({
            "role": m["role"], "content": m.get("content", ""), "reasoning": m.get("reasoning", ""),
            "boxed": m.get("boxed") if isinstance(m.get("boxed"), str) else None,
            "status": status,
            "finish_reason": m.get("finish_reason") if isinstance(m.get("finish_reason"), str) else None,
            "error": m.get("error") if isinstance(m.get("error"), str) else None,
            "model": str(m.get("model") or ""), "backend": str(m.get("backend") or ""),
            "settings_json": json.dumps(m.get("settings") if isinstance(m.get("settings"), dict) else {},
                                        ensure_ascii=False),
            "prompt_tokens": int(number(m.get("prompt_tokens"), 0)),
            "completion_tokens": int(number(m.get("completion_tokens"), 0)),
            "time_to_first_token": number(m.get("time_to_first_token"), 0.0),
            "generation_seconds": number(m.get("generation_seconds"), 0.0),
            "thinking_seconds": number(m.get("thinking_seconds"), 0.0),
            "created_at": created, "updated_at": created,
            "extra_json": json.dumps(m.get("extra") if isinstance(m.get("extra"), dict) else {}, ensure_ascii=False),
        })
    return out_conv, out_msgs, import_links(version, conv, msgs)


def number(value: Any, default: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return default
    return float(value)


def adapters_from(value: Any) -> list[tuple[str, float]]:
    """LoRA adapters as stored (a conversation's, a reply's settings, an exported file): a list of
    ``{"name", "scale"}``, read as (name, scale); malformed entries are left out (an adapter that is missing
    is reported when it is used, not here)."""
    if not isinstance(value, list):
        return []
    return [(a["name"], number(a.get("scale"), 1.0)) for a in value
            if isinstance(a, dict) and isinstance(a.get("name"), str)]


def adapters_records(adapters: list[tuple[str, float]]) -> list[dict[str, Any]]:
    """The stored form of (name, scale) pairs."""
    return [{"name": n, "scale": s} for n, s in adapters]


def _adapters_json(value: Any) -> str:
    return json.dumps(adapters_records(adapters_from(value)), ensure_ascii=False)
