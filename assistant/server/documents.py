"""Documents on the API (issue 24): a chat request may name document collections (the ``documents`` extension
field, schema.DocumentsOption), and is then answered from them as in the window and ``assistant ask --docs``.

The collections are checked when the request arrives (an unknown one is a 400 naming the ones there are). The
retrieval runs on the service's worker, in the job's turn, with the server's embedding model (the slot that
/v1/embeddings uses; the collections' own model): the last user message is searched, the passages go into that
turn, numbered, with the instruction to cite them as [1], [2], and the turn's maths mode is decided on the
question alone. The response carries, as extensions:

* ``documents``: ``{"collections", "found", "prompt", "sources"}`` — ``sources`` every passage given to the model
  (``n``, ``collection``, ``path``, ``page``, ``start``, ``end``, ``heading``, ``text``, ``score``), ``found``
  false when none was relevant (the turn then tells the model to say so), ``prompt`` the user turn as sent
  (a client that sends it back as that message's content keeps the model's cache of the passages);
* in each choice's ``message``: ``sources``, the passages that answer cites.

Streamed, the ``documents`` object comes first, in a chunk of its own with no choices, before any text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.turn import TurnEvent

from .schema import APIError, ChatCompletionRequest, DocumentsOption


@dataclass
class DocumentsEvent(TurnEvent):
    """Posted to a streamed job before its first token (kind "documents")."""

    info: dict[str, Any] = field(default_factory=dict)


def requested(req: ChatCompletionRequest) -> DocumentsOption | None:
    docs = req.documents
    if docs is None or isinstance(docs, DocumentsOption):
        return docs
    return DocumentsOption(collections=list(docs), top_k=5)


def check_collections(option: DocumentsOption) -> list[str]:
    """The collections' names as stored; an unknown one is a 400 that lists the ones there are."""
    from assistant.core.docs.library import collection_names

    known = collection_names()
    names = list(dict.fromkeys(option.collections))
    missing = [n for n in names if n not in known]
    if missing:
        there = ", ".join(known) if known else "none (make one with `assistant docs add NAME PATH...`)"
        raise APIError(400, f"There is no document collection called {', '.join(map(repr, missing))} here. "
                       f"Collections: {there}.", param="documents", code="collection_not_found")
    return names


def attach(job: Any, req: ChatCompletionRequest, slot: Any) -> None:
    """Make ``job`` answer from the request's collections (if it names any): checked now, grounded on the worker."""
    option = requested(req)
    if option is None:
        return
    if job.question is None:
        raise APIError(400, "documents needs a last message from the user to search for.", param="documents",
                       code="invalid_value")
    names = check_collections(option)
    job.before_turn = lambda j: ground_job(j, names, option.top_k, slot)


def ground_job(job: Any, names: list[str], top_k: int, slot: Any) -> None:
    """(The service's worker.) The job's question becomes the user turn with its passages."""
    from assistant.core.docs.answer import ground, question_options
    from assistant.core.docs.library import shared_collection
    from assistant.core.errors import AssistantError

    try:
        model = next((m for m in (shared_collection(n).embedder_name for n in names) if m), "")
        embedder, _ = slot.get(model)
        g = ground(job.question, names, embedder, top_k=top_k)
    except AssistantError as exc:  # a collection removed since the request came, a damaged index
        raise APIError(400, exc.user_text(), param="documents", code="documents_unavailable") from None
    job.options = question_options(job.options, job.question)
    job.question = g.prompt
    job.grounding = g
    if job.record.stream:
        job.post(DocumentsEvent("documents", info=documents_body(g)))


def documents_body(g: Any) -> dict[str, Any]:
    return {"collections": g.collections, "found": g.found, "prompt": g.prompt,
            "sources": [_public(s) for s in g.sources]}


def _public(src: dict[str, Any]) -> dict[str, Any]:
    return {k: src[k] for k in ("n", "collection", "path", "page", "start", "end", "heading", "text", "score")
            if k in src}


def documents_chunk(job: Any, created: int, include_usage: bool, info: dict[str, Any]) -> str:
    """The streamed ``chat.completion.chunk`` that carries ``documents`` (no choices)."""
    obj: dict[str, Any] = {"id": job.record.id, "object": "chat.completion.chunk", "created": created,
                           "model": job.record.model, "choices": [], "documents": info}
    if include_usage:
        obj["usage"] = None
    return f"data: {json.dumps(obj, ensure_ascii=False, separators=(',', ':'))}\n\n"


def add_to_body(body: dict[str, Any], job: Any) -> dict[str, Any]:
    """A whole (not streamed) response: the ``documents`` object and each message's cited ``sources``."""
    g = getattr(job, "grounding", None)
    if g is None:
        return body
    body["documents"] = documents_body(g)
    for choice in body.get("choices", []):
        message = choice.get("message") or {}
        message["sources"] = [_public(s) for s in g.cited(message.get("content") or "")]
    return body
