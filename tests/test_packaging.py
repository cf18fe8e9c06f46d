"""Pieces of the packaged app that run without building it (the build itself: packaging/check_package.sh,
which CI runs after the tests: frozen self-test offline, .deb in a fresh root, emulated older CPU)."""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.core.models.catalog import resolve_model, stamp_path, verify_file
from assistant.core.paths import app_paths, bundle_manifest, default_model_spec
from assistant.core.runtime.hardware import llama_build_features
from assistant.core.runtime.llama import cpu_variants, llama_cpp_module, loaded_cpu_variant
from assistant.core.settings import Settings

REPO = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(platform.machine() != "x86_64", reason="the per-CPU variants are built on x86-64 only")
def test_llama_cpp_is_the_portable_build() -> None:
    """Every x86 variant ships, ggml picked one this CPU can run, and it is the best the CPU has."""
    llama_cpp_module()
    shipped = cpu_variants()
    assert {"x64", "sse42", "sandybridge", "haswell", "skylakex", "icelake", "zen4"} <= set(shipped)
    picked = loaded_cpu_variant()
    assert picked in shipped
    flags = set(Path("/proc/cpuinfo").read_text().split())
    if "avx2" in flags:  # a machine with AVX2 must not be left on the SSE code
        assert "AVX2" in llama_build_features()  # what the loaded CPU code reports it was built with


def test_llama_lib_runs_a_module_after_loading_the_backends(bundled_model: Path, tmp_path: Path) -> None:
    """`python -m assistant.core.runtime.llama MODULE` (how llama_cpp.server is started with this build)."""
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    argv = [sys.executable, "-m", "assistant.core.runtime.llama", "runpy_target", str(bundled_model)]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert out.returncode != 0 and "runpy_target" in out.stderr  # no such module yet: said so
    (tmp_path / "runpy_target.py").write_text(
        "import sys, llama_cpp\n"
        "llm = llama_cpp.Llama(model_path=sys.argv[1], n_ctx=64, verbose=False)\n"
        "print(len(llm.tokenize(b'hello')))\n")
    out = subprocess.run(argv, capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert out.returncode == 0, out.stderr  # a bare `import llama_cpp` user: the backends were loaded first
    assert int(out.stdout.strip()) >= 1


def test_bundle_manifest_makes_a_fresh_install_start_on_the_carried_model(tmp_path: Path, bundled_model: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    assert bundle_manifest() == {} and default_model_spec() == "smollm2-135m-instruct"
    carried = bundle / "Carried-Model-Q4_1.gguf"
    os.link(bundled_model, carried) if bundled_model.stat().st_dev == bundle.stat().st_dev \
        else shutil.copy(bundled_model, carried)
    (bundle / "bundle.json").write_text(json.dumps({"default_model": carried.name}))
    monkeypatch.setenv("ASSISTANT_BUNDLED_DIR", str(bundle))
    assert default_model_spec() == carried.name
    fresh = Settings.load()
    assert fresh.model == carried.name  # no settings file yet: the carried model
    assert resolve_model(fresh.model).path == carried  # found in the bundle, not the user's models folder
    fresh.model = "smollm2-135m-instruct"
    fresh.save()
    assert Settings.load().model == "smollm2-135m-instruct"  # a choice the user made is kept
    (bundle / "bundle.json").write_text("{not json")
    assert default_model_spec() == "smollm2-135m-instruct"  # a damaged manifest falls back, no crash


def test_checksum_stamp_of_a_bundled_model_goes_to_the_cache(bundled_model: Path) -> None:
    from assistant.core.models.catalog import get_entry

    entry = get_entry("smollm2-135m-instruct")
    assert entry is not None and entry.bundled is not None
    stamp = stamp_path(bundled_model)
    assert stamp.is_relative_to(app_paths().cache_dir)
    assert not stamp.exists()
    verify_file(bundled_model, entry.bundled["size"], entry.bundled["sha256"])
    assert stamp.is_file()  # written to this test's cache folder, nothing beside the bundled file
    user_model = app_paths().models_dir / "x.gguf"
    assert stamp_path(user_model) == user_model.with_name("x.gguf.verified")  # downloads keep it beside


@pytest.mark.gui
@pytest.mark.model
def test_self_test_answers_on_a_throwaway_profile(tmp_path: Path, app_home: Path) -> None:
    """`assistant-gui --self-test` (what installers and CI run on the frozen app), here from source."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "assistant.ui.app", "--self-test", "--self-test-timeout", "300"],
                         capture_output=True, text=True, timeout=400, env=env)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert out.returncode == 0 and report["ok"], report
    assert report["reply"] and report["window_visible"] and report["backend"] == "llama.cpp"
    assert report["math_typeset"]  # matplotlib's mathtext works in the app as run (CI: the frozen build too)
    assert report["cpu_variant"] in (*cpu_variants(), "builtin")
    assert not app_home.exists()  # the user's profile (here: this test's home) was never touched
    assert not list(Path(os.environ.get("TMPDIR", "/tmp")).glob("assistant-self-test-*/history*"))


@pytest.mark.gui
def test_self_test_fails_loudly_when_the_model_cannot_load(tmp_path: Path) -> None:
    bad = tmp_path / "broken.gguf"
    bad.write_bytes(b"GGUF" + b"\0" * 64)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run([sys.executable, "-m", "assistant.ui.app", "--self-test", str(bad)],
                         capture_output=True, text=True, timeout=120, env=env)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    assert out.returncode == 1 and not report["ok"] and "did not load" in report["error"]
    assert "Traceback" not in out.stderr


def test_desktop_entry_and_mime_type() -> None:
    desktop = REPO / "packaging" / "linux" / "assistant.desktop"
    text = desktop.read_text(encoding="utf-8")
    assert "MimeType=application/x-gguf;" in text and "Exec=assistant %f" in text and "Name[zh_CN]=" in text
    if shutil.which("desktop-file-validate"):
        subprocess.run(["desktop-file-validate", str(desktop)], check=True)
    mime = (REPO / "packaging" / "linux" / "assistant-gguf.xml").read_text(encoding="utf-8")
    assert 'type="application/x-gguf"' in mime and 'pattern="*.gguf"' in mime and 'value="GGUF"' in mime
