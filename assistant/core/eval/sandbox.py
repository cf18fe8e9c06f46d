"""Run a model's Python code against unit tests in a child process that can do little harm.

Layers, each catching what the others may miss:

* a child Python started isolated (``-I -S -B``: no user site, no environment, no .pyc writes), in a fresh
  scratch folder as its working directory, with a minimal environment and no stdin after the payload;
* resource limits it sets on itself before the code is read (POSIX): CPU seconds, address space
  (``memory_mb``), file size, open files, and no new processes (``RLIMIT_NPROC`` 0 — not enforced for
  root, hence the next layer);
* an audit hook (PEP 578) installed before the untrusted code runs, which no later code can remove: it
  refuses sockets, subprocesses, ``fork``/``exec``/``spawn``/``kill``, ``ctypes`` and the C modules behind
  them, writing, renaming or deleting anything outside the scratch folder, and changing directory out of it;
* a wall-clock timeout after which the whole process group is killed.

What it does not stop: reading files the user can read, and code written to attack the interpreter
itself. It is for scoring honest answers safely (a loop, a stray ``rm``, a fork), not for hostile code.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 512
OUTPUT_LIMIT = 8 * 1024 * 1024  # bytes the code may write to a file or its output

# The child's program. It reads its payload from stdin, limits itself, arms the audit hook, then runs the
# solution and each test in one namespace, and reports on a dup of stdout after a random marker.
HARNESS = r'''
import json, os, sys
sys.dont_write_bytecode = True
_p = json.loads(sys.stdin.read())
sys.stdin.close()
if os.name == "posix":
    import resource
    def _limit(name, value):
        try:
            resource.setrlimit(getattr(resource, name), (value, value))
        except (AttributeError, ValueError, OSError):
            pass
    _limit("RLIMIT_CPU", _p["cpu_s"])
    _limit("RLIMIT_AS", _p["memory"])
    _limit("RLIMIT_FSIZE", _p["fsize"])
    _limit("RLIMIT_NOFILE", 64)
    _limit("RLIMIT_CORE", 0)
    _limit("RLIMIT_NPROC", 0)
_scratch = os.path.realpath(_p["scratch"])
_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
_blocked = []
_W = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_DENY = ("socket.", "subprocess.", "os.system", "os.fork", "os.posix_spawn", "os.exec", "os.spawn", "os.kill",
         "os.killpg", "os.startfile", "os.setns", "os.unshare", "ctypes.", "pty.", "winreg.", "msvcrt.",
         "_winapi.", "signal.pthread_kill", "sys._debugmallocstats", "resource.setrlimit", "resource.prlimit")
_DENY_IMPORT = {"_ctypes", "ctypes", "_posixsubprocess", "subprocess", "_socket", "socket", "_ssl", "_winapi",
                "multiprocessing", "_multiprocessing", "pty", "mmap"}
_PATHS = {"os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.link", "os.symlink",
          "os.truncate", "os.utime", "os.chdir", "os.chflags", "os.setxattr", "os.removexattr", "os.mkfifo",
          "os.mknod", "shutil.rmtree", "shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.copytree",
          "shutil.move", "shutil.chown", "shutil.make_archive", "shutil.unpack_archive"}
def _inside(path):
    try:
        p = os.fsdecode(path)
    except TypeError:
        return True  # a file descriptor: opened (and checked) before
    real = os.path.realpath(p)
    return real == _scratch or real.startswith(_scratch + os.sep)
def _deny(event, what):
    _blocked.append(what)
    raise PermissionError(f"sandbox: {what} is not allowed")
def _hook(event, args):
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int):
            return
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            isinstance(flags, int) and flags & _W)
        if writing and not _inside(path):
            _deny(event, f"writing {os.fsdecode(path)}")
        if mode is None and not _inside(path) and os.path.isdir(path):
            _deny(event, f"opening the folder {os.fsdecode(path)}")  # a dir_fd would let writes escape
    elif event == "import":
        if args[0] in _DENY_IMPORT:
            _deny(event, f"import {args[0]}")
    elif event in _PATHS:
        for a in args:
            if isinstance(a, (str, bytes, os.PathLike)) and not _inside(a):
                _deny(event, f"{event} {os.fsdecode(a)}")
    elif event.startswith(_DENY):
        _deny(event, event)
sys.addaudithook(_hook)
_ns = {"__name__": "solution", "__builtins__": __builtins__}
_res = {"passed": 0, "total": len(_p["tests"]), "failures": [], "load_error": ""}
try:
    exec(compile(_p["code"], "solution.py", "exec"), _ns)
except BaseException as e:
    _res["load_error"] = f"{type(e).__name__}: {e}"[:500]
else:
    for _t in _p["tests"]:
        try:
            exec(compile(_t, "test", "exec"), _ns)
            _res["passed"] += 1
        except BaseException as e:
            _res["failures"].append(f"{_t[:120]} -> {type(e).__name__}: {str(e)[:200]}")
_res["blocked"] = _blocked[:20]
for _f in (sys.stdout, sys.stderr):
    try:
        _f.flush()
    except BaseException:
        pass
_out.write("\n" + _p["marker"] + json.dumps(_res) + "\n")
_out.flush()
os._exit(0)
'''


@dataclass
class SandboxResult:
    status: str  # "passed" | "failed" | "timeout" | "error"
    passed: int = 0
    total: int = 0
    detail: str = ""
    blocked: list[str] = field(default_factory=list)  # what the audit hook refused
    seconds: float = 0.0
    output: str = ""  # the tail of what the code printed

    @property
    def ok(self) -> bool:
        return self.status == "passed"

    def summary(self) -> str:
        text = {"passed": f"{self.passed}/{self.total} tests passed",
                "failed": f"{self.passed}/{self.total} tests passed",
                "timeout": f"timed out after {self.seconds:.1f} s",
                "error": "the code did not finish"}[self.status]
        if self.detail:
            text += f"; {self.detail}"
        if self.blocked:
            text += f"; blocked: {', '.join(self.blocked[:3])}"
        return text


def child_command() -> list[str]:
    if getattr(sys, "frozen", False):
        # The packaged app runs `assistant -c CODE` as python would (packaging/entry.py); it has no -I/-S.
        return [sys.executable, "-c", HARNESS]
    return [sys.executable, "-I", "-S", "-B", "-c", HARNESS]


def _kill(proc: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(OSError):
        if os.name == "posix":
            os.killpg(proc.pid, signal.SIGKILL)  # the session it leads: anything it started goes too
        else:
            proc.kill()


def _tail(path: Path, limit: int = 2000) -> str:
    try:
        with path.open("rb") as f:
            f.seek(max(0, path.stat().st_size - limit))
            return f.read().decode("utf-8", "replace")
    except OSError:
        return ""


def run_tests(code: str, tests: Sequence[str], *, timeout_s: float = DEFAULT_TIMEOUT_S,
              memory_mb: int = DEFAULT_MEMORY_MB) -> SandboxResult:
    """Run ``code`` then each test statement (``assert f(1) == 2``) in a sandboxed child; never raises for
    anything the code does."""
    marker = "@@sandbox-" + secrets.token_hex(8) + "@@"
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="assistant-sandbox-") as tmp:
        scratch = Path(tmp) / "scratch"
        scratch.mkdir()
        payload = json.dumps({
            "code": code, "tests": list(tests), "marker": marker, "scratch": str(scratch),
            "cpu_s": int(timeout_s) + 2, "memory": memory_mb * 1024 * 1024, "fsize": OUTPUT_LIMIT,
        }).encode()
        out_path, err_path = Path(tmp) / "stdout", Path(tmp) / "stderr"
        env = {"PATH": os.defpath, "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
        if os.name == "nt":
            env["SYSTEMROOT"] = os.environ.get("SYSTEMROOT", r"C:\Windows")
        with out_path.open("wb") as out, err_path.open("wb") as err:
            proc = subprocess.Popen(child_command(), cwd=scratch, stdin=subprocess.PIPE, stdout=out, stderr=err,
                                    env=env, start_new_session=True)
            timed_out = False
            try:
                proc.communicate(payload, timeout=timeout_s)
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                _kill(proc)
                proc.wait()
        seconds = time.monotonic() - t0
        stdout = _tail(out_path, OUTPUT_LIMIT)
        stderr = _tail(err_path)
    if timed_out:
        return SandboxResult("timeout", total=len(tests), seconds=seconds, output=stdout[-2000:])
    at = stdout.rfind(marker)
    if at < 0:
        why = f"exit status {proc.returncode}"
        if proc.returncode in (-signal.SIGXCPU if os.name == "posix" else None,):
            why = "CPU time limit"
        last = stderr.strip().splitlines()[-1:] if stderr.strip() else []
        return SandboxResult("error", total=len(tests), detail="; ".join([why, *last])[:500], seconds=seconds,
                             output=stdout[-2000:])
    try:
        res = json.loads(stdout[at + len(marker):].splitlines()[0])
    except (ValueError, IndexError):
        return SandboxResult("error", total=len(tests), detail="unreadable result", seconds=seconds)
    detail = res["load_error"] or "; ".join(res["failures"][:2])
    status = "passed" if not res["load_error"] and res["passed"] == len(tests) else "failed"
    return SandboxResult(status, res["passed"], len(tests), detail, list(res.get("blocked", [])), seconds,
                         stdout[:at][-2000:])
