"""LoRA adapters in the window (issue 17). Each conversation has its own adapters, each with a scale, chosen
in a small dialog from the "Adapters" button beside the message box and stored with the conversation.
Switching them reloads nothing: llama.cpp applies adapters per reply on the loaded model (a vLLM server
serves each adapter under its own name). Every reply records the adapters that produced it, and its header
names them."""

from __future__ import annotations

import contextlib
import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core.chat.history_import import adapters_records
from assistant.core.chat.turn import TurnOptions
from assistant.core.errors import AdapterError, AssistantError
from assistant.ui.message.header import adapters_text
from assistant.ui.worker.events import Choice

if TYPE_CHECKING:
    from assistant.core.chat.history import Conversation, History
    from assistant.core.models.lora import LocalAdapter
    from assistant.core.settings import Settings


def available_adapters(model_path: str, backend: str) -> list[LocalAdapter]:
    """What the model can use: the library's adapters that fit its GGUF (llama.cpp) or its Hugging Face
    folder (vLLM serves those); for a remote server, those imported from a PEFT folder (it checks them)."""
    from assistant.core.models.lora import adapters_for_hf_model, adapters_for_model, list_adapters

    if model_path.endswith(".gguf") and Path(model_path).is_file():
        return adapters_for_model(model_path)
    if model_path and (Path(model_path) / "config.json").is_file():
        return adapters_for_hf_model(model_path)
    return [a for a in list_adapters() if a.peft_dir] if backend != "llama.cpp" else []


class AdaptersDialog(QDialog):
    """A check box and a scale for each adapter that fits the model; Import… adds one to the library."""

    def __init__(self, model_path: str, backend: str, chosen: Choice, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("LoRA adapters for this conversation"))
        self.model_path, self.backend = model_path, backend
        self._start = dict(chosen)
        self.rows: dict[str, tuple[QCheckBox, QDoubleSpinBox]] = {}
        lay = QVBoxLayout(self)
        self.intro = QLabel(self.tr("Adapters change how the model writes (a style, a field's knowledge). They "
                                    "apply to this conversation's next replies; the model is not reloaded."))
        self.intro.setWordWrap(True)
        lay.addWidget(self.intro)
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        lay.addWidget(self.grid_host)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setObjectName("messageMeta")
        lay.addWidget(self.note)
        self.import_button = QPushButton(self.tr("Import…"))
        self.import_button.setToolTip(self.tr("Add a PEFT adapter folder (adapter_config.json and "
                                              "adapter_model.safetensors) or a .gguf LoRA file"))
        self.import_button.clicked.connect(self._import)
        lay.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignLeft)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        """Rebuild the rows from the library, keeping what is ticked; a chosen adapter that no longer fits
        (removed, or another model) stays listed, ticked and marked, so nothing is dropped unseen."""
        keep = {name: (box.isChecked(), spin.value()) for name, (box, spin) in self.rows.items()} or \
            {n: (True, s) for n, s in self._start.items()}
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item is not None and item.widget() is not None:
                item.widget().deleteLater()  # type: ignore[union-attr]
        self.rows.clear()
        problem = ""
        try:
            found = available_adapters(self.model_path, self.backend)
        except AssistantError as exc:
            found, problem = [], exc.message
        names = [a.name for a in found] + [n for n in keep if n not in {a.name for a in found}]
        by_name = {a.name: a for a in found}
        for row, name in enumerate(names):
            a = by_name.get(name)
            box = QCheckBox(name)
            spin = QDoubleSpinBox()
            spin.setRange(-2.0, 2.0)
            spin.setSingleStep(0.1)
            spin.setDecimals(2)
            spin.setAccessibleName(self.tr("Scale of %1").replace("%1", name))
            ticked, scale = keep.get(name, (False, 1.0))
            box.setChecked(ticked)
            spin.setValue(scale)
            if a is None:
                box.setToolTip(self.tr("Not available for the loaded model (removed, or made for another model)."))
                box.setText(self.tr("%1 (not available)").replace("%1", name))
                spin.setEnabled(False)
            else:
                box.setToolTip(self.tr("rank %1 · made for %2").replace("%1", str(a.rank))
                               .replace("%2", a.base_model_name or a.base or "?"))
            self.grid.addWidget(box, row, 0)
            self.grid.addWidget(spin, row, 1)
            self.rows[name] = (box, spin)
        self.note.setText(problem or (self.tr("Scale 1 applies an adapter as trained; 0 turns it off.") if names else
                                      self.tr("No adapter fits the loaded model yet. Import one made for it "
                                              "(or with `assistant lora import PATH`).")))

    def chosen(self) -> Choice:
        return [(name, round(spin.value(), 2)) for name, (box, spin) in self.rows.items() if box.isChecked()]

    def _import(self) -> None:
        # One file dialog for both kinds: a PEFT folder is chosen by its adapter_config.json.
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Choose a PEFT adapter (its adapter_config.json) or a "
                                                            ".gguf LoRA"), str(Path.home()),
                                              self.tr("LoRA adapters (adapter_config.json *.gguf)"))
        if path:
            self.import_path(str(Path(path).parent) if Path(path).name == "adapter_config.json" else path)

    def import_path(self, path: str) -> bool:
        """Check and convert an adapter into the library (small files: seconds), then list it ticked."""
        from assistant.core.models.lora import import_adapter

        base = self.model_path if self.model_path.endswith(".gguf") else None
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            added = import_adapter(path, base=base)
        except AssistantError as exc:
            self.note.setText(exc.message + (f"\n{exc.hint}" if exc.hint else ""))
            return False
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.refresh()
        if added.name in self.rows:
            self.rows[added.name][0].setChecked(True)
        self.note.setText(self.tr("Imported %1.").replace("%1", added.name))
        return True


class AdapterWindow(Protocol):
    """What the adapter choice needs of the chat session."""

    history: History
    settings: Settings
    model_info: Any  # an events.LoadedModel (path, backend), or None before the model has loaded

    @property
    def conversation_id(self) -> int | None: ...


class AdapterChoice(QObject):
    """The current conversation's adapters, the button that shows and changes them, and the turn options
    and stored settings they become."""

    def __init__(self, window: AdapterWindow, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.window = window
        self.chosen: Choice = []
        self.button = QToolButton()
        self.button.setObjectName("adaptersButton")
        self.button.clicked.connect(self.choose)  # the window puts it beside the message box
        self.retranslate()

    def retranslate(self) -> None:
        text = adapters_text(self.chosen)
        self.button.setText(self.tr("LoRA: %1").replace("%1", text) if text else self.tr("Adapters"))
        self.button.setToolTip(self.tr("LoRA adapters for this conversation, each with a scale"))

    def load(self, conv: Conversation | None) -> None:
        """The adapters of the conversation now shown (none for a new one)."""
        self.chosen = conv.adapters if conv is not None else []
        self.retranslate()

    def set(self, chosen: Choice) -> None:
        """The user's choice: kept for the conversation (or for the one the next message creates)."""
        self.chosen = list(chosen)
        if self.window.conversation_id is not None:
            self.window.history.set_adapters(self.window.conversation_id, self.chosen)
        self.retranslate()

    def choose(self) -> bool:
        info, settings = self.window.model_info, self.window.settings
        path, backend = (info.path, info.backend) if info else ("", settings.backend)
        if settings.backend == "vllm":  # the folder vLLM serves (the backend knows only its URL)
            from assistant.core.backends.vllm_server import resolve_hf_model

            with contextlib.suppress(AssistantError, OSError):
                path = str(resolve_hf_model(settings.model).path)
        elif not path and backend == "llama.cpp":  # not loaded yet: the model it will load
            from assistant.core.models.catalog import resolve_model

            with contextlib.suppress(AssistantError, OSError):
                path = str(resolve_model(settings.model).path)
        parent = self.parent()
        dialog = AdaptersDialog(path, backend, self.chosen, parent if isinstance(parent, QWidget) else None)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.set(dialog.chosen())
        return True

    def options(self, options: TurnOptions, chosen: Choice | None = None) -> TurnOptions:
        """``options`` with the adapters applied (``chosen``: another set, e.g. the one a continued reply
        used). An adapter that is gone or does not fit the model raises AdapterError, said in the window."""
        from assistant.core.models.lora import resolve_adapters

        use = self.chosen if chosen is None else chosen
        if not use:
            return options
        info = self.window.model_info
        path = info.path if info is not None and info.path.endswith(".gguf") else None
        try:
            adapters = resolve_adapters(use, path)
        except AdapterError as exc:
            raise AdapterError(exc.message, hint=self.tr("Choose the conversation's adapters again with the "
                                                         "Adapters button beside the message box.")) from exc
        return dataclasses.replace(options, adapters=adapters)

    def used(self) -> list[dict[str, Any]]:
        """What a reply's settings record."""
        return adapters_records(self.chosen)
