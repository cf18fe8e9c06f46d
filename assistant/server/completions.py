"""OpenAI's legacy ``/v1/completions``: a prompt in, its continuation out (no chat template), streamed or whole,
with ``echo``, ``stop`` and ``logprobs`` (the model's, per token, with the likeliest alternatives). With
``echo`` and ``logprobs`` the prompt's own tokens are scored too, as evaluation harnesses (lm-evaluation-harness,
lighteval) ask with ``max_tokens: 0``. Runs through the same queue, limits and auth as the chat route.
"""

from __future__ import annotations

import asyncio
import dataclasses
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, BeforeValidator, Field

from assistant.core.chat.protocol import Backend, GenerationRequest, TokenLogprob
from assistant.core.chat.turn import TurnOptions
from assistant.core.errors import AssistantError, ConfigError, ContextOverflowError
from assistant.core.settings import TEMPERATURE_RANGE

from .guard import error_response
from .schema import (
    _STRICT,
    SSE_EVENT,
    APIError,
    Int,
    NonNegativeInt,
    PositiveInt,
    StreamOptions,
    Usage,
    _errors,
    _integral,
)
from .service import FINISH_REASONS, ChatService, Job, JobRecord, keep_alive_seconds
from .shaping import check_for_backend
from .sse import JobStream, dumps, final_kind, first_item, run_to_end, sse_event, stream_items

MAX_PROMPTS = 16  # prompts in one request (each is a job of its own worth of work)
DEFAULT_MAX_TOKENS = 16  # OpenAI's default for this route


class CompletionRequest(BaseModel):
    model_config = _STRICT

    model: str = Field(description="the served model's id (see GET /v1/models)")
    prompt: str | Annotated[list[str], Field(min_length=1, max_length=MAX_PROMPTS)] | \
        Annotated[list[int], Field(min_length=1)] | \
        Annotated[list[Annotated[list[int], Field(min_length=1)]], Field(min_length=1, max_length=MAX_PROMPTS)] = \
        Field(description="text, several texts, or token ids; sent as is (no chat template)")
    max_tokens: NonNegativeInt | None = Field(None, description="default 16 (OpenAI's), at most the server's "
                                              "limit; 0 with echo: only score the prompt")
    temperature: float | None = Field(None, ge=TEMPERATURE_RANGE[0], le=TEMPERATURE_RANGE[1])
    top_p: float | None = Field(None, gt=0, le=1)
    n: PositiveInt | None = None
    best_of: PositiveInt | None = Field(None, description="accepted when it equals n")
    stream: bool | None = False
    stream_options: StreamOptions | None = None
    logprobs: Annotated[int, Field(ge=0, le=20), BeforeValidator(_integral)] | None = Field(
        None, description="each token's log-probability and this many likeliest alternatives")
    echo: bool | None = Field(False, description="the prompt comes back before the completion (and is scored "
                              "with logprobs)")
    stop: str | Annotated[list[str], Field(max_length=4)] | None = None
    seed: Int | None = None
    suffix: str | None = Field(None, description="not supported: a non-empty suffix is refused")
    presence_penalty: float | None = Field(None, ge=-2, le=2, description="accepted, not applied")
    frequency_penalty: float | None = Field(None, ge=-2, le=2, description="accepted, not applied")
    user: str | None = None
    ignore_eos: bool | None = None
    keep_alive: str | float | None = None


class CompletionLogprobs(BaseModel):
    tokens: list[str]
    token_logprobs: list[float | None]
    top_logprobs: list[dict[str, float] | None]
    text_offset: list[int]


class CompletionChoice(BaseModel):
    text: str
    index: int
    logprobs: CompletionLogprobs | None
    finish_reason: Literal["stop", "length"] | None


class Completion(BaseModel):
    id: str
    object: Literal["text_completion"]
    created: int
    model: str
    choices: list[CompletionChoice]
    usage: Usage | None = None


COMPLETION_STREAM_MODELS = (Completion,)
COMPLETION_SSE: dict[str, Any] = {**SSE_EVENT, "properties": {**SSE_EVENT["properties"], "data": {"anyOf": [
    {"const": "[DONE]"},
    {"type": "string", "contentMediaType": "application/json", "contentSchema": {"anyOf": [
        {"$ref": "#/components/schemas/Completion"}, {"$ref": "#/components/schemas/ErrorResponse"}]}},
]}}}
COMPLETION_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"model": Completion, "description": "A text_completion, or with stream=true server-sent events of "
          "text_completion objects, then `data: [DONE]`", "content": {"text/event-stream": {"schema": COMPLETION_SSE}}},
    **_errors(400, 401, 404, 413, 500, 503),
}


# ---------------------------------------------------------------------------------------------------
# Running


@dataclass
class Piece:
    index: int
    text: str
    logprobs: list[TokenLogprob] | None = None
    finish: str | None = None


@dataclass
class CompletionResult:
    texts: dict[int, str] = field(default_factory=dict)
    logprobs: dict[int, list[TokenLogprob | None]] = field(default_factory=dict)
    tokens: dict[int, list[str]] = field(default_factory=dict)
    finish: dict[int, str] = field(default_factory=dict)
    prompt_tokens: int = 0
    completion_tokens: int = 0

    @property
    def usage(self) -> dict[str, int]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "total_tokens": self.prompt_tokens + self.completion_tokens}


def _runner(req: CompletionRequest, prompts: list[str | list[int]], n: int, options: TurnOptions) -> Any:
    echo = bool(req.echo)
    stops = (req.stop,) if isinstance(req.stop, str) else tuple(s for s in req.stop or () if s)

    def run(job: Job, backend: Backend) -> tuple[Any, ...]:
        result = CompletionResult()
        for p, prompt in enumerate(prompts):
            for k in range(n):
                index = p * n + k
                sampling = options.sampling
                if sampling.seed is not None and k:
                    sampling = dataclasses.replace(sampling, seed=sampling.seed + k)
                request = GenerationRequest(
                    messages=[], family=backend.family, sampling=sampling, stop=stops, cancel=job.cancel,
                    ignore_eos=options.ignore_eos, raw_prompt=prompt, logprobs=options.logprobs,
                    prompt_logprobs=echo and options.logprobs is not None)
                try:
                    _one(job, backend, request, index, prompt, echo, result, count_prompt=k == 0)
                except ContextOverflowError as exc:
                    return ("error", APIError(400, exc.user_text(), param="prompt", code="context_length_exceeded"))
                except ConfigError as exc:  # token ids the model does not have
                    return ("error", APIError(400, exc.user_text(), param="prompt", code="invalid_value"))
                except AssistantError as exc:
                    return ("error", APIError(500, exc.user_text(), "server_error", code="generation_failed"))
                if job.cancel.is_set():
                    return ("done", result)
        job.record.prompt_tokens, job.record.completion_tokens = result.prompt_tokens, result.completion_tokens
        return ("done", result)

    return run


def _one(job: Job, backend: Backend, request: GenerationRequest, index: int, prompt: str | list[int], echo: bool,
         result: CompletionResult, count_prompt: bool) -> None:
    text_parts: list[str] = []
    lps: list[TokenLogprob | None] = []
    scored = False  # the prompt's tokens were scored (echo with logprobs)
    if echo and job.record.stream:  # streamed: the prompt goes first (its scores only in the whole reply)
        job.post(Piece(index, prompt if isinstance(prompt, str) else _detok(backend, prompt)))
    for chunk in backend.stream(request):
        if chunk.done:
            stats = chunk.stats
            assert stats is not None
            reason = FINISH_REASONS.get(stats.finish_reason, "stop")
            result.finish[index] = reason
            job.record.finish_reasons.append(stats.finish_reason)
            result.completion_tokens += stats.completion_tokens
            if count_prompt:
                result.prompt_tokens += stats.prompt_tokens
            if echo:
                head = prompt if isinstance(prompt, str) else _detok(backend, prompt)
                text_parts.insert(0, head)
                if stats.prompt_logprobs is not None:
                    lps = [*stats.prompt_logprobs, *lps]
                    scored = True
            if job.record.stream:
                job.post(Piece(index, "", finish=reason))
            break
        if chunk.notice or not chunk.text:
            continue
        text_parts.append(chunk.text)
        lps.extend(chunk.logprobs or ())
        if job.record.stream:
            job.post(Piece(index, chunk.text, chunk.logprobs))
    result.texts[index] = "".join(text_parts)
    if scored:  # the first token has no score; its text (read now: the model is free again)
        result.tokens[index] = [_first_token(backend, prompt)]
    if request.logprobs is not None:
        result.logprobs[index] = lps


def _detok(backend: Backend, tokens: Sequence[int]) -> str:
    detok = getattr(backend, "detokenize", None)
    return str(detok(tokens)) if detok is not None else ""


def _first_token(backend: Backend, prompt: str | list[int]) -> str:
    tokens = backend.tokenize_prompt(prompt) if isinstance(prompt, str) else list(prompt)  # type: ignore[attr-defined]
    return _detok(backend, tokens[:1]) if tokens else ""


# ---------------------------------------------------------------------------------------------------
# Bodies


def legacy_logprobs(entries: Sequence[TokenLogprob | None], first_tokens: Sequence[str] = (),
                    start: int = 0) -> dict[str, Any]:
    """OpenAI's completions logprobs: parallel lists of tokens, their logprobs, the likeliest alternatives and
    each token's offset in the text."""
    tokens, values, tops, offsets = [], [], [], []
    pos = start
    for i, t in enumerate(entries):
        tok = t.token if t is not None else (first_tokens[i] if i < len(first_tokens) else "")
        tokens.append(tok)
        values.append(None if t is None else (t.logprob if t.logprob > -1e30 else -9999.0))
        tops.append(None if t is None else {alt: (lp if lp > -1e30 else -9999.0) for alt, lp, _ in t.top})
        offsets.append(pos)
        pos += len(tok)
    return {"tokens": tokens, "token_logprobs": values, "top_logprobs": tops, "text_offset": offsets}


def completion_body(job: Job, result: CompletionResult, want_logprobs: bool) -> dict[str, Any]:
    choices = []
    for index in sorted(result.texts):
        lp = None
        if want_logprobs:
            lp = legacy_logprobs(result.logprobs.get(index, []), result.tokens.get(index, []))
        choices.append({"text": result.texts[index], "index": index, "logprobs": lp,
                        "finish_reason": result.finish.get(index, "stop")})
    return {"id": job.record.id, "object": "text_completion", "created": int(time.time()), "model": job.record.model,
            "choices": choices, "usage": result.usage}


class CompletionSSE:
    def __init__(self, job: Job, want_logprobs: bool, include_usage: bool) -> None:
        self.job, self.want_logprobs, self.include_usage = job, want_logprobs, include_usage
        self.created = int(time.time())
        self.offsets: dict[int, int] = {}

    def event(self, choices: list[dict[str, Any]], usage: dict[str, int] | None = None) -> str:
        return sse_event(self.job, "text_completion", self.created, choices, self.include_usage, usage)

    def render(self, items: Sequence[Any]) -> tuple[str, bool]:
        out = []
        for item in items:
            if isinstance(item, Piece):
                lp = None
                if self.want_logprobs and item.logprobs:
                    start = self.offsets.get(item.index, 0)
                    lp = legacy_logprobs(item.logprobs, start=start)
                self.offsets[item.index] = self.offsets.get(item.index, 0) + len(item.text)
                out.append(self.event([{"text": item.text, "index": item.index, "logprobs": lp,
                                        "finish_reason": item.finish}]))
            elif final_kind(item) == "done":
                if self.include_usage:
                    out.append(self.event([], item[1].usage))
                out.append("data: [DONE]\n\n")
                return "".join(out), True
            elif final_kind(item) == "error":
                out.append(f"data: {dumps(item[1].body())}\n\ndata: [DONE]\n\n")
                return "".join(out), True
        return "".join(out), False


# ---------------------------------------------------------------------------------------------------
# The route


def prepare_completion(svc: ChatService, req: CompletionRequest, loop: asyncio.AbstractEventLoop) -> Job:
    model_id, want, adapters, backend = svc.target(req.model)
    if req.suffix:
        raise APIError(400, "suffix (insertion) is not supported by this server.", param="suffix",
                       code="unsupported_parameter")
    n = svc.choices(req.n)
    if req.best_of is not None and req.best_of != n:
        raise APIError(400, "best_of must equal n here (each choice is returned).", param="best_of",
                       code="unsupported_parameter")
    max_tokens = req.max_tokens if req.max_tokens is not None else min(DEFAULT_MAX_TOKENS, svc.options.max_tokens_limit)
    svc.max_tokens(max_tokens or None)
    if max_tokens == 0 and not req.echo:
        raise APIError(400, "max_tokens 0 only makes sense with echo (to score the prompt).", param="max_tokens",
                       code="invalid_value")
    prompt = req.prompt
    prompts: list[str | list[int]]
    if isinstance(prompt, str):
        prompts = [prompt]
    elif prompt and isinstance(prompt[0], int):
        prompts = [list(prompt)]  # type: ignore[arg-type]
    else:
        prompts = list(prompt)  # type: ignore[arg-type]
    if any(isinstance(p, str) and not p for p in prompts):
        raise APIError(400, "The prompt is empty.", param="prompt", code="invalid_value")
    options = TurnOptions.from_settings(svc.options.settings, temperature=req.temperature, top_p=req.top_p,
                                        max_tokens=max_tokens,
                                        seed=None if req.seed is None else req.seed & 0xFFFFFFFF)
    options = dataclasses.replace(options, ignore_eos=bool(req.ignore_eos), logprobs=req.logprobs, adapters=adapters)
    # max_tokens 0 is what it says (the options' 0 would mean "by model"): the sampling keeps it exactly.
    options = dataclasses.replace(options, sampling=dataclasses.replace(options.sampling, max_tokens=max_tokens))
    record = JobRecord(f"cmpl-{uuid.uuid4().hex}", model_id, bool(req.stream), max_tokens=max_tokens,
                       temperature=options.sampling.temperature, top_p=options.sampling.top_p)
    job = Job(loop, backend, record, [], None, options, want, keep_alive=keep_alive_seconds(req.keep_alive),
              runner=_runner(req, prompts, n, options))
    if backend is not None:
        check_for_backend(backend, None, options.logprobs)
        job.ready = True
    return job


def add_completion_routes(app: FastAPI, svc: ChatService) -> None:
    @app.post("/v1/completions", response_model=None, responses=COMPLETION_RESPONSES)
    async def completions(body: CompletionRequest, request: Request) -> Response:
        job = prepare_completion(svc, body, asyncio.get_running_loop())
        first = await first_item(job, request, svc)
        if first is None:
            return Response(status_code=499)
        if final_kind(first) == "error":
            return error_response(first[1])
        want_logprobs = body.logprobs is not None
        if body.stream:
            include_usage = bool(body.stream_options and body.stream_options.include_usage)
            sse = CompletionSSE(job, want_logprobs, include_usage)
            return JobStream(stream_items(job, first, sse.render), job, svc)
        item = await run_to_end(job, first, request, svc)
        if item is None:
            return Response(status_code=499)
        if item[0] == "error":
            return error_response(item[1])
        return JSONResponse(completion_body(job, item[1], want_logprobs))

