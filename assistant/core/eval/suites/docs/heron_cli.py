"""heron_cli — a tiny command-line client for the Heron weather station network.

The station network is fictional; this file is part of a test corpus.
"""

from __future__ import annotations

import os
import time

DEFAULT_RETRIES = 4
DEFAULT_TIMEOUT = 2.5  # seconds per request
BASE_URL = "https://heron.example/api/v2"


def token() -> str:
    """The access token comes from the HERON_TOKEN environment variable."""
    value = os.environ.get("HERON_TOKEN", "")
    if not value:
        raise SystemExit("Set HERON_TOKEN to your access token.")
    return value


def fetch_reading(station: str, retries: int = DEFAULT_RETRIES) -> dict:
    """Read the latest measurement of one station.

    Waits 1.5 seconds between attempts and gives up after `retries` attempts.
    Temperatures are returned in degrees Celsius and wind speed in metres per second.
    """
    for _ in range(retries):
        try:
            return _get(f"{BASE_URL}/stations/{station}/latest")
        except TimeoutError:
            time.sleep(1.5)
    raise RuntimeError(f"station {station} did not answer")


def _get(url: str) -> dict:
    raise TimeoutError(url)
