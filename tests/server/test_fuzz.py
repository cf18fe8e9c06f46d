"""schemathesis fuzzes the server's own OpenAPI description against the real server and model.

Every check it has runs (no 5xx, status codes/content types/bodies as documented, schema-invalid data
refused, no hang past the request timeout) except ``positive_data_acceptance``: JSON Schema cannot say
"the last message is from the user" or "the prompt fits the context", so some schema-valid requests
rightly get a 400.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def fuzz_target(server_backend: Any) -> Iterator[Any]:
    from assistant.server import LocalServer

    # Small max_tokens cap so the thousand-odd generated requests finish quickly.
    server = LocalServer(lambda: server_backend, port=0, max_tokens_limit=4, max_n=2, max_queue=2)
    # every request's record kept: the tests count what reached the model, and the service keeps only its
    # last 100 by default (after the first test's run, the second one's count came out 0 in CI)
    server.service.keep_records(100_000)
    server.start()
    yield server
    server.stop()


def _fuzz(target: Any, tmp_path: Path, paths: str, examples: int) -> str:
    """schemathesis over the operations whose path matches ``paths``; returns its JUnit report."""
    seed = os.environ.get("ASSISTANT_FUZZ_SEED", "1")
    cmd = [
        sys.executable, "-m", "schemathesis.cli", "run", f"{target.root_url}/openapi.json",
        "--checks", "all", "--exclude-checks", "positive_data_acceptance", "--include-path-regex", paths,
        "--max-examples", str(examples), "--workers", "1", "--seed", seed,
        "--request-timeout", "60", "--max-response-time", "60",
        "--report", "junit", "--report-junit-path", str(tmp_path / "junit.xml"),
    ]
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(REPO),
                               "SCHEMATHESIS_HOOKS": "tests.server.fuzz_hooks"})
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-6000:]
    junit = (tmp_path / "junit.xml").read_text()
    assert "<failure" not in junit
    return junit


def test_schemathesis_finds_no_server_errors_or_hangs(fuzz_target: Any, tmp_path: Path) -> None:
    junit = _fuzz(fuzz_target, tmp_path, "^/v1/(chat/completions|models)", 200)
    assert "POST /v1/chat/completions" in junit
    # The fuzzer really reached the model: many requests were generated, not all refused.
    assert sum(r.completion_tokens > 0 for r in fuzz_target.records) >= 20
    assert fuzz_target.service.pending == 0


def test_schemathesis_on_completions_embeddings_and_the_ollama_routes(fuzz_target: Any, tmp_path: Path) -> None:
    """The routes of issue 26: no 5xx and no hang for any malformed request either."""
    before = len(fuzz_target.records)
    junit = _fuzz(fuzz_target, tmp_path, "^/(v1/(completions|embeddings)|api/)", 60)
    for op in ("POST /v1/completions", "POST /v1/embeddings", "POST /api/chat", "POST /api/generate",
               "GET /api/tags", "POST /api/show", "GET /api/ps", "GET /api/version", "POST /api/embed"):
        assert op in junit, op
    ran = fuzz_target.records[before:]
    assert sum(r.id.startswith("cmpl-") and r.completion_tokens > 0 for r in ran) >= 5  # completions reached the model
    assert fuzz_target.service.pending == 0
