"""A whole chat session with the bundled model opens no network connection (audit hook in the child)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Loaded by the child through PYTHONPATH before anything else runs; records every network attempt.
SITECUSTOMIZE = '''
import json, os, sys
_LOG = os.environ["NET_AUDIT_LOG"]
_EVENTS = {"socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
           "socket.gethostbyaddr", "socket.sendto", "socket.sendmsg"}
def _hook(event, args):
    if event in _EVENTS:
        with open(_LOG, "a", encoding="utf-8") as fh:
            fh.write(json.dumps([event, repr(args)[:300]]) + "\\n")
sys.addaudithook(_hook)
'''

CORE_SESSION = """
from assistant.core.backends import open_backend
from assistant.core.chat.turn import ChatTurn, TurnOptions
from assistant.core.chat.prompting import Message, Sampling
from assistant.core.settings import Settings
from assistant.core.models import library, downloads
from assistant.core.runtime import hardware

backend = open_backend(Settings(n_threads=1, n_ctx=1024))  # 1 thread: the CI machine is shared
history = []
for text in ("Hello! What is 2+2?", "请用中文回答：天空是什么颜色？"):
    turn = ChatTurn(backend, history, text, TurnOptions(sampling=Sampling(max_tokens=8, seed=1)))
    for _ in turn.events():
        pass
    history += [Message("user", text), Message("assistant", turn.result.answer)]
backend.close()
# What the model manager does without a download: list, estimate, inspect, look in the HF cache.
library.list_local()
library.catalog_rows()
library.model_details("smollm2-135m-instruct")
library.model_details("deepseek-r1-distill-qwen-1.5b")
hardware.detect()
downloads._from_hf_cache("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B", "config.json", "main", None)
import huggingface_hub
assert huggingface_hub.constants.HF_HUB_OFFLINE, "the app did not switch the hub library offline"
print("SESSION OK", len(history))
"""


def _run(args: list[str], tmp_path: Path, app_home: Path, stdin: str = "") -> tuple[subprocess.CompletedProcess[str],
                                                                                  list[list[str]]]:
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / f"net-{len(list(tmp_path.glob('net-*')))}.jsonl"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HF_", "HUGGINGFACE"))}
    env.update(PYTHONPATH=f"{site}{os.pathsep}{ROOT}", NET_AUDIT_LOG=str(log), ASSISTANT_HOME=str(app_home))
    proc = subprocess.run([sys.executable, *args], input=stdin, capture_output=True, text=True, timeout=240,
                          cwd=ROOT, env=env)
    events = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    return proc, events


def test_the_audit_hook_sees_connections(tmp_path: Path, app_home: Path) -> None:
    """Control: the same hook does record a real connection, so an empty log means something."""

    class Ok(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *a: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Ok)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        code = f"import urllib.request; urllib.request.urlopen('http://localhost:{server.server_address[1]}/')"
        proc, events = _run(["-c", code], tmp_path, app_home)
    finally:
        server.shutdown()
        server.server_close()
    assert proc.returncode == 0, proc.stderr
    kinds = {e[0] for e in events}
    assert "socket.connect" in kinds and "socket.getaddrinfo" in kinds


@pytest.mark.model
def test_cli_ask_and_chat_make_no_connection_attempt(tmp_path: Path, app_home: Path) -> None:
    fast = ["--max-tokens", "8", "--seed", "1", "--threads", "1", "--ctx", "1024"]
    proc, events = _run(["-m", "assistant", "ask", "What is 2+2?", "--json", *fast], tmp_path, app_home)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["model"]
    assert events == []

    proc, events = _run(["-m", "assistant", "chat", *fast], tmp_path, app_home,
                        stdin="Hello!\n/new\n你好，请介绍一下你自己。\n/exit\n")
    assert proc.returncode == 0, proc.stderr
    assert "[new conversation]" in proc.stderr
    assert events == []

    proc, events = _run(["-m", "assistant", "models", "list"], tmp_path, app_home)
    assert proc.returncode == 0 and "deepseek-r1-distill-qwen-1.5b" in proc.stdout, proc.stderr
    assert events == []


@pytest.mark.model
def test_core_chat_session_and_model_manager_make_no_connection_attempt(tmp_path: Path, app_home: Path) -> None:
    proc, events = _run(["-c", CORE_SESSION], tmp_path, app_home)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "SESSION OK 4" in proc.stdout
    assert events == [], events

