"""`assistant models list` shows what each catalog model costs here; `assistant models bench` (real
subprocesses, the session's hardware cache)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.models import cost
from assistant.core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def no_speed_stored() -> None:
    from assistant.core.runtime.ggml_probe import cache_dir

    for f in cache_dir().glob("speed-*.json"):
        f.unlink()


def cli(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, ASSISTANT_HOME=str(home), PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "assistant", "models", *args], capture_output=True, text=True,
                          timeout=120, cwd=ROOT, env=env)


def _store(decode: float) -> cost.MachineSpeed:
    from assistant.core.eval.speed import current_key

    s = cost.MachineSpeed(key=current_key(Settings.load()), prompt_tps=320.0, decode_tps=decode,
                          model="smollm2-135m-instruct", model_bytes=98_362_432, prompt_tokens=256, mean_context=352,
                          cpu_variant="zen4", n_threads=2)
    cost.store_speed(s)
    return s


def test_list_shows_the_speed_column(app_home: Path) -> None:
    r = cli("list", home=app_home)
    assert r.returncode == 0, r.stderr
    assert "speed here" in r.stdout and "not measured" in r.stdout and "assistant models bench" in r.stdout
    speed = _store(120.0)
    r = cli("list", home=app_home)
    line = next(ln for ln in r.stdout.splitlines() if "deepseek-r1-distill-qwen-7b" in ln and "Q4_K_M" in ln)
    from assistant.core.models.catalog import get_entry

    entry = get_entry("deepseek-r1-distill-qwen-7b")
    assert entry is not None
    pred = cost.predict(entry, int(entry.file_spec("Q4_K_M")["size"]), speed)
    assert cost.short_text(pred) in line and "not measured" not in r.stdout
    assert "decode 120 tok/s" in r.stdout
    data = json.loads(cli("list", "--json", home=app_home).stdout)
    row = next(c for c in data["catalog"] if (c["id"], c["quant"]) == ("deepseek-r1-distill-qwen-7b", "Q4_K_M"))
    assert row["speed_here"]["decode_tps"] == pred.decode_tps
    assert row["speed_here"]["typical_answer_s"] == pred.answer_seconds


def test_bench_cached_prints_the_stored_measurement_and_predictions(app_home: Path) -> None:
    _store(80.0)
    r = cli("bench", "--cached", "--json", home=app_home)
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["measured"]["decode_tps"] == 80.0 and data["measured"]["source"] == "cache"
    assert set(data["predicted"]) >= {"deepseek-r1-distill-qwen-1.5b:Q4_K_M", "smollm2-135m-instruct:Q4_1"}
    assert data["predicted"]["deepseek-r1-distill-qwen-1.5b:Q8_0"]["decode_tps"] < \
        data["predicted"]["deepseek-r1-distill-qwen-1.5b:Q4_K_M"]["decode_tps"]
    text = cli("bench", "--cached", home=app_home).stdout
    assert "from the cache" in text and "deepseek-r1-distill-qwen-7b" in text
