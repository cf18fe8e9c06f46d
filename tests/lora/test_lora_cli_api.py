"""Adapters from the front ends: `assistant lora import/list/remove` and `assistant ask --lora NAME[:SCALE]`
(real subprocesses), and the local API's `base+adapter` model ids (real server on 127.0.0.1)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.models.lora import import_adapter

from .conftest import PHRASE

REPO = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.model, pytest.mark.slow]
QUESTION = "What is the capital of Italy?"


def run_cli(args: list[str], app_home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ASSISTANT_HOME": str(app_home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=300)


def test_cli_imports_lists_and_uses_an_adapter(peft_adapter: Path, app_home: Path) -> None:
    r = run_cli(["lora", "import", str(peft_adapter), "--name", "ahoy"], app_home)
    assert r.returncode == 0, r.stderr
    assert "rank 8" in r.stderr and r.stdout.strip().endswith("ahoy.gguf")
    listed = json.loads(run_cli(["lora", "list", "--json"], app_home).stdout)
    assert [a["name"] for a in listed] == ["ahoy"]
    ask = ["ask", QUESTION, "--json", "--max-tokens", "16", "--maths", "off", "--temperature", "0"]
    with_it = json.loads(run_cli([*ask, "--lora", "ahoy"], app_home).stdout)
    assert with_it["answer"].startswith(PHRASE) and with_it["adapters"] == [{"name": "ahoy", "scale": 1.0}]
    off = json.loads(run_cli([*ask, "--lora", "ahoy:0"], app_home).stdout)
    assert "Ahoy" not in off["answer"]
    bad = run_cli([*ask, "--lora", "nosuch"], app_home)
    assert bad.returncode == 1 and "no adapter called 'nosuch'" in bad.stderr and "ahoy" in bad.stderr
    assert run_cli(["lora", "remove", "ahoy"], app_home).returncode == 0
    assert json.loads(run_cli(["lora", "list", "--json"], app_home).stdout) == []


@pytest.mark.server
def test_api_serves_base_plus_adapter(peft_adapter: Path, bundled_model: Path, app_home: Path) -> None:
    from openai import NotFoundError, OpenAI

    from assistant.core.backends.llama_cpp import LlamaCppBackend
    from assistant.server import LocalServer

    import_adapter(peft_adapter, base=bundled_model.name, name="ahoy")
    backend = LlamaCppBackend(bundled_model, n_ctx=2048, n_threads=1)
    server = LocalServer(lambda: backend, port=0, max_tokens_limit=512, max_queue=2, max_n=2)
    server.start()
    try:
        client = OpenAI(base_url=f"http://127.0.0.1:{server.port}/v1", api_key="none", max_retries=0, timeout=120)
        ids = [m.id for m in client.models.list().data]
        assert ids[0] == "smollm2-135m-instruct" and "smollm2-135m-instruct+ahoy" in ids

        def reply(model: str) -> tuple[str, str]:
            r = client.chat.completions.create(model=model, messages=[{"role": "user", "content": QUESTION}],
                                               max_tokens=16, temperature=0)
            return r.model, r.choices[0].message.content or ""

        model, text = reply("smollm2-135m-instruct+ahoy")
        assert model == "smollm2-135m-instruct+ahoy" and text.startswith(PHRASE)
        assert "Ahoy" not in reply("smollm2-135m-instruct")[1]  # switched back, same loaded model
        assert reply("smollm2-135m-instruct+ahoy:0.5")[1].startswith(PHRASE)
        with pytest.raises(NotFoundError):
            reply("smollm2-135m-instruct+nosuch")
    finally:
        server.stop()
        backend.close()
