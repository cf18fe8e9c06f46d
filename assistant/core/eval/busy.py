"""Is the machine ours right now? How much of its CPUs other programs take while the speed benchmark runs.

llama.cpp's threads meet after every operation: when another program holds a core, every token waits for
the slowest thread and a 2-core machine under one busy program decodes 3-4x slower. A speed measured so is
not this machine's speed, and the forecast built on it must say so (and be measured again later). The
share is read from the kernel's counters (``/proc/stat``: all CPUs' busy time, a virtual machine's stolen
time included) less this process's own CPU time; where there are no such counters (macOS, Windows) the
one-minute load average stands in, and where there is neither the share is unknown (``None``).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

_STAT = Path("/proc/stat")


def _machine_busy_seconds() -> float | None:
    """CPU-seconds all CPUs spent on anything but idling since boot (stolen time counts as busy)."""
    try:
        with _STAT.open(encoding="ascii") as f:
            fields = f.readline().split()
    except OSError:
        return None
    if not fields or fields[0] != "cpu":
        return None
    # user nice system idle iowait irq softirq steal (guest time is already inside user and nice)
    ticks = [int(v) for v in fields[1:9]]
    busy = ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6] + (ticks[7] if len(ticks) > 7 else 0)
    return busy / os.sysconf("SC_CLK_TCK")


def _own_seconds() -> float:
    t = os.times()
    return t.user + t.system


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class LoadWatch:
    """Others' share of the machine's CPUs between ``start()`` (or creation) and ``share()``: 0 is a quiet
    machine, 1 is every CPU taken by other programs."""

    def __init__(self) -> None:
        self.start()

    def start(self) -> None:
        self._t0 = time.monotonic()
        self._machine0 = _machine_busy_seconds()
        self._own0 = _own_seconds()

    def share(self) -> float | None:
        wall = time.monotonic() - self._t0
        machine = _machine_busy_seconds()
        if self._machine0 is None or machine is None or wall <= 0:
            return load_share()
        others = (machine - self._machine0) - (_own_seconds() - self._own0)
        # The counters tick at 100 Hz: very short intervals are rounded, hence the clamp.
        return round(min(1.0, max(0.0, others / (wall * cpu_count()))), 3)


def load_share() -> float | None:
    """The one-minute load average over the CPUs (capped at 1), or None where the system has none. It lags a
    minute behind and counts this process too: a fallback only."""
    try:
        return round(min(1.0, os.getloadavg()[0] / cpu_count()), 3)
    except (AttributeError, OSError):
        return None


def others_share(seconds: float = 1.0) -> float | None:
    """Others' share of the CPUs over the next ``seconds`` (this thread sleeps meanwhile)."""
    watch = LoadWatch()
    time.sleep(seconds)
    return watch.share()
