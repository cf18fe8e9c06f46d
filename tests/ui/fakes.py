"""A scripted backend for fast UI tests. Each feature is also proven with the real model elsewhere."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence

from assistant.core.chat.prompting import Family, Message
from assistant.core.chat.protocol import Chunk, GenerationRequest, GenerationStats, ModelInfo


class FakeBackend:
    name = "fake"

    def __init__(self, pieces: Sequence[str] = ("Hello", " there", "."), *, delay: float = 0.0,
                 family: str = "chatml", n_ctx: int = 4096, name: str = "Fake model") -> None:
        self.pieces = list(pieces)
        self.delay = delay
        self._info = ModelInfo(name=name, family=family, n_ctx=n_ctx)
        self.closed = False
        self.requests: list[GenerationRequest] = []
        self.threads: set[str] = set()
        self.started = threading.Event()

    @property
    def info(self) -> ModelInfo:
        return self._info

    def count_tokens(self, messages: Sequence[Message], family: Family) -> int:
        self.threads.add(threading.current_thread().name)
        return sum(len(m.content) // 4 + 4 for m in messages)

    def stream(self, request: GenerationRequest) -> Iterator[Chunk]:
        self.threads.add(threading.current_thread().name)
        self.requests.append(request)
        stats = GenerationStats(prompt_tokens=self.count_tokens(request.messages, request.family))
        t0 = time.perf_counter()
        n = 0
        finish = "stop"
        self.started.set()
        for piece in self.pieces:
            if request.cancel.is_set():
                finish = "cancelled"
                break
            if n >= request.sampling.max_tokens:
                finish = "length"
                break
            if self.delay:
                time.sleep(self.delay)
            n += 1
            yield Chunk(text=piece)
        stats.completion_tokens = n
        stats.generation_seconds = time.perf_counter() - t0
        stats.finish_reason = finish
        yield Chunk(done=True, stats=stats)

    def close(self) -> None:
        self.closed = True
