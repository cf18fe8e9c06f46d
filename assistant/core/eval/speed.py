"""The quick machine benchmark: the bundled model's prompt and decode speed here (about 20 s), loaded as the
app loads models (``LlamaCppBackend`` with the CPU variant the probe chose, the settings' threads and GPU
layers) and decoded through the app's own generation loop with its usual sampling; cached per machine
(:mod:`assistant.core.models.cost` turns it into a prediction for every catalog model).

Every round evaluates a fresh prompt (a seeded request never reuses the KV cache) and decodes a fixed
number of tokens with the end-of-generation tokens banned. Other programs disturb a measurement only by
slowing it, so the fastest round of each is kept: the machine's speed when the app has it to itself. Whether
the machine was ours during that round is measured too (:mod:`assistant.core.eval.busy`) and judged with
the memory bandwidth (:func:`cost.judge`): the record says "quiet" or "busy", and a busy one is measured
again on a later quiet start (:func:`needs_remeasure`), never the other way round (:func:`cost.keep_better`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.chat.protocol import GenerationRequest, GenerationStats
from assistant.core.errors import CancelledError
from assistant.core.eval.busy import LoadWatch, load_share, others_share
from assistant.core.models import cost
from assistant.core.models.catalog import find_bundled_model
from assistant.core.paths import DEFAULT_MODEL_ID
from assistant.core.progress import Progress
from assistant.core.settings import Sampling, Settings

PROMPT_TOKENS, DECODE_TOKENS, DEEP_PROMPT = 256, 192, 896
ROUNDS, BUDGET_S = 4, 12.0  # at most ROUNDS short rounds, none after BUDGET_S (at least two); then ROUNDS // 2 deep
TEXT = ("Reasoning models think step by step before they answer: they restate the problem, try a method, "
        "check the result and write the answer in a box. 推理模型先逐步思考，再给出答案。 ")


def _one(backend: LlamaCppBackend, prompt: list[int], n_decode: int, seed: int,
         cancel: threading.Event) -> GenerationStats:
    request = GenerationRequest(messages=[], family=backend.family, ignore_eos=True, cancel=cancel,
                                sampling=Sampling(max_tokens=n_decode, seed=seed))
    stats = GenerationStats()
    for chunk in backend.stream_tokens(list(prompt), request):
        if chunk.done and chunk.stats is not None:
            stats = chunk.stats
    if cancel.is_set() or stats.finish_reason == "cancelled":
        raise CancelledError("The speed benchmark was stopped.")
    return stats


def read_bandwidth(n_threads: int, megabytes: int = 512, rounds: int = 8, *, summed: bool = False) -> float:
    """GB/s that ``n_threads`` threads read from memory together (each takes the maximum of its part of a
    float32 array far larger than any CPU cache; numpy releases the GIL while it reduces): the best of a few
    rounds, about half a second. The maximum runs in wide SIMD registers and keeps up with memory; a plain
    ``np.sum`` does not (numpy's pairwise float64 sum is arithmetic-bound: it read 26.6 GB/s where llama.cpp's
    own decode implied at least 36, issue 28), and a probe that under-measures skews every forecast.
    ``summed``: the old probe (float64 sums), for the test that compares them."""
    import numpy as np

    data = np.ones(megabytes * 2**20 // 8, dtype=np.float64) if summed else \
        np.ones(megabytes * 2**20 // 4, dtype=np.float32)
    reduce = np.sum if summed else np.max
    parts = np.array_split(data, max(1, n_threads))
    best = 0.0
    for _ in range(rounds):
        threads = [threading.Thread(target=reduce, args=(part,)) for part in parts]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        best = max(best, data.nbytes / (time.perf_counter() - t0) / 1e9)
    return best


@dataclass
class Measured:
    prompt_tps: float
    decode_tps: float  # after a short prompt
    mean_context: float
    deep_decode_tps: float  # after a long prompt: what attention over a longer context costs
    deep_context: float
    busy_share: float | None = None  # others' share of the CPUs during the fastest short round (None: unknown)
    decode_rounds: tuple[float, ...] = ()  # every short round's decode rate, in order


def measure(backend: LlamaCppBackend, *, prompt_tokens: int = PROMPT_TOKENS, decode_tokens: int = DECODE_TOKENS,
            rounds: int = ROUNDS, budget_s: float = BUDGET_S, deep_tokens: int = DEEP_PROMPT,
            cancel: threading.Event | None = None, progress: Callable[[Progress], None] | None = None) -> Measured:
    """Prompt speed and decode speed after a short and after a long prompt: the best of the rounds."""
    cancel = cancel or threading.Event()
    text_tokens = backend.tokenize_prompt(TEXT)
    n_base = max(prompt_tokens, deep_tokens)
    base = (text_tokens * (n_base // max(1, len(text_tokens)) + 2))[:n_base]
    _one(backend, base[:16], 4, 1, cancel)  # warm-up: first-use allocations, page faults of the weights
    best_pp = best_tg = best_deep = 0.0
    best_busy: float | None = None
    rates: list[float] = []
    n_deep = max(1, rounds // 2)
    t0 = time.monotonic()
    for r in range(rounds + n_deep):
        deep = r >= rounds
        if not deep and r >= 2 and time.monotonic() - t0 > budget_s:
            continue  # no more short rounds; the deep ones still run
        if progress is not None:
            progress(Progress(f"round {r + 1}", r / (rounds + n_deep)))
        if deep:
            stats = _one(backend, base[:deep_tokens], decode_tokens // 2, 2 + r, cancel)
            best_deep = max(best_deep, stats.tokens_per_second)
            continue
        watch = LoadWatch()
        stats = _one(backend, base[:prompt_tokens], decode_tokens, 2 + r, cancel)
        if stats.prompt_seconds > 0:
            best_pp = max(best_pp, prompt_tokens / stats.prompt_seconds)
        rates.append(round(stats.tokens_per_second, 2))
        if stats.tokens_per_second > best_tg:  # the round kept: was the machine ours meanwhile?
            best_tg, best_busy = stats.tokens_per_second, watch.share()
    if progress is not None:
        progress(Progress("done", 1.0))
    # A longer context never decodes faster: a short-prompt rate below the long-prompt one means those rounds
    # were slowed by something else, and the long-prompt rate is the better lower bound.
    best_tg = max(best_tg, best_deep)
    return Measured(best_pp, best_tg, prompt_tokens + decode_tokens / 2, best_deep, deep_tokens + decode_tokens / 4,
                    best_busy, tuple(rates))


def bench_model(path: Path, model_id: str, settings: Settings, *, key: str = "",
                cancel: threading.Event | None = None, progress: Callable[[Progress], None] | None = None,
                prompt_tokens: int = PROMPT_TOKENS, decode_tokens: int = DECODE_TOKENS, rounds: int = ROUNDS,
                budget_s: float = BUDGET_S) -> cost.MachineSpeed:
    """Load ``path`` as the app would (threads and GPU layers from the settings) and measure it."""
    from assistant.core.backends import auto_gpu_layers
    from assistant.core.runtime.llama import loaded_cpu_variant

    t0 = time.monotonic()
    load_before = load_share()
    n_ctx = 1280
    gpu = settings.n_gpu_layers if settings.n_gpu_layers >= 0 else auto_gpu_layers(path, n_ctx)
    backend = LlamaCppBackend(path, n_ctx=n_ctx, n_threads=settings.n_threads or None, n_gpu_layers=gpu)
    # On the CPU a model's decode speed follows the memory bandwidth; with layers on a GPU it does not.
    gbps = read_bandwidth(backend.n_threads) if backend.n_gpu_layers == 0 else 0.0
    try:
        m = measure(backend, prompt_tokens=prompt_tokens, decode_tokens=decode_tokens, rounds=rounds,
                    budget_s=budget_s, cancel=cancel, progress=progress)
    finally:
        backend.close()
    speed = cost.MachineSpeed(key=key, prompt_tps=round(m.prompt_tps, 1), decode_tps=round(m.decode_tps, 2),
                              model=model_id, model_bytes=path.stat().st_size, prompt_tokens=prompt_tokens,
                              mean_context=m.mean_context, deep_decode_tps=round(m.deep_decode_tps, 2),
                              deep_context=m.deep_context, read_gbps=round(gbps, 2),
                              cpu_variant=loaded_cpu_variant(), n_threads=backend.n_threads,
                              n_gpu_layers=backend.n_gpu_layers, seconds=round(time.monotonic() - t0, 2),
                              measured_at=time.time(), app_version=cost.app_version(),
                              busy_share=-1.0 if m.busy_share is None else m.busy_share,
                              load_before=-1.0 if load_before is None else load_before,
                              decode_rounds=list(m.decode_rounds))
    speed.confidence, speed.busy_reason = cost.judge(speed)
    return speed


def current_key(settings: Settings) -> str:
    return cost.speed_key(settings.n_threads, settings.n_gpu_layers, find_bundled_model())


def cached(settings: Settings) -> cost.MachineSpeed | None:
    """The stored measurement for this machine and these settings, if there is one (cheap: it reads the
    key's parts and one small file; llama.cpp's modules are not loaded)."""
    return cost.read_speed(current_key(settings))


def quick_bench(settings: Settings, *, refresh: bool = False, recheck: bool = False, key: str = "",
                cancel: threading.Event | None = None,
                progress: Callable[[Progress], None] | None = None) -> cost.MachineSpeed:
    """The machine's speed: from the cache (instant), or measured now on the bundled model and stored.

    A new measurement replaces the stored one only when it is not worse (:func:`cost.keep_better`: one taken
    while the machine was busy never replaces a quiet one). ``recheck`` (the app's later starts): a stored
    measurement is measured again when the machine is quiet now and the stored one was not, or when a quick
    re-probe of the memory bandwidth reads clearly faster than it did (:func:`needs_remeasure`)."""
    from assistant.core.runtime.llama import llama_cpp_module

    llama_cpp_module()
    key = key or current_key(settings)
    found = None if refresh else cost.read_speed(key)
    if found is not None and not (recheck and needs_remeasure(found)):
        return found
    speed = bench_model(find_bundled_model(), DEFAULT_MODEL_ID, settings, key=key, cancel=cancel, progress=progress)
    return cost.keep_better(speed)


def needs_remeasure(stored: cost.MachineSpeed, *, sample_s: float = 1.0) -> bool:
    """Whether a later start should measure again: only on a quiet machine (others take under
    ``cost.BUSY_SHARE`` of the CPUs for ``sample_s``), and then when the stored measurement was taken while
    busy (or by a version that did not know), or its memory bandwidth is clearly below what this machine
    reads now (``cost.RECHECK_RATIO``; about half a second)."""
    now = others_share(sample_s)
    if now is None or now >= cost.BUSY_SHARE:
        return False
    if stored.confidence != "quiet":
        return True
    if stored.read_gbps <= 0 or stored.n_gpu_layers:
        return False
    return read_bandwidth(stored.n_threads or 1) > cost.RECHECK_RATIO * stored.read_gbps
