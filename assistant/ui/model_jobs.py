"""Background jobs of the model manager: a worker QObject that runs one callable on its own QThread, and
the size/time formatting its progress lines use."""

from __future__ import annotations

import atexit
import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from assistant.core.errors import AssistantError

log = logging.getLogger(__name__)

# Threads of dialogs closed while a job was still finishing (a stalled network read returns only at
# its timeout); kept referenced until they end so Qt never destroys a running QThread.
_orphans: set[tuple[QThread, QObject]] = set()


@atexit.register
def _wait_for_orphans() -> None:
    for thread, _worker in list(_orphans):
        thread.wait(30000)  # cancelled already: ends at the next block or the network timeout


class _Worker(QObject):
    """Runs one job (a callable taking progress and cancel) and reports back through signals."""

    progress = Signal(object)  # assistant.core.progress.Progress
    done = Signal(object)
    failed = Signal(object)

    def __init__(self, job: Callable[[Callable[[Any], None], threading.Event], Any], cancel: threading.Event) -> None:
        super().__init__()
        self._job = job
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            result = self._job(self.progress.emit, self._cancel)
        except BaseException as exc:  # every failure becomes a signal; the GUI thread decides what to show
            if not isinstance(exc, AssistantError):
                log.exception("model manager job failed")
            self.failed.emit(exc)
        else:
            self.done.emit(result)


def hardware_text(hw: Any) -> str:
    """Cores, CPU features, memory and GPUs for the model manager, in the UI's language (Hardware.summary()
    is English, for logs and the CLI)."""
    from PySide6.QtCore import QCoreApplication

    from assistant.core.units import GiB

    translate = QCoreApplication.translate  # lupdate reads translate("Context", "text")
    feats = ", ".join(f for f in hw.cpu_features if f in ("AVX", "AVX2", "AVX512", "AVX512_VNNI", "NEON",
                                                           "DOTPROD", "SVE", "AMX_INT8"))
    parts = [translate("ModelManagerDialog", "%1 cores (%2)").replace("%1", str(hw.physical_cores)).replace(
        "%2", feats or translate("ModelManagerDialog", "baseline")),
        translate("ModelManagerDialog", "%1 GiB RAM").replace("%1", f"{hw.total_ram / GiB:.1f}")]
    parts += [g.name + (f", {g.memory_total / GiB:.0f} GiB" if g.memory_total and not g.unified_memory else "")
              for g in hw.gpus]
    if hw.gpus and not hw.llama_gpu_offload:
        parts.append(translate("ModelManagerDialog", "llama.cpp uses the CPU only"))
    return " · ".join(parts)
