"""This computer in the model manager's words: cores, CPU features, memory, GPUs."""

from __future__ import annotations

from typing import Any


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
