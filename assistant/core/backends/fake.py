"""A scripted backend for fast UI and unit tests, and for demos.

It replays text it was given; it loads no model and generates nothing. A test that passes with it shows
that the code around a backend (the prompt layer, the reasoning splitter, the window, the server) handles
that exact stream; it is never proof that a feature works. The real-model tests exist for that.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Iterator, Sequence

from assistant.core.chat.prompting import Family, Message, get_family
from assistant.core.chat.protocol import Chunk, GenerationRequest, GenerationStats, ModelInfo


def as_pieces(text: str | Sequence[str], piece_chars: int = 3) -> list[str]:
    """Pieces as given, or a string cut into pieces of ``piece_chars`` characters (about a token each)."""
    if isinstance(text, str):
        return [text[i:i + piece_chars] for i in range(0, len(text), piece_chars)]
    return list(text)


class FakeBackend:
    """The Backend protocol over scripted output.

    Each call to :meth:`stream` sends the ``reasoning`` pieces as ``Chunk(reasoning=...)`` (as a backend
    that separates reasoning does), then the reply's pieces as ``Chunk(text=...)``, then a done chunk with
    ``finish`` as the finish reason. The reply is the next of ``replies`` when they are given (one per
    call, in order; a call after the last one fails), else ``pieces`` on every call. A string is cut into
    pieces of ``piece_chars`` characters. Every piece, reasoning or text, counts as one token.

    ``delay`` waits that long before each piece; ``request.cancel`` is honoured between pieces (and during
    the delay), finishing "cancelled"; ``request.sampling.max_tokens`` ends the reply with "length".
    ``fail`` is raised when streaming starts, after the request is recorded (set it to None to recover).
    ``prompt_tokens`` fixes the reported prompt size; by default it is :meth:`count_tokens`.

    For tests it records the requests (``requests``), the threads that called it (``threads``), whether
    a stream began (``started``) and whether it was closed (``closed``).
    """

    name = "fake"

    def __init__(
        self,
        pieces: str | Sequence[str] = ("Hello", " there", "."),
        *,
        replies: Sequence[str | Sequence[str]] = (),
        reasoning: str | Sequence[str] = (),
        delay: float = 0.0,
        finish: str = "stop",
        fail: BaseException | None = None,
        family: str = "chatml",
        n_ctx: int = 4096,
        model_name: str = "Fake model",
        path: str = "",
        prompt_tokens: int | None = None,
        piece_chars: int = 3,
    ) -> None:
        self.pieces = as_pieces(pieces, piece_chars)
        self.replies: deque[list[str]] = deque(as_pieces(r, piece_chars) for r in replies)
        self.scripted = bool(replies)
        self.reasoning = as_pieces(reasoning, piece_chars)
        self.delay = delay
        self.finish = finish
        self.fail = fail
        self.prompt_tokens = prompt_tokens
        self.family: Family = get_family(family)
        self._info = ModelInfo(name=model_name, path=path, family=family, n_ctx=n_ctx)
        self.requests: list[GenerationRequest] = []
        self.threads: set[str] = set()
        self.started = threading.Event()
        self.closed = False

    @property
    def info(self) -> ModelInfo:
        return self._info

    def count_tokens(self, messages: Sequence[Message], family: Family | None = None) -> int:
        """About four characters a token, plus four a message for the template."""
        self.threads.add(threading.current_thread().name)
        return sum(len(m.content) // 4 + 4 for m in messages)

    def stream(self, request: GenerationRequest) -> Iterator[Chunk]:
        self.threads.add(threading.current_thread().name)
        self.requests.append(request)
        if self.fail is not None:
            raise self.fail
        if self.scripted:
            if not self.replies:
                raise RuntimeError(f"FakeBackend: all scripted replies were used (call {len(self.requests)})")
            reply = self.replies.popleft()
        else:
            reply = self.pieces
        chunks = [Chunk(reasoning=r) for r in self.reasoning] + [Chunk(text=p) for p in reply]
        prompt_tokens = self.prompt_tokens
        if prompt_tokens is None:
            prompt_tokens = self.count_tokens(request.messages, request.family)
        stats = GenerationStats(prompt_tokens=prompt_tokens)
        self.started.set()
        t0 = time.perf_counter()
        n = 0
        finish = self.finish
        for chunk in chunks:
            if n >= request.sampling.max_tokens:
                finish = "length"
                break
            if self.delay:
                request.cancel.wait(self.delay)
            if request.cancel.is_set():
                finish = "cancelled"
                break
            n += 1
            yield chunk
        stats.completion_tokens = n
        stats.generation_seconds = time.perf_counter() - t0
        stats.finish_reason = finish
        yield Chunk(done=True, stats=stats)

    def close(self) -> None:
        self.closed = True
