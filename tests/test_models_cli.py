"""`assistant models ...` in real subprocesses: list, import, info, verify, remove, download with Ctrl+C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.convert.conftest import HFModel, qwen_hf  # noqa: F401  (a tiny random Qwen2 HF folder)
from tests.core.ggufgen import write_tiny_llama
from tests.core.hubserver import HubServer

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, home: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ASSISTANT_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "assistant", "models", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)


def test_import_list_info_verify_remove(tmp_path: Path, app_home: Path) -> None:
    tiny = write_tiny_llama(tmp_path / "tiny.gguf")
    r = cli("import", str(tiny), home=app_home)
    assert r.returncode == 0 and "Imported tiny.gguf: llama F32" in r.stdout, r.stderr
    listing = json.loads(cli("list", "--json", home=app_home).stdout)
    assert {m["name"] for m in listing["local"]} == {"tiny.gguf", "SmolLM2-135M-Instruct.Q4_1.gguf"}
    assert {(c["id"], c["quant"]) for c in listing["catalog"]} >= {("deepseek-r1-distill-qwen-1.5b", "Q4_K_M"),
                                                                  ("deepseek-r1-distill-qwen-1.5b", "Q8_0")}
    info = json.loads(cli("info", "tiny.gguf", "--ctx", "128", "--json", home=app_home).stdout)
    assert info["architecture"] == "llama" and info["fit"] == "fits" and info["n_ctx"] == 128
    verify = cli("verify", "tiny.gguf", "--json", home=app_home)
    assert verify.returncode == 0 and json.loads(verify.stdout)["probe_ok"] is True
    text = cli("info", "deepseek-r1-distill-qwen-7b", home=app_home).stdout
    assert "Q4_K_M" in text and "needs" in text
    r = cli("remove", "tiny.gguf", home=app_home)
    assert r.returncode == 0 and not (app_home / "data" / "models" / "tiny.gguf").exists()


@pytest.mark.convert
def test_import_a_hugging_face_folder_converts_and_lists_it(qwen_hf: HFModel, app_home: Path) -> None:  # noqa: F811
    r = cli("import", str(qwen_hf.dir), "--quant", "Q8_0", home=app_home, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "Imported Tiny-R1-Distill-Qwen-Q8_0.gguf: qwen2 Q8_0" in r.stdout and "converting:" in r.stderr
    gguf = app_home / "data" / "models" / "Tiny-R1-Distill-Qwen-Q8_0.gguf"
    assert gguf.is_file()
    listing = json.loads(cli("list", "--json", home=app_home).stdout)
    [entry] = [m for m in listing["local"] if m["name"] == gguf.name]
    assert entry["source"] == "convert" and entry["usable"] is True
    verify = cli("verify", gguf.name, "--json", home=app_home)  # llama.cpp loads it in a child process
    assert verify.returncode == 0 and json.loads(verify.stdout)["probe_ok"] is True, verify.stdout + verify.stderr


def test_broken_file_gives_an_error_not_a_traceback(tmp_path: Path, app_home: Path) -> None:
    page = tmp_path / "model.gguf"
    page.write_text("<html><body>404</body></html>")
    r = cli("import", str(page), home=app_home)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "Error: Model file cannot be used: model.gguf cannot be loaded: it is a web page" in r.stderr
    r = cli("remove", "smollm2-135m-instruct", home=app_home)
    assert r.returncode == 1 and "cannot be removed" in r.stderr


@pytest.mark.download
@pytest.mark.server
def test_download_ctrl_c_then_rerun_resumes(tmp_path: Path, app_home: Path) -> None:
    data = write_tiny_llama(tmp_path / "t.gguf", n_embd=256, n_ff=512).read_bytes()
    with HubServer() as hub:
        hub.state.add("org/tiny-GGUF", "tiny.gguf", data)
        hub.state.faults.throttle = 1_000_000
        env = dict(os.environ, ASSISTANT_HOME=str(app_home), PYTHONPATH=str(ROOT))
        args = [sys.executable, "-m", "assistant", "models", "download", "--repo", "org/tiny-GGUF", "--file",
                "tiny.gguf", "--endpoint", hub.url]
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        part = app_home / "data" / "models" / ".downloads" / "tiny.gguf.part"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not (part.exists() and part.stat().st_size >= 512 << 10):
            time.sleep(0.05)
        proc.send_signal(signal.SIGINT)
        _out, err = proc.communicate(timeout=60)
        assert proc.returncode == 130, err
        assert "Cancelling" in err and "kept" in err and "Traceback" not in err
        kept = part.stat().st_size
        assert 0 < kept < len(data)

        hub.state.faults.throttle = None
        r = subprocess.run([*args, "--use"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert "resumed at" in r.stdout and "verified by hub sha256" in r.stdout and "Now using" in r.stdout
        [resumed] = [e for e in hub.state.gets() if e["range"]]  # the cancelled GET may be logged after it
        assert resumed["range"] == f"bytes={kept}-" and resumed["sent"] == len(data) - kept
        assert "#" in r.stderr or "100" in r.stderr  # the progress bar was drawn
    settings = json.loads((app_home / "config" / "settings.json").read_text())
    assert settings["model"].endswith("tiny.gguf")


def test_info_and_verify_check_a_file_outside_the_library(tmp_path: Path, app_home: Path) -> None:
    """`models info PATH` / `models verify PATH` on a .gguf anywhere on disk describe and check that file
    (they used to say it "does not exist") and do not add it to the library."""
    (tmp_path / "elsewhere").mkdir()
    outside = write_tiny_llama(tmp_path / "elsewhere" / "my-model.gguf")
    r = cli("info", str(outside), "--json", home=app_home)
    assert r.returncode == 0, r.stderr
    info = json.loads(r.stdout)
    assert info["file"] == "my-model.gguf" and info["architecture"] == "llama"
    r = cli("verify", str(outside), "--json", home=app_home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["header_ok"] and Path(json.loads(r.stdout)["path"]) == outside.resolve()
    r = cli("list", "--json", home=app_home)
    assert "my-model.gguf" not in r.stdout
    r = cli("info", str(tmp_path / "no-such.gguf"), home=app_home)
    assert r.returncode != 0 and "does not exist" in r.stderr + r.stdout
