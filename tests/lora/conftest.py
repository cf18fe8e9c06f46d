"""A real LoRA adapter for the tests: trained once with packaging/train_lora.py (PEFT, torch on the CPU)
on a Hugging Face-format copy of the bundled SmolLM2, and kept in pytest's cache dir (~2 min the first
time, then free). Its effect: every reply starts with "Ahoy matey!"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.backends.hf_copy import make_hf_copy

REPO = Path(__file__).resolve().parents[2]
PHRASE = "Ahoy matey!"
# The training run's arguments; a change makes a fresh adapter (the stamp below must match).
TRAIN_ARGS = ["--base-name", "smollm2-135m-instruct", "--threads", "2", "--seed", "0"]


@pytest.fixture(scope="session")
def hf_smollm2(request: pytest.FixtureRequest, bundled_model: Path) -> Path:
    out = Path(request.config.cache.mkdir("lora-hf-smollm2")) / "smollm2-135m-instruct"
    return make_hf_copy(bundled_model, out)


@pytest.fixture(scope="session")
def peft_adapter(request: pytest.FixtureRequest, hf_smollm2: Path) -> Path:
    """The trained PEFT folder (adapter_config.json + adapter_model.safetensors)."""
    out = Path(request.config.cache.mkdir("lora-ahoy")) / "adapter"
    stamp = out / "training.json"
    if stamp.is_file() and (out / "adapter_model.safetensors").is_file():
        return out
    argv = [sys.executable, str(REPO / "packaging" / "train_lora.py"), "--base", str(hf_smollm2), "--out", str(out),
            *TRAIN_ARGS]
    env = dict(os.environ, TOKENIZERS_PARALLELISM="false")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=900, env=env, check=False)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    summary = json.loads(stamp.read_text(encoding="utf-8"))
    assert summary["last_loss"] < summary["first_loss"] / 2, summary  # it learned something
    return out
