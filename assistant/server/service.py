"""The request pipeline behind the local API: model identity, the bounded queue and the worker thread.

One worker thread runs one request at a time through :class:`assistant.core.chat.turn.ChatTurn` and hands
its events to the request's asyncio queue. Each request has a cancel Event, set when its client goes
away or the server stops.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import logging
import queue
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request

from assistant.core.chat.prompting import Message as ChatMessage
from assistant.core.chat.protocol import AdapterUse, Backend
from assistant.core.chat.turn import ChatTurn, TurnEvent, TurnOptions
from assistant.core.errors import AssistantError, ConfigError, ContextOverflowError
from assistant.core.models.lora import resolve_adapters
from assistant.core.settings import SERVE_MAX_QUEUE, SERVE_MAX_TOKENS, Settings

from .models import (
    ModelSlot,
    ServableModel,
    adapter_ids,
    backend_file,
    close_names,
    find_servable,
    library_models,
    model_ids,
    same_file,
    split_adapters,
)
from .schema import APIError, ChatCompletionRequest

log = logging.getLogger(__name__)

BackendProvider = Callable[[], "Backend | None"]
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}
FINISH_REASONS = {"stop": "stop", "length": "length", "context": "length", "cancelled": "stop"}


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_bind(host: str, api_key: str | None) -> None:
    """Refuse to expose the model beyond this machine without an API key."""
    if not is_loopback(host) and not api_key:
        raise ConfigError(
            f"Serving on {host} would let other machines use the model, so an API key is required.",
            hint="Give one with --api-key (or ASSISTANT_API_KEY), or serve on 127.0.0.1 only.",
        )


@dataclass
class ServerOptions:
    max_queue: int = SERVE_MAX_QUEUE  # requests waiting behind the running one; more get 503
    max_tokens_limit: int = SERVE_MAX_TOKENS  # largest max_tokens a request may ask for; also the default
    max_n: int = 4  # most choices per request
    max_body_bytes: int = 1 << 20
    context_policy: str = "error"  # API clients expect their whole conversation used, or an error
    cors_origins: tuple[str, ...] = ()
    api_key: str | None = None
    check_host: bool = True  # answer only Host: localhost/127.0.0.1/[::1] (loopback binds)
    model_id: str | None = None  # the id /v1/models shows; default from the catalog or file name
    # A request naming another model on disk loads it, when the server has a ModelSlot (`assistant serve`
    # on llama.cpp); off, such a request gets a 404 that says how to allow it.
    load_on_request: bool = True
    # the user's settings: a request's sampling, maths mode and samples start from them, as in the window
    settings: Settings = field(default_factory=Settings)


@dataclass
class JobRecord:
    """What happened to one request; the last ones are kept for status displays and tests."""

    id: str
    model: str
    stream: bool
    finish_reasons: list[str] = field(default_factory=list)  # our reasons: "stop", "cancelled", ...
    prompt_tokens: int = 0
    completion_tokens: int = 0
    seconds: float = 0.0
    temperature: float = 0.0
    top_p: float = 0.0
    max_tokens: int = 0
    skipped: bool = False  # the client left before its turn came
    error: str | None = None


# ---------------------------------------------------------------------------------------------------
# Jobs and the worker


class Job:
    def __init__(self, loop: asyncio.AbstractEventLoop, backend: Backend | None, record: JobRecord,
                 history: list[ChatMessage], question: str, options: TurnOptions, want: Path | None = None) -> None:
        self.loop = loop
        # The model it runs on: ``want`` (a file) is loaded by the worker when its turn comes, so a request
        # queued behind one that switches models still gets the model it asked for.
        self.backend = backend
        self.want = want
        self.record = record
        self.history = history
        self.question = question
        self.options = options
        self.cancel = threading.Event()
        self.items: asyncio.Queue[Any] = asyncio.Queue()  # TurnEvents, then ("done", result) or ("error", err)
        self.released = False
        self.started = time.monotonic()

    def post(self, item: Any) -> None:
        try:
            self.loop.call_soon_threadsafe(self.items.put_nowait, item)
        except RuntimeError:  # the event loop is gone (server stopping): nobody is listening
            self.cancel.set()

    async def next(self, request: Request | None = None, poll: float = 0.25) -> Any:
        """The next item from the worker; None if the client disconnected while waiting."""
        if request is None:
            return await self.items.get()
        while True:
            try:
                return await asyncio.wait_for(self.items.get(), poll)
            except asyncio.TimeoutError:
                if await request.is_disconnected():
                    return None


def thinking_budget(req: ChatCompletionRequest, efforts: dict[str, int]) -> int | None:
    """An explicit ``thinking_budget`` wins; else ``reasoning_effort`` by the user's table ("minimal" is the
    least of it); neither keeps the user's setting."""
    if req.thinking_budget is not None:
        return req.thinking_budget
    if req.reasoning_effort is not None and req.reasoning_effort != "none":
        level = "low" if req.reasoning_effort == "minimal" else req.reasoning_effort
        budget = int(efforts.get(level, 0))
        return max(1, budget // 2) if req.reasoning_effort == "minimal" else budget
    return None


def thinking_switch(req: ChatCompletionRequest) -> bool | None:
    """The request's thinking switch: `thinking`, else chat_template_kwargs.enable_thinking (vLLM clients),
    else reasoning_effort "none" (off); None leaves it to the model and the messages' /think, /no_think."""
    if req.thinking is not None:
        return req.thinking
    kwargs = req.chat_template_kwargs or {}
    if isinstance(kwargs.get("enable_thinking"), bool):
        return bool(kwargs["enable_thinking"])
    return False if req.reasoning_effort == "none" else None


class ChatService:
    """The queue, the worker thread and the request pipeline, shared by the app and LocalServer."""

    def __init__(self, backend_provider: BackendProvider, options: ServerOptions | None = None,
                 slot: ModelSlot | None = None) -> None:
        self.provider = backend_provider
        self.options = options or ServerOptions()
        self.slot = slot  # present when models on disk can be loaded on request
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._pending = 0  # running + waiting
        self._jobs: set[Job] = set()
        self._worker: threading.Thread | None = None
        self._records: deque[JobRecord] = deque(maxlen=100)
        self.created = int(time.time())

    # ---- worker ------------------------------------------------------------------------------
    def start(self) -> None:
        if self._worker is None or not self._worker.is_alive():
            self._worker = threading.Thread(target=self._work, name="assistant-serve-worker", daemon=True)
            self._worker.start()

    def shutdown(self, timeout: float = 10.0) -> None:
        self.cancel_all()
        if self._worker is not None:
            self._queue.put(None)
            self._worker.join(timeout)
            self._worker = None

    def cancel_all(self) -> None:
        with self._lock:
            for job in self._jobs:
                job.cancel.set()

    @property
    def records(self) -> list[JobRecord]:
        """The last 100 finished requests, oldest first (a copy: safe to read from any thread)."""
        with self._lock:
            return list(self._records)

    @property
    def pending(self) -> int:
        """Requests running or waiting for the model."""
        with self._lock:
            return self._pending

    def _release(self, job: Job) -> None:
        with self._lock:
            if not job.released:
                job.released = True
                self._pending -= 1
                self._jobs.discard(job)

    def submit(self, job: Job) -> None:
        if self._worker is None or not self._worker.is_alive():
            raise APIError(503, "The server is stopping.", "server_error", code="server_stopping")
        with self._lock:
            if self._pending >= 1 + self.options.max_queue:
                raise APIError(
                    503, f"The model is busy: {self._pending - 1} requests are already waiting for it "
                    f"(at most {self.options.max_queue}). Try again shortly.",
                    "server_error", code="queue_full", headers={"Retry-After": "5"},
                )
            self._pending += 1
            self._jobs.add(job)
        self._queue.put(job)

    def abandon(self, job: Job) -> None:
        """The client went away: stop its generation, or skip it if it has not started."""
        job.cancel.set()
        # Give its place back now: a waiting job is skipped by the worker, a running one stops at the
        # next token (releasing twice is harmless).
        self._release(job)

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            final: tuple[Any, ...] = ("error", APIError(500, "Internal error.", "server_error",
                                                        code="internal_error"))
            try:
                if job.cancel.is_set():
                    job.record.skipped = True
                    final = ("error", APIError(499, "The client closed the request.", code="cancelled"))
                else:
                    final = self._load_for(job) or self._run(job)
            except Exception:  # never leave a client waiting, whatever happened
                log.exception("request %s failed", job.record.id)
            finally:
                # Record and free the place before the client hears back, so what it sees next is settled.
                job.record.seconds = time.monotonic() - job.started
                with self._lock:
                    self._records.append(job.record)
                self._release(job)
                job.post(final)

    def _load_for(self, job: Job) -> tuple[Any, ...] | None:
        """Switch to the job's model if another is loaded (on this thread, between requests); an error item
        if that failed, which says whether the previous model is still there."""
        slot, rec = self.slot, job.record
        if job.want is None or slot is None:
            return None if job.backend is not None else ("error", APIError(
                503, "No model is loaded at the moment.", "server_error", code="model_not_loaded"))
        if slot.holds(job.want):
            job.backend = slot.current()
            return None
        t0 = time.monotonic()
        try:
            job.backend = slot.switch(job.want)
            log.info("loaded %s for request %s in %.1f s", job.want.name, rec.id, time.monotonic() - t0)
            return None
        except AssistantError as exc:
            rec.error, why = exc.message, exc.user_text()
            log.warning("loading %s for request %s failed: %s", job.want, rec.id, exc.message)
        except Exception as exc:  # a bug: logged with its traceback, reported without it
            rec.error, why = repr(exc), "internal error; the details are in the server log."
            log.exception("loading %s for request %s failed", job.want, rec.id)
        now = slot.current()
        state = (f"{model_ids(now, self.options.model_id)[0]!r} is still loaded" if now is not None
                 else "no model is loaded now")
        return ("error", APIError(500, f"Could not load the model {rec.model!r} ({state}): {why}", "server_error",
                                  code="model_load_failed"))

    def _run(self, job: Job) -> tuple[Any, ...]:
        """Streams events to the job as they come; returns the final item ("done" or "error")."""
        rec = job.record
        assert job.backend is not None
        turn = ChatTurn(job.backend, job.history, job.question, job.options, cancel=job.cancel)
        try:
            for ev in turn.events():
                if ev.kind in ("reasoning", "answer"):
                    if rec.stream:
                        job.post(ev)
                elif ev.kind == "sample_start":
                    job.post(ev)
                elif ev.kind == "sample_end":
                    reason = turn.samples[ev.sample].stats.finish_reason
                    rec.finish_reasons.append(reason)
                    if rec.stream:  # the text of a sample's end is its OpenAI finish_reason
                        job.post(TurnEvent("sample_end", FINISH_REASONS.get(reason, "stop"), ev.sample))
        except ContextOverflowError as exc:
            rec.error = exc.message
            return ("error", APIError(400, exc.user_text(), param="messages", code="context_length_exceeded"))
        except AssistantError as exc:
            rec.error = exc.message
            log.warning("request %s failed: %s", rec.id, exc.message)
            return ("error", APIError(500, exc.user_text(), "server_error", code="generation_failed"))
        except Exception as exc:  # a bug: logged with its traceback, reported without it
            rec.error = repr(exc)
            log.exception("request %s failed", rec.id)
            return ("error", APIError(500, "Internal error while generating; the details are in the server log.",
                                      "server_error", code="internal_error"))
        result = turn.result
        assert result is not None
        rec.prompt_tokens, rec.completion_tokens = result.usage["prompt_tokens"], result.usage["completion_tokens"]
        return ("done", result)

    # ---- request -> job ----------------------------------------------------------------------
    def current(self) -> Backend | None:
        """The loaded model, or None (a provider that fails counts as none)."""
        try:
            return self.provider()
        except AssistantError:
            return None

    def backend(self) -> Backend:
        try:
            backend = self.provider()
        except AssistantError as exc:
            raise APIError(503, exc.user_text(), "server_error", code="model_not_loaded") from exc
        if backend is None:
            raise APIError(503, "No model is loaded at the moment.", "server_error", code="model_not_loaded")
        return backend

    @property
    def loads_on_request(self) -> bool:
        return self.slot is not None and self.options.load_on_request

    def _library(self, backend: Backend | None, loaded_ids: list[str]) -> list[ServableModel]:
        try:
            return library_models(loaded_ids, exclude=backend_file(backend))
        except (AssistantError, OSError) as exc:  # an unreadable models folder: serve what is loaded
            log.warning("cannot list the models on disk: %s", exc)
            return []

    def servable(self) -> list[str]:
        """The ids /v1/models lists: the loaded model first, then what a request may load."""
        backend = self.current()
        loaded = model_ids(backend, self.options.model_id) if backend is not None else []
        ids = loaded[:1]
        ids += adapter_ids(loaded[0], backend_file(backend)) if loaded else []
        if self.loads_on_request:  # named as resolve() names them: the loaded model's aliases are taken
            ids += [m.id for m in self._library(backend, loaded)]
        if not ids:
            self.backend()  # raises the reason nothing is loaded
        return ids

    def accepted_names(self) -> list[str]:
        """Every name a request's ``model`` may take (for the OpenAPI description)."""
        backend = self.current()
        names = model_ids(backend, self.options.model_id) if backend is not None else []
        if self.loads_on_request:
            names += [a for m in self._library(backend, names) for a in m.aliases if not Path(a).is_absolute()]
        return names

    def resolve(self, name: str) -> tuple[str, Path | None]:
        """The id a request's model name means, and the file to run it on (None: the loaded backend as is).

        404 for a name nothing here answers to (with close matches), or for a model on disk that this
        server may not load (saying what is loaded and how to allow loading)."""
        opts = self.options
        backend = self.current()
        loaded = model_ids(backend, opts.model_id) if backend is not None else []
        file = backend_file(backend)
        if name.casefold() in {i.casefold() for i in loaded}:
            return loaded[0], file if self.slot is not None else None
        library = self._library(backend, loaded)
        found = find_servable(name, library)
        if found is not None and same_file(found.path, file):
            return loaded[0], file if self.slot is not None else None
        if found is not None and self.loads_on_request:
            return found.id, found.path
        if backend is None and not self.loads_on_request:
            self.backend()  # 503: nothing loaded, and nothing can be
        serving = f"it serves {loaded[0]!r}" if loaded else "no model is loaded"
        if found is not None:
            if self.slot is not None:
                how = ("Ask for that model, or allow loading on request (`assistant serve --load-on-request`, "
                       "or Settings → Serving).")
            else:
                how = "Ask for that model, or choose this one in the app (or serve it with `assistant serve -m`)."
            raise APIError(404, f"The model {name!r} is on this computer but not loaded, and this server does not "
                           f"load models on request; {serving}. {how}", param="model", code="model_not_found")
        candidates = [*loaded, *(a for m in library for a in m.aliases if not Path(a).is_absolute())]
        near = close_names(name, candidates)
        hint = f" Did you mean {' or '.join(repr(n) for n in near)}?" if near else ""
        listed = loaded[:1] + ([m.id for m in library] if self.loads_on_request else [])
        have = f" This server has {', '.join(repr(n) for n in listed)}." if listed else ""
        raise APIError(404, f"The model {name!r} does not exist here.{have}{hint}", param="model",
                       code="model_not_found")

    def resolve_with_adapters(self, name: str) -> tuple[str, Path | None, tuple[AdapterUse, ...]]:
        """``base+adapter[:scale]...``: the base as :meth:`resolve` finds it, and its LoRA adapters (issue 17)."""
        base, specs = split_adapters(name)
        model_id, want = self.resolve(base)
        if not specs:
            return model_id, want, ()
        target = want or backend_file(self.current())
        try:
            adapters = resolve_adapters(specs, target)
        except AssistantError as exc:
            raise APIError(404, f"The model {name!r} cannot be served: {exc.message}", param="model",
                           code="model_not_found") from None
        return "+".join([model_id, *specs]), want, adapters

    def prepare(self, req: ChatCompletionRequest, loop: asyncio.AbstractEventLoop) -> Job:
        opts = self.options
        model_id, want, adapters = self.resolve_with_adapters(req.model)
        backend = None if want is not None else self.backend()
        # max_completion_tokens is OpenAI's newer name; when both are given it wins, as there.
        max_tokens = req.max_completion_tokens or req.max_tokens or opts.max_tokens_limit
        if max_tokens > opts.max_tokens_limit:
            name = "max_completion_tokens" if req.max_completion_tokens else "max_tokens"
            raise APIError(400, f"{name} is {max_tokens}, but this server allows at most "
                           f"{opts.max_tokens_limit}.", param=name, code="max_tokens_too_large")
        n = req.n or 1
        if n > opts.max_n:
            raise APIError(400, f"n is {n}, but this server returns at most {opts.max_n} choices per request.",
                           param="n", code="invalid_value")
        if req.logprobs:
            raise APIError(400, "logprobs are not supported by this server.", param="logprobs",
                           code="unsupported_parameter")
        if req.tools:
            raise APIError(400, "Tools (function calling) are not supported by this server.", param="tools",
                           code="unsupported_parameter")
        if req.response_format is not None and req.response_format.type != "text":
            raise APIError(400, f"response_format {req.response_format.type!r} is not supported; only 'text'.",
                           param="response_format", code="unsupported_parameter")
        last = req.messages[-1]
        if last.role != "user":
            raise APIError(400, f"The last message must be from the user, not {last.role!r}.",
                           param="messages", code="invalid_value")
        history = [ChatMessage("system" if m.role == "developer" else m.role, m.text()) for m in req.messages[:-1]]
        stops = (req.stop,) if isinstance(req.stop, str) else tuple(req.stop or ())
        # An API client writes its own prompt: the maths directive is added only when it asks (`maths`).
        options = TurnOptions.from_settings(
            opts.settings, maths=bool(req.maths), samples=n, context_policy=opts.context_policy,
            stop=tuple(s for s in stops if s), ignore_eos=bool(req.ignore_eos),
            temperature=req.temperature, top_p=req.top_p, max_tokens=max_tokens,
            seed=None if req.seed is None else req.seed & 0xFFFFFFFF,  # llama.cpp seeds are 32-bit
            thinking_budget=thinking_budget(req, opts.settings.effort_budgets), thinking=thinking_switch(req),
            early_vote=False,  # `n` asks for n choices, each written to its end
        )
        options = dataclasses.replace(options, adapters=adapters)
        sampling = options.sampling
        record = JobRecord(f"chatcmpl-{uuid.uuid4().hex}", model_id, bool(req.stream),
                           temperature=sampling.temperature, top_p=sampling.top_p, max_tokens=max_tokens)
        return Job(loop, backend, record, history, last.text(), options, want)
