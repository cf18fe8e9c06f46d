"""The conversion wizard's worker: reads a Hugging Face folder's plan and converts it, on its own QThread."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Signal, Slot

from assistant.core.errors import AssistantError, CancelledError

# Thread-safe; the worker's messages are translated in the wizard's context (the wizard shows them).
translate = QCoreApplication.translate


class ConvertWorker(QObject):
    """Lives on the worker thread. Slots are invoked through queued signals from the dialog."""

    planned = Signal(object)  # ConversionPlan
    plan_failed = Signal(str, str)  # title, text
    progress = Signal(str, float)  # stage, fraction (from the converter's Progress)
    finished = Signal(str)  # path of the new GGUF
    failed = Signal(str, str)
    cancelled = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.cancel = threading.Event()

    @Slot(str, str)
    def plan(self, folder: str, outtype: str) -> None:
        from assistant.core.convert.pipeline import plan_conversion

        try:
            plan = plan_conversion(Path(folder), outtype=outtype)
        except AssistantError as exc:
            self.plan_failed.emit(exc.title, exc.user_text())
        except Exception as exc:  # a bug, but the dialog must stay usable
            self.plan_failed.emit(translate("ConvertWizard", "Cannot read this folder"), str(exc))
        else:
            self.planned.emit(plan)

    @Slot(str, str, str, str, str)
    def convert(self, folder: str, outtype: str, quant: str, out_dir: str, replace: str) -> None:
        from assistant.core.convert.pipeline import convert_model

        self.cancel.clear()
        try:
            if replace:  # the user ticked "Replace the existing file"
                Path(replace).unlink(missing_ok=True)
            path = convert_model(Path(folder), outtype=outtype, quant=quant or None, out_dir=Path(out_dir),
                                 progress=lambda p: self.progress.emit(p.stage, p.fraction or 0.0),
                                 cancel=self.cancel)
        except CancelledError:
            self.cancelled.emit()
        except AssistantError as exc:
            self.failed.emit(exc.title, exc.user_text())
        except Exception as exc:
            self.failed.emit(translate("ConvertWizard", "Conversion failed"),
                             translate("ConvertWizard", "Unexpected error: {0}").format(exc))
        else:
            self.finished.emit(str(path))
