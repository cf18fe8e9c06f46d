"""The bubblewrap command line: which namespaces, which read-only folders, which user, and whether this machine
can run it at all.

Decided once per process (``plan()``), by trying the strictest arrangement first and keeping the first one a
real sandboxed Python accepts:

1. as an ordinary user — bwrap in a new user namespace; the kernel counts the sandbox's tasks under that
   user, so ``RLIMIT_NPROC`` bounds its threads;
2. as root, when every folder the sandbox needs can be read by anyone — bwrap started as the throw-away
   user ``nobody`` (65534), for the same reason: the kernel does not enforce ``RLIMIT_NPROC`` for root;
3. as root otherwise (an interpreter under ``/root``, as on CI) — bwrap as root, and the seccomp filter
   forbids threads as well as processes, since nothing would count them.

Where none works (no bwrap, or the kernel or a container refuses user namespaces) the sandbox is
*unavailable*: it refuses to run code and says why (:class:`SandboxUnavailable`), rather than running it
unconfined.
"""

from __future__ import annotations

import os
import shutil
import stat
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.core.errors import AssistantError
from assistant.core.sandbox.seccomp import Arch, native_arch

NOBODY = 65534
SCRATCH = "/scratch"
# System folders a dynamically linked program needs; a symlink (merged /usr) is recreated as one.
SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin")
SYSTEM_FILES = ("/etc/ld.so.cache", "/etc/ld.so.conf")
INSTALL_HINT = ("Install bubblewrap (Debian/Ubuntu: sudo apt install bubblewrap; Fedora: sudo dnf install "
                "bubblewrap), then try again.")


class SandboxUnavailable(AssistantError):
    """No OS sandbox on this machine: code from a model is not run at all."""

    title = "Code cannot be run safely here"


@dataclass(frozen=True)
class Plan:
    bwrap: str
    python: tuple[str, ...]  # the interpreter and its flags; the harness and its fds follow
    binds: tuple[tuple[str, str, str], ...]  # (option, source, destination)
    user: int | None  # start bwrap as this uid/gid (root only)
    threads: bool  # the kernel counts the sandbox's tasks, so threads may be allowed
    arch: Arch
    pdeathsig: str | None  # setpriv, to kill the sandbox when the app dies

    def describe(self) -> str:
        who = "as nobody" if self.user is not None else ("as root" if os.geteuid() == 0 else "as you")
        return f"bubblewrap ({self.bwrap}, {who}, {'threads allowed' if self.threads else 'no threads'})"


def find_bwrap() -> str | None:
    explicit = os.environ.get("ASSISTANT_BWRAP")
    if explicit:
        return explicit if os.access(explicit, os.X_OK) else None
    # the packaged app may run with a minimal PATH: look in the usual places too
    return shutil.which("bwrap") or next((p for p in ("/usr/bin/bwrap", "/bin/bwrap") if os.access(p, os.X_OK)), None)


def interpreter() -> tuple[tuple[str, ...], list[str]]:
    """The command that runs Python code given with -c, and the folders it needs besides the system ones."""
    exe = os.path.realpath(sys.executable)
    if getattr(sys, "frozen", False):
        # the packaged app runs `assistant -c CODE ARGS` as python would (packaging/entry.py)
        return (exe, "-c"), [os.path.dirname(exe)]
    folders = {os.path.realpath(p) for p in (sys.base_prefix, sys.base_exec_prefix)}
    folders.add(os.path.dirname(os.path.dirname(exe)))
    return (exe, "-I", "-S", "-B", "-c"), sorted(folders)


def _covered(path: str, by: list[str]) -> bool:
    return any(path == b or path.startswith(b.rstrip("/") + "/") for b in by)


def _binds(extra: list[str]) -> list[tuple[str, str, str]]:
    binds: list[tuple[str, str, str]] = []
    bound: list[str] = []
    for d in SYSTEM_DIRS:
        if os.path.islink(d):
            binds.append(("--symlink", os.readlink(d), d))
        elif os.path.isdir(d):
            binds.append(("--ro-bind", d, d))
            bound.append(d)
    for f in SYSTEM_FILES:
        if os.path.isfile(f):
            binds.append(("--ro-bind", f, f))
    for folder in extra:
        if not _covered(folder, bound) and os.path.isdir(folder):
            binds.append(("--ro-bind", folder, folder))
            bound.append(folder)
    return binds


def readable_by_anyone(path: str) -> bool:
    """Whether a user with no rights of its own (``nobody``) can reach ``path``: every folder on the way
    searchable by others, the target readable."""
    p = Path(path)
    try:
        for parent in reversed(p.parents):
            if not os.stat(parent).st_mode & stat.S_IXOTH:
                return False
        mode = os.stat(p).st_mode
    except OSError:
        return False
    need = stat.S_IROTH | (stat.S_IXOTH if stat.S_ISDIR(mode) else 0)
    return mode & need == need


def candidates() -> list[Plan]:
    """The arrangements to try, strictest first (see the module docstring)."""
    arch = native_arch()
    bwrap = find_bwrap()
    if not sys.platform.startswith("linux"):
        raise SandboxUnavailable("Running code from an answer needs Linux's namespaces and seccomp; this system "
                                 f"({sys.platform}) has no sandbox for it, so the code is not run.",
                                 hint="Run it yourself where you trust it, or use the app on Linux.")
    if arch is None:
        raise SandboxUnavailable(f"The sandbox has no system-call filter for this CPU ({os.uname().machine}), so "
                                 "code from an answer is not run.", hint="Use an x86_64 or arm64 machine.")
    if bwrap is None:
        raise SandboxUnavailable("Code from an answer runs only inside bubblewrap, which is not installed, so "
                                 "it is not run.", hint=INSTALL_HINT)
    python, folders = interpreter()
    binds = tuple(_binds(folders))
    setpriv = shutil.which("setpriv") or next(
        (p for p in ("/usr/bin/setpriv", "/bin/setpriv") if os.access(p, os.X_OK)), None)
    if os.geteuid() != 0:
        return [Plan(bwrap, python, binds, None, True, arch, setpriv)]
    plans = []
    sources = [python[0], bwrap] + [src for opt, src, _ in binds if opt == "--ro-bind"]
    if all(readable_by_anyone(s) for s in sources):
        plans.append(Plan(bwrap, python, binds, NOBODY, True, arch, setpriv))
    plans.append(Plan(bwrap, python, binds, None, False, arch, setpriv))
    return plans


def command(plan: Plan, *, seccomp_fd: int, harness: str, payload_fd: int, result_fd: int) -> list[str]:
    """The full command line; the sandboxed Python sees only the system folders, its own runtime, a fresh
    /proc and /dev, and the scratch folder the harness mounts; everything else is absent."""
    argv: list[str] = []
    if plan.pdeathsig:
        argv += [plan.pdeathsig, "--pdeathsig", "KILL", "--"]
    argv += [plan.bwrap, "--unshare-user", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
             "--unshare-cgroup-try", "--uid", "0", "--gid", "0", "--hostname", "sandbox",
             "--die-with-parent", "--new-session", "--cap-drop", "ALL", "--cap-add", "CAP_SYS_ADMIN",
             "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", SCRATCH,
             "--setenv", "TMPDIR", SCRATCH, "--setenv", "LANG", "C.UTF-8", "--setenv", "PYTHONIOENCODING", "utf-8",
             "--setenv", "PYTHONDONTWRITEBYTECODE", "1"]
    for opt, src, dst in plan.binds:
        argv += [opt, src, dst]
    # a writable /scratch from the start: the packaged app's start-up hooks (PyInstaller's matplotlib one)
    # make a temporary folder before the harness runs; the harness then mounts its size-limited scratch
    # folder over it, so the code under test never sees this one
    argv += ["--proc", "/proc", "--dev", "/dev", "--tmpfs", SCRATCH]
    if not any(_covered(dst, ["/tmp"]) for _, _, dst in plan.binds):
        argv += ["--symlink", SCRATCH, "/tmp"]  # code that writes to /tmp writes to the scratch folder
    argv += ["--remount-ro", "/dev", "--remount-ro", "/", "--chdir", "/", "--seccomp", str(seccomp_fd),
             "--", *plan.python, harness, str(payload_fd), str(result_fd)]
    return argv


# ---------------------------------------------------------------------------------------------------
# Availability, decided once

_lock = threading.Lock()
_state: dict[str, object] = {}


def plan(probe: Callable[[Plan], str | None], *, again: bool = False) -> Plan:
    """The first candidate that ``probe`` accepts (it returns None, or why not); cached, failures too."""
    with _lock:
        if again:
            _state.clear()
        if "plan" in _state:
            return _state["plan"]  # type: ignore[return-value]
        if "error" in _state:
            raise _state["error"]  # type: ignore[misc]
        try:
            reasons = []
            for cand in candidates():
                why = probe(cand)
                if why is None:
                    _state["plan"] = cand
                    return cand
                reasons.append(why)
            raise SandboxUnavailable(
                "bubblewrap is installed but could not start a sandbox, so code from an answer is not run: "
                + reasons[0][:300],
                hint="The kernel or a container refuses user namespaces. Inside a container, allow them (e.g. "
                "Docker --security-opt seccomp=unconfined, or --privileged); on Ubuntu 24.04 and later, AppArmor "
                "must let bwrap create them (the bubblewrap package's profile, or sysctl "
                "kernel.apparmor_restrict_unprivileged_userns=0). `bwrap --unshare-user --ro-bind / / true` "
                "tests it.")
        except SandboxUnavailable as exc:
            _state["error"] = exc
            raise
