"""The chat's actions: the loaded model's worker (load, reload, unload) and the turns sent to it (send,
regenerate, continue a cut-off reply, edit and resend, stop), from the chat view to the history and back; and
the conversation's branches: an edit or a regenerated reply is a version beside the old one (the history is a
tree), ‹ n/m › walks between versions (the path shown is remembered and the model's cache follows it), a reply
can be edited to steer the next turn, and "Branch from here" opens a copy of the path in a new conversation.

The window decides which conversation is open and where the figures go (status bar, sidebar); it asks
through :class:`ChatHost` and listens to the signals. Only the worker's thread touches the model
(worker.py); Stop is a ``threading.Event`` set here, directly.
"""

from __future__ import annotations

import dataclasses
import gc
import time
from typing import Any, Protocol

from PySide6.QtCore import QObject, Signal

from assistant.core.chat.history import Conversation, History, history_messages, title_from
from assistant.core.chat.prompting import Message
from assistant.core.chat.turn import TurnEvent, TurnOptions
from assistant.core.errors import AssistantError
from assistant.core.settings import Settings
from assistant.ui.worker.events import LoadedModel, Opener, ReplySummary, TurnJob, stored_adapters
from assistant.ui.worker.handle import WorkerHandle

from .adapters import AdapterChoice
from .code_runs import CodeRuns
from .documents_choice import DocumentsChoice
from .thinking_choice import ThinkingChoice
from .view import ChatView

_gc_frozen = False


class ChatHost(Protocol):
    """What the chat session needs of the main window: the open conversation, and being told of a new one."""

    conversation_id: int | None

    def conversation_created(self, conversation_id: int) -> None: ...

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None: ...


class ChatSession(QObject):
    """The loaded model's worker and the turns of the open conversation."""

    loaded = Signal(object)  # LoadedModel
    load_failed = Signal(object)  # AssistantError
    load_progress = Signal(str, object)  # message, fraction or None
    reply_begun = Signal()  # a reply (or a continuation) starts: its live figures start from zero
    reply_progress = Signal(int, object)  # pieces streamed so far (about one token each), tokens/s or None
    reply_done = Signal(object)  # ReplySummary
    context_measured = Signal(object)  # ContextReport

    def __init__(self, settings: Settings, history: History, view: ChatView, host: ChatHost,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings, self.history, self.view, self.host = settings, history, view, host
        self.opener: Opener | None = None  # None: open_backend (tests and benchmarks may load another way)
        self.worker: WorkerHandle | None = None
        self.model_info: LoadedModel | None = None
        self.last_speed = 0.0  # tokens/s of the last reply that wrote something
        self._live: list[Any] = [0, 0.0]  # pieces so far, time of the first
        self.closed = False
        # The conversation's LoRA adapters (issue 17); its dialog opens over the chat view.
        self.adapter_choice = AdapterChoice(self, view)
        view.add_to_composer(self.adapter_choice.button)
        # The conversation's document collections (issue 24): its questions are answered from them, with sources.
        self.documents_choice = DocumentsChoice(self, view)
        view.add_to_composer(self.documents_choice.button)
        # The conversation's thinking switch (issue 27), shown while the loaded model has one (Qwen3).
        self.thinking_choice = ThinkingChoice(self, view)
        self.thinking_choice.changed.connect(self.measure_context)  # thinking off adds an empty think block
        view.add_to_composer(self.thinking_choice.button)
        self.code_runs = CodeRuns(history, view, self)  # Run on a reply's Python code blocks (sandboxed)
        view.send_requested.connect(self.send_message)
        view.stop_requested.connect(self.stop_generation)
        view.regenerate_requested.connect(self.regenerate)
        view.continue_requested.connect(self.continue_reply)
        view.edit_requested.connect(self.edit_and_resend)
        view.branch_requested.connect(self.show_branch)
        view.branch_from_requested.connect(self.branch_from)

    @property
    def conversation_id(self) -> int | None:
        return self.host.conversation_id

    def show(self, conversation: Conversation | None) -> None:
        """The window opened ``conversation`` (None: a new one, created with its first message)."""
        self.adapter_choice.load(conversation)
        self.documents_choice.load(conversation)
        self.thinking_choice.load(conversation)
        if conversation is None:
            self.view.clear()
        else:
            self.view.set_messages(self.history.messages(conversation.id))
            self.refresh_branches()
        self.measure_context()

    # ---- the model -------------------------------------------------------------------------------
    def load_model(self) -> None:
        """Start the worker and load the model in it (the window is already on screen)."""
        if self.worker is not None or self.closed:
            return
        self.model_info = None
        handle = WorkerHandle(self.settings, self.history, self.settings.model, self, self.opener)
        handle.loaded.connect(self._on_loaded)
        handle.load_failed.connect(self._on_load_failed)
        handle.load_progress.connect(self.load_progress)
        handle.reply_started.connect(self._on_reply_started)
        handle.reply_delta.connect(self._on_reply_delta)
        handle.reply_finished.connect(self._on_reply_finished)
        handle.context_measured.connect(self.context_measured)
        self.worker = handle
        self.load_progress.emit(self.tr("Loading %1…").replace("%1", self.settings.model), None)
        handle.start()

    def unload_model(self) -> None:
        """Stop → quit → wait → close, in that order (whatever shares the backend stops first: the window's)."""
        handle, self.worker = self.worker, None
        if handle is not None:
            handle.shutdown()
            handle.deleteLater()
        self.model_info = None
        self.thinking_choice.set_model(None)
        if self.view.active is not None:
            self.view.end_reply("stopped", answer=self.view.active.answer, reasoning=self.view.active.reasoning)
        self.view.set_busy(False)

    def set_settings(self, settings: Settings) -> None:
        """New settings that need no reload: sampling etc. are read per turn; the worker's own copy only
        matters for loading."""
        self.settings = settings
        if self.worker is not None:
            self.worker.worker.settings = settings
            self.measure_context()

    def _on_loaded(self, info: LoadedModel) -> None:
        global _gc_frozen
        if not _gc_frozen:
            # Everything made at start-up lives as long as the app: keep it out of the cyclic GC's full
            # collections, which otherwise pause whichever thread triggers them for tens of ms. Once.
            gc.collect()
            gc.freeze()
            _gc_frozen = True
        self.model_info = info
        self.thinking_choice.set_model(info)
        self.view.error_banner.hide()
        self.measure_context()
        self.loaded.emit(info)

    def _on_load_failed(self, exc: AssistantError) -> None:
        self.view.show_error(exc)
        self.load_failed.emit(exc)

    def measure_context(self) -> None:
        """How much of the context the open conversation takes (``context_measured`` says it)."""
        if self.worker is None or self.model_info is None:
            return
        msgs = self.history_for(self.conversation_id) if self.conversation_id else []
        self.worker.measure(msgs, TurnOptions.from_settings(self.settings, thinking=self.thinking_choice.for_turn()))

    def history_for(self, conversation_id: int | None, before: int | None = None) -> list[Message]:
        if not conversation_id:
            return []
        msgs = self.history.messages(conversation_id)
        if before is not None:
            msgs = [m for m in msgs if m.id < before]
        return [Message(role, text) for role, text in history_messages(msgs)]

    # ---- turns -----------------------------------------------------------------------------------
    def send_message(self, text: str) -> bool:
        """Save the user's message and start the reply. False when a reply is already running."""
        text = text.strip()
        if not text or self.view.busy:
            return False
        if self.worker is None:
            self.load_model()
        assert self.worker is not None
        options = self._turn_options()
        if options is None:
            self.view.input.setPlainText(text)  # nothing saved, the text kept
            return False
        if self.conversation_id is None:
            conv = self.history.create_conversation(title_from(text), self.settings.model)
            self.host.conversation_created(conv.id)
            self.adapter_choice.set(self.adapter_choice.chosen)  # the choice made before the conversation existed
            self.documents_choice.set(self.documents_choice.chosen)
            self.thinking_choice.keep()
        cid = self.conversation_id
        assert cid is not None
        previous = self.history_for(cid)
        uid = self.history.add_message(cid, "user", text)
        self.view.add_user_message(text, uid)
        self._start_job(previous, text, options, uid)
        return True

    def _turn_options(self, adapters: list[tuple[str, float]] | None = None, *, documents: bool = True,
                      **kw: Any) -> TurnOptions | None:
        """The settings' turn options with the conversation's adapters (or ``adapters``); None, said in the
        window, when an adapter is gone or does not fit the model, or (``documents``) a chosen collection is gone.
        The thinking switch is the conversation's unless ``thinking`` is given (a reply redone: its own)."""
        kw.setdefault("thinking", self.thinking_choice.for_turn())
        try:
            if documents:
                self.documents_choice.for_turn()
            return self.adapter_choice.options(TurnOptions.from_settings(self.settings, **kw), adapters)
        except AssistantError as exc:
            self.view.show_error(exc)
            return None

    def _start_job(self, previous: list[Message], text: str, options: TurnOptions, parent_id: int) -> None:
        """A reply to the user message ``parent_id`` (whose text is ``text``, after ``previous``)."""
        assert self.worker is not None and self.conversation_id is not None
        s = self.settings
        used = {"sampling": dataclasses.asdict(s.sampling), "maths_mode": s.maths_mode, "samples": s.samples,
                "preset": s.preset, "context_policy": s.context_policy, "n_ctx": s.n_ctx, "model": s.model,
                "adapters": self.adapter_choice.used()}
        documents = list(self.documents_choice.chosen)
        if documents:
            used["documents"] = documents
        job = TurnJob(self.conversation_id, previous, text, options, used, parent_id=parent_id, documents=documents,
                      documents_previous=self._sources_before(parent_id) if documents else [])
        name = self.model_info.name if self.model_info else s.model
        self.view.begin_reply(name, bool(self.model_info and self.model_info.reasoning), self.adapter_choice.chosen)
        self._begin_job(job)

    def _sources_before(self, message_id: int) -> list[dict[str, Any]]:
        """The document passages the conversation was given before message ``message_id`` (numbers kept)."""
        from assistant.core.docs.answer import previous_sources

        assert self.conversation_id is not None
        extras = []
        for m in self.history.messages(self.conversation_id):
            if m.id == message_id:
                break
            extras.append(m.extra)
        return previous_sources(extras)

    def _begin_job(self, job: TurnJob) -> None:
        assert self.worker is not None
        self._live = [0, 0.0]
        self.reply_begun.emit()
        self.view.set_busy(True)
        self.view.error_banner.hide()
        self.worker.generate(job)

    def stop_generation(self) -> bool:
        if self.worker is not None and self.worker.busy:
            self.worker.stop()
            return True
        return False

    def regenerate(self) -> None:
        if self.view.busy or self.conversation_id is None:
            return
        msgs = self.history.messages(self.conversation_id)
        last_user = next((m for m in reversed(msgs) if m.role == "user"), None)
        if last_user is None:
            return
        later = [m for m in msgs if m.id > last_user.id]
        # a new version follows the switch as shown: switched off, then Regenerate gives the reply without thinking
        options = self._turn_options()
        if options is None:
            return
        if later:  # the reply replaced stays in the history: a version ‹ n/m › walks back to
            self.view.remove_from(later[0].id)
        if self.worker is None:
            self.load_model()
        self._start_job(self.history_for(self.conversation_id, before=last_user.id), last_user.content, options,
                        last_user.id)

    def continue_reply(self) -> bool:
        """Continue the last reply, cut off at max_tokens: it goes on in the same message (and row)."""
        if self.view.busy or self.conversation_id is None:
            return False
        msgs = self.history.messages(self.conversation_id)
        user = next((m for m in reversed(msgs) if m.role == "user"), None)
        if not msgs or msgs[-1].role != "assistant" or msgs[-1].finish_reason != "length" or user is None:
            return False
        if self.worker is None:
            self.load_model()
        reply = msgs[-1]
        # the adapters the reply was written with, whatever the conversation uses now
        options = self._turn_options(stored_adapters(reply.settings), documents=False, samples=1,
                                     thinking=self.thinking_choice.for_reply(reply.settings))
        if options is None:
            return False
        sent = history_messages([user])[0][1]  # a documents question goes on from the prompt sent, passages and all
        if sent != user.content:
            from assistant.core.docs.answer import question_options

            options = question_options(options, user.content)
        job = TurnJob(self.conversation_id, self.history_for(self.conversation_id, before=user.id), sent,
                      options, reply.settings, continue_message_id=reply.id)
        self.view.begin_continue(reply.id)
        self._begin_job(job)
        return True

    def edit_and_resend(self, message_id: int, text: str) -> None:
        """A new version of a message beside it: a user message's is answered at once; a reply's (the user's
        words put in the model's mouth) is what the next turn goes on from."""
        old = self.history.get_message(message_id)
        if self.view.busy or self.conversation_id is None or old is None or not text.strip():
            return
        if old.role != "user":
            self.history.edit_message(message_id, text)
            self._show_path()
            return
        options = self._turn_options()
        if options is None:
            return
        if self.worker is None:
            self.load_model()
        uid = self.history.edit_message(message_id, text.strip())
        self.view.remove_from(message_id)
        self.view.add_user_message(text.strip(), uid)
        self.refresh_branches()
        self._start_job(self.history_for(self.conversation_id, before=uid), text.strip(), options, uid)

    # ---- branches --------------------------------------------------------------------------------
    def refresh_branches(self) -> None:
        """The ‹ n/m › of every shown message that has other versions."""
        if self.conversation_id is not None:
            self.view.set_branches(self.history.branches(self.conversation_id))

    def show_branch(self, message_id: int) -> None:
        """Show the version ``message_id`` and the branch below it as it was last shown (remembered)."""
        if self.view.busy or self.conversation_id is None:
            return
        self.history.show(message_id)
        self._show_path()

    def _show_path(self) -> None:
        """The path shown changed: the view follows, and so do the context figure and the model's cache."""
        assert self.conversation_id is not None
        self.view.show_path(self.history.messages(self.conversation_id))
        self.refresh_branches()
        self.measure_context()
        if self.worker is not None and self.model_info is not None:
            try:
                options = self.adapter_choice.options(
                    TurnOptions.from_settings(self.settings, thinking=self.thinking_choice.for_turn()), None)
            except AssistantError:
                return  # said when a message is sent; only the head start is lost
            self.worker.prewarm_path(self.history_for(self.conversation_id), options)

    def branch_from(self, message_id: int) -> None:
        """A new conversation holding this one up to ``message_id``, opened."""
        conv = self.history.get_conversation(self.conversation_id) if self.conversation_id else None
        if conv is None or self.view.busy:
            return
        title = self.tr("%1 (branch)").replace("%1", conv.title or self.tr("Conversation"))
        self.host.open_conversation(self.history.branch_from(message_id, title).id)

    # ---- the reply streaming back ----------------------------------------------------------------
    def _on_reply_started(self, job_id: int, message_id: int) -> None:
        if self.view.active is not None:
            self.view.active.message_id = message_id
            self.refresh_branches()  # a regenerated reply shows at once which version it is

    def _on_reply_delta(self, job_id: int, events: list[TurnEvent]) -> None:
        self.view.on_delta(events)
        pieces = sum(1 for ev in events if ev.kind in ("reasoning", "answer") and ev.text)
        if not pieces:
            return
        now = time.monotonic()
        count, first = self._live
        first = first or now
        count += pieces
        self._live = [count, first]
        self.reply_progress.emit(count, (count - 1) / (now - first) if now - first > 0.5 else None)

    def _on_reply_finished(self, job_id: int, summary: ReplySummary) -> None:
        if summary.completion_tokens:
            self.last_speed = summary.tokens_per_second
        notice = "\n".join(summary.notices)
        self.view.end_reply(summary.status, answer=summary.answer, reasoning=summary.reasoning,
                            stats=(summary.completion_tokens, summary.tokens_per_second),
                            thinking_seconds=summary.thinking_seconds, notice=notice, message_id=summary.message_id,
                            finish_reason=summary.finish_reason, thinking=summary.thinking)
        self.view.set_busy(False)
        if summary.error is not None:
            self.view.show_error(summary.error)
        self.measure_context()
        self.reply_done.emit(summary)

    def close(self) -> None:
        """Stop the reply, the worker thread and the model. Idempotent."""
        self.closed = True
        self.view.timer.stop()
        self.code_runs.stop_all()
        self.unload_model()
