"""What a model costs here: decode speed and the time of a typical reasoning answer, predicted for every
catalog model and quantization from one quick measurement of the bundled model on this machine.

Why a prediction and not a measurement per model: the catalog's models are mostly not on disk, and
measuring a 7B model takes minutes. Decoding one token on a CPU reads every weight the token passes
through once, plus the KV cache so far; at these sizes that is bound by memory bandwidth, not
arithmetic. So the bundled model's measured decode rate gives this machine's effective bandwidth
(bytes read per token × tokens/s), and another model's rate is that bandwidth over its own bytes per
token. The token-embedding table is not read per token (one row is looked up), so it is left out unless
the output layer shares it (tied embeddings: then the whole matrix is read for the logits). Attention over
the context so far grows with it: the benchmark also decodes after a long prompt, and the difference per
token of context, scaled by each model's layers × query heads × head size, is added (on the small bundled
model a typical answer's mean context of 1,100 tokens costs more than a quarter of its speed).

Prompt evaluation works on a batch of tokens and is bound by arithmetic and by fixed per-layer costs:
its speed falls more slowly than the parameter count grows. It is modelled as a power of the ratio of
the models' matmul parameters, with the exponent fitted once against the R1-shaped stand-in
(``benchmarks/bench_cost_prediction.py`` prints the fit and the error). A typical answer's time is
dominated by decoding, so the prompt term matters little.

The measurement (:mod:`assistant.core.eval.speed` runs it) is cached in the hardware cache folder under
a key of what decides it: the llama.cpp probe's key (CPU, kernel, the build's modules, drivers), the
app's version, threads and GPU layers, and the bundled file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assistant.core.models.catalog import CatalogEntry, load_catalog

log = logging.getLogger(__name__)

BENCH_VERSION = 4  # 4: the bandwidth probe reads with SIMD max (it under-measured), quiet/busy verdict
# A typical reasoning answer: the prompt, the thinking, the answer (tokens).
TYPICAL_PROMPT, TYPICAL_REASONING, TYPICAL_ANSWER = 200, 1500, 300
# Prompt speed ∝ (matmul parameters)^-PROMPT_EXPONENT. Fitted here (2 threads, zen4 variant): SmolLM2-135M
# Q4_1 against the R1-1.5B-shaped stand-in Q4_K_M, see benchmarks/bench_cost_prediction.py.
PROMPT_EXPONENT = 0.45
# Decoding a token also costs time that grows neither with the bytes nor with the context: the threads meet
# after every operation of every layer, and on a busy or virtual machine that wait can be a third of a small
# model's token. The quick benchmark therefore measures the machine's read bandwidth directly (all threads
# reading a 512 MB array with SIMD max); llama.cpp's decode reads weights at READ_EFFICIENCY of it, and what
# the bundled model's time per token has beyond that is the fixed part, per layer. Fitted with
# benchmarks/bench_cost_prediction.py against the app's own engine decoding the R1-shaped stand-in (issue 28
# item 7): 0.448 for Q4_K_M on a quiet 2-vCPU Xeon (Sapphire Rapids VM, zen4 variant). The older value, 0.85,
# had been fitted on an AMD EPYC with the old probe (float64 sums), which read 1.5-2x less than this one: on
# the new probe's scale that machine's fit (0.79 on the old) is about 0.4-0.53, so one constant serves both.
READ_EFFICIENCY = 0.45
# Weights of other types are not read at the same speed (relative to Q4_K_M, fitted per type with the same
# benchmark's --quants table). The two machines disagree on Q8_0's direction (EPYC: 0.83, slower than Q4_K_M;
# the Xeon: 1.11, faster), so no type gets a factor until more machines say which way it goes.
QUANT_READ_FACTOR: dict[str, float] = {}
# Without a bandwidth measurement (a cached benchmark of an older version, a GPU run): this share of the
# bundled model's time per token at no context is taken as fixed.
DECODE_FIXED_SHARE = 0.0
# Busy or quiet (issue 28: one busy minute at the first start measured the bundled model at 26 tok/s where it
# decodes 104-123 when quiet, and every forecast was a quarter of the truth, for good). A measurement is
# "busy" when other programs held more than BUSY_SHARE of the CPUs during its kept round, or when the bundled
# model's decode read its weights at less than MIN_READ_SHARE of the memory bandwidth measured with it: the
# bandwidth probe's threads do not wait for each other, llama.cpp's do, so a busy machine slows the decode far
# more than the probe (quiet here: 0.3-0.4 of it; at a quarter of the speed: under 0.1).
BUSY_SHARE = 0.25
MIN_READ_SHARE = 0.15
# A later quiet start measures again when the bandwidth it reads now beats the stored one by this factor.
RECHECK_RATIO = 1.3
# Among two measurements of the same confidence the newer is kept unless it is this much slower: a newer one
# that slow was disturbed in a way the verdict did not see.
CLEARLY_WORSE = 0.8


@dataclass
class MachineSpeed:
    """One quick benchmark: the bundled model's prompt and decode speed on this machine."""

    key: str
    prompt_tps: float  # prompt evaluation, tokens/s
    decode_tps: float  # generation, tokens/s (sampling included, as the app decodes)
    model: str  # the catalog id of the measured model
    model_bytes: int  # its file size
    prompt_tokens: int  # prompt length measured
    mean_context: float  # average context while decoding
    cpu_variant: str = ""
    n_threads: int = 0
    n_gpu_layers: int = 0
    seconds: float = 0.0  # the benchmark's duration, loading included
    measured_at: float = 0.0
    app_version: str = ""
    source: str = "measured"  # "measured" | "cache"
    deep_decode_tps: float = 0.0  # decoding after a long prompt: what attention over more context costs
    deep_context: float = 0.0
    read_gbps: float = 0.0  # memory read bandwidth of the benchmark's threads (0: not measured)
    busy_share: float = -1.0  # others' share of the CPUs during the kept decode round (-1: unknown)
    load_before: float = -1.0  # the load average over the CPUs before it started (-1: unknown)
    decode_rounds: list[float] = field(default_factory=list)  # every short round's decode rate
    confidence: str = ""  # "quiet" | "busy" | "" (not judged: an older record)
    busy_reason: str = ""  # why "busy": "cpu" (others held the CPUs) or "bandwidth" (implausibly slow)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> MachineSpeed:
        return cls(**{k: v for k, v in raw.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class Prediction:
    decode_tps: float
    prompt_tps: float
    answer_seconds: float  # TYPICAL_PROMPT + TYPICAL_REASONING + TYPICAL_ANSWER


# ---- arithmetic ------------------------------------------------------------------------------------


def _embedding_params(entry: CatalogEntry) -> int:
    return entry.vocab_size * int(entry.raw.get("hidden_size", 0))


def _tied(entry: CatalogEntry) -> bool:
    return bool(entry.raw.get("tied_embeddings", False))


def weight_bytes_per_token(entry: CatalogEntry, file_bytes: int) -> float:
    """Bytes of weights one decoded token reads: the file, less the embedding table unless it is tied
    (its share estimated at the file's average bits per weight)."""
    if _tied(entry) or not entry.parameters:
        return float(file_bytes)
    share = min(0.5, _embedding_params(entry) / entry.parameters)
    return file_bytes * (1.0 - share)


def attention_units(entry: CatalogEntry) -> float:
    """What attention costs per token of context, up to a machine constant: every layer's query heads dot
    and mix every cached key and value (layers × heads × head size)."""
    hidden = int(entry.raw.get("hidden_size", 0))
    head_dim = int(entry.raw.get("head_dim", 0)) or 128
    # Qwen3 sets head_dim apart from hidden / heads (0.6B: 16 heads of 128 on a hidden size of 1024).
    heads = int(entry.raw.get("n_heads", 0)) or (hidden // head_dim if hidden else int(entry.raw.get("n_kv_heads", 1)))
    return float(max(1, entry.n_layers) * max(1, heads) * head_dim)


def matmul_params(entry: CatalogEntry) -> float:
    """Parameters a prompt token is multiplied through: all but the embedding lookup (and the output
    layer, which a prompt computes for its last token only)."""
    emb = _embedding_params(entry)
    return float(max(1, entry.parameters - emb * (1 if _tied(entry) else 2)))


def typical_mean_context() -> float:
    """Average context while decoding a typical answer (the KV cache grows from the prompt's length)."""
    return TYPICAL_PROMPT + (TYPICAL_REASONING + TYPICAL_ANSWER) / 2


def read_factor(quant: str = "") -> float:
    """How fast llama.cpp's decode reads weights of type ``quant`` relative to Q4_K_M (1: unknown types)."""
    return QUANT_READ_FACTOR.get(quant.upper(), 1.0)


def predict(entry: CatalogEntry, file_bytes: int, speed: MachineSpeed, *, exponent: float = PROMPT_EXPONENT,
            fixed_share: float = DECODE_FIXED_SHARE, efficiency: float = READ_EFFICIENCY,
            context: float | None = None, quant: str = "", factor: float | None = None) -> Prediction:
    """Decode and prompt tokens/s for ``entry`` at ``file_bytes``, and the time of a typical answer; the
    decode rate at the mean ``context`` of a typical answer unless another is given.

    Time per token = layers × fixed + weight bytes / bandwidth + context × attention units × a. From the
    measured model: ``a`` from its decode speed after a short and a long prompt; the bandwidth is
    ``efficiency`` × the measured read bandwidth (never less than the measured model's own bytes over its
    time), and the rest of its time per token at no context is fixed. Without a bandwidth measurement,
    ``fixed_share`` of that time is fixed and the rest reading its weights. The target's weights are read at
    that bandwidth × ``factor`` (default: :data:`QUANT_READ_FACTOR` of ``quant``)."""
    ref = load_catalog().get(speed.model)
    if ref is None:
        raise KeyError(speed.model)
    target_bandwidth_factor = read_factor(quant) if factor is None else factor
    t_short = 1.0 / speed.decode_tps
    slope = 0.0  # seconds per token of context, for the measured model
    if speed.deep_decode_tps > 0 and speed.deep_context > speed.mean_context:
        slope = max(0.0, (1.0 / speed.deep_decode_tps - t_short) / (speed.deep_context - speed.mean_context))
    per_unit = slope / attention_units(ref)
    t_zero = max(t_short * 0.1, t_short - slope * speed.mean_context)
    ref_bytes = weight_bytes_per_token(ref, speed.model_bytes)
    if speed.read_gbps > 0 and efficiency > 0:
        bandwidth = max(efficiency * speed.read_gbps * 1e9, ref_bytes / t_zero)
        t_fixed = t_zero - ref_bytes / bandwidth
    else:
        t_fixed = fixed_share * t_zero
        bandwidth = ref_bytes / (t_zero - t_fixed)
    per_layer = t_fixed / max(1, ref.n_layers)

    def rate(ctx: float) -> float:
        return 1.0 / (per_layer * max(1, entry.n_layers)
                      + weight_bytes_per_token(entry, file_bytes) / (bandwidth * target_bandwidth_factor)
                      + per_unit * attention_units(entry) * ctx)

    decode = rate(typical_mean_context() if context is None else context)
    prompt = speed.prompt_tps * (matmul_params(ref) / matmul_params(entry)) ** exponent
    # The context grows from the prompt's length to the whole answer's: the decode time is the integral,
    # which for a linear cost is the time at the mean context.
    answer_decode = (TYPICAL_REASONING + TYPICAL_ANSWER) / rate(typical_mean_context())
    seconds = TYPICAL_PROMPT / prompt + answer_decode
    return Prediction(round(decode, 2), round(prompt, 1), round(seconds, 1))


def predict_row(row: dict[str, Any], speed: MachineSpeed | None) -> Prediction | None:
    """The prediction for a ``library.catalog_rows()`` row (None without a measurement or a size)."""
    entry = load_catalog().get(str(row.get("id")))
    if speed is None or entry is None or not row.get("size"):
        return None
    try:
        return predict(entry, int(row["size"]), speed, quant=str(row.get("quant") or ""))
    except (KeyError, ZeroDivisionError, ValueError):
        return None


def short_text(p: Prediction) -> str:
    """"≈ 15 tok/s · ≈ 90 s" for a table cell (English; the GUI words its own)."""
    return f"≈ {p.decode_tps:.0f} tok/s · answer ≈ {human_seconds(p.answer_seconds)}"


def human_seconds(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


# ---- cache -----------------------------------------------------------------------------------------


def app_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("assistant")
    except metadata.PackageNotFoundError:  # a frozen app without metadata: its executable's stamp
        import sys

        with contextlib.suppress(OSError):
            st = Path(sys.executable).stat()
            return f"frozen-{st.st_size}-{int(st.st_mtime)}"
        return "unknown"


def speed_key(n_threads: int, n_gpu_layers: int, model_path: Path) -> str:
    """What decides the numbers: the probe's key (CPU and its flags, kernel, the llama.cpp build's modules
    and version, GPU drivers), the app's version, threads, GPU layers and the measured file."""
    from assistant.core.runtime import ggml_probe

    try:
        size = model_path.stat().st_size
    except OSError:
        size = 0
    parts = [str(BENCH_VERSION), ggml_probe.cache_key(), app_version(), str(n_threads), str(n_gpu_layers),
             model_path.name, str(size)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:24]


def cache_file(key: str) -> Path:
    from assistant.core.runtime.ggml_probe import cache_dir

    return cache_dir() / f"speed-{key}.json"


def read_speed(key: str) -> MachineSpeed | None:
    try:
        speed = MachineSpeed.from_dict(json.loads(cache_file(key).read_text(encoding="utf-8")))
    except (OSError, ValueError, TypeError):
        return None
    if speed.key != key:
        return None
    speed.source = "cache"
    return speed


def store_speed(speed: MachineSpeed) -> None:
    target = cache_file(speed.key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(f".{os.getpid()}.tmp")
        data = {**speed.to_dict(), "source": "measured", "measured_at": speed.measured_at or time.time()}
        tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:  # a read-only cache only costs a repeat benchmark
        log.warning("cannot store the speed benchmark: %s", exc)


def implied_read_share(speed: MachineSpeed) -> float | None:
    """The measured model's weight bytes × its decode rate over the measured memory bandwidth (None without
    a bandwidth measurement or a catalog entry)."""
    ref = load_catalog().get(speed.model)
    if ref is None or speed.read_gbps <= 0 or speed.decode_tps <= 0:
        return None
    return weight_bytes_per_token(ref, speed.model_bytes) * speed.decode_tps / (speed.read_gbps * 1e9)


def judge(speed: MachineSpeed) -> tuple[str, str]:
    """("quiet" | "busy", why busy: "cpu" | "bandwidth" | "") for a fresh measurement."""
    if speed.busy_share >= BUSY_SHARE:
        return "busy", "cpu"
    share = implied_read_share(speed)
    if share is not None and speed.n_gpu_layers == 0 and share < MIN_READ_SHARE:
        return "busy", "bandwidth"
    return "quiet", ""


def _rank(speed: MachineSpeed) -> int:
    return {"quiet": 2, "busy": 0}.get(speed.confidence, 1)


def keep_better(new: MachineSpeed) -> MachineSpeed:
    """Store ``new`` unless the stored measurement under its key is better, and return the one kept (the
    stored one with ``source`` "cache"). Better: quiet beats not judged beats busy; of the same rank the newer,
    unless it is clearly slower (then it was disturbed unseen); of two busy ones the faster."""
    old = read_speed(new.key)
    if old is not None:
        if _rank(old) > _rank(new):
            return old
        if _rank(old) == _rank(new):
            if new.confidence == "busy" and old.decode_tps > new.decode_tps:
                return old
            if new.decode_tps < CLEARLY_WORSE * old.decode_tps:
                return old
    store_speed(new)
    return new
