"""The conversion wizard: pick a Hugging Face folder and a quantization, see sizes, convert, cancel.

All work (reading the folder, converting, quantizing) runs in a worker object (convert_worker.py) on its own
QThread; the dialog talks to it only through queued signals, and cancel is a ``threading.Event`` the dialog sets
directly (a busy worker never runs a queued slot). The result lands in the app's models folder, where
the model manager lists it; ``converted(path)`` announces it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from assistant.core.errors import AssistantError
from assistant.core.settings import DEFAULT_N_CTX
from assistant.core.units import GiB

from .convert_worker import ConvertWorker

DEFAULT_QUANT = "Q4_K_M"


class ConvertWizard(QDialog):
    """Convert a Hugging Face model folder to GGUF (optionally quantized) into the models folder."""

    converted = Signal(str)
    _request_plan = Signal(str, str)
    _request_convert = Signal(str, str, str, str, str)

    def __init__(self, parent: QWidget | None = None, source_dir: str | None = None) -> None:
        super().__init__(parent)
        from assistant.core.convert.quantize import QUANT_TYPES
        from assistant.core.paths import app_paths

        self.setMinimumWidth(620)
        self.out_dir = app_paths().models_dir
        self.plan: Any = None
        self.busy = False
        self.result_path: str | None = None
        self._asked_folder: str | None = None

        # -- widgets ------------------------------------------------------------------------------
        self.folder_edit = QLineEdit()
        self.browse_button = QPushButton()
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)

        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        self.model_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.quant_combo = QComboBox()
        self.quant_combo.addItem("", "")  # "None: keep full precision", set in retranslate()
        for q in QUANT_TYPES.values():
            self.quant_combo.addItem(q.name, q.name)  # with its description, set in retranslate()
        self.quant_combo.setCurrentIndex(self.quant_combo.findData(DEFAULT_QUANT))

        self.outtype_combo = QComboBox()
        for value in ("auto", "bf16", "f16", "f32"):
            self.outtype_combo.addItem(value, value)

        self.estimate_label = QLabel()  # short lines, no wrapping: the dialog grows to fit them
        self.target_label = QLabel()
        self.target_label.setWordWrap(True)
        self.replace_check = QCheckBox()
        self.replace_check.hide()

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)

        self.convert_button = QPushButton()
        self.convert_button.setDefault(True)
        self.cancel_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.convert_button)

        self.form_labels = [QLabel() for _ in range(5)]
        form = QFormLayout()
        form.addRow(self.form_labels[0], folder_row)
        form.addRow("", self.model_label)
        form.addRow(self.form_labels[1], self.quant_combo)
        form.addRow(self.form_labels[2], self.outtype_combo)
        form.addRow(self.form_labels[3], self.estimate_label)
        form.addRow(self.form_labels[4], self.target_label)
        form.addRow("", self.replace_check)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)

        # -- worker thread ------------------------------------------------------------------------
        self.thread_ = QThread(self)
        self.thread_.setObjectName("convert-worker")
        self.worker = ConvertWorker()
        self.worker.moveToThread(self.thread_)
        self._request_plan.connect(self.worker.plan)
        self._request_convert.connect(self.worker.convert)
        self.worker.planned.connect(self._on_planned)
        self.worker.plan_failed.connect(self._on_plan_failed)
        self.worker.progress.connect(self._on_progress)
        self.worker.finished.connect(self._on_finished)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)
        self.thread_.finished.connect(self.worker.deleteLater)
        self.thread_.start()

        self.browse_button.clicked.connect(self._browse)
        self.folder_edit.editingFinished.connect(self._folder_changed)
        self.quant_combo.currentIndexChanged.connect(self._update_estimate)
        self.outtype_combo.currentIndexChanged.connect(self._outtype_changed)
        self.replace_check.toggled.connect(self._update_buttons)
        self.convert_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self._cancel_or_close)
        self.retranslate()
        if source_dir:
            self.folder_edit.setText(str(source_dir))
            self._folder_changed()

    def retranslate(self) -> None:
        """Every text the wizard shows, again in the current language (also on a language switch)."""
        self.setWindowTitle(self.tr("Convert a Hugging Face model"))
        self.folder_edit.setPlaceholderText(self.tr("Folder with config.json, tokenizer.json and *.safetensors"))
        self.browse_button.setText(self.tr("Browse…"))
        self.quant_combo.setItemText(0, self.tr("None: keep full precision (largest)"))
        from assistant.core.convert.quantize import QUANT_TYPES

        described = self._quant_descriptions()
        for i in range(1, self.quant_combo.count()):
            q = QUANT_TYPES[self.quant_combo.itemData(i)]
            self.quant_combo.setItemText(i, f"{q.name}  ·  {described.get(q.description, q.description)}")
        self.outtype_combo.setItemText(0, self.tr("auto (keep the checkpoint's precision)"))
        self.replace_check.setText(self.tr("Replace the existing file"))
        self.convert_button.setText(self.tr("Convert"))
        for label, text in zip(self.form_labels, (self.tr("Model folder"), self.tr("Quantization"),
                                                  self.tr("Precision"), self.tr("Estimate"), self.tr("Saved as"))):
            label.setText(text)
        if self.plan is not None:
            self._show_plan()
            self._update_estimate()
        elif not self.folder_edit.text().strip():
            self.model_label.setText(self.tr("Choose a model folder."))
        self._update_buttons()

    def _quant_descriptions(self) -> dict[str, str]:
        """The quantizer's English descriptions (assistant.core.convert.quantize), in the UI language."""
        return {
            "smallest, clearly worse answers": self.tr("smallest, clearly worse answers"),
            "very small, noticeably worse": self.tr("very small, noticeably worse"),
            "very small": self.tr("very small"), "small": self.tr("small"),
            "legacy 4-bit": self.tr("legacy 4-bit"), "small, good": self.tr("small, good"),
            "recommended: small and good": self.tr("recommended: small and good"),
            "legacy 5-bit": self.tr("legacy 5-bit"), "very good": self.tr("very good"),
            "very good, a bit larger": self.tr("very good, a bit larger"),
            "near lossless": self.tr("near lossless"),
            "practically lossless, large": self.tr("practically lossless, large"),
        }

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ---------------------------------------------------------------------------------------------
    @property
    def quant(self) -> str:
        return str(self.quant_combo.currentData() or "")

    @property
    def outtype(self) -> str:
        return str(self.outtype_combo.currentData() or "auto")

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a Hugging Face model folder"),
                                                  self.folder_edit.text() or str(Path.home()))
        if folder:
            self.folder_edit.setText(folder)
            self._asked_folder = None  # picking a folder again re-reads it (it may have changed)
            self._folder_changed()

    def _folder_changed(self) -> None:
        folder = self.folder_edit.text().strip()
        if self.busy or folder == self._asked_folder:
            return  # editingFinished also fires when focus merely leaves the field
        self._asked_folder = folder
        self.plan = None
        self.estimate_label.clear()
        self.target_label.clear()
        if not folder:
            self.model_label.setText(self.tr("Choose a model folder."))
        else:
            self.model_label.setText(self.tr("Reading the folder…"))
            self._request_plan.emit(folder, self.outtype)
        self._update_buttons()

    def _outtype_changed(self) -> None:
        if self.plan is not None:
            try:
                self.plan = self.plan.retarget(outtype=self.outtype)
            except AssistantError as exc:
                self._on_plan_failed(exc.title, exc.user_text())
                return
        self._update_estimate()

    @Slot(object)
    def _on_planned(self, plan: Any) -> None:
        if str(plan.src) != str(Path(self.folder_edit.text().strip()).expanduser()):
            return  # an answer for a folder the user has since changed
        self.plan = plan
        self._show_plan()
        self._update_estimate()

    def _show_plan(self) -> None:
        plan = self.plan
        spec = plan.spec
        self.model_label.setStyleSheet("")
        self.model_label.setText(self.tr(
            "{name}: {arch}, {params:.2f} B parameters, {layers} layers, {dtype} weights ({size:.2f} GiB)"
        ).format(name=plan.name, arch=spec.hf_arch, params=plan.n_params / 1e9, layers=spec.n_layers,
                 dtype=plan.source_type, size=plan.source_bytes / GiB))

    @Slot(str, str)
    def _on_plan_failed(self, title: str, text: str) -> None:
        self.plan = None
        self.model_label.setStyleSheet("color: #b00020;")
        self.model_label.setText(f"{title}: {text}")
        self.estimate_label.clear()
        self.target_label.clear()
        self._update_buttons()

    def _grow_to_fit(self) -> None:
        """A dialog already shown does not grow by itself when a label gets more lines: make room for them."""
        lay = self.layout()
        if lay is None:
            return
        lay.activate()
        want = lay.totalSizeHint()
        if want.height() > self.height() or want.width() > self.width():
            self.resize(max(self.width(), want.width()), max(self.height(), want.height()))

    def _update_estimate(self) -> None:
        if self.plan is None:
            self._update_buttons()
            return
        from assistant.core.disk import free_bytes
        from assistant.core.runtime.hardware import total_ram_bytes

        plan = self.plan.retarget(quant=self.quant or None)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        free = free_bytes(self.out_dir)
        ram_total = total_ram_bytes()
        ram = plan.ram_bytes(DEFAULT_N_CTX)
        lines = [
            self.tr("File: about {size:.2f} GiB ({precision})").format(
                size=plan.output_bytes / GiB, precision=plan.quant or plan.outtype.upper()),
            self.tr("Disk space needed while converting: {disk:.2f} GiB (free: {free:.1f} GiB)").format(
                disk=plan.disk_bytes / GiB, free=free / GiB),
            self.tr("Memory to chat with {ctx} tokens of context: about {ram:.1f} GiB").format(
                ctx=DEFAULT_N_CTX, ram=ram / GiB)
            + (self.tr(" (this computer: {total:.1f} GiB)").format(total=ram_total / GiB) if ram_total else ""),
        ]
        if free < plan.disk_bytes:
            lines.append(self.tr("Not enough free disk space."))
        if ram_total and ram > 0.8 * ram_total:
            lines.append(self.tr("This may not fit in memory; choose a smaller quantization."))
        warn = len(lines) > 3
        text = "\n".join(lines)
        self.estimate_label.setText(text)
        self.estimate_label.setStyleSheet("color: #b00020;" if warn else "")
        self._grow_to_fit()
        target = self.out_dir / plan.filename
        self.target_label.setText(str(target))
        exists = target.exists()
        self.replace_check.setVisible(exists)
        if exists:
            self.target_label.setText(str(target) + "\n" + self.tr("A file with this name already exists."))
        else:
            self.replace_check.setChecked(False)
        self._update_buttons()

    def _target_exists(self) -> bool:
        if self.plan is None:
            return False
        return (self.out_dir / self.plan.retarget(quant=self.quant or None).filename).exists()

    def _update_buttons(self) -> None:
        ready = self.plan is not None and (not self._target_exists() or self.replace_check.isChecked())
        self.convert_button.setEnabled(ready and not self.busy)
        for w in (self.folder_edit, self.browse_button, self.quant_combo, self.outtype_combo, self.replace_check):
            w.setEnabled(not self.busy)
        self.cancel_button.setText(self.tr("Cancel") if self.busy else self.tr("Close"))

    # ---------------------------------------------------------------------------------------------
    def start(self) -> None:
        """Start converting with the current choices (the Convert button)."""
        plan = self.plan
        if plan is None or self.busy:
            return
        target = self.out_dir / plan.retarget(quant=self.quant or None).filename
        replace = str(target) if self.replace_check.isChecked() and target.exists() else ""
        self.busy = True
        self.result_path = None
        self.progress_bar.setValue(0)
        self.status_label.setStyleSheet("")
        self.status_label.setText(self.tr("Starting…"))
        self._update_buttons()
        self._request_convert.emit(str(plan.src), self.outtype, self.quant, str(self.out_dir), replace)

    def cancel(self) -> None:
        if self.busy:
            self.worker.cancel.set()
            self.status_label.setText(self.tr("Cancelling…"))
            self.cancel_button.setEnabled(False)

    def _cancel_or_close(self) -> None:
        if self.busy:
            self.cancel()
        elif self.result_path:
            self.accept()
        else:
            self.reject()

    @Slot(str, float)
    def _on_progress(self, message: str, fraction: float) -> None:
        if self.worker.cancel.is_set():
            return  # keep showing "Cancelling…" until the worker confirms
        self.progress_bar.setValue(int(fraction * 1000))
        self.status_label.setText(message)

    @Slot(str)
    def _on_finished(self, path: str) -> None:
        self.busy = False
        self.result_path = path
        self.progress_bar.setValue(1000)
        self.status_label.setText(self.tr("Done: {name} is in the model manager, ready to chat.").format(
            name=Path(path).name))
        self._update_estimate()
        self._update_buttons()
        self.converted.emit(path)

    @Slot(str, str)
    def _on_failed(self, title: str, text: str) -> None:
        self.busy = False
        self.progress_bar.setValue(0)
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(f"{title}: {text}")
        self.cancel_button.setEnabled(True)
        self._update_buttons()

    @Slot()
    def _on_cancelled(self) -> None:
        self.busy = False
        self.progress_bar.setValue(0)
        self.status_label.setText(self.tr("Cancelled. No files were kept."))
        self.cancel_button.setEnabled(True)
        self._update_buttons()

    # ---------------------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop the worker thread (cancelling a running conversion first) and wait for it."""
        if self.thread_.isRunning():
            self.worker.cancel.set()
            self.thread_.quit()
            self.thread_.wait()

    def done(self, result: int) -> None:
        if self.busy:
            self.cancel()  # closing mid-conversion cancels it; the files are removed
        self.shutdown()
        super().done(result)

    def closeEvent(self, event: Any) -> None:
        self.shutdown()
        super().closeEvent(event)
