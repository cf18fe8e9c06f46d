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

from assistant.core.chat.parallel import run_parallel
from assistant.core.chat.postprocess import Vote, majority_vote, vote_key
from assistant.core.chat.prompting import Family, Message, PromptOptions, shape_messages
from assistant.core.chat.protocol import AdapterUse, Backend, GenerationRequest, GenerationStats
from assistant.core.chat.reasoning import (
    CLOSE_TAG,
    DEFAULT_ANSWER_RESERVE,
    OPEN_WITH,
    ThinkingControl,
    plan_thinking,
)
from assistant.core.chat.sample_stream import (
    ANSWER_LOOP,
    SampleResult,
    SampleStream,
    TurnEvent,
    resample_sampling,
    splitter_after,
)
from assistant.core.errors import ContextOverflowError, ModelError
from assistant.core.maths.compare import warm_up_in_background
from assistant.core.settings import Sampling, Settings
from assistant.core.structured.grammar import Grammar

# Context to keep free for the reply when fitting a conversation (capped by max_tokens).
MIN_REPLY_RESERVE = 256
# A reply's length when the settings leave it to the model: a reasoning model thinks for thousands of
# tokens; a small chat model asked for 4,096 rambles for minutes (the bundled demo model does).
AUTO_MAX_TOKENS = {"reasoning": 4096, "chat": 1024}


def auto_max_tokens(family: Family, options: TurnOptions) -> int:
    reasoning = family.reasoning_model or options.force_thinking
    return AUTO_MAX_TOKENS["reasoning" if reasoning else "chat"]


def estimate_prefill(text: str) -> int:
    """Tokens a reply's start takes, a generous guess (≈3 characters a token; CJK one each)."""
    return sum(1 for ch in text if ord(ch) > 0x2E80) + sum(1 for ch in text if ord(ch) <= 0x2E80) // 3


@dataclass
class TurnOptions:
    prompt: PromptOptions = field(default_factory=PromptOptions)
    sampling: Sampling = field(default_factory=Sampling)
    samples: int = 1
    context_policy: str = "drop_oldest"  # or "error"
    stop: tuple[str, ...] = ()  # stop strings, matched on the raw reply (the API's `stop`)
    ignore_eos: bool = False  # generate exactly max_tokens (an API extension, for benchmarks)
    # Reasoning control (assistant.core.chat.reasoning): -1 auto, 0 no limit, N tokens.
    thinking_budget: int = -1
    answer_reserve: int = DEFAULT_ANSWER_RESERVE
    loop_action: str = "answer"  # "answer" | "resample" | "off"
    reasoning_control: bool = True  # False: the whole controller off (no budget, no loop detection; benchmarks)
    force_thinking: bool = False  # start every reply inside <think> (models that skip their reasoning)
    parallel: bool = True  # samples decoded together in one batch, where the backend can
    early_vote: bool = True  # stop the other samples once the vote cannot change
    adapters: tuple[AdapterUse, ...] = ()  # LoRA adapters applied to every request of the turn (issue 17)
    # The thinking switch (issue 27), for models whose template has one (Qwen3): False answers without
    # reasoning, True reasons, None leaves it to the model (and to /think, /no_think in the messages).
    thinking: bool | None = None
    # Sampling fields nobody chose (the settings left at their defaults, the request silent): they take the
    # model's recommendation for the reply's thinking state (Qwen3 without thinking: 0.7 / 0.8 / top_k 20).
    model_sampling: frozenset[str] = frozenset()
    # The answer's shape (issue 26): a grammar applied to the answer only, after the reasoning.
    grammar: Grammar | None = None
    logprobs: int | None = None  # each answer token's log-probability and this many alternatives (API)

    @classmethod
    def from_settings(cls, settings: Settings, *, system: str | None = None, maths: bool | None = None,
                      samples: int | None = None, context_policy: str | None = None, stop: tuple[str, ...] = (),
                      ignore_eos: bool = False, thinking_budget: int | None = None,
                      force_thinking: bool | None = None, early_vote: bool | None = None,
                      thinking: bool | None = None, **sampling: Any) -> TurnOptions:
        """The one mapping from the user's settings to a turn, for the GUI, the CLI and the API. What a
        request says for itself (its temperature, max_tokens, seed, n, maths...) replaces the setting;
        ``None`` keeps it."""
        mode = {"auto": None, "on": True, "off": False}[settings.maths_mode]
        chosen = {k: v for k, v in sampling.items() if v is not None}
        untouched = Sampling()
        by_model = frozenset(f for f in ("temperature", "top_p", "top_k", "min_p")
                             if f not in chosen and getattr(settings.sampling, f) == getattr(untouched, f))
        return cls(
            prompt=PromptOptions(maths=mode if maths is None else maths, preset=settings.preset or None,
                                 system=system),
            sampling=dataclasses.replace(settings.sampling, **chosen),
            samples=settings.samples if samples is None else samples,
            context_policy=context_policy or settings.context_policy,
            stop=stop, ignore_eos=ignore_eos,
            thinking_budget=settings.thinking_budget if thinking_budget is None else thinking_budget,
            answer_reserve=settings.answer_reserve, loop_action=settings.loop_action,
            force_thinking=settings.force_thinking if force_thinking is None else force_thinking,
            parallel=settings.parallel_samples, early_vote=settings.early_vote if early_vote is None else early_vote,
            thinking=thinking, model_sampling=by_model,
        )


def thinking_notice(family: Family, thinking: bool | None) -> str | None:
    """What the user is told when they set the thinking switch on a model that has none."""
    if thinking is None or family.thinking_switch:
        return None
    if thinking is False and family.reasoning_model:
        return "This model has no thinking switch: it always reasons before it answers."
    if thinking is True and not family.reasoning_model:
        return ("This model has no thinking switch and does not reason by itself; "
                "'force thinking' in the settings makes it start its replies inside <think>.")
    return None


def next_prefix(history: Sequence[Message], options: TurnOptions, family: Family) -> list[Message]:
    """The conversation as the next turn will send it, up to its new message: what a backend's cache can
    be brought to while the user types (``backend.prewarm``)."""
    return shape_messages(family, [m for m in history], options.prompt).messages


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
class TurnResult:
    samples: list[SampleResult]
    chosen: int
    vote: Vote | None
    context: ContextReport
    maths: bool
    notices: list[str] = field(default_factory=list)
    # Where the model has a thinking switch: whether this turn reasoned (resolved from the option and the
    # messages' /think, /no_think); None for models without one.
    thinking_switch: bool | None = None

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
    def usage(self) -> dict[str, Any]:
        """Tokens the turn used, as OpenAI's usage counts them: the prompt once, every sample's completion
        (reasoning included), and the reasoning's share apart, as ``completion_tokens_details`` does."""
        prompt = self.samples[0].stats.prompt_tokens if self.samples else 0
        completion = sum(s.stats.completion_tokens for s in self.samples)
        reasoning = sum(s.control.tokens for s in self.samples if s.control is not None)
        return {"prompt_tokens": prompt, "completion_tokens": completion, "total_tokens": prompt + completion,
                "completion_tokens_details": {"reasoning_tokens": reasoning}}

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
            "thinking": best.thinking,
            "thinking_switch": self.thinking_switch,
            "samples": [
                {"answer": s.answer, "boxed": s.boxed, "finish_reason": s.stats.finish_reason,
                 "completion_tokens": s.stats.completion_tokens}
                for s in self.samples
            ] if len(self.samples) > 1 else None,
            "vote": {"winner": self.vote.winner, "votes": self.vote.votes, "total": self.vote.total,
                     "counts": self.vote.counts, "decided_early": self.vote.decided_early} if self.vote else None,
            "notices": self.notices,
        }


def _reserve(sampling: Sampling, n_ctx: int, family: Family, options: TurnOptions) -> int:
    max_tokens = sampling.max_tokens if sampling.max_tokens > 0 else auto_max_tokens(family, options)
    return max(1, min(max_tokens, max(MIN_REPLY_RESERVE, n_ctx // 4)))


def fit_context(
    backend: Backend,
    family: Family,
    history: Sequence[Message],
    user_text: str | None,
    options: TurnOptions,
    extra_tokens: int = 0,
) -> tuple[list[Message], ContextReport, bool]:
    """Shape the conversation and make it fit the context window, by the configured policy. ``user_text``
    None: the history already ends where the reply begins (a tool's result, for the API).

    ``drop_oldest`` leaves out the oldest messages (never the new question) and reports how many;
    ``error`` refuses. Either way nothing is cut silently.
    """
    n_ctx = backend.info.n_ctx
    reserve = _reserve(options.sampling, n_ctx, family, options)
    hist = [m for m in history if m.role != "system"]
    system = [m for m in history if m.role == "system"]
    dropped = 0
    while True:
        new = [Message("user", user_text)] if user_text is not None else []
        shaped = shape_messages(family, [*system, *hist, *new], options.prompt)
        needed = backend.count_tokens(shaped.messages, family) + extra_tokens
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
        user_text: str | None,
        options: TurnOptions | None = None,
        *,
        family: Family | None = None,
        cancel: threading.Event | None = None,
        checkpoint: Checkpoint | None = None,
        checkpoint_interval: float = 1.0,
        continue_reply: str = "",
    ) -> None:
        """``continue_reply``: the raw text of a reply to ``user_text`` that was cut off; the turn writes on
        from its end (Continue), and the result holds the whole reply. ``user_text`` None: the history ends
        where the reply begins (the API's conversation that ends with a tool's result)."""
        self.backend = backend
        self.history = list(history)
        # None sends no new message; the question (for the wrap-up's language) is then the last user message.
        self._new_message = user_text is not None
        self.user_text = user_text if user_text is not None else next(
            (m.content for m in reversed(self.history) if m.role == "user"), "")
        self.options = options or TurnOptions()
        base = family or backend.family
        # The thinking switch resolved for this reply (option, /think and /no_think, the model's default).
        self.family = base.with_thinking(self.options.thinking, [*self.history, *self._new()])
        self.switch_notice = thinking_notice(base, self.options.thinking)
        self.cancel = cancel or threading.Event()
        self._checkpoint = checkpoint
        self._interval = checkpoint_interval
        self.samples: list[SampleResult] = []
        self.result: TurnResult | None = None
        self.context: ContextReport | None = None
        self.maths = False
        self.started = time.time()
        self._last_save = time.monotonic()
        forced = OPEN_WITH if (self.options.force_thinking and not self.family.starts_in_reasoning
                               and self.family.thinking is not False) else ""
        self.prefill = continue_reply or forced

    def _new(self) -> list[Message]:
        return [Message("user", self.user_text)] if self._new_message else []

    @property
    def current(self) -> SampleResult | None:
        return self.samples[-1] if self.samples else None

    def events(self) -> Iterator[TurnEvent]:
        messages, report, maths = fit_context(self.backend, self.family, self.history,
                                              self.user_text if self._new_message else None, self.options,
                                              extra_tokens=estimate_prefill(self.prefill))
        self.context, self.maths = report, maths
        notices = [n for n in (report.notice(), self.switch_notice) if n]
        for n in notices:
            yield TurnEvent("notice", n)
        self._last_save = time.monotonic()
        n_samples = max(1, self.options.samples)
        if n_samples > 1:
            warm_up_in_background()  # the vote compares answers as mathematics: SymPy loads while they decode
        # A grammar or logprobs need the one-after-another path (the batch of samples has neither).
        together = self.options.grammar is None and self.options.logprobs is None
        if n_samples > 1 and self.options.parallel and together and hasattr(self.backend, "parallel"):
            try:
                yield from run_parallel(self, self._requests(messages, n_samples), notices, self._maybe_save)
                n_samples = 0  # all done together
            except ModelError as exc:  # their cache does not fit in memory: one after another instead
                if self.samples:
                    raise
                note = f"{exc.message} The samples run one after another instead."
                notices.append(note)
                yield TurnEvent("notice", note)
        for i in range(n_samples):
            if self.cancel.is_set() and self.samples:
                break
            sampling = self._sampling(i)
            sample = SampleResult()
            self.samples.append(sample)
            yield TurnEvent("sample_start", sample=i)
            yield from self._sample(i, sample, messages, sampling, maths, notices)
            if self.cancel.is_set():
                sample.stats.finish_reason = "cancelled"
            yield TurnEvent("sample_end", sample=i)
            if self.cancel.is_set():
                break

        vote = None
        chosen = 0
        if len(self.samples) > 1:
            vote = majority_vote([vote_key(s.answer) if s.answer else None for s in self.samples])
            vote.decided_early = any(s.stats.finish_reason == "decided" for s in self.samples)
            chosen = vote.winner_index if vote.winner_index is not None else 0
        if report.dropped_messages == 0 and any(s.stats.finish_reason == "context" for s in self.samples):
            notices.append("The reply stopped because the context window is full. Start a new conversation "
                           "or raise the context size.")
        switch = self.family.thinking if self.family.thinking_switch else None
        self.result = TurnResult(self.samples, chosen, vote, report, maths, notices, thinking_switch=switch)
        if self._checkpoint is not None:
            self._checkpoint(self)

    def _sampling(self, i: int) -> Sampling:
        sampling = self.options.sampling
        if sampling.max_tokens <= 0:
            sampling = dataclasses.replace(sampling, max_tokens=auto_max_tokens(self.family, self.options))
        if sampling.seed is not None and i:
            sampling = dataclasses.replace(sampling, seed=sampling.seed + i)
        recommended: dict[str, Any] = {k: v for k, v in self.family.recommended_sampling().items()
                                       if k in self.options.model_sampling}
        return dataclasses.replace(sampling, **recommended) if recommended else sampling

    def _requests(self, messages: list[Message], n: int) -> list[GenerationRequest]:
        opts = self.options
        return [GenerationRequest(messages=messages, family=self.family, sampling=self._sampling(i),
                                  cancel=self.cancel, default_system=self.backend.info.default_system,
                                  stop=tuple(opts.stop), ignore_eos=opts.ignore_eos, prefill=self.prefill,
                                  adapters=opts.adapters)
                for i in range(n)]

    def _sample(self, i: int, sample: SampleResult, messages: list[Message], sampling: Sampling, maths: bool,
                notices: list[str]) -> Iterator[TurnEvent]:
        """One sample: streamed, its reasoning held to the plan; a reasoning closed early (budget, loop) is
        continued as the same reply, so the answer follows."""
        opts = self.options
        max_tokens = sampling.max_tokens
        st = SampleStream(i, sample, self.family, self.thinking_control(max_tokens), raw=self.prefill)
        ctl = st.ctl
        used = 0
        first_stats: GenerationStats | None = None
        finish = "length"
        gen_seconds = 0.0
        requests = 0
        while used < max_tokens:
            request = GenerationRequest(
                messages=messages, family=self.family,
                sampling=dataclasses.replace(sampling, max_tokens=max_tokens - used),
                cancel=self.cancel, default_system=self.backend.info.default_system,
                stop=tuple(opts.stop), ignore_eos=opts.ignore_eos, prefill=st.raw, adapters=opts.adapters,
                grammar=self._grammar_for(st), logprobs=opts.logprobs,
            )
            action: str | None = None
            st.counted = 0
            stats: GenerationStats | None = None
            first_piece: float | None = None
            stream = self.backend.stream(request)
            try:
                for chunk in stream:
                    if chunk.done:
                        stats = chunk.stats
                        break
                    if chunk.notice:
                        notices.append(chunk.notice)
                        yield TurnEvent("notice", chunk.notice)
                        continue
                    if first_piece is None:
                        first_piece = time.monotonic()
                    events, action = st.feed(chunk)
                    yield from events
                    if action == "answer_loop" and opts.grammar is not None:
                        action = None  # a shaped answer repeats by nature (a list of records): max_tokens bounds it
                    if action:
                        break
                    self._maybe_save()
            finally:
                close = getattr(stream, "close", None)
                if close is not None:
                    close()
            requests += 1
            if stats is not None:
                if requests > 1:  # a continuation: what it evaluated besides the cached tokens
                    ctl.evaluated.append(stats.prompt_tokens - stats.reused_prompt_tokens)
                first_stats = first_stats or stats
                used += stats.completion_tokens
                gen_seconds += stats.generation_seconds
                finish = stats.finish_reason
            else:
                used += st.counted
                if first_piece is not None:  # stopped early (budget, loop): its decode time, as measured here
                    gen_seconds += time.monotonic() - first_piece
                partial = getattr(self.backend, "last_stats", None)  # a stream stopped early: its prompt figures
                if requests == 1 and isinstance(partial, GenerationStats):
                    first_stats = dataclasses.replace(partial)
            if action is None and finish == "stop" and st.ended_inside_reasoning():
                action = "unclosed"
            if action == "answer_loop":
                finish = "stop"
                notices.append(ANSWER_LOOP)
                yield TurnEvent("notice", ANSWER_LOOP, i)
                break
            if action is None or self.cancel.is_set():
                break
            finish = "length"  # until a continuation says otherwise
            if used >= max_tokens:  # the reasoning took the whole reply (no answer reserve): nothing to close
                break
            events, _ = st.close_reasoning(action, self.user_text)
            yield from events
            if action == "loop" and ctl.end == "":  # resampling from before the loop
                sampling = resample_sampling(sampling, ctl.resamples)
        yield from st.finish(self.cancel.is_set())
        sample.stats = first_stats or GenerationStats()
        if requests > 1 and self.context is not None and not sample.stats.prompt_seconds:
            # The first request was stopped early and sent no stats: its prompt is the shaped conversation.
            sample.stats.prompt_tokens = self.context.prompt_tokens
            if st.t_first is not None:
                sample.stats.prompt_seconds = st.t_first - st.t0
        sample.stats.completion_tokens = used
        sample.stats.generation_seconds = gen_seconds or sample.stats.generation_seconds
        sample.stats.finish_reason = "cancelled" if self.cancel.is_set() else finish

    def _grammar_for(self, st: SampleStream) -> Grammar | None:
        """The turn's grammar for the next request of a sample: from the first token when the reply is past
        its reasoning (or has none), else from the ``</think>`` that ends it (the reasoning stays free)."""
        grammar = self.options.grammar
        if grammar is None:
            return None
        splitter = st.splitter if st.splitter is not None else splitter_after(self.family, st.raw)
        opener = ""
        if splitter.closed:
            thinking = False
        elif splitter.in_reasoning:
            thinking = True
        else:  # nothing written yet (a model that opens its reasoning itself may), or an answer without any
            thinking = not st.raw.strip() and self.family.reasoning_model
            opener = OPEN_WITH.strip() if thinking else ""
        return dataclasses.replace(grammar, after=CLOSE_TAG if thinking else "", opener=opener)

    def thinking_control(self, max_tokens: int) -> ThinkingControl:
        opts = self.options
        return ThinkingControl(plan_thinking(
            opts.thinking_budget, max_tokens=max_tokens, reserve=opts.answer_reserve, maths=self.maths,
            reasoning_model=self.family.reasoning_model or opts.force_thinking, loop_action=opts.loop_action),
            active=opts.reasoning_control)

    def _maybe_save(self) -> None:
        if self._checkpoint is not None and time.monotonic() - self._last_save >= self._interval:
            self._checkpoint(self)
            self._last_save = time.monotonic()

    def run(self, on_event: Callable[[TurnEvent], None] | None = None) -> TurnResult:
        for ev in self.events():
            if on_event is not None:
                on_event(ev)
        assert self.result is not None
        return self.result
