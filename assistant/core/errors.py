"""One exception family for everything a user should be told about.

Each front end (CLI, GUI, API server) catches :class:`AssistantError` at a single boundary and shows
``title``/``message``/``hint``; anything else is a bug and is logged with its traceback.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


class AssistantError(Exception):
    """An error with a message written for the user, and a hint on what to do about it."""

    title: str = "Something went wrong"
    hint: str = ""

    def __init__(self, message: str, *, hint: str | None = None, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if hint is not None:
            self.hint = hint
        if title is not None:
            self.title = title

    def user_text(self) -> str:
        """Message plus hint, as one paragraph for a terminal or a dialog."""
        return f"{self.message}\n{self.hint}".strip() if self.hint else self.message

    def to_dict(self) -> dict[str, str]:
        return {"type": type(self).__name__, "title": self.title, "message": self.message, "hint": self.hint}


class ModelError(AssistantError):
    title = "Model problem"


class ModelNotFoundError(ModelError):
    title = "Model file not found"

    def __init__(self, path: str | Path, *, hint: str | None = None) -> None:
        self.path = Path(path)
        super().__init__(
            f"The model file {self.path} does not exist.",
            hint=hint or "Pick another model in the model manager, or download/import this one again.",
        )


class UnknownModelError(ModelNotFoundError):
    """A name that is neither in the catalog nor a file: say so, and offer the close matches."""

    title = "No such model"

    def __init__(self, name: str, close: Iterable[str] = ()) -> None:
        matches = list(close)
        ModelError.__init__(
            self, f"There is no model called {name!r}: it is not in the catalog, the models folder or on disk.",
            hint=(f"Did you mean {', '.join(repr(m) for m in matches)}? " if matches else "")
            + "`assistant models list` shows the catalog and the models on this machine.")
        self.path = Path(name)


class InvalidModelError(ModelError):
    """The file exists but is not a model llama.cpp can use (not GGUF, truncated, corrupt...)."""

    title = "Model file cannot be used"

    def __init__(self, path: str | Path, reason: str, *, hint: str | None = None) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(
            f"{self.path.name} cannot be loaded: {reason}",
            hint=hint or "The file may be damaged or incomplete. Download or import it again.",
        )


class UnsupportedModelError(InvalidModelError):
    title = "Model not supported"


class ModelLoadError(ModelError):
    """llama.cpp refused the file or ran out of memory while loading it."""

    title = "Model failed to load"


class OutOfMemoryError(ModelLoadError):
    title = "Not enough memory"


class ContextOverflowError(AssistantError):
    """The prompt cannot fit in the model's context window, even after the configured policy."""

    title = "Conversation too long"

    def __init__(self, needed: int, available: int, *, hint: str | None = None) -> None:
        self.needed = needed
        self.available = available
        super().__init__(
            f"This message needs {needed} tokens of context but the model has room for {available}.",
            hint=hint
            or "Shorten the message, start a new conversation, or raise the context size in settings.",
        )


class GenerationError(AssistantError):
    title = "Generation failed"


class BackendUnavailableError(AssistantError):
    """A server backend cannot be reached or answered with an error."""

    title = "Backend unavailable"


class ConfigError(AssistantError):
    title = "Invalid setting"


class DownloadError(AssistantError):
    title = "Download failed"


class DiskFullError(AssistantError):
    title = "Not enough disk space"


class CancelledError(AssistantError):
    title = "Cancelled"

    def __init__(self, message: str = "The operation was cancelled.") -> None:
        super().__init__(message)


class ChecksumError(DownloadError):
    """A downloaded file's bytes do not match the checksum; the file has been discarded."""

    title = "Checksum mismatch"


class ConversionError(AssistantError):
    title = "Conversion failed"


class UnsupportedArchitectureError(UnsupportedModelError):
    """The folder holds a model llama.cpp could run, but not one this converter knows."""

    def __init__(self, path: str | Path, architecture: str, supported: Iterable[str] = ()) -> None:
        self.path = Path(path)
        self.architecture = architecture
        self.reason = f"unsupported architecture: {architecture}"
        names = ", ".join(sorted(supported))
        AssistantError.__init__(
            self,
            f"Cannot convert {self.path.name}: unsupported architecture: {architecture}; supported: {names}.",
            hint="Look for a ready-made GGUF of this model, or pick a Llama or Qwen2 model "
            "(SmolLM2, Qwen2.5, DeepSeek-R1-Distill-Qwen/Llama).",
        )



class HistoryError(AssistantError):
    title = "History problem"


class ImportFormatError(HistoryError):
    title = "Cannot import this file"


class ServerError(AssistantError):
    title = "Local API server"


class OutputFormatError(AssistantError):
    """A requested shape of the answer that cannot be produced: a JSON schema no grammar can express or no
    text can satisfy, tools for a model whose template has no place for them (issue 26)."""

    title = "Output format"


class DocumentsError(AssistantError):
    """A collection of documents that cannot be used: unknown name, damaged index, embedding model changed
    (issue 24). Problems with one file are reported per file and never raised."""

    title = "Documents"


class AdapterError(ModelError):
    """A LoRA adapter that cannot be imported or applied (issue 17)."""

    title = "Adapter problem"


class AdapterMismatchError(AdapterError):
    """The adapter was trained for another base model (architecture, sizes or layers differ)."""

    title = "Adapter does not fit this model"


class UnsupportedAdapterError(AdapterError):
    """A PEFT variant or target this app does not convert (DoRA, embeddings, IA3...)."""

    title = "Adapter not supported"
