"""``assistant-gui --self-test``: the whole app, once, on a fresh profile.

Starts the real window (offscreen when there is no display), loads the model it would start on, sends
one prompt through the normal chat path (worker thread, streaming, history in SQLite), prints one JSON
report and exits 0 only if a reply came back. It runs on a throw-away profile in a temporary folder, so
the user's settings and conversations are never read or written; what it proves is that a first launch
works: the packaged Python, Qt, llama.cpp with the CPU variant picked for this processor, the bundled
model, translations and fonts. Installers and CI run it (packaging/check_package.sh).
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import tempfile
import time
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

PROMPT = "What is the capital of France? Answer in one short sentence."
MAX_TOKENS = 32

_home: str | None = None


def prepare_environment() -> None:
    """Before anything reads a setting: a temporary profile, and offscreen Qt when there is no display."""
    global _home
    _home = tempfile.mkdtemp(prefix="assistant-self-test-")
    os.environ["ASSISTANT_HOME"] = _home
    for name in ("ASSISTANT_CONFIG_DIR", "ASSISTANT_DATA_DIR", "ASSISTANT_CACHE_DIR", "ASSISTANT_LOG_DIR",
                 "ASSISTANT_MODELS_DIR"):
        os.environ.pop(name, None)
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def _age_linux(pid: int) -> float:
    """Seconds since process ``pid`` started, to the clock tick (psutil's create_time can be 1 s off)."""
    uptime = float(open("/proc/uptime").read().split()[0])  # noqa: SIM115
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
    return uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")


def _launch_time() -> float:
    """When the app was started: a frozen Linux app runs Python in a child of its bootloader, so the
    bootloader's start counts."""
    try:
        pid = os.getpid()
        if getattr(sys, "frozen", False):
            parent = os.getppid()
            if os.path.realpath(f"/proc/{parent}/exe") == os.path.realpath(f"/proc/{pid}/exe"):
                pid = parent
        return time.time() - _age_linux(pid)
    except (OSError, ValueError, IndexError):
        try:
            import psutil

            return float(psutil.Process().create_time())
        except Exception:
            return time.time()


class SelfTest(QObject):
    def __init__(self, window: Any, settings: Any, t_import: float, *, timeout_s: float = 600.0) -> None:
        super().__init__(window)
        self.window = window
        self.t_launch = _launch_time()
        self.report: dict[str, Any] = {
            "ok": False, "frozen": bool(getattr(sys, "frozen", False)), "model": settings.model,
            "python_started_s": round(t_import - self.t_launch, 3),
        }
        settings.sampling.max_tokens = MAX_TOKENS
        settings.sampling.seed = 1
        self.timeout_s = timeout_s
        self._done = False

    def start(self) -> None:
        w = self.window
        w.model_loaded.connect(self._on_loaded)
        w.model_failed.connect(lambda exc: self._fail(f"the model did not load: {exc}"))
        w.reply_done.connect(self._on_reply)
        QTimer.singleShot(0, self._on_shown)
        QTimer.singleShot(int(self.timeout_s * 1000), lambda: self._fail(f"no reply within {self.timeout_s:.0f} s"))

    def _since_launch(self) -> float:
        return round(time.time() - self.t_launch, 3)

    def _on_shown(self) -> None:
        self.window.repaint()
        app = QApplication.instance()
        self.report["window_shown_s"] = self._since_launch()
        self.report["qt_platform"] = app.platformName() if isinstance(app, QApplication) else ""
        self.report["window_visible"] = bool(self.window.isVisible())
        from .common.i18n import cjk_family

        self.report["cjk_font"] = cjk_family() or ""
        from .render import maths

        # Formulas are typeset by matplotlib (a packaged app must carry it, its fonts and its Agg code).
        self.report["math_typeset"] = maths.render(r"\frac{1}{2}", color="#000000") is not None

    def _on_loaded(self, info: Any) -> None:
        from assistant.core.runtime.llama import cpu_variants, loaded_cpu_variant, verdict

        self.report.update(loaded_s=self._since_launch(), model=info.name, model_path=info.path,
                           backend=info.backend, n_ctx=info.n_ctx)
        if info.backend == "llama.cpp":
            self.report["cpu_variant"] = loaded_cpu_variant()
            self.report["cpu_variants_shipped"] = cpu_variants()
            v = verdict()
            if v is not None:  # how the CPU code was chosen: tested now or read from the cache, what was skipped
                self.report["cpu_probe"] = {"source": v.source, "probe_seconds": v.probe_seconds,
                                            "skipped": {r.name: f"{r.status}: {r.reason}" for r in v.skipped()},
                                            "vulkan": v.vulkan_status}
        self.t_send = time.time()
        if not self.window.session.send_message(PROMPT):
            self._fail("the prompt could not be sent")

    def _on_reply(self, summary: Any) -> None:
        text = (summary.answer or summary.reasoning or "").strip()
        self.report.update(reply=text[:300], reply_status=summary.status, reply_s=round(time.time() - self.t_send, 3),
                           notices=list(summary.notices),
                           completion_tokens=summary.completion_tokens,
                           tokens_per_second=round(summary.tokens_per_second, 1))
        if summary.error is not None:
            self._fail(f"the reply failed: {summary.error}")
        elif summary.status != "done" or not text:
            self._fail(f"no answer came back (status {summary.status})")
        elif not summary.message_id:
            self._fail("the reply was not saved in the conversation history")
        else:
            from assistant.core.sandbox import self_check

            # The code sandbox (bubblewrap) as a packaged app runs it; reported, not required: a machine
            # without bubblewrap still chats (running code is refused there with a hint).
            self.report["sandbox_ok"], self.report["sandbox"] = self_check()
            self.report["embedding_ok"], self.report["embedding"] = _embedding_check()
            self.report["ok"] = True
            self._quit()

    def _fail(self, why: str) -> None:
        if self._done:
            return
        self.report["ok"] = False
        self.report.setdefault("error", why)
        self._quit()

    def _quit(self) -> None:
        if self._done:
            return
        self._done = True
        self.window.close()
        app = QApplication.instance()
        if app is not None:
            app.exit(0)

    def finish(self) -> int:
        """After the event loop: print the report, remove the temporary profile, the exit code."""
        print(json.dumps(self.report, ensure_ascii=False), flush=True)
        if _home:
            shutil.rmtree(_home, ignore_errors=True)
        return 0 if self.report["ok"] else 1


def _embedding_check() -> tuple[bool, str]:
    """The bundled embedding model (documents) loads and ranks Chinese and English passages: (ok, one line)."""
    from assistant.core.embed import self_test
    from assistant.core.errors import AssistantError

    try:
        return True, self_test()
    except AssistantError as exc:
        return False, exc.user_text()
