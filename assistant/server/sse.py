"""OpenAI's chat completion bodies: the whole reply, or server-sent ``chat.completion.chunk`` events as it is
written. Tool calls are parsed out of the answer (streamed as ``delta.tool_calls``), log-probabilities go
with the answer text they belong to."""

from __future__ import annotations

import json
import math
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import StreamingResponse
from starlette.types import Receive, Scope, Send

from assistant.core.chat.protocol import TokenLogprob
from assistant.core.chat.turn import TurnEvent, TurnResult
from assistant.core.structured.tools import ToolCall, ToolCallParser, split_tool_calls

from .documents import DocumentsEvent, documents_chunk
from .documents import add_to_body as add_documents
from .schema import APIError
from .service import FINISH_REASONS, ChatService, Job


def dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def sse_event(job: Job, kind: str, created: int, choices: list[dict[str, Any]], include_usage: bool,
              usage: dict[str, Any] | None = None) -> str:
    """One ``data:`` event of a streamed reply (``kind``: its object type); with include_usage every event
    carries ``usage`` (null until the last), as OpenAI's stream_options ask."""
    obj: dict[str, Any] = {"id": job.record.id, "object": kind, "created": created, "model": job.record.model,
                           "choices": choices}
    if include_usage:
        obj["usage"] = usage
    return f"data: {dumps(obj)}\n\n"


def _finite(lp: float) -> float:
    return lp if math.isfinite(lp) else -9999.0  # OpenAI's figure for "never"; JSON has no -inf


def logprob_dict(t: TokenLogprob) -> dict[str, Any]:
    return {"token": t.token, "logprob": _finite(t.logprob), "bytes": list(t.raw),
            "top_logprobs": [{"token": tok, "logprob": _finite(lp), "bytes": list(raw)} for tok, lp, raw in t.top]}


def tool_call_delta(call: ToolCall, index: int) -> dict[str, Any]:
    return {"index": index, "id": call.id, "type": "function",
            "function": {"name": call.name, "arguments": call.arguments}}


def completion_body(job: Job, result: TurnResult) -> dict[str, Any]:
    rec = job.record
    choices = []
    for i, s in enumerate(result.samples):
        content: str | None = s.answer
        finish = FINISH_REASONS.get(s.stats.finish_reason, "stop")
        message: dict[str, Any] = {"role": "assistant", "content": content, "reasoning_content": s.reasoning or None}
        if job.tools is not None:
            text, calls = split_tool_calls(s.answer)
            if calls:
                message["content"] = text.strip() or None
                message["tool_calls"] = [c.to_openai() for c in calls]
                finish = "tool_calls"
        logprobs = {"content": [logprob_dict(t) for t in s.logprobs]} if job.options.logprobs is not None else None
        choices.append({"index": i, "message": message, "logprobs": logprobs, "finish_reason": finish})
    body = {"id": rec.id, "object": "chat.completion", "created": int(time.time()), "model": rec.model,
            "choices": choices, "usage": result.usage}
    return add_documents(body, job)


class ChatSSE:
    """Builds ``data: {...}`` chunks for one streamed chat completion."""

    def __init__(self, job: Job, include_usage: bool) -> None:
        self.job = job
        self.include_usage = include_usage
        self.created = int(time.time())
        self.parsers: dict[int, ToolCallParser] = {}
        self.want_logprobs = job.options.logprobs is not None

    def chunk(self, choices: list[dict[str, Any]], usage: dict[str, int] | None = None) -> str:
        return sse_event(self.job, "chat.completion.chunk", self.created, choices, self.include_usage, usage)

    @staticmethod
    def choice(index: int, delta: dict[str, Any], finish: str | None = None,
               logprobs: list[Any] | None = None) -> dict[str, Any]:
        lp = {"content": [logprob_dict(t) for t in logprobs]} if logprobs else None
        return {"index": index, "delta": delta, "logprobs": lp, "finish_reason": finish}

    def _answer(self, ev: TurnEvent, out: list[str]) -> None:
        if self.job.tools is None:
            out.append(self.chunk([self.choice(ev.sample, {"content": ev.text}, logprobs=ev.logprobs)]))
            return
        parser = self.parsers.setdefault(ev.sample, ToolCallParser())
        self._tool_events(ev.sample, parser, parser.feed(ev.text), out)

    def _tool_events(self, sample: int, parser: ToolCallParser, events: Sequence[Any], out: list[str]) -> None:
        for te in events:
            if te.kind == "text":
                out.append(self.chunk([self.choice(sample, {"content": te.text})]))
            elif te.call is not None:
                index = parser.calls.index(te.call)
                out.append(self.chunk([self.choice(sample, {"tool_calls": [tool_call_delta(te.call, index)]})]))

    def _end(self, ev: TurnEvent, out: list[str]) -> None:
        finish = ev.text
        parser = self.parsers.get(ev.sample)
        if parser is not None:
            self._tool_events(ev.sample, parser, parser.finish(), out)
            if parser.calls:
                finish = "tool_calls"
        out.append(self.chunk([self.choice(ev.sample, {}, finish)]))

    def render(self, items: Sequence[Any]) -> tuple[str, bool]:
        """Several queued items (TurnEvents, then a final ("done", result) or ("error", APIError)) become
        one write; consecutive deltas of one kind and sample are merged."""
        out: list[str] = []
        merged: list[TurnEvent] = []
        done = False

        def flush() -> None:
            for ev in merged:
                if ev.kind == "answer":
                    self._answer(ev, out)
                else:
                    out.append(self.chunk([self.choice(ev.sample, {"reasoning_content": ev.text})]))
            merged.clear()

        for item in items:
            if isinstance(item, TurnEvent):
                if item.kind in ("reasoning", "answer"):
                    last = merged[-1] if merged else None
                    if last is not None and last.kind == item.kind and last.sample == item.sample:
                        lps = [*(last.logprobs or ()), *(item.logprobs or ())] or None
                        merged[-1] = TurnEvent(item.kind, last.text + item.text, item.sample, lps)
                    else:
                        merged.append(item)
                    continue
                flush()
                if isinstance(item, DocumentsEvent):  # the passages given, before any text (documents.py)
                    out.append(documents_chunk(self.job, self.created, self.include_usage, item.info))
                elif item.kind == "sample_start":
                    out.append(self.chunk([self.choice(item.sample, {"role": "assistant", "content": ""})]))
                elif item.kind == "sample_end":
                    self._end(item, out)
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
                out.append(f"data: {dumps(err.body())}\n\ndata: [DONE]\n\n")
                done = True
        flush()
        return "".join(out), done


def final_kind(item: Any) -> str:
    """"done" or "error" for a job's last item, "" for an event on the way."""
    return str(item[0]) if isinstance(item, tuple) and item and item[0] in ("done", "error") else ""


class JobStream(StreamingResponse):
    """A streaming response that always releases its job: a client that leaves cancels generation."""

    def __init__(self, content: AsyncIterator[str], job: Job, service: ChatService,
                 media_type: str = "text/event-stream") -> None:
        super().__init__(content, media_type=media_type,
                         headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
        self._job = job
        self._service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self._service.abandon(self._job)  # harmless once the job has finished


async def stream_items(job: Job, first: Any, render: Callable[[Sequence[Any]], tuple[str, bool]]) -> AsyncIterator[str]:
    """What the worker posts, rendered as it comes: everything queued at once goes out in one write."""
    items = [first]
    while True:
        while not job.items.empty():
            items.append(job.items.get_nowait())
        text, done = render(items)
        if text:
            yield text
        if done:
            return
        items = [await job.items.get()]


async def run_to_end(job: Job, first: Any, request: Request, svc: ChatService) -> Any:
    """Wait for a job's final item, still watching for the client leaving (None then: the job is abandoned)."""
    item = first
    while item is not None and not final_kind(item):
        item = await job.next(request)
    if item is None:
        svc.abandon(job)
    return item


async def first_item(job: Job, request: Request, svc: ChatService) -> Any:
    """Queue a prepared job and wait for its first item (None: the client left meanwhile)."""
    svc.submit(job)
    try:
        first = await job.next(request)
    except BaseException:
        svc.abandon(job)
        raise
    if first is None:  # the client left while waiting: nobody reads this reply
        svc.abandon(job)
    return first
