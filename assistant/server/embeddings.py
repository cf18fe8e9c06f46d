"""Embeddings for OpenAI's ``/v1/embeddings`` and Ollama's ``/api/embed``: the embedding model (the bundled
multilingual one, or any GGUF embedding model a request names) loaded on first use, beside the chat model,
and run on the service's worker like every other request (same queue, limits and auth). Texts are embedded
as sent (``kind="raw"``): a client that wants e5's "query: " prefix writes it."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, Field

from assistant.core.chat.protocol import Backend
from assistant.core.errors import AssistantError, ModelNotFoundError

from .schema import _STRICT, APIError, _integral
from .service import ChatService, Job, JobRecord

MAX_INPUTS = 256  # texts in one request


class EmbeddingRequest(BaseModel):
    model_config = _STRICT
    model: str = Field(description="an embedding model: its catalog id (multilingual-e5-small), or a .gguf name")
    input: str | Annotated[list[str], Field(min_length=1, max_length=MAX_INPUTS)] = Field(
        description="a text or a list of texts, embedded as sent")
    encoding_format: Literal["float", "base64"] | None = "float"
    dimensions: Annotated[int, Field(ge=1), BeforeValidator(_integral)] | None = Field(
        None, description="must be the model's own size (no truncation here)")
    user: str | None = None


class EmbeddingSlot:
    """The one embedding model the server holds (loaded on the first request that needs it)."""

    def __init__(self) -> None:
        self._embedder: Any = None
        self._lock = threading.Lock()
        self.loaded_at = 0.0

    def get(self, spec: str) -> tuple[Any, float]:
        """The embedder for ``spec`` (loaded now if another or none is) and the seconds loading took."""
        from assistant.core.embed import Embedder, resolve_embedding_model

        try:
            resolved = resolve_embedding_model(spec or None)
        except ModelNotFoundError as exc:
            raise APIError(404, f"There is no embedding model {spec!r} here: {exc.message}", param="model",
                           code="model_not_found") from None
        except AssistantError as exc:  # a chat model, or a file that cannot embed
            raise APIError(400, f"{spec!r} cannot embed text: {exc.message}", param="model",
                           code="not_an_embedding_model") from None
        with self._lock:
            current = self._embedder
            if current is not None and current.path == resolved.path:
                return current, 0.0
            if current is not None:
                current.close()
                self._embedder = None
            t0 = time.perf_counter()
            try:
                self._embedder = Embedder(resolved.path)
            except AssistantError as exc:
                raise APIError(400, f"{spec!r} cannot embed text: {exc.user_text()}", param="model",
                               code="not_an_embedding_model") from None
            self.loaded_at = time.time()
            return self._embedder, time.perf_counter() - t0

    def close(self) -> None:
        with self._lock:
            if self._embedder is not None:
                self._embedder.close()
                self._embedder = None


def embedding_job(svc: ChatService, slot: EmbeddingSlot, model: str, texts: list[str], truncate: bool,
                  dimensions: int | None, loop: asyncio.AbstractEventLoop) -> Job:
    """A job that embeds ``texts`` on the worker; its result is ("done", (vectors, tokens, load_seconds, name))."""
    if not texts or any(not isinstance(t, str) for t in texts):
        raise APIError(400, "input must be a text or a non-empty list of texts.", param="input", code="invalid_value")
    if any(not t for t in texts):
        raise APIError(400, "input has an empty text.", param="input", code="invalid_value")
    from assistant.core.chat.turn import TurnOptions

    record = JobRecord(f"embd-{uuid.uuid4().hex}", model, False)

    def run(job: Job, backend: Backend | None) -> tuple[Any, ...]:
        embedder, load_s = slot.get(model)
        if dimensions is not None and dimensions != embedder.dim:
            return ("error", APIError(400, f"{embedder.name} makes vectors of {embedder.dim} numbers, not "
                                      f"{dimensions}.", param="dimensions", code="invalid_value"))
        try:
            batch = embedder.embed_batch(texts, kind="raw", truncate=truncate, cancel=job.cancel)
        except AssistantError as exc:
            code = "context_length_exceeded" if "token" in exc.message.lower() else "embedding_failed"
            return ("error", APIError(400, exc.user_text(), param="input", code=code))
        record.prompt_tokens = int(sum(batch.n_tokens))
        return ("done", (batch.vectors, list(batch.n_tokens), load_s, embedder.name))

    job = Job(loop, None, record, [], None, TurnOptions(), None, runner=run)
    job.needs_chat_model = False
    job.ready = True
    return job


def openai_body(job: Job, result: tuple[Any, ...], encoding: str | None) -> dict[str, Any]:
    vectors, tokens, _, name = result
    data = []
    for i, v in enumerate(vectors):
        if encoding == "base64":
            import base64

            emb: Any = base64.b64encode(v.astype("<f4").tobytes()).decode("ascii")
        else:
            emb = [float(x) for x in v]
        data.append({"object": "embedding", "index": i, "embedding": emb})
    total = int(sum(tokens))
    return {"object": "list", "data": data, "model": name, "usage": {"prompt_tokens": total, "total_tokens": total}}
