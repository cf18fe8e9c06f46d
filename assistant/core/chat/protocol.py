"""The Backend protocol and the data that flows through it.

A backend is one generator method (as in simonw/llm): iterating :meth:`Backend.stream` *is*
streaming. Pieces of text come out as they are generated; the last item is a :class:`Chunk` with
``done=True`` carrying the finish reason and the counts. Cancel is cooperative: the caller sets a
``threading.Event`` and the backend stops before the next token.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable

from assistant.core.chat.prompting import Family, Message, Sampling
from assistant.core.structured.grammar import Grammar


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: str = ""
    family: str = "plain"
    architecture: str = ""
    n_ctx: int = 0  # the context window in use
    n_ctx_train: int = 0
    n_params: int = 0
    size_bytes: int = 0
    quantization: str = ""
    default_system: str | None = None
    n_layers: int = 0  # transformer blocks (llama.cpp)
    n_gpu_layers: int = 0  # of them on a GPU now (the output layer counts as one more)


@dataclass(frozen=True)
class AdapterUse:
    """A LoRA adapter applied to a reply: its name (what the user and the API call it), its GGUF file, its
    scale. A server backend (vLLM) selects it by name; llama.cpp loads the file onto the running model."""

    name: str
    path: str
    scale: float = 1.0
    rank: int = 0


@dataclass
class GenerationRequest:
    """Messages already shaped by the prompt layer, plus sampling. Backends render or send them."""

    messages: Sequence[Message]
    family: Family
    sampling: Sampling = field(default_factory=Sampling)
    stop: tuple[str, ...] = ()
    cancel: threading.Event = field(default_factory=threading.Event)
    default_system: str | None = None
    ignore_eos: bool = False  # benchmarks only: generate exactly max_tokens
    # The start of the reply, already written: the prompt ends with it and generation continues it (a
    # reply cut at max_tokens, reasoning closed at its budget, a forced "<think>\n"). Raw model text.
    prefill: str = ""
    adapters: tuple[AdapterUse, ...] = ()  # LoRA adapters for this reply (issue 17)
    # The answer's shape (issue 26): a grammar, from its ``after`` text on (a reasoning model thinks freely).
    grammar: Grammar | None = None
    logprobs: int | None = None  # None: no log-probabilities; N: each token's and the N likeliest (0-20)
    # A prompt written by the caller (/v1/completions): sent as is, the messages and template unused.
    raw_prompt: str | Sequence[int] | None = None
    prompt_logprobs: bool = False  # also the prompt tokens' log-probabilities (echo), in the stats


@dataclass(frozen=True)
class TokenLogprob:
    """A token's log-probability under the model (log-softmax of its logits, before sampling reshapes them)
    and the likeliest tokens at its place: (text, logprob, bytes) each."""

    token: str
    logprob: float
    raw: bytes = b""  # the token's bytes (a token may hold part of a UTF-8 character)
    top: tuple[tuple[str, float, bytes], ...] = ()


@dataclass
class GenerationStats:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    reused_prompt_tokens: int = 0
    prompt_seconds: float = 0.0  # time to first token
    generation_seconds: float = 0.0
    finish_reason: str = "stop"  # "stop" | "length" | "cancelled" | "context"
    token_ids: list[int] = field(default_factory=list, repr=False)
    # the prompt's tokens with their log-probabilities (the first has none): asked for with prompt_logprobs
    prompt_logprobs: list[TokenLogprob | None] | None = field(default=None, repr=False)

    @property
    def tokens_per_second(self) -> float:
        # Decode speed: tokens after the first over the time after the first.
        if self.completion_tokens <= 1 or self.generation_seconds <= 0:
            return 0.0
        return (self.completion_tokens - 1) / self.generation_seconds

    def to_dict(self) -> dict[str, float | int | str]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "reused_prompt_tokens": self.reused_prompt_tokens,
            "time_to_first_token_s": round(self.prompt_seconds, 4),
            "generation_s": round(self.generation_seconds, 4),
            "tokens_per_second": round(self.tokens_per_second, 2),
            "finish_reason": self.finish_reason,
        }


@dataclass
class Chunk:
    """A piece of streamed output. ``reasoning`` is set only by backends that separate it; ``notice`` is
    something the user should be told that is not part of the reply (the GPU failed, the CPU took over)."""

    text: str = ""
    notice: str = ""
    reasoning: str = ""
    done: bool = False
    stats: GenerationStats | None = None
    tokens: int = 0  # tokens this piece covers, where the backend knows (0: count it as one)
    seq: int = 0  # which sample, when several are decoded together
    logprobs: list[TokenLogprob] | None = None  # of the tokens this piece covers, when the request asked


@runtime_checkable
class Backend(Protocol):
    name: str  # shown in the status bar: "llama.cpp", "vLLM", "OpenAI-compatible"
    family: Family  # the model's prompt family (template, reasoning tags, stop strings), decided at load

    @property
    def info(self) -> ModelInfo: ...

    def count_tokens(self, messages: Sequence[Message], family: Family) -> int:
        """Prompt tokens these messages take once rendered with the generation prompt."""
        ...

    def stream(self, request: GenerationRequest) -> Iterator[Chunk]: ...

    def close(self) -> None: ...


class Stopwatch:
    def __init__(self) -> None:
        self.start = time.perf_counter()

    def elapsed(self) -> float:
        return time.perf_counter() - self.start


class StopMatcher:
    """Cuts a stream at the first stop string, holding back text that may be the start of one."""

    def __init__(self, stops: Sequence[str]) -> None:
        self._stops = [s for s in stops if s]
        self._held = ""
        self.hit = False

    def feed(self, text: str) -> str:
        if not self._stops:
            return text
        buf = self._held + text
        first = min(((buf.find(s), s) for s in self._stops if s in buf), default=None)
        if first is not None:
            self.hit = True
            self._held = ""
            return buf[: first[0]]
        keep = 0
        for s in self._stops:
            for n in range(min(len(s) - 1, len(buf)), keep, -1):
                if buf.endswith(s[:n]):
                    keep = n
                    break
        self._held = buf[len(buf) - keep:] if keep else ""
        return buf[: len(buf) - keep]

    def flush(self) -> str:
        held, self._held = self._held, ""
        return "" if self.hit else held
