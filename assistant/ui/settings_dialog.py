"""Settings: sampling, model and backend, reasoning practices, appearance, local API serving."""

from __future__ import annotations

import dataclasses
import logging

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.core.errors import ConfigError
from assistant.core.prompting import PRESETS
from assistant.core.settings import Settings

from .i18n import LANGUAGES

log = logging.getLogger(__name__)

BACKENDS = ("llama.cpp", "vllm", "openai")


def vllm_status() -> tuple[bool, str]:
    """Whether the vLLM backend can be offered here, and why not."""
    try:
        from assistant.core.backends.vllm_server import vllm_available  # type: ignore[import-not-found]
    except ImportError:
        return False, "not available in this build"
    try:
        ok, reason = vllm_available()
    except Exception as exc:  # a broken optional install must not break the settings dialog
        log.exception("vllm_available() failed")
        return False, str(exc)
    return bool(ok), str(reason)


def server_available() -> bool:
    try:
        from assistant.server import LocalServer  # type: ignore[import-not-found]  # noqa: F401
    except ImportError:
        return False
    return True


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, ui_language: str = "en") -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.original = settings
        self.ui_language = ui_language
        lay = QVBoxLayout(self)
        tabs = QTabWidget()
        lay.addWidget(tabs)

        # ---- sampling
        page = QWidget()
        form = QFormLayout(page)
        s = settings.sampling
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 2.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setValue(s.temperature)
        form.addRow(self.tr("Temperature"), self.temperature)
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.01, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(s.top_p)
        form.addRow(self.tr("Top p"), self.top_p)
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(1, 131072)
        self.max_tokens.setValue(s.max_tokens)
        form.addRow(self.tr("Max tokens per reply"), self.max_tokens)
        hint = QLabel(self.tr("Reasoning models work best at temperature 0.5–0.7 (0.6) and top p 0.95."))
        hint.setWordWrap(True)
        form.addRow(hint)
        tabs.addTab(page, self.tr("Sampling"))

        # ---- reasoning practices
        page = QWidget()
        form = QFormLayout(page)
        self.maths_mode = QComboBox()
        for value, label in (("auto", self.tr("Automatic (maths questions)")), ("on", self.tr("Always")),
                             ("off", self.tr("Never"))):
            self.maths_mode.addItem(label, value)
        self.maths_mode.setCurrentIndex(max(0, self.maths_mode.findData(settings.maths_mode)))
        form.addRow(self.tr("Maths mode (step by step, \\boxed{} answer)"), self.maths_mode)
        self.samples = QSpinBox()
        self.samples.setRange(1, 16)
        self.samples.setValue(settings.samples)
        form.addRow(self.tr("Samples per question (majority vote)"), self.samples)
        self.preset = QComboBox()
        self.preset.addItem(self.tr("None"), "")
        lang = "zh" if ui_language.startswith("zh") else "en"
        for pid, preset in PRESETS.items():
            self.preset.addItem(preset.name.get(lang, pid), pid)
        self.preset.setCurrentIndex(max(0, self.preset.findData(settings.preset)))
        form.addRow(self.tr("Role preset"), self.preset)
        self.context_policy = QComboBox()
        self.context_policy.addItem(self.tr("Leave out the oldest messages"), "drop_oldest")
        self.context_policy.addItem(self.tr("Refuse and tell me"), "error")
        self.context_policy.setCurrentIndex(max(0, self.context_policy.findData(settings.context_policy)))
        form.addRow(self.tr("When the conversation no longer fits"), self.context_policy)
        self.show_reasoning = QCheckBox(self.tr("Show the reasoning while it is written"))
        self.show_reasoning.setChecked(settings.show_reasoning)
        form.addRow(self.show_reasoning)
        tabs.addTab(page, self.tr("Reasoning"))

        # ---- model and backend
        page = QWidget()
        form = QFormLayout(page)
        self.backend = QComboBox()
        names = {"llama.cpp": self.tr("llama.cpp (built in)"), "vllm": self.tr("vLLM (NVIDIA GPU)"),
                 "openai": self.tr("OpenAI-compatible server")}
        for b in BACKENDS:
            self.backend.addItem(names[b], b)
        ok, reason = vllm_status()
        self.vllm_reason = reason
        model = self.backend.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(BACKENDS.index("vllm"))
            item.setEnabled(ok)
            item.setToolTip(reason)
        if not ok and settings.backend == "vllm":
            self.backend.setCurrentIndex(0)
        else:
            self.backend.setCurrentIndex(max(0, self.backend.findData(settings.backend)))
        form.addRow(self.tr("Backend"), self.backend)
        self.vllm_note = QLabel(self.tr("vLLM: %1").replace("%1", reason))
        self.vllm_note.setWordWrap(True)
        self.vllm_note.setObjectName("messageMeta")
        form.addRow(self.vllm_note)
        self.server_url = QLineEdit(settings.server_url)
        form.addRow(self.tr("Server URL"), self.server_url)
        self.server_api_key = QLineEdit(settings.server_api_key)
        self.server_api_key.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("API key (optional)"), self.server_api_key)
        self.n_ctx = QSpinBox()
        self.n_ctx.setRange(0, 262144)
        self.n_ctx.setSingleStep(1024)
        self.n_ctx.setSpecialValueText(self.tr("From the model"))
        self.n_ctx.setValue(settings.n_ctx)
        form.addRow(self.tr("Context size (tokens)"), self.n_ctx)
        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setSpecialValueText(self.tr("Automatic"))
        self.threads.setValue(settings.n_threads)
        form.addRow(self.tr("CPU threads"), self.threads)
        self.gpu_layers = QSpinBox()
        self.gpu_layers.setRange(-1, 999)
        self.gpu_layers.setSpecialValueText(self.tr("All"))
        self.gpu_layers.setValue(settings.n_gpu_layers)
        form.addRow(self.tr("GPU layers"), self.gpu_layers)
        self.backend.currentIndexChanged.connect(self._backend_changed)
        self._backend_changed()
        tabs.addTab(page, self.tr("Model"))

        # ---- appearance
        page = QWidget()
        form = QFormLayout(page)
        self.language = QComboBox()
        self.language.addItem(self.tr("System language"), "")
        for code, name in LANGUAGES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(settings.language)))
        form.addRow(self.tr("Language"), self.language)
        self.theme = QComboBox()
        self.theme.addItem(self.tr("Light"), "light")
        self.theme.addItem(self.tr("Dark"), "dark")
        self.theme.setCurrentIndex(max(0, self.theme.findData(settings.theme)))
        form.addRow(self.tr("Theme"), self.theme)
        tabs.addTab(page, self.tr("Appearance"))

        # ---- serving
        page = QWidget()
        form = QFormLayout(page)
        self.serve_enabled = QCheckBox(self.tr("Serve the loaded model to other programs (OpenAI API)"))
        self.serve_enabled.setChecked(settings.serve_enabled)
        form.addRow(self.serve_enabled)
        self.serve_port = QSpinBox()
        self.serve_port.setRange(1024, 65535)
        self.serve_port.setValue(settings.serve_port)
        form.addRow(self.tr("Port on 127.0.0.1"), self.serve_port)
        note = QLabel(self.tr("Only programs on this computer can connect (127.0.0.1)."))
        note.setWordWrap(True)
        form.addRow(note)
        if not server_available():
            self.serve_enabled.setEnabled(False)
            self.serve_enabled.setChecked(False)
            self.serve_port.setEnabled(False)
            note.setText(self.tr("Serving is not available in this build."))
        tabs.addTab(page, self.tr("Serving"))

        self.error = QLabel()
        self.error.setObjectName("contextFull")
        self.error.setWordWrap(True)
        self.error.hide()
        lay.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.result_settings: Settings | None = None

    def _backend_changed(self, *_: object) -> None:
        server = self.backend.currentData() == "openai"
        self.server_url.setEnabled(server)
        self.server_api_key.setEnabled(server)
        local = self.backend.currentData() == "llama.cpp"
        for w in (self.threads, self.gpu_layers):
            w.setEnabled(local)

    def settings(self) -> Settings:
        """The settings as edited (not validated)."""
        o = self.original
        sampling = dataclasses.replace(o.sampling, temperature=round(self.temperature.value(), 3),
                                       top_p=round(self.top_p.value(), 3), max_tokens=self.max_tokens.value())
        return dataclasses.replace(
            o, sampling=sampling, maths_mode=self.maths_mode.currentData(), samples=self.samples.value(),
            preset=self.preset.currentData(), context_policy=self.context_policy.currentData(),
            show_reasoning=self.show_reasoning.isChecked(), backend=self.backend.currentData(),
            server_url=self.server_url.text().strip(), server_api_key=self.server_api_key.text(),
            n_ctx=self.n_ctx.value(), n_threads=self.threads.value(), n_gpu_layers=self.gpu_layers.value(),
            language=self.language.currentData(), theme=self.theme.currentData(),
            serve_enabled=self.serve_enabled.isChecked(), serve_port=self.serve_port.value(),
        )

    def accept(self) -> None:
        s = self.settings()
        try:
            s.validate()
            if s.backend == "openai" and not s.server_url.startswith(("http://", "https://")):
                raise ConfigError("The server URL must start with http:// or https://.")
        except ConfigError as exc:
            self.error.setText(exc.user_text())
            self.error.show()
            return
        self.result_settings = s
        super().accept()


def needs_reload(old: Settings, new: Settings) -> bool:
    """Whether the model must be loaded again for the new settings to take effect."""
    keys = ("backend", "server_url", "server_api_key", "n_ctx", "n_threads", "n_gpu_layers", "model")
    return any(getattr(old, k) != getattr(new, k) for k in keys)


__all__ = ["SettingsDialog", "needs_reload", "server_available", "vllm_status"]
