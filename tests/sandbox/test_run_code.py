"""run_code, the entry the chat's Run button uses: output, input, exit status, limits, timeout and stop."""

from __future__ import annotations

import threading
import time

from assistant.core.sandbox import run_code
from tests.sandbox.conftest import sandbox_processes, threads_allowed


def test_output_status_and_chinese() -> None:
    r = run_code("import sys\nprint('你好，世界', 6 * 7)\nprint('出错了', file=sys.stderr)\nsys.exit(3)\n")
    assert r.stdout == "你好，世界 42\n" and r.stderr == "出错了\n"
    assert r.exit_code == 3 and not r.ok and not (r.timed_out or r.stopped or r.killed)
    ok = run_code("print('fine')")
    assert ok.ok and ok.exit_code == 0 and ok.seconds < 5
    crash = run_code("def f():\n    return 1 / 0\nf()\n")
    assert crash.exit_code == 1 and "ZeroDivisionError" in crash.stderr and 'File "main.py", line 2' in crash.stderr
    assert "harness" not in crash.stderr and "_P[" not in crash.stderr  # the traceback starts at the user's code


def test_stdin_reaches_the_program() -> None:
    r = run_code("name = input()\nrest = input()\nprint(f'hello {name}, {rest}')\n", stdin="小明\nbye\n")
    assert r.stdout == "hello 小明, bye\n"
    eof = run_code("try:\n    input()\nexcept EOFError:\n    print('eof')\n")
    assert eof.stdout == "eof\n"
    big = "x" * 300_000 + "\n"  # more than a pipe holds: written while the program reads
    assert run_code("import sys\nprint(len(sys.stdin.read()))", stdin=big).stdout == "300001\n"


def test_output_is_capped_and_the_flood_is_counted() -> None:
    r = run_code("import sys\nfor i in range(200000):\n    sys.stdout.write('line %d\\n' % i)\n",
                 output_bytes=64 * 1024)
    assert r.ok and r.stdout_truncated and len(r.stdout.encode()) < 70 * 1024
    assert r.stdout.startswith("line 0\n") and r.stdout.endswith("line 199999\n") and "bytes left out" in r.stdout


def test_limits_are_described_for_the_ui() -> None:
    r = run_code("pass", timeout_s=5, memory_mb=256)
    text = r.limits.describe()
    assert "5 s" in text and "256 MB" in text and "no network" in text and "64 MB scratch" in text
    assert r.limits.to_dict()["network"] is False
    assert ("threads" in text) and (("no threads" in text) != threads_allowed())


def test_infinite_loop_is_killed_at_the_timeout() -> None:
    t0 = time.monotonic()
    r = run_code("while True:\n    pass\n", timeout_s=1.5)
    assert r.timed_out and r.killed and r.exit_code is None and not r.ok
    assert 1.4 < time.monotonic() - t0 < 5
    assert "timed out" in r.summary()
    sleeper = run_code("import time\nprint('start', flush=True)\ntime.sleep(60)\n", timeout_s=1)
    assert sleeper.timed_out and sleeper.stdout == "start\n"  # output before the kill is kept
    assert sandbox_processes() == []


def test_stop_kills_the_whole_sandbox_at_once() -> None:
    stop = threading.Event()
    code = ("import threading, time\n"
            "def spin():\n    while True:\n        pass\n"
            "try:\n    threading.Thread(target=spin, daemon=True).start()\nexcept RuntimeError:\n    pass\n"
            "print('running', flush=True)\ntime.sleep(60)\n")
    timer = threading.Timer(0.8, stop.set)
    timer.start()
    t0 = time.monotonic()
    r = run_code(code, timeout_s=30, stop=stop)
    took = time.monotonic() - t0
    timer.join()
    assert r.stopped and r.killed and not r.timed_out and r.stdout == "running\n"
    assert took < 2.5 and "stopped" in r.summary()
    assert sandbox_processes() == []  # nothing of it is left running


def test_memory_and_cpu_limits() -> None:
    r = run_code("x = bytearray(3 * 1024 ** 3)\n", memory_mb=256)
    assert r.exit_code == 1 and "MemoryError" in r.stderr and r.seconds < 5
    small = run_code("x = bytearray(16 * 1024 ** 2)\nprint(len(x))", memory_mb=256)
    assert small.ok and small.stdout == "16777216\n"
