"""The two arrangements CI's root cannot show by itself: bwrap started by an ordinary user, and by root dropping to
``nobody`` (where the interpreter is readable by anyone). Both run the same script with the system Python, as
the user concerned, so threads are allowed there and bounded by RLIMIT_NPROC, which the kernel enforces for
any user but root."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.sandbox.jail import NOBODY, readable_by_anyone
from tests.sandbox.conftest import IS_ROOT

REPO = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = Path("/usr/bin/python3")
SCRIPT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from assistant.core.sandbox import ready, run_code, run_tests
out = {"plan": ready().describe()}
thread_bomb = ("import threading, time\nn = 0\ntry:\n    while True:\n"
               "        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()\n        n += 1\n"
               "except RuntimeError:\n    print(n)\n")
out["threads"] = int(run_code(thread_bomb, memory_mb=4096).stdout or -1)
out["fork"] = run_code("import os\ntry:\n    os.fork()\nexcept OSError as e:\n    print(e.errno)\n").stdout.strip()
write = "try:\n    open(%r, 'w')\nexcept OSError as e:\n    print(e.errno)\n" % sys.argv[2]
out["write"] = run_code(write).stdout.strip()
out["good"] = run_tests("def f(x):\n    return 2 * x\n", ["assert f(2) == 4", "assert f(-1) == -2"]).ok
out["bad"] = run_tests("def f(x):\n    return x\n", ["assert f(2) == 4"]).ok
print(json.dumps(out))
"""


def _run(tmp_path: Path, as_nobody: bool) -> dict[str, object]:
    target = tmp_path / "outside.txt"
    user = {"user": NOBODY, "group": NOBODY, "extra_groups": []} if as_nobody else {}
    proc = subprocess.run([str(SYSTEM_PYTHON), "-I", "-c", SCRIPT, str(REPO), str(target)], capture_output=True,
                          text=True, timeout=120, cwd="/", env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
                          **user)  # type: ignore[call-overload]
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert not target.exists()
    return json.loads(proc.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


needs = pytest.mark.skipif(
    not (IS_ROOT and SYSTEM_PYTHON.exists() and sys.platform.startswith("linux")),
    reason="needs root (to act as nobody) and a system Python at /usr/bin/python3")


@needs
@pytest.mark.skipif(not readable_by_anyone(str(REPO / "assistant" / "core" / "sandbox" / "api.py")),
                    reason="the checkout is not readable by other users, so nobody cannot import it")
def test_as_an_ordinary_user(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    out = _run(tmp_path, as_nobody=True)
    assert "as you" in str(out["plan"]) and "threads allowed" in str(out["plan"])
    assert 1 <= int(out["threads"]) <= 62  # type: ignore[call-overload]
    assert out["fork"] == "1" and out["write"] in ("2", "30") and out["good"] is True and out["bad"] is False


@needs
@pytest.mark.skipif(not readable_by_anyone(os.path.realpath(SYSTEM_PYTHON)),
                    reason="the system Python is not readable by nobody")
def test_as_root_dropping_to_nobody(tmp_path: Path) -> None:
    out = _run(tmp_path, as_nobody=False)
    assert "as nobody" in str(out["plan"]) and "threads allowed" in str(out["plan"])
    assert 1 <= int(out["threads"]) <= 62  # type: ignore[call-overload]
    assert out["fork"] == "1" and out["write"] in ("2", "30") and out["good"] is True and out["bad"] is False
