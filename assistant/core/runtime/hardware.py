"""What this machine can do: cores, CPU features, memory, GPUs; and whether a model fits.

Detection reads local sources only (``/proc/cpuinfo``, ``sysctl``, ``nvidia-smi``, ``vulkaninfo``,
llama.cpp's own system info); it never touches the network. Everything slow is cached per process.
"""

from __future__ import annotations

import logging
import os
import platform
import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

from assistant.core.units import GiB, MiB

log = logging.getLogger(__name__)

# Labels shown per catalog entry / quantization. Kept as plain strings so front ends can translate them.
FITS, TIGHT, WONT_FIT = "fits", "tight", "won't fit"


@lru_cache(maxsize=1)
def physical_cores() -> int:
    """Physical cores: llama.cpp decode is memory-bound and slows down on hyper-threads."""
    try:
        import psutil

        n = psutil.cpu_count(logical=False)
        if n:
            return int(n)
    except Exception as exc:  # psutil may be missing or fail inside sandboxes
        log.debug("psutil cannot count physical cores: %s", exc)
    return max(1, (os.cpu_count() or 2) // 2) if (os.cpu_count() or 1) > 2 else (os.cpu_count() or 1)


def default_threads() -> int:
    return max(1, physical_cores())


def total_ram_bytes() -> int:
    try:
        import psutil

        return int(psutil.virtual_memory().total)
    except Exception:
        return 0


def available_ram_bytes() -> int:
    try:
        import psutil

        return int(psutil.virtual_memory().available)
    except Exception:
        return 0


# ---------------------------------------------------------------------------------------------------
# CPU features

# The features llama.cpp's CPU kernels care about, in the spelling users see in its system info.
_X86_FLAGS = {"avx": "AVX", "avx2": "AVX2", "fma": "FMA", "f16c": "F16C", "avx512f": "AVX512",
              "avx512bw": "AVX512_BW", "avx512_vnni": "AVX512_VNNI", "avx512vnni": "AVX512_VNNI",
              "avx512_vbmi": "AVX512_VBMI", "avx512vbmi": "AVX512_VBMI", "avx512_bf16": "AVX512_BF16",
              "avx_vnni": "AVX_VNNI", "amx_int8": "AMX_INT8", "sse3": "SSE3", "pni": "SSE3", "ssse3": "SSSE3"}
_ARM_FLAGS = {"asimd": "NEON", "asimddp": "DOTPROD", "sve": "SVE", "sve2": "SVE2", "i8mm": "MATMUL_INT8",
              "fphp": "FP16_VA", "asimdhp": "FP16_VA", "sme": "SME"}


def parse_cpuinfo(text: str) -> tuple[str, list[str]]:
    """(model name, sorted features) from the text of /proc/cpuinfo (x86 ``flags`` or ARM ``Features``)."""
    model = ""
    flags: set[str] = set()
    for line in text.splitlines():
        key, _, value = line.partition(":")
        key = key.strip().lower()
        if key in ("model name", "hardware", "cpu model") and not model:
            model = value.strip()
        elif key in ("flags", "features") and not flags:
            flags = set(value.split())
    table = _ARM_FLAGS if flags & set(_ARM_FLAGS) and not flags & {"sse2", "avx"} else _X86_FLAGS
    return model, sorted({table[f] for f in flags if f in table})


def parse_llama_system_info(text: str) -> list[str]:
    """Features the bundled llama.cpp build uses, from ``llama_print_system_info()`` ("AVX2 = 1 | ...")."""
    return sorted({m.group(1) for m in re.finditer(r"([A-Z0-9_]+) = 1", text)})


def _sysctl(name: str) -> str:
    try:
        out = subprocess.run(["sysctl", "-n", name], capture_output=True, text=True, timeout=3)
        return out.stdout.strip() if out.returncode == 0 else ""
    except (OSError, subprocess.SubprocessError):
        return ""


@lru_cache(maxsize=1)
def cpu_info() -> tuple[str, list[str]]:
    """(CPU model, features) for this machine, from the OS; llama.cpp's view where the OS says nothing."""
    system = platform.system()
    if system == "Linux":
        try:
            with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as fh:
                model, feats = parse_cpuinfo(fh.read())
            if feats:
                return model or platform.processor(), feats
        except OSError:
            pass
    if system == "Darwin":
        model = _sysctl("machdep.cpu.brand_string")
        if platform.machine() == "arm64":
            feats = ["NEON"] + [n for n, key in (("DOTPROD", "hw.optional.arm.FEAT_DotProd"),
                                                 ("MATMUL_INT8", "hw.optional.arm.FEAT_I8MM"),
                                                 ("FP16_VA", "hw.optional.arm.FEAT_FP16")) if _sysctl(key) == "1"]
            return model, sorted(feats)
        raw = (_sysctl("machdep.cpu.features") + " " + _sysctl("machdep.cpu.leaf7_features")).lower()
        return model, sorted({_X86_FLAGS[f] for f in raw.replace(".", "_").split() if f in _X86_FLAGS})
    return platform.processor(), llama_build_features()


@lru_cache(maxsize=1)
def llama_build_features() -> list[str]:
    try:
        from assistant.core.runtime.llama import llama_cpp_module

        llama_cpp = llama_cpp_module()
        return parse_llama_system_info(llama_cpp.llama_print_system_info().decode("utf-8", "replace"))
    except Exception as exc:  # llama.cpp not loadable: the report says so elsewhere
        log.warning("llama.cpp's features could not be read: %s", exc)
        return []


@lru_cache(maxsize=1)
def llama_gpu_offload() -> bool:
    """Whether the bundled llama.cpp was built with a GPU backend (CUDA, Metal, Vulkan...)."""
    try:
        from assistant.core.runtime.llama import llama_cpp_module

        llama_cpp = llama_cpp_module()
        return bool(llama_cpp.llama_supports_gpu_offload())
    except Exception as exc:
        log.warning("llama.cpp's GPU support could not be read: %s", exc)
        return False


# ---------------------------------------------------------------------------------------------------
# GPUs

@dataclass(frozen=True)
class GPU:
    vendor: str  # "nvidia" | "apple" | "vulkan"
    name: str
    memory_total: int = 0  # bytes; 0 if unknown
    memory_free: int = 0
    driver: str = ""
    compute_capability: str = ""
    unified_memory: bool = False  # Apple silicon: the GPU shares system RAM


Runner = Callable[[list[str]], str]


def _run(cmd: list[str]) -> str:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=10)
    return out.stdout if out.returncode == 0 else ""


NVIDIA_QUERY = ["nvidia-smi", "--query-gpu=name,memory.total,memory.free,driver_version,compute_cap",
                "--format=csv,noheader,nounits"]


def parse_nvidia_smi(text: str) -> list[GPU]:
    """Parse ``nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version,compute_cap`` CSV (MiB)."""
    gpus = []
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if len(parts) < 3:
            continue

        def mib(v: str) -> int:
            try:
                return int(float(v) * MiB)
            except ValueError:
                return 0

        gpus.append(GPU("nvidia", parts[0], mib(parts[1]), mib(parts[2]),
                        parts[3] if len(parts) > 3 else "", parts[4] if len(parts) > 4 else ""))
    return gpus


def nvidia_gpus(run: Runner = _run) -> list[GPU]:
    if shutil.which("nvidia-smi") is None:
        return []
    try:
        return parse_nvidia_smi(run(NVIDIA_QUERY))
    except (OSError, subprocess.SubprocessError):
        return []


def vulkan_gpus() -> list[GPU]:
    """The Vulkan GPUs the loader lists (asked in a child process); software devices (lavapipe) are left out."""
    from assistant.core.runtime.vulkan_devices import list_devices

    return [GPU("vulkan", d.name, d.memory_total) for d in list_devices() if not d.software]


def llama_gpus() -> list[GPU]:
    """The GPUs llama.cpp itself has (Vulkan, CUDA, Metal modules), with free memory now."""
    try:
        from assistant.core.runtime.ggml_libs import gpu_devices
        from assistant.core.runtime.llama import llama_cpp_module

        llama_cpp_module()
        return [GPU("vulkan", d["description"] or d["name"], d["memory_total"], d["memory_free"])
                for d in gpu_devices()]
    except Exception:  # no llama.cpp: the OS's view is all there is
        return []


def apple_gpu() -> GPU | None:
    if platform.system() != "Darwin" or platform.machine() != "arm64":
        return None
    total = total_ram_bytes()
    # Metal may use about 2/3-3/4 of unified memory for buffers by default.
    return GPU("apple", _sysctl("machdep.cpu.brand_string") or "Apple silicon", int(total * 0.7),
               int(available_ram_bytes() * 0.7), unified_memory=True)


# ---------------------------------------------------------------------------------------------------
# The whole picture

@dataclass(frozen=True)
class Hardware:
    physical_cores: int
    logical_cores: int
    cpu_model: str
    cpu_features: tuple[str, ...]
    total_ram: int
    available_ram: int
    gpus: tuple[GPU, ...] = ()
    llama_gpu_offload: bool = False
    llama_features: tuple[str, ...] = field(default=())

    @property
    def usable_vram(self) -> int:
        """Free GPU memory llama.cpp could use (0 when the build is CPU-only or shares RAM)."""
        if not self.llama_gpu_offload:
            return 0
        return sum(g.memory_free for g in self.gpus if not g.unified_memory)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["total_ram_gib"] = round(self.total_ram / GiB, 1)
        d["available_ram_gib"] = round(self.available_ram / GiB, 1)
        d["default_threads"] = default_threads()
        return d

    def summary(self) -> str:
        feats = ", ".join(f for f in self.cpu_features if f in ("AVX", "AVX2", "AVX512", "AVX512_VNNI", "NEON",
                                                                "DOTPROD", "SVE", "AMX_INT8")) or "baseline"
        parts = [f"{self.physical_cores} cores ({feats})", f"{self.total_ram / GiB:.1f} GiB RAM"]
        for g in self.gpus:
            mem = f", {g.memory_total / GiB:.0f} GiB" if g.memory_total and not g.unified_memory else ""
            parts.append(f"{g.name}{mem}")
        if self.gpus and not self.llama_gpu_offload:
            parts.append("llama.cpp build is CPU-only")
        return " · ".join(parts)


_detected: Hardware | None = None


def detect(refresh: bool = False, *, run: Runner = _run) -> Hardware:
    """Detect once per process (``refresh`` re-reads free memory and GPUs)."""
    global _detected
    if _detected is not None and not refresh:
        return _detected
    model, feats = cpu_info()
    gpus: list[GPU] = nvidia_gpus(run)
    apple = apple_gpu()
    if apple:
        gpus.append(apple)
    offload = llama_gpu_offload()
    if offload and not apple:
        # llama.cpp's own GPU devices (the Vulkan module, loaded only after its probe passed), with the
        # free memory it can use now: what "GPU layers: auto" splits by.
        gpus = llama_gpus() or gpus
    elif not gpus:
        gpus = vulkan_gpus()
    _detected = Hardware(
        physical_cores=physical_cores(), logical_cores=os.cpu_count() or 1, cpu_model=model,
        cpu_features=tuple(feats), total_ram=total_ram_bytes(), available_ram=available_ram_bytes(),
        gpus=tuple(gpus), llama_gpu_offload=offload, llama_features=tuple(llama_build_features()),
    )
    return _detected


# ---------------------------------------------------------------------------------------------------
# Memory estimate and fit

def estimate_memory(weights_bytes: int, kv_bytes_per_token: int, n_ctx: int, n_vocab: int = 0) -> int:
    """Bytes llama.cpp needs to run a model: weights + KV cache at ``n_ctx`` + compute buffers.

    The compute buffer grows with the vocabulary (logits) and batch; 256 MiB plus the logits of a
    512-token batch is what llama.cpp allocates for models of this size on CPU, within ~20 %.
    """
    overhead = 256 * MiB + n_vocab * 4 * 512 // 8
    return int(weights_bytes + kv_bytes_per_token * max(0, n_ctx) + overhead)


def fit_label(need_bytes: int, hw: Hardware | None = None) -> str:
    """"fits", "tight" or "won't fit" for a model needing ``need_bytes``, on this machine now."""
    hw = hw or detect()
    budget = hw.total_ram + hw.usable_vram
    if not budget:
        return TIGHT  # unknown memory: neither promise nor refuse
    if need_bytes > 0.9 * budget:
        return WONT_FIT
    free_now = hw.available_ram + hw.usable_vram
    if need_bytes > 0.6 * budget or (free_now and need_bytes > 0.85 * free_now):
        return TIGHT
    return FITS


def default_gpu_layers(model_bytes: int, n_layers: int, kv_bytes: int = 0, hw: Hardware | None = None) -> int:
    """Layers to offload: all of them when the model and its KV cache fit in free VRAM, else as many as fit."""
    hw = hw or detect()
    if not hw.llama_gpu_offload or n_layers <= 0:
        return 0
    if any(g.unified_memory for g in hw.gpus):
        return n_layers + 1  # Metal on Apple silicon: offload everything, memory is shared
    usable = hw.usable_vram - 512 * MiB  # CUDA context and scratch buffers
    if usable <= 0:
        return 0
    if usable >= model_bytes + kv_bytes:
        return n_layers + 1  # +1: the output layer
    per_layer = (model_bytes + kv_bytes) / (n_layers + 1)
    return max(0, min(n_layers, int(usable // per_layer)))
