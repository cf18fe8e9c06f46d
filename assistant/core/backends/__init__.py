"""Backends: llama.cpp in-process (default); OpenAI-compatible servers (vLLM, remote) optionally."""

from __future__ import annotations

from pathlib import Path

from assistant.core.chat.protocol import Backend
from assistant.core.models.catalog import resolve_model
from assistant.core.progress import ProgressCallback  # what a slow start (a vLLM server) is doing
from assistant.core.settings import DEFAULT_N_CTX, Settings


def open_llama_backend(settings: Settings, model: str | None = None) -> Backend:
    """Load the chosen model with llama.cpp, with settings for context, threads and GPU layers."""
    from assistant.core.backends.llama_cpp import LlamaCppBackend

    resolved = resolve_model(model or settings.model)
    gpu_layers = settings.n_gpu_layers
    if gpu_layers < 0:
        n_ctx = settings.n_ctx or (resolved.entry.n_ctx if resolved.entry else DEFAULT_N_CTX)
        gpu_layers = auto_gpu_layers(resolved.path, n_ctx)
    return LlamaCppBackend(
        resolved.path,
        n_ctx=settings.n_ctx or None,
        n_threads=settings.n_threads or None,
        n_gpu_layers=gpu_layers,
        entry=resolved.entry,
    )


def auto_gpu_layers(path: Path, n_ctx: int, purpose: str = "chat") -> int:
    """Layers to offload when the setting is "auto": none on a CPU-only llama.cpp build or without a
    GPU; all when the model and its KV cache fit in free VRAM; else as many as fit. ``purpose``: the
    kind of model expected ("chat", or "embedding" for the Embedder)."""
    from assistant.core.runtime.hardware import default_gpu_layers, detect

    hw = detect()
    if not hw.llama_gpu_offload or not hw.gpus:
        return 0
    from assistant.core.models.gguf_check import validate

    info = validate(path, purpose=purpose)
    return default_gpu_layers(info.file_size, info.block_count, info.kv_bytes_per_token * n_ctx, hw)




def open_backend(settings: Settings, model: str | None = None, progress: ProgressCallback | None = None) -> Backend:
    """The backend the settings ask for: "llama.cpp" (default), "vllm" (launched here) or "openai" (URL)."""
    if settings.backend == "llama.cpp":
        return open_llama_backend(settings, model)
    try:
        from assistant.core.backends.openai_compat import open_server_backend
    except ImportError as exc:  # pragma: no cover - the module ships with the app
        from assistant.core.errors import ConfigError

        raise ConfigError(f"The {settings.backend} backend is not available in this build.") from exc
    return open_server_backend(settings, model, progress)
