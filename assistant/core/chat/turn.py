"""One turn of a conversation: messages -> prompt -> backend stream -> post-processing -> result.

Every front end runs turns through :class:`ChatTurn`, so the practices (prompt shaping, context
policy, reasoning split, trimming, ``\\boxed{}`` and voting) are the same in the CLI, GUI and API.
Iterating :meth:`ChatTurn.events` streams; afterwards :attr:`ChatTurn.result` holds the outcome.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.postprocess import ReasoningSplitter, Vote, final_boxed, majority_vote, vote_key
from assistant.core.chat.prompting import Family, Message, PromptOptions, shape_messages
from assistant.core.chat.protocol import Backend, GenerationRequest, GenerationStats
from assistant.core.errors import ContextOverflowError
from assistant.core.settings import Sampling, Settings

# Context to keep free for the reply when fitting a conversation (capped by max_tokens).
MIN_REPLY_RESERVE = 256


@dataclass
class TurnOptions:
    prompt: PromptOptions = field(default_factory=PromptOptions)
    sampling: Sampling = field(default_factory=Sampling)
    samples: int = 1
    context_policy: str = "drop_oldest"  # or "error"
    stop: tuple[str, ...] = ()  # stop strings, matched on the raw reply (the API's `stop`)
    ignore_eos: bool = False  # generate exactly max_tokens (an API extension, for benchmarks)

    @classmethod
    def from_settings(cls, settings: Settings, *, system: str | None = None, maths: bool | None = None,
                      samples: int | None = None, context_policy: str | None = None, stop: tuple[str, ...] = (),
                      ignore_eos: bool = False, **sampling: Any) -> TurnOptions:
        """The one mapping from the user's settings to a turn, for the GUI, the CLI and the API. What a
        request says for itself (its temperature, max_tokens, seed, n, maths...) replaces the setting;
        ``None`` keeps it."""
        mode = {"auto": None, "on": True, "off": False}[settings.maths_mode]
        chosen = {k: v for k, v in sampling.items() if v is not None}
        return cls(
            prompt=PromptOptions(maths=mode if maths is None else maths, preset=settings.preset or None,
                                 system=system),
            sampling=dataclasses.replace(settings.sampling, **chosen),
            samples=settings.samples if samples is None else samples,
            context_policy=context_policy or settings.context_policy,
            stop=stop, ignore_eos=ignore_eos,
        )


def usable_reply(answer: str, failed: bool = False) -> bool:
    """Whether a reply goes back to the model as history in later turns: not a failed one, not an empty
    one (a reply cut off inside its reasoning has no answer to show the model). The same rule everywhere."""
    return not failed and bool(answer.strip())


@dataclass
class ContextReport:
    prompt_tokens: int
    n_ctx: int
    reserve: int
    dropped_messages: int = 0

    @property
    def fraction_used(self) -> float:
        return self.prompt_tokens / self.n_ctx if self.n_ctx else 0.0

    def notice(self) -> str | None:
        if not self.dropped_messages:
            return None
        return (
            f"The conversation is longer than the model's context ({self.n_ctx} tokens): the "
            f"{self.dropped_messages} oldest messages were left out of this reply's prompt."
        )


@dataclass
class TurnEvent:
    kind: str  # "reasoning" | "answer" | "sample_start" | "sample_end" | "notice"
    text: str = ""
    sample: int = 0


@dataclass
class SampleResult:
    reasoning: str = ""
    answer: str = ""
    closed: bool = False
    stats: GenerationStats = field(default_factory=GenerationStats)
    seconds_thinking: float = 0.0

    @property
    def boxed(self) -> str | None:
        return final_boxed(self.answer) or (final_boxed(self.reasoning) if not self.closed else None)

    @property
    def stopped(self) -> bool:
        return self.stats.finish_reason == "cancelled"


@dataclass
class TurnResult:
    samples: list[SampleResult]
    chosen: int
    vote: Vote | None
    context: ContextReport
    maths: bool
    notices: list[str] = field(default_factory=list)

    @property
    def best(self) -> SampleResult:
        return self.samples[self.chosen]

    @property
    def reasoning(self) -> str:
        return self.best.reasoning

    @property
    def answer(self) -> str:
        return self.best.answer

    @property
    def boxed(self) -> str | None:
        return self.best.boxed

    @property
    def stopped(self) -> bool:
        return any(s.stopped for s in self.samples)

    @property
    def usage(self) -> dict[str, int]:
        """Tokens the turn used, as OpenAI's usage counts them: the prompt once, every sample's completion."""
        prompt = self.samples[0].stats.prompt_tokens if self.samples else 0
        completion = sum(s.stats.completion_tokens for s in self.samples)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion}

    def to_dict(self) -> dict[str, object]:
        best = self.best
        return {
            "reasoning": best.reasoning,
            "answer": best.answer,
            "boxed": best.boxed,
            "finish_reason": best.stats.finish_reason,
            "usage": self.usage,
            "timings": best.stats.to_dict(),
            "context": {"prompt_tokens": self.context.prompt_tokens, "n_ctx": self.context.n_ctx,
                        "dropped_messages": self.context.dropped_messages},
            "maths": self.maths,
            "samples": [
                {"answer": s.answer, "boxed": s.boxed, "finish_reason": s.stats.finish_reason,
                 "completion_tokens": s.stats.completion_tokens}
                for s in self.samples
            ] if len(self.samples) > 1 else None,
            "vote": {"winner": self.vote.winner, "votes": self.vote.votes, "total": self.vote.total,
                     "counts": self.vote.counts, "summary": self.vote.summary()} if self.vote else None,
            "notices": self.notices,
        }


def _reserve(sampling: Sampling, n_ctx: int) -> int:
    return max(1, min(sampling.max_tokens, max(MIN_REPLY_RESERVE, n_ctx // 4)))


def fit_context(
    backend: Backend,
    family: Family,
    history: Sequence[Message],
    user_text: str,
    options: TurnOptions,
) -> tuple[list[Message], ContextReport, bool]:
    """Shape the conversation and make it fit the context window, by the configured policy.

    ``drop_oldest`` leaves out the oldest messages (never the new question) and reports how many;
    ``error`` refuses. Either way nothing is cut silently.
    """
    n_ctx = backend.info.n_ctx
    reserve = _reserve(options.sampling, n_ctx)
    hist = [m for m in history if m.role != "system"]
    system = [m for m in history if m.role == "system"]
    dropped = 0
    while True:
        shaped = shape_messages(family, [*system, *hist, Message("user", user_text)], options.prompt)
        needed = backend.count_tokens(shaped.messages, family)
        if needed + reserve <= n_ctx or (needed < n_ctx and not hist):
            return shaped.messages, ContextReport(needed, n_ctx, reserve, dropped), shaped.maths
        if not hist:
            raise ContextOverflowError(needed + reserve, n_ctx)
        if options.context_policy == "error":
            raise ContextOverflowError(
                needed + reserve, n_ctx,
                hint="Start a new conversation, raise the context size, or let the app leave out the oldest "
                "messages (context policy in settings).",
            )
        # Drop the oldest exchange: a user message and the replies up to the next user message.
        cut = 1
        while cut < len(hist) and hist[cut].role != "user":
            cut += 1
        dropped += cut
        hist = hist[cut:]


Checkpoint = Callable[["ChatTurn"], None]


class ChatTurn:
    """Runs one user turn (one or several samples) against a backend."""

    def __init__(
        self,
        backend: Backend,
        history: Sequence[Message],
        user_text: str,
        options: TurnOptions | None = None,
        *,
        family: Family | None = None,
        cancel: threading.Event | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_interval: float = 1.0,
    ) -> None:
        self.backend = backend
        self.history = list(history)
        self.user_text = user_text
        self.options = options or TurnOptions()
        self.family = family or backend.family
        self.cancel = cancel or threading.Event()
        self._checkpoint = checkpoint
        self._interval = checkpoint_interval
        self.samples: list[SampleResult] = []
        self.result: TurnResult | None = None
        self.context: ContextReport | None = None
        self.maths = False
        self.started = time.time()

    @property
    def current(self) -> SampleResult | None:
        return self.samples[-1] if self.samples else None

    def events(self) -> Iterator[TurnEvent]:
        messages, report, maths = fit_context(self.backend, self.family, self.history, self.user_text, self.options)
        self.context, self.maths = report, maths
        notices = [n for n in (report.notice(),) if n]
        for n in notices:
            yield TurnEvent("notice", n)
        last_save = time.monotonic()
        n_samples = max(1, self.options.samples)
        base_seed = self.options.sampling.seed
        for i in range(n_samples):
            if self.cancel.is_set() and self.samples:
                break
            sampling = self.options.sampling
            if base_seed is not None and i:
                sampling = Sampling(**{**sampling.__dict__, "seed": base_seed + i})
            sample = SampleResult()
            self.samples.append(sample)
            yield TurnEvent("sample_start", sample=i)
            request = GenerationRequest(
                messages=messages, family=self.family, sampling=sampling,
                cancel=self.cancel, default_system=self.backend.info.default_system,
                stop=tuple(self.options.stop), ignore_eos=self.options.ignore_eos,
            )
            splitter: ReasoningSplitter | None = None
            t0 = time.monotonic()
            for chunk in self.backend.stream(request):
                if chunk.done:
                    if chunk.stats is not None:
                        sample.stats = chunk.stats
                    break
                if chunk.notice:
                    notices.append(chunk.notice)
                    yield TurnEvent("notice", chunk.notice)
                    continue
                if splitter is None:
                    # A backend that hands reasoning over separately sends answer-only text.
                    starts = self.family.starts_in_reasoning and not chunk.reasoning
                    splitter = ReasoningSplitter(starts_in_reasoning=starts)
                deltas = []
                if chunk.reasoning:
                    deltas.append(splitter.feed_reasoning(chunk.reasoning))
                if chunk.text:
                    deltas.append(splitter.feed(chunk.text))
                for d in deltas:
                    if d.reasoning:
                        yield TurnEvent("reasoning", d.reasoning, i)
                    if d.answer:
                        if not sample.seconds_thinking and splitter.reasoning:
                            sample.seconds_thinking = time.monotonic() - t0
                        yield TurnEvent("answer", d.answer, i)
                sample.reasoning, sample.answer = splitter.reasoning, splitter.answer
                if self._checkpoint is not None and time.monotonic() - last_save >= self._interval:
                    self._checkpoint(self)
                    last_save = time.monotonic()
            if splitter is not None:
                d = splitter.finish()
                if d.reasoning:
                    yield TurnEvent("reasoning", d.reasoning, i)
                if d.answer:
                    yield TurnEvent("answer", d.answer, i)
                sample.reasoning, sample.answer, sample.closed = splitter.reasoning, splitter.answer, splitter.closed
            if sample.reasoning and not sample.seconds_thinking:
                sample.seconds_thinking = time.monotonic() - t0
            if self.cancel.is_set():
                sample.stats.finish_reason = "cancelled"
            yield TurnEvent("sample_end", sample=i)
            if self.cancel.is_set():
                break

        vote = None
        chosen = 0
        if len(self.samples) > 1:
            vote = majority_vote([vote_key(s.answer) if s.answer else None for s in self.samples])
            chosen = vote.winner_index if vote.winner_index is not None else 0
            notices.append(f"Self-consistency: {vote.summary()}.")
        if report.dropped_messages == 0 and any(s.stats.finish_reason == "context" for s in self.samples):
            notices.append("The reply stopped because the context window is full. Start a new conversation "
                           "or raise the context size.")
        self.result = TurnResult(self.samples, chosen, vote, report, maths, notices)
        if self._checkpoint is not None:
            self._checkpoint(self)

    def run(self, on_event: Callable[[TurnEvent], None] | None = None) -> TurnResult:
        for ev in self.events():
            if on_event is not None:
                on_event(ev)
        assert self.result is not None
        return self.result
