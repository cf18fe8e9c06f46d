"""Hardware detection and the fit estimate."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.core.runtime import hardware
from assistant.core.runtime.hardware import (
    FITS,
    GPU,
    TIGHT,
    WONT_FIT,
    GiB,
    Hardware,
    default_gpu_layers,
    estimate_memory,
    fit_label,
    parse_cpuinfo,
    parse_llama_system_info,
    parse_nvidia_smi,
)

X86 = """processor\t: 0
vendor_id\t: GenuineIntel
model name\t: Intel(R) Core(TM) i7-9700K CPU @ 3.60GHz
flags\t\t: fpu vme sse sse2 ssse3 fma cx16 sse4_1 avx f16c avx2 bmi2 avx512f avx512bw avx512_vnni
"""
ARM = """processor\t: 0
BogoMIPS\t: 50.00
Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp asimddp sve i8mm
CPU implementer\t: 0x41
"""
# First line: the real output of hardware.NVIDIA_QUERY on the project's H200 device machine.
NVIDIA = "NVIDIA H200, 143771, 143156, 580.159.04, 9.0\nTesla T4, 15360, 15000, 535.104.05, 7.5\n"


def machine(ram_gib: float = 16, free_gib: float = 12, gpus: tuple[GPU, ...] = (), offload: bool = False) -> Hardware:
    return Hardware(4, 8, "test cpu", ("AVX2",), int(ram_gib * GiB), int(free_gib * GiB), gpus, offload)


def test_parse_cpuinfo_x86_and_arm() -> None:
    model, feats = parse_cpuinfo(X86)
    assert model.startswith("Intel(R) Core(TM) i7")
    assert {"AVX", "AVX2", "AVX512", "AVX512_BW", "AVX512_VNNI", "FMA", "F16C", "SSSE3"} <= set(feats)
    _, arm = parse_cpuinfo(ARM)
    assert {"NEON", "DOTPROD", "SVE", "MATMUL_INT8", "FP16_VA"} <= set(arm) and "AVX2" not in arm


def test_parse_tool_outputs() -> None:
    h200, t4 = parse_nvidia_smi(NVIDIA)
    assert (h200.name, h200.memory_total // 2**20, h200.compute_capability) == ("NVIDIA H200", 143771, "9.0")
    assert h200.memory_free == 143156 * 2**20 and h200.driver == "580.159.04"
    assert t4.memory_free == 15000 * 2**20 and t4.driver == "535.104.05"
    assert parse_nvidia_smi("") == []
    info = "CPU : SSE3 = 1 | AVX2 = 1 | AVX512 = 0 | OPENMP = 1 |"
    assert parse_llama_system_info(info) == ["AVX2", "OPENMP", "SSE3"]


def test_detect_this_machine() -> None:
    hw = hardware.detect(refresh=True)
    assert hw.physical_cores >= 1 and hw.logical_cores >= hw.physical_cores
    assert hw.total_ram > 0 and 0 < hw.available_ram <= hw.total_ram
    assert hw.llama_features  # the bundled llama.cpp reports its build
    if Path("/proc/cpuinfo").exists():
        flags = Path("/proc/cpuinfo").read_text()
        assert ("AVX2" in hw.cpu_features) == (" avx2 " in flags.replace("\n", " ") + " ")
    assert str(hw.physical_cores) in hw.summary()
    assert hw.to_dict()["default_threads"] == hardware.default_threads()


def test_nvidia_detection_through_a_runner(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hardware.shutil, "which", lambda name: f"/usr/bin/{name}")
    hw = hardware.detect(refresh=True, run=lambda cmd: NVIDIA if cmd[0] == "nvidia-smi" else "")
    assert [g.name for g in hw.gpus][:2] == ["NVIDIA H200", "Tesla T4"]
    hardware.detect(refresh=True)


def test_fit_labels() -> None:
    hw = machine(ram_gib=16, free_gib=12)
    assert fit_label(2 * GiB, hw) == FITS
    assert fit_label(11 * GiB, hw) == TIGHT  # more than 60 % of RAM
    assert fit_label(15 * GiB, hw) == WONT_FIT
    busy = machine(ram_gib=16, free_gib=2)
    assert fit_label(2 * GiB, busy) == TIGHT  # fits the machine, not what is free right now
    gpu = machine(ram_gib=8, free_gib=6, gpus=(GPU("nvidia", "T4", 16 * GiB, 15 * GiB),), offload=True)
    assert fit_label(12 * GiB, gpu) != WONT_FIT  # VRAM counts when llama.cpp can offload
    cpu_only = machine(ram_gib=8, free_gib=6, gpus=(GPU("nvidia", "T4", 16 * GiB, 15 * GiB),), offload=False)
    assert fit_label(12 * GiB, cpu_only) == WONT_FIT


def test_memory_estimate_and_gpu_layers() -> None:
    # DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M at 8192 tokens: 1.12 GB + 28 KiB x 8192 + buffers.
    need = estimate_memory(1_120_000_000, 28672, 8192, 151936)
    assert 1.6e9 < need < 1.75e9
    assert estimate_memory(10, 100, 1000) - estimate_memory(10, 100, 0) == 100_000
    gpu = machine(gpus=(GPU("nvidia", "T4", 16 * GiB, 15 * GiB),), offload=True)
    assert default_gpu_layers(4 * GiB, 28, GiB, gpu) == 29  # everything, plus the output layer
    small = machine(gpus=(GPU("nvidia", "MX", 2 * GiB, int(1.5 * GiB)),), offload=True)
    assert 0 < default_gpu_layers(4 * GiB, 28, 0, small) < 28
    assert default_gpu_layers(4 * GiB, 28, 0, machine(gpus=gpu.gpus, offload=False)) == 0
    apple = machine(gpus=(GPU("apple", "M2", 10 * GiB, 8 * GiB, unified_memory=True),), offload=True)
    assert default_gpu_layers(4 * GiB, 28, 0, apple) == 29


@pytest.mark.skipif(not os.environ.get("ASSISTANT_EXPECT_NVIDIA"), reason="set on a machine with an NVIDIA GPU")
def test_real_nvidia_smi() -> None:
    hw = hardware.detect(refresh=True)
    assert any(g.vendor == "nvidia" and g.memory_total > GiB for g in hw.gpus)


def test_auto_gpu_layers_for_the_bundled_model(bundled_model: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.core.backends import auto_gpu_layers
    from assistant.core.models.gguf_check import validate

    layers = validate(bundled_model).block_count
    # This machine: a CPU-only llama.cpp build, so auto means no offload.
    if not hardware.llama_gpu_offload():
        assert auto_gpu_layers(bundled_model, 8192) == 0
    nvidia = GPU("nvidia", "Tesla T4", 16 * GiB, 15 * GiB, "550", "7.5")
    monkeypatch.setattr(hardware, "detect", lambda *a, **k: machine(gpus=(nvidia,), offload=True))
    assert auto_gpu_layers(bundled_model, 8192) == layers + 1  # everything, output layer included
    small = GPU("nvidia", "tiny", 1 * GiB, 560 * 2**20, "550", "7.5")
    monkeypatch.setattr(hardware, "detect", lambda *a, **k: machine(gpus=(small,), offload=True))
    assert 0 < auto_gpu_layers(bundled_model, 8192) <= layers  # only part of it fits
    monkeypatch.setattr(hardware, "detect", lambda *a, **k: machine(gpus=(nvidia,), offload=False))
    assert auto_gpu_layers(bundled_model, 8192) == 0  # CPU-only build: nothing to offload to
