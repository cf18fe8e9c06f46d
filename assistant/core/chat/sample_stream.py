"""One sample's reply as it streams: reasoning split, thinking control, the raw text, the counts.

Shared by the one-after-another path (:meth:`ChatTurn._sample`, one backend stream per request) and the
parallel path (:mod:`assistant.core.chat.parallel`, several sequences decoded in one batch): each feeds
the pieces it gets to :meth:`SampleStream.feed`, which returns the events to send and, when the
reasoning must end now, why ("budget", "loop", "answer_loop").
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.core.chat.postprocess import ReasoningSplitter, final_boxed
from assistant.core.chat.prompting import Family
from assistant.core.chat.protocol import Chunk, GenerationStats
from assistant.core.chat.reasoning import MAX_RESAMPLES, OPEN_WITH, ThinkingControl, wrap_up
from assistant.core.settings import Sampling

LOOP_RESAMPLED = "The reasoning went round in a loop; it was resampled from where the loop began."
ANSWER_LOOP = "The answer kept repeating itself, so it was stopped."
RESAMPLE_TEMPERATURE = 0.6  # a loop found under greedy decoding is resampled at least this warm


def resample_sampling(sampling: Sampling, resamples: int) -> Sampling:
    """How a loop is resampled: another seed (a request without one gets a random one), at least warm."""
    seed = None if sampling.seed is None else sampling.seed + 7919 * resamples
    return dataclasses.replace(sampling, seed=seed, temperature=max(sampling.temperature, RESAMPLE_TEMPERATURE))


@dataclass
class TurnEvent:
    kind: str  # "reasoning" | "answer" | "sample_start" | "sample_end" | "notice" | "thinking_end" | "rewind"
    text: str = ""
    sample: int = 0
    logprobs: list[Any] | None = None  # an answer piece's tokens' TokenLogprobs, when the turn asked for them


@dataclass
class SampleResult:
    reasoning: str = ""
    answer: str = ""
    closed: bool = False
    stats: GenerationStats = field(default_factory=GenerationStats)
    seconds_thinking: float = 0.0
    control: ThinkingControl | None = None  # the reasoning's budget, tokens used and how it ended
    raw: str = ""  # the reply as the model wrote it (reasoning, tags and answer): what Continue continues
    logprobs: list[Any] = field(default_factory=list)  # the answer's tokens' TokenLogprobs, when asked for

    @property
    def thinking(self) -> dict[str, object] | None:
        if self.control is None:
            return None
        return {**self.control.to_dict(), "seconds": round(self.seconds_thinking, 2)}

    @property
    def boxed(self) -> str | None:
        return final_boxed(self.answer) or (final_boxed(self.reasoning) if not self.closed else None)

    @property
    def stopped(self) -> bool:
        return self.stats.finish_reason == "cancelled"


def splitter_after(family: Family, raw: str) -> ReasoningSplitter:
    """A splitter that has already seen ``raw`` (the reply so far), silently."""
    splitter = ReasoningSplitter(starts_in_reasoning=family.starts_in_reasoning)
    if raw:
        splitter.feed(raw)
    return splitter


@dataclass
class SampleStream:
    index: int
    sample: SampleResult
    family: Family
    ctl: ThinkingControl
    raw: str = ""
    splitter: ReasoningSplitter | None = None
    counted: int = 0  # tokens in the pieces of the current request
    t0: float = field(default_factory=time.monotonic)
    t_first: float | None = None

    def __post_init__(self) -> None:
        self.sample.control = self.ctl
        if self.raw:
            self.splitter = splitter_after(self.family, self.raw)

    def feed(self, chunk: Chunk) -> tuple[list[TurnEvent], str | None]:
        """One piece of the reply: the events it makes and, if the reasoning must end now, why."""
        i, sample, ctl = self.index, self.sample, self.ctl
        if self.splitter is None:
            # A backend that hands reasoning over separately sends answer-only text.
            self.splitter = ReasoningSplitter(
                starts_in_reasoning=self.family.starts_in_reasoning and not chunk.reasoning)
            if chunk.reasoning and not self.family.starts_in_reasoning:
                self.raw = OPEN_WITH  # the server took the tag away; a continuation needs it back
        splitter = self.splitter
        if self.t_first is None:
            self.t_first = time.monotonic()
        thinking = bool(chunk.reasoning) or (splitter.in_reasoning and not splitter.closed)
        n = chunk.tokens or 1
        self.counted += n
        self.raw += chunk.reasoning + chunk.text
        events: list[TurnEvent] = []
        deltas = []
        if chunk.reasoning:
            deltas.append(splitter.feed_reasoning(chunk.reasoning))
        if chunk.text:
            deltas.append(splitter.feed(chunk.text))
        new_reasoning = new_answer = ""
        for d in deltas:
            new_answer += d.answer
            if d.reasoning:
                new_reasoning += d.reasoning
                events.append(TurnEvent("reasoning", d.reasoning, i))
            if d.answer:
                if not sample.seconds_thinking and splitter.reasoning:
                    sample.seconds_thinking = time.monotonic() - self.t0
                if ctl.closed_at is not None and ctl.answer_latency is None:
                    ctl.answer_latency = time.monotonic() - ctl.closed_at
                lps = chunk.logprobs if chunk.logprobs and not any(e.logprobs for e in events) else None
                if lps:
                    sample.logprobs.extend(lps)
                events.append(TurnEvent("answer", d.answer, i, lps))
        action = None
        if thinking:
            ctl.count(n)
            if splitter.closed and not ctl.end:
                ctl.end = "model"
            elif not splitter.closed:
                action = ctl.check(new_reasoning, splitter.reasoning)
        if new_answer and ctl.check_answer(new_answer):
            action = "answer_loop"
        sample.reasoning, sample.answer = splitter.reasoning, splitter.answer
        return events, action

    def ended_inside_reasoning(self) -> bool:
        """The model ended its reply (end of text) inside the reasoning: it still owes an answer."""
        s = self.splitter
        return s is not None and s.thinking and bool(s.reasoning.strip()) and not self.ctl.end

    def close_reasoning(self, action: str, question: str,
                        cut_to: Callable[[int], int] | None = None) -> tuple[list[TurnEvent], str]:
        """End the reasoning now: for a loop, first go back to where it began; then either resample from
        there (a loop, when the plan says so) or close it with a wrap-up, as the model would. Returns the
        events and the text added to the reply (what the model must be fed). ``cut_to``: where the engine
        can take the reply back to, for an offset in the raw text (a token boundary at or before it; it
        takes the engine there); without it the next request sends the text, so any offset will do."""
        assert self.splitter is not None
        i, ctl = self.index, self.ctl
        events: list[TurnEvent] = []
        if action == "loop":
            loop = ctl.loops[-1]
            tail = self.splitter.reasoning[loop.start:]
            cut = self.raw.rfind(tail) if tail else len(self.raw)
            if cut > 0:
                if cut_to is not None:
                    cut = cut_to(cut)
                self.raw = self.raw[:cut]
                self.splitter = splitter_after(self.family, self.raw)
                events.append(TurnEvent("rewind", self.splitter.reasoning, i))
            if ctl.plan.loop_action == "resample" and ctl.resamples < MAX_RESAMPLES:
                ctl.resamples += 1
                ctl.restart_detector(self.splitter.reasoning)
                events.append(TurnEvent("notice", LOOP_RESAMPLED, i))
                self._sync()
                return events, ""
        wrap = wrap_up(question)
        d = self.splitter.feed(wrap)
        if d.reasoning:
            events.append(TurnEvent("reasoning", d.reasoning, i))
        self.raw += wrap
        ctl.end = action
        ctl.closed_at = time.monotonic()
        events.append(TurnEvent("thinking_end", action, i))
        self._sync()
        return events, wrap

    def _sync(self) -> None:
        if self.splitter is not None:
            self.sample.reasoning, self.sample.answer = self.splitter.reasoning, self.splitter.answer

    def finish(self, cancelled: bool) -> list[TurnEvent]:
        """The reply is over: flush what the splitter held back, settle the thinking facts."""
        sample, ctl, events = self.sample, self.ctl, []
        if self.splitter is not None:
            d = self.splitter.finish()
            if d.reasoning:
                events.append(TurnEvent("reasoning", d.reasoning, self.index))
            if d.answer:
                events.append(TurnEvent("answer", d.answer, self.index))
            sample.reasoning, sample.answer = self.splitter.reasoning, self.splitter.answer
            sample.closed = self.splitter.closed
        if sample.reasoning and not sample.seconds_thinking:
            sample.seconds_thinking = time.monotonic() - self.t0
        if not ctl.end:
            ctl.end = ("stopped" if cancelled else "length") if sample.reasoning and not sample.closed \
                else ("model" if sample.reasoning else "none")
        elif ctl.end == "model" and not sample.reasoning.strip():
            ctl.end = "none"  # an empty think block (Qwen3 told /no_think): closed, but nothing was thought
        sample.raw = self.raw
        return events
