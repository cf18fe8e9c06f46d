"""Settings: sampling, reasoning practices, model and backend, appearance, local API serving, downloads."""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSlider,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from assistant.core.backends.vllm_server import vllm_check
from assistant.core.chat.prompting import PRESETS
from assistant.core.chat.reasoning import AUTO_BUDGET
from assistant.core.errors import ConfigError
from assistant.core.settings import TEMPERATURE_RANGE, Settings
from assistant.server import check_bind, is_loopback
from assistant.ui.common.i18n import LANGUAGES
from assistant.ui.common.widgets import guard_wheel

log = logging.getLogger(__name__)

BACKENDS = ("llama.cpp", "vllm", "openai")
BUDGET_STEP, BUDGET_STEPS = 256, 32  # the thinking budget's slider: 256 to 8,192 tokens


def vllm_status(python: str = "") -> tuple[bool, str]:
    """Whether the vLLM backend can be offered here, and a sentence in the UI's language saying why (not)."""
    translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")
    try:
        kind, detail = vllm_check(python or None)
    except Exception as exc:  # a broken optional install must not break the settings dialog
        log.exception("vllm_check() failed")
        return False, str(exc)
    reasons = {
        "no_gpu": translate("SettingsDialog", "vLLM needs an NVIDIA GPU; none was found (nvidia-smi is missing or "
                                       "reports no GPU)."),
        "old_gpu": translate("SettingsDialog", "%1 is older than vLLM supports (compute capability 7.0 or newer)."),
        "not_installed": translate("SettingsDialog", "vLLM is not installed for %1. On a CUDA machine: pip install "
                                              "'assistant[vllm]' (or set the vLLM Python in settings)."),
        "ok": translate("SettingsDialog", "vLLM can run on %1."),
    }
    return kind == "ok", reasons.get(kind, kind).replace("%1", detail)


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

        # ---- sampling
        page = QWidget()
        form = QFormLayout(page)
        s = settings.sampling
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(*TEMPERATURE_RANGE)
        self.temperature.setSingleStep(0.05)
        self.temperature.setValue(s.temperature)
        form.addRow(self.tr("Temperature"), self.temperature)
        self.top_p = QDoubleSpinBox()
        self.top_p.setRange(0.01, 1.0)
        self.top_p.setSingleStep(0.05)
        self.top_p.setValue(s.top_p)
        form.addRow(self.tr("Top p"), self.top_p)
        self.max_tokens = QSpinBox()
        self.max_tokens.setRange(0, 131072)
        self.max_tokens.setSpecialValueText(self.tr("By model"))  # 0
        self.max_tokens.setToolTip(self.tr("By model: 4,096 tokens for a reasoning model, 1,024 for a chat model."))
        self.max_tokens.setValue(s.max_tokens)
        form.addRow(self.tr("Max tokens per reply"), self.max_tokens)
        self._reasoning_rows(form, settings)
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
        self.early_vote = QCheckBox(self.tr("Stop the other samples once the vote is decided"))
        self.early_vote.setToolTip(self.tr("Samples are written together; when 3 of 5 agree, the rest cannot "
                                           "change the answer."))
        self.early_vote.setChecked(settings.early_vote)
        form.addRow(self.early_vote)
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
        tabs.addTab(_scrolled(page), self.tr("Model"))

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
        tabs.addTab(_scrolled(page), self.tr("Serving"))

        # ---- downloads
        page = QWidget()
        form = QFormLayout(page)
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
        tabs.addTab(page, self.tr("Downloads"))
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

    def _reasoning_rows(self, form: QFormLayout, settings: Settings) -> None:
        """The thinking budget (auto, no limit, or a number of tokens on a slider), the answer's reserve,
        what a loop in the reasoning gets, and replies forced to start with their reasoning."""
        self.budget_mode = QComboBox()
        for value, label in (("auto", self.tr("Auto")), ("none", self.tr("No limit")), ("custom", self.tr("Custom"))):
            self.budget_mode.addItem(label, value)
        self.budget_mode.setAccessibleName(self.tr("Thinking budget"))
        self.budget_mode.setToolTip(self.tr("Auto: %1 tokens of reasoning for maths, %2 for other questions "
                                            "(reasoning models).").replace("%1", f"{AUTO_BUDGET['maths']:,}")
                                    .replace("%2", f"{AUTO_BUDGET['general']:,}"))
        # A custom budget the slider cannot show (set elsewhere, e.g. 100) is kept unless the slider moves.
        self.budget_tokens = settings.thinking_budget if settings.thinking_budget > 0 else AUTO_BUDGET["general"]
        self.budget_slider = QSlider(Qt.Orientation.Horizontal)
        self.budget_slider.setRange(1, BUDGET_STEPS)
        self.budget_slider.setPageStep(4)
        self.budget_slider.setValue(min(BUDGET_STEPS, max(1, round(self.budget_tokens / BUDGET_STEP))))
        self.budget_slider.setAccessibleName(self.tr("Thinking budget (tokens)"))
        self.budget_label = QLabel()
        self.budget_label.setMinimumWidth(self.budget_label.fontMetrics().horizontalAdvance("8,192 tokens__"))
        self.budget_slider.valueChanged.connect(self._budget_moved)
        row = QWidget()
        h = QHBoxLayout(row)
        h.setContentsMargins(0, 0, 0, 0)
        h.addWidget(self.budget_mode)
        h.addWidget(self.budget_slider, 1)
        h.addWidget(self.budget_label)
        form.addRow(self.tr("Thinking budget"), row)
        mode = "auto" if settings.thinking_budget < 0 else ("none" if settings.thinking_budget == 0 else "custom")
        self.budget_mode.setCurrentIndex(self.budget_mode.findData(mode))
        self.budget_mode.currentIndexChanged.connect(self._budget_mode_changed)
        self._budget_mode_changed()
        self.answer_reserve = QSpinBox()
        self.answer_reserve.setRange(0, 32768)
        self.answer_reserve.setSingleStep(128)
        self.answer_reserve.setValue(settings.answer_reserve)
        self.answer_reserve.setToolTip(self.tr("Tokens the answer always keeps: the reasoning is closed before it "
                                               "uses them."))
        form.addRow(self.tr("Answer reserve (tokens)"), self.answer_reserve)
        self.loop_action = QComboBox()
        for value, label in (("answer", self.tr("Close it and answer")),
                             ("resample", self.tr("Resample from before the loop")), ("off", self.tr("Do nothing"))):
            self.loop_action.addItem(label, value)
        self.loop_action.setCurrentIndex(max(0, self.loop_action.findData(settings.loop_action)))
        form.addRow(self.tr("When the reasoning loops"), self.loop_action)
        self.force_thinking = QCheckBox(self.tr("Always start replies with reasoning (<think>)"))
        self.force_thinking.setToolTip(self.tr("For models that skip their reasoning; R1 models start with it "
                                               "anyway."))
        self.force_thinking.setChecked(settings.force_thinking)
        form.addRow(self.force_thinking)

    def _budget_moved(self, steps: int) -> None:
        self.budget_tokens = steps * BUDGET_STEP
        self._budget_mode_changed()

    def _budget_mode_changed(self, *_: object) -> None:
        custom = self.budget_mode.currentData() == "custom"
        self.budget_slider.setEnabled(custom)
        self.budget_label.setText(self.tr("%1 tokens").replace("%1", f"{self.budget_tokens:,}") if custom else "")

    def thinking_budget(self) -> int:
        """-1 auto, 0 no limit, else the tokens chosen."""
        return {"auto": -1, "none": 0}.get(self.budget_mode.currentData(), self.budget_tokens)

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

    def settings(self) -> Settings:
        """The settings as edited (not validated)."""
        o = self.original
        sampling = dataclasses.replace(o.sampling, temperature=round(self.temperature.value(), 3),
                                       top_p=round(self.top_p.value(), 3), max_tokens=self.max_tokens.value())
        origins = [x.strip() for x in self.serve_cors.text().replace(" ", ",").split(",") if x.strip()]
        return dataclasses.replace(
            o, sampling=sampling, maths_mode=self.maths_mode.currentData(), samples=self.samples.value(),
            preset=self.preset.currentData(), context_policy=self.context_policy.currentData(),
            thinking_budget=self.thinking_budget(), answer_reserve=self.answer_reserve.value(),
            loop_action=self.loop_action.currentData(), force_thinking=self.force_thinking.isChecked(),
            early_vote=self.early_vote.isChecked(),
            show_reasoning=self.show_reasoning.isChecked(), backend=self.backend.currentData(),
            server_url=self.server_url.text().strip(), server_api_key=self.server_api_key.text(),
            server_model=self.server_model.text().strip(),
            n_ctx=self.n_ctx.value(), n_threads=self.threads.value(), n_gpu_layers=self.gpu_layers.value(),
            vllm_gpu_memory_utilization=round(self.vllm_memory.value(), 3),
            vllm_max_model_len=self.vllm_max_len.value(), vllm_python=self.vllm_python.text().strip(),
            language=self.language.currentData(), theme=self.theme.currentData(),
            serve_enabled=self.serve_enabled.isChecked(), serve_host=self.serve_host.text().strip() or "127.0.0.1",
            serve_port=self.serve_port.value(), serve_api_key=self.serve_api_key.text().strip(),
            serve_cors_origins=origins, serve_max_tokens=self.serve_max_tokens.value(),
            serve_max_queue=self.serve_max_queue.value(), serve_load_on_request=self.serve_load_on_request.isChecked(),
            hf_endpoint=self.hf_endpoint.text().strip().rstrip("/"), hf_token=self.hf_token.text().strip(),
        )

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


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


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


__all__ = ["SettingsDialog", "needs_reload", "vllm_status"]
