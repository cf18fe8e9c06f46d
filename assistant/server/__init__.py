"""Local OpenAI-compatible API (``assistant serve``, and the GUI's "serve this model" switch).

Thin over the core: every request runs through :class:`assistant.core.chat.turn.ChatTurn`, so API
clients get the same prompt practices (system message folded for R1 models, the family's sampling
defaults) and the same reasoning/answer split as the GUI; R1 reasoning comes back separately in
``reasoning_content``, as vLLM returns it.

A request may name the model by its catalog id, Hugging Face repo or file name; one on disk but not
loaded is loaded on request under `assistant serve` (one model at a time; see ``models.py``).

One model answers one request at a time: requests wait in a bounded FIFO queue and are run by one
worker thread (503 when the queue is full). Each request has a cancel Event; a client that goes away
sets it, so the model is free for the next request at once.

Safety: loopback by default (and then only loopback Host headers are answered, against DNS
rebinding); another address needs an API key; body size and ``max_tokens`` are capped; every bad
input gets an OpenAI-style 4xx error body; CORS is off unless origins are given.
"""

from __future__ import annotations

from assistant.core.errors import ServerError

from .app import create_app
from .local import LocalServer
from .models import ModelSlot, model_ids
from .schema import APIError
from .service import (
    BackendProvider,
    ChatService,
    JobRecord,
    ServerOptions,
    check_bind,
    is_loopback,
)

__all__ = [
    "APIError", "BackendProvider", "ChatService", "JobRecord", "LocalServer", "ModelSlot", "ServerError",
    "ServerOptions", "check_bind", "create_app", "is_loopback", "model_ids",
]
