"""The settings page Model: the backend (llama.cpp, vLLM where it can run, an OpenAI-compatible server), the
context size, CPU threads and GPU layers, and each backend's own fields; only the chosen backend's are enabled."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from assistant.core.backends.vllm_server import vllm_check
from assistant.core.settings import Settings

log = logging.getLogger(__name__)

BACKENDS = ("llama.cpp", "vllm", "openai")


def vllm_status(python: str = "") -> tuple[bool, str]:
    """Whether the vLLM backend can be offered here, and a sentence in the UI's language saying why (not)."""
    translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")
    try:
        kind, detail = vllm_check(python or None)
    except Exception as exc:  # a broken optional install must not break the settings dialog
        log.exception("vllm_check() failed")
        return False, str(exc)
    reasons = {
        "no_gpu": translate("ModelPage", "vLLM needs an NVIDIA GPU; none was found (nvidia-smi is missing or "
                                  "reports no GPU)."),
        "old_gpu": translate("ModelPage", "%1 is older than vLLM supports (compute capability 7.0 or newer)."),
        "not_installed": translate("ModelPage", "vLLM is not installed for %1. On a CUDA machine: pip install "
                                         "'assistant[vllm]' (or set the vLLM Python in settings)."),
        "ok": translate("ModelPage", "vLLM can run on %1."),
    }
    return kind == "ok", reasons.get(kind, kind).replace("%1", detail)


class ModelPage(QWidget):
    def __init__(self, settings: Settings, loaded: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        self.backend = QComboBox()
        names = {"llama.cpp": self.tr("llama.cpp (built in)"), "vllm": self.tr("vLLM (NVIDIA GPU)"),
                 "openai": self.tr("OpenAI-compatible server")}
        for b in BACKENDS:
            self.backend.addItem(names[b], b)
        form.addRow(self.tr("Backend"), self.backend)
        self.vllm_note = QLabel()
        self.vllm_note.setWordWrap(True)
        self.vllm_note.setObjectName("messageMeta")
        form.addRow(self.vllm_note)
        self._check_vllm(settings.vllm_python)
        if not self.vllm_ok and settings.backend == "vllm":
            self.backend.setCurrentIndex(0)
        else:
            self.backend.setCurrentIndex(max(0, self.backend.findData(settings.backend)))

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
        self.gpu_layers.setSpecialValueText(self.tr("Auto"))  # -1; 999 offloads every layer
        self.gpu_layers.setToolTip(self.tr("Auto: offload what fits in the GPU's free memory. 0: CPU only."))
        self.gpu_layers.setValue(settings.n_gpu_layers)
        form.addRow(self.tr("GPU layers"), self.gpu_layers)
        self.gpu_info = QLabel(self._gpu_text(loaded))
        self.gpu_info.setWordWrap(True)
        self.gpu_info.setObjectName("gpuInfo")
        form.addRow(self.tr("GPU"), self.gpu_info)

        form.addRow(_heading(self.tr("vLLM")))
        self.vllm_memory = QDoubleSpinBox()
        self.vllm_memory.setRange(0.05, 0.99)
        self.vllm_memory.setSingleStep(0.05)
        self.vllm_memory.setValue(settings.vllm_gpu_memory_utilization)
        form.addRow(self.tr("Share of GPU memory vLLM may use"), self.vllm_memory)
        self.vllm_max_len = QSpinBox()
        self.vllm_max_len.setRange(256, 1048576)
        self.vllm_max_len.setSingleStep(1024)
        self.vllm_max_len.setValue(settings.vllm_max_model_len)
        form.addRow(self.tr("Longest context for vLLM (tokens)"), self.vllm_max_len)
        self.vllm_python = QLineEdit(settings.vllm_python)
        self.vllm_python.setPlaceholderText(self.tr("This app's Python"))
        self.vllm_python.editingFinished.connect(lambda: self._check_vllm(self.vllm_python.text().strip()))
        form.addRow(self.tr("Python with vLLM installed"), self.vllm_python)

        form.addRow(_heading(self.tr("OpenAI-compatible server")))
        self.server_url = QLineEdit(settings.server_url)
        form.addRow(self.tr("Server URL"), self.server_url)
        self.server_api_key = QLineEdit(settings.server_api_key)
        self.server_api_key.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("API key (optional)"), self.server_api_key)
        self.server_model = QLineEdit(settings.server_model)
        self.server_model.setPlaceholderText(self.tr("The server's first model"))
        form.addRow(self.tr("Model name on the server"), self.server_model)
        self.backend.currentIndexChanged.connect(self._backend_changed)
        self._backend_changed()

    def _gpu_text(self, loaded: Any) -> str:
        """The GPUs llama.cpp can use here, and how the loaded model is split between GPU and CPU."""
        from assistant.core.runtime.hardware import detect
        from assistant.core.units import GiB

        hw = detect()
        if not hw.llama_gpu_offload:
            return self.tr("None in use: llama.cpp runs on the CPU (Help → Diagnostics says why).")
        lines = [self.tr("%1: %2 GiB free of %3 GiB").replace("%1", g.name)
                 .replace("%2", f"{g.memory_free / GiB:.1f}").replace("%3", f"{g.memory_total / GiB:.1f}")
                 for g in hw.gpus]
        if loaded is not None and int(getattr(loaded, "n_layers", 0)):
            on_gpu = min(loaded.n_gpu_layers, loaded.n_layers)
            lines.append(self.tr("%1: %2 of %3 layers on the GPU, the rest on the CPU").replace("%1", loaded.name)
                         .replace("%2", str(on_gpu)).replace("%3", str(loaded.n_layers)))
        return "\n".join(lines)

    def _check_vllm(self, python: str) -> None:
        """Offer vLLM only where it can run (with the reason as the tooltip either way)."""
        ok, reason = vllm_status(python)
        self.vllm_ok, self.vllm_reason = ok, reason
        model = self.backend.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(BACKENDS.index("vllm"))
            item.setEnabled(ok)
            item.setToolTip(reason)
        self.vllm_note.setText(self.tr("vLLM: %1").replace("%1", reason))
        if not ok and self.backend.currentData() == "vllm":
            self.backend.setCurrentIndex(0)

    def _backend_changed(self, *_: object) -> None:
        backend = self.backend.currentData()
        groups: dict[str, tuple[QWidget, ...]] = {
            "openai": (self.server_url, self.server_api_key, self.server_model),
            "llama.cpp": (self.threads, self.gpu_layers),
            "vllm": (self.vllm_memory, self.vllm_max_len),
        }
        for name, widgets in groups.items():
            for w in widgets:
                w.setEnabled(backend == name)

    def values(self) -> dict[str, Any]:
        return {"backend": self.backend.currentData(), "server_url": self.server_url.text().strip(),
                "server_api_key": self.server_api_key.text(), "server_model": self.server_model.text().strip(),
                "n_ctx": self.n_ctx.value(), "n_threads": self.threads.value(),
                "n_gpu_layers": self.gpu_layers.value(),
                "vllm_gpu_memory_utilization": round(self.vllm_memory.value(), 3),
                "vllm_max_model_len": self.vllm_max_len.value(), "vllm_python": self.vllm_python.text().strip()}


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label
