"""How sizes and times are written for people: one way in the CLI, the window and the errors."""

from __future__ import annotations

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30


def human_bytes(n: float | int | None) -> str:
    """1234567 -> "1.2 MB" (decimal units, like file managers and the hub); None -> "?"."""
    if n is None:
        return "?"
    value = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if abs(value) < 1000:
            return f"{value:.0f} {unit}" if unit in ("B", "KB") else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} TB"


def human_duration(seconds: float | None) -> str:
    """Time left as m:ss or h:mm:ss; "--:--" when unknown (None, NaN, or more than 100 hours)."""
    if seconds is None or seconds != seconds or seconds > 360000:
        return "--:--"
    s = int(seconds)
    return f"{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{s // 60}:{s % 60:02d}"
