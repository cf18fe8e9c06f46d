"""Ollama's API on the same server (``/api/...``), mapped onto the same service, queue, limits and auth as the
OpenAI routes: ``chat`` and ``generate`` become the same jobs as /v1/chat/completions and /v1/completions
(``format`` through the structured-output grammar, ``think`` through the thinking switch, ``options``
through the sampling, ``keep_alive`` through the idle unload), streamed as NDJSON; ``tags``, ``show``,
``ps`` and ``version`` describe what the server has; ``embed`` runs the embedding model.

Model names: listed as ``<id>:latest`` (Ollama's clients expect a tag), and every name the OpenAI routes take
works with or without ``:latest``.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import hashlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import ValidationError

import assistant.server.ollama_schema as ol
from assistant.core.chat.turn import TurnEvent, TurnResult
from assistant.core.structured.tools import ToolCallParser, split_tool_calls

from .completions import CompletionRequest, prepare_completion
from .directory import Listed
from .embeddings import EmbeddingSlot, embedding_job
from .guard import error_response
from .schema import APIError, ChatCompletionRequest
from .service import FINISH_REASONS, ChatService, Job, keep_alive_seconds
from .sse import JobStream, dumps, final_kind, first_item, run_to_end, stream_items

# The Ollama release whose API these routes speak (think, structured format, tool streaming: 0.9).
OLLAMA_API_VERSION = "0.9.0"
NDJSON = "application/x-ndjson"


def now_iso(t: float | None = None) -> str:
    moment = datetime.datetime.fromtimestamp(time.time() if t is None else t, tz=datetime.timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


def tagged(model_id: str) -> str:
    return model_id if ":" in model_id else f"{model_id}:latest"


def untagged(name: str) -> str:
    return name[: -len(":latest")] if name.lower().endswith(":latest") else name


def _invalid(exc: ValidationError) -> APIError:
    errors = exc.errors()
    e: dict[str, Any] = dict(errors[0]) if errors else {}
    where = ".".join(str(p) for p in e.get("loc", ()))
    return APIError(400, f"{where}: {e.get('msg', 'invalid value')}." if where else "Invalid request.",
                    code="invalid_value")


# ---------------------------------------------------------------------------------------------------
# Requests -> the service's jobs


def _options(options: ol.Options | None, limit: int) -> dict[str, Any]:
    o = options if options is not None else ol.Options.model_validate({})
    out: dict[str, Any] = {"temperature": o.temperature, "top_p": o.top_p, "seed": o.seed}
    if o.num_predict is not None and o.num_predict > 0:
        out["max_tokens"] = min(o.num_predict, limit)  # Ollama has no error for a large one: the limit holds
    if o.stop:
        stops = [o.stop] if isinstance(o.stop, str) else list(o.stop)
        out["stop"] = [s for s in stops if s][:4] or None
    return out


def _format(fmt: Any) -> dict[str, Any] | None:
    if fmt in (None, ""):
        return None
    if fmt == "json":
        return {"type": "json_object"}
    return {"type": "json_schema", "json_schema": {"name": "format", "schema": fmt}}


def _think(think: Any) -> dict[str, Any]:
    if think is None:
        return {}
    if isinstance(think, bool):
        return {"thinking": think}
    return {"thinking": True, "reasoning_effort": think}  # "low" | "medium" | "high"


def _tune(job: Job, options: ol.Options | None) -> Job:
    """Ollama's sampling options the OpenAI request has no field for, and the context size to load with."""
    if options is None:
        return job
    s = job.options.sampling
    if options.top_k is not None:
        s = dataclasses.replace(s, top_k=options.top_k)
    if options.min_p is not None:
        s = dataclasses.replace(s, min_p=options.min_p)
    if options.repeat_penalty is not None:
        s = dataclasses.replace(s, repeat_penalty=options.repeat_penalty)
    job.options = dataclasses.replace(job.options, sampling=s)
    job.want_ctx = options.num_ctx
    return job


def chat_job(svc: ChatService, req: ol.ChatRequest, loop: asyncio.AbstractEventLoop) -> Job:
    messages = []
    for m in req.messages:
        if m.images:
            raise APIError(400, "Images are not supported by this server's models.", code="invalid_value")
        msg: dict[str, Any] = {"role": m.role, "content": m.content}
        if m.tool_calls:
            msg["tool_calls"] = [{"type": "function", "function": {"name": c.function.name,
                                                                   "arguments": c.function.arguments}}
                                 for c in m.tool_calls]
        if m.tool_name:
            msg["name"] = m.tool_name
        messages.append(msg)
    body = {"model": untagged(req.model), "messages": messages, "stream": req.stream,
            "response_format": _format(req.format), "keep_alive": req.keep_alive,
            "tools": [t.model_dump(exclude_none=True) for t in req.tools] if req.tools else None,
            "logprobs": req.logprobs or None, "top_logprobs": req.top_logprobs if req.logprobs else None,
            **_options(req.options, svc.options.max_tokens_limit), **_think(req.think)}
    try:
        creq = ChatCompletionRequest.model_validate({k: v for k, v in body.items() if v is not None})
    except ValidationError as exc:
        raise _invalid(exc) from None
    return _tune(svc.prepare(creq, loop), req.options)


def generate_job(svc: ChatService, req: ol.GenerateRequest, loop: asyncio.AbstractEventLoop) -> Job:
    if req.images:
        raise APIError(400, "Images are not supported by this server's models.", code="invalid_value")
    if req.suffix:
        raise APIError(400, "suffix (fill-in-the-middle) is not supported by this server.", code="invalid_value")
    if req.template:
        raise APIError(400, "A custom template is not supported: the model's own is used (or raw: true).",
                       code="invalid_value")
    opts = _options(req.options, svc.options.max_tokens_limit)
    if req.raw:
        if req.format not in (None, ""):
            raise APIError(400, "format needs the chat template (raw: false).", code="invalid_value")
        creq = CompletionRequest.model_validate({k: v for k, v in {
            "model": untagged(req.model), "prompt": req.prompt, "stream": req.stream, "keep_alive": req.keep_alive,
            "max_tokens": opts.get("max_tokens", svc.options.max_tokens_limit), "temperature": opts["temperature"],
            "top_p": opts["top_p"], "seed": opts["seed"], "stop": opts.get("stop")}.items() if v is not None})
        return _tune(prepare_completion(svc, creq, loop), req.options)
    messages = ([{"role": "system", "content": req.system}] if req.system else []) + \
        [{"role": "user", "content": req.prompt}]
    chat = ol.ChatRequest(model=req.model, messages=[ol.Message.model_validate(m) for m in messages], format=req.format,
                          options=req.options, stream=req.stream, keep_alive=req.keep_alive, think=req.think,
                          logprobs=req.logprobs, top_logprobs=req.top_logprobs)
    return chat_job(svc, chat, loop)


def load_job(svc: ChatService, name: str, keep_alive: Any, loop: asyncio.AbstractEventLoop) -> Job:
    """An empty chat or generate request: load the model (or, with keep_alive 0, unload it) and answer."""
    from assistant.core.chat.turn import TurnOptions

    from .service import JobRecord

    model_id, want, _, backend = svc.target(untagged(name))
    job = Job(loop, backend, JobRecord(f"load-{int(time.time() * 1000)}", model_id, False), [], None, TurnOptions(),
              want, keep_alive=keep_alive_seconds(keep_alive), runner=lambda job, backend: ("done", None))
    job.ready = True
    return job


# ---------------------------------------------------------------------------------------------------
# Replies


def _stats(job: Job, result: TurnResult | None) -> dict[str, Any]:
    out: dict[str, Any] = {"total_duration": int((time.monotonic() - job.started) * 1e9),
                           "load_duration": int(job.load_seconds * 1e9)}
    if result is not None and result.samples:
        st = result.best.stats
        out.update(prompt_eval_count=st.prompt_tokens, prompt_eval_duration=int(st.prompt_seconds * 1e9),
                   eval_count=st.completion_tokens, eval_duration=int(st.generation_seconds * 1e9))
    return out


def _logprobs(entries: Sequence[Any] | None) -> list[dict[str, Any]]:
    def lp(v: float) -> float:
        return v if v > -1e30 else -9999.0

    return [{"token": t.token, "logprob": lp(t.logprob),
             "top_logprobs": [{"token": tok, "logprob": lp(v)} for tok, v, _ in t.top]} for t in entries or ()]


def _calls(calls: Sequence[Any]) -> list[dict[str, Any]]:
    return [{"function": {"index": i, "name": c.name, "arguments": c.argument_dict}} for i, c in enumerate(calls)]


class NDJSON_Chat:
    """Chat (or generate: ``field="response"``) events as Ollama's NDJSON lines."""

    def __init__(self, job: Job, model: str, generate: bool, show_thinking: bool) -> None:
        self.job, self.model, self.generate, self.show_thinking = job, model, generate, show_thinking
        self.parser = ToolCallParser() if job.tools is not None else None
        self.finish = "stop"

    def line(self, content: str = "", thinking: str = "", calls: list[dict[str, Any]] | None = None,
             done: bool = False, logprobs: Sequence[Any] | None = None) -> dict[str, Any]:
        obj: dict[str, Any] = {"model": self.model, "created_at": now_iso()}
        if self.generate:
            obj["response"] = content
            if thinking:
                obj["thinking"] = thinking
        else:
            msg: dict[str, Any] = {"role": "assistant", "content": content}
            if thinking:
                msg["thinking"] = thinking
            if calls:
                msg["tool_calls"] = calls
            obj["message"] = msg
        if logprobs:
            obj["logprobs"] = _logprobs(logprobs)
        obj["done"] = done
        return obj

    def render(self, items: Sequence[Any]) -> tuple[str, bool]:
        out: list[str] = []
        for item in items:
            if isinstance(item, TurnEvent):
                if item.kind == "reasoning" and self.show_thinking:
                    out.append(dumps(self.line(thinking=item.text)))
                elif item.kind == "answer":
                    self._answer(self.parser.feed(item.text) if self.parser else None, item.text, out, item.logprobs)
                elif item.kind == "sample_end":
                    self.finish = item.text
                    if self.parser is not None:
                        self._answer(self.parser.finish(), "", out)
                continue
            kind = final_kind(item)
            if kind == "done":
                last = self.line(done=True)
                last["done_reason"] = "stop" if self.finish == "tool_calls" else self.finish
                last.update(_stats(self.job, item[1]))
                out.append(dumps(last))
                return "".join(f"{o}\n" for o in out), True
            if kind == "error":
                out.append(dumps({"error": item[1].message}))
                return "".join(f"{o}\n" for o in out), True
        return "".join(f"{o}\n" for o in out), False

    def _answer(self, events: Any, text: str, out: list[str], logprobs: Sequence[Any] | None = None) -> None:
        if events is None:
            if text:
                out.append(dumps(self.line(content=text, logprobs=logprobs)))
            return
        for te in events:
            if te.kind == "text" and te.text:
                out.append(dumps(self.line(content=te.text)))
            elif te.call is not None:
                assert self.parser is not None
                out.append(dumps(self.line(calls=_calls([te.call]))))


def chat_body(job: Job, model: str, result: TurnResult, generate: bool, show_thinking: bool) -> dict[str, Any]:
    best = result.best
    answer, calls = (split_tool_calls(best.answer) if job.tools is not None else (best.answer, []))
    thinking = best.reasoning if show_thinking else ""
    obj = NDJSON_Chat(job, model, generate, show_thinking).line(
        answer.strip() if calls else answer, thinking, _calls(calls), done=True,
        logprobs=best.logprobs if job.options.logprobs is not None else None)
    obj["done_reason"] = FINISH_REASONS.get(best.stats.finish_reason, "stop")
    obj.update(_stats(job, result))
    return obj


# ---------------------------------------------------------------------------------------------------
# Describing models


def _digest(path: Path | None, name: str) -> str:
    """An identity for the model file (path, size, time): Ollama's digest is a content hash, which would mean
    reading gigabytes on every listing; clients use it only to tell models apart."""
    try:
        st = path.stat() if path is not None else None
    except OSError:
        st = None
    key = f"{path}|{st.st_size if st else 0}|{st.st_mtime_ns if st else 0}|{name}"
    return hashlib.sha256(key.encode()).hexdigest()


def _size_label(n: int) -> str:
    for unit, div in (("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if n >= div:
            return f"{n / div:.1f}{unit}".replace(".0", "")
    return str(n)


def describe(svc: ChatService, m: Listed) -> dict[str, Any]:
    """An Ollama model card: name, size, digest, time, details (format, family, size, quantization)."""
    size, family, params, quant, modified = 0, "", 0, "", time.time()
    backend = svc.models.current() if m.loaded else None
    if backend is not None:
        info = backend.info
        size, family, params, quant = info.size_bytes, info.architecture, info.n_params, info.quantization
    if m.path is not None:
        try:
            from assistant.core.models.gguf_check import validate

            g = validate(m.path)
            size, family = g.file_size, family or g.architecture
            params, quant = params or g.parameters, quant or g.quantization
            modified = m.path.stat().st_mtime
        except Exception:  # an unreadable file still gets listed with what is known
            pass
    return {"name": tagged(m.id), "model": tagged(m.id), "modified_at": now_iso(modified), "size": size,
            "digest": _digest(m.path, m.id),
            "details": {"parent_model": "", "format": "gguf" if m.path is not None else "", "family": family,
                        "families": [family] if family else [], "parameter_size": _size_label(params),
                        "quantization_level": quant}}


def _find(svc: ChatService, name: str) -> Listed:
    model_id, _ = svc.models.resolve(untagged(name))
    for m in svc.models.listing():
        if m.id == model_id:
            return m
    raise APIError(404, f"model '{name}' not found", code="model_not_found")


def show(svc: ChatService, name: str) -> dict[str, Any]:
    m = _find(svc, name)
    card = describe(svc, m)
    template, ctx_train, arch, capabilities = "", 0, card["details"]["family"], ["completion"]
    backend = svc.models.current() if m.loaded else None
    if backend is not None:
        template = str(getattr(backend, "chat_template", "") or "")
        ctx_train = backend.info.n_ctx_train
        fam = backend.family
    else:
        from assistant.core.chat.prompting import detect_family, family_for_model
        from assistant.core.models.gguf_check import validate

        g = validate(m.path) if m.path is not None else None
        template = g.chat_template if g else ""
        ctx_train = g.context_length if g else 0
        fam = family_for_model(detect_family(template, arch, m.id), template)
    if getattr(fam, "tools", False) and "<tool_call>" in template:
        capabilities.append("tools")
    if getattr(fam, "reasoning_model", False) or getattr(fam, "thinks", False):
        capabilities.append("thinking")
    return {"modelfile": f"# Served by Assistant\nFROM {m.path or m.id}\n", "parameters": "",
            "template": template, "details": card["details"], "modified_at": card["modified_at"],
            "model_info": {"general.architecture": arch, "general.parameter_count": _params(card),
                           f"{arch}.context_length": ctx_train}, "capabilities": capabilities}


def _params(card: dict[str, Any]) -> int:
    label = str(card["details"]["parameter_size"])
    scale = {"B": 1e9, "M": 1e6, "K": 1e3}.get(label[-1:], 1)
    try:
        return int(float(label.rstrip("BMK")) * scale)
    except ValueError:
        return 0


def running(svc: ChatService) -> list[dict[str, Any]]:
    backend = svc.models.current()
    if backend is None:
        return []
    m = next((x for x in svc.models.listing() if x.loaded), None)
    if m is None:
        return []
    card = describe(svc, m)
    expires = svc.expires_at()
    info = backend.info
    share = (info.n_gpu_layers / (info.n_layers + 1)) if info.n_layers else 0.0
    return [{**card, "expires_at": now_iso(expires) if expires is not None else "2318-01-01T00:00:00Z",
             "size_vram": int(card["size"] * min(1.0, share)), "context_length": info.n_ctx}]


# ---------------------------------------------------------------------------------------------------
# The routes


def add_ollama_routes(app: FastAPI, svc: ChatService, embeddings: EmbeddingSlot) -> None:
    async def run(job: Job, request: Request, stream: bool, render: Any, body: Any) -> Response:
        first = await first_item(job, request, svc)
        if first is None:
            return Response(status_code=499)
        if final_kind(first) == "error":
            return error_response(first[1], "/api/")
        if stream:
            return JobStream(stream_items(job, first, render), job, svc, media_type=NDJSON)
        item = await run_to_end(job, first, request, svc)
        if item is None:
            return Response(status_code=499)
        if item[0] == "error":
            return error_response(item[1], "/api/")
        return JSONResponse(body(item[1]))

    async def loaded(name: str, keep_alive: Any, request: Request, field: str) -> Response:
        job = load_job(svc, name, keep_alive, asyncio.get_running_loop())
        unload = job.keep_alive == 0
        reply = {"model": name, "created_at": now_iso(), field: "" if field == "response" else
                 {"role": "assistant", "content": ""}, "done": True, "done_reason": "unload" if unload else "load"}
        return await run(job, request, False, None, lambda _: reply)

    @app.post("/api/chat", response_model=None, responses=ol.STREAMED)
    async def api_chat(body: ol.ChatRequest, request: Request) -> Response:
        if not body.messages:
            return await loaded(body.model, body.keep_alive, request, "message")
        job = chat_job(svc, body, asyncio.get_running_loop())
        show_thinking = body.think is not False
        return await run(job, request, body.stream, NDJSON_Chat(job, body.model, False, show_thinking).render,
                         lambda result: chat_body(job, body.model, result, False, show_thinking))

    @app.post("/api/generate", response_model=None, responses=ol.STREAMED)
    async def api_generate(body: ol.GenerateRequest, request: Request) -> Response:
        if not body.prompt:
            return await loaded(body.model, body.keep_alive, request, "response")
        job = generate_job(svc, body, asyncio.get_running_loop())
        if body.raw:
            return await run(job, request, body.stream, _RawNDJSON(job, body.model).render,
                             lambda result: _raw_body(job, body.model, result))
        show_thinking = body.think is not False
        return await run(job, request, body.stream, NDJSON_Chat(job, body.model, True, show_thinking).render,
                         lambda result: chat_body(job, body.model, result, True, show_thinking))

    @app.get("/api/tags", responses=ol.ERRORS)
    async def api_tags() -> dict[str, Any]:
        return {"models": [describe(svc, m) for m in svc.models.listing()]}

    @app.post("/api/show", responses=ol.ERRORS)
    async def api_show(body: ol.ShowRequest) -> dict[str, Any]:
        name = body.model or body.name
        if not name:
            raise APIError(400, "model is required", code="invalid_value")
        return show(svc, name)

    @app.get("/api/ps", responses=ol.ERRORS)
    async def api_ps() -> dict[str, Any]:
        return {"models": running(svc)}

    @app.get("/api/version", responses=ol.ERRORS)
    async def api_version() -> dict[str, str]:
        return {"version": OLLAMA_API_VERSION}

    @app.get("/", response_class=PlainTextResponse)
    async def root() -> str:
        return "Assistant is running: Ollama's API under /api, OpenAI's under /v1."

    @app.post("/api/embed", responses=ol.ERRORS)
    async def api_embed(body: ol.EmbedRequest, request: Request) -> Response:
        texts = [body.input] if isinstance(body.input, str) else list(body.input)
        job = embedding_job(svc, embeddings, untagged(body.model), texts, body.truncate, body.dimensions,
                            asyncio.get_running_loop())

        def reply(result: Any) -> dict[str, Any]:
            vectors, tokens, load_s, _ = result
            return {"model": body.model, "embeddings": [[float(x) for x in v] for v in vectors],
                    "total_duration": int((time.monotonic() - job.started) * 1e9),
                    "load_duration": int(load_s * 1e9), "prompt_eval_count": int(sum(tokens))}
        return await run(job, request, False, None, reply)

    @app.post("/api/embeddings", responses=ol.ERRORS)
    async def api_embeddings(body: ol.EmbeddingsRequest, request: Request) -> Response:
        job = embedding_job(svc, embeddings, untagged(body.model), [body.prompt], True, None,
                            asyncio.get_running_loop())
        return await run(job, request, False, None, lambda result: {"embedding": [float(x) for x in result[0][0]]})


class _RawNDJSON:
    """/api/generate with raw: true, from the completions job's pieces."""

    def __init__(self, job: Job, model: str) -> None:
        self.job, self.model = job, model
        self.finish = "stop"

    def render(self, items: Sequence[Any]) -> tuple[str, bool]:
        out = []
        for item in items:
            kind = final_kind(item)
            if kind == "done":
                last = {"model": self.model, "created_at": now_iso(), "response": "", "done": True,
                        "done_reason": self.finish, **_stats(self.job, None)}
                out.append(dumps(last))
                return "".join(f"{o}\n" for o in out), True
            if kind == "error":
                out.append(dumps({"error": item[1].message}))
                return "".join(f"{o}\n" for o in out), True
            if getattr(item, "finish", None):
                self.finish = item.finish
            if getattr(item, "text", ""):
                out.append(dumps({"model": self.model, "created_at": now_iso(), "response": item.text, "done": False}))
        return "".join(f"{o}\n" for o in out), False


def _raw_body(job: Job, model: str, result: Any) -> dict[str, Any]:
    return {"model": model, "created_at": now_iso(), "response": result.texts.get(0, ""), "done": True,
            "done_reason": result.finish.get(0, "stop"), "prompt_eval_count": result.prompt_tokens,
            "eval_count": result.completion_tokens, **_stats(job, None)}
