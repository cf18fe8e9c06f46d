"""Errors in the GUI: typed errors become messages in the window; anything else is logged, not fatal.

``install_exception_hooks`` replaces ``sys.excepthook`` and ``threading.excepthook``: an exception that
escapes a slot or a thread is written with its traceback to the log file, and the window says that
something failed and where the details are. The app keeps running.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QObject, Signal

from assistant.core.errors import (
    AssistantError,
    BackendUnavailableError,
    ConfigError,
    ContextOverflowError,
    GenerationError,
    InvalidModelError,
    ModelLoadError,
    ModelNotFoundError,
    OutOfMemoryError,
    UnsupportedModelError,
)

log = logging.getLogger("assistant.ui")


def translated_title(exc: AssistantError) -> str:
    """The error's title in the UI language (messages from the core stay as written)."""
    titles = {
        ModelNotFoundError: QCoreApplication.translate("Errors", "Model file not found"),
        UnsupportedModelError: QCoreApplication.translate("Errors", "Model not supported"),
        InvalidModelError: QCoreApplication.translate("Errors", "Model file cannot be used"),
        OutOfMemoryError: QCoreApplication.translate("Errors", "Not enough memory"),
        ModelLoadError: QCoreApplication.translate("Errors", "Model failed to load"),
        ContextOverflowError: QCoreApplication.translate("Errors", "Conversation too long"),
        GenerationError: QCoreApplication.translate("Errors", "Generation failed"),
        BackendUnavailableError: QCoreApplication.translate("Errors", "Backend unavailable"),
        ConfigError: QCoreApplication.translate("Errors", "Invalid setting"),
    }
    for cls in type(exc).__mro__:
        # Only a standard title is translated; a custom one set by the raiser is shown as is.
        if cls in titles and exc.title == cls.title:  # type: ignore[attr-defined]
            return titles[cls]
    return exc.title


class ErrorReporter(QObject):
    """Carries unexpected errors from any thread to the window (a queued signal)."""

    unexpected = Signal(str)  # one-line description


_reporter: ErrorReporter | None = None
_installed = False


def reporter() -> ErrorReporter:
    global _reporter
    if _reporter is None:
        _reporter = ErrorReporter()
    return _reporter


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"


def install_exception_hooks(log_file: Path) -> None:
    """Idempotent. Keeps the app alive on unexpected exceptions and logs them to ``log_file``."""
    global _installed
    rep = reporter()
    if _installed:
        return
    _installed = True
    previous_thread_hook = threading.excepthook

    def excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(exc_type, KeyboardInterrupt):
            sys.__excepthook__(exc_type, exc, tb)
            return
        log.error("unexpected error\n%s", "".join(traceback.format_exception(exc_type, exc, tb)))
        if isinstance(exc, AssistantError):
            rep.unexpected.emit(f"{exc.title}: {exc.user_text()}")
        else:
            rep.unexpected.emit(_describe(exc))

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit:
            previous_thread_hook(args)
            return
        name = args.thread.name if args.thread is not None else "?"
        log.error("unexpected error in thread %s\n%s", name,
                  "".join(traceback.format_exception(args.exc_type, args.exc_value, args.exc_traceback)))
        rep.unexpected.emit(_describe(args.exc_value) if args.exc_value is not None else str(args.exc_type))

    sys.excepthook = excepthook
    threading.excepthook = thread_hook
    log.info("exception hooks installed; log file %s", log_file)
