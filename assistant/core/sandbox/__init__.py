"""Running code a model wrote, isolated by the operating system (Linux: bubblewrap, namespaces, seccomp).

Used by ``assistant eval`` (code tasks scored by unit tests: :func:`run_tests`) and by anything that runs
code from an answer (:func:`run_code`). PEP 578 audit hooks are not a sandbox: code in the interpreter that
polices it can switch the policing off. Here nothing in the sandboxed process is trusted once the untrusted
code starts; what stops it is the kernel:

* **bubblewrap** starts the interpreter in new user, PID, network, IPC, UTS and cgroup namespaces, with
  ``--die-with-parent`` and ``--new-session``. Its filesystem is a read-only empty root with read-only binds
  of the system folders (``/usr``, ``/lib*``), the Python runtime (base prefix, or the packaged app's
  folder), a fresh ``/proc`` and ``/dev``: no home folder, no user files, no project, no ``/run`` sockets.
  The network namespace has only its own loopback; other processes on the machine are invisible and cannot
  be signalled (PID namespace).
* **The scratch folder** ``/scratch`` (also ``$HOME``, ``$TMPDIR``, ``/tmp`` and the working directory) is a
  tmpfs the harness mounts with ``size=`` and ``nr_inodes=``: bytes and files written are bounded
  (64 MB and 4,096 by default), and it vanishes with the sandbox.
* **Capabilities**: the harness gets ``CAP_SYS_ADMIN`` inside its own user namespace only to mount that
  tmpfs, then drops every capability and sets ``no_new_privs`` before it reads the code.
* **Seccomp** (``seccomp.py``): two filters refuse ptrace, pidfd signals, keyrings, bpf, perf,
  userfaultfd, io_uring, new namespaces, mounts, module loading, ``fork``/``vfork``/``clone`` of processes
  and ``execve`` — no shell, no other program — and threads too where nothing counts them (root).
* **Resource limits** (``setrlimit``, hard): CPU seconds, address space (``memory_mb``), file size, open
  files, tasks (``RLIMIT_NPROC``, enforced by the kernel when the sandbox's user is not root: as root,
  bwrap runs as ``nobody`` when it can, else threads are refused), and a wall-clock kill of the whole PID
  namespace; the parent reads output and results through bounded buffers.
* **Verdicts outside** (``checks.py``): for ``run_tests`` the sandbox only evaluates the probe expressions
  of each test (``quicksort([3, 1, 2])``) and sends their values back as plain data; the expected values and
  the comparisons never enter the sandbox. The code can rewrite the harness, its test list or its result
  channel, but a test passes only if the values reported for it are right.

Where bubblewrap is missing or cannot create namespaces (some containers, a kernel without unprivileged
user namespaces) nothing runs: :class:`SandboxUnavailable` says why and how to fix it, and the eval scores
such a task as its own cause (``no_sandbox``), not as a wrong answer. There is no weaker fallback.
"""

from __future__ import annotations

from assistant.core.sandbox.api import (
    RunResult,
    SandboxStatus,
    TestsResult,
    ready,
    run_code,
    run_tests,
    self_check,
    status,
)
from assistant.core.sandbox.checks import TestSpecError, compile_tests
from assistant.core.sandbox.jail import SandboxUnavailable
from assistant.core.sandbox.runner import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_S, Limits

__all__ = [
    "DEFAULT_MEMORY_MB", "DEFAULT_TIMEOUT_S", "Limits", "RunResult", "SandboxStatus", "SandboxUnavailable",
    "TestSpecError", "TestsResult", "compile_tests", "ready", "run_code", "run_tests", "self_check", "status",
]
