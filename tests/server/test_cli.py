"""`assistant serve` as a real subprocess: serves the bundled model, answers the openai client, and
stops cleanly on Ctrl+C; refuses a non-loopback address without a key before loading anything."""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import openai
import pytest
from openai import OpenAI

from .conftest import MODEL

REPO = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.server, pytest.mark.model]


def _spawn(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "serve", *args], cwd=REPO, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})},
    )


def _lines(stream: object) -> queue.Queue[str]:
    q: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:  # type: ignore[attr-defined]
            q.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return q


def test_assistant_serve_answers_openai_client_and_stops_on_ctrl_c() -> None:
    proc = _spawn("--port", "0", "--ctx", "1024", "--threads", "1")
    try:
        err = _lines(proc.stderr)
        seen, url = [], None
        deadline = time.monotonic() + 60
        while url is None and time.monotonic() < deadline:
            try:
                line = err.get(timeout=1)
            except queue.Empty:
                assert proc.poll() is None, "".join(seen)
                continue
            seen.append(line)
            m = re.search(r"Serving (\S+) \(llama\.cpp\) at (http://127\.0\.0\.1:\d+/v1)", line)
            if m:
                assert m.group(1) == MODEL
                url = m.group(2)
        assert url, "".join(seen)
        port = url.rsplit(":", 1)[1].split("/")[0]
        # The article's client code, unchanged apart from the model name (and the free port).
        client = OpenAI(base_url=f"http://localhost:{port}/v1", api_key="none")
        response = client.chat.completions.create(
            model=MODEL,
            messages=[{"role": "user", "content": "What is the capital of France?"}],
            temperature=0.6,
            top_p=0.95,
            max_tokens=512,
        )
        assert response.choices[0].message.content
        chunks = list(client.chat.completions.create(model=MODEL, messages=[{"role": "user", "content": "Hi"}],
                                                     max_tokens=8, stream=True))
        assert chunks[-1].choices[0].finish_reason in ("stop", "length")

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        rest = "".join(seen)
        while True:
            try:
                rest += err.get(timeout=2)
            except queue.Empty:
                break
        assert "Server stopped." in rest
        assert "Traceback" not in rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_assistant_serve_refuses_public_address_without_key() -> None:
    t0 = time.monotonic()
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_API_KEY"}
    proc = subprocess.run([sys.executable, "-m", "assistant", "serve", "--host", "0.0.0.0", "--port", "0"],
                          cwd=REPO, env={**env, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 1
    assert "API key" in proc.stderr and "--api-key" in proc.stderr
    assert "Loading" not in proc.stderr  # refused before loading the model
    assert "Traceback" not in proc.stderr
    assert time.monotonic() - t0 < 60


def _serving_url(proc: subprocess.Popen[str], err: queue.Queue[str], seen: list[str]) -> str:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            line = err.get(timeout=1)
        except queue.Empty:
            assert proc.poll() is None, "".join(seen)
            continue
        seen.append(line)
        m = re.search(r"at (http://127\.0\.0\.1:\d+/v1)", line)
        if m:
            return m.group(1)
    raise AssertionError("".join(seen))


@pytest.mark.parametrize("allowed", [True, False])
def test_assistant_serve_loads_another_model_on_request_unless_told_not_to(
        allowed: bool, bundled_model: Path, tmp_path: Path) -> None:
    """The article's client names its model; `assistant serve` loads that one from disk (one at a time)."""
    models = tmp_path / "models"
    models.mkdir()
    shutil.copyfile(bundled_model, models / "my-model.gguf")
    flags = () if allowed else ("--no-load-on-request",)
    proc = _spawn("--port", "0", "--ctx", "1024", "--threads", "1", *flags,
                  env={"ASSISTANT_MODELS_DIR": str(models)})
    try:
        err, seen = _lines(proc.stderr), []
        client = OpenAI(base_url=_serving_url(proc, err, seen), api_key="none", max_retries=0, timeout=120)
        listed = [m.id for m in client.models.list().data]
        if allowed:
            assert listed == [MODEL, "my-model"]
            r = client.chat.completions.create(model="my-model.gguf", messages=[{"role": "user", "content": "Hi"}],
                                               max_tokens=4)
            assert r.model == "my-model" and r.choices[0].message.content
        else:
            assert listed == [MODEL]
            with pytest.raises(openai.NotFoundError) as exc:
                client.chat.completions.create(model="my-model", messages=[{"role": "user", "content": "Hi"}],
                                               max_tokens=4)
            assert "--load-on-request" in exc.value.body["message"]
        # The served model answers to its Hugging Face name either way.
        r = client.chat.completions.create(model="HuggingFaceTB/SmolLM2-135M-Instruct",
                                           messages=[{"role": "user", "content": "Hi"}], max_tokens=4)
        assert r.model == MODEL
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0
        rest = "".join(seen)
        while True:
            try:
                rest += err.get(timeout=2)
            except queue.Empty:
                break
        assert ("loads it instead" in rest) == allowed
        assert "Traceback" not in rest
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
