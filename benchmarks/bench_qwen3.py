"""Qwen3-1.7B's cost here: the app's decode speed vs llama.cpp's own llama-bench on the same file (issue 27).

    python benchmarks/bench_qwen3.py [--quant Q8_0|Q4_K_M] [--rounds 3] [--threads 2]

The model is a stand-in with Qwen3-1.7B's exact shapes (qwen3 architecture: hidden 2048, 28 blocks, 16 query /
8 KV heads of 128 with per-head q/k RMS norms, FFN 6144, vocab 151,936, tied embeddings), random weights, the
real Qwen3 chat template (tests/core/qwen3gen.py), quantized by llama.cpp like the publisher's file (Q8_0 by
default, the only quantization Qwen/Qwen3-1.7B-GGUF publishes). Speed depends on shapes, not values.

1. The engine: 128 tokens decoded through the backend's own streaming path (ignore_eos, greedy), tokens/s
   after the first token (``bench_samples.engine_decode``).
2. llama-bench ``-p 0 -n 128`` (tg128), built from the same llama.cpp source as the app's wheel
   (``standin.llama_tools``), the same threads.
Rounds alternate which runs first; the medians and their ratio are printed, and the catalog's prediction for
the real Qwen3-1.7B Q8_0 (the catalog's cost model, from the quick benchmark of the bundled model) beside them.
Cached in ``$ASSISTANT_BENCH_CACHE`` (default ``~/.cache/assistant/bench``); nothing is committed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_samples import engine_decode, llama_bench_tg  # noqa: E402
from standin import cache_dir, llama_tools  # noqa: E402

from assistant.core.backends.llama_cpp import LlamaCppBackend  # noqa: E402


def qwen3_standin(quant: str = "Q8_0", log=print) -> Path:  # type: ignore[no-untyped-def]
    """The Qwen3-1.7B-shaped stand-in at ``quant``, made on first use (F16 3.4 GB written, then quantized)."""
    from assistant.core.runtime.llama import llama_cpp_module
    from tests.core.qwen3gen import QWEN3_1_7B, write_qwen3

    out = cache_dir() / f"qwen3-standin-1.7b-{quant.lower()}.gguf"
    if out.is_file():
        return out
    lc = llama_cpp_module()
    ftype = {"Q8_0": lc.LLAMA_FTYPE_MOSTLY_Q8_0, "Q4_K_M": lc.LLAMA_FTYPE_MOSTLY_Q4_K_M}[quant]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(dir=cache_dir()) as tmp:
        f16 = Path(tmp) / "qwen3-standin-f16.gguf"
        log("making the Qwen3-1.7B-shaped stand-in: writing F16…")
        write_qwen3(f16, QWEN3_1_7B, name="Qwen3-1.7B stand-in (random weights)", f16=True)
        log(f"quantizing to {quant}…")
        params = lc.llama_model_quantize_default_params()
        params.ftype = ftype
        params.nthread = os.cpu_count() or 2
        part = out.with_suffix(".part")
        if lc.llama_model_quantize(str(f16).encode(), str(part).encode(), params) != 0:
            raise RuntimeError("quantizing the stand-in failed")
        part.replace(out)
    log(f"stand-in ready in {time.perf_counter() - t0:.0f} s: {out} ({out.stat().st_size:,} bytes)")
    return out


def predicted_decode(quant: str, threads: int) -> float:
    """The cost model's decode speed for the real Qwen3-1.7B at ``quant`` here (the quick benchmark of the
    bundled model, cached per machine, is measured first if it is not there yet)."""
    from assistant.core.eval.speed import quick_bench
    from assistant.core.models.catalog import get_entry
    from assistant.core.models.cost import predict
    from assistant.core.settings import Settings

    entry = get_entry("qwen3-1.7b")
    assert entry is not None
    speed = quick_bench(Settings(n_threads=threads, n_gpu_layers=0))
    return float(predict(entry, int(entry.file_spec(quant)["size"]), speed).decode_tps)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quant", default="Q8_0", choices=("Q8_0", "Q4_K_M"))
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import bench_samples

    bench_samples.THREADS = args.threads  # llama_bench_tg runs with the module's thread count
    path = qwen3_standin(args.quant)
    tools = llama_tools()
    backend = LlamaCppBackend(path, n_ctx=2048, n_threads=args.threads)
    print(f"{backend.info.name}: family {backend.info.family}, {path.stat().st_size / 1e9:.2f} GB {args.quant}, "
          f"{args.threads} threads", flush=True)
    engine_decode(backend, 16)  # warm-up
    # llama-bench twice: as built (its weight repacking on: on a CPU with AMX that is the AMX module, which the
    # app's portable build only offers in a variant its probe rejects where AMX dies), and without repacking
    sides = {"engine": lambda: engine_decode(backend, 128),
             "llama-bench": lambda: llama_bench_tg(tools["llama-bench"], path),
             "llama-bench --repack 0": lambda: llama_bench_tg(tools["llama-bench"], path, ("--repack", "0"))}
    got: dict[str, list[float]] = {k: [] for k in sides}
    names = list(sides)
    for r in range(args.rounds):
        for name in names[r % 3:] + names[:r % 3]:
            got[name].append(sides[name]())
        print(f"round {r + 1}: " + ", ".join(f"{k} {v[-1]:.2f}" for k, v in got.items()) + " tok/s", flush=True)
    backend.close()
    med = {k: statistics.median(v) for k, v in got.items()}
    a = med["engine"]
    for other in names[1:]:
        print(f"Qwen3-1.7B-shaped {args.quant}: engine decode {a:.2f} tok/s vs {other} tg128 {med[other]:.2f} tok/s "
              f"= {a / med[other]:.3f} (median of {args.rounds})")
    if args.quant in ("Q8_0",):  # the catalog has the publisher's Q8_0
        predicted = predicted_decode(args.quant, args.threads)
        print(f"the cost model's prediction for the real Qwen3-1.7B {args.quant} here: {predicted:.2f} tok/s "
              f"({predicted / a:.2f}x the stand-in's engine decode)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
