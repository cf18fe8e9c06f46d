"""Logging to a rotating file in the user log directory (never to the network)."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from assistant.core.paths import app_paths

_configured: Path | None = None


def setup_logging(level: int = logging.INFO, *, console: bool = False) -> Path:
    """Idempotent. Returns the log file path, which error messages point users to."""
    global _configured
    log_dir = app_paths().log_dir
    log_file = log_dir / "assistant.log"
    if _configured == log_file:
        return log_file
    root = logging.getLogger()
    root.setLevel(level)
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=2_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    if console:
        sh = logging.StreamHandler()
        sh.setLevel(logging.WARNING)
        root.addHandler(sh)
    _configured = log_file
    return log_file
