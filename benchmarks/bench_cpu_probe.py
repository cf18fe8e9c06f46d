"""What choosing llama.cpp's CPU code by running it costs at start-up, side by side in one run.

    python benchmarks/bench_cpu_probe.py [--rounds 5] [--vulkan]

In fresh subprocesses, alternately for several rounds:
- ``old``: ggml's own pick (``ggml_backend_load_all_from_path``: CPUID scoring, every module opened);
- ``cached``: the app's way on a later start (cache key + one small JSON file, then one module loaded);
- ``first``: the app's way on a machine's first start (the probe's child processes run first).
Each child times only the load (``llama_cpp_module()`` or the old call), after ``import llama_cpp``.
The medians and the ratios are printed; "added at later starts" is cached minus old (target < 20 ms).

``--vulkan`` adds the bundled model's decode speed fully offloaded to lavapipe (GGML_VK_VISIBLE_DEVICES)
vs the CPU: correctness is the tests' job, lavapipe's speed is information (it is CPU code too).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import ctypes, json, sys, time
mode = sys.argv[1]
import llama_cpp
t0 = time.perf_counter()
if mode == "old":
    from assistant.core.runtime.ggml_libs import ggml_copies, lib_dir
    for lib in ggml_copies():
        lib.ggml_backend_load_all_from_path.argtypes = [ctypes.c_char_p]
        lib.ggml_backend_load_all_from_path(str(lib_dir()).encode())
    variant = "ggml's pick"
else:
    from assistant.core.runtime.llama import llama_cpp_module, verdict
    llama_cpp_module()
    variant = verdict().cpu
print(json.dumps({"seconds": time.perf_counter() - t0, "variant": variant}))
"""

DECODE = r"""
import json, sys, time
from assistant.core.backends.llama_cpp import LlamaCppBackend
from assistant.core.chat.protocol import GenerationRequest
from assistant.core.chat.prompting import Message, Sampling, get_family
b = LlamaCppBackend(sys.argv[2], n_ctx=1024, n_gpu_layers=int(sys.argv[3]))
req = GenerationRequest([Message("user", "Tell me a long story about a lighthouse.")], get_family(b.info.family),
                        Sampling(temperature=0.0, max_tokens=128, seed=1), ignore_eos=True)
for c in b.stream(req):
    if c.done:
        print(json.dumps({"tps": c.stats.tokens_per_second, "ttft": c.stats.prompt_seconds}))
"""


def child(mode: str, cache: str, code: str = CHILD, *args: str, env: dict[str, str] | None = None) -> dict:
    full = {**os.environ, "ASSISTANT_HARDWARE_CACHE": cache, **(env or {})}
    out = subprocess.run([sys.executable, "-c", code, mode, *args], capture_output=True, text=True, env=full,
                         cwd=ROOT, timeout=900)
    if out.returncode != 0:
        raise SystemExit(f"{mode}: exit {out.returncode}\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--vulkan", action="store_true")
    args = ap.parse_args()
    warm = tempfile.mkdtemp(prefix="bench-probe-warm-")
    child("cached", warm)  # fills the warm cache (a probe)
    times: dict[str, list[float]] = {"old": [], "cached": [], "first": []}
    variants: dict[str, str] = {}
    for r in range(args.rounds):
        for mode in ("old", "cached", "first"):
            cache = tempfile.mkdtemp(prefix="bench-probe-") if mode == "first" else warm
            res = child(mode, cache)
            times[mode].append(res["seconds"])
            variants[mode] = res["variant"]
        print(f"round {r + 1}: " + ", ".join(f"{m} {times[m][-1] * 1000:.1f} ms" for m in times), flush=True)
    med = {m: statistics.median(v) for m, v in times.items()}
    print(f"\nmedians over {args.rounds} rounds (load only, after `import llama_cpp`):")
    for m in times:
        print(f"  {m:7s} {med[m] * 1000:9.1f} ms  ({med[m] / med['old']:.2f}x old)   variant: {variants[m]}")
    print(f"added at later starts (cached - old): {(med['cached'] - med['old']) * 1000:+.1f} ms (target < 20 ms)")
    print(f"first start on a machine (probe): {med['first']:.2f} s")
    if args.vulkan:
        from assistant.core.models.catalog import find_bundled_model

        model = str(find_bundled_model())
        vk_env = {"GGML_VK_VISIBLE_DEVICES": os.environ.get("GGML_VK_VISIBLE_DEVICES", "0")}
        vk_cache = tempfile.mkdtemp(prefix="bench-probe-vk-")
        cpu, gpu = [], []
        for _ in range(max(1, args.rounds // 2)):
            cpu.append(child("decode", vk_cache, DECODE, model, "0", env=vk_env)["tps"])
            gpu.append(child("decode", vk_cache, DECODE, model, "999", env=vk_env)["tps"])
        c, g = statistics.median(cpu), statistics.median(gpu)
        print(f"\nbundled model, 128 greedy tokens: CPU {c:.1f} tok/s, lavapipe (all layers) {g:.1f} tok/s "
              f"({g / c:.2f}x; lavapipe is software Vulkan on the same CPU)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
