"""Reading the loop corpus and feeding a text to a detector the way the decode loop does (in pieces)."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
LOOP_FILES = ("written_loops.json", "model_loops.json")


def load(name: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = json.loads((HERE / name).read_text(encoding="utf-8"))
    return entries


def loops() -> list[dict[str, Any]]:
    return [e for name in LOOP_FILES for e in load(name)]


def legit() -> list[dict[str, Any]]:
    return load("legit.json")


def feed(detector: Any, text: str, seed: int = 0, sizes: tuple[int, int] = (1, 6)) -> tuple[Any, int]:
    """Feed ``text`` in pieces of random size (a token is 1-6 characters); the loop found, if any, and the
    characters fed when it was found."""
    rng = random.Random(seed)
    i = 0
    while i < len(text):
        k = rng.randint(*sizes)
        found = detector.feed(text[i:i + k])
        i += k
        if found is not None:
            return found, min(i, len(text))
    return None, len(text)


def detect(make: Callable[[bool], Any], entry: dict[str, Any], seed: int = 0) -> tuple[Any, int]:
    """The loop a detector made by ``make(answer)`` finds in one corpus entry."""
    return feed(make(entry["mode"] == "answer"), entry["text"], seed)
