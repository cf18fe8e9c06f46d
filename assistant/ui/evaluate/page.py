"""The Evaluate page (from the model manager): run a task suite on a model in the background and show the
report — accuracy per kind (mean ± spread over runs), vote accuracy, tokens, time, failures by cause — as a
table and a bar chart; any stored run can be shown, and compared side by side with another.

The evaluation opens its own backend instance, in the worker thread, and closes it there: the chat's model
lives on the chat worker's thread and a llama.cpp model is not thread-safe, so sharing it would mean pausing
the chat. A second copy costs the model's memory once more (small models are what this page is for; the
model list says what fits). The backend is the one the settings choose (llama.cpp, vLLM or a server URL).
Results are stored by the runner under the data folder, per run (and so per model, quantization and
backend); starting the same evaluation again resumes it.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.core.errors import AssistantError
from assistant.core.eval.tasks import KINDS
from assistant.core.units import human_duration
from assistant.ui.common.jobs import BackgroundJob

from .report import RunReport


class EvaluateDialog(QDialog):
    finished_run = Signal(object)  # the EvalResult of a run that ended (finished or stopped), or None on failure

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.resize(980, 760)
        self._job: BackgroundJob | None = None
        self._suite_path = ""
        self._build()
        self.retranslate()
        self.refresh_models()
        self.report.refresh_runs()

    # ---- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        form = QFormLayout()
        self.suite_combo = QComboBox()
        self.suite_combo.addItems(["", ""])
        self.suite_combo.activated.connect(self._suite_chosen)
        self.suite_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.suite_combo)
        row.addWidget(self.suite_label, 1)
        self.suite_row_label = QLabel()
        form.addRow(self.suite_row_label, row)
        self.kind_boxes = {k: QCheckBox() for k in KINDS}
        row = QHBoxLayout()
        for kind, box in self.kind_boxes.items():
            # Questions about documents index the suite's files with the embedding model first: asked for, not
            # run by default (the other kinds measure the model alone).
            box.setChecked(kind != "docs")
            row.addWidget(box)
        row.addStretch(1)
        self.kinds_label = QLabel()
        form.addRow(self.kinds_label, row)
        self.runs_spin, self.limit_spin, self.tokens_spin = QSpinBox(), QSpinBox(), QSpinBox()
        self.runs_spin.setRange(1, 20)
        self.runs_spin.setValue(5)
        self.limit_spin.setRange(0, 1000)
        self.tokens_spin.setRange(0, 131072)
        self.tokens_spin.setSingleStep(256)
        row = QHBoxLayout()
        self.runs_label, self.limit_label, self.tokens_label = QLabel(), QLabel(), QLabel()
        for label, spin in ((self.runs_label, self.runs_spin), (self.limit_label, self.limit_spin),
                            (self.tokens_label, self.tokens_spin)):
            row.addWidget(label)
            row.addWidget(spin)
        row.addStretch(1)
        self.options_label = QLabel()
        form.addRow(self.options_label, row)
        self.model_combo = QComboBox()
        self.backend_label = QLabel()
        row = QHBoxLayout()
        row.addWidget(self.model_combo, 1)
        row.addWidget(self.backend_label)
        self.model_label = QLabel()
        form.addRow(self.model_label, row)
        root.addLayout(form)

        row = QHBoxLayout()
        self.start_button, self.stop_button = QPushButton(), QPushButton()
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        row.addWidget(self.start_button)
        row.addWidget(self.stop_button)
        row.addWidget(self.progress_bar, 1)
        root.addLayout(row)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        root.addWidget(self.status_label)
        root.addWidget(self.error_label)

        self.report = RunReport()  # the stored runs: one shown, another beside it
        self.report.failed.connect(self.error_label.setText)
        root.addWidget(self.report, 1)
        self._update_buttons()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Evaluate a model"))
        self.suite_row_label.setText(self.tr("Suite:"))
        self.suite_combo.setItemText(0, self.tr("Built-in suite"))
        self.suite_combo.setItemText(1, self.tr("A JSONL file…"))
        self.kinds_label.setText(self.tr("Kinds:"))
        for kind, box in self.kind_boxes.items():
            box.setText(self.kind_name(kind))
        if "docs" in self.kind_boxes:
            self.kind_boxes["docs"].setToolTip(self.tr(
                "Questions about the built-in documents (Chinese and English PDFs, Word files, Markdown...), answered "
                "from them with retrieval; the embedding model indexes them first"))
        self.options_label.setText(self.tr("Options:"))
        self.runs_label.setText(self.tr("Runs"))
        self.limit_label.setText(self.tr("Tasks per kind"))
        self.limit_spin.setSpecialValueText(self.tr("all"))
        self.tokens_label.setText(self.tr("Max tokens"))
        self.tokens_spin.setSpecialValueText(self.tr("model default"))
        self.model_label.setText(self.tr("Model:"))
        self.backend_label.setText(self.tr("Backend: {0}").format(getattr(self.settings, "backend", "llama.cpp")))
        self.start_button.setText(self.tr("Start"))
        self.stop_button.setText(self.tr("Stop"))
        self._suite_label_text()
        self.report.retranslate()

    def kind_name(self, kind: str) -> str:
        return self.report.kind_name(kind)

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    # ---- choices ---------------------------------------------------------------------------------
    def refresh_models(self) -> None:
        """The usable models on disk, as the model manager lists them; the one in use first selected."""
        from assistant.core.models.catalog import resolve_model
        from assistant.core.models.library import list_local

        self.model_combo.clear()
        try:
            in_use: Path | None = resolve_model(getattr(self.settings, "model", "") or None).path.resolve()
        except (AssistantError, OSError):
            in_use = None
        for m in list_local():
            if m.usable:
                self.model_combo.addItem(f"{m.name} ({m.quantization})", m.spec)
                if in_use is not None and m.path.resolve() == in_use:
                    self.model_combo.setCurrentIndex(self.model_combo.count() - 1)

    def select_model(self, spec_or_name: str) -> None:
        for i in range(self.model_combo.count()):
            if spec_or_name in (self.model_combo.itemData(i), self.model_combo.itemText(i).split(" (")[0]):
                self.model_combo.setCurrentIndex(i)
                return
        raise KeyError(spec_or_name)

    def set_suite_file(self, path: str) -> None:
        self._suite_path = path
        self.suite_combo.setCurrentIndex(1 if path else 0)
        self._suite_label_text()

    def _suite_label_text(self) -> None:
        self.suite_label.setText(self._suite_path if self.suite_combo.currentIndex() == 1 else "")

    @Slot(int)
    def _suite_chosen(self, index: int) -> None:
        if index == 1:
            path, _ = QFileDialog.getOpenFileName(self, self.tr("Tasks to run"), "", self.tr("Task files (*.jsonl)"))
            if path:
                self._suite_path = path
            elif not self._suite_path:
                self.suite_combo.setCurrentIndex(0)
        self._suite_label_text()

    def _update_buttons(self) -> None:
        busy = self.busy
        self.start_button.setEnabled(not busy)
        self.stop_button.setEnabled(busy)
        for w in (self.suite_combo, self.runs_spin, self.limit_spin, self.tokens_spin, self.model_combo,
                  *self.kind_boxes.values()):
            w.setEnabled(not busy)
        self.progress_bar.setVisible(busy)

    # ---- running ---------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._job is not None

    @Slot()
    def start(self) -> None:
        from assistant.core.eval.runner import EvalConfig, EvalRunner
        from assistant.core.eval.tasks import load_suites

        if self.busy:
            return
        self.error_label.clear()
        kinds = [k for k, box in self.kind_boxes.items() if box.isChecked()]
        spec = self.model_combo.currentData()
        suite = self._suite_path if self.suite_combo.currentIndex() == 1 else "builtin"
        try:
            if not kinds:
                raise AssistantError(self.tr("Choose at least one kind of task."))
            if not spec:
                raise AssistantError(self.tr("No usable model on this computer."))
            if not suite:
                raise AssistantError(self.tr("Choose a task file."))
            tasks = load_suites([suite], kinds, self.limit_spin.value())
        except AssistantError as exc:
            self.error_label.setText(exc.user_text())
            return
        settings = copy.deepcopy(self.settings)
        settings.model = spec
        settings.sampling.seed = None  # the runner seeds every task itself
        if self.tokens_spin.value():
            settings.sampling.max_tokens = self.tokens_spin.value()
        config = EvalConfig(runs=self.runs_spin.value())
        request = {"suite": [suite], "kind": kinds, "limit": self.limit_spin.value(), "runs": config.runs,
                   "model": spec, "backend": settings.backend, "max_tokens": self.tokens_spin.value() or None}

        def job(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
            from assistant.core.backends import open_backend

            backend = open_backend(settings)  # here, in the worker thread: used and closed only here
            try:
                if backend.info.n_ctx and settings.sampling.max_tokens > backend.info.n_ctx:
                    settings.sampling.max_tokens = backend.info.n_ctx
                runner = EvalRunner(backend, settings, tasks, config, request=request)
                return runner.run(progress, cancel)
            finally:
                backend.close()

        self._job = BackgroundJob(job, self)
        self._job.progress.connect(self._on_progress)
        self._job.done.connect(self._on_done)
        self._job.failed.connect(self._on_failed)
        self.progress_bar.setValue(0)
        self.status_label.setText(self.tr("Loading {0}…").format(self.model_combo.currentText()))
        self._job.start()
        self._update_buttons()

    @Slot()
    def stop(self) -> None:
        if self._job is not None:
            self._job.cancel.set()
            self.status_label.setText(self.tr("Stopping after the current token…"))

    @Slot(object)
    def _on_progress(self, p: Any) -> None:
        self.progress_bar.setValue(int(1000 * p.fraction))
        left = self.tr(" · {0} left").format(human_duration(p.eta_s)) if p.eta_s else ""
        if p.task:
            self.status_label.setText(self.tr("Task {0}/{1} · {2} {3} · run {4}{5}").format(
                p.done + 1, p.total, self.kind_name(p.kind), p.task, p.run, left))

    def _end(self) -> None:
        self._job = None
        self._update_buttons()
        self.report.refresh_runs()

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        self._end()
        m = result.manifest
        n = len(result.records)
        total = len(m.get("tasks", [])) * len(m.get("points", [])) * int(m.get("runs", 0)) or n
        if result.cancelled:
            self.status_label.setText(self.tr("Stopped: {0} of {1} tasks recorded. Start again to continue.")
                                      .format(n, total))
        else:
            self.status_label.setText(self.tr("Finished: {0} tasks.").format(n))
        self.report.show_run(result.summary())
        self.finished_run.emit(result)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._end()
        self.status_label.clear()
        text = f"{exc.title}: {exc.user_text()}" if isinstance(exc, AssistantError) else \
            self.tr("Unexpected error: {0} (details in the log)").format(exc)
        self.error_label.setText(text)
        self.finished_run.emit(None)

    # ---- closing ---------------------------------------------------------------------------------
    def done(self, result: int) -> None:
        if self._job is not None:
            self._job.stop(10000)  # the runner stops between tokens; what is recorded stays for a resume
            self._job = None
        super().done(result)
