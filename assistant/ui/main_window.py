"""The main window: conversations on the left, the chat on the right, model and context in the status bar.

It composes the features (``chat/``, ``conversations/``, ``models/``, ``evaluate/``, ``settings/``) and routes
between them: it owns the settings, the history and which conversation is open; the chat session (the loaded
model and its turns) reports to it, and it passes that on to the status bar, the sidebar and the local API
server. The data flow: README, "Architecture".
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QSplitter,
    QWidget,
)

from assistant.core.chat.history import History
from assistant.core.chat.turn import ContextReport
from assistant.core.errors import AssistantError
from assistant.core.settings import Settings

from .chat.session import ChatSession
from .chat.view import ChatView
from .common.errors import reporter
from .common.i18n import Translations, resolve_language
from .common.theme import apply_theme
from .conversations.actions import ConversationActions
from .conversations.sidebar import Sidebar
from .demo_note import install_demo_note
from .documents.panel import DocumentsPanel
from .documents.viewer import SourceViewer
from .evaluate.page import EvaluateDialog
from .help_menu import HelpActions
from .models.actions import ModelActions
from .render.markdown_html import warm_up
from .settings.dialog import SettingsDialog, needs_reload
from .settings.serving import ServingController
from .status_panel import StatusPanel
from .worker.documents import shared_embedder
from .worker.events import LoadedModel, ReplySummary

log = logging.getLogger(__name__)


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
        self.conversation_id: int | None = None
        self.context: ContextReport | None = None
        self._closed = False
        self._dialogs: dict[str, QWidget] = {}
        self.documents: DocumentsPanel | None = None  # made when first opened; kept (indexing goes on when hidden)
        self.serving = ServingController(lambda: self.session.worker.backend if self.session.worker else None, self)

        self.sidebar = Sidebar(self.history)
        self.conversations = ConversationActions(self.history, self.sidebar, self, self)
        self.chat = ChatView(self.settings.theme, self.settings.show_reasoning)
        self.session = ChatSession(self.settings, self.history, self.chat, self, self)
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
        self._context_before: ContextReport | None = None  # while a reply is written: the context it started from
        self._build_menus()
        self.sidebar.conversation_selected.connect(self.open_conversation)
        self.sidebar.new_requested.connect(self.new_conversation)
        self.sidebar.search_left.connect(lambda: self.chat.input.setFocus())
        self.conversations.renamed.connect(lambda _cid: self._update_title())
        self.conversations.failed.connect(self.chat.show_error)
        self.models.model_chosen.connect(self.switch_model)
        self.models.evaluate_requested.connect(self.open_evaluate)
        self.session.documents_choice.manage_requested.connect(self.open_documents)
        self.chat.source_requested.connect(self.open_source)
        self.session.loaded.connect(self._on_loaded)
        self.session.load_failed.connect(self._on_load_failed)
        self.session.load_progress.connect(self._on_progress)
        self.session.reply_begun.connect(self._on_reply_begun)
        self.session.reply_progress.connect(self._on_reply_progress)
        self.session.reply_done.connect(self._on_reply_done)
        self.session.context_measured.connect(self._on_context)
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
        self._action(self.file_menu, "documents", self.open_documents, "Ctrl+Shift+D")
        self.file_menu.addSeparator()
        self._action(self.file_menu, "quit", self.close, QKeySequence.StandardKey.Quit)
        self.edit_menu = mb.addMenu("")
        self._action(self.edit_menu, "search", self.sidebar.focus_search, QKeySequence.StandardKey.Find)
        self._action(self.edit_menu, "stop", self.stop_generation, Qt.Key.Key_Escape)
        self._action(self.edit_menu, "regenerate", self.session.regenerate, "Ctrl+R")
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
            "diagnostics": self.tr("Diagnostics…"), "documents": self.tr("Documents…"),
        }
        for key, text in texts.items():
            a[key].setText(text)
        self.sidebar.retranslate()
        self.chat.retranslate()
        self.session.adapter_choice.retranslate()
        self.session.documents_choice.retranslate()
        self.session.thinking_choice.retranslate()
        if self.documents is not None:
            self.documents.retranslate()
        self._update_title()
        self._update_status()

    def changeEvent(self, e: QEvent) -> None:
        # The one place that re-translates: the window passes it on to its parts.
        if e.type() == QEvent.Type.LanguageChange and not self._closed:
            self.retranslate()
        super().changeEvent(e)

    # ---- model (the chat session loads it; the status bar and the local server follow) -------------------
    def load_model(self) -> None:
        """Load the model in the chat session's worker thread (the window is already on screen)."""
        if not self._closed:
            self.session.load_model()

    def unload_model(self) -> None:
        """Serving stops first (it shares the backend), then the worker: stop → quit → wait → close."""
        self.serving.stop()
        self.session.unload_model()

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
        self.status.clear_progress()
        self._update_status()
        if self.settings.serve_enabled:
            self.serving.start(self.settings)
        self.model_loaded.emit(info)

    def _on_load_failed(self, exc: AssistantError) -> None:
        self.status.clear_progress()
        self._update_status()
        self.model_failed.emit(exc)

    def _on_progress(self, message: str, fraction: object) -> None:
        self.status.set_progress(message, fraction)
        self._update_status()

    # ---- status bar ------------------------------------------------------------------------------
    def _update_status(self) -> None:
        info = self.session.model_info
        if info is not None:
            self.status.set_model(info.name, info.backend)
        elif self.session.worker is not None:
            self.status.set_model("", self.settings.backend, loading=True)
        else:
            self.status.set_model("", "")
        self.status.speed = self.session.last_speed
        self.status.set_serving(self.serving.url)

    def _on_reply_begun(self) -> None:
        self._context_before = self.status.context
        self.status.set_speed(0.0)  # not the previous reply's figure

    def _on_reply_progress(self, pieces: int, speed: float | None) -> None:
        """Tokens/s and context while the reply is written (each streamed piece is about one token)."""
        if speed is not None:
            self.status.speed = speed
        before = self._context_before
        if before is not None:
            self.status.context = dataclasses.replace(before, prompt_tokens=before.prompt_tokens + pieces)
        self.status.refresh()

    def _on_reply_done(self, summary: ReplySummary) -> None:
        self._update_status()
        self.sidebar.refresh()
        self.reply_done.emit(summary)

    def _on_context(self, report: ContextReport) -> None:
        self.context = report
        self.status.set_context(report)
        self.context_updated.emit(report)

    # ---- conversations ---------------------------------------------------------------------------
    def _update_title(self) -> None:
        conv = self.history.get_conversation(self.conversation_id) if self.conversation_id else None
        title = (conv.title if conv else "") or self.tr("New conversation")
        self.setWindowTitle(f"{title} — Assistant")

    def stop_generation(self) -> bool:
        """Stop the reply being written (Esc; and before the open conversation is deleted)."""
        return self.session.stop_generation()

    def new_conversation(self) -> None:
        self.session.stop_generation()
        self.conversation_id = None  # created with its first message (conversation_created)
        self.session.show(None)
        self.sidebar.set_current(None)
        self._remember_conversation(None)
        self._update_title()
        self.chat.input.setFocus()

    def conversation_created(self, conversation_id: int) -> None:
        """The chat session made the conversation for its first message: it is the open one now."""
        self.conversation_id = conversation_id
        self._remember_conversation(conversation_id)
        self.sidebar.set_current(conversation_id)
        self._update_title()

    def open_conversation(self, conversation_id: int, message_id: int = 0) -> None:
        conv = self.history.get_conversation(conversation_id)
        if conv is None or conv.deleted_at is not None:
            return
        if conversation_id != self.conversation_id or not self.chat.busy:
            self.session.stop_generation()
            self.conversation_id = conversation_id
            if message_id:  # a search hit: the branch it was found on is shown (and remembered)
                self.history.show(message_id)
            self.session.show(conv)
            self._remember_conversation(conversation_id)
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

    # ---- settings and other dialogs --------------------------------------------------------------
    @property
    def ui_language(self) -> str:
        return self.translations.language if self.translations else resolve_language(self.settings.language)

    def open_settings(self) -> SettingsDialog:
        dlg = SettingsDialog(self.settings, self, self.ui_language, loaded=self.session.model_info)
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
            self.session.settings = new
            self.reload_model()
        else:
            self.session.set_settings(new)
        self.models.set_settings(new)
        if self.session.model_info is not None or not new.serve_enabled:  # else it starts when the model has loaded
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

    def open_documents(self) -> DocumentsPanel:
        """The Documents panel (File → Documents…, or the Documents button's menu), a window of its own."""
        if self.documents is None:
            self.documents = DocumentsPanel(shared_embedder(), self)
            self.documents.use_requested.connect(self._use_collection)
            self.documents.collections_changed.connect(self.session.documents_choice.retranslate)
        self.documents.show()
        self.documents.raise_()
        return self.documents

    def _use_collection(self, name: str) -> None:
        """The panel's "Use in this conversation": the open conversation answers from ``name`` too."""
        choice = self.session.documents_choice
        if name and name not in choice.chosen:
            choice.set([*choice.chosen, name])
        self.chat.input.setFocus()

    def open_source(self, source: dict[str, Any]) -> SourceViewer:
        """A reply's source chip: the viewer at its passage, highlighted (one viewer at a time)."""
        old = self._dialogs.get("viewer")
        if old is not None:
            old.close()
        viewer = SourceViewer(source, self.settings.theme, self)
        viewer.show()
        self._dialogs["viewer"] = viewer
        return viewer

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
        self.serving.stop()
        self.session.close()
        if self.documents is not None:
            self.documents.shutdown()
            self.documents.close()
        shared_embedder().close()  # after the chat worker and the indexing job, its two users, have stopped
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


