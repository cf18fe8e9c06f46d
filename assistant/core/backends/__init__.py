"""Backends: llama.cpp in-process (default); OpenAI-compatible servers (vLLM, remote) optionally."""

from __future__ import annotations

from collections.abc import Callable

from ..catalog import resolve_model
from ..engine import Backend
from ..settings import Settings


def open_llama_backend(settings: Settings, model: str | None = None) -> Backend:
    """Load the chosen model with llama.cpp, with settings for context, threads and GPU layers."""
    from .llama_cpp import LlamaCppBackend

    resolved = resolve_model(model or settings.model)
    return LlamaCppBackend(
        resolved.path,
        n_ctx=settings.n_ctx or None,
        n_threads=settings.n_threads or None,
        n_gpu_layers=settings.n_gpu_layers,
        entry=resolved.entry,
    )


# progress(message, fraction or None): what a slow start (a vLLM server) is doing, for a status bar.
Progress = Callable[[str, "float | None"], None]


def open_backend(settings: Settings, model: str | None = None, progress: Progress | None = None) -> Backend:
    """The backend the settings ask for: "llama.cpp" (default), "vllm" (launched here) or "openai" (URL)."""
    if settings.backend == "llama.cpp":
        return open_llama_backend(settings, model)
    try:
        from .openai_compat import open_server_backend
    except ImportError as exc:  # pragma: no cover - the module ships with the app
        from ..errors import ConfigError

        raise ConfigError(f"The {settings.backend} backend is not available in this build.") from exc
    return open_server_backend(settings, model, progress)
