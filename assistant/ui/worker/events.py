"""What the window and the chat worker exchange: the job of one turn, the events that stream back besides the
core's (the reasoning meter, a sample's start and end, the vote), the loaded model's facts and the summary of
a finished reply. Plain data: the view, the message and the samples strip use them without the worker."""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.history_import import adapters_from
from assistant.core.chat.prompting import Message
from assistant.core.chat.protocol import Backend
from assistant.core.chat.turn import TurnEvent, TurnOptions
from assistant.core.errors import AssistantError
from assistant.core.progress import ProgressCallback
from assistant.core.settings import Settings

# open_backend's signature: (settings, model, progress) -> Backend. Tests and benchmarks may pass another.
Opener = Callable[[Settings, "str | None", ProgressCallback], Backend]


@dataclass
class TurnJob:
    """One user turn to generate. ``cancel`` is set by the UI thread to stop it."""

    conversation_id: int
    history: list[Message]
    user_text: str
    options: TurnOptions
    settings_used: dict[str, Any] = field(default_factory=dict)
    cancel: threading.Event = field(default_factory=threading.Event)
    job_id: int = 0
    # Continue: the stored reply (to ``user_text``, after ``history``) that was cut off. The turn writes on
    # from its end and the same message is updated; ``continue_reply`` is its raw text ("": rebuilt from
    # the stored reasoning and answer).
    continue_message_id: int = 0
    continue_reply: str = ""
    # The message the reply answers (its parent in the conversation's tree: a regenerated reply is a sibling
    # of the one it replaces); 0: after the last message shown.
    parent_id: int = 0
    # Documents (issue 24): the conversation's collections to answer from (none: a plain turn), and the sources
    # the conversation was given before (their numbers are kept). Grounded on the worker's thread (documents.py).
    documents: list[str] = field(default_factory=list)
    documents_previous: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class ThinkingMeter(TurnEvent):
    """Sent with each batch of events (kind "meter"): the reasoning's tokens so far and its limit (the
    budget's cap, None: no limit), read from the turn's ThinkingControl when the batch leaves."""

    tokens: int = 0
    limit: int | None = None


@dataclass
class SampleMark(TurnEvent):
    """A sample's start or end (kind "sample_start" / "sample_end") with what the UI shows of it: how many
    samples the turn has and, at its end, why it ended ("decided": the vote stopped it) and its tokens."""

    total: int = 1
    finish_reason: str = ""
    tokens: int = 0


@dataclass
class VoteEvent(TurnEvent):
    """Sent once a voted turn is over (kind "vote"): every sample's facts, as stored, and the winner."""

    samples: list[dict[str, Any]] = field(default_factory=list)
    chosen: int = 0


@dataclass
class SourcesEvent(TurnEvent):
    """Sent before the reply's first token (kind "sources") when the turn answers from documents: the passages
    it was given (numbered source dicts, as stored), whether any was relevant, and the collections searched."""

    sources: list[dict[str, Any]] = field(default_factory=list)
    found: bool = True
    collections: list[str] = field(default_factory=list)


@dataclass
class LoadedModel:
    name: str
    backend: str
    n_ctx: int
    family: str
    path: str
    reasoning: bool
    n_layers: int = 0
    n_gpu_layers: int = 0
    thinking_switch: bool = False  # its template has a thinking switch (Qwen3): the window shows its toggle


@dataclass
class ReplySummary:
    job_id: int
    message_id: int
    status: str  # done | stopped | failed
    answer: str
    reasoning: str
    boxed: str | None
    completion_tokens: int = 0
    prompt_tokens: int = 0
    tokens_per_second: float = 0.0
    thinking_seconds: float = 0.0
    context_used: int = 0
    n_ctx: int = 0
    notices: list[str] = field(default_factory=list)
    error: AssistantError | None = None
    finish_reason: str = ""
    thinking: dict[str, Any] | None = None  # SampleResult.thinking (summed over a continued reply)


Choice = list[tuple[str, float]]  # LoRA adapters: (name, scale), in the order they are applied


def stored_adapters(settings: Mapping[str, Any] | None) -> Choice:
    """The adapters recorded in a reply's settings (TurnJob.settings_used); none when absent or malformed."""
    return adapters_from((settings or {}).get("adapters"))
