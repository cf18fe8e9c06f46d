"""The request pipeline behind the local API: the bounded queue, the worker thread, idle unload.

One worker thread runs one request at a time through :class:`assistant.core.chat.turn.ChatTurn` (or a job's
own runner: /v1/completions) and hands its events to the request's asyncio queue. Each request has a cancel
Event, set when its client goes away or the server stops. Between requests the worker unloads a model
idle past its keep-alive (``assistant serve``); the next request for it loads it again.
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

from assistant.core.chat.prompting import Family
from assistant.core.chat.prompting import Message as ChatMessage
from assistant.core.chat.protocol import Backend
from assistant.core.chat.turn import ChatTurn, TurnEvent, TurnOptions
from assistant.core.errors import AssistantError, ConfigError, ContextOverflowError
from assistant.core.settings import (
    SERVE_BODY_TIMEOUT_S,
    SERVE_KEEP_ALIVE,
    SERVE_MAX_CLIENT_CONNECTIONS,
    SERVE_MAX_QUEUE,
    SERVE_MAX_TOKENS,
    Settings,
    parse_duration,
)

from .directory import ModelDirectory
from .models import ModelSlot, model_ids
from .schema import APIError, ChatCompletionRequest, NamedToolChoice
from .shaping import (
    ToolUse,
    check_for_backend,
    conversation,
    forced_call_grammar,
    output_grammar,
    tool_use,
    tools_family,
)

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
    # How long a model stays loaded after a request when the request does not say (seconds; < 0: always).
    # Only a server with a ModelSlot unloads (`assistant serve`); the window's server serves its model.
    keep_alive_s: float = parse_duration(SERVE_KEEP_ALIVE)
    body_timeout_s: float = SERVE_BODY_TIMEOUT_S  # a request body not received by then gets a 408
    max_client_connections: int = SERVE_MAX_CLIENT_CONNECTIONS  # open connections per client address


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


Runner = Callable[["Job", Backend], "tuple[Any, ...]"]


class Job:
    def __init__(self, loop: asyncio.AbstractEventLoop, backend: Backend | None, record: JobRecord,
                 history: list[ChatMessage], question: str | None, options: TurnOptions, want: Path | None = None,
                 *, tools: ToolUse | None = None, keep_alive: float | None = None,
                 runner: Runner | None = None) -> None:
        self.loop = loop
        # The model it runs on: ``want`` (a file) is loaded by the worker when its turn comes, so a request
        # queued behind one that switches models still gets the model it asked for.
        self.backend = backend
        self.want = want
        self.record = record
        self.history = history
        self.question = question  # None: the conversation ends with tool results
        self.options = options
        self.tools = tools  # the request's tools: rendered by the model's template, calls parsed from the answer
        self.family: Family | None = None  # the template with the tools (set once the model is known)
        self.keep_alive = keep_alive  # seconds the model stays loaded after this request (None: the default)
        self.runner = runner  # a job that is not a chat turn (/v1/completions): runner(job, backend) -> final item
        self.ready = False  # the model-dependent checks are done (setup)
        self.needs_chat_model = True  # False: the runner does not use the chat model (embeddings)
        self.want_ctx: int | None = None  # a context size the request asks the model to be loaded with (Ollama)
        # Run on the worker just before the turn (the documents extension grounds the question there: documents.py).
        self.before_turn: Callable[[Job], None] | None = None
        self.grounding: Any = None  # the question's passages (documents.py), for the response's extension fields
        self.load_seconds = 0.0  # spent loading the model for this job
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
        self.slot = slot  # present when models on disk can be loaded on request (and unloaded when idle)
        self.models = ModelDirectory(backend_provider, self.options.model_id, slot, self.options.load_on_request)
        self._expires: float | None = None  # monotonic time the loaded model is unloaded, if idle until then
        self.idle_hooks: list[Callable[[], None]] = []  # also run when the model is unloaded (the embedder)
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._lock = threading.Lock()
        self._pending = 0  # running + waiting
        self._jobs: set[Job] = set()
        self._worker: threading.Thread | None = None
        self._records: deque[JobRecord] = deque(maxlen=100)
        self.created = int(time.time())

    # ---- worker ------------------------------------------------------------------------------
    def start(self) -> None:
        self._keep_alive(None)
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

    def keep_records(self, n: int) -> None:
        """Keep the last ``n`` finished requests instead of 100 (a fuzz run that sends hundreds keeps them all)."""
        with self._lock:
            self._records = deque(self._records, maxlen=n)

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

    # ---- idle unload -------------------------------------------------------------------------
    def _keep_alive(self, seconds: float | None) -> None:
        """The loaded model stays ``seconds`` from now (None: the server's default; < 0: until stopped)."""
        keep = self.options.keep_alive_s if seconds is None else seconds
        self._expires = None if self.slot is None or keep < 0 else time.monotonic() + keep

    def expires_at(self) -> float | None:
        """Wall-clock time the loaded model will be unloaded if no request comes (None: never)."""
        if self._expires is None:
            return None
        return time.time() + max(0.0, self._expires - time.monotonic())

    def _next_job(self) -> Job | None:
        """The next job; meanwhile, unload the model once it has been idle past its keep-alive."""
        while True:
            wait = None if self._expires is None else max(0.0, self._expires - time.monotonic())
            try:
                return self._queue.get(timeout=wait)
            except queue.Empty:
                self._expires = None
                if self.slot is not None and self.pending == 0:
                    self._unload()

    def _unload(self) -> None:
        assert self.slot is not None
        self.slot.unload(self.options.model_id)
        for hook in self.idle_hooks:
            try:
                hook()
            except Exception:  # an idle hook only frees memory
                log.exception("an idle-unload hook failed")

    def _work(self) -> None:
        while True:
            job = self._next_job()
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
                self._keep_alive(job.keep_alive)
                self._release(job)
                job.post(final)
                if self._expires is not None and self._expires <= time.monotonic() and self.slot is not None:
                    self._expires = None
                    self._unload()  # keep_alive 0: unloaded as soon as it is done

    def _load_for(self, job: Job) -> tuple[Any, ...] | None:
        """Switch to the job's model if another is loaded (on this thread, between requests); an error item
        if that failed, which says whether the previous model is still there."""
        slot, rec = self.slot, job.record
        if not job.needs_chat_model:
            return None
        if job.want is None or slot is None:
            if job.backend is None:
                job.backend = self.models.current()
            return None if job.backend is not None else ("error", APIError(
                503, "No model is loaded at the moment.", "server_error", code="model_not_loaded"))
        if slot.holds(job.want, job.want_ctx):
            job.backend = slot.current()
            return None
        t0 = time.monotonic()
        try:
            job.backend = slot.switch(job.want, job.want_ctx)
            job.load_seconds = time.monotonic() - t0
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

    def setup(self, job: Job, backend: Backend) -> None:
        """What depends on the model that runs the job: its template with the tools, whether it takes the
        grammar and has log-probabilities. APIError (400) when it cannot serve the request."""
        if job.tools is not None:
            job.family = tools_family(backend, job.tools)
        check_for_backend(backend, job.options.grammar, job.options.logprobs)
        job.ready = True

    def _run(self, job: Job) -> tuple[Any, ...]:
        """Streams events to the job as they come; returns the final item ("done" or "error")."""
        rec = job.record
        try:
            if job.runner is not None and not job.needs_chat_model:
                return job.runner(job, None)  # type: ignore[arg-type]
            assert job.backend is not None
            if not job.ready:
                self.setup(job, job.backend)
            if job.runner is not None:
                return job.runner(job, job.backend)
            if job.before_turn is not None:
                job.before_turn(job)
        except APIError as exc:
            rec.error = exc.message
            return ("error", exc)
        turn = ChatTurn(job.backend, job.history, job.question, job.options, family=job.family, cancel=job.cancel)
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
        except APIError as exc:  # the tools template refused the conversation
            rec.error = exc.message
            return ("error", exc)
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
    def target(self, name: str) -> tuple[str, Path | None, tuple[Any, ...], Backend | None]:
        """A request's model: its id, the file the worker loads first (None: the loaded one as is), its LoRA
        adapters, and the backend when it is loaded now and will run the request as it is."""
        model_id, want, adapters = self.models.resolve_with_adapters(name)
        backend = None if want is not None else self.models.backend()
        if want is not None and self.slot is not None and self.slot.holds(want):
            backend = self.slot.current()  # loaded already: the model-dependent checks can run now
        return model_id, want, adapters, backend

    def max_tokens(self, asked: int | None, name: str = "max_tokens") -> int:
        limit = self.options.max_tokens_limit
        if asked is not None and asked > limit:
            raise APIError(400, f"{name} is {asked}, but this server allows at most {limit}.", param=name,
                           code="max_tokens_too_large")
        return asked or limit

    def choices(self, n: int | None) -> int:
        if (n or 1) > self.options.max_n:
            raise APIError(400, f"n is {n}, but this server returns at most {self.options.max_n} choices per "
                           "request.", param="n", code="invalid_value")
        return n or 1

    def prepare(self, req: ChatCompletionRequest, loop: asyncio.AbstractEventLoop) -> Job:
        opts = self.options
        model_id, want, adapters, backend = self.target(req.model)
        # max_completion_tokens is OpenAI's newer name; when both are given it wins, as there.
        max_tokens = self.max_tokens(req.max_completion_tokens or req.max_tokens,
                                     "max_completion_tokens" if req.max_completion_tokens else "max_tokens")
        n = self.choices(req.n)
        if req.top_logprobs is not None and not req.logprobs:
            raise APIError(400, "top_logprobs needs logprobs: true.", param="top_logprobs", code="invalid_value")
        fmt = req.response_format
        spec = fmt.json_schema if fmt is not None else None
        grammar = output_grammar(fmt.type if fmt else None, spec.schema_ if spec else None, spec.name if spec else "")
        choice = req.tool_choice.model_dump() if isinstance(req.tool_choice, NamedToolChoice) else req.tool_choice
        tools = tool_use([t.model_dump(exclude_none=True) for t in req.tools] if req.tools else None, choice)
        if tools is not None and grammar is not None:
            raise APIError(400, "response_format and tools cannot be combined here: ask for one of them.",
                           param="response_format", code="unsupported_parameter")
        if tools is not None:
            grammar = forced_call_grammar(tools)
        history, question = conversation(req.messages)
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
        options = dataclasses.replace(options, adapters=adapters, grammar=grammar,
                                      logprobs=(req.top_logprobs or 0) if req.logprobs else None)
        sampling = options.sampling
        record = JobRecord(f"chatcmpl-{uuid.uuid4().hex}", model_id, bool(req.stream),
                           temperature=sampling.temperature, top_p=sampling.top_p, max_tokens=max_tokens)
        job = Job(loop, backend, record, history, question, options, want, tools=tools,
                  keep_alive=keep_alive_seconds(req.keep_alive))
        if backend is not None:
            self.setup(job, backend)  # a model that cannot serve it: 400 now, not after the queue
        return job


def keep_alive_seconds(value: str | float | int | None) -> float | None:
    """A request's keep_alive (Ollama's: "5m", "1h30m", 300, "0", -1) in seconds; None: the server's default."""
    if value is None:
        return None
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise APIError(400, f"keep_alive: {exc}", param="keep_alive", code="invalid_value") from None
