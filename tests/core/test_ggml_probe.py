"""The llama.cpp probe: CPU code chosen by running it, faults planted rather than hoped absent.

The planted variant (tests/fixtures/planted_cpu_variant.c) is the real x64 code with a twist: it claims
the best CPUID score, loads and decodes single tokens fine, and dies with SIGILL (or hangs, or computes
other numbers) on the first matrix multiplication over a batch of tokens: the shape of the AMX crash seen
on a VM that advertises AMX without enabling it.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.core.runtime import ggml_probe
from assistant.core.runtime.ggml_probe_child import BLOCK_TYPES, write_probe_model

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
x86_only = pytest.mark.skipif(platform.machine() != "x86_64" or not ggml_probe.cpu_modules(),
                              reason="the CPU variants are separate modules only in the x86-64 portable build")


def _plant(tmp_path: Path, kind: str = "") -> Path:
    """A module folder: the real modules (linked) plus the planted variant, built with the system compiler."""
    folder = tmp_path / "modules"
    folder.mkdir()
    for p in ggml_probe.module_dir().glob("libggml-*"):
        (folder / p.name).symlink_to(p)
    cc = shutil.which("cc") or shutil.which("gcc")
    assert cc, "a C compiler is part of the test set-up (bootstrap.sh installs g++)"
    flags = {"hang": ["-DPLANT_HANG"], "wrong": ["-DPLANT_WRONG"]}.get(kind, [])
    subprocess.run([cc, "-shared", "-fPIC", "-O1", *flags, "-o", str(folder / "libggml-cpu-planted.so"),
                    str(FIXTURES / "planted_cpu_variant.c"), "-ldl"], check=True)
    return folder


def _result(verdict: ggml_probe.Verdict, name: str) -> ggml_probe.ModuleResult:
    return next(r for r in verdict.results if r.name == name)


def test_probe_model_has_every_weight_type_we_ship(tmp_path: Path) -> None:
    from gguf import GGUFReader

    path = write_probe_model(tmp_path / "probe.gguf")
    types = {t.tensor_type.name for t in GGUFReader(str(path)).tensors}
    assert {"Q4_0", "Q4_1", "Q4_K", "Q6_K", "Q8_0", "F16"} <= types == set(BLOCK_TYPES) | {"F32"}
    assert path.stat().st_size < 8 << 20


def test_deviation_is_relative_and_refuses_other_shapes() -> None:
    a = [[1.0, -4.0], [2.0, 0.5]]
    assert ggml_probe.deviation(a, a) == 0.0
    assert ggml_probe.deviation(a, [[1.0, -4.0], [2.0, 0.9]]) == pytest.approx(0.1)
    assert ggml_probe.deviation(a, [[1.0, -4.0]]) == float("inf")


@x86_only
def test_real_probe_chooses_a_working_variant_that_matches_x64(tmp_path: Path) -> None:
    verdict = ggml_probe.probe()
    base = _result(verdict, "x64")
    assert base.status == "ok" and base.decode_tps > 0
    chosen = _result(verdict, verdict.cpu)
    assert chosen.status == "ok" and chosen.deviation <= ggml_probe.TOLERANCE
    assert verdict.fallbacks[-1] == "x64"  # the plain code is always there to fall back on
    tested = [r for r in verdict.results if r.status != "untested"]
    # nothing better-scored than the choice was passed over untested
    assert all(r.score <= chosen.score or r.status != "ok" for r in verdict.results)
    assert len(tested) >= 2 or verdict.cpu == "x64"


@x86_only
def test_variant_that_dies_on_a_prompt_batch_is_skipped_and_the_app_answers(tmp_path: Path,
                                                                              bundled_model: Path) -> None:
    """The planted variant is what ggml's CPUID scoring would load; the app must still answer, twice, and
    the second start must not probe again."""
    folder = _plant(tmp_path)
    cache = tmp_path / "hwcache"
    env = {**os.environ, "ASSISTANT_GGML_MODULES": str(folder), "ASSISTANT_HARDWARE_CACHE": str(cache)}
    ask = [sys.executable, "-m", "assistant", "ask", "What is 2+3?", "-m", str(bundled_model),
           "--max-tokens", "12", "--temperature", "0", "--json"]
    t0 = time.perf_counter()
    first = subprocess.run(ask, capture_output=True, text=True, env=env, timeout=300)
    first_s = time.perf_counter() - t0
    assert first.returncode == 0, first.stderr[-2000:]
    assert json.loads(first.stdout)["answer"].strip()
    files = list(cache.glob("llama-*.json"))
    assert len(files) == 1
    verdict = ggml_probe.Verdict.from_dict(json.loads(files[0].read_text()))
    planted = _result(verdict, "planted")
    assert planted.status == "died" and "SIGILL" in planted.reason
    assert verdict.cpu not in ("planted", "") and _result(verdict, verdict.cpu).status == "ok"
    stamp = files[0].stat().st_mtime_ns

    doctor = subprocess.run([sys.executable, "-m", "assistant", "doctor", "--json"], capture_output=True, text=True,
                            env=env, timeout=120)
    assert doctor.returncode == 0, doctor.stderr[-2000:]
    report = json.loads(doctor.stdout)["llama"]
    assert report["source"] == "cache" and report["cpu_variant"] == verdict.cpu
    assert any(r["name"] == "planted" and r["status"] == "died" for r in report["results"])

    t0 = time.perf_counter()
    second = subprocess.run(ask, capture_output=True, text=True, env=env, timeout=300)
    second_s = time.perf_counter() - t0
    assert second.returncode == 0, second.stderr[-2000:]
    assert json.loads(second.stdout)["answer"] == json.loads(first.stdout)["answer"]
    assert files[0].stat().st_mtime_ns == stamp and len(list(cache.glob("llama-*.json"))) == 1
    assert second_s < first_s  # no probe the second time (the probe runs several child processes)


@x86_only
def test_variant_that_hangs_is_skipped_after_the_timeout(tmp_path: Path) -> None:
    verdict = ggml_probe.probe(_plant(tmp_path, "hang"), timeout=15)
    planted = _result(verdict, "planted")
    assert planted.status == "hung" and planted.seconds >= 15
    assert verdict.cpu != "planted" and verdict.cpu


@x86_only
def test_variant_that_computes_other_numbers_is_skipped(tmp_path: Path) -> None:
    verdict = ggml_probe.probe(_plant(tmp_path, "wrong"))
    planted = _result(verdict, "planted")
    assert planted.status == "wrong" and planted.deviation > ggml_probe.TOLERANCE
    assert verdict.cpu != "planted" and verdict.cpu


@x86_only
def test_cache_key_changes_with_the_build(tmp_path: Path) -> None:
    folder = _plant(tmp_path)
    before = ggml_probe.cache_key(folder)
    assert ggml_probe.cache_key(folder) == before
    (folder / "libggml-cpu-planted.so").write_bytes(b"\0" * 10)  # another build of one module
    assert ggml_probe.cache_key(folder) != before


def test_a_verdict_for_another_key_or_a_damaged_file_is_not_used(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSISTANT_HARDWARE_CACHE", str(tmp_path))
    v = ggml_probe.Verdict(key="abc", cpu="x64", cpu_path="/nowhere/libggml-cpu-x64.so")
    ggml_probe.store(v)
    assert ggml_probe.read_cached("abc") is not None and ggml_probe.read_cached("abc").source == "cache"
    (tmp_path / "llama-def.json").write_text(json.dumps({**v.to_dict(), "key": "abc"}))
    assert ggml_probe.read_cached("def") is None  # a file whose content names another key
    (tmp_path / "llama-abc.json").write_text("{not json")
    assert ggml_probe.read_cached("abc") is None
