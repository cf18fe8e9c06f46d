"""Background generation: one long-lived worker per loaded model, on its own QThread.

Only the worker's thread touches the backend (load, count tokens, generate). The UI talks to it with
queued signals, except for stop: a busy worker never runs a queued slot, so each job carries a
``threading.Event`` that the UI sets directly and the backend checks between tokens.

The worker saves the reply to the history while it streams (ChatTurn's checkpoint, at least once a
second) and when it ends, and sends the UI batched deltas at most ~30 times a second.

The UI side, which starts the thread and stops it in order (set stop → ``quit()`` → ``wait()`` →
``backend.close()``), is :class:`handle.WorkerHandle`; what goes back and forth is in events.py.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from PySide6.QtCore import QObject, Signal, Slot

from assistant.core.chat.history import History, Place, StoredMessage
from assistant.core.chat.prompting import Message
from assistant.core.chat.protocol import Backend
from assistant.core.chat.reasoning import raw_reply
from assistant.core.chat.turn import (
    ChatTurn,
    ContextReport,
    TurnEvent,
    TurnOptions,
    TurnResult,
    fit_context,
    next_prefix,
    usable_reply,
)
from assistant.core.errors import AssistantError, CancelledError, GenerationError, ModelError
from assistant.core.progress import Progress
from assistant.core.settings import Settings

from .documents import ground_turn, reply_documents
from .events import (
    LoadedModel,
    Opener,
    ReplySummary,
    SampleMark,
    SourcesEvent,
    ThinkingMeter,
    TurnJob,
    VoteEvent,
)

log = logging.getLogger(__name__)

BATCH_SECONDS = 1 / 30  # the UI repaints at most ~30 times a second: no point sending more often
CHECKPOINT_SECONDS = 0.5  # ChatTurn saves on the first token after this: well within a second


def samples_facts(result: TurnResult) -> list[dict[str, Any]]:
    """What is kept of each sample of a voted reply (the message's ``extra["samples"]``)."""
    return [{"answer": s.answer, "reasoning": s.reasoning, "boxed": s.boxed, "finish_reason": s.stats.finish_reason,
             "completion_tokens": s.stats.completion_tokens, "thinking": s.thinking} for s in result.samples]


def marked(ev: TurnEvent, turn: ChatTurn, total: int) -> TurnEvent:
    """A sample's start or end with its facts (the samples of one turn may run together, interleaved)."""
    if ev.kind == "sample_start":
        return SampleMark(ev.kind, ev.text, ev.sample, total=total)
    if ev.kind == "sample_end" and ev.sample < len(turn.samples):
        stats = turn.samples[ev.sample].stats
        return SampleMark(ev.kind, ev.text, ev.sample, total=total, finish_reason=stats.finish_reason,
                          tokens=stats.completion_tokens)
    return ev


CLOSED_ENDS = ("model", "budget", "loop", "unclosed")


def reasoning_closed(m: StoredMessage) -> bool:
    """Whether a stored reply's reasoning was closed (it has an answer, or the model or the control ended it)."""
    thinking = m.extra.get("thinking") if isinstance(m.extra, dict) else None
    return bool(m.content) or (isinstance(thinking, dict) and thinking.get("end") in CLOSED_ENDS)


def merged_thinking(before: dict[str, Any] | None, new: dict[str, Any] | None, closed: bool) -> dict[str, Any] | None:
    """A continued reply's thinking facts: the counts add up; a reasoning already closed keeps its end."""
    if not isinstance(before, dict) or new is None:
        return new
    out = dict(new)
    for key in ("tokens", "loops", "resamples"):
        out[key] = int(before.get(key) or 0) + int(new.get(key) or 0)
    out["seconds"] = round(float(before.get("seconds") or 0) + (0.0 if closed else float(new.get("seconds") or 0)), 2)
    if closed:
        out.update({k: before[k] for k in ("end", "budget", "cap") if k in before})
    elif new.get("budget") is not None:  # the continuation's own cap, counted from where it began
        out["cap"] = int(before.get("tokens") or 0) + int(new.get("cap") or 0)
    return out


class ChatWorker(QObject):
    """Lives on its own thread. Slots are called through queued signals from :class:`WorkerHandle`."""

    loaded = Signal(object)  # LoadedModel
    load_failed = Signal(object)  # AssistantError
    load_progress = Signal(str, object)  # message, fraction or None
    reply_started = Signal(int, int)  # job id, message id
    reply_delta = Signal(int, object)  # job id, list of TurnEvent
    reply_finished = Signal(int, object)  # job id, ReplySummary
    context_measured = Signal(object)  # ContextReport

    def __init__(self, settings: Settings, history: History, model: str | None = None,
                 opener: Opener | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.history = history
        self.model = model
        self.opener = opener
        self.backend: Backend | None = None
        self.prewarm_cancel = threading.Event()  # set by the UI thread when new work comes
        self.closing = threading.Event()

    # ---- slots (worker thread) -------------------------------------------------------------------
    @Slot()
    def load(self) -> None:
        from assistant.core.backends import open_backend

        opener = self.opener or open_backend

        def progress(p: Progress) -> None:
            if self.closing.is_set():
                raise CancelledError("The app is closing.")
            self.load_progress.emit(p.stage, p.fraction)

        try:
            backend = opener(self.settings, self.model, progress)
        except AssistantError as exc:
            self.load_failed.emit(exc)
            return
        except Exception as exc:  # a bug or an unexpected library error: logged, shown, survived
            log.exception("loading the model failed")
            self.load_failed.emit(ModelError(f"The model could not be loaded: {exc}",
                                             hint="The details are in the log file (Help → Open log folder)."))
            return
        self.backend = backend
        info = backend.info
        entry = getattr(backend, "entry", None)
        self.loaded.emit(LoadedModel(info.name, backend.name, info.n_ctx, info.family, info.path,
                                     bool(getattr(entry, "reasoning", False)) or info.family == "deepseek-r1",
                                     info.n_layers, info.n_gpu_layers, backend.family.thinking_switch))

    @Slot(object, object)
    def measure(self, history: list[Message], options: TurnOptions) -> None:
        """How much context the conversation takes, and whether a next message still fits."""
        backend = self.backend
        if backend is None or self.closing.is_set():
            return
        try:
            _, report, _ = fit_context(backend, backend.family, history, "", options)
        except AssistantError as exc:
            n_ctx = backend.info.n_ctx
            needed = int(getattr(exc, "needed", n_ctx))
            report = ContextReport(needed, n_ctx, 0, dropped_messages=-1)
        except Exception:
            log.exception("measuring the context failed")
            return
        self.context_measured.emit(report)

    @Slot(object)
    def generate(self, job: TurnJob) -> None:
        self.prewarm_cancel = threading.Event()  # for the prewarm after this reply
        backend = self.backend
        message_id = job.continue_message_id
        base: StoredMessage | None = None  # Continue: the reply as stored before it goes on
        try:
            if message_id:
                base = self.history.get_message(message_id)
                if base is None:
                    raise GenerationError("The reply to continue is no longer in the history.")
                self.history.finish_message(message_id, content=base.content, reasoning=base.reasoning,
                                            status="streaming")
            else:
                message_id = self.history.add_message(
                    job.conversation_id, "assistant", status="streaming",
                    model=backend.info.name if backend else "", backend=backend.name if backend else "",
                    settings=job.settings_used, parent_id=job.parent_id or Place.END_OF_PATH,
                )
        except Exception as exc:
            log.exception("could not save the reply")
            self.reply_finished.emit(job.job_id, self._failed(job, message_id, base, "", "", _wrap(exc)))
            return
        self.reply_started.emit(job.job_id, message_id)
        if backend is None or self.closing.is_set() or job.cancel.is_set():
            err = None if (self.closing.is_set() or job.cancel.is_set()) else ModelError(
                "No model is loaded.", hint="Choose a model in Model → Models…, or fix the error shown above.")
            if base is not None:  # nothing was written: the reply stays as it was
                self.history.finish_message(message_id, content=base.content, reasoning=base.reasoning,
                                            status=base.status)
                self.reply_finished.emit(job.job_id, self._failed(job, message_id, base, "", "", err,
                                                                  status=base.status))
                return
            status = "failed" if err else "stopped"
            self.history.finish_message(message_id, content="", reasoning="", status=status,
                                        error=err.user_text() if err else None)
            self.reply_finished.emit(job.job_id, ReplySummary(job.job_id, message_id, status, "", "", None, error=err))
            return
        user_text, options, grounding = job.user_text, job.options, None
        if job.documents:  # the question's passages, found here: retrieval never runs on the window's thread
            try:
                user_text, options, grounding = ground_turn(job, self.history)
            except Exception as exc:
                error = _wrap(exc)
                self.history.finish_message(message_id, content="", reasoning="", status="failed",
                                            error=error.user_text())
                self.reply_finished.emit(job.job_id, ReplySummary(job.job_id, message_id, "failed", "", "", None,
                                                                  error=error))
                return
            self.reply_delta.emit(job.job_id, [SourcesEvent("sources", sources=grounding.sources,
                                                            found=grounding.found,
                                                            collections=grounding.collections)])

        def checkpoint(turn: ChatTurn) -> None:
            cur = turn.current
            if cur is not None and turn.result is None:
                self.history.save_partial(message_id, cur.answer, cur.reasoning)

        raw = ""
        before_tokens = 0
        if base is not None:
            closed = reasoning_closed(base)
            raw = job.continue_reply or raw_reply(base.reasoning, base.content, closed=closed,
                                                  starts_in_reasoning=backend.family.starts_in_reasoning)
            before = base.extra.get("thinking") if isinstance(base.extra, dict) else None
            before_tokens = int(before.get("tokens") or 0) if isinstance(before, dict) else 0
        turn = ChatTurn(backend, job.history, user_text, options, cancel=job.cancel,
                        checkpoint=checkpoint, checkpoint_interval=CHECKPOINT_SECONDS, continue_reply=raw)
        batch: list[TurnEvent] = []
        last_emit = time.monotonic()
        total = max(1, job.options.samples)
        try:
            for ev in turn.events():
                batch.append(marked(ev, turn, total))
                now = time.monotonic()
                if now - last_emit >= BATCH_SECONDS or ev.kind in ("sample_start", "sample_end", "notice"):
                    self._emit(job, batch, turn, before_tokens)
                    batch, last_emit = [], now
            if batch:
                self._emit(job, batch, turn, before_tokens)
            assert turn.result is not None
            summary = self._finish(job, message_id, turn.result, base)
            if grounding is not None:  # the sources it cites, and the passages it was given (its chips)
                for key, value in reply_documents(grounding, turn.result.best.answer).items():
                    self.history.set_extra(message_id, (key,), value)
            if len(turn.result.samples) > 1:  # the strip of samples ends as the stored reply shows it
                self.reply_delta.emit(job.job_id, [VoteEvent("vote", samples=samples_facts(turn.result),
                                                             chosen=turn.result.chosen)])
        except Exception as exc:
            if batch:
                self.reply_delta.emit(job.job_id, batch)
            error = _wrap(exc)
            cur = turn.current
            answer, reasoning = (cur.answer, cur.reasoning) if cur else ("", "")
            summary = self._failed(job, message_id, base, answer, reasoning, error)
            try:  # a continuation that fails keeps the reply it continued (and its Continue)
                self.history.finish_message(message_id, content=summary.answer, reasoning=summary.reasoning,
                                            status=summary.status, error=error.user_text())
            except Exception:
                log.exception("could not save the failed reply")
        self.reply_finished.emit(job.job_id, summary)
        if turn.result is not None and usable_reply(turn.result.answer) and not job.cancel.is_set():
            self._prewarm(backend, [*job.history, Message("user", user_text),
                                    Message("assistant", turn.result.answer)], job.options)

    @Slot(object, object, object)
    def prewarm_path(self, history: list[Message], options: TurnOptions, cancel: threading.Event) -> None:
        """The user walked to another branch: the cache follows the path shown (a kept state of that branch
        is restored, the branch left is kept; else the new branch is evaluated). Stopped by ``cancel``."""
        backend = self.backend
        if backend is not None and not self.closing.is_set() and not cancel.is_set():
            self._prewarm(backend, history, options, cancel)

    def _prewarm(self, backend: Backend, history: list[Message], options: TurnOptions,
                 cancel: threading.Event | None = None) -> None:
        """While the user reads and types: the cache is brought to the next prompt's start (an R1 reply goes
        back without its reasoning). A message sent meanwhile stops it at once (WorkerHandle.generate)."""
        prewarm = getattr(backend, "prewarm", None)
        cancel = cancel or self.prewarm_cancel
        if prewarm is None or cancel.is_set():
            return
        try:
            prewarm(next_prefix(history, options, backend.family), None, cancel)
        except Exception:  # only the head start is lost
            log.exception("prewarm failed")

    def _emit(self, job: TurnJob, batch: list[TurnEvent], turn: ChatTurn, before_tokens: int) -> None:
        """Send a batch, with each sample's reasoning meter as it stands now (samples decoded together all
        move; the UI shows the meter of the sample it shows)."""
        for k, sample in enumerate(turn.samples):
            ctl = sample.control
            if ctl is not None:
                limit = before_tokens + ctl.plan.reasoning_cap if ctl.plan.budget is not None else None
                batch.append(ThinkingMeter("meter", sample=k, tokens=before_tokens + ctl.tokens, limit=limit))
        self.reply_delta.emit(job.job_id, batch)

    @staticmethod
    def _failed(job: TurnJob, message_id: int, base: StoredMessage | None, answer: str, reasoning: str,
                error: AssistantError | None, status: str = "failed") -> ReplySummary:
        if base is None:
            return ReplySummary(job.job_id, message_id, status, answer, reasoning, None, error=error)
        # Continue: the stored reply (and what was added to it) stays; it can be continued again.
        return ReplySummary(job.job_id, message_id, base.status, answer or base.content, reasoning or base.reasoning,
                            base.boxed, completion_tokens=base.completion_tokens,
                            tokens_per_second=base.tokens_per_second, thinking_seconds=base.thinking_seconds,
                            error=error, finish_reason=base.finish_reason or "",
                            thinking=base.extra.get("thinking") if isinstance(base.extra, dict) else None)

    def _finish(self, job: TurnJob, message_id: int, result: TurnResult, base: StoredMessage | None) -> ReplySummary:
        best = result.best
        stats = best.stats
        status = "stopped" if result.stopped else "done"
        completion = result.usage["completion_tokens"]
        extra: dict[str, Any] = {"notices": result.notices, "maths": result.maths,
                                 "context": {"prompt_tokens": result.context.prompt_tokens,
                                             "n_ctx": result.context.n_ctx,
                                             "dropped_messages": result.context.dropped_messages}}
        if len(result.samples) > 1:
            extra["samples"] = samples_facts(result)
            if result.vote is not None:
                extra["vote"] = {"winner": result.vote.winner, "votes": result.vote.votes, "total": result.vote.total,
                                 "decided_early": result.vote.decided_early, "chosen": result.chosen}
        thinking, seconds = best.thinking, best.seconds_thinking
        ttft, gen_seconds, speed = stats.prompt_seconds, stats.generation_seconds, stats.tokens_per_second
        if base is not None:  # Continue: one reply, its figures summed over both parts
            closed = reasoning_closed(base)
            thinking = merged_thinking(base.extra.get("thinking"), thinking, closed)
            seconds = base.thinking_seconds + (0.0 if closed else seconds)
            completion += base.completion_tokens
            ttft, gen_seconds = base.time_to_first_token, gen_seconds + base.generation_seconds
            speed = (completion - 1) / gen_seconds if completion > 1 and gen_seconds > 0 else 0.0
            extra = {**base.extra, **extra}
        if thinking is not None:
            extra["thinking"] = thinking  # the meter shown again when the conversation is reopened
        used: dict[str, Any] = {}
        if result.thinking_switch is not None:  # what the reply did (/no_think included): Regenerate redoes it so
            used["settings"] = {**job.settings_used, "thinking_switch": result.thinking_switch}
        self.history.finish_message(
            message_id, content=best.answer, reasoning=best.reasoning, status=status, boxed=best.boxed,
            finish_reason=stats.finish_reason, prompt_tokens=stats.prompt_tokens, completion_tokens=completion,
            time_to_first_token=ttft, generation_seconds=gen_seconds, thinking_seconds=seconds, extra=extra,
            **used,
        )
        return ReplySummary(
            job.job_id, message_id, status, best.answer, best.reasoning, best.boxed,
            completion_tokens=completion, prompt_tokens=stats.prompt_tokens,
            tokens_per_second=speed, thinking_seconds=seconds,
            context_used=result.context.prompt_tokens + stats.completion_tokens, n_ctx=result.context.n_ctx,
            notices=list(result.notices), finish_reason=stats.finish_reason, thinking=thinking,
        )


def _wrap(exc: BaseException) -> AssistantError:
    if isinstance(exc, AssistantError):
        return exc
    log.error("generation failed", exc_info=exc)
    return GenerationError(f"The reply failed: {exc}",
                           hint="The details are in the log file (Help → Open log folder). Try again.")
