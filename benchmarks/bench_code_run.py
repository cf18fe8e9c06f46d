"""Run from an answer, timed in the real window with the real sandbox, side by side with the sandbox alone:

* the quicksort block: from the click on Run to "Running…" shown, and to the result shown under the block,
  against ``run_code`` of the same code called directly (the window's part is the difference);
* Stop: from the click on Stop to the stopped result shown, for a block that sleeps;
* the window while code runs: the longest gap of a 10 ms timer (the event loop never waits for the code).

Rounds alternate which goes first; medians are printed.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_code_run.py [--rounds 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.ui.code_samples import QUICKSORT  # noqa: E402

SLEEPER = "import time\nprint('started', flush=True)\ntime.sleep(60)\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()

    from PySide6.QtCore import QEventLoop, QTimer, QUrl
    from PySide6.QtWidgets import QApplication

    from assistant.core.chat.history import History
    from assistant.core.sandbox import ready, run_code
    from assistant.core.settings import Settings
    from assistant.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    ready()  # the availability check (one real run) is made once per process, before any timing
    home = tempfile.mkdtemp()
    os.environ["ASSISTANT_HOME"] = home
    history = History(Path(home) / "history.sqlite3")
    conv = history.create_conversation("bench")
    history.add_message(conv.id, "user", "quicksort")
    answer = f"```python\n{QUICKSORT}```\n\n```python\n{SLEEPER}```"
    history.add_message(conv.id, "assistant", answer, model="bench")
    w = MainWindow(Settings(last_conversation_id=conv.id, demo_note_dismissed=True), history)
    w.show()
    app.processEvents()
    reply = w.chat.messages[-1]
    quick, sleeper = w.chat.renderer.code_blocks(answer)
    runs = w.session.code_runs
    gaps: list[float] = []  # while the window runs code (run_code alone blocks the loop on purpose: not counted)
    idle_gaps: list[float] = []  # while nothing runs: what this machine's load alone does to a timer
    idle = [False]
    last = [time.perf_counter()]

    def beat() -> None:
        now = time.perf_counter()
        if runs.busy:
            gaps.append(now - last[0])
        elif idle[0]:
            idle_gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(beat)

    def wait_for(cond, limit: float = 30.0) -> float:  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        loop = QEventLoop()
        while not cond():
            loop.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if time.perf_counter() - t0 > limit:
                raise SystemExit("timed out")
        return time.perf_counter() - t0

    def pause(seconds: float) -> None:
        until = time.perf_counter() + seconds
        wait_for(lambda: time.perf_counter() >= until)

    def window_run() -> tuple[float, float]:
        reply.code.runs.pop(quick.key, None)
        t0 = time.perf_counter()
        reply.code.link_clicked(QUrl(f"code:run:{quick.key}"))
        wait_for(lambda: "Running in the sandbox" in reply.body.toPlainText())
        shown = time.perf_counter() - t0
        wait_for(lambda: not runs.busy and "Exit status 0" in reply.body.toPlainText())
        return shown, time.perf_counter() - t0

    def bare_run() -> float:
        t0 = time.perf_counter()
        r = run_code(QUICKSORT)
        assert r.exit_code == 0, r.stderr
        return time.perf_counter() - t0

    def stop_run() -> float:
        reply.code.link_clicked(QUrl(f"code:run:{sleeper.key}"))
        wait_for(lambda: runs.busy)
        pause(0.3)
        t0 = time.perf_counter()
        reply.code.link_clicked(QUrl(f"code:stop:{sleeper.key}"))
        wait_for(lambda: not runs.busy and "Stopped after" in reply.body.toPlainText())
        return time.perf_counter() - t0

    shown_s, result_s, bare_s, stop_s = [], [], [], []
    timer.start()
    for r in range(args.rounds):
        if r % 2 == 0:
            shown, total = window_run()
            bare = bare_run()
        else:
            bare = bare_run()
            shown, total = window_run()
        shown_s.append(shown)
        result_s.append(total)
        bare_s.append(bare)
        stop_s.append(stop_run())
        idle[0] = True
        pause(1.0)
        idle[0] = False
        print(f"round {r + 1}: window {total * 1000:6.0f} ms (Running… after {shown * 1000:4.0f} ms), "
              f"run_code alone {bare * 1000:6.0f} ms, Stop {stop_s[-1] * 1000:5.0f} ms", flush=True)
    timer.stop()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    med = statistics.median
    print(f"\nmedians of {args.rounds} rounds ({os.cpu_count()} CPUs, load average {load:.1f}):")
    print(f"  click → Running… shown        {med(shown_s) * 1000:7.1f} ms")
    print(f"  click → result shown          {med(result_s) * 1000:7.1f} ms   "
          f"run_code alone {med(bare_s) * 1000:.1f} ms (ratio {med(result_s) / med(bare_s):.2f})")
    print(f"  Stop → stopped result shown   {med(stop_s) * 1000:7.1f} ms")
    def p99(xs: list[float]) -> float:
        return sorted(xs)[int(0.99 * (len(xs) - 1))] * 1000

    print(f"  event loop (a 10 ms timer) while code ran: longest gap {max(gaps) * 1000:.0f} ms, 99th percentile "
          f"{p99(gaps):.0f} ms; idle on the same machine: longest {max(idle_gaps) * 1000:.0f} ms, "
          f"99th percentile {p99(idle_gaps):.0f} ms")
    w.shutdown()
    w.deleteLater()
    app.processEvents()
    history.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
