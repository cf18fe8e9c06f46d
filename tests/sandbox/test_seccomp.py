"""The seccomp filters: the system-call numbers against the kernel headers, and the calls themselves, tried
from inside the sandbox with ctypes (which the sandbox no longer needs to forbid)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.core.sandbox import run_code, seccomp

HEADERS = {"x86_64": Path("/usr/include/x86_64-linux-gnu/asm/unistd_64.h"),
           "aarch64": Path("/usr/include/asm-generic/unistd.h")}


@pytest.mark.parametrize("arch", [seccomp.X86_64, seccomp.AARCH64], ids=["x86_64", "aarch64"])
def test_numbers_match_the_kernel_headers(arch: seccomp.Arch) -> None:
    header = HEADERS[arch.name]
    if not header.exists():
        pytest.skip(f"{header} is not installed (package linux-libc-dev): the table cannot be compared here")
    text = header.read_text()
    found = dict((m[0], int(m[1])) for m in re.findall(r"#define __NR(?:3264)?_(\w+)\s+(\d+)", text))
    for name, nr in arch.numbers.items():
        if name in found:
            assert found[name] == nr, name
    assert max(found.values()) < arch.first_unknown + 40  # the "newer than the table" line is recent


def test_programs_are_whole_instructions() -> None:
    for arch in (seccomp.X86_64, seccomp.AARCH64):
        for prog in (seccomp.stage1(arch, threads=True), seccomp.stage1(arch, threads=False), seccomp.stage2(arch)):
            assert len(prog) % 8 == 0 and 0 < len(prog) // 8 < 4096


PROBE = r"""
import ctypes, errno, os, platform
libc = ctypes.CDLL(None, use_errno=True)
X86 = platform.machine() == "x86_64"
calls = {  # name: (x86_64 number, aarch64 number, arguments)
    "ptrace": (101, 117, (0, 0, 0, 0)), "unshare_user": (272, 97, (0x10000000,)), "setns": (308, 268, (0, 0)),
    "keyctl": (250, 219, (0, 0)), "bpf": (321, 280, (0, 0, 0)), "perf_event_open": (298, 241, (0, 0, -1, -1, 0)),
    "userfaultfd": (323, 282, (0,)), "io_uring_setup": (425, 425, (1, 0)), "mount": (165, 40, (0, 0, 0, 0, 0)),
    "clone_newuser": (56, 220, (0x10000000 | 17, 0, 0, 0, 0)), "clone3": (435, 435, (0, 0)),
    "pidfd_open": (434, 434, (1, 0)), "kexec_load": (246, 104, (0, 0, 0, 0)), "fsopen": (430, 430, (0, 0)),
    "open_by_handle_at": (304, 265, (0, 0, 0)), "init_module": (175, 105, (0, 0, 0)),
    "execve": (59, 221, (0, 0, 0)), "vfork": (58, None, ()), "chroot": (161, 51, (0,)),
    "memfd_create": (319, 279, (0, 0)), "shmget": (29, 194, (0, 4096, 0o1000)), "msgget": (68, 186, (0, 0o1000)),
}
for name, (x86, arm, args) in calls.items():
    nr = x86 if X86 else arm
    if nr is None:
        continue
    ctypes.set_errno(0)
    rc = libc.syscall(nr, *[ctypes.c_long(a) for a in args])
    print(name, rc, errno.errorcode.get(ctypes.get_errno(), ctypes.get_errno()))
status = open("/proc/self/status").read()
for key in ("CapEff", "CapPrm", "CapAmb", "NoNewPrivs", "Seccomp"):
    print(key, status.split(key + ":")[1].split()[0])
"""


def test_refused_system_calls_and_no_capabilities() -> None:
    r = run_code(PROBE)
    assert r.ok, r.stderr
    seen = {line.split()[0]: line.split()[1:] for line in r.stdout.splitlines()}
    for name in ("ptrace", "unshare_user", "setns", "keyctl", "bpf", "perf_event_open", "userfaultfd",
                 "io_uring_setup", "mount", "clone_newuser", "pidfd_open", "kexec_load", "fsopen",
                 "open_by_handle_at", "init_module", "execve", "chroot", "memfd_create", "shmget", "msgget"):
        assert seen[name] == ["-1", "EPERM"], (name, seen[name])
    assert seen["clone3"] == ["-1", "ENOSYS"]  # so that libc falls back to clone, whose flags are checked
    if "vfork" in seen:
        assert seen["vfork"] == ["-1", "EPERM"]
    assert seen["CapEff"] == seen["CapPrm"] == seen["CapAmb"] == ["0000000000000000"]
    assert seen["NoNewPrivs"] == ["1"] and seen["Seccomp"] == ["2"]
