"""The two ways in: ``run_code`` (a program, its output and exit status) and ``run_tests`` (a solution judged
by unit tests), plus ``status`` for ``assistant doctor`` and the app's self-test."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import assistant.core.sandbox.checks as checks
import assistant.core.sandbox.jail as jail
import assistant.core.sandbox.runner as runner
from assistant.core.sandbox.runner import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Limits


def ready(*, again: bool = False) -> jail.Plan:
    """The sandbox this machine runs, found (and tested with a real run) once; SandboxUnavailable if none."""
    return jail.plan(runner.probe, again=again)


@dataclass
class RunResult:
    stdout: str
    stderr: str
    exit_code: int | None  # the program's status; None when it was killed
    timed_out: bool
    stopped: bool  # the caller's stop event ended it
    killed: bool  # ended by a signal: the time limit, the CPU limit, a crash, stop
    seconds: float
    limits: Limits
    stdout_truncated: bool = False
    stderr_truncated: bool = False
    signal: int | None = None

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and not (self.timed_out or self.stopped or self.killed)

    def summary(self) -> str:
        if self.stopped:
            return f"stopped after {self.seconds:.1f} s"
        if self.timed_out:
            return f"timed out after {self.limits.time_s:g} s"
        if self.killed:
            return f"killed by signal {self.signal} after {self.seconds:.1f} s (a limit was reached)"
        return f"exit status {self.exit_code} in {self.seconds:.2f} s"

    def to_dict(self) -> dict[str, Any]:
        return {"stdout": self.stdout, "stderr": self.stderr, "exit_code": self.exit_code,
                "timed_out": self.timed_out, "stopped": self.stopped, "killed": self.killed,
                "seconds": self.seconds, "limits": self.limits.to_dict(), "summary": self.summary()}


def run_code(code: str, *, timeout_s: float = DEFAULT_TIMEOUT_S, memory_mb: int = DEFAULT_MEMORY_MB,
             stop: threading.Event | None = None, stdin: str = "",
             scratch_mb: int = runner.DEFAULT_SCRATCH_MB, files: int = runner.DEFAULT_FILES,
             output_bytes: int = runner.DEFAULT_OUTPUT_BYTES) -> RunResult:
    """Run a Python program in the sandbox as ``python main.py`` would, with ``stdin`` as its input.

    Raises SandboxUnavailable (message and hint) where this machine has no sandbox; anything the code does
    ends up in the result. ``stop.set()`` from another thread kills the whole sandbox at once."""
    plan = ready()
    raw = runner.execute(plan, {"mode": "code", "code": code}, timeout_s=timeout_s, memory_mb=memory_mb,
                         scratch_mb=scratch_mb, files=files, stdin=stdin, stop=stop, output_bytes=output_bytes)
    finished = next((r["exit"] for r in raw.records if isinstance(r.get("exit"), int)), None)
    rc = raw.returncode
    sig: int | None = None
    if rc is not None and rc < 0:
        sig = -rc
    elif rc is not None and rc > 128 and finished is None:
        sig = rc - 128  # bwrap reports a child killed by signal N as 128 + N
    killed = sig is not None or raw.timed_out or raw.stopped
    stderr = raw.stderr
    if raw.setup_error:
        stderr = f"sandbox setup failed: {raw.setup_error}\n" + stderr
    return RunResult(raw.stdout, stderr, None if killed else rc, raw.timed_out, raw.stopped, killed, raw.seconds,
                     raw.limits, raw.stdout_bytes > output_bytes, raw.stderr_bytes > output_bytes, sig)


@dataclass
class TestsResult:
    __test__ = False  # not a pytest test class
    status: str  # "passed" | "failed" | "timeout" | "error"
    passed: int = 0
    total: int = 0
    detail: str = ""
    seconds: float = 0.0
    output: str = ""  # the tail of what the code printed
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == "passed"

    def summary(self) -> str:
        text = {"passed": f"{self.passed}/{self.total} tests passed",
                "failed": f"{self.passed}/{self.total} tests passed",
                "timeout": f"timed out after {self.seconds:.1f} s ({self.passed}/{self.total} tests passed before)",
                "error": "the code did not finish"}[self.status]
        return f"{text}; {self.detail}" if self.detail else text


def run_tests(code: str, tests: Sequence[str], *, timeout_s: float = DEFAULT_TIMEOUT_S,
              memory_mb: int = DEFAULT_MEMORY_MB) -> TestsResult:
    """Run ``code``, then judge it by ``tests`` (``assert f(1) == 2`` statements) — outside the sandbox, from
    the values it reports (see ``checks``). Raises SandboxUnavailable where there is no sandbox and
    checks.TestSpecError for a test that cannot be judged that way; never raises for what the code does."""
    plans = checks.compile_tests(tests)
    plan = ready()
    body = {"mode": "tests", "code": code, "tests": [p.steps for p in plans]}
    raw = runner.execute(plan, body, timeout_s=timeout_s, memory_mb=memory_mb, output_bytes=64 * 1024)
    output = raw.stdout[-2000:]
    total = len(plans)
    if raw.setup_error:
        return TestsResult("error", 0, total, f"sandbox setup failed: {raw.setup_error}", raw.seconds, output)
    if raw.result_overflow:
        return TestsResult("error", 0, total, "the results were too large", raw.seconds, output)
    load = next((r for r in raw.records if "load_error" in r), None)
    if load is not None:
        return TestsResult("failed", 0, total, str(load["load_error"])[:500], raw.seconds, output)
    by_test: dict[int, dict[str, Any]] = {}
    for rec in raw.records:
        i = rec.get("test")
        if isinstance(i, int) and not isinstance(i, bool) and 0 <= i < total:
            by_test.setdefault(i, rec)  # the first record of a test counts; later copies are ignored
    passed, failures = 0, []
    for i, p in enumerate(plans):
        ok, why = checks.judge(p, by_test.get(i))
        passed += ok
        if not ok and i in by_test:
            failures.append(why)
    if raw.timed_out:
        return TestsResult("timeout", passed, total, "", raw.seconds, output, failures)
    if len(by_test) < total or not any(r.get("done") for r in raw.records):
        why = _why_stopped(raw)
        return TestsResult("error", passed, total, why, raw.seconds, output, failures)
    status = "passed" if passed == total else "failed"
    return TestsResult(status, passed, total, "; ".join(failures[:2]), raw.seconds, output, failures)


def _why_stopped(raw: runner.Raw) -> str:
    rc = raw.returncode
    why = f"exit status {rc}"
    if rc is not None and rc > 128:
        names = {9: "killed (SIGKILL: the CPU time limit or the memory limit)", 24: "CPU time limit (SIGXCPU)",
                 11: "crashed (SIGSEGV)", 6: "aborted (SIGABRT)", 31: "a forbidden system call (SIGSYS)"}
        why = names.get(rc - 128, f"killed by signal {rc - 128}")
    last = raw.stderr.strip().splitlines()[-1:]
    return "; ".join([why, *last])[:500]


@dataclass
class SandboxStatus:
    available: bool
    message: str  # what runs code here, or why nothing does
    hint: str = ""
    limits: str = ""


def status(*, again: bool = False) -> SandboxStatus:
    """Whether code from answers can run here (a real sandboxed run, once per process), for doctor and the
    self-test; never raises."""
    try:
        plan = ready(again=again)
    except jail.SandboxUnavailable as exc:
        return SandboxStatus(False, exc.message, exc.hint)
    limits = runner.limits_for(DEFAULT_TIMEOUT_S, DEFAULT_MEMORY_MB, runner.DEFAULT_SCRATCH_MB, runner.DEFAULT_FILES,
                            plan)
    return SandboxStatus(True, plan.describe(), limits=limits.describe())


def self_check() -> tuple[bool, str]:
    """A short end-to-end check for the packaged app's self-test: Python runs, prints Chinese, and cannot
    reach the network or the user's files. (ok, one line to show)."""
    st = status()
    if not st.available:
        return False, f"{st.message} {st.hint}".strip()
    probe = ("import os, socket\nprint('沙箱', 6 * 7)\n"
             "try:\n    socket.create_connection(('127.0.0.1', 9), timeout=1)\n    print('net')\n"
             "except OSError:\n    pass\n"
             "print('open' if os.path.exists('/home') or os.path.exists('/etc/passwd') else 'sealed')\n")
    try:
        r = run_code(probe, timeout_s=10)
    except jail.SandboxUnavailable as exc:
        return False, exc.user_text()
    good = r.ok and r.stdout.split() == ["沙箱", "42", "sealed"]
    return good, (f"sandbox works: {st.message}" if good else f"sandbox run failed: {r.summary()} {r.stderr[-300:]}")
