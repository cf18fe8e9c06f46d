"""Which of llama.cpp's compiled modules run on this machine: decided by running them, once per machine.

The portable build ships ggml's CPU code in many variants (``libggml-cpu-x64.so`` ... ``-sapphirerapids``)
and a Vulkan GPU module. ggml's own choice trusts CPUID, and CPUID only says what a CPU claims: a VM
whose Xeon advertises AMX dies with SIGILL in ``ggml_backend_amx_mul_mat`` on the first prompt, because
the hypervisor never enabled the tile state (XCR0) that the flags promise. So before llama.cpp first
runs in this process:

1. A child process (:mod:`ggml_probe_child`) runs the plain ``x64`` code on a tiny model that covers
   every weight type we ship (a prompt batch on several threads, then single-token decode): the reference.
2. Then the variants ggml scores for this CPU, best first, each in its own child; the first whose
   logits match the reference wins. One that dies (any signal), hangs (timeout) or computes other
   numbers is skipped, with the reason kept.
3. Where a Vulkan loader and the Vulkan module exist, a child loads it, lists the GPUs, and runs the
   same model fully offloaded; the GPU is used only if its logits match the CPU's.

The verdict is cached in the user's cache folder under a key of what decides it (CPU model and flags,
kernel, the modules' names and sizes, llama-cpp-python's version, the Vulkan drivers); later starts
read one small file. Only the chosen modules are then loaded into the app's process.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import platform
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PROBE_VERSION = 1
CHILD_TIMEOUT = 60.0  # seconds for one variant; the workload itself takes well under one
TOLERANCE = 0.02  # largest logit difference, relative to the largest logit, still "the same numbers"
GPU_TOLERANCE = 0.05  # a GPU sums in other orders and in half precision (lavapipe measured: 0.007)
BASELINE = "x64"


@dataclass
class ModuleResult:
    name: str
    status: str  # "ok" | "died" | "hung" | "wrong" | "failed" | "untested"
    reason: str = ""
    score: int = 0  # ggml's CPUID score (0: this CPU lacks what the variant needs)
    deviation: float = 0.0  # largest logit difference vs the reference, relative
    prompt_tps: float = 0.0
    decode_tps: float = 0.0
    seconds: float = 0.0


@dataclass
class Verdict:
    key: str
    cpu: str = ""  # the chosen CPU variant's name
    cpu_path: str = ""
    fallbacks: list[str] = field(default_factory=list)  # other variants that passed, best first
    results: list[ModuleResult] = field(default_factory=list)
    vulkan_path: str = ""  # set only when a GPU passed its probe
    gpus: list[dict[str, Any]] = field(default_factory=list)
    vulkan_status: str = ""  # "ok" | "no device" | "died" | "hung" | "wrong" | "failed" | "not built" | ...
    vulkan_reason: str = ""
    probe_seconds: float = 0.0
    probed_at: float = 0.0
    source: str = "probe"  # "probe" | "cache"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Verdict:
        raw = dict(raw)
        raw["results"] = [ModuleResult(**r) for r in raw.get("results", [])]
        return cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})

    def skipped(self) -> list[ModuleResult]:
        return [r for r in self.results if r.status not in ("ok", "untested")]


def module_dir() -> Path:
    """Where the ggml modules are: beside libllama, or ``ASSISTANT_GGML_MODULES`` (a folder of them)."""
    override = os.environ.get("ASSISTANT_GGML_MODULES")
    if override:
        return Path(override)
    from assistant.core.runtime.ggml_libs import lib_dir

    return lib_dir()


def _modules(folder: Path, prefix: str) -> dict[str, Path]:
    return {p.name[len(prefix):].split(".")[0]: p for p in sorted(folder.glob(prefix + "*"))
            if p.suffix in (".so", ".dll", ".dylib")}


def cpu_modules(folder: Path | None = None) -> dict[str, Path]:
    return _modules(folder or module_dir(), "libggml-cpu-")


def vulkan_module(folder: Path | None = None) -> Path | None:
    return next(iter(_modules(folder or module_dir(), "libggml-vulkan").values()), None)


def gpu_disabled() -> bool:
    """``ASSISTANT_GPU=off``: llama.cpp uses no GPU module at all (neither probed nor loaded)."""
    return os.environ.get("ASSISTANT_GPU", "").lower() in ("0", "off", "none", "cpu")


def _vulkan_drivers() -> list[str]:
    """Installed Vulkan drivers (ICD manifests) and what picks among them: part of the cache key."""
    out = []
    for d in ("/usr/share/vulkan/icd.d", "/etc/vulkan/icd.d", "/usr/local/share/vulkan/icd.d"):
        with contextlib.suppress(OSError):
            out += [f"{p}:{p.stat().st_size}:{int(p.stat().st_mtime)}" for p in sorted(Path(d).glob("*.json"))]
    with contextlib.suppress(OSError):
        out.append(Path("/proc/driver/nvidia/version").read_text(errors="replace").splitlines()[0])
    out += [f"{v}={os.environ[v]}" for v in ("GGML_VK_VISIBLE_DEVICES", "VK_ICD_FILENAMES", "VK_DRIVER_FILES")
            if v in os.environ]
    out.append(f"gpu={'off' if gpu_disabled() else 'on'}")
    return out


def cache_key(folder: Path | None = None) -> str:
    """What decides the verdict: CPU identification and flags, kernel, the build's modules, the drivers."""
    folder = folder or module_dir()
    cpu = ""
    with contextlib.suppress(OSError):
        text = Path("/proc/cpuinfo").read_text(errors="replace")
        wanted = ("vendor_id", "cpu family", "model", "model name", "stepping", "flags", "features")
        cpu = "\n".join(dict.fromkeys(ln for ln in text.splitlines() if ln.split(":")[0].strip() in wanted))
    import llama_cpp  # already imported by the time anything asks for the verdict

    llama_version = getattr(llama_cpp, "__version__", "?")
    mods = sorted(f"{p.name}:{p.stat().st_size}" for p in folder.glob("libggml-*"))
    parts = [str(PROBE_VERSION), platform.machine(), platform.processor(), cpu, platform.release(),
             llama_version, *mods, *_vulkan_drivers()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def cache_dir() -> Path:
    override = os.environ.get("ASSISTANT_HARDWARE_CACHE")
    if override:
        return Path(override)
    from assistant.core.paths import app_paths

    return app_paths().cache_dir / "hardware"


def _child_cmd(args: list[str]) -> list[str]:
    # A frozen app has no `-m`; its entry point runs `assistant -m MODULE ...` as python would.
    return [*_prefix(), sys.executable, "-m", "assistant.core.runtime.ggml_probe_child", *args]


def _prefix() -> list[str]:
    """ASSISTANT_PROBE_PREFIX runs the children under a wrapper (e.g. the emulator CI uses for an old CPU)."""
    return shlex.split(os.environ.get("ASSISTANT_PROBE_PREFIX", ""))


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _run_child(args: list[str], timeout: float) -> tuple[str, str, dict[str, Any]]:
    """(status, reason, output) of one child run."""
    try:
        out = subprocess.run(_child_cmd(args), capture_output=True, text=True, timeout=timeout,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return "hung", f"no result after {timeout:.0f} s", {}
    except OSError as exc:
        return "failed", f"could not start a probe process: {exc}", {}
    if out.returncode < 0:
        return "died", f"killed by {_signal_name(out.returncode)}", {}
    if out.returncode == 132 or out.returncode == 128 + signal.SIGILL:  # via a shell or emulator
        return "died", "killed by SIGILL", {}
    lines = [ln for ln in out.stdout.splitlines() if ln.startswith("{")]
    try:
        data = json.loads(lines[-1]) if lines else {}
    except ValueError:
        data = {}
    if out.returncode != 0 or "logits" not in data:
        tail = (data.get("error") or out.stderr.strip().splitlines()[-1:] or [f"exit {out.returncode}"])
        return "failed", str(tail if isinstance(tail, str) else tail[0])[:300], data
    return "ok", "", data


def deviation(a: list[list[float]], b: list[list[float]]) -> float:
    """Largest absolute logit difference, relative to the largest reference logit (inf if shapes differ)."""
    if len(a) != len(b) or any(len(x) != len(y) for x, y in zip(a, b)):
        return float("inf")
    scale = max((abs(v) for row in a for v in row), default=0.0) or 1.0
    return max((abs(x - y) for ra, rb in zip(a, b) for x, y in zip(ra, rb)), default=0.0) / scale


def _ranked(mods: dict[str, Path], scores: dict[str, int]) -> list[str]:
    """Variants to try, best first: ggml's score for this CPU where the child reported it, else the
    modules' names (all equal), so an unscored variant is still tried after the scored ones."""
    return sorted((n for n in mods if n != BASELINE), key=lambda n: (-scores.get(n, 0), n))


def _scores(mods: dict[str, Path]) -> dict[str, int]:
    """ggml's CPUID score of each variant, computed in a child (loading a module maps its code)."""
    code = ("import ctypes, json, sys\n"
            "import llama_cpp  # libggml-base, which the modules link to\n"
            "out = {}\n"
            "for name, path in json.loads(sys.argv[1]).items():\n"
            "    lib = ctypes.CDLL(path)\n"
            "    f = getattr(lib, 'ggml_backend_score', None)\n"
            "    out[name] = int(f()) if f else 0\n"
            "print(json.dumps(out))\n")
    try:
        out = subprocess.run([*_prefix(), sys.executable, "-c", code, json.dumps({k: str(v) for k, v in mods.items()})],
                             capture_output=True, text=True, timeout=CHILD_TIMEOUT, stdin=subprocess.DEVNULL)
        return {k: int(v) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}
    except (OSError, subprocess.SubprocessError, ValueError, IndexError):
        return {}  # a module that crashes when scored: every variant is tried in its own child


def probe(folder: Path | None = None, *, timeout: float = CHILD_TIMEOUT, key: str = "") -> Verdict:
    """Run the probe now (several child processes; a few seconds) and return the verdict."""
    from assistant.core.runtime.ggml_probe_child import write_probe_model

    folder = folder or module_dir()
    start = time.perf_counter()
    verdict = Verdict(key=key or cache_key(folder), probed_at=time.time())
    mods = cpu_modules(folder)
    threads = ["--threads", str(max(2, min(8, (os.cpu_count() or 2) // 2)))]
    with tempfile.TemporaryDirectory(prefix="assistant-probe-") as tmp:
        model = str(write_probe_model(Path(tmp) / "probe.gguf"))
        if not mods:  # CPU code linked into libggml (other platforms): nothing to choose
            verdict.cpu = "builtin"
        else:
            _probe_cpu(verdict, mods, model, threads, timeout)
        vk = vulkan_module(folder)
        if verdict.cpu_path and gpu_disabled():
            verdict.vulkan_status, verdict.vulkan_reason = "off", "ASSISTANT_GPU=off"
        elif verdict.cpu_path and vk is None:
            verdict.vulkan_status = "not built"
        elif verdict.cpu_path and vk is not None:
            _probe_vulkan(verdict, vk, model, threads, timeout)
    verdict.probe_seconds = round(time.perf_counter() - start, 3)
    return verdict


def _probe_cpu(verdict: Verdict, mods: dict[str, Path], model: str, threads: list[str], timeout: float) -> None:
    def run(name: str, score: int) -> tuple[ModuleResult, list[list[float]]]:
        t0 = time.perf_counter()
        status, reason, data = _run_child([model, str(mods[name]), *threads], timeout)
        res = ModuleResult(name, status, reason, score=int(data.get("score", score)),
                           prompt_tps=round(float(data.get("prompt_tps", 0)), 1),
                           decode_tps=round(float(data.get("decode_tps", 0)), 1),
                           seconds=round(time.perf_counter() - t0, 3))
        verdict.results.append(res)
        return res, data.get("logits", [])

    if BASELINE not in mods:
        verdict.results.append(ModuleResult(BASELINE, "failed", "the baseline module is missing"))
        return
    scores = _scores(mods)
    base, reference = run(BASELINE, scores.get(BASELINE, 1))
    passed: list[str] = []
    for name in _ranked(mods, scores):
        if scores and scores.get(name, 0) <= 0:
            verdict.results.append(ModuleResult(name, "untested", "this CPU lacks the instructions it needs "
                                                "(ggml's CPUID check)"))
        elif passed:  # the best working variant is found; the rest are not needed
            verdict.results.append(ModuleResult(name, "untested", "a better variant passed",
                                                score=scores.get(name, 0)))
        else:
            res, logits = run(name, scores.get(name, 0))
            if res.status == "ok" and reference:
                res.deviation = round(deviation(reference, logits), 6)
                if res.deviation > TOLERANCE:
                    res.status, res.reason = "wrong", (f"its results differ from the plain x64 code by "
                                                       f"{res.deviation:.3g} (allowed {TOLERANCE})")
            if res.status == "ok":
                passed.append(name)
            else:
                log.warning("llama.cpp CPU variant %s skipped: %s", name, res.reason)
    if base.status == "ok":
        passed.append(BASELINE)
    else:
        log.warning("llama.cpp CPU variant %s failed: %s", BASELINE, base.reason)
    if passed:
        verdict.cpu, verdict.cpu_path, verdict.fallbacks = passed[0], str(mods[passed[0]]), passed[1:]


def _probe_vulkan(verdict: Verdict, vk: Path, model: str, threads: list[str], timeout: float) -> None:
    if not _vulkan_loader_present():
        verdict.vulkan_status, verdict.vulkan_reason = "no loader", "the Vulkan loader (libvulkan1) is not installed"
        return
    status, reason, data = _run_child([model, verdict.cpu_path, "--vulkan", str(vk), *threads], timeout * 2)
    verdict.gpus = data.get("devices", [])
    if status != "ok":
        verdict.vulkan_status, verdict.vulkan_reason = status, reason
    elif not verdict.gpus:
        verdict.vulkan_status = "no device"
        verdict.vulkan_reason = "no Vulkan GPU found (software devices are not used)"
    else:
        dev = deviation(data["logits"], data["gpu"]["logits"])
        verdict.gpus[0]["deviation"] = round(dev, 6)
        verdict.gpus[0]["prompt_tps"] = round(float(data["gpu"]["prompt_tps"]), 1)
        verdict.gpus[0]["decode_tps"] = round(float(data["gpu"]["decode_tps"]), 1)
        if dev > GPU_TOLERANCE:
            verdict.vulkan_status = "wrong"
            verdict.vulkan_reason = f"the GPU's results differ from the CPU's by {dev:.3g} (allowed {GPU_TOLERANCE})"
        else:
            verdict.vulkan_status, verdict.vulkan_path = "ok", str(vk)
    if verdict.vulkan_status not in ("ok", "no device"):
        log.warning("Vulkan GPU not used: %s", verdict.vulkan_reason)


def _vulkan_loader_present() -> bool:
    import ctypes.util

    if ctypes.util.find_library("vulkan"):
        return True
    return any(Path(d, "libvulkan.so.1").exists() for d in ("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib"))


def read_cached(key: str) -> Verdict | None:
    try:
        raw = json.loads((cache_dir() / f"llama-{key}.json").read_text(encoding="utf-8"))
        verdict = Verdict.from_dict(raw)
    except (OSError, ValueError, TypeError):
        return None
    verdict.source = "cache"
    return verdict if verdict.key == key else None


def store(verdict: Verdict) -> None:
    target = cache_dir() / f"llama-{verdict.key}.json"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(verdict.to_dict(), indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:  # a read-only cache only costs a repeat probe at the next start
        log.warning("cannot store the llama.cpp probe verdict: %s", exc)


def choose(*, refresh: bool = False) -> Verdict:
    """The verdict for this machine: from the cache, or probed now and cached."""
    folder = module_dir()
    key = cache_key(folder)
    if not refresh and (cached := read_cached(key)) is not None:
        return cached
    verdict = probe(folder, key=key)
    if verdict.cpu:
        store(verdict)  # a verdict with no working CPU code is not kept: the next start tries again
    return verdict
