"""Starting the sandbox, feeding it, reading it with bounded buffers, and killing it on time or on request."""

from __future__ import annotations

import contextlib
import json
import math
import os
import selectors
import signal
import subprocess
import threading
import time
from dataclasses import dataclass
from typing import Any

import assistant.core.sandbox.jail as jail
import assistant.core.sandbox.seccomp as seccomp
from assistant.core.sandbox.harness import HARNESS

DEFAULT_TIMEOUT_S = 10.0
DEFAULT_MEMORY_MB = 512
DEFAULT_SCRATCH_MB = 64
DEFAULT_FILES = 4096  # files and folders the scratch folder can hold
DEFAULT_OUTPUT_BYTES = 256 * 1024  # kept of each of stdout and stderr
THREADS = 62  # threads the code may start where the kernel counts tasks (RLIMIT_NPROC: these + 2)
RESULT_LIMIT = 16 * 1024 * 1024  # bytes of results the parent reads at most
_SYSCALLS = {"x86_64": {"capset": 126}, "aarch64": {"capset": 91}}


@dataclass(frozen=True)
class Limits:
    """What the sandbox allows, in a form the UI can show next to a result."""

    time_s: float
    memory_mb: int
    scratch_mb: int
    files: int
    threads: int  # threads the code may start (0: none); processes are never allowed
    network: bool = False

    def describe(self) -> str:
        threads = f"up to {self.threads} threads" if self.threads else "no threads"
        return (f"{self.time_s:g} s, {self.memory_mb} MB memory, no network, a {self.scratch_mb} MB scratch "
                f"folder (at most {self.files:,} files), no other programs, {threads}, no access to your files")

    def to_dict(self) -> dict[str, Any]:
        return {"time_s": self.time_s, "memory_mb": self.memory_mb, "scratch_mb": self.scratch_mb,
                "files": self.files, "threads": self.threads, "network": self.network}


@dataclass
class Raw:
    """What one sandbox run produced, before interpretation."""

    stdout: str
    stderr: str
    returncode: int | None
    records: list[dict[str, Any]]
    timed_out: bool
    stopped: bool
    seconds: float
    limits: Limits
    stdout_bytes: int = 0
    stderr_bytes: int = 0
    result_overflow: bool = False
    setup_error: str = ""


class _Capped:
    """The first and last bytes of a stream, and how many there were."""

    def __init__(self, limit: int) -> None:
        self.head = bytearray()
        self.tail = bytearray()
        self.limit, self.total = limit, 0
        self._tail_max = min(8192, limit // 4)

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.limit - self._tail_max - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            del self.tail[:-self._tail_max or len(self.tail)]

    def text(self) -> str:
        left = self.total - len(self.head) - len(self.tail)
        out = self.head.decode("utf-8", "replace")
        if left > 0:
            out += f"\n… {left:,} bytes left out …\n"
        return out + self.tail.decode("utf-8", "replace")


def limits_for(timeout_s: float, memory_mb: int, scratch_mb: int, files: int, plan: jail.Plan) -> Limits:
    return Limits(timeout_s, memory_mb, scratch_mb, files, THREADS if plan.threads else 0)


def _payload(plan: jail.Plan, limits: Limits, body: dict[str, Any]) -> bytes:
    rlimits = {"RLIMIT_CPU": math.ceil(limits.time_s) + 1, "RLIMIT_AS": limits.memory_mb * 1024 * 1024,
               "RLIMIT_FSIZE": limits.scratch_mb * 1024 * 1024, "RLIMIT_NOFILE": 64, "RLIMIT_CORE": 0,
               # tasks of the sandbox's user in its namespace: bwrap's init, the interpreter, its threads
               "RLIMIT_NPROC": limits.threads + 2, "RLIMIT_MEMLOCK": 0, "RLIMIT_MSGQUEUE": 0}
    return json.dumps({
        **body, "rlimits": rlimits, "filter": seccomp.stage2(plan.arch).hex(),
        "scratch": {"path": jail.SCRATCH, "bytes": limits.scratch_mb * 1024 * 1024, "files": limits.files},
        "sys": _SYSCALLS[plan.arch.name],
    }).encode("utf-8")


def _kill(proc: subprocess.Popen[bytes]) -> None:
    # bwrap's init process dies with it (--die-with-parent), and the kernel kills the rest of the PID
    # namespace with its init: the whole sandbox goes at once.
    with contextlib.suppress(OSError):
        os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(OSError):
        proc.kill()


def execute(plan: jail.Plan, body: dict[str, Any], *, timeout_s: float, memory_mb: int,
            scratch_mb: int = DEFAULT_SCRATCH_MB, files: int = DEFAULT_FILES, stdin: str = "",
            stop: threading.Event | None = None, output_bytes: int = DEFAULT_OUTPUT_BYTES) -> Raw:
    """Run the harness once in the sandbox ``plan`` describes; never raises for what the code does."""
    limits = limits_for(timeout_s, memory_mb, scratch_mb, files, plan)
    filt_r, filt_w = os.pipe()
    res_r, res_w = os.pipe()
    payload = os.memfd_create("sandbox-payload", os.MFD_CLOEXEC)
    try:
        os.write(filt_w, seccomp.stage1(plan.arch, threads=plan.threads))  # a few hundred bytes: fits the pipe
        os.close(filt_w)
        data = _payload(plan, limits, body)
        view = memoryview(data)
        while view:
            view = view[os.write(payload, view):]
        os.lseek(payload, 0, os.SEEK_SET)
        argv = jail.command(plan, seccomp_fd=filt_r, harness=HARNESS, payload_fd=payload, result_fd=res_w)
        t0 = time.monotonic()
        user = {"user": plan.user, "group": plan.user, "extra_groups": []} if plan.user is not None else {}
        proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                pass_fds=(filt_r, payload, res_w), start_new_session=True,
                                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}, **user)  # type: ignore[call-overload]
    finally:
        for fd in (filt_r, res_w, payload):
            os.close(fd)
    out, err, res = _Capped(output_bytes), _Capped(output_bytes), bytearray()
    overflow = False
    timed_out = stopped = False
    assert proc.stdin and proc.stdout and proc.stderr
    sel = selectors.DefaultSelector()
    streams: dict[int, Any] = {proc.stdout.fileno(): out, proc.stderr.fileno(): err, res_r: None}
    for fd in streams:
        os.set_blocking(fd, False)
        sel.register(fd, selectors.EVENT_READ)
    pending = memoryview(stdin.encode("utf-8"))
    stdin_fd = proc.stdin.fileno()
    if pending:
        os.set_blocking(stdin_fd, False)
        sel.register(stdin_fd, selectors.EVENT_WRITE)
    else:
        proc.stdin.close()
    deadline = t0 + timeout_s
    try:
        while streams or proc.poll() is None:
            now = time.monotonic()
            if not (timed_out or stopped):
                if stop is not None and stop.is_set():
                    stopped = True
                    _kill(proc)
                elif now >= deadline:
                    timed_out = True
                    _kill(proc)
            if not sel.get_map():
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=max(0.0, min(0.05, deadline - now)) or 0.05)
                continue
            for key, _ in sel.select(timeout=max(0.0, min(0.05, deadline - now))):
                fd = int(key.fd)
                if fd == stdin_fd:
                    try:
                        pending = pending[os.write(fd, pending[:65536]):]
                    except (BrokenPipeError, OSError):
                        pending = memoryview(b"")
                    if not pending:
                        sel.unregister(fd)
                        proc.stdin.close()
                    continue
                try:
                    chunk = os.read(fd, 65536)
                except BlockingIOError:
                    continue
                if not chunk:
                    sel.unregister(fd)
                    streams.pop(fd, None)
                    continue
                sink = streams[fd]
                if sink is not None:
                    sink.add(chunk)
                elif len(res) + len(chunk) <= RESULT_LIMIT:
                    res += chunk
                else:
                    overflow = True
    finally:
        sel.close()
        if proc.poll() is None:
            _kill(proc)
        proc.wait()
        os.close(res_r)
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            with contextlib.suppress(OSError):
                stream.close()
    records: list[dict[str, Any]] = []
    for line in bytes(res).splitlines():
        try:
            rec = json.loads(line)
        except (ValueError, RecursionError):
            continue  # the code under test may write here too; a torn or foreign line is ignored
        if isinstance(rec, dict):
            records.append(rec)
    setup = next((str(r["setup_error"]) for r in records if "setup_error" in r), "")
    return Raw(out.text(), err.text(), proc.returncode, records, timed_out, stopped, time.monotonic() - t0,
               limits, out.total, err.total, overflow, setup)


PROBE_CODE = "import sys\nprint('sandbox ' + 'ok', sys.version_info[0])\n"


def probe(plan: jail.Plan) -> str | None:
    """None when a real sandboxed Python runs under ``plan``, else what went wrong (bwrap's own words)."""
    try:
        raw = execute(plan, {"mode": "code", "code": PROBE_CODE}, timeout_s=20, memory_mb=DEFAULT_MEMORY_MB,
                      scratch_mb=1, files=64)
    except OSError as exc:
        return f"{plan.bwrap} could not be started ({exc})"
    if raw.stdout.startswith("sandbox ok") and raw.returncode == 0:
        return None
    said = raw.setup_error or raw.stderr.strip().splitlines()[-1:] or [f"exit status {raw.returncode}"]
    return said if isinstance(said, str) else said[0]
