"""`assistant-gui`: the desktop app.

The window is shown first; the model is loaded afterwards, in the worker thread, so start-up does not
wait for it. Unexpected exceptions are logged to the user log folder and reported in the window.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import time
from collections.abc import Sequence

_T0 = time.time()


def _rss_mb() -> float:
    try:
        import psutil

        return float(psutil.Process().memory_info().rss) / 2**20
    except Exception:
        return 0.0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant-gui", description="Offline assistant: the desktop app.")
    p.add_argument("file", nargs="?", help="a .gguf file to chat with this time (what opening a .gguf does)")
    p.add_argument("-m", "--model", help="catalog id or .gguf path to use this time (default: the last used)")
    p.add_argument("--language", choices=("en", "zh_CN"), help="UI language this time (default: settings/system)")
    p.add_argument("--send", metavar="TEXT", help="send TEXT as soon as the model is loaded (demos, scripted checks)")
    p.add_argument("--self-test", action="store_true",
                   help="start on a fresh profile, load the model, answer one prompt, print a JSON report and "
                        "exit 0 (1 if anything failed); nothing touches your settings or conversations")
    p.add_argument("--self-test-timeout", type=float, default=600.0, help=argparse.SUPPRESS)
    # For benchmarks and tests: print JSON lines when the window is shown and when the model is loaded.
    p.add_argument("--report-startup", action="store_true", help=argparse.SUPPRESS)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(list(sys.argv[1:] if argv is None else argv))
    if args.self_test:
        from .self_test import prepare_environment

        prepare_environment()

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from assistant.core.chat.history import History
    from assistant.core.errors import AssistantError
    from assistant.core.logs import setup_logging
    from assistant.core.settings import Settings

    from .common.errors import install_exception_hooks
    from .common.i18n import Translations, apply_fonts, resolve_language
    from .common.theme import apply_theme

    log_file = setup_logging()
    install_exception_hooks(log_file)
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication([sys.argv[0] if sys.argv else "assistant-gui"])
    app.setApplicationName("Assistant")
    app.setApplicationDisplayName("Assistant")
    app.setDesktopFileName("assistant")
    from .common.i18n import resources_dir

    res = resources_dir()
    if res is not None and (res / "icons" / "assistant.png").is_file():
        from PySide6.QtGui import QIcon

        app.setWindowIcon(QIcon(str(res / "icons" / "assistant.png")))

    settings = Settings.load()
    # -m / a .gguf / --language hold for this run only: the window saves what the settings file had
    # for them, unless the user changes them in the app (switching models, the settings dialog).
    this_run: dict[str, object] = {}
    if args.model or args.file:
        this_run["model"] = args.model or os.path.abspath(args.file)
    if args.language:
        this_run["language"] = args.language
    apply_fonts(app)
    apply_theme(app, settings.theme)
    translations = Translations()
    translations.apply(resolve_language(str(this_run.get("language", settings.language))))

    try:
        history = History()
    except AssistantError as exc:
        QMessageBox.critical(None, exc.title, exc.user_text())
        return 1

    from .main_window import MainWindow

    window = MainWindow(settings, history, translations=translations, this_run=this_run)
    window.show()

    report = args.report_startup or bool(os.environ.get("ASSISTANT_REPORT_STARTUP"))
    if report:
        def emit(event: str) -> None:
            if event == "shown":
                window.repaint()  # conservative: the window has been painted at least once
            print(json.dumps({"event": event, "t": time.time(), "since_start": time.time() - _T0,
                              "rss_mb": round(_rss_mb(), 1)}), flush=True)

        QTimer.singleShot(0, lambda: emit("shown"))
        window.model_loaded.connect(lambda _info: emit("loaded"))
        window.reply_done.connect(lambda _s: emit("reply"))
        window.model_failed.connect(lambda exc: emit("load_failed"))
    if args.self_test:
        from .self_test import SelfTest

        checker = SelfTest(window, settings, _T0, timeout_s=args.self_test_timeout)
        checker.start()
    if args.send:
        text = args.send
        window.model_loaded.connect(lambda _info: window.session.send_message(text))
    # macOS: "Open With" / double-clicking a .gguf in Finder arrives as a FileOpen event, not an argument.
    from PySide6.QtCore import QEvent, QObject

    class _FileOpen(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.FileOpen:
                path = event.file()  # type: ignore[attr-defined]
                if path and path.lower().endswith(".gguf"):
                    window.switch_model(path)
                    return True
            return False

    file_open = _FileOpen(app)
    app.installEventFilter(file_open)
    # After the first event-loop pass: the window is on screen before the model starts loading.
    QTimer.singleShot(0, window.load_model)
    from .models.speed_bar import FirstStartBench

    # What models cost here: measured once per machine, in the background, once the chat model is ready.
    first_bench = FirstStartBench(settings)
    if not args.self_test:
        window.model_loaded.connect(first_bench.schedule)
        window.model_failed.connect(first_bench.schedule)

    # Ctrl+C / SIGTERM close the window properly (stop the reply, stop the thread, close the model).
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: window.close())
    wake = QTimer()  # Python only runs signal handlers when it gets control back now and then
    wake.timeout.connect(lambda: None)
    wake.start(250)

    rc = int(app.exec())
    first_bench.stop()
    window.shutdown()
    history.close()
    if args.self_test:
        return checker.finish()
    return rc


if __name__ == "__main__":
    sys.exit(main())
