"""The portable llama.cpp build (every CPU variant, picked at run time) against a fixed-baseline build,
side by side in one run (portability must not cost speed).

    python benchmarks/bench_llama_builds.py --other ~/.cache/assistant/wheels/llama-x86-64-v3/*.whl

Each build runs in its own subprocess (prompt evaluation of ~200 tokens, then 256 greedy tokens with
``Llama.generate`` on the bundled model, 2 threads), alternately, for several rounds; the medians are
compared. ``--other`` is a llama-cpp-python wheel (or an unpacked one) with the CPU code linked in, e.g.
the x86-64-v3 (AVX2) build this project used before. ``--force-variant`` loads one CPU variant of the
portable build instead of the best one (e.g. ``sse42``, what a CPU without AVX gets).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import ctypes, json, sys, time
from pathlib import Path
model, n_gen, variant = sys.argv[1], int(sys.argv[2]), sys.argv[3]
if variant == "other":
    import llama_cpp
    picked = "builtin"
elif variant == "best":
    from assistant.core.runtime.llama import llama_cpp_module, loaded_cpu_variant
    llama_cpp = llama_cpp_module()
    picked = loaded_cpu_variant()
else:  # one named variant of the portable build, loaded by hand into every libggml copy
    import re
    import llama_cpp
    from assistant.core.runtime.ggml_libs import ggml_copies, lib_dir
    path = str(lib_dir() / f"libggml-cpu-{variant}.so").encode()
    for lib in ggml_copies():
        lib.ggml_backend_load.restype, lib.ggml_backend_load.argtypes = ctypes.c_void_p, [ctypes.c_char_p]
        lib.ggml_backend_register.argtypes = [ctypes.c_void_p]
        reg = lib.ggml_backend_load(path)
        assert reg, "could not load " + variant
    picked = variant
llm = llama_cpp.Llama(model_path=model, n_ctx=1024, n_threads=2, n_threads_batch=2, verbose=False, seed=1)
prompt = llm.tokenize(("The history of the printing press in Europe. " * 20).encode(), add_bos=True)
t0 = time.perf_counter()
llm.eval(prompt)
t1 = time.perf_counter()
n = 0
for tok in llm.generate(prompt, top_k=1, reset=False):
    n += 1
    if n >= n_gen:
        break
t2 = time.perf_counter()
print(json.dumps({"variant": picked, "prompt_tps": len(prompt) / (t1 - t0), "gen_tps": n / (t2 - t1)}))
"""


def unpack(wheel: Path) -> Path:
    if wheel.is_dir():
        return wheel
    out = Path(tempfile.mkdtemp(prefix="llama-other-"))
    with zipfile.ZipFile(wheel) as z:
        z.extractall(out)
    return out


def run(model: Path, n_gen: int, mode: str, pythonpath: str | None) -> dict[str, float]:
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    out = subprocess.run([sys.executable, "-c", CHILD, str(model), str(n_gen), mode], capture_output=True,
                         text=True, env=env, timeout=600)
    if out.returncode != 0:
        raise SystemExit(f"{mode}: exit {out.returncode}\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--other", type=Path, help="another llama-cpp-python wheel to compare with")
    ap.add_argument("--force-variant", action="append", default=[], help="also run this variant of ours")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--tokens", type=int, default=256)
    args = ap.parse_args()
    from assistant.core.models.catalog import find_bundled_model

    model = find_bundled_model()
    modes: dict[str, tuple[str, str | None]] = {"portable (best variant)": ("best", None)}
    for v in args.force_variant:
        modes[f"portable ({v} forced)"] = (v, None)
    if args.other:
        modes[f"other: {args.other.name}"] = ("other", str(unpack(args.other.expanduser())))
    results: dict[str, list[dict[str, float]]] = {k: [] for k in modes}
    for r in range(args.rounds):
        for name in (list(modes) if r % 2 == 0 else list(reversed(modes))):
            mode, path = modes[name]
            results[name].append(run(model, args.tokens, mode, path))
    base = statistics.median(x["gen_tps"] for x in results["portable (best variant)"])
    base_p = statistics.median(x["prompt_tps"] for x in results["portable (best variant)"])
    print(f"{args.rounds} interleaved rounds, {args.tokens} greedy tokens, 2 threads, bundled model")
    print(f"{'build':44}{'variant':>16}{'prompt tok/s':>14}{'gen tok/s':>11}{'gen vs portable':>17}")
    for name, rows in results.items():
        g = statistics.median(x["gen_tps"] for x in rows)
        p = statistics.median(x["prompt_tps"] for x in rows)
        print(f"{name:44}{rows[0]['variant']:>16}{p:>14.1f}{g:>11.1f}{g / base:>16.2f}x"
              f"   (prompt {p / base_p:.2f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
