"""The settings pages about the app itself: Appearance (language, theme), Serving (the local OpenAI-compatible
API: address, port, key, browser origins, limits) and Downloads (the Hugging Face address and token)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from assistant.core.settings import Settings
from assistant.server import is_loopback
from assistant.ui.common.i18n import LANGUAGES


class AppearancePage(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
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

    def values(self) -> dict[str, Any]:
        return {"language": self.language.currentData(), "theme": self.theme.currentData()}


class ServingPage(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.serve_enabled = QCheckBox(self.tr("Serve the loaded model to other programs (OpenAI API)"))
        self.serve_enabled.setChecked(settings.serve_enabled)
        form.addRow(self.serve_enabled)
        self.serve_host = QLineEdit(settings.serve_host)
        self.serve_host.setPlaceholderText("127.0.0.1")
        form.addRow(self.tr("Address"), self.serve_host)
        self.serve_port = QSpinBox()
        self.serve_port.setRange(0, 65535)
        self.serve_port.setSpecialValueText(self.tr("Any free port"))
        self.serve_port.setValue(settings.serve_port)
        form.addRow(self.tr("Port"), self.serve_port)
        self.serve_api_key = QLineEdit(settings.serve_api_key)
        self.serve_api_key.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("API key clients must send"), self.serve_api_key)
        self.serve_note = QLabel()
        self.serve_note.setWordWrap(True)
        form.addRow(self.serve_note)
        self.serve_cors = QLineEdit(", ".join(settings.serve_cors_origins))
        self.serve_cors.setPlaceholderText(self.tr("None (browsers cannot call it)"))
        form.addRow(self.tr("Browser origins allowed (CORS)"), self.serve_cors)
        self.serve_max_tokens = QSpinBox()
        self.serve_max_tokens.setRange(1, 131072)
        self.serve_max_tokens.setValue(settings.serve_max_tokens)
        form.addRow(self.tr("Largest reply a request may ask for (tokens)"), self.serve_max_tokens)
        self.serve_max_queue = QSpinBox()
        self.serve_max_queue.setRange(0, 256)
        self.serve_max_queue.setValue(settings.serve_max_queue)
        form.addRow(self.tr("Requests that may wait in line"), self.serve_max_queue)
        self.serve_load_on_request = QCheckBox(self.tr("assistant serve: load another model on this computer "
                                                       "when a request names it"))
        self.serve_load_on_request.setToolTip(self.tr(
            "One model at a time, as Ollama does. The app's own server always answers with the model loaded "
            "in this window."))
        self.serve_load_on_request.setChecked(settings.serve_load_on_request)
        form.addRow(self.serve_load_on_request)
        self.serve_host.textChanged.connect(self._serve_host_changed)
        self.serve_api_key.textChanged.connect(self._serve_host_changed)
        self._serve_host_changed()

    def _serve_host_changed(self, *_: object) -> None:
        host = self.serve_host.text().strip() or "127.0.0.1"
        if is_loopback(host):
            self.serve_note.setStyleSheet("")
            self.serve_note.setText(self.tr("Only programs on this computer can connect (127.0.0.1)."))
        else:
            self.serve_note.setStyleSheet("color: #b00020;")
            self.serve_note.setText(self.tr(
                "Another address than 127.0.0.1 lets other computers use the model: an API key is then "
                "required, and serving is refused without one."))

    def values(self) -> dict[str, Any]:
        origins = [x.strip() for x in self.serve_cors.text().replace(" ", ",").split(",") if x.strip()]
        return {"serve_enabled": self.serve_enabled.isChecked(),
                "serve_host": self.serve_host.text().strip() or "127.0.0.1", "serve_port": self.serve_port.value(),
                "serve_api_key": self.serve_api_key.text().strip(), "serve_cors_origins": origins,
                "serve_max_tokens": self.serve_max_tokens.value(), "serve_max_queue": self.serve_max_queue.value(),
                "serve_load_on_request": self.serve_load_on_request.isChecked()}


class DownloadsPage(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.hf_endpoint = QLineEdit(settings.hf_endpoint)
        self.hf_endpoint.setPlaceholderText("https://huggingface.co")
        form.addRow(self.tr("Hugging Face address"), self.hf_endpoint)
        note = QLabel(self.tr("Leave empty for huggingface.co. Where it is slow or blocked (for example in "
                              "mainland China), a mirror such as https://hf-mirror.com works."))
        note.setWordWrap(True)
        note.setObjectName("messageMeta")
        form.addRow(note)
        self.hf_token = QLineEdit(settings.hf_token)
        self.hf_token.setEchoMode(QLineEdit.EchoMode.Password)
        self.hf_token.setPlaceholderText(self.tr("Only for gated or private models"))
        form.addRow(self.tr("Hugging Face token"), self.hf_token)
        note = QLabel(self.tr("Nothing is downloaded unless you start a download in the model manager."))
        note.setWordWrap(True)
        note.setObjectName("messageMeta")
        form.addRow(note)

    def values(self) -> dict[str, Any]:
        return {"hf_endpoint": self.hf_endpoint.text().strip().rstrip("/"), "hf_token": self.hf_token.text().strip()}
