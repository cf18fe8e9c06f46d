"""How far a long job is: one shape for every job (a download, an import, a conversion, a quantization, a
server starting), so every front end shows them the same way without sniffing types."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Progress:
    """``stage``: what is happening ("download", "verify", "done", or a sentence such as "Quantizing to
    Q4_K_M"); ``fraction``: 0..1, None while unknown. Transfers also say which file, bytes so far and in
    all, speed (bytes/s, smoothed) and seconds left (None if unknown)."""

    stage: str
    fraction: float | None = None
    filename: str = ""
    downloaded: int = 0
    total: int | None = None
    speed: float = 0.0
    eta: float | None = None

    @property
    def transfer(self) -> bool:
        """A report about bytes moving (a download or a copy), not just a stage."""
        return bool(self.filename)


ProgressCallback = Callable[[Progress], None]


def stage_reporter(callback: ProgressCallback | None) -> Callable[[str, float | None], None]:
    """A ``report(stage, fraction)`` function for code that only has a stage to say (or a no-op)."""
    if callback is None:
        return lambda stage, fraction: None
    return lambda stage, fraction: callback(Progress(stage, fraction))


def scaled(callback: ProgressCallback | None, start: float, share: float) -> ProgressCallback | None:
    """``callback`` for one part of a bigger job: the part's 0..1 becomes start..start+share of the whole."""
    if callback is None:
        return None
    return lambda p: callback(Progress(p.stage, None if p.fraction is None else start + p.fraction * share,
                                       p.filename, p.downloaded, p.total, p.speed, p.eta))
