"""Settings: one page per tab — Sampling and Reasoning (reply_pages.py), Model (model_page.py), Appearance,
Serving and Downloads (app_pages.py). The dialog puts them together, checks the result and hands it back."""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.core.errors import ConfigError
from assistant.core.settings import Settings
from assistant.server import check_bind
from assistant.ui.common.widgets import guard_wheel

from .app_pages import AppearancePage, DownloadsPage, ServingPage
from .model_page import ModelPage
from .reply_pages import ReasoningPage, SamplingPage


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None, ui_language: str = "en",
                 loaded: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self.original = settings
        self.ui_language = ui_language
        lay = QVBoxLayout(self)
        tabs = QTabWidget()
        lay.addWidget(tabs)
        self.sampling = SamplingPage(settings)
        self.reasoning = ReasoningPage(settings, ui_language)
        self.model = ModelPage(settings, loaded)
        self.appearance = AppearancePage(settings)
        self.serving = ServingPage(settings)
        self.downloads = DownloadsPage(settings)
        tabs.addTab(self.sampling, self.tr("Sampling"))
        tabs.addTab(self.reasoning, self.tr("Reasoning"))
        tabs.addTab(_scrolled(self.model), self.tr("Model"))
        tabs.addTab(self.appearance, self.tr("Appearance"))
        tabs.addTab(_scrolled(self.serving), self.tr("Serving"))
        tabs.addTab(self.downloads, self.tr("Downloads"))
        guard_wheel(self)

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

    def settings(self) -> Settings:
        """The settings as edited (not validated)."""
        values: dict[str, Any] = {}
        for page in (self.sampling, self.reasoning, self.model, self.appearance, self.serving, self.downloads):
            values.update(page.values())
        return dataclasses.replace(self.original, **values)

    def accept(self) -> None:
        s = self.settings()
        try:
            s.validate()
            if s.backend == "openai" and not s.server_url.startswith(("http://", "https://")):
                raise ConfigError("The server URL must start with http:// or https://.")
            if s.hf_endpoint and not s.hf_endpoint.startswith(("http://", "https://")):
                raise ConfigError("The Hugging Face address must start with http:// or https://.",
                                  hint="For example https://hf-mirror.com, or leave it empty for huggingface.co.")
            if s.serve_enabled:
                check_bind(s.serve_host, s.serve_api_key or None)  # the server itself refuses the same
        except ConfigError as exc:
            self.error.setText(exc.user_text())
            self.error.show()
            return
        self.result_settings = s
        super().accept()


def _scrolled(page: QWidget) -> QScrollArea:
    """Long pages scroll rather than make the dialog taller than a small screen; where the screen has room,
    the dialog opens tall enough to show the whole page (no row cut in half)."""
    from PySide6.QtGui import QGuiApplication

    area = QScrollArea()
    area.setWidget(page)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    want = max(page.sizeHint().height(), page.minimumSizeHint().height()) + 8
    screen = QGuiApplication.primaryScreen()
    room = int(screen.availableGeometry().height() * 0.7) if screen is not None else 600
    area.setMinimumHeight(min(want, room))
    return area


def needs_reload(old: Settings, new: Settings) -> bool:
    """Whether the model must be loaded again for the new settings to take effect."""
    keys = ["backend", "n_ctx", "model"]
    if new.backend == "llama.cpp":
        keys += ["n_threads", "n_gpu_layers"]
    elif new.backend == "openai":
        keys += ["server_url", "server_api_key", "server_model", "server_timeout_s"]
    else:  # vLLM: the server is started again with the new flags
        keys += ["vllm_gpu_memory_utilization", "vllm_max_model_len", "vllm_python", "vllm_device",
                 "vllm_reasoning_parser"]
    return any(getattr(old, k) != getattr(new, k) for k in keys)


__all__ = ["SettingsDialog", "needs_reload"]
