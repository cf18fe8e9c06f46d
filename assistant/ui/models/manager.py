"""The model manager dialog: catalog with fit labels, downloads, import, remove, info, verify.

Everything slow (downloads, copies, conversions, probe-loads, checksums) runs as a BackgroundJob
(common/jobs.py) in its own QThread; it reports through signals only. Cancel is a ``threading.Event`` the
dialog sets directly (a busy worker never runs a queued slot). A cancelled or interrupted
download keeps its bytes: pressing Download again resumes it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Signal, Slot
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from assistant.core.errors import AssistantError, CancelledError
from assistant.core.progress import Progress
from assistant.core.settings import DEFAULT_N_CTX
from assistant.core.units import human_bytes, human_duration
from assistant.ui.common.jobs import BackgroundJob, Job

from .hardware import hardware_text
from .info_box import InfoBox
from .speed_bar import SpeedBar
from .tables import CatalogTable, LibraryTable


class ModelManagerDialog(QDialog):
    """Catalog, downloads and the local library. Emits ``model_selected`` with a catalog id or a path."""

    model_selected = Signal(str)
    job_finished = Signal(str, bool)  # (what, ok): for front ends and tests that wait on a job
    convert_requested = Signal(str)  # a folder to open the conversion wizard on ("" to choose one)
    evaluate_requested = Signal()  # the speed line's Evaluate… button

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setAcceptDrops(True)
        self.resize(940, 720)
        self._job: BackgroundJob | None = None
        self._on_done_cb: Callable[[Any], None] = lambda result: None
        self._job_name = ""
        self._build()
        self.retranslate()
        self.refresh()

    # ---- layout ----------------------------------------------------------------------------------
    def _build(self) -> None:
        root = QVBoxLayout(self)
        top = QHBoxLayout()
        self.hardware_label = QLabel()
        self.hardware_label.setWordWrap(True)
        top.addWidget(self.hardware_label, 1)
        self.ctx_label = QLabel()
        top.addWidget(self.ctx_label)
        self.ctx_spin = QSpinBox()
        self.ctx_spin.setRange(512, 262144)
        self.ctx_spin.setSingleStep(1024)
        self.ctx_spin.setValue(int(getattr(self.settings, "n_ctx", 0) or DEFAULT_N_CTX))
        self.ctx_spin.valueChanged.connect(self._refresh_catalog)
        top.addWidget(self.ctx_spin)
        root.addLayout(top)
        self.speed_bar = SpeedBar(self.settings, self)  # speed here, the quick benchmark, the Evaluate page
        self.speed_bar.measured.connect(self._refresh_catalog)
        self.speed_bar.evaluate_requested.connect(self.evaluate_requested)
        root.addWidget(self.speed_bar)

        self.catalog_box = QGroupBox()
        lay = QVBoxLayout(self.catalog_box)
        self.catalog_table = CatalogTable()
        self.catalog_table.itemSelectionChanged.connect(self._update_buttons)
        self.catalog_table.itemSelectionChanged.connect(self._details_of_selection)
        lay.addWidget(self.catalog_table)
        row = QHBoxLayout()
        self.download_button = QPushButton()
        self.download_button.clicked.connect(self.download_selected)
        self.convert_button = QPushButton()
        self.convert_button.clicked.connect(self.download_and_convert_selected)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancel_job)
        self.use_catalog_button = QPushButton()
        self.use_catalog_button.clicked.connect(self.use_selected_catalog)
        for b in (self.download_button, self.convert_button, self.cancel_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.use_catalog_button)
        lay.addLayout(row)
        root.addWidget(self.catalog_box, 4)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.hide()  # shown only while a job runs (not an idle 0 %)
        self.status_label = QLabel("")
        self.error_label = QLabel("")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        root.addWidget(self.progress_bar)
        root.addWidget(self.status_label)
        root.addWidget(self.error_label)

        self.local_box = QGroupBox()
        lay = QVBoxLayout(self.local_box)
        self.local_table = LibraryTable()
        self.local_table.itemSelectionChanged.connect(self._update_buttons)
        self.local_table.itemSelectionChanged.connect(self._details_of_selection)
        lay.addWidget(self.local_table)
        row = QHBoxLayout()
        self.import_file_button = QPushButton()
        self.import_file_button.clicked.connect(self._choose_file)
        self.import_folder_button = QPushButton()
        self.import_folder_button.clicked.connect(self._choose_folder)
        self.wizard_button = QPushButton()
        self.wizard_button.clicked.connect(lambda: self.convert_requested.emit(""))
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.info_button = QPushButton()
        self.info_button.clicked.connect(self.show_info)
        self.verify_button = QPushButton()
        self.verify_button.clicked.connect(self.verify_selected)
        self.use_local_button = QPushButton()
        self.use_local_button.clicked.connect(self.use_selected_local)
        for b in (self.import_file_button, self.import_folder_button, self.wizard_button, self.remove_button,
                  self.info_button, self.verify_button):
            row.addWidget(b)
        row.addStretch(1)
        row.addWidget(self.use_local_button)
        lay.addLayout(row)
        root.addWidget(self.local_box, 3)

        self.details = InfoBox()  # model_details() in words; the verify report as plain text
        self.details.setMinimumHeight(120)  # a few rows at least; it scrolls for the rest
        self.details.setMaximumHeight(190)
        self.details.setPlaceholderText(self.tr("Select a model to see its details here."))
        root.addWidget(self.details, 1)

    def retranslate(self) -> None:
        """Every text the dialog shows, again in the current language (also on a language switch)."""
        from assistant.core.runtime.hardware import detect

        self.setWindowTitle(self.tr("Models"))
        self.ctx_spin.setAccessibleName(self.tr("Context size for the estimates"))
        self.details.setAccessibleName(self.tr("Model details"))
        self.hardware_label.setText(self.tr("This computer: {0}").format(hardware_text(detect())))
        self.ctx_label.setText(self.tr("Context for estimates:"))
        self.ctx_spin.setSuffix(self.tr(" tokens"))
        self.catalog_box.setTitle(self.tr("Catalog"))
        self.catalog_table.retranslate()
        self.download_button.setText(self.tr("Download"))
        self.convert_button.setText(self.tr("Download original && convert"))
        self.convert_button.setToolTip(self.tr("Download the original weights and convert them to GGUF here"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.use_catalog_button.setText(self.tr("Use"))
        self.local_box.setTitle(self.tr("On this computer (drop .gguf files or model folders here)"))
        self.local_table.retranslate()
        self.import_file_button.setText(self.tr("Import file…"))
        self.import_folder_button.setText(self.tr("Import folder…"))
        self.import_folder_button.setToolTip(self.tr(
            "Import a Hugging Face model folder: it is converted to GGUF at full precision"))
        self.wizard_button.setText(self.tr("Convert with options…"))
        self.wizard_button.setToolTip(self.tr("Open the conversion wizard to choose a quantization"))
        self.remove_button.setText(self.tr("Remove"))
        self.info_button.setText(self.tr("Info"))
        self.verify_button.setText(self.tr("Verify"))
        self.use_local_button.setText(self.tr("Use"))

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.refresh()  # the tables hold translated words (fit, status)
        super().changeEvent(e)

    # ---- data ------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self._refresh_catalog()
        self._refresh_local()
        self._update_buttons()

    def _refresh_catalog(self) -> None:
        from assistant.core.models.downloads import partials
        from assistant.core.models.library import catalog_rows

        paused = {p.meta.get("filename"): p for p in partials()}
        self.catalog_table.fill(catalog_rows(self.ctx_spin.value()), paused, self.speed_bar)

    def _refresh_local(self) -> None:
        from assistant.core.models.library import list_local

        self.local_table.fill(list_local(), self._model_in_use())

    def _model_in_use(self) -> Path | None:
        """The file of the model the app is set to use (None when it cannot be found)."""
        from assistant.core.models.catalog import resolve_model

        try:
            return resolve_model(getattr(self.settings, "model", "") or None).path.resolve()
        except (AssistantError, OSError):
            return None

    @Slot()
    def _details_of_selection(self) -> None:
        """The info box follows the selection (it used to stay empty until Info was pressed)."""
        if self.local_table.selected() is not None or self.catalog_table.selected() is not None:
            self.show_info()

    def _update_buttons(self) -> None:
        busy = self.busy
        row = self.catalog_table.selected() or {}
        local = self.local_table.selected()
        from assistant.core.models.catalog import get_entry

        entry = get_entry(row["id"]) if row else None
        self.download_button.setEnabled(not busy and bool(row) and not row["bundled"] and not row["downloaded"])
        self.convert_button.setEnabled(not busy and entry is not None and "safetensors" in entry.sources
                                       and not row.get("bundled"))
        self.use_catalog_button.setEnabled(bool(row) and bool(row["bundled"] or row["downloaded"]))
        self.cancel_button.setEnabled(busy)
        for b in (self.import_file_button, self.import_folder_button):
            b.setEnabled(not busy)
        self.remove_button.setEnabled(not busy and local is not None and local.source != "bundled")
        self.verify_button.setEnabled(not busy and local is not None)
        self.info_button.setEnabled(local is not None or bool(row))
        self.use_local_button.setEnabled(local is not None and local.usable)

    # ---- jobs ------------------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._job is not None

    def _start(self, name: str, job: Job, on_done: Callable[[Any], None]) -> None:
        if self.busy:
            return
        self._job_name = name
        self.error_label.clear()
        self.progress_bar.setRange(0, 1000)
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self._job, self._on_done_cb = BackgroundJob(job, self), on_done
        self._job.progress.connect(self._on_progress)
        self._job.done.connect(self._on_done)
        self._job.failed.connect(self._on_failed)
        self._job.start()
        self._update_buttons()

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        self._finish(result, None)

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        self._finish(None, exc)

    def _finish(self, result: Any, exc: BaseException | None) -> None:
        name, on_done = self._job_name, self._on_done_cb
        self._job = None
        self.progress_bar.hide()
        ok = exc is None
        if exc is None:
            self.progress_bar.setValue(1000)
            on_done(result)
        elif isinstance(exc, CancelledError):
            self.status_label.setText(exc.message)
        elif isinstance(exc, AssistantError):
            self.error_label.setText(f"{exc.title}: {exc.user_text()}")
            self.status_label.clear()
        else:
            self.error_label.setText(self.tr("Unexpected error: {0} (details in the log)").format(exc))
        self.refresh()
        self.job_finished.emit(name, ok)

    @Slot(object)
    def _on_progress(self, p: Progress) -> None:
        if not p.transfer:  # a stage: the converter, the quantizer, a check
            self.progress_bar.setValue(int(1000 * max(0.0, min(1.0, p.fraction or 0.0))))
            self.status_label.setText(p.stage if self._job_name == "verify"
                                      else self.tr("Converting: {0}").format(p.stage))
            return
        if p.total:
            self.progress_bar.setValue(int(1000 * min(p.downloaded, p.total) / p.total))
        if p.stage == "verify":
            self.status_label.setText(self.tr("Verifying {0}…").format(p.filename))
        elif p.stage == "done":
            self.status_label.setText(self.tr("{0}: done").format(p.filename))
        else:
            eta = human_duration(p.eta) if p.eta is not None else ""
            self.status_label.setText(self.tr("{0}: {1} of {2} · {3}/s{4}").format(
                p.filename, human_bytes(p.downloaded), human_bytes(p.total), human_bytes(p.speed),
                self.tr(" · {0} left").format(eta) if eta else ""))

    @Slot()
    def cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel.set()
            self.status_label.setText(self.tr("Cancelling…"))

    # ---- catalog actions -------------------------------------------------------------------------
    @Slot()
    def download_selected(self) -> None:
        from assistant.core.models.catalog import get_entry
        from assistant.core.models.library import download_model

        row = self.catalog_table.selected()
        entry = get_entry(row["id"]) if row else None
        if row is None or entry is None:
            return
        settings, quant = self.settings, row["quant"]

        def job(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
            return download_model(entry, quant, settings=settings, progress=progress, cancel=cancel)

        def done(result: Any) -> None:
            resumed = (self.tr(", resumed at {0}").format(human_bytes(result.resumed_from))
                       if result.resumed_from else "")
            self.status_label.setText(self.tr("Downloaded {0} ({1}{2}; verified by {3})").format(
                result.path.name, human_bytes(result.size), resumed, result.verified_by))

        self._start("download", job, done)

    @Slot()
    def download_and_convert_selected(self) -> None:
        from assistant.core.models.catalog import get_entry
        from assistant.core.models.library import fetch_and_convert

        row = self.catalog_table.selected()
        entry = get_entry(row["id"]) if row else None
        if entry is None:
            return
        settings = self.settings
        quant = row["quant"] if row else None

        def job(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
            return fetch_and_convert(entry, quant, settings=settings, progress=progress, cancel=cancel)

        self._start("convert", job, lambda m: self.status_label.setText(self.tr("Converted to {0}").format(m.name)))

    @Slot()
    def use_selected_catalog(self) -> None:
        row = self.catalog_table.selected()
        if row and (row["bundled"] or row["downloaded"]):
            self.model_selected.emit(row["id"] if row["recommended"] or row["bundled"] else row["path"])
            self.accept()

    # ---- library actions -------------------------------------------------------------------------
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Import a model"), "", self.tr("GGUF models (*.gguf)"))
        if path:
            self.import_paths([Path(path)])

    def _choose_folder(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("Import a Hugging Face model folder"))
        if path:
            self.import_paths([Path(path)])

    def import_paths(self, paths: list[Path]) -> None:
        """Import .gguf files and Hugging Face folders (file dialog and drag-and-drop come here)."""
        from assistant.core.models.library import import_path

        paths = [p for p in paths if p.is_dir() or p.suffix.lower() == ".gguf" or p.is_file()]
        if not paths:
            return

        def job(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
            results = []
            for p in paths:
                if cancel.is_set():
                    break
                results.append(import_path(p, progress=progress, cancel=cancel))
            return results

        def done(models: list[Any]) -> None:
            self.status_label.setText(self.tr("Imported: {0}").format(", ".join(m.name for m in models)))

        self._start("import", job, done)

    @Slot()
    def remove_selected(self) -> None:
        from assistant.core.models.library import remove_model

        m = self.local_table.selected()
        if m is None or m.source == "bundled":
            return
        what = self.tr("Stop listing {0}? The file stays where it is.") if m.in_place else \
            self.tr("Delete {0} from the models folder?")
        answer = QMessageBox.question(self, self.tr("Remove model"), what.format(m.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            remove_model(str(m.path))
        except AssistantError as exc:
            self.error_label.setText(f"{exc.title}: {exc.user_text()}")
        else:
            self.status_label.setText(self.tr("Removed {0}").format(m.name))
        self.refresh()

    @Slot()
    def show_info(self) -> None:
        from assistant.core.models.library import model_details

        m = self.local_table.selected()
        row = self.catalog_table.selected()
        spec = str(m.path) if m is not None else (row["id"] if row else None)
        if spec is None:
            return
        try:
            details = model_details(spec, self.ctx_spin.value())
        except AssistantError as exc:
            self.error_label.setText(f"{exc.title}: {exc.user_text()}")
            return
        self.details.show_details(details)

    @Slot()
    def verify_selected(self) -> None:
        from assistant.core.models.library import verify_model

        m = self.local_table.selected()
        if m is None:
            return
        spec = str(m.path)
        stage = self.tr("Checking the checksum and loading the model once…")

        def job(progress: Callable[[Any], None], cancel: threading.Event) -> Any:
            progress(Progress(stage, 0.0))
            return verify_model(spec)

        def done(report: Any) -> None:
            checksum = (self.tr("matches the {0}").format(report.checksum_source) if report.expected_sha256 and
                        report.sha256 == report.expected_sha256 else
                        self.tr("DOES NOT MATCH the {0}").format(report.checksum_source) if report.expected_sha256
                        else self.tr("no reference known"))
            probe = (self.tr("ok ({0:.1f} s)").format(report.probe_seconds) if report.probe_ok else
                     self.tr("FAILED: {0}").format(report.probe_error))
            self.details.setPlainText(self.tr("{0}\nheader: {1}\nsha256: {2} — {3}\ntest load: {4}\n{5}").format(
                report.path, self.tr("ok") if report.header_ok else self.tr("bad"), report.sha256, checksum, probe,
                self.tr("OK") if report.ok else self.tr("NOT OK")))
            self.status_label.setText(self.tr("Verified {0}: {1}").format(
                report.path.name, self.tr("OK") if report.ok else self.tr("problems found")))

        self._start("verify", job, done)

    @Slot()
    def use_selected_local(self) -> None:
        m = self.local_table.selected()
        if m is not None and m.usable:
            self.model_selected.emit(m.spec)
            self.accept()

    # ---- drag and drop ---------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
        if any(u.isLocalFile() and (Path(u.toLocalFile()).is_dir() or u.toLocalFile().lower().endswith(".gguf"))
               for u in urls) and not self.busy:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)

    # ---- closing ---------------------------------------------------------------------------------
    def done(self, result: int) -> None:  # accept/reject/close all end here
        if self._job is not None:
            self._job.stop(3000)  # a stalled read ends at its network timeout: the job is kept until then
            self._job = None
        super().done(result)
