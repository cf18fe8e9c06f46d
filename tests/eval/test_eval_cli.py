"""`assistant eval` as a user runs it: killed part-way, run again, it finishes what is missing; reports."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.cli import main

pytestmark = [pytest.mark.model, pytest.mark.slow]


def eval_cmd(model: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "assistant.cli", "eval", "-m", str(model), "--kind", "knowledge", "--kind", "maths",
            "--limit", "2", "--runs", "2", "--max-tokens", "16", "--threads", "1", *extra]


def test_resume_after_a_kill(bundled_model: Path, app_home: Path, tmp_path: Path,
                             capsys: pytest.CaptureFixture[str]) -> None:
    env = {**os.environ, "ASSISTANT_HOME": str(app_home)}
    proc = subprocess.Popen(eval_cmd(bundled_model), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    results: list[Path] = []
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        results = list((app_home / "data" / "eval").glob("*/results.jsonl"))
        if results and len(results[0].read_text().splitlines()) >= 3:
            break
        time.sleep(0.1)
    os.killpg(proc.pid, signal.SIGKILL)  # no chance to clean up: as a crash or a power cut
    proc.wait()
    assert results, proc.stderr.read().decode() if proc.stderr else ""
    before = results[0].read_text().splitlines()
    assert 3 <= len(before) < 8, "killed before the run finished"

    again = subprocess.run(eval_cmd(bundled_model, "--json"), env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    out = json.loads(again.stdout)
    assert f"Resuming: {len(before)} of 8 tasks already done." in again.stderr
    assert out["skipped"] == len(before) and out["finished"] and out["records"] == out["expected"] == 8
    after = results[0].read_text().splitlines()
    assert after[:len(before)] == before and len(after) == 8  # finished tasks were not run again
    keys = [json.loads(line)["key"] for line in after]
    assert len(set(keys)) == 8
    assert out["points"][0]["kinds"]["all"]["records"] == 8 and out["points"][0]["kinds"]["maths"]["runs"] == 2

    # stored runs: listed, reported without the model, resumable by id once finished is a no-op
    run_id = results[0].parent.name
    assert main(["eval", "--list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed == [{"run_id": run_id, "model": "SmolLM2 135M Instruct", "backend": "llama.cpp", "finished": True,
                       "records": 8, "expected": 8}]
    html, md = tmp_path / "r.html", tmp_path / "r.md"
    assert main(["eval", "--show", run_id, "--report", str(html), "--report", str(md)]) == 0
    table = capsys.readouterr().out
    assert "knowledge" in table and "2×2" in table and run_id in table
    assert "<svg" in html.read_text() and "| setting | kind |" in md.read_text()


def test_cli_errors_are_clear(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["eval", "--show", "nope"]) == 1
    assert "No evaluation run 'nope'" in capsys.readouterr().err
    assert main(["eval", "--sweep", "top_k=1,2"]) == 1
    assert "temperature=0.4,0.6,0.8" in capsys.readouterr().err
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "kind": "maths", "lang": "en", "prompt": "?"}\n')
    assert main(["eval", "--suite", str(bad), "--list-tasks"]) == 1
    assert "bad.jsonl:1" in capsys.readouterr().err
    assert main(["eval", "--kind", "maths", "--limit", "1", "--list-tasks"]) == 0
    assert capsys.readouterr().out.startswith("m-rectangle")
