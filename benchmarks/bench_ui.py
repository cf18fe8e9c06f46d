"""Desktop app benchmark: responsiveness while streaming, start-up time, memory above the model.

Everything compared is measured in this run, side by side:

1. Start-up: `python -m assistant.ui.app` as a fresh process, from launch to the window painted
   (target < 1.5 s), and to the model loaded (after the window, in the worker thread).
2. Responsiveness: the window with the real bundled model streaming as fast as it can; a 5 ms heartbeat
   timer measures the longest stall of the Qt event loop (target < 50 ms). Also: repaints per second
   (cap ~30), and the model's decode speed in the app next to the same model without the app.
3. Memory: RSS of the app process after a reply, minus RSS of a process that only loads the model and
   generates the same reply (target < 150 MB above the model).

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_ui.py [--runs 3] [--tokens 1500]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PROMPT = "Write a very long story about a dragon who learns to cook. Use many chapters."
TARGETS = {"stall_ms": 50.0, "startup_s": 1.5, "memory_mb": 150.0}

MODEL_ONLY = r"""
import json, sys, psutil
from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.models.catalog import find_bundled_model
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.chat.prompting import Sampling
b = LlamaCppBackend(find_bundled_model(), n_ctx=int(sys.argv[1]), n_threads=int(sys.argv[2]))
ChatTurn(b, [], sys.argv[3], TurnOptions(sampling=Sampling(max_tokens=int(sys.argv[4]), seed=1))).run()
print(json.dumps({"rss_mb": psutil.Process().memory_info().rss / 2**20}), flush=True)
"""


def child_env(home: str) -> dict[str, str]:
    return {**os.environ, "ASSISTANT_HOME": home, "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}


def write_settings(home: str, n_ctx: int, threads: int, max_tokens: int) -> None:
    from assistant.core.settings import Settings

    os.environ["ASSISTANT_HOME"] = home
    s = Settings(n_ctx=n_ctx, n_threads=threads)
    s.sampling.max_tokens = max_tokens
    s.sampling.seed = 1
    s.save()


def run_app(home: str, extra: list[str], until: str, timeout: float = 300) -> tuple[float, dict[str, dict]]:
    """Launch the app; returns (launch time, {event: data}) once `until` is reported; then closes it."""
    t_launch = time.time()
    proc = subprocess.Popen([sys.executable, "-m", "assistant.ui.app", "--report-startup", *extra], cwd=ROOT,
                            env=child_env(home), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    events: dict[str, dict] = {}
    try:
        assert proc.stdout is not None
        deadline = time.time() + timeout
        while time.time() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            try:
                ev = json.loads(line)
            except ValueError:
                continue
            events[ev["event"]] = ev
            if ev["event"] in (until, "load_failed"):
                break
    finally:
        proc.terminate()  # SIGTERM: the app closes its window properly
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    if until not in events:
        raise SystemExit(f"the app did not report {until!r}: {events}")
    return t_launch, events


def bench_startup(runs: int, n_ctx: int, threads: int) -> dict[str, float]:
    shown, loaded = [], []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            write_settings(home, n_ctx, threads, 64)
            t0, ev = run_app(home, [], "loaded")
            shown.append(ev["shown"]["t"] - t0)
            loaded.append(ev["loaded"]["t"] - t0)
    return {"shown_s": statistics.median(shown), "shown_min_s": min(shown), "loaded_s": statistics.median(loaded)}


def bench_memory(n_ctx: int, threads: int, tokens: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        out = subprocess.run([sys.executable, "-c", MODEL_ONLY, str(n_ctx), str(threads), PROMPT, str(tokens)],
                             cwd=ROOT, env=child_env(home), capture_output=True, text=True, check=True).stdout
        model_only = json.loads(out.strip().splitlines()[-1])["rss_mb"]
    with tempfile.TemporaryDirectory() as home:
        write_settings(home, n_ctx, threads, tokens)
        _, ev = run_app(home, ["--send", PROMPT], "reply")
        app = ev["reply"]["rss_mb"]
    return {"model_only_mb": model_only, "app_mb": app, "above_model_mb": app - model_only}


def bench_streaming(n_ctx: int, threads: int, tokens: int) -> dict[str, float]:
    from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.core.chat.prompting import Sampling
    from assistant.core.chat.turn import ChatTurn, TurnOptions
    from assistant.core.models.catalog import find_bundled_model
    from assistant.core.settings import Settings

    app = QApplication.instance() or QApplication([])
    from assistant.ui.common.i18n import apply_fonts
    from assistant.ui.common.theme import apply_theme
    from assistant.ui.main_window import MainWindow

    assert isinstance(app, QApplication)
    apply_fonts(app)
    apply_theme(app, "light")

    def bare_speed() -> float:
        """The same model and reply without the app, also off the main thread, as the app runs it."""
        out: list[float] = []

        def go() -> None:
            bare = LlamaCppBackend(find_bundled_model(), n_ctx=n_ctx, n_threads=threads)
            res = ChatTurn(bare, [], PROMPT, TurnOptions(sampling=Sampling(max_tokens=tokens, seed=1))).run()
            out.append(res.best.stats.tokens_per_second)
            bare.close()

        t = threading.Thread(target=go)
        t.start()
        t.join()
        return out[0]

    bare_before = bare_speed()

    with tempfile.TemporaryDirectory() as home:
        os.environ["ASSISTANT_HOME"] = home
        s = Settings(n_ctx=n_ctx, n_threads=threads)
        s.sampling.max_tokens = tokens
        s.sampling.seed = 1
        w = MainWindow(s)
        w.resize(1100, 760)
        w.show()
        loop = QEventLoop()
        w.model_loaded.connect(lambda _i: loop.quit())
        w.load_model()
        loop.exec()

        gaps: list[float] = []
        clock = QElapsedTimer()
        beat = QTimer()
        beat.setInterval(5)
        last = [0]

        def tick() -> None:
            now = clock.nsecsElapsed()
            if w.chat.busy and last[0]:
                gaps.append((now - last[0]) / 1e6)
            last[0] = now

        beat.timeout.connect(tick)
        clock.start()
        beat.start()
        summaries = []
        w.reply_done.connect(lambda summary: (summaries.append(summary), loop.quit()))
        t0 = time.perf_counter()
        repaints0 = w.chat.repaints
        w.session.send_message(PROMPT)
        loop.exec()
        elapsed = time.perf_counter() - t0
        beat.stop()
        summary = summaries[0]
        repaints = w.chat.repaints - repaints0
        w.close()
    bare_tok_s = (bare_before + bare_speed()) / 2  # before and after: the machine's load drifts
    stall = max(gaps) - 5.0 if gaps else float("nan")
    return {
        "stall_ms": stall, "p99_gap_ms": sorted(gaps)[int(0.99 * (len(gaps) - 1))] if gaps else float("nan"),
        "reply_tokens": summary.completion_tokens, "reply_s": elapsed, "repaints_per_s": repaints / elapsed,
        "app_tok_s": summary.tokens_per_second, "bare_tok_s": bare_tok_s,
        "answer_chars": len(summary.answer),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="start-up runs (median reported)")
    ap.add_argument("--tokens", type=int, default=1500, help="max tokens of the streamed reply")
    ap.add_argument("--ctx", type=int, default=4096)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {os.cpu_count()} CPUs, load average {load:.1f}; model: bundled SmolLM2-135M Q4_1, "
          f"n_ctx {args.ctx}, {args.threads} threads")

    st = bench_streaming(args.ctx, args.threads, args.tokens)
    print(f"\nstreaming ({st['reply_tokens']} tokens, {st['answer_chars']} chars in {st['reply_s']:.1f} s):")
    print(f"  longest event-loop stall  {st['stall_ms']:7.1f} ms   target < {TARGETS['stall_ms']:.0f} ms   "
          f"ratio {st['stall_ms'] / TARGETS['stall_ms']:.2f}")
    print(f"  99th percentile tick gap  {st['p99_gap_ms']:7.1f} ms   (heartbeat every 5 ms)")
    print(f"  repaints per second       {st['repaints_per_s']:7.1f}      cap ~30")
    if st["bare_tok_s"]:
        print(f"  decode speed in the app   {st['app_tok_s']:7.1f} tok/s vs the model alone "
              f"{st['bare_tok_s']:.1f} tok/s "
              f"(mean of before/after)   ratio {st['app_tok_s'] / st['bare_tok_s']:.2f}")

    su = bench_startup(args.runs, args.ctx, args.threads)
    print(f"\nstart-up (median of {args.runs} fresh processes):")
    print(f"  launch → window shown     {su['shown_s']:7.2f} s    target < {TARGETS['startup_s']:.1f} s   "
          f"ratio {su['shown_s'] / TARGETS['startup_s']:.2f}   (best {su['shown_min_s']:.2f} s)")
    print(f"  launch → model loaded     {su['loaded_s']:7.2f} s    (in the worker, after the window)")

    me = bench_memory(args.ctx, args.threads, min(args.tokens, 200))
    print("\nmemory (RSS after one reply):")
    print(f"  model only                {me['model_only_mb']:7.1f} MB")
    print(f"  app with the model        {me['app_mb']:7.1f} MB")
    print(f"  app above the model       {me['above_model_mb']:7.1f} MB   target < {TARGETS['memory_mb']:.0f} MB   "
          f"ratio {me['above_model_mb'] / TARGETS['memory_mb']:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
