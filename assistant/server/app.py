"""The HTTP layer: FastAPI routes, SSE streaming, OpenAI-style errors, host/key/size guard, CORS."""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response, StreamingResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.core.chat.turn import TurnEvent, TurnResult

from .schema import CHAT_RESPONSES, MODEL_RESPONSES, STREAM_MODELS, APIError, ChatCompletionRequest, ModelList
from .service import FINISH_REASONS, BackendProvider, ChatService, Job, ServerOptions, is_loopback


def completion_body(job: Job, result: TurnResult) -> dict[str, Any]:
    rec = job.record
    choices = [
        {
            "index": i,
            "message": {"role": "assistant", "content": s.answer, "reasoning_content": s.reasoning or None},
            "logprobs": None,
            "finish_reason": FINISH_REASONS.get(s.stats.finish_reason, "stop"),
        }
        for i, s in enumerate(result.samples)
    ]
    return {"id": rec.id, "object": "chat.completion", "created": int(time.time()), "model": rec.model,
            "choices": choices, "usage": result.usage}


def _json(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


class _SSE:
    """Builds ``data: {...}`` chunks for one streamed completion."""

    def __init__(self, job: Job, include_usage: bool) -> None:
        self.job = job
        self.include_usage = include_usage
        self.created = int(time.time())

    def chunk(self, choices: list[dict[str, Any]], usage: dict[str, int] | None = None) -> str:
        obj: dict[str, Any] = {"id": self.job.record.id, "object": "chat.completion.chunk", "created": self.created,
                               "model": self.job.record.model, "choices": choices}
        if self.include_usage:
            obj["usage"] = usage
        return f"data: {_json(obj)}\n\n"

    @staticmethod
    def choice(index: int, delta: dict[str, str], finish: str | None = None) -> dict[str, Any]:
        return {"index": index, "delta": delta, "logprobs": None, "finish_reason": finish}

    def render(self, items: Sequence[Any]) -> tuple[str, bool]:
        """Several queued items (TurnEvents, then a final ("done", result) or ("error", APIError)) become
        one write; consecutive deltas of one kind and sample are merged."""
        out: list[str] = []
        merged: list[TurnEvent] = []
        done = False

        def flush() -> None:
            for ev in merged:
                key = "content" if ev.kind == "answer" else "reasoning_content"
                out.append(self.chunk([self.choice(ev.sample, {key: ev.text})]))
            merged.clear()

        for item in items:
            if isinstance(item, TurnEvent):
                if item.kind in ("reasoning", "answer"):
                    if merged and merged[-1].kind == item.kind and merged[-1].sample == item.sample:
                        merged[-1] = TurnEvent(item.kind, merged[-1].text + item.text, item.sample)
                    else:
                        merged.append(item)
                    continue
                flush()
                if item.kind == "sample_start":
                    out.append(self.chunk([self.choice(item.sample, {"role": "assistant", "content": ""})]))
                elif item.kind == "sample_end":
                    out.append(self.chunk([self.choice(item.sample, {}, item.text)]))
                continue
            flush()
            kind = item[0]
            if kind == "done":
                if self.include_usage:
                    out.append(self.chunk([], item[1].usage))
                out.append("data: [DONE]\n\n")
                done = True
            elif kind == "error":
                err: APIError = item[1]
                out.append(f"data: {_json(err.body())}\n\ndata: [DONE]\n\n")
                done = True
        flush()
        return "".join(out), done


def _final(item: Any) -> str:
    """"done" or "error" for a job's last item, "" for a TurnEvent on the way."""
    return "" if isinstance(item, TurnEvent) else str(item[0])


class _JobStream(StreamingResponse):
    """A streaming response that always releases its job: a client that leaves cancels generation."""

    def __init__(self, content: AsyncIterator[str], job: Job, service: ChatService) -> None:
        super().__init__(content, media_type="text/event-stream",
                         headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self._job = job
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._service.abandon(self._job)  # harmless once the job has finished


async def _stream(job: Job, first: Any, include_usage: bool) -> AsyncIterator[str]:
    sse = _SSE(job, include_usage)
    items = [first]
    while True:
        while not job.items.empty():
            items.append(job.items.get_nowait())
        text, done = sse.render(items)
        if text:
            yield text
        if done:
            return
        items = [await job.items.get()]


# ---------------------------------------------------------------------------------------------------
# The app


def _error_response(err: APIError) -> JSONResponse:
    return JSONResponse(err.body(), status_code=err.status, headers=err.headers)


_TYPE_TAGS = {"str", "int", "float", "bool", "list", "dict", "none"}


def _validation_message(exc: RequestValidationError) -> tuple[str, str | None, str]:
    errors = exc.errors()
    if not errors:
        return "Invalid request.", None, "invalid_request"
    e = errors[0]
    loc: list[str] = []
    for part in e.get("loc", ())[1:] if e.get("loc", ())[:1] == ("body",) else e.get("loc", ()):
        if isinstance(part, str) and (part in _TYPE_TAGS or "[" in part or "-" in part):
            break  # pydantic's name for a branch of a union ("str", "list[TextPart]"), not a field
        loc.append(str(part))
    param = ".".join(loc) or None
    if e.get("type") == "json_invalid":
        return f"The request body is not valid JSON: {e.get('ctx', {}).get('error', e.get('msg'))}.", None, \
            "invalid_json"
    if not loc and e.get("type") in ("missing", "model_attributes_type", "dict_type", "model_type"):
        return "The request body must be a JSON object, sent with 'Content-Type: application/json'.", None, \
            "invalid_request"
    where = f"{param}: " if param else ""
    more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
    return f"{where}{e.get('msg', 'invalid value')}{more}.", param, "invalid_value"


class _Guard:
    """Host check, API key and body size limit, before anything else reads the request."""

    def __init__(self, app: ASGIApp, options: ServerOptions) -> None:
        self.app = app
        self.options = options

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        err = self._check(headers)
        if err is None and scope["method"] in ("POST", "PUT", "PATCH"):
            body, err = await self._read_body(headers, receive)
            if err is None:
                receive = _replay(body, receive)
        if err is not None:
            await _error_response(err)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _check(self, headers: dict[str, str]) -> APIError | None:
        opts = self.options
        if opts.check_host and "host" in headers:
            host = headers["host"]
            name = host[1:host.index("]")] if host.startswith("[") and "]" in host else host.rsplit(":", 1)[0]
            if not is_loopback(name):
                return APIError(400, f"This server only answers requests addressed to localhost, not {host!r}.",
                                code="invalid_host")
        if opts.api_key:
            auth = headers.get("authorization", "")
            scheme, _, token = auth.partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(), opts.api_key.encode()):
                what = "wrong" if auth else "missing"
                return APIError(401, f"The API key is {what}. Send it as 'Authorization: Bearer <key>'.",
                                "authentication_error", code="invalid_api_key",
                                headers={"WWW-Authenticate": "Bearer"})
        return None

    async def _read_body(self, headers: dict[str, str], receive: Receive) -> tuple[bytes, APIError | None]:
        limit = self.options.max_body_bytes
        too_big = APIError(413, f"The request body is larger than this server accepts ({limit:,} bytes).",
                           code="request_too_large")
        try:
            if int(headers.get("content-length", "0")) > limit:
                return b"", too_big
        except ValueError:
            return b"", APIError(400, "Invalid Content-Length header.", code="invalid_request")
        parts: list[bytes] = []
        size = 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                return b"", APIError(499, "The client closed the request.", code="cancelled")
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > limit:
                return b"", too_big
            parts.append(chunk)
            if not msg.get("more_body", False):
                return b"".join(parts), None


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


def create_app(backend_provider: BackendProvider | None = None, options: ServerOptions | None = None,
               *, service: ChatService | None = None) -> FastAPI:
    """The ASGI app. Its lifespan starts and stops the worker thread."""
    if service is None:
        if backend_provider is None:
            raise TypeError("create_app needs a backend_provider or a service")
        service = ChatService(backend_provider, options)
    svc = service
    opts = svc.options

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc.start()
        try:
            yield
        finally:
            svc.shutdown()

    # No /docs or /redoc: their pages load scripts from a CDN, and this app stays offline.
    app = FastAPI(title="Assistant local OpenAI-compatible API", version="1", docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.service = svc

    @app.exception_handler(APIError)
    async def on_api_error(request: Request, exc: APIError) -> JSONResponse:
        return _error_response(exc)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param, code = _validation_message(exc)
        return _error_response(APIError(400, message, param=param, code=code))

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "invalid_request")
        message = {404: f"There is no {request.url.path} here; the API is under /v1.",
                   405: f"{request.method} is not allowed on {request.url.path}."}.get(exc.status_code, str(exc.detail))
        return _error_response(APIError(exc.status_code, message, code=kind, headers=dict(exc.headers or {})))

    # The loaded model first, then (when this server loads models on request) every other one on disk.
    @app.get("/v1/models", response_model=ModelList, responses=MODEL_RESPONSES)
    async def list_models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": i, "object": "model", "created": svc.created,
                                            "owned_by": "assistant"} for i in svc.servable()]}

    @app.get("/v1/models/{model:path}", responses=MODEL_RESPONSES)
    async def get_model(model: str) -> dict[str, Any]:
        model_id, _, _ = svc.resolve_with_adapters(model)  # an alias gives the id it is listed under; loads nothing
        return {"id": model_id, "object": "model", "created": svc.created, "owned_by": "assistant"}

    @app.post("/v1/chat/completions", response_model=None, responses=CHAT_RESPONSES)
    async def chat_completions(body: ChatCompletionRequest, request: Request) -> Response:
        job = svc.prepare(body, asyncio.get_running_loop())
        svc.submit(job)
        try:
            first = await job.next(request)
        except BaseException:
            svc.abandon(job)
            raise
        if first is None:  # the client left while waiting: nobody reads this reply
            svc.abandon(job)
            return Response(status_code=499)
        if _final(first) == "error":
            return _error_response(first[1])
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            return _JobStream(_stream(job, first, include_usage), job, svc)
        # Non-streaming: wait for the end, still watching for the client leaving.
        item: Any = first
        while item is not None and _final(item) not in ("done", "error"):
            item = await job.next(request)
        if item is None:
            svc.abandon(job)
            return Response(status_code=499)
        if item[0] == "error":
            return _error_response(item[1])
        return JSONResponse(completion_body(job, item[1]))

    _publish_limits(app, svc)
    app.add_middleware(_Guard, options=opts)
    if opts.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(opts.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    return app


def _publish_limits(app: FastAPI, svc: ChatService) -> None:
    """Put the served model and the limits into the OpenAPI description; drop FastAPI's unused 422s."""
    opts = svc.options
    original = app.openapi

    def openapi() -> dict[str, Any]:
        # Built per request (a few ms): the served model can change while the GUI runs.
        app.openapi_schema = None
        schema = original()
        app.openapi_schema = None
        props = schema["components"]["schemas"]["ChatCompletionRequest"]["properties"]
        ids = svc.accepted_names()
        if ids:
            props["model"]["enum"] = ids
        # What is accepted but not supported, stated in the schema too (the server explains refusals).
        props["logprobs"]["anyOf"] = [{"type": "boolean", "enum": [False]}, {"type": "null"}]
        for variant in props["tools"]["anyOf"]:
            if variant.get("type") == "array":
                variant["maxItems"] = 0
        schema["components"]["schemas"]["ResponseFormat"]["properties"]["type"]["enum"] = ["text"]
        for name, limit in (("max_tokens", opts.max_tokens_limit), ("max_completion_tokens", opts.max_tokens_limit),
                            ("n", opts.max_n)):
            for variant in props[name].get("anyOf", [props[name]]):
                if variant.get("type") == "integer":
                    variant["maximum"] = limit
        for model in STREAM_MODELS:  # referenced only from the event-stream description
            part = model.model_json_schema(ref_template="#/components/schemas/{model}")
            schema["components"]["schemas"].update(part.pop("$defs", {}))
            schema["components"]["schemas"][model.__name__] = part
        for path in schema.get("paths", {}).values():
            for op in path.values():
                op.get("responses", {}).pop("422", None)
        for name in ("HTTPValidationError", "ValidationError"):
            schema["components"]["schemas"].pop(name, None)
        if opts.api_key:
            schema["components"]["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
            schema["security"] = [{"bearer": []}]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
