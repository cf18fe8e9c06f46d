"""Entry point of the packaged app (PyInstaller): one executable for the window and the command line.

``assistant`` alone (a double-click, the menu entry) or with a .gguf file / window options starts the
desktop app; ``assistant chat|ask|info|models|convert|serve ...`` runs the command line. Windows gets a
second, console executable (``assistant-cli.exe``) for the command line; see assistant.spec.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

CLI_COMMANDS = {"chat", "ask", "info", "models", "convert", "serve", "doctor", "eval", "lora", "docs"}


def main() -> int:
    multiprocessing.freeze_support()
    from assistant.core.models.probe import probe_main

    code = probe_main(sys.argv)  # the model probe re-runs this executable: `assistant --assistant-probe-model`
    if code is not None:
        return code
    args = sys.argv[1:]
    if len(args) >= 2 and args[0] in ("-m", "-c") and getattr(sys, "frozen", False):
        # Child processes (the quantizer, server helpers) run this executable as they would run python:
        # `assistant -m MODULE ARGS` or `assistant -c CODE ARGS`.
        import runpy

        mode, target, rest = args[0], args[1], args[2:]
        if mode == "-c":
            sys.argv = ["-c", *rest]
            exec(compile(target, "<string>", "exec"), {"__name__": "__main__"})
        else:
            sys.argv = [target, *rest]
            runpy.run_module(target, run_name="__main__", alter_sys=True)
        return 0
    if (args and args[0] in CLI_COMMANDS) or Path(sys.argv[0]).stem.lower() == "assistant-cli":
        from assistant.cli import main as cli_main

        return cli_main(args)
    display = any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
    if not args and sys.platform.startswith("linux") and not display:
        # `assistant` over SSH or on a console: the window cannot open, the terminal chat can.
        print("No desktop session found: starting the terminal chat (`assistant --help` lists the commands).",
              file=sys.stderr)
        from assistant.cli import main as cli_main

        return cli_main(["chat"])
    from assistant.ui.app import main as gui_main

    return gui_main(args)


if __name__ == "__main__":
    sys.exit(main())
