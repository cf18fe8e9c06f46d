"""The HTTP layer: FastAPI routes, OpenAI-style errors, CORS; the OpenAI routes here, /v1/completions and
Ollama's /api beside them (``completions.py``, ``ollama.py``), all over one :class:`ChatService`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .completions import COMPLETION_STREAM_MODELS, add_completion_routes
from .documents import attach as attach_documents
from .embeddings import EmbeddingRequest, EmbeddingSlot, embedding_job, openai_body
from .guard import Guard, error_response
from .ollama import add_ollama_routes
from .schema import CHAT_RESPONSES, MODEL_RESPONSES, STREAM_MODELS, APIError, ChatCompletionRequest, ModelList
from .service import BackendProvider, ChatService, ServerOptions
from .sse import ChatSSE, JobStream, completion_body, final_kind, first_item, run_to_end, stream_items

# ---------------------------------------------------------------------------------------------------
# The app


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


def create_app(backend_provider: BackendProvider | None = None, options: ServerOptions | None = None,
               *, service: ChatService | None = None) -> FastAPI:
    """The ASGI app. Its lifespan starts and stops the worker thread."""
    if service is None:
        if backend_provider is None:
            raise TypeError("create_app needs a backend_provider or a service")
        service = ChatService(backend_provider, options)
    svc = service
    opts = svc.options

    embeddings = EmbeddingSlot()  # the embedding model, loaded by the first request for embeddings
    svc.idle_hooks.append(embeddings.close)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        svc.start()
        try:
            yield
        finally:
            svc.shutdown()
            embeddings.close()

    # No /docs or /redoc: their pages load scripts from a CDN, and this app stays offline.
    app = FastAPI(title="Assistant local OpenAI-compatible API", version="1", docs_url=None, redoc_url=None,
                  lifespan=lifespan)
    app.state.service = svc

    @app.exception_handler(APIError)
    async def on_api_error(request: Request, exc: APIError) -> JSONResponse:
        return error_response(exc, request.url.path)

    @app.exception_handler(RequestValidationError)
    async def on_validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        message, param, code = _validation_message(exc)
        return error_response(APIError(400, message, param=param, code=code), request.url.path)

    @app.exception_handler(StarletteHTTPException)
    async def on_http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        kind = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "invalid_request")
        message = {404: f"There is no {request.url.path} here; the OpenAI API is under /v1, Ollama's under /api.",
                   405: f"{request.method} is not allowed on {request.url.path}."}.get(exc.status_code, str(exc.detail))
        return error_response(APIError(exc.status_code, message, code=kind, headers=dict(exc.headers or {})),
                              request.url.path)

    # The loaded model first, then (when this server loads models on request) every other one on disk.
    @app.get("/v1/models", response_model=ModelList, responses=MODEL_RESPONSES)
    async def list_models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": m.id, "object": "model", "created": svc.created,
                                            "owned_by": "assistant", "loaded": m.loaded}
                                           for m in svc.models.listing()]}

    @app.get("/v1/models/{model:path}", responses=MODEL_RESPONSES)
    async def get_model(model: str) -> dict[str, Any]:
        model_id, _, _ = svc.models.resolve_with_adapters(model)  # an alias gives its listed id; loads nothing
        loaded = next((m.loaded for m in svc.models.listing() if m.id == model_id), False)
        return {"id": model_id, "object": "model", "created": svc.created, "owned_by": "assistant", "loaded": loaded}

    @app.post("/v1/chat/completions", response_model=None, responses=CHAT_RESPONSES)
    async def chat_completions(body: ChatCompletionRequest, request: Request) -> Response:
        job = svc.prepare(body, asyncio.get_running_loop())
        attach_documents(job, body, embeddings)  # the `documents` extension (documents.py)
        first = await first_item(job, request, svc)
        if first is None:
            return Response(status_code=499)
        if final_kind(first) == "error":
            return error_response(first[1])
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            return JobStream(stream_items(job, first, ChatSSE(job, include_usage).render), job, svc)
        item = await run_to_end(job, first, request, svc)
        if item is None:
            return Response(status_code=499)
        if item[0] == "error":
            return error_response(item[1])
        return JSONResponse(completion_body(job, item[1]))

    @app.post("/v1/embeddings", response_model=None, responses=CHAT_RESPONSES | {200: {"description": "embeddings"}})
    async def create_embeddings(body: EmbeddingRequest, request: Request) -> Response:
        texts = [body.input] if isinstance(body.input, str) else list(body.input)
        job = embedding_job(svc, embeddings, body.model, texts, True, body.dimensions, asyncio.get_running_loop())
        first = await first_item(job, request, svc)
        if first is None:
            return Response(status_code=499)
        if first[0] == "error":
            return error_response(first[1])
        return JSONResponse(openai_body(job, first[1], body.encoding_format))

    add_completion_routes(app, svc)
    add_ollama_routes(app, svc, embeddings)
    _publish_limits(app, svc)
    app.add_middleware(Guard, options=opts)
    if opts.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        app.add_middleware(CORSMiddleware, allow_origins=list(opts.cors_origins), allow_methods=["GET", "POST",
                           "DELETE"], allow_headers=["Authorization", "Content-Type"])
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
        ids = svc.models.accepted_names()
        comps = schema["components"]["schemas"]
        for model in ("ChatCompletionRequest", "CompletionRequest", "ChatRequest", "GenerateRequest"):
            props = comps[model]["properties"]
            if ids:  # Ollama's clients add ":latest"
                ollama = model in ("ChatRequest", "GenerateRequest")
                props["model"]["enum"] = ids + ([f"{i}:latest" for i in ids] if ollama else [])
            for name, limit in (("max_tokens", opts.max_tokens_limit),
                                ("max_completion_tokens", opts.max_tokens_limit), ("n", opts.max_n)):
                for variant in props.get(name, {}).get("anyOf", [props.get(name, {})]):
                    if variant.get("type") == "integer":
                        variant["maximum"] = limit
        for streamed in (*STREAM_MODELS, *COMPLETION_STREAM_MODELS):  # only in the event-stream descriptions
            part = streamed.model_json_schema(ref_template="#/components/schemas/{model}")
            schema["components"]["schemas"].update(part.pop("$defs", {}))
            schema["components"]["schemas"][streamed.__name__] = part
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
