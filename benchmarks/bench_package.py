"""The packaged app against the same app run from source, side by side in one run.

    python benchmarks/bench_package.py [--rounds 5]

Needs the one-folder app (``python packaging/build.py app``, or ``bash packaging/bootstrap.sh package``);
the .deb sizes are read from dist/ when it is there. For each round, alternately, it starts the frozen
app and ``python -m assistant.ui.app`` from the virtual environment, both offscreen on a fresh profile,
and clocks from the moment the process is started to the window being shown and to the model being
loaded (the app prints these events with --report-startup). Targets: the frozen app shows its window in
under 2 s after launch; the .deb without the R1 model is at most 250 MB. Machines here are noisy:
compare the two columns, which ran interleaved, rather than quoting one number.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "build" / "package" / "dist" / "assistant" / "assistant"
# Installers of the anchors, for scale (their sizes as published: Ollama's Windows installer, LM Studio's
# Linux AppImage, Jan's .deb).
ANCHORS_MB = {"Ollama (Windows installer)": 982, "LM Studio (AppImage)": 1000, "Jan (.deb)": 1170}


def start_once(argv: list[str]) -> dict[str, float]:
    home = tempfile.mkdtemp(prefix="bench-package-")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", ASSISTANT_HOME=home)
    env.pop("DISPLAY", None)
    t0 = time.time()
    proc = subprocess.Popen([*argv, "--report-startup"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=env, text=True)
    seen: dict[str, float] = {}
    try:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            seen[event["event"]] = event["t"] - t0
            if event["event"] in ("loaded", "load_failed"):
                break
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    if "loaded" not in seen:
        raise SystemExit(f"{argv[0]} did not load the model: {seen}")
    return seen


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    if not APP.is_file():
        raise SystemExit(f"{APP} is missing: build it first (python packaging/build.py app)")
    runs: dict[str, list[dict[str, float]]] = {"frozen app": [], "from source (venv)": []}
    cmds = {"frozen app": [str(APP)], "from source (venv)": [sys.executable, "-m", "assistant.ui.app"]}
    start_once(cmds["frozen app"])  # warm the page cache for both, once, unmeasured
    start_once(cmds["from source (venv)"])
    for r in range(args.rounds):
        order = list(cmds) if r % 2 == 0 else list(reversed(cmds))
        for name in order:
            runs[name].append(start_once(cmds[name]))

    def med(name: str, key: str) -> float:
        return statistics.median(x[key] for x in runs[name])

    print(f"start-up, median of {args.rounds} interleaved rounds (fresh profile each time, offscreen)")
    print(f"{'':24}{'window shown':>14}{'model loaded':>14}")
    for name in runs:
        print(f"{name:24}{med(name, 'shown'):>12.3f} s{med(name, 'loaded'):>12.3f} s")
    fs, vs = med("frozen app", "shown"), med("from source (venv)", "shown")
    print(f"frozen/source, window shown: {fs / vs:.2f}x; model loaded: "
          f"{med('frozen app', 'loaded') / med('from source (venv)', 'loaded'):.2f}x")
    print(f"frozen window shown {fs:.2f} s after launch: {'meets' if fs < 2.0 else 'MISSES'} the < 2 s target "
          f"(worst round {max(x['shown'] for x in runs['frozen app']):.2f} s)")

    app_mb = sum(p.stat().st_size for p in APP.parent.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6
    print(f"\none-folder app: {app_mb:.0f} MB on disk")
    for deb in sorted((ROOT / "dist").glob("*.deb")):
        mb = deb.stat().st_size / 1e6
        line = f"{deb.name}: {mb:.1f} MB"
        if deb.name.startswith("assistant_"):
            line += f" ({'meets' if mb <= 250 else 'MISSES'} the <= 250 MB target); " + ", ".join(
                f"{mb / v:.2f}x {k}" for k, v in ANCHORS_MB.items())
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
