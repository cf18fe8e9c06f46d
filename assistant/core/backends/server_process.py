"""A model server the app starts and owns: spawn, wait until healthy, stop, and never leave an orphan.

Why so careful: a vLLM server holds most of a GPU. If the app crashes and the server lives on, the
next start finds no GPU memory and fails with an error that points nowhere near the real cause.
Three things make sure the server goes when the app goes:

* it runs in its own process group (session), so stopping it reaches the engine processes it forks;
* on Linux it gets ``PR_SET_PDEATHSIG`` (SIGTERM when the app dies, even by SIGKILL). That signal
  follows the *thread* that forked, so every server is forked from one long-lived spawner thread,
  never from a short-lived loader thread (whose exit would kill the server at once). The ``prctl``
  call runs in a tiny ``python -c`` prelude that then ``exec``\\ s the server, instead of a
  ``preexec_fn`` (not safe in a process that has threads, which a Qt app always has);
* everywhere (macOS too), a guard process holds the read end of a pipe whose write end only the app
  holds: when the app dies for any reason the kernel closes it, the guard reads EOF and kills the
  server's whole process group.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any

import httpx

from assistant.core.errors import BackendUnavailableError, CancelledError
from assistant.core.progress import Progress, ProgressCallback  # a callback may raise CancelledError to abort a start

log = logging.getLogger(__name__)


_PR_SET_PDEATHSIG = 1

# Sets the parent-death signal, checks the parent did not die before that, then becomes the server.
_PRELUDE = (
    "import ctypes,os,signal,sys\n"
    "ppid=int(sys.argv[1])\n"
    f"ctypes.CDLL(None,use_errno=True).prctl({_PR_SET_PDEATHSIG},signal.SIGTERM)\n"
    "os.getppid()==ppid or os._exit(1)\n"
    "os.execv(sys.argv[2],sys.argv[2:])\n"
)

# Waits for EOF on stdin (the app closed the pipe, or died), then ends the server's process group.
_GUARD = (
    "import os,signal,sys,time\n"
    "signal.signal(signal.SIGINT,signal.SIG_IGN)\n"
    "pgid=int(sys.argv[1]);grace=float(sys.argv[2])\n"
    "try:\n sys.stdin.buffer.read()\nexcept Exception:\n pass\n"
    "def alive():\n"
    " try:\n  os.killpg(pgid,0);return True\n except OSError:\n  return False\n"
    "if alive():\n"
    " try:\n  os.killpg(pgid,signal.SIGTERM)\n except OSError:\n  pass\n"
    " end=time.monotonic()+grace\n"
    " while alive() and time.monotonic()<end:\n  time.sleep(0.2)\n"
    " try:\n  os.killpg(pgid,signal.SIGKILL)\n except OSError:\n  pass\n"
)

_spawner: ThreadPoolExecutor | None = None
_spawner_lock = threading.Lock()


def _spawn(argv: Sequence[str], **kwargs: Any) -> subprocess.Popen[bytes]:
    """Popen from the one long-lived spawner thread (see the module docstring for why)."""
    global _spawner
    with _spawner_lock:
        if _spawner is None:
            _spawner = ThreadPoolExecutor(max_workers=1, thread_name_prefix="server-spawner")
    def popen() -> subprocess.Popen[bytes]:
        return subprocess.Popen(list(argv), **kwargs)

    return _spawner.submit(popen).result()


def free_port(host: str = "127.0.0.1") -> int:
    """A port nothing listens on now (the server binds it a moment later; the race is harmless here)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def pid_alive(pid: int) -> bool:
    """True while the process exists and is not a zombie (a container's PID 1 may never reap it)."""
    try:
        import psutil

        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except Exception:  # psutil.NoSuchProcess, or psutil missing
        try:
            os.kill(pid, 0)
        except OSError:
            return False
        return True


def log_tail(path: Path, lines: int = 25, max_chars: int = 4000) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 64 * 1024))
            text = fh.read().decode("utf-8", errors="replace")
    except OSError:
        return ""
    tail = "\n".join(text.splitlines()[-lines:])
    return tail[-max_chars:]


class ServerProcess:
    """One server subprocess the app owns. ``stop()`` is idempotent and safe from any thread."""

    def __init__(
        self,
        argv: Sequence[str],
        *,
        log_path: Path,
        env: Mapping[str, str] | None = None,
        python: str | None = None,
        die_with_parent: bool = True,
        guard: bool = True,
        stop_grace_s: float = 15.0,
        name: str = "server",
    ) -> None:
        self.argv = list(argv)
        if not os.path.isabs(self.argv[0]):  # the prelude exec()s it: no PATH search there
            self.argv[0] = shutil.which(self.argv[0]) or self.argv[0]
        self.log_path = log_path
        self.name = name
        self.stop_grace_s = stop_grace_s
        self._lock = threading.Lock()
        self._guard: subprocess.Popen[bytes] | None = None
        self.stopped = False
        log_path.parent.mkdir(parents=True, exist_ok=True)
        full_env = dict(os.environ if env is None else env)
        full_env.setdefault("PYTHONUNBUFFERED", "1")
        posix = os.name == "posix"
        launch = self.argv
        helper = python or (self.argv[0] if "python" in Path(self.argv[0]).name else sys.executable)
        if posix and die_with_parent and sys.platform.startswith("linux"):
            launch = [helper, "-c", _PRELUDE, str(os.getpid()), *self.argv]
        self._log_fh: IO[bytes] = open(log_path, "wb")  # noqa: SIM115 - closed in stop()
        try:
            kwargs: dict[str, Any] = {"stdin": subprocess.DEVNULL, "stdout": self._log_fh,
                                      "stderr": subprocess.STDOUT, "env": full_env}
            if posix:
                kwargs["start_new_session"] = True
            else:  # pragma: no cover - Windows: no process groups, terminate/kill the process itself
                kwargs["creationflags"] = getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0)
            try:
                self.proc = _spawn(launch, **kwargs)
            except OSError as exc:
                raise BackendUnavailableError(
                    f"Could not start the {name}: {exc.strerror or exc} ({launch[0]}).",
                    hint="Check that the Python environment with the server installed exists.",
                ) from exc
            if posix and guard:
                self._guard = _spawn(
                    [helper, "-c", _GUARD, str(self.proc.pid), str(stop_grace_s)],
                    stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                )
        except BaseException:
            self.stop()
            raise
        log.info("started %s (pid %s): %s", name, self.proc.pid, " ".join(self.argv))

    @property
    def pid(self) -> int:
        return self.proc.pid

    @property
    def guard_pid(self) -> int | None:
        return self._guard.pid if self._guard is not None else None

    def running(self) -> bool:
        return not self.stopped and self.proc.poll() is None

    def tail(self, lines: int = 25) -> str:
        return log_tail(self.log_path, lines)

    def wait_healthy(
        self,
        url: str,
        *,
        timeout_s: float,
        progress: ProgressCallback | None = None,
        stage: Callable[[str], tuple[str, float] | None] | None = None,
        expected_s: float = 60.0,
    ) -> None:
        """Poll ``url`` until it answers 200. Raises with the log's tail if the server exits or is late.

        ``stage(log_tail)`` may name what the server is doing (shown with progress); the fraction
        otherwise grows with time towards ``expected_s``, never past 0.95 before the server is up.
        """
        start = time.monotonic()
        fraction = 0.0
        message = f"Starting the {self.name}"
        with httpx.Client(timeout=httpx.Timeout(2.0)) as client:
            while True:
                elapsed = time.monotonic() - start
                code = self.proc.poll()
                if code is not None:
                    self.stop()
                    raise BackendUnavailableError(
                        f"The {self.name} exited while starting (exit code {code}).\n\n{self.tail()}",
                        hint=f"The full log is in {self.log_path}.",
                    )
                try:
                    if client.get(url).status_code == 200:
                        if progress is not None:
                            progress(Progress(f"The {self.name} is ready", 1.0))
                        return
                except httpx.HTTPError:
                    pass
                if elapsed > timeout_s:
                    tail = self.tail()
                    self.stop()
                    raise BackendUnavailableError(
                        f"The {self.name} did not become ready within {timeout_s:.0f} s.\n\n{tail}",
                        hint=f"The full log is in {self.log_path}. A first start can take long (downloads, "
                        "compilation): raise the start timeout in settings, or look for an error in the log.",
                    )
                if progress is not None:
                    named = stage(self.tail(8)) if stage is not None else None
                    if named is not None:
                        message, at_least = named
                        fraction = max(fraction, at_least)
                    fraction = max(fraction, min(0.95, 0.9 * elapsed / max(expected_s, 1.0)))
                    try:
                        progress(Progress(f"{message} ({elapsed:.0f} s)", round(fraction, 3)))
                    except CancelledError:
                        self.stop()
                        raise
                time.sleep(0.5)

    def stop(self) -> None:
        """SIGTERM the process group, wait, then SIGKILL what is left; reap everything."""
        with self._lock:
            if self.stopped:
                return
            self.stopped = True
        proc = getattr(self, "proc", None)
        if proc is not None:
            if os.name == "posix":
                pgid = proc.pid  # start_new_session: the leader's pid is the group id
                _signal_group(pgid, signal.SIGTERM)
                try:
                    proc.wait(timeout=self.stop_grace_s)
                except subprocess.TimeoutExpired:
                    log.warning("%s did not stop within %.0f s: killing it", self.name, self.stop_grace_s)
                _signal_group(pgid, signal.SIGKILL)  # engine workers that outlived the leader
                with contextlib.suppress(subprocess.TimeoutExpired):
                    proc.wait(timeout=5)
            else:  # pragma: no cover - Windows
                proc.terminate()
                try:
                    proc.wait(timeout=self.stop_grace_s)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        if self._guard is not None:
            with contextlib.suppress(OSError):
                assert self._guard.stdin is not None
                self._guard.stdin.close()  # the guard sees EOF, finds the group gone and exits
            try:
                self._guard.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._guard.kill()
                self._guard.wait()
        with contextlib.suppress(Exception):
            self._log_fh.close()
        log.info("stopped %s", self.name)

    def __del__(self) -> None:  # last resort; close() is the real way
        with contextlib.suppress(Exception):
            self.stop()


def _signal_group(pgid: int, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, sig)
