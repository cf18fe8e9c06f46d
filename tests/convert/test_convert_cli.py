"""`assistant convert` as a real subprocess: output, errors without tracebacks, Ctrl+C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO

from .conftest import HFModel

pytestmark = pytest.mark.convert


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["ASSISTANT_HOME"] = str(home)
    env["PYTHONPATH"] = str(REPO)
    return env


def _run(args: list[str], home: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", "convert", *args], cwd=REPO, env=_env(home),
                          capture_output=True, text=True, timeout=timeout)


def test_cli_converts_into_the_models_folder(qwen_hf: HFModel, app_home: Path) -> None:
    res = _run([str(qwen_hf.dir), "--quant", "q8_0"], app_home)
    assert res.returncode == 0, res.stderr
    path = Path(res.stdout.strip())
    assert path == app_home / "data" / "models" / "Tiny-R1-Distill-Qwen-Q8_0.gguf" and path.is_file()
    assert "Qwen2ForCausalLM" in res.stderr and "deepseek-r1-qwen" in res.stderr
    assert "Quantizing to Q8_0" in res.stderr and "Wrote Tiny-R1-Distill-Qwen-Q8_0.gguf" in res.stderr


def test_cli_outtype_out_and_dry_run(qwen_hf: HFModel, app_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    res = _run([str(qwen_hf.dir), "--outtype", "f16", "--out", str(out), "--dry-run"], app_home)
    assert res.returncode == 0, res.stderr
    assert "master F16" in res.stderr and not out.exists()
    res = _run([str(qwen_hf.dir), "--outtype", "f16", "--out", str(out)], app_home)
    assert res.returncode == 0, res.stderr
    assert Path(res.stdout.strip()) == out / "Tiny-R1-Distill-Qwen-F16.gguf"


def test_cli_errors_are_messages_not_tracebacks(qwen_hf: HFModel, app_home: Path, tmp_path: Path) -> None:
    src = tmp_path / "m"
    shutil.copytree(qwen_hf.dir, src)
    cfg = json.loads((src / "config.json").read_text())
    cfg["architectures"] = ["GPT2LMHeadModel"]
    (src / "config.json").write_text(json.dumps(cfg))
    res = _run([str(src)], app_home)
    assert res.returncode == 1
    assert "unsupported architecture: GPT2LMHeadModel; supported: LlamaForCausalLM, Qwen2ForCausalLM" in res.stderr
    assert "Traceback" not in res.stderr
    res = _run([str(tmp_path / "missing")], app_home)
    assert res.returncode == 1 and "does not exist" in res.stderr and "Traceback" not in res.stderr
    res = _run([str(qwen_hf.dir), "--quant", "Q9_X"], app_home)
    assert res.returncode == 1 and "Unknown quantization type" in res.stderr


def test_ctrl_c_cancels_cleanly(smol_hf: HFModel, app_home: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "convert", str(smol_hf.dir), "--outtype", "f32",
                             "--quant", "Q4_K_M", "--out", str(out)], cwd=REPO, env=_env(app_home),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stderr is not None
        deadline = time.monotonic() + 120
        seen = ""
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            seen += line
            if "Converting" in line or "Quantizing" in line or not line:
                break
        assert "Converting" in seen or "Quantizing" in seen, seen
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130, err
    assert "Cancelled; no files were kept." in err and "Traceback" not in err
    assert not out.exists() or list(out.iterdir()) == []
