"""The main window: conversations on the left, the chat on the right, model and context in the status bar.

It composes the features (``chat/``, ``conversations/``, ``models/``, ``evaluate/``, ``settings/``) and routes
between them. It owns the settings, the history and the worker of the loaded model; it turns user actions into
history writes and worker jobs, and worker signals into view updates. The data flow: README, "Architecture".
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import threading
import time
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QWidget,
)

from assistant.core.chat.history import History, history_messages, title_from
from assistant.core.chat.prompting import Message
from assistant.core.chat.turn import ContextReport, TurnEvent, TurnOptions
from assistant.core.errors import AssistantError
from assistant.core.settings import Settings

from .chat.adapters import AdapterChoice, stored_adapters
from .chat.view import ChatView
from .chat.worker import LoadedModel, Opener, ReplySummary, TurnJob, WorkerHandle
from .common.errors import reporter
from .common.i18n import Translations, resolve_language
from .common.theme import apply_theme
from .conversations.actions import ConversationActions
from .conversations.sidebar import Sidebar
from .demo_note import install_demo_note
from .evaluate.page import EvaluateDialog
from .help_menu import HelpActions
from .models.actions import ModelActions
from .render.markdown_html import warm_up
from .settings.dialog import SettingsDialog, needs_reload
from .settings.serving import ServingController
from .status_panel import StatusPanel

log = logging.getLogger(__name__)
_gc_frozen = False


class MainWindow(QMainWindow):
    model_loaded = Signal(object)  # LoadedModel
    model_failed = Signal(object)  # AssistantError
    reply_done = Signal(object)  # ReplySummary
    context_updated = Signal(object)  # ContextReport

    def __init__(self, settings: Settings | None = None, history: History | None = None, *,
                 translations: Translations | None = None, this_run: dict[str, object] | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else Settings.load()
        # Settings given for this run only (command-line -m, --language): used, never saved as such.
        self._saved_values = {k: getattr(self.settings, k) for k in (this_run or {})}
        self._this_run = dict(this_run or {})
        for key, value in self._this_run.items():
            setattr(self.settings, key, value)
        self._owns_history = history is None
        self.history = history if history is not None else History()
        self.translations = translations
        self.backend_opener: Opener | None = None  # None: open_backend (tests may load another way)
        self.worker: WorkerHandle | None = None
        self.model_info: LoadedModel | None = None
        self.conversation_id: int | None = None
        self.context: ContextReport | None = None
        self._closed = False
        self._dialogs: dict[str, QWidget] = {}
        self.serving = ServingController(lambda: self.worker.backend if self.worker else None, self)

        self.sidebar = Sidebar(self.history)
        self.conversations = ConversationActions(self.history, self.sidebar, self, self)
        self.chat = ChatView(self.settings.theme, self.settings.show_reasoning)
        self.adapter_choice = AdapterChoice(self, self)  # the conversation's LoRA adapters (issue 17)
        self.chat.add_to_composer(self.adapter_choice.button)
        self.models = ModelActions(self.settings, self)
        self.help = HelpActions(self)
        split = QSplitter()
        split.addWidget(self.sidebar)
        split.addWidget(self.chat)
        split.setStretchFactor(1, 1)
        split.setSizes([260, 840])
        self.setCentralWidget(split)
        self.resize(1100, 760)

        self.status = StatusPanel(self.statusBar())
        self.last_speed = 0.0
        self._live: list[Any] = [0, 0.0, None]
        self._build_menus()
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.new_requested.connect(self.new_conversation)
        self.sidebar.search_left.connect(lambda: self.chat.input.setFocus())
        self.conversations.renamed.connect(lambda _cid: self._update_title())
        self.conversations.failed.connect(self.chat.show_error)
        self.models.model_chosen.connect(self.switch_model)
        self.models.evaluate_requested.connect(self.open_evaluate)
        self.chat.send_requested.connect(self.send_message)
        self.chat.stop_requested.connect(self.stop_generation)
        self.chat.regenerate_requested.connect(self.regenerate)
        self.chat.continue_requested.connect(self.continue_reply)
        self.chat.edit_requested.connect(self.edit_and_resend)
        reporter().unexpected.connect(self._unexpected)
        self.serving.changed.connect(self._update_status)
        self.serving.failed.connect(self.chat.show_error)

        threading.Thread(target=warm_up, name="render-warm-up", daemon=True).start()
        self.history.purge_deleted()  # left over from a session that ended before its undo expired
        last = self.settings.last_conversation_id
        conv = self.history.get_conversation(last) if last else None
        if conv is not None and conv.deleted_at is None:
            self.open_conversation(conv.id)
        else:
            self.new_conversation()
        self.demo_note = install_demo_note(self)
        self.retranslate()

    # ---- construction ----------------------------------------------------------------------------
    def _action(self, menu: Any, key: str, slot: Any, shortcut: Any = None) -> QAction:
        act = QAction(self)
        act.triggered.connect(slot)
        if shortcut is not None:
            act.setShortcut(QKeySequence(shortcut))
            act.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        menu.addAction(act)
        self.actions_by_key[key] = act
        return act

    def _build_menus(self) -> None:
        self.actions_by_key: dict[str, QAction] = {}
        mb = self.menuBar()
        self.file_menu = mb.addMenu("")
        self._action(self.file_menu, "new", self.new_conversation, QKeySequence.StandardKey.New)
        self._action(self.file_menu, "import", self.conversations.import_dialog)
        self._action(self.file_menu, "export_md", lambda: self.conversations.export_current("md"))
        self._action(self.file_menu, "export_json", lambda: self.conversations.export_current("json"))
        self.file_menu.addSeparator()
        self._action(self.file_menu, "quit", self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = mb.addMenu("")
        self._action(self.edit_menu, "search", self.sidebar.focus_search, QKeySequence.StandardKey.Find)
        self._action(self.edit_menu, "stop", self.stop_generation, Qt.Key.Key_Escape)
        self._action(self.edit_menu, "regenerate", self.regenerate, "Ctrl+R")
        self.edit_menu.addSeparator()
        self._action(self.edit_menu, "rename", self.conversations.rename_current, "F2")
        self._action(self.edit_menu, "delete", self.conversations.delete_current)
        self._action(self.edit_menu, "undo_delete", self.conversations.undo_delete)
        self.edit_menu.addSeparator()
        self._action(self.edit_menu, "settings", self.open_settings, "Ctrl+,")
        self.model_menu = mb.addMenu("")
        self._action(self.model_menu, "models", self.models.open_manager, "Ctrl+M")
        self._action(self.model_menu, "convert", self.models.open_convert_wizard)
        self._action(self.model_menu, "reload", self.reload_model)
        self.help_menu = mb.addMenu("")
        self._action(self.help_menu, "logs", self.help.open_logs)
        self._action(self.help_menu, "diagnostics", self.help.diagnostics)
        self._action(self.help_menu, "about", self.help.about)

    def retranslate(self) -> None:
        self.file_menu.setTitle(self.tr("&File"))
        self.edit_menu.setTitle(self.tr("&Edit"))
        self.model_menu.setTitle(self.tr("&Model"))
        self.help_menu.setTitle(self.tr("&Help"))
        a = self.actions_by_key
        texts = {
            "new": self.tr("New chat"), "import": self.tr("Import conversation (JSON)…"),
            "export_md": self.tr("Export as Markdown…"), "export_json": self.tr("Export as JSON…"),
            "quit": self.tr("Quit"), "search": self.tr("Search conversations"), "stop": self.tr("Stop the reply"),
            "regenerate": self.tr("Regenerate the last reply"), "rename": self.tr("Rename conversation"),
            "delete": self.tr("Delete conversation"), "undo_delete": self.tr("Undo delete"),
            "settings": self.tr("Settings…"), "models": self.tr("Models…"),
            "convert": self.tr("Convert a Hugging Face model…"), "reload": self.tr("Reload the model"),
            "logs": self.tr("Open log folder"), "about": self.tr("About Assistant"),
            "diagnostics": self.tr("Diagnostics…"),
        }
        for key, text in texts.items():
            a[key].setText(text)
        self.sidebar.retranslate()
        self.chat.retranslate()
        self.adapter_choice.retranslate()
        self._update_title()
        self._update_status()

    def changeEvent(self, e: QEvent) -> None:
        # The one place that re-translates: the window passes it on to its parts.
        if e.type() == QEvent.Type.LanguageChange and not self._closed:
            self.retranslate()
        super().changeEvent(e)

    # ---- model -----------------------------------------------------------------------------------
    def load_model(self) -> None:
        """Start the worker and load the model in it (the window is already on screen)."""
        if self.worker is not None or self._closed:
            return
        self.model_info = None
        handle = WorkerHandle(self.settings, self.history, self.settings.model, self, self.backend_opener)
        handle.loaded.connect(self._on_loaded)
        handle.load_failed.connect(self._on_load_failed)
        handle.load_progress.connect(self._on_progress)
        handle.reply_started.connect(self._on_reply_started)
        handle.reply_delta.connect(self._on_reply_delta)
        handle.reply_finished.connect(self._on_reply_finished)
        handle.context_measured.connect(self._on_context)
        self.worker = handle
        self._on_progress(self.tr("Loading %1…").replace("%1", self.settings.model), None)
        self._update_status()
        handle.start()

    def unload_model(self) -> None:
        """Stop → quit → wait → close, in that order (serving stops first: it shares the backend)."""
        self.serving.stop()
        handle, self.worker = self.worker, None
        if handle is not None:
            handle.shutdown()
            handle.deleteLater()
        self.model_info = None
        if self.chat.active is not None:
            self.chat.end_reply("stopped", answer=self.chat.active.answer, reasoning=self.chat.active.reasoning)
        self.chat.set_busy(False)

    def reload_model(self) -> None:
        self.unload_model()
        self.load_model()
        self._update_status()

    def switch_model(self, spec: str) -> None:
        """A catalog id or a .gguf path, e.g. from the model manager."""
        if not spec:
            return
        self.settings.model = spec
        self._save_settings()
        self.reload_model()

    def _on_loaded(self, info: LoadedModel) -> None:
        global _gc_frozen
        if not _gc_frozen:
            # Everything made at start-up lives as long as the app: keep it out of the cyclic GC's full
            # collections, which otherwise pause whichever thread triggers them for tens of ms. Once.
            gc.collect()
            gc.freeze()
            _gc_frozen = True
        self.model_info = info
        self.status.clear_progress()
        self.chat.error_banner.hide()
        self._update_status()
        self._measure_context()
        if self.settings.serve_enabled:
            self.serving.start(self.settings)
        self.model_loaded.emit(info)

    def _on_load_failed(self, exc: AssistantError) -> None:
        self.status.clear_progress()
        self.chat.show_error(exc)
        self._update_status()
        self.model_failed.emit(exc)

    def _on_progress(self, message: str, fraction: object) -> None:
        self.status.set_progress(message, fraction)

    # ---- status bar ------------------------------------------------------------------------------
    def _update_status(self) -> None:
        info = self.model_info
        if info is not None:
            self.status.set_model(info.name, info.backend)
        elif self.worker is not None:
            self.status.set_model("", self.settings.backend, loading=True)
        else:
            self.status.set_model("", "")
        self.status.speed = self.last_speed
        self.status.set_serving(self.serving.url)

    def _measure_context(self) -> None:
        if self.worker is None or self.model_info is None:
            return
        msgs = self._history_for(self.conversation_id) if self.conversation_id else []
        self.worker.measure(msgs, TurnOptions.from_settings(self.settings))

    def _on_context(self, report: ContextReport) -> None:
        self.context = report
        self.status.set_context(report)
        self.context_updated.emit(report)

    # ---- conversations ---------------------------------------------------------------------------
    def _update_title(self) -> None:
        conv = self.history.get_conversation(self.conversation_id) if self.conversation_id else None
        title = (conv.title if conv else "") or self.tr("New conversation")
        self.setWindowTitle(f"{title} — Assistant")

    def new_conversation(self) -> None:
        self.stop_generation()
        self.conversation_id = None  # created with its first message
        self.adapter_choice.load(None)
        self.chat.clear()
        self.sidebar.set_current(None)
        self._remember_conversation(None)
        self._update_title()
        self._measure_context()
        self.chat.input.setFocus()

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None:
        conv = self.history.get_conversation(conversation_id)
        if conv is None or conv.deleted_at is not None:
            return
        if conversation_id != self.conversation_id or not self.chat.busy:
            self.stop_generation()
            self.conversation_id = conversation_id
            self.adapter_choice.load(conv)
            self.chat.set_messages(self.history.messages(conversation_id))
            self._remember_conversation(conversation_id)
            self._measure_context()
        self.sidebar.current_id = conversation_id
        if not self.sidebar.searching:
            self.sidebar.refresh()
        if message_id:
            self.chat.scroll_to_message(message_id)
        self._update_title()

    def _remember_conversation(self, conversation_id: int | None) -> None:
        if self.settings.last_conversation_id != conversation_id:
            self.settings.last_conversation_id = conversation_id
            self._save_settings()

    def _history_for(self, conversation_id: int | None, before: int | None = None) -> list[Message]:
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
        if not text or self.chat.busy:
            return False
        if self.worker is None:
            self.load_model()
        assert self.worker is not None
        options = self._turn_options()
        if options is None:
            self.chat.input.setPlainText(text)  # nothing saved, the text kept
            return False
        if self.conversation_id is None:
            conv = self.history.create_conversation(title_from(text), self.settings.model)
            self.conversation_id = conv.id
            self.adapter_choice.set(self.adapter_choice.chosen)
            self._remember_conversation(conv.id)
            self.sidebar.set_current(conv.id)
            self._update_title()
        previous = self._history_for(self.conversation_id)
        uid = self.history.add_message(self.conversation_id, "user", text)
        self.chat.add_user_message(text, uid)
        self._start_job(previous, text, options)
        return True

    def _turn_options(self, adapters: list[tuple[str, float]] | None = None, **kw: Any) -> TurnOptions | None:
        """The settings' turn options with the conversation's adapters (or ``adapters``); None, said in the
        window, when an adapter is gone or does not fit the model."""
        try:
            return self.adapter_choice.options(TurnOptions.from_settings(self.settings, **kw), adapters)
        except AssistantError as exc:
            self.chat.show_error(exc)
            return None

    def _start_job(self, previous: list[Message], text: str, options: TurnOptions) -> None:
        assert self.worker is not None and self.conversation_id is not None
        s = self.settings
        used = {"sampling": dataclasses.asdict(s.sampling), "maths_mode": s.maths_mode, "samples": s.samples,
                "preset": s.preset, "context_policy": s.context_policy, "n_ctx": s.n_ctx, "model": s.model,
                "adapters": self.adapter_choice.used()}
        job = TurnJob(self.conversation_id, previous, text, options, used)
        name = self.model_info.name if self.model_info else s.model
        self.chat.begin_reply(name, bool(self.model_info and self.model_info.reasoning), self.adapter_choice.chosen)
        self._begin_job(job)

    def _begin_job(self, job: TurnJob) -> None:
        assert self.worker is not None
        self._live = [0, 0.0, self.status.context]  # pieces so far, time of the first, context before the reply
        self.status.set_speed(0.0)  # not the previous reply's figure
        self.chat.set_busy(True)
        self.chat.error_banner.hide()
        self.worker.generate(job)

    def stop_generation(self) -> bool:
        if self.worker is not None and self.worker.busy:
            self.worker.stop()
            return True
        return False

    def regenerate(self) -> None:
        if self.chat.busy or self.conversation_id is None:
            return
        msgs = self.history.messages(self.conversation_id)
        last_user = next((m for m in reversed(msgs) if m.role == "user"), None)
        if last_user is None:
            return
        later = [m for m in msgs if m.id > last_user.id]
        options = self._turn_options()
        if options is None:
            return
        if later:
            self.history.supersede_from(later[0].id)
            self.chat.remove_from(later[0].id)
        if self.worker is None:
            self.load_model()
        self._start_job(self._history_for(self.conversation_id, before=last_user.id), last_user.content, options)

    def continue_reply(self) -> bool:
        """Continue the last reply, cut off at max_tokens: it goes on in the same message (and row)."""
        if self.chat.busy or self.conversation_id is None:
            return False
        msgs = self.history.messages(self.conversation_id)
        user = next((m for m in reversed(msgs) if m.role == "user"), None)
        if not msgs or msgs[-1].role != "assistant" or msgs[-1].finish_reason != "length" or user is None:
            return False
        if self.worker is None:
            self.load_model()
        reply = msgs[-1]
        # the adapters the reply was written with, whatever the conversation uses now
        options = self._turn_options(stored_adapters(reply.settings), samples=1)
        if options is None:
            return False
        job = TurnJob(self.conversation_id, self._history_for(self.conversation_id, before=user.id), user.content,
                      options, reply.settings, continue_message_id=reply.id)
        self.chat.begin_continue(reply.id)
        self._begin_job(job)
        return True

    def edit_and_resend(self, message_id: int, text: str) -> None:
        if self.chat.busy or self.conversation_id is None:
            return
        self.history.supersede_from(message_id)
        self.chat.remove_from(message_id)
        self.send_message(text)

    def _on_reply_started(self, job_id: int, message_id: int) -> None:
        if self.chat.active is not None:
            self.chat.active.message_id = message_id

    def _on_reply_delta(self, job_id: int, events: list[TurnEvent]) -> None:
        self.chat.on_delta(events)
        self._update_live_figures(events)

    def _update_live_figures(self, events: list[TurnEvent]) -> None:
        """Tokens/s and context while the reply is written (each streamed piece is about one token)."""
        pieces = sum(1 for ev in events if ev.kind in ("reasoning", "answer") and ev.text)
        if not pieces:
            return
        now = time.monotonic()
        count, first, before = self._live
        if not first:
            first = now
        count += pieces
        self._live = [count, first, before]
        if now - first > 0.5:
            self.status.speed = (count - 1) / (now - first)
        if before is not None:
            self.status.context = dataclasses.replace(before, prompt_tokens=before.prompt_tokens + count)
        self.status.refresh()

    def _on_reply_finished(self, job_id: int, summary: ReplySummary) -> None:
        if summary.completion_tokens:
            self.last_speed = summary.tokens_per_second
        notice = "\n".join(summary.notices)
        self.chat.end_reply(summary.status, answer=summary.answer, reasoning=summary.reasoning,
                            stats=(summary.completion_tokens, summary.tokens_per_second),
                            thinking_seconds=summary.thinking_seconds, notice=notice, message_id=summary.message_id,
                            finish_reason=summary.finish_reason, thinking=summary.thinking)
        self.chat.set_busy(False)
        if summary.error is not None:
            self.chat.show_error(summary.error)
        self._update_status()
        self._measure_context()
        self.sidebar.refresh()
        self.reply_done.emit(summary)

    # ---- settings and other dialogs --------------------------------------------------------------
    @property
    def ui_language(self) -> str:
        return self.translations.language if self.translations else resolve_language(self.settings.language)

    def open_settings(self) -> SettingsDialog:
        dlg = SettingsDialog(self.settings, self, self.ui_language, loaded=self.model_info)
        dlg.accepted.connect(lambda: self._settings_accepted(dlg))
        dlg.open()
        self._dialogs["settings"] = dlg
        return dlg

    def _settings_accepted(self, dlg: SettingsDialog) -> None:
        if dlg.result_settings is not None:
            self.apply_settings(dlg.result_settings)

    def apply_settings(self, new: Settings) -> None:
        old = self.settings
        self.settings = new
        self._save_settings()
        if self.translations is not None and new.language != old.language:
            self.translations.apply(resolve_language(new.language))
            self.retranslate()  # now; Qt's LanguageChange event only arrives later
        if new.theme != old.theme:
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, new.theme)
            self.chat.set_theme(new.theme)
        self.chat.show_reasoning = new.show_reasoning
        if needs_reload(old, new):
            self.reload_model()
        elif self.worker is not None:
            # Sampling etc. are read per turn; the worker's own copy only matters for loading.
            self.worker.worker.settings = new
            self._measure_context()
        self.models.set_settings(new)
        if self.model_info is not None or not new.serve_enabled:  # else it starts when the model has loaded
            self.serving.restart_if_changed(new)
        self._update_status()

    def _save_settings(self) -> None:
        to_save = self.settings
        kept = {k: self._saved_values[k] for k, v in self._this_run.items() if getattr(self.settings, k) == v}
        if kept:  # still the run's own value: the file keeps what it had
            to_save = dataclasses.replace(self.settings, **kept)  # type: ignore[arg-type]
        try:
            to_save.save()
        except OSError as exc:
            log.warning("settings not saved: %s", exc)

    def open_evaluate(self) -> EvaluateDialog:
        """The Evaluate page (from the model manager), a window of its own: an evaluation keeps running after
        the model manager closes."""
        current = self._dialogs.get("evaluate")
        if isinstance(current, EvaluateDialog) and current.isVisible():
            current.raise_()
            return current
        page = EvaluateDialog(self.settings, self)
        page.show()
        self._dialogs["evaluate"] = page
        return page

    def _unexpected(self, text: str) -> None:
        self.chat.error_banner.show_error(
            self.tr("Unexpected error"), text,
            self.tr("The app keeps running. The details are in the log file (Help → Open log folder)."))

    # ---- shutdown --------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the reply, stop serving, stop the worker thread, close the model. Idempotent."""
        if self._closed:
            return
        self._closed = True
        try:
            reporter().unexpected.disconnect(self._unexpected)
        except (RuntimeError, TypeError):
            pass
        self.chat.timer.stop()
        self.unload_model()
        for dlg in self._dialogs.values():
            dlg.close()
        for feature in (self.models, self.help, self.conversations):
            feature.close()  # the conversations last: deleted ones leave the database
        self._save_settings()
        if self._owns_history:
            self.history.close()

    def closeEvent(self, e: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(e)


