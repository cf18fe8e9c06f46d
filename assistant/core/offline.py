"""Offline by default: nothing reaches Hugging Face unless the user starts a download.

``huggingface_hub`` reads ``HF_HUB_OFFLINE`` once, when ``huggingface_hub.constants`` is first
imported, into ``constants.HF_HUB_OFFLINE``; from then on every request made through its shared
HTTP client passes a request hook that raises ``OfflineModeIsEnabled`` while that flag is set.
So :func:`go_offline` sets the variable before anything imports the hub library (the ``assistant``
package calls it on import) and also flips the constant if the library is already loaded.

A download must get through without lifting the switch for the whole process (a chat, a
conversion or a test running in another thread must stay offline). :func:`hub_online` installs,
once, a client whose request hook lets a request pass only when the *calling context* has opted in
through a ``ContextVar``, and otherwise applies the library's own offline check. Context variables
are per thread, so only the download's own calls go out.
"""

from __future__ import annotations

import contextlib
import contextvars
import os
import sys
import threading
import uuid
from collections.abc import Iterator
from typing import Any

_ONLINE: contextvars.ContextVar[bool] = contextvars.ContextVar("assistant_hub_online", default=False)
_installed = False
_install_lock = threading.Lock()

# Smaller than huggingface_hub's 10 MiB: progress and cancel react every MiB (a second at 1 MB/s), and an
# interrupted download keeps everything up to the last MiB on disk. Measured on 127.0.0.1: 256 KiB blocks
# cost ~40 % throughput in per-block Python overhead, 1 MiB ~15 %, against 10 MiB.
DOWNLOAD_CHUNK_SIZE = 1 << 20


def go_offline() -> None:
    """Make this process (and its children) offline for Hugging Face libraries. Idempotent."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_UPDATE_CHECK", "1")
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True  # type: ignore[attr-defined]


def is_online_context() -> bool:
    return _ONLINE.get()


def _request_hook(request: Any) -> Any:
    from huggingface_hub.utils import _http

    if not _ONLINE.get():
        return _http.hf_request_event_hook(request)  # the library's rule: refuses while offline
    request.headers.setdefault("X-Amzn-Trace-Id", str(uuid.uuid4()))
    return None


def _install_client() -> None:
    global _installed
    with _install_lock:
        if _installed:
            return
        import huggingface_hub
        from huggingface_hub import constants
        from huggingface_hub.utils import _http

        def factory() -> Any:
            client = _http.default_client_factory()
            client.event_hooks = {"request": [_request_hook], "response": client.event_hooks.get("response", [])}
            return client

        huggingface_hub.set_client_factory(factory)
        constants.DOWNLOAD_CHUNK_SIZE = min(constants.DOWNLOAD_CHUNK_SIZE, DOWNLOAD_CHUNK_SIZE)
        _installed = True


@contextlib.contextmanager
def hub_online() -> Iterator[None]:
    """Let the Hugging Face calls made inside this block (in this thread) reach the network."""
    _install_client()
    token = _ONLINE.set(True)
    try:
        yield
    finally:
        _ONLINE.reset(token)
