"""The seccomp filters of the sandbox, written as classic BPF by hand (no libseccomp needed).

Two filters, both checked by the kernel on every system call of the sandboxed process:

* ``stage 1`` — given to bubblewrap (``--seccomp FD``), in force from the first instruction of the Python
  that runs the harness: kernel attack surface and escape routes a Python program never needs (ptrace,
  pidfd signals, keyrings, bpf, perf, userfaultfd, io_uring, new namespaces, module loading, the new mount
  API, handle-based opens...), memory no limit counts (memfd, System V shared memory and message queues),
  process creation (``fork``/``vfork``, ``clone`` without ``CLONE_THREAD``, ``clone3``), socket families
  other than Unix, IPv4/6 and netlink, terminal input injection. Only ``mount`` and ``execve`` stay allowed,
  because the harness still needs them: bubblewrap executes Python, and the harness mounts its size-limited
  scratch folder.
* ``stage 2`` — loaded by the harness itself once the scratch folder is mounted and every capability is
  dropped, before it reads the untrusted code: ``mount``, ``umount2``, ``execve`` and ``execveat``.

Filters only ever add restrictions (the kernel runs all of them; the strictest answer wins), so nothing
the code does later can lift them. A system call of another architecture (32-bit calls on x86_64) kills
the process; numbers newer than this table get ``ENOSYS``, as on an older kernel.
"""

from __future__ import annotations

import errno
import platform
import struct
from dataclasses import dataclass

# classic BPF opcodes (linux/filter.h) and seccomp return values (linux/seccomp.h)
_LD_W_ABS = 0x20
_JEQ, _JGE, _JSET = 0x15, 0x35, 0x45
_RET = 0x06
RET_KILL_PROCESS = 0x80000000
RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_X32_BIT = 0x40000000

# offsets in struct seccomp_data: int nr; u32 arch; u64 instruction_pointer; u64 args[6] (low word first)
_NR, _ARCH = 0, 4


def _arg_low(i: int) -> int:
    return 16 + 8 * i


CLONE_THREAD = 0x00010000
CLONE_NEW_NAMESPACES = (0x00020000 | 0x02000000 | 0x04000000 | 0x08000000 | 0x10000000 | 0x20000000
                        | 0x40000000 | 0x00000080)  # NEWNS, NEWCGROUP, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWTIME
ALLOWED_SOCKET_FAMILIES = (1, 2, 10, 16)  # AF_UNIX, AF_INET, AF_INET6, AF_NETLINK (getaddrinfo asks it)
TIOCSTI, TIOCLINUX = 0x5412, 0x541C  # push bytes into a terminal's input; the Linux console's commands


@dataclass(frozen=True)
class Arch:
    name: str
    audit: int  # AUDIT_ARCH_* as the kernel reports it in seccomp_data.arch
    numbers: dict[str, int]
    first_unknown: int  # system calls from this number on are newer than the table: ENOSYS
    x32: bool = False  # x86_64 also accepts x32 calls (number | 0x40000000): refuse them


# Numbers from the kernel's uapi headers (asm/unistd_64.h for x86_64, asm-generic/unistd.h for aarch64);
# tests/sandbox/test_seccomp.py compares them with the headers where a machine has them.
_COMMON_NEW = {"pidfd_send_signal": 424, "io_uring_setup": 425, "io_uring_enter": 426, "io_uring_register": 427,
               "open_tree": 428, "move_mount": 429, "fsopen": 430, "fsconfig": 431, "fsmount": 432, "fspick": 433,
               "pidfd_open": 434, "clone3": 435, "pidfd_getfd": 438, "mount_setattr": 442, "quotactl_fd": 443,
               "memfd_secret": 447}
X86_64 = Arch("x86_64", 0xC000003E, {
    "ptrace": 101, "process_vm_readv": 310, "process_vm_writev": 311, "kcmp": 312, "keyctl": 250, "add_key": 248,
    "request_key": 249, "mount": 165, "umount2": 166, "pivot_root": 155, "chroot": 161, "bpf": 321,
    "perf_event_open": 298, "userfaultfd": 323, "unshare": 272, "setns": 308, "kexec_load": 246,
    "kexec_file_load": 320, "init_module": 175, "finit_module": 313, "delete_module": 176, "acct": 163,
    "swapon": 167, "swapoff": 168, "reboot": 169, "syslog": 103, "quotactl": 179, "name_to_handle_at": 303,
    "open_by_handle_at": 304, "lookup_dcookie": 212, "uselib": 134, "ioperm": 173, "iopl": 172, "vhangup": 153,
    "settimeofday": 164, "clock_settime": 227, "adjtimex": 159, "clock_adjtime": 305, "fanotify_init": 300,
    "personality": 135, "mbind": 237, "migrate_pages": 256, "move_pages": 279, "set_mempolicy": 238,
    "sethostname": 170, "setdomainname": 171, "fork": 57, "vfork": 58, "clone": 56, "execve": 59,
    "execveat": 322, "socket": 41, "ioctl": 16, "_sysctl": 156, "nfsservctl": 180, "memfd_create": 319,
    "shmget": 29, "msgget": 68, **_COMMON_NEW,
}, first_unknown=463, x32=True)
AARCH64 = Arch("aarch64", 0xC00000B7, {
    "ptrace": 117, "process_vm_readv": 270, "process_vm_writev": 271, "kcmp": 272, "keyctl": 219, "add_key": 217,
    "request_key": 218, "mount": 40, "umount2": 39, "pivot_root": 41, "chroot": 51, "bpf": 280,
    "perf_event_open": 241, "userfaultfd": 282, "unshare": 97, "setns": 268, "kexec_load": 104,
    "kexec_file_load": 294, "init_module": 105, "finit_module": 273, "delete_module": 106, "acct": 89,
    "swapon": 224, "swapoff": 225, "reboot": 142, "syslog": 116, "quotactl": 60, "name_to_handle_at": 264,
    "open_by_handle_at": 265, "lookup_dcookie": 18, "vhangup": 58, "settimeofday": 170, "clock_settime": 112,
    "adjtimex": 171, "clock_adjtime": 266, "fanotify_init": 262, "personality": 92, "mbind": 235,
    "migrate_pages": 238, "move_pages": 239, "set_mempolicy": 237, "sethostname": 161, "setdomainname": 162,
    "clone": 220, "execve": 221, "execveat": 281, "socket": 198, "ioctl": 29, "nfsservctl": 42, "memfd_create": 279,
    "shmget": 194, "msgget": 186, **_COMMON_NEW,
}, first_unknown=463)
ARCHES = {"x86_64": X86_64, "amd64": X86_64, "aarch64": AARCH64, "arm64": AARCH64}

# Refused in stage 1 with EPERM (names absent from an architecture's table do not exist there).
DENIED = (
    "ptrace", "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_open", "pidfd_send_signal", "pidfd_getfd",
    "keyctl", "add_key", "request_key", "umount2", "pivot_root", "chroot", "open_tree", "move_mount", "fsopen",
    "fsconfig", "fsmount", "fspick", "mount_setattr", "bpf", "perf_event_open", "userfaultfd", "unshare", "setns",
    "io_uring_setup", "io_uring_enter", "io_uring_register", "kexec_load", "kexec_file_load", "init_module",
    "finit_module", "delete_module", "acct", "swapon", "swapoff", "reboot", "syslog", "quotactl", "quotactl_fd",
    "name_to_handle_at", "open_by_handle_at", "lookup_dcookie", "uselib", "ioperm", "iopl", "vhangup",
    "settimeofday", "clock_settime", "adjtimex", "clock_adjtime", "fanotify_init", "personality", "mbind",
    "migrate_pages", "move_pages", "set_mempolicy", "sethostname", "setdomainname", "memfd_secret", "_sysctl",
    "nfsservctl", "fork", "vfork",
    # memory outside every limit: a memfd or a System V segment lives in RAM, not in the scratch folder or the
    # address space
    "memfd_create", "shmget", "msgget",
)
DENIED_STAGE2 = ("mount", "umount2", "execve", "execveat")


def native_arch() -> Arch | None:
    """The filter tables for this machine's CPU, or None where there are none (the sandbox then refuses)."""
    return ARCHES.get(platform.machine().lower())


def _ins(code: int, k: int, jt: int = 0, jf: int = 0) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k & 0xFFFFFFFF)


def _errno(e: int) -> int:
    return _RET_ERRNO | e


def _deny_numbers(numbers: list[int], ret: int) -> list[bytes]:
    out: list[bytes] = []
    for nr in numbers:
        out += [_ins(_JEQ, nr, 0, 1), _ins(_RET, ret)]
    return out


def _prologue(arch: Arch) -> list[bytes]:
    prog = [_ins(_LD_W_ABS, _ARCH), _ins(_JEQ, arch.audit, 1, 0), _ins(_RET, RET_KILL_PROCESS),
            _ins(_LD_W_ABS, _NR)]
    if arch.x32:
        prog += [_ins(_JGE, _X32_BIT, 0, 1), _ins(_RET, RET_KILL_PROCESS)]
    return prog


def _when(arch: Arch, name: str, body: list[bytes]) -> list[bytes]:
    """``if nr == name: body`` (body ends in a return); A holds the number again afterwards."""
    if name not in arch.numbers:
        return []
    return [_ins(_JEQ, arch.numbers[name], 0, len(body)), *body]


def stage1(arch: Arch, *, threads: bool) -> bytes:
    """The filter bubblewrap loads. ``threads``: allow ``clone`` with ``CLONE_THREAD`` (a thread), which is
    safe only where the kernel counts the sandbox's tasks (``RLIMIT_NPROC``, not enforced for root)."""
    prog = _prologue(arch)
    prog += [_ins(_JGE, arch.first_unknown, 0, 1), _ins(_RET, _errno(errno.ENOSYS))]
    prog += _deny_numbers([arch.numbers[n] for n in DENIED if n in arch.numbers], _errno(errno.EPERM))
    prog += _deny_numbers([arch.numbers["clone3"]], _errno(errno.ENOSYS))  # flags out of reach: libc falls back
    eperm = _ins(_RET, _errno(errno.EPERM))
    allow = _ins(_RET, RET_ALLOW)
    if threads:
        clone = [_ins(_LD_W_ABS, _arg_low(0)), _ins(_JSET, CLONE_NEW_NAMESPACES, 2, 0),
                 _ins(_JSET, CLONE_THREAD, 0, 1), allow, eperm]
    else:
        clone = [eperm]
    prog += _when(arch, "clone", clone)
    families = [_ins(_LD_W_ABS, _arg_low(0))]
    for i, fam in enumerate(ALLOWED_SOCKET_FAMILIES):
        families.append(_ins(_JEQ, fam, len(ALLOWED_SOCKET_FAMILIES) - i, 0))
    families += [_ins(_RET, _errno(errno.EAFNOSUPPORT)), allow]
    prog += _when(arch, "socket", families)
    prog += _when(arch, "ioctl", [_ins(_LD_W_ABS, _arg_low(1)), _ins(_JEQ, TIOCSTI, 1, 0),
                                  _ins(_JEQ, TIOCLINUX, 0, 1), eperm, allow])
    prog.append(allow)
    return b"".join(prog)


def stage2(arch: Arch) -> bytes:
    """The filter the harness loads after mounting its scratch folder and dropping its capabilities."""
    prog = _prologue(arch)
    prog += _deny_numbers([arch.numbers[n] for n in DENIED_STAGE2], _errno(errno.EPERM))
    prog.append(_ins(_RET, RET_ALLOW))
    return b"".join(prog)
