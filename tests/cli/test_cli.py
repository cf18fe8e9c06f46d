"""The `assistant` command line, run as a real subprocess with the real bundled model."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.model


def run_cli(args, app_home, timeout=180, environ=None, **kw):
    env = {**(os.environ if environ is None else environ), "ASSISTANT_HOME": str(app_home), "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "assistant", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout, **kw)


def test_ask_json(app_home):
    r = run_cli(["ask", "What is 2 + 3?", "--json", "--max-tokens", "40", "--seed", "3"], app_home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["answer"]
    assert data["maths"] is True
    assert set(data) >= {"reasoning", "answer", "boxed", "usage", "timings", "model", "backend"}
    assert data["usage"]["completion_tokens"] > 0
    assert data["timings"]["tokens_per_second"] > 0
    assert data["backend"] == "llama.cpp"


def test_ask_with_samples_prints_the_vote(app_home):
    r = run_cli(["ask", "Name a colour.", "-n", "2", "--max-tokens", "16", "--maths", "off"], app_home)
    assert r.returncode == 0, r.stderr
    assert "sample 2/2" in r.stdout and "Vote:" in r.stdout


@pytest.mark.parametrize("lang", ["zh_CN.UTF-8", "en_US.UTF-8"])
def test_the_vote_is_said_in_the_terminals_language(app_home, lang):
    """The core hands over the vote (counts, winner); the command line words it in the terminal's language."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "LANGUAGE"))}
    r = run_cli(["ask", "What is 17 * 23?", "-n", "3", "--max-tokens", "24", "--seed", "2"], app_home, timeout=400,
                environ={**env, "LANG": lang})
    assert r.returncode == 0, r.stderr
    assert "Self-consistency" not in r.stdout + r.stderr
    vote = [line for line in r.stdout.splitlines() if line.startswith(("Vote:", "投票："))]
    assert len(vote) == 1, r.stdout
    if lang.startswith("zh"):
        assert vote[0].startswith("投票：") and "3 个样本" in vote[0], vote
    else:
        assert vote[0].startswith("Vote: ") and "of 3 samples" in vote[0], vote


def test_missing_model_is_a_clear_error(app_home, tmp_path):
    r = run_cli(["ask", "hi", "--model", str(tmp_path / "missing.gguf")], app_home)
    assert r.returncode == 1
    assert "Model file not found" in r.stderr and "Traceback" not in r.stderr


def test_not_a_model_is_a_clear_error(app_home, tmp_path):
    bad = tmp_path / "page.gguf"
    bad.write_text("<html>404</html>")
    r = run_cli(["ask", "hi", "--model", str(bad)], app_home)
    assert r.returncode == 1
    assert "not a GGUF model file" in r.stderr and "Traceback" not in r.stderr


def test_bad_option_value_is_a_clear_error(app_home):
    r = run_cli(["ask", "hi", "--temperature", "99"], app_home)
    assert r.returncode == 1 and "Temperature" in r.stderr


def test_chat_ctrl_c_stops_the_reply_not_the_chat(app_home):
    env = {**os.environ, "ASSISTANT_HOME": str(app_home), "PYTHONPATH": str(REPO), "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "chat", "--max-tokens", "3000", "--maths", "off"],
                            cwd=REPO, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        proc.stdin.write("Write a very long story about a lighthouse keeper.\n")
        proc.stdin.flush()
        # Wait until the reply is streaming, then press Ctrl+C.
        out: list[str] = []
        reader = threading.Thread(target=lambda: out.extend(iter(lambda: proc.stdout.read(1), "")), daemon=True)
        reader.start()
        deadline = time.time() + 120
        while time.time() < deadline and len(out) < 80:
            time.sleep(0.05)
        assert len(out) >= 80, "the reply did not start streaming"
        proc.send_signal(signal.SIGINT)
        time.sleep(1.0)
        assert proc.poll() is None, "Ctrl+C must not end the chat"
        proc.stdin.write("/exit\n")
        proc.stdin.flush()
        proc.wait(60)
        err = proc.stderr.read()
        assert proc.returncode == 0, err
        assert "[stopped]" in err
    finally:
        if proc.poll() is None:
            proc.kill()


def test_info(app_home):
    r = run_cli(["info"], app_home)
    assert r.returncode == 0
    data = json.loads(r.stdout)
    assert "deepseek-r1-distill-qwen-1.5b" in data["catalog"]
    assert data["paths"]["config_dir"].startswith(str(app_home))


@pytest.mark.parametrize("ctx, words", [("10", "at least 64"), ("-1", "at least 64"),
                                         ("10000000", "GiB of memory")])
def test_context_size_is_checked_with_a_clear_message(app_home, ctx, words):
    """--ctx 10 once failed with a numpy broadcast error; -1 and 10,000,000 were blamed on a damaged file."""
    r = run_cli(["ask", "hi", "--ctx", ctx, "--max-tokens", "4"], app_home)
    assert r.returncode != 0
    assert words in r.stderr and "Traceback" not in r.stderr and "damaged" not in r.stderr


def test_unknown_model_names_the_catalog_and_close_matches(app_home):
    r = run_cli(["ask", "hi", "-m", "smollm2-135m-instruc"], app_home)
    assert r.returncode != 0 and "no model called 'smollm2-135m-instruc'" in r.stderr
    assert "'smollm2-135m-instruct'" in r.stderr and "does not exist" not in r.stderr
    r = run_cli(["models", "download", "nope"], app_home)
    assert r.returncode != 0 and "no model called 'nope'" in r.stderr and "models list" in r.stderr


def test_ask_reads_the_prompt_from_stdin_refuses_an_empty_one_and_caps_max_tokens(app_home):
    r = run_cli(["ask", "-", "--json", "--max-tokens", "999999999", "--ctx", "512", "--seed", "1"], app_home,
                input="What is 2 + 3?\n")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["answer"] and data["context"]["prompt_tokens"] > 5
    assert "capped at 512" in r.stderr
    r = run_cli(["ask", "-"], app_home, input="  \n")
    assert r.returncode != 0 and "The question is empty" in r.stderr
    r = run_cli(["ask", ""], app_home)
    assert r.returncode != 0 and "The question is empty" in r.stderr


def test_thinking_budget_in_ask_json_and_the_meter_in_chat(app_home):
    """The bundled model forced into <think> never closes it: the budget does, and an answer follows."""
    opts = ["--force-thinking", "--think-budget", "24", "-t", "0", "--max-tokens", "200", "--maths", "off"]
    r = run_cli(["ask", "Explain recursion.", "--json", *opts], app_home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    thinking = data["thinking"]
    assert thinking["budget"] == 24 and thinking["end"] == "budget" and 24 <= thinking["tokens"] <= 24 + 48
    assert data["answer"].strip()
    assert data["usage"]["completion_tokens_details"]["reasoning_tokens"] == thinking["tokens"]
    # chat: the meter closes the reasoning with its numbers, the answer follows on stdout
    r = run_cli(["chat", *opts], app_home, input="Explain recursion.\n/exit\n")
    assert r.returncode == 0, r.stderr
    assert "tokens (budget 24 reached)]" in r.stderr and "Thought for" in r.stderr
    assert "I have thought about this enough" in r.stdout
    bad = run_cli(["ask", "x", "--think-budget", "lots"], app_home)
    assert bad.returncode == 2 and "not a number of tokens" in bad.stderr
