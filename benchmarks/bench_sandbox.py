"""Time per code task: the OS sandbox (bubblewrap, assistant/core/sandbox) vs the audit-hook child it replaced
(assistant/core/eval/sandbox.py, read from git history), side by side in one run, alternating which goes
first, several rounds; prints each task's median and the ratio new / old.

    python benchmarks/bench_sandbox.py [--rounds 5]

The tasks are the built-in suite's code tasks with a correct solution each (what `assistant eval` runs per
sample). The sandbox's one-off start-up check (a real sandboxed run, once per process) is timed apart.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.core.eval.tasks import load_suites  # noqa: E402
from assistant.core.sandbox import ready, run_code, run_tests  # noqa: E402
from tests.sandbox.test_run_tests import RIGHT  # noqa: E402

OLD_PATH = "assistant/core/eval/sandbox.py"


def old_sandbox() -> ModuleType:
    """The audit-hook sandbox as it was in the commit before it was removed."""
    gone = subprocess.run(["git", "log", "-1", "--format=%H", "--diff-filter=D", "--", OLD_PATH], cwd=ROOT,
                          capture_output=True, text=True, check=True).stdout.strip()
    source = subprocess.run(["git", "show", f"{gone}^:{OLD_PATH}" if gone else f"HEAD:{OLD_PATH}"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    path = Path(tempfile.mkdtemp(prefix="bench-sandbox-")) / "old_sandbox.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("old_sandbox", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["old_sandbox"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    old = old_sandbox()
    t0 = time.perf_counter()
    plan = ready()
    print(f"sandbox: {plan.describe()}; start-up check (once per process) {time.perf_counter() - t0:.3f} s")
    tasks = [(t.id, c) for t in load_suites(kinds=["instruct"]) for c in t.spec["checks"] if c["type"] == "code"]
    times: dict[tuple[str, str], list[float]] = {}
    for r in range(args.rounds):
        for task_id, check in tasks:
            code, tests = RIGHT[check["function"]], check["tests"]
            sides = [("old", old.run_tests), ("new", run_tests)]
            for side, fn in sides if r % 2 == 0 else sides[::-1]:
                t = time.perf_counter()
                result = fn(code, tests, timeout_s=float(check.get("timeout", 10)))
                times.setdefault((task_id, side), []).append(time.perf_counter() - t)
                assert result.ok, (side, task_id, result.summary())
    print(f"\n{'task':24} {'old (audit hook)':>17} {'new (bubblewrap)':>17} {'new/old':>8}")
    total_old = total_new = 0.0
    for task_id, _ in tasks:
        o, n = statistics.median(times[task_id, "old"]), statistics.median(times[task_id, "new"])
        total_old, total_new = total_old + o, total_new + n
        print(f"{task_id:24} {o * 1000:14.1f} ms {n * 1000:14.1f} ms {n / o:7.2f}x")
    print(f"{'all tasks (sum of medians)':24} {total_old * 1000:14.1f} ms {total_new * 1000:14.1f} ms "
          f"{total_new / total_old:7.2f}x")
    hello = []
    for _ in range(args.rounds):
        t = time.perf_counter()
        run_code("print('hello')")
        hello.append(time.perf_counter() - t)
    print(f"\nrun_code('print(\"hello\")'): median {statistics.median(hello) * 1000:.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
