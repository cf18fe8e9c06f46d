"""`assistant ask --think/--no-think` on a random Qwen3-shaped GGUF with the real template (issue 27), run as
a real subprocess: the switch reaches the prompt (four tokens more with thinking off: the empty think block)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import run_cli
from tests.core.qwen3gen import write_qwen3

pytestmark = pytest.mark.model


def test_ask_think_and_no_think(app_home: Path, tmp_path: Path) -> None:
    model = write_qwen3(tmp_path / "some-model.gguf", name="Some Model")
    common = ["--json", "--max-tokens", "6", "--temperature", "0", "--maths", "off", "-m", str(model),
              "--threads", "1"]
    out = {}
    for flag in ("--think", "--no-think", None):
        r = run_cli(["ask", "What is 2+2?", *common, *([flag] if flag else [])], app_home)
        assert r.returncode == 0, r.stderr
        out[flag] = json.loads(r.stdout)
    assert out["--think"]["thinking_switch"] is True and out[None]["thinking_switch"] is True
    assert out["--no-think"]["thinking_switch"] is False
    tokens = {k: v["usage"]["prompt_tokens"] for k, v in out.items()}
    assert tokens["--no-think"] == tokens["--think"] + 4 == tokens[None] + 4
    # the soft switch in the question does the same without a flag
    r = run_cli(["ask", "What is 2+2? /no_think", *common], app_home)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["thinking_switch"] is False
    # --think on a model without a switch (the bundled SmolLM2) is said, not ignored silently
    r = run_cli(["ask", "Hi", "--think", "--max-tokens", "4", "--maths", "off"], app_home)
    assert r.returncode == 0, r.stderr
    assert "no thinking switch" in r.stderr
