"""The sandbox tests run the real thing: bubblewrap is installed by bootstrap for tests (packaging/programs.txt),
so a machine where it cannot start fails here rather than skipping what the issue asks for."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.core.sandbox import SandboxUnavailable, ready


@pytest.fixture(scope="session", autouse=True)
def sandbox_ready() -> None:
    try:
        ready()
    except SandboxUnavailable as exc:
        pytest.fail(f"no sandbox on this machine: {exc.user_text()}")


def sandbox_processes() -> list[int]:
    """Processes on this machine that run the sandbox's harness (its text is on their command line)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if b"_pfd, _rfd" in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def threads_allowed() -> bool:
    return ready().threads


IS_ROOT = os.geteuid() == 0
