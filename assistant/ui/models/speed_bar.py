"""What a model costs here, in the model manager: a line with this machine's measured speed, a button that
measures it again (the quick benchmark, about 20 s, on a worker thread), the "speed here" cell of every
catalog row, and the button for the Evaluate page. Also the first-start benchmark: once per machine (and again
when the CPU code or the app changes), in the background after the model has loaded.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QPushButton, QWidget

from assistant.core.errors import AssistantError, CancelledError
from assistant.ui.common.jobs import BackgroundJob

log = logging.getLogger(__name__)


class BenchJob(QObject):
    """The quick benchmark on its own QThread: the bundled model is loaded, used and closed there only."""

    finished = Signal(object)  # MachineSpeed, or None when it failed or was stopped

    def __init__(self, settings: Any, refresh: bool, parent: QObject | None = None, recheck: bool = False) -> None:
        super().__init__(parent)
        from assistant.core.eval.speed import quick_bench

        self.error = ""
        self._job = BackgroundJob(
            lambda progress, cancel: quick_bench(settings, refresh=refresh, recheck=recheck, cancel=cancel), self)
        self._job.done.connect(self.finished)
        self._job.failed.connect(self._on_failed)

    def start(self) -> None:
        self._job.start()

    @property
    def running(self) -> bool:
        return self._job.running

    @Slot(object)
    def _on_failed(self, exc: BaseException) -> None:
        if not isinstance(exc, CancelledError):
            self.error = exc.user_text() if isinstance(exc, AssistantError) else str(exc)
            log.warning("speed benchmark failed: %s", self.error)
        self.finished.emit(None)

    def stop(self, wait_ms: int = 5000) -> None:
        """Stop between tokens and wait for the thread (a load in progress finishes first)."""
        self._job.stop(wait_ms)


class SpeedBar(QWidget):
    """The model manager's speed line, Measure button and Evaluate… button."""

    measured = Signal()  # a new measurement is stored: the catalog's speed column is out of date
    evaluate_requested = Signal()  # Evaluate…: the window opens the Evaluate page

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.job: BenchJob | None = None
        self._speed: Any = None
        self._loaded = False
        self.job_error = ""  # why the last measurement failed
        self.kept_note = False  # the last Measure was busy and the stored, better measurement was kept
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.measure_button = QPushButton()
        self.measure_button.clicked.connect(self.measure)
        self.evaluate_button = QPushButton()
        self.evaluate_button.clicked.connect(self.evaluate_requested)
        row.addWidget(self.label, 1)
        row.addWidget(self.measure_button)
        row.addWidget(self.evaluate_button)
        if isinstance(parent, QDialog):
            parent.finished.connect(self.shutdown)  # the dialog closes: no benchmark outlives it
        self.retranslate()

    def speed(self) -> Any:
        """The stored measurement for this machine and the settings (read once; None if there is none)."""
        if not self._loaded:
            from assistant.core.eval.speed import cached

            self._loaded = True
            try:
                self._speed = cached(self.settings)
            except (AssistantError, OSError) as exc:
                log.info("no speed measurement: %s", exc)
        return self._speed

    def cell(self, row: dict[str, Any]) -> str:
        """The catalog's "speed here" cell: "≈ 15 tok/s · answer ≈ 90 s"."""
        from assistant.core.models.cost import predict_row

        p = predict_row(row, self.speed())
        if p is None:
            return ""
        if self._rough():
            return self.tr("≈ {0} tok/s (rough) · answer ≈ {1}").format(f"{p.decode_tps:.0f}",
                                                                        self._duration(p.answer_seconds))
        return self.tr("≈ {0} tok/s · answer ≈ {1}").format(f"{p.decode_tps:.0f}", self._duration(p.answer_seconds))

    def _rough(self) -> bool:
        s = self.speed()
        return s is not None and s.confidence == "busy"

    def tooltip(self, row: dict[str, Any]) -> str:
        from assistant.core.models.cost import predict_row

        p = predict_row(row, self.speed())
        if p is None:
            return ""
        return self.tr("≈ {0} tok/s here; a typical answer with reasoning ≈ {1}").format(
            f"{p.decode_tps:.0f}", self._duration(p.answer_seconds)) + "\n" + self.sureness()

    def sureness(self) -> str:
        """How sure the forecast is: when its measurement was taken and whether the machine was quiet."""
        s = self.speed()
        if s is None:
            return ""
        when = self._when(s.measured_at)
        if s.confidence == "quiet":
            return self.tr("measured {0}, the machine was quiet").format(when)
        if s.confidence == "busy":
            return self.tr("rough: measured {0} while the machine was busy; measured again on a quiet start").format(
                when)
        return self.tr("measured {0}").format(when)

    def _when(self, stamp: float) -> str:
        import time

        days = int((time.time() - stamp) // 86400) if stamp > 0 else -1
        if days < 0:
            return self.tr("at an unknown time")
        if time.localtime(stamp)[:3] == time.localtime()[:3]:
            return self.tr("today")
        return self.tr("%n day(s) ago", "", max(1, days))

    def _duration(self, seconds: float) -> str:
        if seconds < 120:
            return self.tr("{0} s").format(f"{seconds:.0f}")
        if seconds < 5400:
            return self.tr("{0} min").format(f"{seconds / 60:.0f}")
        return self.tr("{0} h").format(f"{seconds / 3600:.1f}")

    def retranslate(self) -> None:
        self.measure_button.setText(self.tr("Measure speed"))
        self.measure_button.setToolTip(self.tr(
            "Measure this computer's speed on the bundled model (about 20 s) to predict every model's speed"))
        self.evaluate_button.setText(self.tr("Evaluate…"))
        self.evaluate_button.setToolTip(self.tr("Measure a model's accuracy on a task suite"))
        self._show()

    def _show(self) -> None:
        if self.job is not None:
            self.label.setText(self.tr("Measuring this computer's speed (about 20 s)…"))
            return
        s = self.speed()
        if s is None:
            self.label.setText(self.tr("Speed here: not measured yet."))
        else:
            self.label.setText(self.tr("Speed here (bundled model): prompt {0} tok/s, decode {1} tok/s").format(
                f"{s.prompt_tps:.0f}", f"{s.decode_tps:.0f}") + " (" + self.sureness() + ")")
            if self.kept_note:
                self.label.setText(self.label.text() + " · " + self.tr(
                    "the new measurement was taken while the machine was busy: the earlier, quiet one is kept"))
        if self.job is None and self.job_error:
            self.label.setText(self.label.text() + " · " + self.tr("Measuring failed: {0}").format(self.job_error))

    def changeEvent(self, e: QEvent) -> None:
        if e.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(e)

    @Slot()
    def measure(self) -> None:
        if self.job is not None:
            return
        self.job_error, self.kept_note = "", False
        self.job = BenchJob(self.settings, refresh=True, parent=self)
        self.job.finished.connect(self._measured)
        self.measure_button.setEnabled(False)
        self._show()
        self.job.start()

    @Slot(object)
    def _measured(self, speed: Any) -> None:
        job, self.job = self.job, None
        self.measure_button.setEnabled(True)
        if speed is not None:
            self._speed, self._loaded = speed, True
            self.kept_note = speed.source == "cache"  # keep_better kept the stored one
        elif job is not None:
            self.job_error = job.error
        self._show()
        if speed is not None:
            self.measured.emit()

    @Slot()
    def shutdown(self) -> None:
        if self.job is not None:
            self.job.finished.disconnect(self._measured)
            self.job.stop()
            self.job = None


class FirstStartBench(QObject):
    """The first-start benchmark: once per machine (again after a change of CPU code, app version or
    threads), in the background a few seconds after ``schedule()`` (the app calls it when the chat model
    has loaded, so it never delays the window or the model). ``stop()`` at shutdown. A later start with a
    stored measurement rechecks it in the background (``quick_bench(recheck=True)``: about 1.5 s; measured
    again when the machine is quiet now and the stored one was busy or reads clearly slower)."""

    finished = Signal(object)

    def __init__(self, settings: Any, delay_ms: int = 3000) -> None:
        super().__init__()
        self.settings, self.delay_ms = settings, delay_ms
        self.job: BenchJob | None = None
        self._scheduled = self._stopped = False

    @Slot()
    @Slot(object)
    def schedule(self, *_: Any) -> None:
        if not self._scheduled:
            self._scheduled = True
            QTimer.singleShot(self.delay_ms, self._start)

    def _start(self) -> None:
        from assistant.core.eval.speed import cached

        if self._stopped:
            return
        try:
            stored = cached(self.settings)
        except (AssistantError, OSError) as exc:
            log.info("speed benchmark skipped: %s", exc)
            return
        self.job = BenchJob(self.settings, refresh=False, recheck=stored is not None)
        self.job.finished.connect(self.finished)
        self.job.start()

    def stop(self) -> None:
        self._stopped = True
        if self.job is not None:
            self.job.stop()
